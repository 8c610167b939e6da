"""The benchmark's interval model (capacity_bench/interval_model.py): on tiny scenarios
its plans verify and reach the same optimum as the production solver's."""

from __future__ import annotations

from dataclasses import replace

import pytest

from capacity.domain.estimate import Estimate
from capacity.domain.problem import build_problem
from capacity.domain.scenario import Scenario
from capacity.domain.work import After, Priority, WorkKind
from capacity.solver import SolverSettings, solve
from capacity.verifier import verify
from capacity_bench.interval_model import interval_plan
from tests.conftest import item, person, scenario, week

FAST = SolverSettings(time_limit_seconds=20, tie_break_deterministic_seconds=0)


def crowded_blocks() -> Scenario:
    # More work than room: mandatory work first, then by priority; a 0.6 FTE post ends.
    work = [
        item("statutory", load="0.8", weeks=4, mandatory=True, deadline=week(6)),
        item("high", load="0.6", weeks=3, priority=Priority.HIGH),
        item("medium", load="0.5", weeks=4, skill="finance"),
        item("low", load="0.4", weeks=6, priority=Priority.LOW),
        item("low-2", load="0.4", weeks=6, priority=Priority.LOW),
        item("ongoing", load="0.3", weeks=None, release=week(2)),
    ]
    team = [person("ann", skills=("finance",)), person("bob", fte="0.6", end=week(5))]
    return scenario(team, work, weeks=8)


def linked_work() -> Scenario:
    # after (with a lag), alongside, and a bid with its delivery (with).
    bid = item("bid", load="0.5", weeks=2, kind=WorkKind.BID, priority=Priority.HIGH)
    work = [
        item("design", load="0.5", weeks=2),
        item("build", load="0.7", weeks=3, after=(After("design", Estimate.exact(1)),)),
        item("tender", load="0.6", weeks=3, priority=Priority.HIGH),
        item("support", load="0.3", weeks=3, alongside="tender"),
        replace(bid, win_probability=Estimate.exact("0.8")),
        item("award", load="0.5", weeks=3, committed_to="bid", after=(After("bid"),)),
    ]
    return scenario([person("ann"), person("bob", fte="0.3")], work, weeks=6)


def effort_work() -> Scenario:
    # Work given as effort: two at once, two people, a least share; and whole work.
    review = replace(
        item("review", load="0.2", weeks=None),
        effort=Estimate.exact("4.0"),
        max_load=Estimate.exact("0.4"),
        max_people=2,
        min_share=Estimate.exact("1.2"),
    )
    whole = replace(
        item("audit", load="0.2", weeks=None, priority=Priority.HIGH),
        effort=Estimate.exact("2.4"),
        partial=False,
    )
    busy = item("busy", load="0.8", weeks=12, mandatory=True)
    team = [person("ann"), person("bob", fte="0.2")]
    return scenario(team, [busy, review, whole], weeks=12)


@pytest.mark.parametrize("build", [crowded_blocks, linked_work, effort_work])
def test_interval_plan_verifies_and_matches_the_solver(build: object) -> None:
    sc = build()  # type: ignore[operator]
    problem = build_problem(sc, "base")
    today = solve(problem, FAST)
    plan, stats = interval_plan(problem, 5, hint=True)
    assert verify(sc, plan) == []
    assert today.solver.status.value == "optimal"
    assert plan.solver.status.value == "optimal", stats
    assert plan.solver.unmet_mandatory_fte_weeks == today.solver.unmet_mandatory_fte_weeks
    assert plan.solver.weighted_unmet_optional == today.solver.weighted_unmet_optional
