"""The same planning problem, modelled and solved with PyJobShop (benchmark only).

PyJobShop is a general-purpose CP-SAT scheduling library; it is our peer in
``benchmarks/solver.py`` and is installed with the ``benchmark`` extra. The
instance is expressed in its terms:

- one renewable resource per person, its capacity their largest weekly
  capacity in solver units (the same greatest-common-divisor scale as ours);
- capacity dips (a post not yet started or ended, induction, absence) as
  fixed, mandatory blocker tasks that take the missing capacity;
- each of our tasks an optional task in its window, with one mode per
  eligible person (duration in weeks, demand its load in units);
- ``after`` as end-before-start with the lag plus "if selected, at least one
  of [the predecessor] is selected"; ``alongside`` as start-at-start plus all-or-none;
  ``with`` as all-or-none.

Work given as effort (stints that share an item's weekly load limit, people limit
and least share) has no counterpart in the peer's model: it declines such an
instance with :class:`NotExpressible`, saying so.

Our objective is then set on its CP-SAT model: unmet demand, with mandatory
work weighted above all optional work together (the lexicographic order of
our planner as one sum). Its solution is converted to a :class:`Plan` and must
pass our verifier like any other.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

from ortools.sat.python import cp_model

from capacity.domain.problem import PlanningProblem
from capacity.plan import Plan, SolverReport, SolveStatus, from_placements, unmet_objectives
from capacity.solver.cpsat import capacity_dips
from capacity.solver.scaling import Scale, weight_units
from capacity.solver.solve import SolverSettings
from capacity_bench.progress import Trajectory


class NotExpressible(ValueError):
    """The instance has work the peer library cannot express (work given as effort)."""


@dataclass(frozen=True)
class PeerRun:
    """A PyJobShop run: its plan and how the search went."""

    plan: Plan
    trajectory: Trajectory
    proven: bool
    mandatory_weight: int
    scale: Scale


def pyjobshop_plan(problem: PlanningProblem, settings: SolverSettings | None = None) -> PeerRun:
    """Model ``problem`` with PyJobShop, set our objective, solve with CP-SAT."""
    from pyjobshop import Model  # the benchmark extra
    from pyjobshop.solvers.ortools import CPModel

    stints = sorted({t.item_id for t in problem.tasks if t.effort is not None})
    if stints:
        raise NotExpressible(
            "PyJobShop has no divisible work (stints sharing a weekly load limit, a people "
            f"limit and a least share): declined for {', '.join(stints)}"
        )
    settings = settings or SolverSettings()
    began = time.perf_counter()
    scale = Scale.for_values(
        [t.load for t in problem.tasks] + [c for p in problem.capacity.values() for c in p]
    )
    capacity = {s: [scale.to_units(c) for c in p] for s, p in problem.capacity.items()}
    model = Model()
    resources: dict[str, Any] = {}
    for member in problem.staff:
        peak = max(capacity[member.id], default=0)
        if peak == 0:
            continue  # never in post in the horizon: no mode can use them
        resources[member.id] = model.add_renewable(peak, name=member.id)
        for start, end, dip in capacity_dips(capacity[member.id], peak):
            blocker = model.add_task(
                earliest_start=start, latest_start=start, earliest_end=end, latest_end=end
            )
            model.add_mode(blocker, resources[member.id], end - start, dip)

    tasks: dict[str, Any] = {}
    index: dict[str, int] = {}  # task id -> PyJobShop task index
    modes: dict[tuple[str, str], int] = {}  # (task id, staff id) -> PyJobShop mode index
    for task in problem.tasks:
        load = scale.to_units(task.load)
        eligible = [
            m.id for m in problem.skilled(task) if m.id in resources and max(capacity[m.id]) >= load
        ]
        if not eligible or task.window_weeks < task.duration:
            continue  # cannot be done: unmet in every plan
        index[task.id] = len(model.tasks)
        tasks[task.id] = model.add_task(
            earliest_start=task.earliest_start,
            latest_end=task.latest_end,
            optional=True,
            name=task.id,
        )
        for staff_id in eligible:
            modes[task.id, staff_id] = len(model.modes)
            model.add_mode(tasks[task.id], resources[staff_id], task.duration, load)
    for task in problem.tasks:
        if task.id not in tasks:
            continue
        for predecessor, lag in task.after:
            if predecessor not in tasks:
                continue  # ruled out below
            model.add_end_before_start(tasks[predecessor], tasks[task.id], lag)
            model.add_select_at_least_one([tasks[predecessor]], condition_task=tasks[task.id])
        for partner in (task.alongside, task.committed_to):
            if partner is None or partner not in tasks:
                continue  # ruled out below
            if partner == task.alongside:
                model.add_start_at_start(tasks[partner], tasks[task.id])
            model.add_select_all_or_none([tasks[partner], tasks[task.id]])
    model.set_objective(weight_makespan=0)

    cp = CPModel(model.data())
    present = {task_id: cp.variables.task_vars[index[task_id]].present for task_id in tasks}
    # Work linked to a task that cannot be done cannot be done either.
    for task_id in sorted(_ruled_out(problem, set(tasks))):
        cp.model.add(present[task_id] == 0)

    def demand(task_id: str) -> int:
        task = problem.task(task_id)
        return scale.to_units(task.load) * task.duration

    mandatory_weight = 1 + sum(
        weight_units(t.weight) * demand(t.id) for t in problem.tasks if not t.mandatory
    )
    mandatory_unmet = sum(
        demand(t.id) * (1 - present[t.id]) if t.id in present else demand(t.id)
        for t in problem.tasks
        if t.mandatory
    )
    optional_unmet = sum(
        weight_units(t.weight) * demand(t.id) * (1 - present[t.id])
        if t.id in present
        else weight_units(t.weight) * demand(t.id)
        for t in problem.tasks
        if not t.mandatory
    )
    cp.model.minimize(mandatory_weight * mandatory_unmet + optional_unmet)

    solver = cp_model.CpSolver()
    settings.apply(solver)
    trajectory = Trajectory(began=began)
    status = solver.solve(cp.model, trajectory.callback(mandatory_unmet, optional_unmet, scale))
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    chosen: dict[str, tuple[str, int]] = {}
    if found:
        for (task_id, staff_id), mode_index in modes.items():
            if solver.value(present[task_id]) and solver.value(cp.variables.mode_vars[mode_index]):
                start = cp.variables.task_vars[index[task_id]].start
                chosen[task_id] = (staff_id, int(solver.value(start)))
    bound = int(solver.best_objective_bound) if found else 0
    plan = _plan(problem, chosen, scale, mandatory_weight, bound, status, began)
    plan = replace(
        plan, solver=replace(plan.solver, deterministic_seconds=solver.deterministic_time)
    )
    return PeerRun(
        plan=plan,
        trajectory=trajectory,
        proven=status == cp_model.OPTIMAL,
        mandatory_weight=mandatory_weight,
        scale=scale,
    )


def _ruled_out(problem: PlanningProblem, modelled: set[str]) -> set[str]:
    """Modelled tasks tied to unmodelled ones (by ``with``/``alongside`` either way, or
    coming ``after`` them), to a fixed point."""
    links = problem.links
    impossible = {t.id for t in problem.tasks} - modelled
    changed = True
    while changed:
        changed = False
        for task in problem.tasks:
            partners = set(links.partners.get(task.id, ()))
            tied = partners | {a for a, _ in links.predecessors[task.id]}
            if task.id not in impossible and tied & impossible:
                impossible.add(task.id)
                changed = True
            if task.id in impossible and partners - impossible:
                impossible |= partners
                changed = True
    return impossible & modelled


def _plan(
    problem: PlanningProblem,
    chosen: dict[str, tuple[str, int]],
    scale: Scale,
    mandatory_weight: int,
    bound: int,
    status: Any,
    began: float,
) -> Plan:
    assignments, unmet = from_placements(problem, chosen)
    unmet_mandatory, weighted = unmet_objectives(problem, chosen)
    mandatory_bound_units, optional_bound_units = divmod(bound, mandatory_weight)
    if scale.to_fte(mandatory_bound_units) < unmet_mandatory:
        optional_bound_units = 0  # the second objective is bounded only once the first is proven
    report = SolverReport(
        status=SolveStatus.OPTIMAL if status == cp_model.OPTIMAL else SolveStatus.FEASIBLE,
        unmet_mandatory_fte_weeks=unmet_mandatory,
        mandatory_bound_fte_weeks=scale.to_fte(mandatory_bound_units),
        weighted_unmet_optional=weighted,
        weighted_optional_bound=scale.weighted_to_fte(optional_bound_units),
        runtime_seconds=round(time.perf_counter() - began, 3),
        parameters={"solver": "PyJobShop (CP-SAT)"},
    )
    return Plan(problem=problem, assignments=assignments, unmet=unmet, solver=report)
