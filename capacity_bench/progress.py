"""Recording how a search improves, for the benchmark's time-to-best figures.

Our planner reports each improving solution on the ``capacity.solver`` logger
(see :mod:`capacity.solver.solve`); :meth:`Trajectory.listening` collects them
while a solve runs. PyJobShop's model is solved here, so its solutions are
recorded by a CP-SAT solution callback (:meth:`Trajectory.callback`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from ortools.sat.python import cp_model

from capacity.solver.scaling import Scale
from capacity.solver.solve import SOLUTION_LOG


@dataclass(frozen=True)
class Improvement:
    """A solution found ``seconds`` after the run began, with its two objectives in
    FTE-weeks (unmet mandatory demand; priority-weighted unmet optional demand)."""

    seconds: float
    unmet_mandatory_fte_weeks: Decimal
    weighted_unmet_optional: Decimal


@dataclass
class Trajectory:
    """Every improving solution of a run, in order."""

    began: float = field(default_factory=time.perf_counter)
    improvements: list[Improvement] = field(default_factory=list)

    def record(self, unmet_mandatory: Decimal, weighted_optional: Decimal) -> None:
        """Note a solution found now, if it improves on the last one."""
        step = Improvement(
            seconds=time.perf_counter() - self.began,
            unmet_mandatory_fte_weeks=unmet_mandatory,
            weighted_unmet_optional=weighted_optional,
        )
        last = self.improvements[-1] if self.improvements else None
        if last is None or (unmet_mandatory, weighted_optional) < (
            last.unmet_mandatory_fte_weeks,
            last.weighted_unmet_optional,
        ):
            self.improvements.append(step)

    def time_to_reach(self, unmet_mandatory: Decimal, weighted_optional: Decimal) -> float | None:
        """Seconds until a solution at least as good (lexicographically, in FTE-weeks)."""
        for step in self.improvements:
            reached = (step.unmet_mandatory_fte_weeks, step.weighted_unmet_optional)
            if reached <= (unmet_mandatory, weighted_optional):
                return step.seconds
        return None

    @contextmanager
    def listening(self) -> Iterator[Trajectory]:
        """Record the solutions our planner reports while the ``with`` block runs."""
        logger = logging.getLogger(SOLUTION_LOG)
        handler = _Listener(self)
        level, propagate = logger.level, logger.propagate
        logger.setLevel(logging.DEBUG)
        logger.propagate = False  # the benchmark's records, not output for any root handler
        logger.addHandler(handler)
        try:
            yield self
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
            logger.propagate = propagate

    def callback(
        self, mandatory: cp_model.LinearExprT, optional: cp_model.LinearExprT, scale: Scale
    ) -> cp_model.CpSolverSolutionCallback:
        """A solution callback that records both objectives (in ``scale``'s units) of each
        solution of a CP-SAT model built outside our planner."""
        return _Recorder(self, mandatory, optional, scale)


class _Listener(logging.Handler):
    def __init__(self, trajectory: Trajectory):
        super().__init__(logging.DEBUG)
        self.trajectory = trajectory

    def emit(self, record: logging.LogRecord) -> None:
        self.trajectory.record(
            record.__dict__["unmet_mandatory_fte_weeks"],
            record.__dict__["weighted_unmet_optional"],
        )


class _Recorder(cp_model.CpSolverSolutionCallback):
    def __init__(
        self,
        trajectory: Trajectory,
        mandatory: cp_model.LinearExprT,
        optional: cp_model.LinearExprT,
        scale: Scale,
    ):
        super().__init__()
        self.trajectory = trajectory
        self.mandatory = mandatory
        self.optional = optional
        self.scale = scale

    def on_solution_callback(self) -> None:
        self.trajectory.record(
            self.scale.to_fte(int(self.value(self.mandatory))),
            self.scale.weighted_to_fte(int(self.value(self.optional))),
        )
