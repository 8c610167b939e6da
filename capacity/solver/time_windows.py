"""Improving a plan a few months at a time: re-solve one window of weeks, the rest fixed.

Work given as effort ties its stints together across people (at most so many at once,
shared by at most so many people, each giving at least a least share), so it cannot be
cut into the per-person neighbourhoods of :mod:`capacity.solver.neighbourhoods`. It can be
cut in time: every start that lies wholly outside a window of weeks is fixed at the
current plan's value, and CP-SAT re-solves the whole model - every rule still in it -
with only the window's starts free. The rest of the model is fixed, so presolve removes
it and the search is that of a problem a few months long, which CP-SAT often proves
optimal. Windows overlap by half, so work that crosses a window's edge is free in the
next; a round sweeps the horizon from the start, and rounds repeat while one improves the
plan. Each window's result is kept only if it is better, so the plan never gets worse;
with a deterministic budget (the default), each window's search stops at its share of it,
so the result is the same on every run.

Measured on 2026-12-01 (one worker; weighted unmet optional FTE-weeks, lower is better),
first with a prototype of this module: on the two-year scenario's option 4 the whole model
for 15 deterministic seconds stayed at 306.5 (the greedy plan's 300.1 was better), and
40-week windows at 5 each took it to 118.3 in one round and 108.6 in two; on the shipped
2021/22 option 4 the whole model for 6 and then 26-week windows at 2 each gave 192.5 ->
130.0, against 135.5 from the whole model alone for 15. As used by
:mod:`capacity.solver.solve` (26-week windows sharing 60% of each phase's budget over
horizons longer than a year, where it pays from scratch, and 90% for a what-if started
from its base's plan over any horizon: figures there), the two-year options went from
2 / 2 / 6 / 6 to 12 / 12 / 13 / 12 of their 14 bids at the default budget.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from capacity.solver.cpsat import PlanModel

Values = dict[cp_model.IntVar, int]

WINDOW_WEEKS = 26
"""Weeks in a window: half a year, so a tender or a bid's delivery fits in one."""

ROUNDS = 2
"""Sweeps of the horizon at most (the budget is shared out for this many)."""


def time_windows(n_weeks: int, width: int = WINDOW_WEEKS) -> list[tuple[int, int]]:
    """(first week, week after the last) of each window, overlapping by half, covering the
    horizon; one window if the horizon is no longer than a window."""
    if n_weeks <= width:
        return [(0, n_weeks)]
    step = max(1, width // 2)
    windows = []
    start = 0
    while True:
        end = min(n_weeks, start + width)
        windows.append((start, end))
        if end == n_weeks:
            return windows
        start += step


def improve_by_time_windows(
    plan_model: PlanModel,
    values: Values,
    budget: float | None,
    deadline: float,
    configure: Callable[[cp_model.CpSolver], None],
    better: Callable[[Values, Values], Values],
) -> tuple[Values, float, int]:
    """Re-solve the model window by window from ``values`` (a complete, feasible plan).

    The model's objective (and any constraint a phase added to it) stays as it is: this
    improves the plan for whatever the current phase minimises.

    Parameters
    ----------
    plan_model
        The model, with the phase's objective.
    values
        Start-variable values of a plan that meets every constraint.
    budget
        CP-SAT deterministic seconds for all windows together; ``None``: the wall-clock
        time left before ``deadline``, shared out alike.
    deadline
        ``time.perf_counter()`` value after which no window is started.
    configure
        Sets the solver's parameters (seed, workers, wall-clock limit).
    better
        The better of two plans (the first on a tie).

    Returns
    -------
    tuple
        The best plan found, the deterministic time spent, and the windows solved.
    """
    windows = time_windows(plan_model.problem.n_weeks)
    planned = len(windows) * ROUNDS
    each = None if budget is None else budget / planned
    starts = [
        (week, week + group.first.duration, var)
        for group in plan_model.groups
        for (_, week), var in group.starts.items()
    ]
    work, solved = 0.0, 0
    for _ in range(ROUNDS):
        improved = False
        for first, end in windows:
            if time.perf_counter() >= deadline:
                return values, work, solved
            window = plan_model.model.clone()
            # Everything that does not touch the window stays where the plan has it.
            for week, until, var in starts:
                if until <= first or week >= end:
                    window.add(window.get_int_var_from_proto_index(var.index) == values[var])
            window.clear_hints()
            for var, value in plan_model.complete(values).items():
                window.add_hint(window.get_int_var_from_proto_index(var.index), value)
            solver = cp_model.CpSolver()
            configure(solver)
            left = max(0.01, deadline - time.perf_counter())
            if each is None:
                solver.parameters.max_time_in_seconds = left / max(1, planned - solved)
            else:
                solver.parameters.max_deterministic_time = each
                solver.parameters.max_time_in_seconds = left
            status = solver.solve(window)
            work += solver.deterministic_time
            solved += 1
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                # The window is a clone: its variables have the model's indices.
                found = {var: int(solver.value(var)) for var in values}
                kept = better(values, found)
                improved = improved or kept is found
                values = kept
        if not improved:
            break
    return values, work, solved
