"""Time-to-best recording for the benchmark: the planner's solution log, and the peer's."""

from __future__ import annotations

import logging

from conftest import item, person, scenario

from capacity.domain import build_problem
from capacity.solver import solve
from capacity.solver.solve import SOLUTION_LOG
from capacity_bench.progress import Trajectory
from capacity_bench.pyjobshop_peer import pyjobshop_plan


def small_problem():
    work = [item(f"x{i}", load="0.4", weeks=3, mandatory=i % 4 == 0) for i in range(12)]
    return build_problem(scenario([person("a"), person("b")], work, weeks=10), "base")


def key(plan):
    return plan.solver.unmet_mandatory_fte_weeks, plan.solver.weighted_unmet_optional


def test_listening_records_our_improving_solutions_up_to_the_plan() -> None:
    problem = small_problem()
    with Trajectory().listening() as trajectory:
        plan = solve(problem)
    steps = [
        (s.unmet_mandatory_fte_weeks, s.weighted_unmet_optional) for s in trajectory.improvements
    ]
    assert steps, "the solve logged no solution"
    assert steps == sorted(steps, reverse=True)  # each one improves on the last
    assert steps[-1] == key(plan)
    assert trajectory.time_to_reach(*key(plan)) == trajectory.improvements[-1].seconds


def test_nothing_is_recorded_outside_the_block_and_the_logger_is_restored() -> None:
    logger = logging.getLogger(SOLUTION_LOG)
    level, propagate = logger.level, logger.propagate
    with Trajectory().listening() as trajectory:
        pass
    plan = solve(small_problem())
    assert trajectory.improvements == []
    assert (logger.level, logger.propagate, logger.handlers) == (level, propagate, [])
    assert trajectory.time_to_reach(*key(plan)) is None


def test_the_peers_trajectory_ends_at_its_plan() -> None:
    run = pyjobshop_plan(small_problem())
    last = run.trajectory.improvements[-1]
    assert (last.unmet_mandatory_fte_weeks, last.weighted_unmet_optional) == key(run.plan)
