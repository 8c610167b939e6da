"""Large-neighbourhood search: improve a plan by re-planning a small part of it.

On one worker CP-SAT searches the whole model with one strategy; on a hub of
dozens of people and hundreds of items that stalls long before the time
limit. Here, in a loop until the limit, most of the plan stays as it is and
a small part is re-planned as a problem of its own - in turn, a few people's
whole year (their work, and any work no one is doing, may be rearranged), or
everyone's work starting in a window of weeks. The small problem keeps the
capacity the fixed work leaves, and the dependencies on fixed work become
tighter windows; it is solved by the same phased solver on a short
deterministic budget, starting from the current plan, so it is never worse.
A better plan is kept; a neighbourhood grows while its small problems are
solved to optimality and shrinks when they are not.

Each step's choice comes from a generator seeded with the solver seed and
each step's budget is CP-SAT deterministic time, so the steps are the same
on every run; only where the wall-clock limit stops them depends on the
machine (as with any time limit). This module does not import ortools.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import replace

from capacity.domain.load import weekly_load
from capacity.domain.problem import PlanningProblem
from capacity.plan import Placements, Plan, SolveStatus, objective_tiers

SolveSmall = Callable[[PlanningProblem, float, int, list[tuple[str, str, int]]], Plan]

STEP_DETERMINISTIC_SECONDS = 0.5  # CP-SAT budget of each phase of one neighbourhood


def improve_by_neighbourhoods(
    problem: PlanningProblem,
    placed: Placements,
    deadline: float,
    seed: int,
    solve_small: SolveSmall,
    on_improvement: Callable[[Placements], None] | None = None,
    work_budget: float | None = None,
) -> tuple[Placements, int, float]:
    """Re-plan neighbourhoods of the plan ``placed`` until ``deadline`` (perf_counter),
    or until the steps' CP-SAT deterministic time reaches ``work_budget`` if given
    (then the steps, and so the plan, are the same on every run and machine).

    ``solve_small(problem, deterministic_seconds, seed, start_from)`` solves a
    neighbourhood's problem from the given placements. Returns the best
    placements found, the number of steps taken and their deterministic time.
    """
    rng = random.Random(seed)
    best = dict(placed)
    people = [m.id for m in problem.staff]
    size = {"people": min(2, len(people)), "weeks": min(8, problem.n_weeks)}
    steps, work = 0, 0.0
    while time.perf_counter() < deadline - 0.1 and (work_budget is None or work < work_budget):
        steps += 1
        kind = "people" if steps % 2 else "weeks"
        if kind == "people":
            freed = set(rng.sample(people, size["people"]))
            first, last = 0, problem.n_weeks
        else:
            freed = set(people)
            first = rng.randrange(0, max(1, problem.n_weeks - size["weeks"] + 1))
            last = first + size["weeks"]
        sub, free = neighbourhood(problem, best, freed, first, last)
        if not free:
            continue
        current = [t for t in free if t in best]
        plan = solve_small(
            sub, STEP_DETERMINISTIC_SECONDS, seed + steps, [(t, *best[t]) for t in current]
        )
        work += plan.solver.deterministic_seconds
        found = {a.task_id: (a.staff_id, a.start_week) for a in plan.assignments}
        if objective_tiers(sub, found) < objective_tiers(sub, {t: best[t] for t in current}):
            best = {t: p for t, p in best.items() if t not in free}
            best.update(found)
            if on_improvement:
                on_improvement(best)
        limit = len(people) if kind == "people" else problem.n_weeks
        step = max(1, size[kind] // 4)
        if plan.solver.status is SolveStatus.OPTIMAL:
            size[kind] = min(limit, size[kind] + step)
        else:
            size[kind] = max(1, size[kind] - step)
    return best, steps, work


def neighbourhood(
    problem: PlanningProblem,
    placed: Placements,
    freed_people: set[str],
    first_week: int,
    last_week: int,
) -> tuple[PlanningProblem, set[str]]:
    """The part of the plan to re-plan, as a problem of its own, and its task ids.

    Free: work of the freed people starting in ``[first_week, last_week)``, and
    work no one is doing that one of them could do in that window. Work tied
    to fixed work stays fixed (see the module notes).
    """
    tasks = {t.id: t for t in problem.tasks}
    free = {
        task_id
        for task_id, (staff_id, start) in placed.items()
        if staff_id in freed_people and first_week <= start < last_week
    }
    for task in problem.tasks:
        if task.id in placed or task.latest_end <= first_week or task.earliest_start >= last_week:
            continue
        if any(m.id in freed_people for m in problem.skilled(task)):
            free.add(task.id)
    free = _close_over_links(problem, placed, free)

    # Fixed work keeps its capacity; "after" fixed work becomes a later earliest start.
    fixed = weekly_load(
        (
            (staff_id, start, start + tasks[task_id].duration, tasks[task_id].load)
            for task_id, (staff_id, start) in placed.items()
            if task_id not in free and staff_id in freed_people
        ),
        problem.n_weeks,
    )
    capacity = {
        s: [c - b for c, b in zip(problem.capacity[s], fixed[s], strict=True)]
        if s in fixed
        else list(problem.capacity[s])
        for s in freed_people
    }
    sub_tasks = []
    for task in problem.tasks:
        if task.id not in free:
            continue
        earliest = task.earliest_start
        kept_after = []
        for predecessor, lag in task.after:
            if predecessor in free:
                kept_after.append((predecessor, lag))
            else:  # fixed and placed (see _close_over_links)
                end = placed[predecessor][1] + tasks[predecessor].duration
                earliest = max(earliest, end + lag)
        sub_tasks.append(replace(task, earliest_start=earliest, after=tuple(kept_after)))
    sub = replace(
        problem,
        staff=tuple(m for m in problem.staff if m.id in freed_people),
        capacity={s: tuple(profile) for s, profile in capacity.items()},
        tasks=tuple(sub_tasks),
    )
    return sub, free


def _close_over_links(problem: PlanningProblem, placed: Placements, free: set[str]) -> set[str]:
    """Drop free tasks whose links to fixed work would be broken by moving them.

    A task done together with fixed work (``with``, ``alongside``) stays as it
    is, as does work a fixed, placed task comes ``after``; a task that comes
    after fixed work that is not done cannot be done, so it is not freed.
    """
    links = problem.links
    changed = True
    while changed:
        changed = False
        for task_id in sorted(free):
            tied_to_fixed = any(p not in free for p in links.partners.get(task_id, ()))
            follows_undone = any(
                p not in free and p not in placed for p, _ in links.predecessors[task_id]
            )
            fixed_follower = any(
                s not in free and s in placed for s, _ in links.successors.get(task_id, ())
            )
            if tied_to_fixed or follows_undone or fixed_follower:
                free.discard(task_id)
                changed = True
    return free
