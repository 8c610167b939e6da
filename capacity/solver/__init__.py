"""The CP-SAT planner. This package is the only one that imports ``ortools``."""

from capacity.solver.solve import SolverSettings, solve

__all__ = ["SolverSettings", "solve"]
