"""The CP-SAT planner on tiny instances built in code; every plan is checked by the verifier."""

from __future__ import annotations

import ast
import dataclasses
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import item, person, scenario, week
from ortools.sat.python import cp_model

from capacity.domain import After, Estimate, Priority, build_problem
from capacity.pipeline import plan_option
from capacity.plan import Plan, SolveStatus
from capacity.risk.study import SAMPLE_LINEARIZATION_LEVEL, sample_settings
from capacity.solver import DETERMINISTIC_SECONDS_PER_PHASE, SolverSettings, solve
from capacity.solver.cpsat import PlanModel, set_hint
from capacity.solver.greedy import greedy_plan
from capacity.verifier import verify


def planned(s, option="base"):
    plan = solve(build_problem(s, option))
    assert verify(s, plan) == []
    return plan


def by_task(plan):
    return {a.task_id: a for a in plan.assignments}


def test_single_task_is_done_by_the_one_person() -> None:
    plan = planned(scenario([person("a")], [item("x", load="0.5", weeks=3)]))
    (a,) = plan.assignments
    assert (a.staff_id, a.end_week - a.start_week, a.load_fte) == ("a", 3, Decimal("0.5"))
    assert plan.solver.status is SolveStatus.OPTIMAL
    assert plan.unmet == ()


def test_skill_restricts_who_can_do_it() -> None:
    team = [person("lead", skills=("lead",)), person("helper")]
    plan = planned(scenario(team, [item("tender", skill="lead")]))
    assert by_task(plan)["tender"].staff_id == "lead"


def test_capacity_is_never_exceeded_and_overflow_is_unmet() -> None:
    work = [item(f"x{i}", load="0.4", weeks=4) for i in range(3)]
    plan = planned(scenario([person("a")], work, weeks=4))
    assert len(plan.assignments) == 2  # 0.4 + 0.4 fits in 1.0; a third does not
    assert len(plan.unmet) == 1
    assert plan.unmet_fte_weeks == Decimal("1.6")


def test_mandatory_work_is_never_traded_for_optional_work() -> None:
    # Optional work worth far more (high priority, bigger) competes for the same weeks.
    work = [
        item("small-mandatory", load="0.6", weeks=2, mandatory=True, priority=Priority.LOW),
        item("big-optional-1", load="0.5", weeks=4, priority=Priority.HIGH),
        item("big-optional-2", load="0.5", weeks=4, priority=Priority.HIGH),
    ]
    plan = planned(scenario([person("a")], work, weeks=4))
    assert "small-mandatory" in by_task(plan)
    assert plan.unmet_mandatory_fte_weeks == 0


def test_priority_decides_between_equal_sized_optional_items() -> None:
    work = [
        item("low", load="0.6", priority=Priority.LOW),
        item("high", load="0.6", priority=Priority.HIGH),
    ]
    plan = planned(scenario([person("a")], work, weeks=2))
    assert set(by_task(plan)) == {"high"}


def test_after_dependency_with_lag() -> None:
    work = [
        item("bid", weeks=2),
        item("award", weeks=2, after=(After("bid", Estimate.exact(1)),), committed_to="bid"),
    ]
    plan = planned(scenario([person("a")], work, weeks=6))
    done = by_task(plan)
    assert done["award"].start_week >= done["bid"].end_week + 1


def test_committed_pair_is_all_or_nothing() -> None:
    # The award cannot fit after the bid, so neither is done: a won bid must be delivered.
    work = [item("bid", weeks=2), item("award", weeks=4, after=(After("bid"),), committed_to="bid")]
    plan = planned(scenario([person("a")], work, weeks=4))
    assert plan.assignments == ()
    assert {u.task_id for u in plan.unmet} == {"bid", "award"}


def test_alongside_starts_in_the_same_week() -> None:
    work = [
        item("tender", load="0.5", weeks=3, release=week(2)),
        item("support", load="0.2", weeks=3, alongside="tender"),
    ]
    done = by_task(planned(scenario([person("a"), person("b")], work, weeks=6)))
    assert done["support"].start_week == done["tender"].start_week


def test_post_ending_moves_work_to_someone_in_post() -> None:
    team = [person("leaver", end=week(2)), person("stayer", fte="0.5")]
    plan = planned(scenario(team, [item("late", load="0.5", weeks=2, release=week(3))], weeks=6))
    assert by_task(plan)["late"].staff_id == "stayer"


def test_interchangeable_tasks_fill_capacity_in_scenario_order() -> None:
    work = [item(f"area-{i}", load="0.3", weeks=None) for i in range(4)]
    plan = planned(scenario([person("a")], work, weeks=3))
    assert [a.task_id for a in plan.assignments] == ["area-0", "area-1", "area-2"]
    assert [u.task_id for u in plan.unmet] == ["area-3"]


def test_same_input_gives_the_same_plan() -> None:
    work = [
        item(f"x{i}", load=str(Decimal("0.1") * (i % 5 + 1)), weeks=i % 3 + 1) for i in range(12)
    ]
    s = scenario([person("a"), person("b", fte="0.6")], work, weeks=6)
    first, second = planned(s), planned(s)
    assert first.assignments == second.assignments
    assert first.unmet == second.unmet


def test_a_hint_is_set_whole_and_serves_a_clone_of_the_model() -> None:
    work = [item(f"x{i}", load="0.4", weeks=2) for i in range(3)]
    plan_model = PlanModel(
        build_problem(scenario([person("a"), person("b")], work, weeks=4), "base")
    )
    starts = [var for group in plan_model.groups for var in group.starts.values()]
    values = {var: int(i % 3 == 0) for i, var in enumerate(starts)}
    expected = plan_model.model.clone()
    expected.clear_hints()
    for var, value in values.items():
        expected.add_hint(var, value)
    set_hint(plan_model.model, {var: 1 for var in starts})  # an earlier hint, replaced
    set_hint(plan_model.model, values)
    clone = plan_model.model.clone()
    set_hint(clone, values)
    for model in (plan_model.model, clone):
        assert list(model.proto.solution_hint.vars) == list(expected.proto.solution_hint.vars)
        assert list(model.proto.solution_hint.values) == list(expected.proto.solution_hint.values)


def test_a_capacity_row_weighs_each_start_by_its_own_load() -> None:
    # Three single weeks of work (0.2, 0.3, 0.6 of a person) cannot all fit in one week
    # of a full-time person: one row, each start weighted by its load in load units.
    work = [item(f"x{i}", load=load, weeks=1) for i, load in enumerate(["0.2", "0.3", "0.6"])]
    plan_model = PlanModel(build_problem(scenario([person("a")], work, weeks=1), "base"))
    units = {
        var.index: group.load_units for group in plan_model.groups for var in group.starts.values()
    }
    rows = [
        c.linear
        for c in plan_model.model.proto.constraints
        if c.linear.vars and set(c.linear.vars) == set(units) and list(c.linear.domain)[1] > 1
    ]
    assert len(rows) == 1
    assert dict(zip(rows[0].vars, rows[0].coeffs, strict=True)) == units
    assert list(rows[0].domain)[1] == plan_model.capacity_units["a"][0]
    assert sorted(units.values()) == [2, 3, 6]


def test_time_limit_still_returns_a_verified_plan() -> None:
    work = [item(f"x{i}", load="0.3", weeks=2) for i in range(30)]
    s = scenario([person("a"), person("b")], work, weeks=10)
    plan = plan_option(s, "base", SolverSettings(time_limit_seconds=0.1))
    assert plan.solver.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    assert verify(s, plan) == []


def test_only_the_solver_package_imports_ortools() -> None:
    # The planner's rule. capacity_bench, beside the package, is the benchmark's own code:
    # its PyJobShop peer is CP-SAT too, so it is not scanned.
    package = Path(__file__).resolve().parent.parent / "capacity"
    offenders = []
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] == "ortools" for n in names) and "solver" not in path.parts:
                offenders.append(str(path.relative_to(package)))
    assert offenders == []


def test_scaling_uses_the_greatest_common_divisor() -> None:
    from capacity.solver.scaling import Scale

    scale = Scale.for_values([Decimal("0.45"), Decimal("0.55"), Decimal("0.85")])
    assert [scale.to_units(Decimal(v)) for v in ("0.45", "0.55", "0.85")] == [9, 11, 17]
    assert scale.to_fte(17) == Decimal("0.85")
    odd = Scale.for_values([Decimal("0.3"), Decimal("0.6")])
    assert odd.to_units(Decimal("0.3")) == 1  # not a blanket x1000


def test_a_time_limit_too_short_for_any_search_still_gives_a_verified_plan() -> None:
    work = [item(f"x{i}", load="0.3", weeks=3, mandatory=i % 3 == 0) for i in range(60)]
    s = scenario([person("a"), person("b"), person("c")], work, weeks=20)
    plan = plan_option(s, "base", SolverSettings(time_limit_seconds=0.001))
    assert verify(s, plan) == []
    if plan.solver.status is SolveStatus.FEASIBLE:
        assert plan.solver.gap > 0  # never claims optimality it has not proven


def test_preferred_owned_work_stays_with_its_owner_unless_it_must_move() -> None:
    from dataclasses import replace

    from capacity.domain.work import Owner

    owned = replace(item("area", load="0.5", weeks=2), assigned_to=("owner",))
    assert owned.owner is Owner.PREFERRED
    # The owner has room: the plan keeps the area with them, though the other has more.
    room = scenario([person("other"), person("owner", fte="0.5")], [owned], weeks=4)
    plan = solve(build_problem(room, "base"))
    assert [(a.task_id, a.staff_id) for a in plan.assignments] == [("area", "owner")]
    # The owner has no room (a mandatory block fills them): the area moves, and is done.
    full = item("fill", load="0.5", weeks=4, mandatory=True, skill="owners-only")
    busy = scenario(
        [person("other"), person("owner", fte="0.5", skills=("owners-only",))],
        [owned, full],
        weeks=4,
    )
    plan = solve(build_problem(busy, "base"))
    assert {(a.task_id, a.staff_id) for a in plan.assignments} == {
        ("area", "other"),
        ("fill", "owner"),
    }


def test_an_owner_is_not_interchangeable_with_an_identical_colleague() -> None:
    # Ann and Bob have the same skills and capacity, but the work is Bob's alone: the
    # symmetry breaking between interchangeable people must not make the first (Ann)
    # carry at least Bob's work, which would rule the work out.
    from dataclasses import replace as with_fields

    from capacity.domain.work import Owner

    owned = with_fields(item("x", load="1", weeks=4), assigned_to=("bob",), owner=Owner.FIXED)
    s = scenario([person("ann"), person("bob")], [owned], weeks=8)
    plan = solve(build_problem(s, "base"), SolverSettings(time_limit_seconds=5))
    assert verify(s, plan) == []
    assert [(a.task_id, a.staff_id) for a in plan.assignments] == [("x", "bob")]


def test_a_replan_starts_from_the_previous_plan_and_keeps_a_plan_that_still_fits() -> None:
    # The what-if drops one item of the base: the base plan still fits, so with no search
    # at all (a budget too small to improve anything) the re-plan is at least as good as
    # the base plan without that item - and verified.
    work = [item(f"x{i}", load="0.5", weeks=3, priority=Priority.HIGH) for i in range(10)]
    base = scenario([person("a"), person("b")], work, weeks=9)
    base_plan = planned(base)
    what_if = scenario([person("a"), person("b")], work[1:], weeks=9)
    tiny = SolverSettings(deterministic_time_limit=0.001, tie_break_deterministic_seconds=0)
    replanned = plan_option(what_if, "base", tiny, explain=False, start_from=base_plan)
    assert verify(what_if, replanned) == []
    kept = {a.task_id for a in base_plan.assignments} - {"x0"}
    assert {a.task_id for a in replanned.assignments} >= kept


def test_a_previous_plan_that_no_longer_fits_is_only_a_hint() -> None:
    # Person b has left in the what-if: the previous plan used b, so it cannot be the plan
    # to beat; the re-plan is still verified and puts the work on a alone.
    work = [item(f"x{i}", load="1", weeks=2) for i in range(4)]
    base_plan = planned(scenario([person("a"), person("b")], work, weeks=4))
    assert {a.staff_id for a in base_plan.assignments} == {"a", "b"}
    a_left_alone = scenario([person("a")], work, weeks=4)
    replanned = plan_option(a_left_alone, "base", explain=False, start_from=base_plan)
    assert verify(a_left_alone, replanned) == []
    assert len(replanned.assignments) == 2
    assert {a.staff_id for a in replanned.assignments} == {"a"}


def test_a_previous_plan_over_capacity_is_not_taken_as_the_plan_to_beat() -> None:
    # In the what-if, a's capacity halves: the old placements (both at once) would
    # overbook a, so only one of the two fits.
    work = [item(f"x{i}", load="0.5", weeks=2) for i in range(2)]
    base_plan = planned(scenario([person("a")], work, weeks=2))
    assert len(base_plan.assignments) == 2
    halved = scenario([person("a", fte="0.5")], work, weeks=2)
    tiny = SolverSettings(deterministic_time_limit=0.001, tie_break_deterministic_seconds=0)
    replanned = plan_option(halved, "base", tiny, explain=False, start_from=base_plan)
    assert verify(halved, replanned) == []
    assert len(replanned.assignments) == 1


def test_a_previous_plan_is_repaired_before_the_search_starts_from_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # b is away in weeks 0-1 of the what-if, so b's first item no longer fits: the search
    # starts from the previous plan kept where it still fits (repaired_plan, tested in
    # test_greedy.py), not from the greedy plan or a plan that breaks the rules.
    import sys

    from capacity.domain.team import Absence
    from capacity.solver.greedy import repaired_plan

    solve_module = sys.modules["capacity.solver.solve"]
    given: list[dict[str, tuple[str, int]]] = []

    def recorded(problem, previous):  # type: ignore[no-untyped-def]
        given.append(dict(previous))
        return repaired_plan(problem, previous)

    monkeypatch.setattr(solve_module, "repaired_plan", recorded)
    work = [item(f"x{i}", load="1", weeks=2) for i in range(4)]
    base_plan = planned(scenario([person("a"), person("b")], work, weeks=6))
    away = person("b", absences=(Absence(week(0), week(2) - timedelta(days=1)),))
    what_if = scenario([person("a"), away], work, weeks=6)
    replanned = plan_option(what_if, "base", explain=False, start_from=base_plan)
    assert verify(what_if, replanned) == []
    assert given == [{a.task_id: (a.staff_id, a.start_week) for a in base_plan.assignments}]
    assert len(replanned.assignments) == 4


def test_a_short_replan_from_a_previous_plan_presolves_lightly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # On the what-if page's budget every search of a re-plan from a previous plan gets the
    # lighter presolve (LIGHT_PRESOLVE_BUDGET); on the default budget, and from scratch,
    # CP-SAT's full presolve stays. The plan's report says which.
    from capacity.domain.team import Absence

    probing: list[int] = []
    real_solve = cp_model.CpSolver.solve

    def recorded(self, model, callback=None):  # type: ignore[no-untyped-def]
        if model.has_objective():  # not the check that a starting plan fits
            probing.append(self.parameters.cp_model_probing_level)
        return real_solve(self, model, callback)

    monkeypatch.setattr(cp_model.CpSolver, "solve", recorded)
    work = [item(f"x{i}", load="0.5", weeks=3, priority=Priority.HIGH) for i in range(6)]
    base_plan = planned(scenario([person("a"), person("b")], work, weeks=12))
    away = person("b", absences=(Absence(week(0), week(3) - timedelta(days=1)),))
    what_if = scenario([person("a"), away], work, weeks=12)
    default_probing = cp_model.CpSolver().parameters.cp_model_probing_level

    def replanned(settings: SolverSettings, start: Plan | None) -> Plan:
        probing.clear()
        plan = plan_option(what_if, "base", settings, explain=False, start_from=start)
        assert verify(what_if, plan) == []
        return plan

    page = replanned(SolverSettings.for_search_budget(1.0), base_plan)
    assert probing and set(probing) == {0}
    assert page.solver.parameters["light_presolve"] is True
    page_from_scratch = SolverSettings.for_search_budget(1.0)
    for settings, start in ((SolverSettings(), base_plan), (page_from_scratch, None)):
        plan = replanned(settings, start)
        assert probing and set(probing) == {default_probing} != {0}
        assert plan.solver.parameters["light_presolve"] is False


def test_an_option_the_change_leaves_alone_keeps_the_plan_it_starts_from(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Only a name differs: the planner is given the same problem, so the plan it starts
    # from is the answer (checked again), with no solve.
    import capacity.pipeline

    work = [item(f"x{i}", load="0.5", weeks=3) for i in range(3)]
    base = scenario([person("a")], work, weeks=6)
    base_plan = planned(base)
    renamed = dataclasses.replace(base, name="renamed")
    monkeypatch.setattr(capacity.pipeline, "solve", lambda *a, **k: pytest.fail("solved"))
    again = plan_option(renamed, "base", explain=False, start_from=base_plan)
    assert again.assignments == base_plan.assignments
    assert again.problem.scenario is renamed


def test_a_chosen_search_budget_gives_the_tidying_phase_its_share() -> None:
    # The default budget gives exactly the default settings (so cached plans stay valid);
    # a small one (the what-if page's) shortens the presentation-only phase with it, and a
    # large one never lengthens it past the default.
    assert SolverSettings.for_search_budget(DETERMINISTIC_SECONDS_PER_PHASE) == SolverSettings()
    page = SolverSettings.for_search_budget(1.0, time_limit_seconds=60, seed=3)
    assert page.deterministic_time_limit == 1.0
    assert page.tie_break_deterministic_seconds == 0.133
    assert (page.time_limit_seconds, page.seed) == (60, 3)
    assert SolverSettings.for_search_budget(60).tie_break_deterministic_seconds == 2.0


def test_mandatory_work_the_greedy_plan_misses_is_planned_and_proven() -> None:
    # The greedy plan gives the first mandatory item to the only person who can lead a
    # tender, so the tender is left undone; a second tender cannot be done beside it at all.
    team = [person("lead", skills=("lead",)), person("helper", fte="0.6")]
    work = [
        item("anyone", load="0.6", weeks=4, mandatory=True),
        item("tender", load="0.6", weeks=4, skill="lead", mandatory=True),
        item("second-tender", load="0.6", weeks=4, skill="lead", mandatory=True),
        item("optional", load="0.4", weeks=4),
    ]
    s = scenario(team, work, weeks=4)
    problem = build_problem(s, "base")
    assert greedy_plan(problem).unmet_mandatory_fte_weeks == Decimal("4.8")  # the premise
    plan = planned(s)
    assert by_task(plan)["anyone"].staff_id == "helper"
    assert plan.unmet_mandatory_fte_weeks == Decimal("2.4")
    # Phase 1 proves the mandatory optimum (its bound is reached), and phase 2 fills the
    # room left around that mandatory work.
    assert plan.solver.mandatory_bound_fte_weeks == plan.unmet_mandatory_fte_weeks
    assert plan.solver.status is SolveStatus.OPTIMAL
    assert "optional" in by_task(plan)


def test_a_settings_linearization_level_reaches_cp_sat() -> None:
    for settings, level in ((SolverSettings(), 2), (sample_settings(), SAMPLE_LINEARIZATION_LEVEL)):
        solver = cp_model.CpSolver()
        settings.apply(solver)
        assert solver.parameters.linearization_level == level
    assert SAMPLE_LINEARIZATION_LEVEL == 1


def test_sampled_plans_presolve_lightly_and_plans_from_scratch_fully() -> None:
    full, light = cp_model.CpSolver(), cp_model.CpSolver()
    SolverSettings().apply(full)
    sample_settings().apply(light)
    assert (
        full.parameters.cp_model_probing_level
        == cp_model.CpSolver().parameters.cp_model_probing_level
    )
    assert full.parameters.max_presolve_iterations > 1
    assert light.parameters.cp_model_probing_level == 0
    assert light.parameters.symmetry_level == 0
    assert not light.parameters.find_big_linear_overlap
    assert light.parameters.max_presolve_iterations == 1
