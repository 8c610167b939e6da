"""The greedy planner: a valid plan by priority, earliest start, least-loaded person."""

from __future__ import annotations

import random
from datetime import timedelta

from conftest import item, linked_scenario, person, scenario, week
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import small_scenarios

from capacity.domain import After, Estimate, Priority, build_problem
from capacity.domain.team import Absence
from capacity.plan import SolveStatus
from capacity.solver import solve
from capacity.solver.greedy import greedy_plan, repaired_plan
from capacity.verifier import verify


def greedy(s, option="base"):
    plan = greedy_plan(build_problem(s, option))
    assert verify(s, plan) == []
    return plan


def by_task(plan):
    return {a.task_id: a for a in plan.assignments}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_scenarios())
def test_every_greedy_plan_passes_the_verifier(s) -> None:
    plan = greedy(s)
    assert plan.solver.status is SolveStatus.FEASIBLE  # a heuristic proves nothing
    assert (
        plan.delivered_fte_weeks + plan.unmet_fte_weeks
        == build_problem(s, "base").total_demand_fte_weeks
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_scenarios())
def test_cp_sat_is_never_worse_than_greedy(s) -> None:
    problem = build_problem(s, "base")
    ours, baseline = solve(problem).solver, greedy(s).solver
    assert (ours.unmet_mandatory_fte_weeks, ours.weighted_unmet_optional) <= (
        baseline.unmet_mandatory_fte_weeks,
        baseline.weighted_unmet_optional,
    )


def test_mandatory_work_goes_first_whatever_the_order_given() -> None:
    work = [
        item("optional", load="0.6", weeks=4, priority=Priority.HIGH),
        item("statutory", load="0.6", weeks=4, mandatory=True, priority=Priority.LOW),
    ]
    plan = greedy(scenario([person("a")], work, weeks=4))
    assert set(by_task(plan)) == {"statutory"}


def test_higher_priority_first_then_earliest_start() -> None:
    work = [
        item("low", load="1", weeks=2, priority=Priority.LOW),
        item("high", load="1", weeks=2, priority=Priority.HIGH),
    ]
    plan = greedy(scenario([person("a")], work, weeks=3))
    assert by_task(plan)["high"].start_week == 0
    assert "low" not in by_task(plan)  # only one week is left


def test_the_least_loaded_eligible_person_gets_the_work() -> None:
    team = [person("a"), person("b"), person("c", skills=("lead",))]
    work = [
        item("first", load="0.6", weeks=4),
        item("second", load="0.3", weeks=4),
        item("third", load="0.3", weeks=4),
    ]
    plan = greedy(scenario(team, work, weeks=4))
    people = {task: a.staff_id for task, a in by_task(plan).items()}
    assert people == {"first": "a", "second": "b", "third": "c"}


def test_linked_work_is_placed_together_or_not_at_all() -> None:
    # The award needs 0.8 for 3 weeks after the bid; the person has room for the bid only.
    work = [
        item("bid", load="0.5", weeks=2),
        item(
            "award",
            load="0.8",
            weeks=3,
            committed_to="bid",
            after=(After("bid", Estimate.exact(0)),),
        ),
    ]
    plan = greedy(scenario([person("a", end=week(4))], work, weeks=6))
    assert plan.assignments == ()
    assert {u.task_id for u in plan.unmet} == {"bid", "award"}


def test_after_work_starts_after_its_predecessor_and_the_lag() -> None:
    work = [
        item("needs", load="0.5", weeks=2),
        item("tender", load="0.5", weeks=2, after=(After("needs", Estimate.exact(1)),)),
    ]
    plan = greedy(scenario([person("a")], work, weeks=8))
    assert by_task(plan)["tender"].start_week == by_task(plan)["needs"].end_week + 1


def test_ongoing_work_stays_with_whoever_did_last_month() -> None:
    from capacity.domain import Handover

    team = [person("a"), person("b")]
    work = [item("portfolio", load="0.2", weeks=None, handover=Handover.MONTHLY)]
    plan = greedy(scenario(team, work, weeks=13))
    assert {a.staff_id for a in plan.assignments} == {"a"}
    assert len(plan.assignments) >= 3


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_greedy_respects_links_handover_and_dips(seed) -> None:
    s = linked_scenario(random.Random(seed))
    greedy(s)  # verified inside


def test_owned_work_goes_to_its_owner_when_they_have_room_later() -> None:
    from dataclasses import replace

    owned = replace(
        item("area", load="0.5", weeks=2, priority=Priority.LOW), assigned_to=("owner",)
    )
    first = item("first", load="0.5", weeks=2, priority=Priority.HIGH, skill="owners-only")
    s = scenario(
        [person("other"), person("owner", fte="0.5", skills=("owners-only",))],
        [first, owned],
        weeks=4,
    )
    plan = greedy_plan(build_problem(s, "base"))
    # The owner is busy in weeks 0-1; the area waits for them instead of moving.
    assert {(a.task_id, a.staff_id, a.start_week) for a in plan.assignments} == {
        ("first", "owner", 0),
        ("area", "owner", 2),
    }


# -- a plan kept where it still fits (repaired_plan: a what-if's, a sample's start) ------


def placements(plan):
    return {a.task_id: (a.staff_id, a.start_week) for a in plan.assignments}


def test_a_plan_that_still_fits_is_kept_as_it_was() -> None:
    # Greedy would put both at week 0 on the least-loaded people; the kept plan has them
    # elsewhere, and still fits, so it is kept exactly.
    team = [person("a"), person("b")]
    work = [item("one", load="0.5", weeks=2), item("two", load="0.5", weeks=2)]
    s = scenario(team, work, weeks=6)
    kept = {"one": ("b", 3), "two": ("b", 1)}
    plan = repaired_plan(build_problem(s, "base"), kept)
    assert verify(s, plan) == []
    assert placements(plan) == kept


def test_kept_work_that_no_longer_fits_moves_and_the_rest_stays() -> None:
    # The plan was made before a was off in weeks 2-3: the statutory work a had there
    # moves (same start, to b), the work that still fits stays where it was.
    absent = person("a", absences=(Absence(week(2), week(4) - timedelta(days=1)),))
    team = [absent, person("b")]
    work = [
        item("statutory", load="0.6", weeks=3, mandatory=True),
        item("other", load="0.4", weeks=2, release=week(4)),
    ]
    s = scenario(team, work, weeks=6)
    plan = repaired_plan(build_problem(s, "base"), {"statutory": ("a", 1), "other": ("a", 4)})
    assert verify(s, plan) == []
    assert placements(plan) == {"statutory": ("b", 1), "other": ("a", 4)}


def test_a_kept_plan_that_would_leave_statutory_work_undone_is_planned_afresh() -> None:
    # Keeping "optional" where it was leaves no room for the statutory work (which the
    # earlier plan did not have): the mandatory work goes first, the optional work after.
    s = scenario(
        [person("a")],
        [item("optional", load="1", weeks=2), item("statutory", load="1", weeks=2, mandatory=True)],
        weeks=3,
    )
    plan = repaired_plan(build_problem(s, "base"), {"optional": ("a", 0)})
    assert verify(s, plan) == []
    assert "statutory" in placements(plan)
    assert plan.solver.unmet_mandatory_fte_weeks == 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_scenarios(), st.randoms(use_true_random=False))
def test_a_repaired_plan_passes_the_verifier_and_is_never_worse_than_greedy(s, rng) -> None:
    problem = build_problem(s, "base")
    baseline = greedy(s)
    # An earlier plan of a nearby scenario: the greedy plan, some of it moved or reassigned.
    people = [m.id for m in problem.staff]
    earlier = {
        task_id: (rng.choice(people), max(0, start + rng.randint(-2, 2)))
        if rng.random() < 0.4
        else (staff_id, start)
        for task_id, (staff_id, start) in placements(baseline).items()
    }
    plan = repaired_plan(problem, earlier)
    assert verify(s, plan) == []
    assert (plan.solver.unmet_mandatory_fte_weeks, plan.solver.weighted_unmet_optional) <= (
        baseline.solver.unmet_mandatory_fte_weeks,
        baseline.solver.weighted_unmet_optional,
    )
