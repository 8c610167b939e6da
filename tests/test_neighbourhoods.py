"""Neighbourhood search: the small problems it re-plans; its plans stay valid and never worse."""

from __future__ import annotations

import importlib
import random
from datetime import timedelta
from decimal import Decimal

import pytest
from conftest import item, linked_scenario, person, scenario, week
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import small_scenarios

from capacity.domain import After, Estimate, build_problem
from capacity.solver import SolverSettings, solve
from capacity.solver.greedy import greedy_plan
from capacity.solver.neighbourhoods import neighbourhood
from capacity.verifier import verify

# The module, not the function capacity.solver re-exports under the same name.
solve_module = importlib.import_module("capacity.solver.solve")


def key(plan):
    return plan.solver.unmet_mandatory_fte_weeks, plan.solver.weighted_unmet_optional


@pytest.fixture
def neighbourhoods_only(monkeypatch):
    """Every model counts as large, and the whole model gets no time: only neighbourhoods."""
    monkeypatch.setattr(solve_module, "NEIGHBOURHOOD_MODEL_SIZE", 0)
    monkeypatch.setattr(solve_module, "WHOLE_MODEL_SHARE", 0.0)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(small_scenarios())
def test_neighbourhood_plans_verify_and_never_lose_to_greedy(neighbourhoods_only, s) -> None:
    problem = build_problem(s, "base")
    plan = solve(problem, SolverSettings(time_limit_seconds=0.25))
    assert verify(s, plan) == []
    assert key(plan) <= key(greedy_plan(problem))


def test_neighbourhoods_improve_a_poor_start(neighbourhoods_only) -> None:
    # Greedy takes the short task listed first; then the long one no longer fits.
    work = [item("short", load="1", weeks=2), item("long", load="1", weeks=4)]
    s = scenario([person("a")], work, weeks=4)
    problem = build_problem(s, "base")
    assert {a.task_id for a in greedy_plan(problem).assignments} == {"short"}
    plan = solve(problem, SolverSettings(time_limit_seconds=2))
    assert verify(s, plan) == []
    assert plan.solver.parameters["neighbourhood_steps"] > 0
    assert {a.task_id for a in plan.assignments} == {"long"}


def test_work_tied_to_fixed_work_stays_fixed_and_capacity_is_what_fixed_work_leaves() -> None:
    team = [person("a"), person("b")]
    work = [
        item("bid", load="0.5", weeks=2),
        item(
            "award",
            load="0.5",
            weeks=2,
            committed_to="bid",
            after=(After("bid", Estimate.exact(1)),),
        ),
        item("report", load="0.3", weeks=2, after=(After("bid", Estimate.exact(0)),)),
        item("spare", load="0.2", weeks=2),
    ]
    problem = build_problem(scenario(team, work, weeks=8), "base")
    placed = {"bid": ("a", 0), "award": ("a", 3), "report": ("b", 2)}
    sub, free = neighbourhood(problem, placed, {"b"}, 0, problem.n_weeks)
    # b's report and the undelivered spare are re-planned; the bid and its award are a's.
    assert free == {"report", "spare"}
    assert [m.id for m in sub.staff] == ["b"]
    report = sub.task("report")
    assert report.after == () and report.earliest_start == 2  # after the fixed bid, lag 0
    sub_a, free_a = neighbourhood(problem, placed, {"a"}, 0, problem.n_weeks)
    # Freeing a: the award is tied to the bid (both free), but the bid has a fixed
    # follower (b's report), so the bid stays, and so does the award tied to it.
    assert free_a == {"spare"}
    assert sub_a.capacity["a"][0] == Decimal("0.5")  # the fixed bid's 0.5 is taken


def test_the_cosmetic_phase_keeps_mandatory_work_the_search_delivered(neighbourhoods_only) -> None:
    # Greedy leaves the long statutory task undone (4 FTE-weeks): the short one has as
    # little room to move and the earlier deadline, so it goes first. The neighbourhoods do
    # the long one instead of the short one (2). The handover phase must not trade that back.
    work = [
        item("short", load="1", weeks=2, mandatory=True, deadline=week(2) - timedelta(days=1)),
        item("long", load="1", weeks=4, mandatory=True),
    ]
    s = scenario([person("a")], work, weeks=4)
    problem = build_problem(s, "base")
    assert greedy_plan(problem).solver.unmet_mandatory_fte_weeks == 4
    plan = solve(problem, SolverSettings(time_limit_seconds=2, tie_break_deterministic_seconds=1))
    assert verify(s, plan) == []
    assert plan.solver.unmet_mandatory_fte_weeks == plan.unmet_mandatory_fte_weeks == 2


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.integers(0, 2**32 - 1))
def test_neighbourhoods_respect_links_handover_and_dips(neighbourhoods_only, seed) -> None:
    s = linked_scenario(random.Random(seed))
    problem = build_problem(s, "base")
    plan = solve(
        problem, SolverSettings(time_limit_seconds=0.25, tie_break_deterministic_seconds=0.5)
    )
    assert verify(s, plan) == []
    assert key(plan) <= key(greedy_plan(problem))
