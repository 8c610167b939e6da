"""The CP-SAT planner. This package is the only one that imports ``ortools``."""

from capacity.solver.greedy import repaired_plan
from capacity.solver.solve import (
    DETERMINISTIC_SECONDS_PER_PHASE,
    TIME_LIMIT_SECONDS,
    SolverSettings,
    most_bids,
    solve,
)

__all__ = [
    "DETERMINISTIC_SECONDS_PER_PHASE",
    "TIME_LIMIT_SECONDS",
    "SolverSettings",
    "most_bids",
    "repaired_plan",
    "solve",
]
