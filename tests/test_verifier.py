"""The verifier catches every way a plan can be broken (and passes a good one)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from conftest import item, person, scenario, week
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

import capacity.domain.problem as problem_module
from capacity.domain import (
    Absence,
    AddPost,
    After,
    Assumptions,
    EndPost,
    Estimate,
    ExtendPost,
    Handover,
    Horizon,
    Induction,
    PlanningProblem,
    PointRule,
    Scenario,
    StaffingOption,
    StaffMember,
    WorkItem,
    WorkKind,
    build_problem,
)
from capacity.domain.options import TeamChange
from capacity.domain.work import BidMode, Owner
from capacity.errors import InvalidValue, PlanInvalid
from capacity.plan import (
    Assignment,
    Placements,
    Plan,
    SolverReport,
    SolveStatus,
    UnmetTask,
    from_placements,
)
from capacity.solver import solve
from capacity.verifier import MAX_DIFFERENCES, check_plan, verify

LAG = Estimate.exact(1)
WORK = [
    item("tender", load="0.5", weeks=3, skill="lead", deadline=week(6) - timedelta(days=1)),
    item("support", load="0.2", weeks=3, alongside="tender"),
    item("bid", load="0.4", weeks=2),
    item(
        "award", load="0.4", weeks=2, after=(After("bid", Estimate.exact(1)),), committed_to="bid"
    ),
    item("spare", load="0.9", weeks=8, release=week(1)),  # window too short: always unmet
]
SCENARIO = scenario([person("lead", skills=("lead",)), person("helper", fte="0.6")], WORK, weeks=8)


@pytest.fixture(scope="module")
def good_plan() -> Plan:
    plan = solve(build_problem(SCENARIO, "base"))
    assert {a.task_id for a in plan.assignments} == {"tender", "support", "bid", "award"}
    return plan


def change(plan: Plan, which: str, **fields: object) -> Plan:
    assignments = tuple(
        replace(a, **fields) if a.task_id == which else a
        for a in plan.assignments  # type: ignore[arg-type]
    )
    return replace(plan, assignments=assignments)


def shift(plan: Plan, task_id: str, weeks: int) -> Plan:
    a = next(a for a in plan.assignments if a.task_id == task_id)
    return change(
        plan,
        task_id,
        start_week=a.start_week + weeks,
        end_week=a.end_week + weeks,
        start=a.start + timedelta(weeks=weeks),
        end=a.end + timedelta(weeks=weeks),
    )


def drop(plan: Plan, task_id: str, report_unmet: bool = True) -> Plan:
    a = next(a for a in plan.assignments if a.task_id == task_id)
    unmet = plan.unmet + (
        (UnmetTask(task_id, a.item_id, a.fte_weeks, False),) if report_unmet else ()
    )
    return replace(plan, assignments=tuple(x for x in plan.assignments if x is not a), unmet=unmet)


def test_a_good_plan_passes(good_plan: Plan) -> None:
    assert verify(SCENARIO, good_plan) == []
    assert check_plan(SCENARIO, good_plan) is good_plan


CORRUPTIONS = [
    # (description, corrupt(plan) -> plan, words the violation must contain)
    ("wrong load", lambda p: change(p, "bid", load_fte=Decimal("0.3")), "not its load"),
    ("wrong skill", lambda p: change(p, "tender", staff_id="helper"), "needs skill"),
    ("starts before release", lambda p: shift(p, "award", -3), "before"),
    ("ends after deadline", lambda p: shift(p, "tender", 6), "deadline"),
    (
        "too short",
        lambda p: change(
            p, "bid", end_week=next(a for a in p.assignments if a.task_id == "bid").end_week - 1
        ),
        "runs 1 weeks",
    ),
    (
        "done twice",
        lambda p: replace(p, assignments=(*p.assignments, p.assignments[0])),
        "done 2 times",
    ),
    ("unknown person", lambda p: change(p, "bid", staff_id="ghost"), "not in the team"),
    ("unknown task", lambda p: change(p, "bid", task_id="ghost"), "not a task"),
    ("alongside split", lambda p: shift(p, "support", 1), "must start with"),
    ("committed half done", lambda p: drop(p, "award"), "exactly when"),
    ("after without predecessor", lambda p: drop(p, "bid"), "which it follows"),
    (
        "dropped and not reported",
        lambda p: drop(drop(p, "award"), "bid", report_unmet=False),
        "neither",
    ),
    (
        "reported both ways",
        lambda p: replace(p, unmet=(*p.unmet, UnmetTask("bid", "bid", Decimal("0.8"), False))),
        "both delivered and unmet",
    ),
    (
        "unmet figure wrong",
        lambda p: replace(p, unmet=tuple(replace(u, demand_fte_weeks=Decimal(1)) for u in p.unmet)),
        "should be",
    ),
    (
        "mandatory flag wrong",
        lambda p: replace(p, unmet=tuple(replace(u, mandatory=True) for u in p.unmet)),
        "mandatory flag",
    ),
    (
        "unmet names the wrong item",
        lambda p: replace(p, unmet=tuple(replace(u, item_id="bid") for u in p.unmet)),
        "names item bid",
    ),
    ("dates do not match weeks", lambda p: change(p, "bid", start=week(7)), "start date"),
]


@pytest.mark.parametrize(
    ("description", "corrupt", "words"), CORRUPTIONS, ids=[c[0] for c in CORRUPTIONS]
)
def test_each_corruption_is_caught(good_plan: Plan, description: str, corrupt, words: str) -> None:
    broken = corrupt(good_plan)
    violations = verify(SCENARIO, broken)
    assert any(words in v for v in violations), violations
    with pytest.raises(PlanInvalid):
        check_plan(SCENARIO, broken)


def test_capacity_overload_names_person_and_week(good_plan: Plan) -> None:
    extra = Assignment("spare", "spare", "helper", 0, 8, week(0), week(8), Decimal("0.9"))
    broken = replace(
        good_plan,
        assignments=(*good_plan.assignments, extra),
        unmet=tuple(u for u in good_plan.unmet if u.task_id != "spare"),
    )
    violations = verify(SCENARIO, broken)
    assert any(v.startswith("helper week 0") and "capacity 0.6" in v for v in violations), (
        violations
    )


def test_verifier_rebuilds_the_problem_from_the_scenario(good_plan: Plan) -> None:
    # A plan whose own problem was tampered with (capacity raised) is still judged by the scenario.
    generous = replace(
        good_plan.problem, capacity={k: (Decimal(5),) * 8 for k in good_plan.problem.capacity}
    )
    extra = Assignment("spare", "spare", "helper", 0, 8, week(0), week(8), Decimal("0.9"))
    broken = replace(
        good_plan,
        problem=generous,
        assignments=(*good_plan.assignments, extra),
        unmet=tuple(u for u in good_plan.unmet if u.task_id != "spare"),
    )
    violations = verify(SCENARIO, broken)
    assert any("helper week 0" in v and "capacity 0.6" in v for v in violations)
    assert any("differs from the scenario's" in v for v in violations)


def test_verifier_shares_no_code_with_the_solver_or_the_problem_builder() -> None:
    import ast
    from pathlib import Path

    import capacity.verifier as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    tree = ast.parse(source)
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    imported = [n.module for n in imports] + [
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    ]
    assert not any(
        m.startswith(("ortools", "capacity.solver", "capacity.domain.problem"))
        for m in imported  # type: ignore[union-attr]
    )
    # Not the domain package either: it hands out the problem builder.
    assert "capacity.domain" not in imported
    from_plan = {a.name for n in imports if n.module == "capacity.plan" for a in n.names}
    assert from_plan == {"Plan"}  # the input type; not the planners' helpers beside it
    assert "build_problem" not in source


# The verifier derives the problem itself: a bug in the problem builder is caught, not shared.

JOB = item("job", load="1", weeks=1)
RECRUIT = person(
    "recruit", start=week(1), induction=Induction(Estimate.exact(2), Estimate.exact("0.5"))
)
HIRE = StaffingOption("hire", "Hire a recruit", (AddPost(RECRUIT, Estimate.exact(1)),))
TEAM = [
    person("officer", absences=(Absence(week(2), week(2) + timedelta(days=4)),)),
    person("temp", end=week(3) - timedelta(days=3)),  # last day: Friday of week 2
]
PEOPLE = scenario(TEAM, [JOB], options=[StaffingOption("base", "Base team"), HIRE])


def plan_of(problem: PlanningProblem, placed: Placements) -> Plan:
    """A plan that places the given tasks and reports the rest unmet, with honest figures."""
    assignments, unmet = from_placements(problem, placed)
    mandatory = sum((u.demand_fte_weeks for u in unmet if u.mandatory), Decimal(0))
    report = SolverReport(SolveStatus.FEASIBLE, mandatory, Decimal(0), Decimal(0), Decimal(0), 0.0)
    return Plan(problem, assignments, unmet, report)


def _full_time(member, week_starts, availability, rule):  # type: ignore[no-untyped-def]
    return (member.fte * availability,) * len(week_starts)


WRONG_CAPACITY = [
    # (bug in the builder, where it lives, its name, the wrong code, option, person,
    #  the week the plan books in full, capacity the scenario gives that week)
    ("absences ignored", StaffMember, "absent_on", lambda *_: False, "base", "officer", 2, "0"),
    (
        "induction ignored",
        problem_module,
        "_induction_share",
        lambda *_: Decimal(1),
        "hire",
        "recruit",
        2,
        "0.5",
    ),
    (
        "contract end ignored",
        problem_module,
        "_capacity_profile",
        _full_time,
        "base",
        "temp",
        3,
        "0",
    ),
]


@pytest.mark.parametrize(
    ("bug", "owner", "name", "wrong", "option", "who", "when", "truth"),
    WRONG_CAPACITY,
    ids=[c[0] for c in WRONG_CAPACITY],
)
def test_a_wrong_capacity_in_the_problem_builder_is_caught(
    monkeypatch: pytest.MonkeyPatch, bug, owner, name, wrong, option, who, when, truth
) -> None:
    monkeypatch.setattr(owner, name, wrong)
    problem = build_problem(PEOPLE, option)
    assert problem.capacity[who][when] == 1  # the bug: a full week the scenario does not give
    plan = plan_of(problem, {"job": (who, when)})
    violations = verify(PEOPLE, plan)
    assert f"{who} week {when} ({week(when)}): booked 1 FTE, capacity {truth}" in "\n".join(
        violations
    )
    assert any(
        f"capacity of {who} in week {when} ({week(when)}): the plan says 1, "
        f"the scenario gives {truth}" in v
        for v in violations
    ), violations


def test_a_dropped_recruitment_gap_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    # The bug: the recruit starts on the day the post could first be filled, a week early.
    monkeypatch.setattr(AddPost, "start_date", lambda self, rule: self.member.contract_start)
    problem = build_problem(PEOPLE, "hire")
    assert problem.capacity["recruit"][3] == 1  # out of induction a week early
    violations = verify(PEOPLE, plan_of(problem, {"job": ("recruit", 3)}))
    for phrase in (
        f"recruit week 3 ({week(3)}): booked 1 FTE, capacity 0.5",
        f"contract start of team member recruit: the plan says {week(1)}, "
        f"the scenario gives {week(2)}",
        f"capacity of recruit in week 1 ({week(1)}): the plan says 0.5, the scenario gives 0 "
        "(and 1 more week)",
    ):
        assert any(phrase in v for v in violations), (phrase, violations)


DUE = item("due", load="0.5", weeks=1, deadline=week(4) - timedelta(days=1))  # ends by week 3
LATE = item("late", load="0.5", weeks=1, release=week(3))
WINDOWS = scenario([person("officer")], [DUE, LATE])


def _off_by_one(original, weeks: int):  # type: ignore[no-untyped-def]
    return lambda week_starts, day: original(week_starts, day) + weeks


WRONG_WINDOWS = [
    # (bug, builder helper, shift, task, week the plan uses, words of both violations)
    (
        "deadline a week late",
        "week_end_index_by",
        1,
        "due",
        4,
        (
            "ends after its deadline (week 3)",
            "week it must end by (exclusive) of task due: the plan says 5, the scenario gives 4",
        ),
    ),
    (
        "release a week early",
        "week_index_on_or_after",
        -1,
        "late",
        2,
        (
            "starts before its release (week 3)",
            "first week it may start of task late: the plan says 2, the scenario gives 3",
        ),
    ),
]


@pytest.mark.parametrize(
    ("bug", "helper", "shift_by", "task", "when", "words"),
    WRONG_WINDOWS,
    ids=[c[0] for c in WRONG_WINDOWS],
)
def test_a_wrong_window_in_the_problem_builder_is_caught(
    monkeypatch: pytest.MonkeyPatch, bug, helper, shift_by, task, when, words
) -> None:
    monkeypatch.setattr(
        problem_module, helper, _off_by_one(getattr(problem_module, helper), shift_by)
    )
    plan = plan_of(build_problem(WINDOWS, "base"), {task: ("officer", when)})
    violations = verify(WINDOWS, plan)
    for phrase in words:
        assert any(phrase in v for v in violations), (phrase, violations)


LINKED = scenario(
    [person("lead"), person("helper")],
    [
        item("bid", load="0.5", weeks=2),
        item("award", load="0.5", weeks=2, after=(After("bid", Estimate.exact(1)),)),
        item("support", load="0.2", weeks=2, alongside="bid"),
        item("deliver", load="0.2", weeks=1, committed_to="bid"),
    ],
)


def test_a_dropped_link_in_the_problem_builder_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    tasks_for = problem_module._tasks_for

    def unlinked(*args):  # type: ignore[no-untyped-def]
        return [replace(t, after=(), alongside=None, committed_to=None) for t in tasks_for(*args)]

    monkeypatch.setattr(problem_module, "_tasks_for", unlinked)
    problem = build_problem(LINKED, "base")
    # Award starts while the bid runs, support a week after it, delivery is left out.
    plan = plan_of(problem, {"bid": ("lead", 0), "award": ("lead", 1), "support": ("helper", 1)})
    violations = verify(LINKED, plan)
    for phrase in (
        "award: starts week 1, before bid ends (week 2) plus 1 weeks",
        "support: must start with bid (week 0)",
        "deliver: must be done exactly when bid is (with)",
        "tasks it follows of task award: the plan says none, the scenario gives bid (lag 1)",
        "task it runs alongside of task support: the plan says none, the scenario gives bid",
    ):
        assert any(phrase in v for v in violations), (phrase, violations)


def test_only_the_first_differences_are_named(good_plan: Plan) -> None:
    tasks = tuple(
        replace(t, load=Decimal("0.1"), duration=t.duration + 1) for t in good_plan.problem.tasks
    )
    violations = verify(
        SCENARIO, replace(good_plan, problem=replace(good_plan.problem, tasks=tasks))
    )
    differences = [v for v in violations if "differs from the scenario's" in v]
    assert len(differences) == MAX_DIFFERENCES + 1
    assert differences[-1].endswith(f"{2 * len(WORK) - MAX_DIFFERENCES} more differences")


def test_missing_and_reordered_tasks_are_named(good_plan: Plan) -> None:
    problem = good_plan.problem
    missing = replace(good_plan, problem=replace(problem, tasks=problem.tasks[:-1]))
    reordered = replace(good_plan, problem=replace(problem, tasks=problem.tasks[::-1]))
    assert "differs from the scenario's: task spare: in the scenario, not in the plan" in "\n".join(
        verify(SCENARIO, missing)
    )
    assert verify(SCENARIO, reordered) == [
        "the plan's problem differs from the scenario's: the tasks are in another order than "
        "the scenario's"
    ]


def test_a_plan_for_an_unknown_option_is_refused(good_plan: Plan) -> None:
    other = scenario(list(SCENARIO.team), WORK, options=[StaffingOption("other", "Other")])
    assert verify(other, good_plan) == [
        "the plan is for option 'base', which the scenario does not have"
    ]


# Where both are right, the verifier's derivation and the problem builder's agree.

DAY = timedelta(days=1)


def _range(draw: st.DrawFn, values: list[str]) -> Estimate:
    low, high = sorted(
        Decimal(v) for v in (draw(st.sampled_from(values)), draw(st.sampled_from(values)))
    )
    return Estimate(low, high)


@st.composite
def varied_scenarios(draw: st.DrawFn) -> Scenario:
    """Small scenarios with every feature the derivation covers: any weekday start and a
    part-week at the end, contracts starting and ending part-way, absences, induction, ranges
    at every point rule, posts ended, extended and added, windows, handover and links."""
    start = date(2021, 3, 29) + draw(st.integers(0, 6)) * DAY
    end = start + draw(st.integers(13, 120)) * DAY
    days = (end - start).days

    def day_in_horizon() -> date:
        return start + draw(st.integers(0, days)) * DAY

    team = []
    for i in range(draw(st.integers(1, 3))):
        first_day, last_day = sorted((day_in_horizon(), day_in_horizon()))
        begin = draw(st.sampled_from([None, first_day]))
        induction = None
        if begin is not None and draw(st.booleans()):
            induction = Induction(
                _range(draw, ["0", "1", "2.5", "3"]), _range(draw, ["0.3", "0.5", "1"])
            )
        absences = []
        for _ in range(draw(st.integers(0, 2))):
            off = day_in_horizon()
            absences.append(Absence(off, off + draw(st.integers(0, 12)) * DAY))
        team.append(
            person(
                f"p{i}",
                fte=draw(st.sampled_from(["0.4", "0.6", "0.8", "1"])),
                skills=("lead",) if i == 0 else (),
                start=begin,
                end=draw(st.sampled_from([None, last_day])),
                absences=tuple(absences),
                induction=induction,
            )
        )
    changes: list[TeamChange] = []
    for member in draw(st.lists(st.sampled_from(team), max_size=2, unique=True)):
        last_day = draw(st.sampled_from([None, day_in_horizon()]))
        if last_day is not None and draw(st.booleans()):
            changes.append(EndPost(member.id, last_day))
        else:
            changes.append(ExtendPost(member.id, last_day))
    if draw(st.booleans()):
        recruit = person(
            "recruit",
            skills=("lead",),
            start=day_in_horizon(),
            induction=Induction(_range(draw, ["1", "2", "4"]), Estimate.exact("0.5")),
        )
        changes.append(AddPost(recruit, _range(draw, ["0", "0.5", "1.3", "3"])))
    work: list[WorkItem] = []
    for i in range(draw(st.integers(1, 6))):
        release, deadline = sorted((day_in_horizon(), day_in_horizon()))
        ongoing = draw(st.booleans())
        handover = draw(st.sampled_from(list(Handover))) if ongoing else Handover.NONE
        linkable = [w.id for w in work if w.handover is Handover.NONE]
        links: dict[str, object] = {}
        if linkable and handover is Handover.NONE:
            kind = draw(st.sampled_from(["after", "alongside", "committed_to", "none"]))
            if kind == "after":
                links["after"] = (
                    After(draw(st.sampled_from(linkable)), _range(draw, ["0", "1", "1.5"])),
                )
            elif kind != "none":
                links[kind] = draw(st.sampled_from(linkable))
        work.append(
            WorkItem(
                id=f"w{i}",
                name=f"Item {i}",
                kind=WorkKind.PROJECT,
                load=_range(draw, ["0.1", "0.25", "0.3"]),
                duration_weeks=None if ongoing else _range(draw, ["0.4", "1", "2.5", "4"]),
                release=draw(st.sampled_from([None, release])),
                deadline=draw(st.sampled_from([None, deadline])),
                required_skill=draw(st.sampled_from([None, "lead"])),
                mandatory=draw(st.booleans()),
                handover=handover,
                **links,  # type: ignore[arg-type]
            )
        )
    try:
        return Scenario(
            name="varied",
            horizon=Horizon(start, end),
            assumptions=Assumptions(availability=_range(draw, ["0.8", "0.85", "1"])),
            team=tuple(team),
            work=tuple(work),
            options=(
                StaffingOption("base", "Base"),
                StaffingOption("changed", "Changed", tuple(changes)),
            ),
        )
    except InvalidValue:
        reject()  # the changes made a post invalid (ends before it starts): not a scenario


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(varied_scenarios(), st.sampled_from(list(PointRule)))
def test_the_verifier_and_the_problem_builder_agree(s: Scenario, rule: PointRule) -> None:
    for option in s.options:
        problem = build_problem(s, option.id, rule)
        # Nothing placed: every task is reported unmet, so the verifier flags only where its
        # own week grid, team, capacity, windows, durations, loads or links differ.
        assert verify(s, plan_of(problem, {})) == []


def test_the_shipped_scenario_is_derived_alike(shipped_scenario: Scenario) -> None:
    for option in shipped_scenario.options:
        for rule in PointRule:
            problem = build_problem(shipped_scenario, option.id, rule)
            assert verify(shipped_scenario, plan_of(problem, {})) == []


# -- bids: the delivery's load follows the plan's --bids mode ------------------------------

BID_WORK = [
    replace(
        item("bid", load="0.4", weeks=2, kind=WorkKind.BID),
        win_probability=Estimate.exact("0.8"),
    ),
    replace(
        item("bid-award", load="0.5", weeks=2, after=(After("bid"),), committed_to="bid"),
        kind=WorkKind.IMPLEMENTATION,
        partner_share=Estimate.exact("0.5"),
    ),
]
BID_SCENARIO = scenario([person("a")], BID_WORK, weeks=6)


@pytest.mark.parametrize("mode", list(BidMode))
def test_a_plan_under_each_bids_mode_passes(mode: BidMode) -> None:
    plan = solve(build_problem(BID_SCENARIO, "base", bids=mode))
    assert verify(BID_SCENARIO, plan) == []


def test_a_plan_whose_delivery_load_does_not_match_its_mode_is_caught() -> None:
    # Planned as if every bid were won, but labelled the expected case: the award's load
    # is the team's whole share (0.25), not 0.8 x 0.25 = 0.2.
    won = solve(build_problem(BID_SCENARIO, "base", bids=BidMode.WON))
    relabelled = replace(won, problem=replace(won.problem, bids=BidMode.EXPECTED))
    problems = verify(BID_SCENARIO, relabelled)
    assert any(
        "load in FTE of task bid-award: the plan says 0.25, the scenario gives 0.2" in p
        for p in problems
    ), problems


def test_a_lost_plan_that_keeps_the_delivery_is_caught() -> None:
    expected = solve(build_problem(BID_SCENARIO, "base"))
    relabelled = replace(expected, problem=replace(expected.problem, bids=BidMode.LOST))
    problems = verify(BID_SCENARIO, relabelled)
    assert any("task bid-award: in the plan, not in the scenario" in p for p in problems)


def test_a_plan_whose_bid_weight_is_not_its_win_probability_is_caught() -> None:
    plan = solve(build_problem(BID_SCENARIO, "base"))
    tasks = tuple(replace(t, chance=Decimal(1)) if t.id == "bid" else t for t in plan.problem.tasks)
    problems = verify(BID_SCENARIO, replace(plan, problem=replace(plan.problem, tasks=tasks)))
    assert any("chance of task bid" in p for p in problems), problems


# Owned work: with owner: fixed only the owners may do it.

OWNED = scenario(
    [person("owner", fte="0.5"), person("other")],
    [replace(item("area", load="0.5", weeks=2), assigned_to=("owner",), owner=Owner.FIXED)],
    weeks=4,
)


def test_fixed_owned_work_given_to_someone_else_is_caught() -> None:
    problem = build_problem(OWNED, "base")
    assert [m.id for m in problem.skilled(problem.task("area"))] == ["owner"]
    good = plan_of(problem, {"area": ("owner", 0)})
    assert verify(OWNED, good) == []
    moved = plan_of(problem, {"area": ("other", 0)})
    assert verify(OWNED, moved) == ["area (other, weeks 0-1): only its owners (owner) may do it"]


# The line manager's time inducting a new starter (para 26): work the problem adds itself.

STARTER = person(
    "starter",
    start=week(2),
    induction=Induction(Estimate.exact(3), Estimate.exact("0.5"), Estimate.exact("0.2")),
)
INDUCTING = scenario(
    [person("manager", skills=("manage",)), person("other"), STARTER], [item("job")], weeks=8
)


def test_the_induction_task_is_derived_alike_and_kept_with_a_manager() -> None:
    problem = build_problem(INDUCTING, "base")
    task = problem.task("starter-induction")
    assert (task.name, task.load, task.earliest_start, task.duration, task.mandatory) == (
        "Induction of Starter",
        Decimal("0.2"),
        2,
        3,
        True,
    )
    assert task.required_skill == "manage" and problem.item_name(task.item_id) == task.name
    plan = solve(problem)
    assert verify(INDUCTING, plan) == []
    assert ("starter-induction", "manager", 2) in {
        (a.task_id, a.staff_id, a.start_week) for a in plan.assignments
    }
    wrong = plan_of(problem, {"starter-induction": ("other", 2)})
    assert verify(INDUCTING, wrong) == [
        "starter-induction (other, weeks 2-4): needs skill 'manage', which other lacks"
    ]
    dropped = drop(plan, "starter-induction", report_unmet=False)
    assert "starter-induction: neither delivered nor reported unmet" in verify(INDUCTING, dropped)


def test_no_induction_task_when_the_starter_never_starts_in_the_horizon() -> None:
    late = replace(STARTER, contract_start=week(9))
    s = replace(INDUCTING, team=(INDUCTING.team[0], INDUCTING.team[1], late))
    assert [t.id for t in build_problem(s, "base").tasks] == ["job"]
    cut = replace(STARTER, contract_start=week(6))  # two of its three weeks are planned
    s = replace(INDUCTING, team=(INDUCTING.team[0], INDUCTING.team[1], cut))
    assert build_problem(s, "base").task("starter-induction").duration == 2
    assert verify(s, solve(build_problem(s, "base"))) == []
