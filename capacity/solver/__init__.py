"""The CP-SAT planner. This package is the only one that imports ``ortools``."""

from capacity.solver.solve import DETERMINISTIC_SECONDS_PER_PHASE, SolverSettings, solve

__all__ = ["DETERMINISTIC_SECONDS_PER_PHASE", "SolverSettings", "solve"]
