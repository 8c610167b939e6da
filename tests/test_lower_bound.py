"""The lower bounds (flow LP, time-indexed LP, per-person): never above a verified plan's
unmet demand; each at least as tight as the one before; tight where it must be."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from conftest import item, linked_scenario, person, scenario, week
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import small_scenarios

from capacity.domain import Priority, build_problem
from capacity.solver import solve
from capacity.solver.greedy import greedy_plan
from capacity.verifier import verify
from capacity_bench.lower_bound import unmet_lower_bound

ONE_DAY = timedelta(days=1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_scenarios())
def test_bound_never_exceeds_a_verified_plans_unmet_demand(s) -> None:
    problem = build_problem(s, "base")
    for plan in (solve(problem), greedy_plan(problem)):
        assert verify(s, plan) == []
        report = plan.solver
        level = report.unmet_mandatory_fte_weeks
        flow = unmet_lower_bound(problem, mandatory_level=level)
        blocks = unmet_lower_bound(problem, mandatory_level=level, relaxation="time-indexed")
        people = unmet_lower_bound(problem, mandatory_level=level, relaxation="per-person")
        for bound in (flow, blocks, people):
            assert bound.unmet_mandatory_fte_weeks <= report.unmet_mandatory_fte_weeks
            assert bound.weighted_unmet_optional <= report.weighted_unmet_optional
        # Every time-indexed solution is a flow solution: its bound is at least as tight.
        assert blocks.unmet_mandatory_fte_weeks >= flow.unmet_mandatory_fte_weeks
        assert blocks.weighted_unmet_optional >= flow.weighted_unmet_optional
        # The per-person bound takes the LP's own certificate where it is better.
        assert people.unmet_mandatory_fte_weeks >= blocks.unmet_mandatory_fte_weeks
        assert people.weighted_unmet_optional >= blocks.weighted_unmet_optional


def test_bound_is_exact_when_splitting_cannot_help() -> None:
    # The only person leaves as week 2 begins: work released then cannot be done.
    work = [
        item("fixed", load="0.4", weeks=None, mandatory=True, deadline=week(2) - ONE_DAY),
        item("too-late", load="0.5", weeks=2, priority=Priority.HIGH, release=week(2)),
        item("fits", load="0.5", weeks=2, priority=Priority.LOW),
    ]
    s = scenario([person("a", end=week(2))], work, weeks=4)
    problem = build_problem(s, "base")
    bound = unmet_lower_bound(problem)
    plan = solve(problem)
    assert bound.unmet_mandatory_fte_weeks == plan.solver.unmet_mandatory_fte_weeks == 0
    # too-late is unmet in every plan: 0.5 x 2 weeks x weight 4.
    assert bound.weighted_unmet_optional == plan.solver.weighted_unmet_optional == Decimal("4")


def test_bound_sees_that_mandatory_work_cannot_all_be_done() -> None:
    work = [item(f"m{i}", load="0.6", weeks=4, mandatory=True) for i in range(2)]
    problem = build_problem(scenario([person("a")], work, weeks=4), "base")
    bound = unmet_lower_bound(problem)
    # Splitting lets 1.0 of the 1.2 a week through: at least 0.2 x 4 unmet.
    assert bound.unmet_mandatory_fte_weeks == Decimal("0.8")
    assert solve(problem).solver.unmet_mandatory_fte_weeks == Decimal("2.4")  # the true optimum


def test_time_indexed_bound_sees_that_a_block_cannot_skip_a_busy_week() -> None:
    # Week 1 has 0.5 free; a two-week block at 0.6 must cover it, wherever it starts.
    work = [
        item(
            "fixed",
            load="0.5",
            weeks=1,
            mandatory=True,
            release=week(1),
            deadline=week(2) - ONE_DAY,
        ),
        item("block", load="0.6", weeks=2, deadline=week(3) - ONE_DAY),
    ]
    problem = build_problem(scenario([person("a")], work, weeks=3), "base")
    flow = unmet_lower_bound(problem)
    blocks = unmet_lower_bound(problem, relaxation="time-indexed")
    people = unmet_lower_bound(problem, relaxation="per-person")
    assert flow.weighted_unmet_optional == 0  # split over weeks 0, 1 and 2, it fits
    # Whole blocks: at most 0.5/0.6 of one fits, so 1/6 of 1.2 FTE-weeks, x2 (medium).
    assert blocks.weighted_unmet_optional == Decimal("0.4")
    assert solve(problem).solver.weighted_unmet_optional == Decimal("2.4")  # none fits
    # In whole blocks a person's week cannot hold the block beside the fixed work; priced at
    # the LP's duals (not the best prices), that closes most of the gap, not all of it.
    assert Decimal("0.4") < people.weighted_unmet_optional <= Decimal("2.4")


def test_per_person_bound_sees_that_two_lumpy_blocks_do_not_share_a_week() -> None:
    # Two blocks at 0.6 for one person: the LP fits 1/0.6 of a block in the week, whole
    # blocks only one.
    work = [item(f"t{i}", load="0.6", weeks=2, priority=Priority.MEDIUM) for i in range(2)]
    problem = build_problem(scenario([person("a")], work, weeks=2), "base")
    blocks = unmet_lower_bound(problem, relaxation="time-indexed")
    people = unmet_lower_bound(problem, relaxation="per-person")
    plan = solve(problem)
    assert blocks.weighted_unmet_optional < people.weighted_unmet_optional
    # One block of 0.6 x 2 weeks, weight 2, is left in every plan.
    assert people.weighted_unmet_optional == plan.solver.weighted_unmet_optional == Decimal("2.4")


def test_bound_reports_its_size() -> None:
    problem = build_problem(scenario([person("a"), person("b")], [item("x", weeks=2)]), "base")
    bound = unmet_lower_bound(problem)
    assert bound.variables == 2 * 8  # two people x eight weeks in the window
    assert bound.constraints > 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_bounds_hold_with_links_handover_and_dips(seed) -> None:
    s = linked_scenario(random.Random(seed))
    problem = build_problem(s, "base")
    plan = solve(problem)
    assert verify(s, plan) == []
    level = plan.solver.unmet_mandatory_fte_weeks
    for relaxation in ("flow", "time-indexed", "per-person"):
        bound = unmet_lower_bound(problem, mandatory_level=level, relaxation=relaxation)
        assert bound.unmet_mandatory_fte_weeks <= level
        assert bound.weighted_unmet_optional <= plan.solver.weighted_unmet_optional
