"""``solve(problem) -> Plan``: run the three phases and map the solver's answer back.

Reproducibility: by default the search runs on one worker with a fixed seed,
which CP-SAT makes deterministic. A plan found before the time limit is
therefore identical on every run; a plan cut off by the limit is marked
``feasible`` (not proven optimal), with its gap.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from ortools.sat.python import cp_model

from capacity.domain.problem import PlanningProblem, Task
from capacity.errors import SolverFailure
from capacity.plan import Assignment, Plan, SolverReport, SolveStatus, UnmetTask
from capacity.solver.cpsat import PlanModel


@dataclass(frozen=True)
class SolverSettings:
    """Solver parameters; the defaults give the same plan on every run.

    Parameters
    ----------
    time_limit_seconds
        Wall-clock limit for each phase.
    workers
        Search workers. 1 (the default) is deterministic.
    seed
        Random seed of the search.
    tie_break_deterministic_seconds
        Budget, in CP-SAT's deterministic time, for the third phase that keeps
        ongoing work with one person (it never changes unmet demand).
    """

    time_limit_seconds: float = 60.0
    workers: int = 1
    seed: int = 0
    tie_break_deterministic_seconds: float = 2.0

    def apply(self, solver: cp_model.CpSolver) -> None:
        solver.parameters.max_time_in_seconds = self.time_limit_seconds
        solver.parameters.num_workers = self.workers
        solver.parameters.random_seed = self.seed
        # Ctrl-C must abort the run (nothing written), not quietly cut the search short
        # and report a worse plan, which is what CP-SAT's own handler would do.
        solver.parameters.catch_sigint_signal = False
        # Chosen by measurement on the shipped scenario (4 options, 1 worker, all proven
        # optimal): the extra cuts of level 2 take 17.2 s in all, against 20.3 s at the
        # default level 1 (and 38 s against 86 s for the model's first, weaker version).
        solver.parameters.linearization_level = 2


def solve(problem: PlanningProblem, settings: SolverSettings | None = None) -> Plan:
    """Plan one option: least unmet mandatory work, then least weighted unmet optional work.

    Parameters
    ----------
    problem
        The option's planning problem.
    settings
        Solver parameters; see :class:`SolverSettings`.

    Returns
    -------
    Plan
        Unverified; the pipeline verifies it before anything is reported.
    """
    settings = settings or SolverSettings()
    began = time.perf_counter()
    plan_model = PlanModel(problem)
    model, scale = plan_model.model, plan_model.scale
    no_work = {var: 0 for group in plan_model.groups for var in group.starts.values()}

    # Phase 1: deliver as much mandatory work as possible. Doing nothing is always
    # valid, so it is the first hint: even a very short time limit yields a plan.
    unmet_mandatory = plan_model.unmet_expression(mandatory=True)
    model.minimize(unmet_mandatory)
    _hint(model, no_work)
    first = cp_model.CpSolver()
    settings.apply(first)
    first_status = first.solve(model)
    first_values = _values_or(first, first_status, no_work)
    best_mandatory = plan_model.unmet_value(True, first_values)
    mandatory_bound = round(first.best_objective_bound) if _found(first_status) else 0

    # Phase 2: hold that, and deliver as much optional work as possible, by priority.
    model.add(unmet_mandatory <= best_mandatory)
    _hint(model, first_values)
    model.minimize(plan_model.unmet_expression(mandatory=False))
    second = cp_model.CpSolver()
    settings.apply(second)
    second_status = second.solve(model)
    values = _values_or(second, second_status, first_values)
    optional_bound = round(second.best_objective_bound) if _found(second_status) else 0

    # Phase 3 (presentation only): hold both, and keep ongoing work with one person
    # where that costs nothing. A deterministic time budget keeps it reproducible.
    model.add(plan_model.unmet_expression(mandatory=False) <= plan_model.unmet_value(False, values))
    _hint(model, values)
    model.minimize(plan_model.handovers())
    third = cp_model.CpSolver()
    settings.apply(third)
    third.parameters.max_deterministic_time = settings.tie_break_deterministic_seconds
    third_status = third.solve(model)
    values = _values_or(third, third_status, values)

    proven = first_status == cp_model.OPTIMAL and second_status == cp_model.OPTIMAL
    report = SolverReport(
        status=SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE,
        unmet_mandatory_fte_weeks=scale.to_fte(best_mandatory),
        mandatory_bound_fte_weeks=scale.to_fte(mandatory_bound),
        weighted_unmet_optional=scale.to_fte(plan_model.unmet_value(False, values)),
        weighted_optional_bound=scale.to_fte(optional_bound),
        runtime_seconds=round(time.perf_counter() - began, 3),
        parameters={
            "solver": "CP-SAT",
            "phases": 3,
            "linearization_level": 2,
            "units_per_fte": str(scale.units_per_fte),
            **asdict(settings),
        },
    )
    return _read_plan(problem, plan_model, values, report)


Values = dict[cp_model.IntVar, int]


def _found(status: object) -> bool:
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _values_or(solver: cp_model.CpSolver, status: object, fallback: Values) -> Values:
    """The solution's values, or ``fallback`` when the time limit allowed none."""
    if status in (cp_model.MODEL_INVALID, cp_model.INFEASIBLE):
        # Doing nothing is always feasible, so this is a bug in the model.
        raise SolverFailure(
            f"CP-SAT found the model {solver.status_name(status)}; please report this as a "
            "bug with the scenario attached"
        )
    if not _found(status):
        return fallback
    return {var: int(solver.value(var)) for var in fallback}


def _hint(model: cp_model.CpModel, values: Values) -> None:
    model.clear_hints()
    for var, value in values.items():
        model.add_hint(var, value)


def _read_plan(
    problem: PlanningProblem, plan_model: PlanModel, values: Values, report: SolverReport
) -> Plan:
    assignments = []
    unmet = []
    holder: dict[str, str] = {}  # item id -> who did its latest part
    for group in sorted(plan_model.groups, key=lambda g: g.first.earliest_start):
        places = [
            (staff_id, week)
            for (staff_id, week), var in sorted(group.starts.items())
            for _ in range(values[var])
        ]
        for task, place in _hand_out(group.tasks, places, holder):
            if place is None:
                holder.pop(task.item_id, None)
                unmet.append(
                    UnmetTask(
                        task_id=task.id,
                        item_id=task.item_id,
                        demand_fte_weeks=task.demand_fte_weeks,
                        mandatory=task.mandatory,
                    )
                )
                continue
            staff_id, start = place
            holder[task.item_id] = staff_id
            end = start + task.duration
            assignments.append(
                Assignment(
                    task_id=task.id,
                    item_id=task.item_id,
                    staff_id=staff_id,
                    start_week=start,
                    end_week=end,
                    start=problem.week_starts[start],
                    end=problem.week_end(end - 1),
                    load_fte=task.load,
                )
            )
    order = {task.id: index for index, task in enumerate(problem.tasks)}
    assignments.sort(key=lambda a: order[a.task_id])
    unmet.sort(key=lambda u: order[u.task_id])
    return Plan(problem=problem, assignments=tuple(assignments), unmet=tuple(unmet), solver=report)


def _hand_out(
    tasks: list[Task], places: list[tuple[str, int]], holder: dict[str, str]
) -> list[tuple[Task, tuple[str, int] | None]]:
    """Give a group's chosen places to its interchangeable tasks.

    Any way is equally valid (the tasks are interchangeable), so choose the one
    a manager would: ongoing work stays with whoever did it last month, work
    delivered last month stays delivered, and otherwise the scenario's order.
    """
    remaining = list(places)
    given: dict[str, tuple[str, int]] = {}
    for task in tasks:
        place = next((p for p in remaining if p[0] == holder.get(task.item_id)), None)
        if place is not None:
            given[task.id] = place
            remaining.remove(place)
    waiting = [t for t in tasks if t.id not in given]
    for task in sorted(waiting, key=lambda t: t.item_id not in holder):
        if remaining:
            given[task.id] = remaining.pop(0)
    return [(task, given.get(task.id)) for task in tasks]
