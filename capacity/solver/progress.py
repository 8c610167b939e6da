"""Recording how a CP-SAT search improves, for the benchmark's time-to-best figures."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal

from ortools.sat.python import cp_model


@dataclass(frozen=True)
class Improvement:
    """A solution found ``seconds`` after the run began, with its two objectives in
    solver units (unmet mandatory load x weeks; priority-weighted unmet optional)."""

    seconds: float
    unmet_mandatory_units: int
    weighted_optional_units: int


@dataclass
class Trajectory:
    """Every improving solution of a run, in order."""

    began: float = field(default_factory=time.perf_counter)
    improvements: list[Improvement] = field(default_factory=list)
    thousandths_per_unit: int = 1  # set by the solver: its scale's divisor

    def callback(
        self, mandatory: cp_model.LinearExprT, optional: cp_model.LinearExprT
    ) -> cp_model.CpSolverSolutionCallback:
        """A solution callback that records both objectives of each solution."""
        return _Recorder(self, mandatory, optional)

    def record(self, unmet_mandatory_units: int, weighted_optional_units: int) -> None:
        """Note a solution found now, if it improves on the last one."""
        step = Improvement(
            seconds=time.perf_counter() - self.began,
            unmet_mandatory_units=unmet_mandatory_units,
            weighted_optional_units=weighted_optional_units,
        )
        last = self.improvements[-1] if self.improvements else None
        if last is None or (unmet_mandatory_units, weighted_optional_units) < (
            last.unmet_mandatory_units,
            last.weighted_optional_units,
        ):
            self.improvements.append(step)

    def time_to_reach(self, unmet_mandatory: Decimal, weighted_optional: Decimal) -> float | None:
        """Seconds until a solution at least as good (lexicographically, in FTE-weeks)."""
        for step in self.improvements:
            reached = (
                self._fte(step.unmet_mandatory_units),
                self._fte(step.weighted_optional_units),
            )
            if reached <= (unmet_mandatory, weighted_optional):
                return step.seconds
        return None

    def _fte(self, units: int) -> Decimal:
        return Decimal(units * self.thousandths_per_unit) / 1000


class _Recorder(cp_model.CpSolverSolutionCallback):
    def __init__(
        self,
        trajectory: Trajectory,
        mandatory: cp_model.LinearExprT,
        optional: cp_model.LinearExprT,
    ):
        super().__init__()
        self.trajectory = trajectory
        self.mandatory = mandatory
        self.optional = optional

    def on_solution_callback(self) -> None:
        self.trajectory.record(int(self.value(self.mandatory)), int(self.value(self.optional)))
