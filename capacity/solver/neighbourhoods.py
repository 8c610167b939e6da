"""Large-neighbourhood search: improve a plan by re-planning a few people at a time.

On one worker CP-SAT searches the whole model with one strategy; on a hub of
dozens of people and hundreds of items that stalls long before the time
limit. Here, in a loop until the limit, keep most of the plan fixed and
re-plan the rest - in turn, a few people's whole year (their work may be
swapped for work no one is doing), or everyone's work starting in a window
of weeks - solving that small model on a short deterministic budget. A
better plan is kept; a neighbourhood grows while its small models are solved
to optimality and shrinks when they are not.

Each step's choice of people comes from a generator seeded with the solver
seed, and each step's budget is in CP-SAT's deterministic time, so the steps
are the same on every run; only where the wall-clock limit stops them depends
on the machine (as with any time limit).
"""

from __future__ import annotations

import random
import time

from ortools.sat.python import cp_model

from capacity.solver.cpsat import PlanModel

Values = dict[cp_model.IntVar, int]

STEP_DETERMINISTIC_SECONDS = 1.0  # budget of one neighbourhood's solve


def improve_by_neighbourhoods(
    plan_model: PlanModel,
    values: Values,
    deadline: float,
    seed: int,
    callback: cp_model.CpSolverSolutionCallback | None = None,
) -> tuple[Values, int]:
    """Re-plan neighbourhoods of ``values`` until ``deadline`` (a perf_counter time).

    The model's objective must be the one to improve. Returns the best values
    found and the number of steps taken.
    """
    rng = random.Random(seed)
    model = plan_model.model
    best = dict(values)
    best_value = plan_model.unmet_value(False, best)
    people = [m.id for m in plan_model.problem.staff]
    weeks = plan_model.problem.n_weeks
    size = {"people": min(2, len(people)), "weeks": min(13, weeks)}
    steps = 0
    while time.perf_counter() < deadline - 0.05 and best_value > 0:
        steps += 1
        # Alternate: a few people's whole year, or everyone's work starting in a window.
        kind = "people" if steps % 2 else "weeks"
        if kind == "people":
            freed_people = set(rng.sample(people, size["people"]))
            first = 0
            last = weeks
        else:
            freed_people = set(people)
            first = rng.randrange(0, max(1, weeks - size["weeks"] + 1))
            last = first + size["weeks"]
        neighbourhood = model.clone()
        neighbourhood.clear_hints()
        for var, value in plan_model.complete(best).items():
            neighbourhood.add_hint(neighbourhood.get_int_var_from_proto_index(var.index), value)
        for group in plan_model.groups:
            for (staff_id, week), var in group.starts.items():
                if staff_id in freed_people and first <= week < last:
                    continue  # free to change
                domain = neighbourhood.proto.variables[var.index].domain  # [low, high]
                domain[0] = domain[1] = best[var]
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed + steps
        solver.parameters.max_deterministic_time = STEP_DETERMINISTIC_SECONDS
        solver.parameters.max_time_in_seconds = max(0.0, deadline - time.perf_counter())
        solver.parameters.catch_sigint_signal = False
        status = solver.solve(neighbourhood, callback)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = {var: int(solver.value(var)) for var in best}
            found_value = plan_model.unmet_value(False, found)
            if found_value < best_value:
                best, best_value = found, found_value
        limit = len(people) if kind == "people" else weeks
        grown = min(limit, size[kind] + max(1, size[kind] // 4))
        shrunk = max(1, size[kind] - max(1, size[kind] // 4))
        size[kind] = grown if status == cp_model.OPTIMAL else shrunk
    return best, steps
