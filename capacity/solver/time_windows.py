"""Improving a plan a part at a time: re-solve a window of weeks, or a random part of the
plan, with the rest fixed.

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

A sweep settles in a plan no window can improve: on the two-year scenario's option 4, a
tender left undone because the two people who can lead one are booked, in other months,
with work someone else could do. So from scratch over more than a year one sweep is
followed by random parts (:data:`RANDOM_PARTS_SHARE`): two people's work over a span of
months, or a random share of the pieces of work wherever they are, as CP-SAT's own
neighbourhoods do on more than one worker (where, unlike here, the result depends on
timing).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from capacity.solver.cpsat import PlanModel, set_hint

Values = dict[cp_model.IntVar, int]

WINDOW_WEEKS = 26
"""Weeks in a window: half a year, so a tender or a bid's delivery fits in one."""

ROUNDS = 2
"""Sweeps of the horizon at most (the budget is shared out for this many)."""

RANDOM_PARTS_SHARE = 0.5
"""With a deterministic budget, the share of it for random parts (:func:`_random_parts`),
after one sweep of the windows on the rest. A sweep settles where no window of half a
year can move a tender past the work in its way; CP-SAT's own large-neighbourhood search
(which only runs on more than one worker, so not reproducibly) showed that freeing other
shapes of the plan goes on improving it. Measured 2026-12-02 on the two-year scenario's
option 4 at the default budget (weighted unmet optional FTE-weeks, one option at a time
on an idle 2-core machine): two sweeps 197.1 in 35 s; one sweep and random parts on this
share 130.3 in 60 s (options 1-3: 307.6 / 240.5 / 204.9 -> 303.6 / 237.2 / 193.6, 45-75 s
each, two side by side); 10 more deterministic seconds of random parts a phase gave 118.0
in 127 s. For reference, CP-SAT on two workers from the 197.1 plan reached 149.8 in 26 s
and 60.4 in 400 s (not reproducible, no useful bound); on one worker, the whole model from
that plan for 90 s, 145.6 (98.8 at linearization level 1). The parts cost about four times
their deterministic time in wall time (CP-SAT's presolve of the whole model, which its
deterministic clock under-counts), so a what-if started from its base's plan, a change of
a few months, is improved by the sweeps alone."""

PART_WORK = 0.25
"""Deterministic seconds for each random part: most are settled (proven or stuck) in a
tenth of a second; CP-SAT's own neighbourhoods use 0.1."""

MOST_PARTS_PER_PART_WORK = 25
"""At most this many parts for each :data:`PART_WORK` of the budget (a hundred a
deterministic second: the parts of the two-year scenario average over 0.03 each)."""

PART_PEOPLE = 2
"""People freed together in a part of the first kind (over :data:`PART_WEEKS`)."""

PART_WEEKS = (26, 39, 52)
"""Lengths, in weeks, of the span a part of the first kind frees (chosen at random)."""

PART_GROUP_SHARE = 0.4
"""The chance that a piece of work is freed whole in a part of the second kind."""


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
    seed: int = 0,
    random_parts: bool = True,
) -> tuple[Values, float, int]:
    """Re-solve the model window by window from ``values`` (a complete, feasible plan),
    then, with a deterministic budget and ``random_parts``, part by random part.

    The model's objective (and any constraint a phase added to it) stays as it is: this
    improves the plan for whatever the current phase minimises.

    Parameters
    ----------
    plan_model
        The model, with the phase's objective.
    values
        Start-variable values of a plan that meets every constraint.
    budget
        CP-SAT deterministic seconds for all windows and parts together: one sweep of
        the windows on :data:`RANDOM_PARTS_SHARE` less than the budget, then random
        parts until the budget is spent; without ``random_parts``, up to :data:`ROUNDS`
        sweeps share it. ``None``: the wall-clock time left before ``deadline``, shared
        out alike between up to :data:`ROUNDS` sweeps, no parts.
    deadline
        ``time.perf_counter()`` value after which no window is started.
    configure
        Sets the solver's parameters (seed, workers, wall-clock limit).
    better
        The better of two plans (the first on a tie).
    seed
        Seeds the choice of random parts: the same seed, the same parts.
    random_parts
        Whether random parts follow the sweep (with a deterministic budget only).

    Returns
    -------
    tuple
        The best plan found, the deterministic time spent, and the windows and parts
        solved.
    """
    windows = time_windows(plan_model.problem.n_weeks)
    parts = random_parts and budget is not None
    rounds = 1 if parts else ROUNDS
    planned = len(windows) * rounds
    sweep_budget = None if budget is None else budget * (1 - RANDOM_PARTS_SHARE * parts)
    each = None if sweep_budget is None else sweep_budget / planned
    starts = [
        (week, week + group.first.duration, var)
        for group in plan_model.groups
        for (_, week), var in group.starts.items()
    ]
    work, solved = 0.0, 0
    for _ in range(rounds):
        improved = False
        for first, end in windows:
            if time.perf_counter() >= deadline:
                return values, work, solved
            # Everything that does not touch the window stays where the plan has it.
            free = {var.index for week, until, var in starts if until > first and week < end}
            left = max(0.01, deadline - time.perf_counter())
            limit = left / max(1, planned - solved) if each is None else None
            found, spent = _solve_part(plan_model, values, free, configure, each, limit, left)
            work += spent
            solved += 1
            if found is not None:
                kept = better(values, found)
                improved = improved or kept is found
                values = kept
        if not improved:
            break
    if parts and budget is not None:
        values, spent, solved_parts = _random_parts(
            plan_model, values, budget - work, deadline, configure, better, seed
        )
        work += spent
        solved += solved_parts
    return values, work, solved


def _random_parts(
    plan_model: PlanModel,
    values: Values,
    budget: float,
    deadline: float,
    configure: Callable[[cp_model.CpSolver], None],
    better: Callable[[Values, Values], Values],
    seed: int,
) -> tuple[Values, float, int]:
    """Re-solve random parts of the plan, the rest fixed, until ``budget`` deterministic
    seconds are spent: by turns, :data:`PART_PEOPLE` people's work over a span of weeks,
    and a random share of the pieces of work whole (wherever and by whoever done). The
    parts come from a generator seeded with ``seed``, so the same plan and budget give
    the same result."""
    chooser = random.Random(seed)
    staff = sorted(plan_model.capacity_units)
    n_weeks = plan_model.problem.n_weeks
    work, solved, tried = 0.0, 0, 0
    # Parts that settle at once spend next to nothing: a cap on their number, so that the
    # budget, never the wall-clock backstop, ends the search.
    most = max(1, math.ceil(MOST_PARTS_PER_PART_WORK * budget / PART_WORK))
    while work < budget and tried < most and time.perf_counter() < deadline:
        free: set[int] = set()
        if tried % 2 == 0:
            people = set(chooser.sample(staff, min(len(staff), PART_PEOPLE)))
            span = min(n_weeks, chooser.choice(PART_WEEKS))
            first = chooser.randrange(n_weeks - span + 1)
            free = {
                var.index
                for group in plan_model.groups
                for (staff_id, week), var in group.starts.items()
                if staff_id in people
                and week < first + span
                and week + group.first.duration > first
            }
        else:
            for group in plan_model.groups:
                if chooser.random() < PART_GROUP_SHARE:
                    free.update(var.index for var in group.starts.values())
        tried += 1  # drawn, and counted against the cap, even if nothing is free
        if not free:
            continue  # those people have nothing in those weeks: nothing to solve
        solved += 1
        found, spent = _solve_part(
            plan_model,
            values,
            free,
            configure,
            min(PART_WORK, max(0.01, budget - work)),
            None,
            max(0.01, deadline - time.perf_counter()),
        )
        work += spent
        if found is not None:
            values = better(values, found)
    return values, work, solved


def _solve_part(
    plan_model: PlanModel,
    values: Values,
    free: set[int],
    configure: Callable[[cp_model.CpSolver], None],
    work: float | None,
    seconds: float | None,
    left: float,
) -> tuple[Values | None, float]:
    """Solve the model with every start variable but those in ``free`` (proto indices)
    fixed at ``values``, from ``values``; the solution found (or ``None``) and the
    deterministic time spent. ``work`` limits it in deterministic seconds, else
    ``seconds`` in wall-clock time; ``left`` is the wall-clock backstop."""
    part = plan_model.model.clone()
    domains = part.proto.variables
    for var, value in values.items():
        if var.index not in free:
            domain = domains[var.index].domain
            domain.clear()
            domain.extend([value, value])
    set_hint(part, plan_model.complete(values))
    solver = cp_model.CpSolver()
    configure(solver)
    if work is not None:
        solver.parameters.max_deterministic_time = work
        solver.parameters.max_time_in_seconds = left
    else:
        solver.parameters.max_time_in_seconds = min(left, seconds or left)
    status = solver.solve(part)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, solver.deterministic_time
    # The part is a clone: its variables have the model's indices.
    return {var: int(solver.value(var)) for var in values}, solver.deterministic_time
