"""Work given as effort: stints that pause, run side by side and pass between people.

The rules (capacity/domain/work.py, EffortRule): the effort is cut into stints of the
item's load; at most max_load / load of them run in a week; at most max_people take
part, each giving at least min_share; work that comes whole is done all or none; stints
start on a grid of whole stints counted from either end of the window. Each rule is
checked three ways here: the problem lays it out, the solver and the greedy planner keep
it, and the verifier catches a plan that breaks it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from capacity.domain.estimate import Estimate
from capacity.domain.problem import build_problem
from capacity.domain.scenario import Scenario
from capacity.domain.work import After, Priority, WorkItem, WorkKind
from capacity.errors import InvalidValue
from capacity.plan import Assignment
from capacity.solver import SolverSettings, solve
from capacity.solver.greedy import greedy_plan
from capacity.verifier import verify
from tests.conftest import item, person, scenario, week

FAST = SolverSettings(time_limit_seconds=20, tie_break_deterministic_seconds=0)


def effort_item(
    item_id: str = "review", effort: str = "3.2", load: str = "0.2", **fields: object
) -> WorkItem:
    base = item(item_id, load=load, weeks=None)
    return replace(base, effort=Estimate.exact(effort), **fields)  # type: ignore[arg-type]


def two_officers(work: list[WorkItem], weeks: int = 16) -> Scenario:
    return scenario([person("ann"), person("bob")], work, weeks=weeks)


def bid_with_delivery(**delivery: object) -> list[WorkItem]:
    """A high-priority bid (won at 0.5) and its delivery given as effort: 8 FTE-weeks, half
    of it the partners', up to 0.4 a week; ``delivery`` adds or replaces its fields."""
    bid = item("bid", load="0.5", weeks=2, kind=WorkKind.BID, priority=Priority.HIGH)
    bid = replace(bid, win_probability=Estimate.exact("0.5"))
    fields: dict[str, object] = {
        "committed_to": "bid",
        "after": (After("bid"),),
        "partner_share": Estimate.exact("0.5"),
        "max_load": Estimate.exact("0.4"),
        "kind": WorkKind.IMPLEMENTATION,
        **delivery,
    }
    return [bid, effort_item("bid-award", effort="8", **fields)]


# -- the problem ------------------------------------------------------------------------


def test_effort_is_cut_into_stints_with_a_shorter_last_one() -> None:
    # 3.0 FTE-weeks at 0.2: three whole stints of 4 weeks (2.4) and 3 weeks for the 0.6 left.
    problem = build_problem(two_officers([effort_item(effort="3.0")]), "base")
    stints = [t for t in problem.tasks if t.item_id == "review"]
    assert [t.id for t in stints] == ["review#1", "review#2", "review#3", "review#4"]
    assert [t.duration for t in stints] == [4, 4, 4, 3]
    assert sum(t.demand_fte_weeks for t in stints) == Decimal("3.0")
    assert all(t.effort is not None and t.effort.stints == 4 for t in stints)


def test_demand_rounds_up_to_whole_weeks_of_the_stint_load() -> None:
    problem = build_problem(two_officers([effort_item(effort="0.5")]), "base")
    (stint,) = problem.tasks
    assert stint.duration == 3  # 0.5 / 0.2 = 2.5 weeks, up to 3
    assert stint.demand_fte_weeks == Decimal("0.6")


def test_a_bid_delivery_given_as_effort_is_scaled_by_the_teams_expected_share() -> None:
    problem = build_problem(two_officers(bid_with_delivery()), "base")
    stints = [t for t in problem.tasks if t.item_id == "bid-award"]
    # 8 x (1 - 0.5) x 0.5 = 2.0 FTE-weeks: stints of 0.2 x 4 weeks, 2 whole and one of 2.
    assert sum(t.demand_fte_weeks for t in stints) == Decimal("2.0")
    assert all(t.effort is not None and t.effort.whole for t in stints)  # comes with the bid


# -- the planners keep the rules ----------------------------------------------------------


def _load_by_week(assignments: list[Assignment], item_id: str) -> dict[int, Decimal]:
    load: dict[int, Decimal] = {}
    for a in assignments:
        if a.item_id == item_id:
            for w in range(a.start_week, a.end_week):
                load[w] = load.get(w, Decimal(0)) + a.load_fte
    return load


@pytest.mark.parametrize("planner", ["cp-sat", "greedy"])
def test_effort_is_shared_and_paced_within_its_limits(planner: str) -> None:
    # 6.4 FTE-weeks in 16 weeks: at one 0.2 stint at a time it cannot fit (3.2 at most);
    # with max_load 0.4 (two at once) and two people it can.
    work = [effort_item(effort="6.4", max_load=Estimate.exact("0.4"), max_people=2)]
    busy = item("busy", load="0.8", weeks=16, mandatory=True)  # leaves ann 0.2 a week
    sc = scenario([person("ann"), person("bob", fte="0.2")], [busy, *work], weeks=16)
    problem = build_problem(sc, "base")
    plan = solve(problem, FAST) if planner == "cp-sat" else greedy_plan(problem)
    assert verify(sc, plan) == []
    load = _load_by_week(list(plan.assignments), "review")
    assert max(load.values()) <= Decimal("0.4")
    assert {a.staff_id for a in plan.assignments if a.item_id == "review"} == {"ann", "bob"}
    if planner == "cp-sat":
        assert plan.solver.status.value == "optimal"
        assert sum(load.values()) == Decimal("6.4")  # all of it fits, shared


def test_one_person_only_when_max_people_is_one() -> None:
    work = [effort_item(effort="6.4", max_load=Estimate.exact("0.4"), max_people=1)]
    sc = scenario([person("ann", fte="0.2"), person("bob", fte="0.2")], work, weeks=16)
    plan = solve(build_problem(sc, "base"), FAST)
    assert verify(sc, plan) == []
    assert len({a.staff_id for a in plan.assignments}) == 1
    assert plan.delivered_fte_weeks == Decimal("3.2")  # one person's 0.2 for 16 weeks


def test_whole_effort_is_all_or_nothing() -> None:
    whole = effort_item(
        effort="4.0", partial=False, priority=Priority.HIGH, max_load=Estimate.exact("0.4")
    )
    sc = scenario([person("ann", fte="0.2")], [whole], weeks=12)  # room for 2.4 of it
    plan = solve(build_problem(sc, "base"), FAST)
    assert verify(sc, plan) == []
    assert plan.delivered_fte_weeks == 0
    partial = replace(whole, partial=True)
    sc = scenario([person("ann", fte="0.2")], [partial], weeks=12)
    plan = solve(build_problem(sc, "base"), FAST)
    assert plan.delivered_fte_weeks == Decimal("2.4")


def test_min_share_keeps_a_helper_from_doing_a_token_stint() -> None:
    # Ann can give 0.2 a week for 8 weeks (1.6); the rest could go to Bob in one stint
    # (0.8), but a least share of 1.6 rules that out: Bob does all of his or none.
    work = [
        effort_item(
            effort="2.4",
            max_load=Estimate.exact("0.4"),
            max_people=2,
            min_share=Estimate.exact("1.6"),
        )
    ]
    sc = scenario([person("ann", fte="0.2"), person("bob", fte="0.2")], work, weeks=8)
    plan = solve(build_problem(sc, "base"), FAST)
    assert verify(sc, plan) == []
    given: dict[str, Decimal] = {}
    for a in plan.assignments:
        given[a.staff_id] = given.get(a.staff_id, Decimal(0)) + a.fte_weeks
    assert all(v >= Decimal("1.6") for v in given.values())


def test_stints_start_on_a_grid_from_either_end_of_the_window() -> None:
    sc = two_officers([effort_item(effort="0.8", release=week(1))], weeks=11)
    problem = build_problem(sc, "base")
    rule = problem.tasks[0].effort
    assert rule is not None
    # window weeks 1-10 (end 11): starts 1, 5 (from the start) and 3, 7 (back from the end)
    allowed = [w for w in range(11 - 4 + 1) if rule.may_start(w, 4)]
    assert allowed == [1, 3, 5, 7]


# -- the verifier catches broken plans --------------------------------------------------------


def _placed(sc: Scenario, placed: dict[str, tuple[str, int]]) -> list[str]:
    from tests.conftest import hand_built_plan

    with pytest.raises(Exception) as caught:
        hand_built_plan(sc, "base", placed)
    return [str(caught.value)]


def test_verifier_catches_too_many_stints_at_once() -> None:
    sc = two_officers([effort_item(effort="1.6")])  # max_load = load: one at a time
    (message,) = _placed(sc, {"review#1": ("ann", 0), "review#2": ("bob", 0)})
    assert "2 stints run in week 0, at most 1" in message


def test_verifier_catches_too_many_people() -> None:
    sc = two_officers([effort_item(effort="1.6")])  # max_people 1
    (message,) = _placed(sc, {"review#1": ("ann", 0), "review#2": ("bob", 4)})
    assert "shared by 2 people (ann, bob), at most 1" in message


def test_verifier_catches_a_share_below_the_least() -> None:
    sc = two_officers(
        [
            effort_item(
                effort="2.4",
                max_people=2,
                min_share=Estimate.exact("1.6"),
                max_load=Estimate.exact("0.4"),
            )
        ]
    )
    (message,) = _placed(
        sc, {"review#1": ("ann", 0), "review#2": ("ann", 4), "review#3": ("bob", 0)}
    )
    assert "bob gives 0.8 FTE-weeks, below the least share of 1.6" in message


def test_verifier_catches_whole_work_part_done() -> None:
    sc = two_officers([effort_item(effort="1.6", partial=False)])
    (message,) = _placed(sc, {"review#1": ("ann", 0)})
    assert "1 of its 2 stints done; it comes whole" in message


def test_verifier_catches_a_stint_off_its_grid() -> None:
    sc = two_officers([effort_item(effort="0.8")], weeks=16)
    (message,) = _placed(sc, {"review#1": ("ann", 1)})
    assert "off its grid" in message


def test_verifier_catches_stints_laid_out_differently() -> None:
    sc = two_officers([effort_item(effort="1.6")])
    plan = greedy_plan(build_problem(sc, "base"))
    changed = replace(sc, work=(effort_item(effort="2.4"),))
    problems = verify(changed, plan)
    assert any("review#3: in the scenario, not in the plan" in p for p in problems)


# -- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "key", "words"),
    [
        ({"duration_weeks": Estimate.exact(4)}, "duration", "not both"),
        ({"max_load": Estimate.exact("0.1")}, "max_load", "below the load of one stint"),
        ({"min_share": Estimate.exact("9")}, "min_share", "more than the whole effort"),
        ({"max_people": 0}, "max_people", "at least 1"),
        ({"alongside": "other"}, "alongside", "no start week to share"),
    ],
)
def test_effort_fields_are_checked(fields: dict[str, object], key: str, words: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        effort_item(**fields)
    assert caught.value.place == key
    assert words in str(caught.value)


def test_effort_only_fields_need_effort() -> None:
    with pytest.raises(InvalidValue, match="applies only to work given as effort"):
        replace(item("x"), max_people=2)


def test_effort_that_could_never_fit_its_window_is_refused() -> None:
    with pytest.raises(InvalidValue, match="can never fit"):
        two_officers([effort_item(effort="5", deadline=week(4) - timedelta(days=1))], weeks=16)


def test_nothing_can_follow_work_given_as_effort() -> None:
    follower = item("next", after=(After("review"),))
    with pytest.raises(InvalidValue, match="given as effort"):
        two_officers([effort_item(), follower])


def test_bad_effort_fields_are_all_reported_with_file_and_line(tmp_path) -> None:
    from pathlib import Path

    from click.testing import CliRunner

    from capacity.cli import cli

    source = Path(__file__).parent / "data" / "small-team.yaml"
    text = source.read_text(encoding="utf-8").replace(
        "work:\n",
        "work:\n"
        "  - id: both-shapes\n"
        "    name: Effort and duration at once\n"
        "    kind: review\n"
        "    effort: {value: 4, assumption: test}\n"
        "    load: {value: 0.2, assumption: test}\n"
        "    duration: {value: 4 weeks, assumption: test}\n"
        "  - id: too-little-room\n"
        "    name: Most load below a stint\n"
        "    kind: review\n"
        "    effort: {value: 2, assumption: test}\n"
        "    load: {value: 0.3, assumption: test}\n"
        "    max_load: {value: 0.2, assumption: test}\n"
        "  - id: no-effort\n"
        "    name: People limit on a block\n"
        "    kind: review\n"
        "    load: {value: 0.3, assumption: test}\n"
        "    max_people: 2\n",
        1,
    )
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = text.splitlines()
    for key, words in (
        ("duration", "not both"),
        ("max_load", "below the load of one stint"),
        ("max_people", "applies only to work given as effort"),
    ):
        line = next(
            i for i, t in enumerate(lines, start=1) if t.strip().startswith(f"{key}:") and i > 21
        )
        assert f"bad.yaml:{line}:" in result.output, (key, result.output)
        assert words in result.output
    assert path.read_bytes() == before  # input files are never modified


def test_a_least_share_is_scaled_with_the_teams_share_of_a_delivery() -> None:
    # The delivery is 8 FTE-weeks, the team's expected share 8 x 0.5 x 0.5 = 2.0; a least
    # share of 3 (of the whole delivery) is 0.75 of the team's part, so the bid and its
    # delivery can still be done (unscaled, no one could give 3 of 2.0 and both vanished).
    delivery = {"max_people": 2, "min_share": Estimate.exact("3")}
    sc = two_officers(bid_with_delivery(**delivery), weeks=30)
    problem = build_problem(sc, "base")
    rule = next(t.effort for t in problem.tasks if t.effort is not None)
    assert rule is not None and rule.min_share == Decimal("0.75")
    plan = solve(problem, FAST)
    assert verify(sc, plan) == []
    assert {a.item_id for a in plan.assignments} == {"bid", "bid-award"}


def test_a_negative_least_share_is_refused() -> None:
    with pytest.raises(InvalidValue, match="must be 0 or more"):
        effort_item(min_share=Estimate.exact("-1"))
