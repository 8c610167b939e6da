"""Re-solving a few months at a time (capacity/solver/time_windows.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from capacity.domain.estimate import Estimate
from capacity.domain.problem import build_problem
from capacity.domain.work import Priority
from capacity.solver import SolverSettings, solve
from capacity.solver.cpsat import PlanModel
from capacity.solver.solve import _better, _fits
from capacity.solver.time_windows import _random_parts, improve_by_time_windows, time_windows
from capacity.verifier import verify
from tests.conftest import item, person, scenario


@pytest.mark.parametrize(
    ("weeks", "expected"),
    [
        (10, [(0, 10)]),  # shorter than a window: one window, the whole horizon
        (26, [(0, 26)]),
        (52, [(0, 26), (13, 39), (26, 52)]),
        (60, [(0, 26), (13, 39), (26, 52), (39, 60)]),  # the last one reaches the end
    ],
)
def test_windows_overlap_by_half_and_cover_the_horizon(weeks, expected) -> None:
    assert time_windows(weeks) == expected


def effort_scenario(weeks: int = 60):
    def effort(item_id: str, priority: Priority) -> object:
        base = item(item_id, load="0.2", weeks=None, priority=priority)
        return replace(base, effort=Estimate.exact("4"), max_load=Estimate.exact("0.4"))

    work = [effort(f"review-{i}", [Priority.HIGH, Priority.LOW][i % 2]) for i in range(8)]
    work += [item(f"block-{i}", load="0.5", weeks=6) for i in range(4)]
    return scenario([person("ann"), person("bob")], work, weeks=weeks)


def _from_nothing(s) -> tuple[PlanModel, dict]:
    """The model of the scenario's one option, minimising unmet optional work, and the
    plan that does nothing (which meets every rule)."""
    plan_model = PlanModel(build_problem(s, "base"))
    plan_model.model.minimize(plan_model.unmet_expression(mandatory=False))
    return plan_model, {var: 0 for group in plan_model.groups for var in group.starts.values()}


def test_windows_improve_an_empty_plan_and_keep_every_rule() -> None:
    s = effort_scenario()
    plan_model, nothing = _from_nothing(s)
    problem, settings = plan_model.problem, SolverSettings()
    improved, work, solved = improve_by_time_windows(
        plan_model,
        nothing,
        budget=4.0,
        deadline=float("inf"),
        configure=settings.apply,
        better=lambda a, b: _better(plan_model, a, b),
    )
    assert solved >= len(time_windows(problem.n_weeks))
    assert 0 < work <= 4.0 + 0.5  # each window stops at its share (within CP-SAT's step)
    assert plan_model.unmet_value(False, improved) < plan_model.unmet_value(False, nothing)
    assert _fits(plan_model, improved)


def test_random_parts_improve_a_plan_keep_every_rule_and_repeat_exactly() -> None:
    s = overloaded_scenario()
    plan_model, nothing = _from_nothing(s)
    settings = SolverSettings()

    def parts(seed: int) -> tuple[dict, float, int]:
        return _random_parts(
            plan_model,
            nothing,
            1.0,
            float("inf"),
            settings.apply,
            lambda a, b: _better(plan_model, a, b),
            seed,
        )

    improved, work, solved = parts(0)
    assert solved >= 4  # each part stops at its quarter of a second, or sooner
    assert work <= 1.0 + 0.3
    assert plan_model.unmet_value(False, improved) < plan_model.unmet_value(False, nothing)
    assert _fits(plan_model, improved)
    again, again_work, again_solved = parts(0)
    assert (again, again_work, again_solved) == (improved, work, solved)


def test_with_a_budget_one_sweep_then_random_parts_spend_it() -> None:
    s = overloaded_scenario()
    plan_model, nothing = _from_nothing(s)
    problem, settings = plan_model.problem, SolverSettings()
    _, work, solved = improve_by_time_windows(
        plan_model,
        nothing,
        budget=2.0,
        deadline=float("inf"),
        configure=settings.apply,
        better=lambda a, b: _better(plan_model, a, b),
    )
    # One sweep of four windows, then parts until the budget is spent (not cut short).
    assert solved > len(time_windows(problem.n_weeks))
    assert 2.0 - 0.05 <= work <= 2.0 + 0.3


def overloaded_scenario(weeks: int = 60):
    """More work of three priorities, as effort and as blocks, than two people can do."""

    def effort(item_id: str, priority: Priority, effort: str, load: str) -> object:
        base = item(item_id, load=load, weeks=None, priority=priority)
        return replace(base, effort=Estimate.exact(effort), max_load=Estimate.exact("0.6"))

    priorities = [Priority.HIGH, Priority.MEDIUM, Priority.LOW]
    sizes = [("4.4", "0.2"), ("6.2", "0.3"), ("3.1", "0.1")]
    work = [effort(f"review-{i}", priorities[i % 3], *sizes[i % 3]) for i in range(10)]
    work += [
        item(
            f"block-{i}",
            load=["0.5", "0.4", "0.3"][i % 3],
            weeks=5 + i % 4,
            priority=priorities[(i + 1) % 3],
        )
        for i in range(8)
    ]
    return scenario([person("ann"), person("bob", fte="0.5")], work, weeks=weeks)


def test_the_solver_goes_on_by_windows_when_the_whole_model_is_not_proven() -> None:
    # A budget far too small for the whole model to prove anything: the windows follow,
    # and the plan they give is verified.
    s = overloaded_scenario()
    plan = solve(build_problem(s, "base"), SolverSettings(deterministic_time_limit=0.05))
    assert plan.solver.status.value == "feasible"
    assert plan.solver.parameters["time_windows_solved"] > 0
    assert verify(s, plan) == []


def test_a_horizon_of_a_year_or_less_is_solved_whole() -> None:
    s = overloaded_scenario(weeks=40)
    plan = solve(build_problem(s, "base"), SolverSettings(deterministic_time_limit=0.05))
    assert plan.solver.status.value == "feasible"
    assert plan.solver.parameters["time_windows_solved"] == 0


def test_a_plan_proven_optimal_by_the_whole_model_needs_no_windows() -> None:
    s = effort_scenario()
    plan = solve(build_problem(s, "base"), SolverSettings(deterministic_time_limit=5.0))
    assert plan.solver.status.value == "optimal"
    assert plan.solver.parameters["time_windows_solved"] == 0


def test_a_what_if_started_from_its_bases_plan_goes_on_by_windows_even_within_a_year() -> None:
    # A year or less is solved whole from scratch (above), but a what-if started from a
    # plan of its base is improved a few months at a time around whatever changed.
    s = overloaded_scenario(weeks=40)
    settings = SolverSettings(deterministic_time_limit=0.05)
    base_plan = solve(build_problem(s, "base"), settings)
    assert base_plan.solver.parameters["time_windows_solved"] == 0
    fewer = replace(s, team=(s.team[0], replace(s.team[1], fte=Estimate.exact("0.3").low)))
    plan = solve(build_problem(fewer, "base"), settings, start_from=base_plan)
    assert plan.solver.status.value == "feasible"
    assert plan.solver.parameters["time_windows_solved"] > 0
    assert verify(fewer, plan) == []
