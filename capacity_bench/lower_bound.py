"""A lower bound on unmet demand that does not rely on CP-SAT.

The flow (linear programming) relaxation of a planning problem: work may be
split between people and between weeks, and paused and resumed. Its
variables are the FTE each person gives each task each week,
``x[task, person, week] >= 0``, and it keeps only:

- per task per week, at most the task's load;
- per person per week, at most their capacity;
- per task, at most its demand (load x duration);
- a person works on a task only in weeks some contiguous block of theirs at
  the task's load could cover (their skill, the task's window, weeks they
  have room for the whole load);
- tasks that must be done together (``with``, ``alongside``) are done to the
  same fraction, and ``after`` work no more than the work it follows.

Every real plan is a solution of it, so its optimum is a lower bound on the
planner's objective.

A tighter relaxation is available too: the *time-indexed* LP, whose
variables are the fraction of a task's whole block a person starts in each
week (the linear relaxation of the planner's own model, solved by HiGHS, not
CP-SAT). A block then books its load in every week it covers, so it cannot
be spread thinly over spare half-days the way the flow relaxation spreads it.

The *per-person* bound (``"per-person"``) is a Lagrangian relaxation over each person's
schedules, priced at the time-indexed LP's own duals: every row of that LP except the
people's capacity rows is moved into the objective at its dual value, and what is left
falls apart into one problem per person - the best set of whole blocks that fits their
weeks - solved in whole numbers by CP-SAT. Each person's value is bounded by the smaller
of CP-SAT's bound and the LP's own certificate for that person (weak duality with the LP's
capacity duals), so the bound is never weaker than the time-indexed LP's and is stronger
where lumpy loads cannot fill a person's week (two blocks at 0.6 do not fit in 1.0, which
the LP allows). Measured 2026-12-03 on the small generated hub (8 staff, 60 items, 52
weeks; weighted unmet optional FTE-weeks, proven optimum 410.1): time-indexed LP 280.65,
this bound 318.1 (every person's problem proven, 1.4 s in all); on the medium hub 460.9
-> 474.2 (6.6 s), on the large 828.2 -> 848.7 (130 s, most of it the LP). Taken further
by column generation (a master LP over the schedules found, priced again until no
schedule pays) it reached 380.6, but only after 157 rounds and 316 s, and on the medium
hub (15 staff) half the people's problems are not proven in 5 s each, so only the first
round is kept here; with a person's problem unproven, the LP's certificate stands for it.

Any of them is solved in the planner's lexicographic order:

1. the least unmet mandatory demand;
2. the least priority-weighted unmet optional demand, among plans whose unmet
   mandatory demand is at most a given level. Given a verified plan's own
   level, this bounds the planner's second objective, because the
   lexicographic optimum is among those plans.

The LP is solved with HiGHS through SciPy (the ``benchmark`` and ``test``
extras), in floating point. A plan's figures are whole thousandths of an
FTE-week, so a bound is the LP value less the solver's tolerance, rounded up
to the next thousandth: still a bound, and exact when the LP is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from capacity.domain.load import fitting_starts
from capacity.domain.problem import PlanningProblem, Task

Relaxation = Literal["flow", "time-indexed", "per-person"]
TOLERANCE = 1e-6  # relative; HiGHS's default feasibility tolerance is 1e-7

PERSON_WORK = 1.0
"""CP-SAT deterministic seconds for each person's problem in the per-person bound (a
fixed amount of work, so the same instance gives the same bound on any machine; on the
small hub every person's problem is proven in well under it)."""

INTEGER_SCALE = 10_000
"""Loads, capacities and values are scaled by this into whole numbers for CP-SAT: loads
rounded down and capacities up (a relaxation still), values up (a bound still)."""


@dataclass(frozen=True)
class UnmetBound:
    """Lower bounds, in FTE-weeks, on the two objectives of the planner."""

    unmet_mandatory_fte_weeks: Decimal
    weighted_unmet_optional: Decimal
    variables: int
    constraints: int


def unmet_lower_bound(
    problem: PlanningProblem,
    mandatory_level: Decimal | None = None,
    relaxation: Relaxation = "flow",
) -> UnmetBound:
    """Solve the relaxation lexicographically.

    Parameters
    ----------
    problem
        The option's planning problem.
    mandatory_level
        The unmet mandatory demand (FTE-weeks) the second objective is bounded
        at; default: the first objective's own bound (then the second bound is
        valid only for plans that meet it, e.g. when no mandatory work is unmet).
    relaxation
        ``"flow"`` (splittable, preemptive; small and quick), ``"time-indexed"``
        (each block whole and contiguous, done to a fraction; larger, and tighter) or
        ``"per-person"`` (the time-indexed LP, then each person's schedule in whole
        blocks at its duals; never weaker than it, and slower by about
        :data:`PERSON_WORK` a person).
    """
    lp = _Relaxation(problem, relaxation)
    mandatory_delivered = lp.maximise({t.id: 1.0 for t in problem.tasks if t.mandatory})
    mandatory_demand = float(sum(t.demand_fte_weeks for t in problem.tasks if t.mandatory))
    mandatory_unmet = mandatory_demand - mandatory_delivered
    level = mandatory_unmet if mandatory_level is None else float(mandatory_level)
    optional_delivered = lp.maximise(
        {t.id: float(t.weight) for t in problem.tasks if not t.mandatory},
        at_least=[t.id for t in problem.tasks if t.mandatory],
        at_least_value=mandatory_demand - level,
    )
    optional_demand = float(
        sum(t.demand_fte_weeks * t.weight for t in problem.tasks if not t.mandatory)
    )
    return UnmetBound(
        unmet_mandatory_fte_weeks=_round_down(mandatory_unmet, mandatory_demand),
        weighted_unmet_optional=_round_down(optional_demand - optional_delivered, optional_demand),
        variables=lp.n_variables,
        constraints=lp.n_constraints,
    )


def _round_down(value: float, magnitude: float) -> Decimal:
    """A bound on plans from an LP value: every plan's figure is a whole number of
    thousandths, so it is at least the LP value, less the tolerance, rounded up to one.

    The solver's error grows with the size of the objective (``magnitude``, the
    demand it is taken from), not with the unmet part, so the slack does too."""
    value -= TOLERANCE * max(1.0, abs(magnitude))
    return max(Decimal(0), Decimal(math.ceil(value * 1000)) / 1000)


class _Relaxation:
    """The LP's matrices; each objective is one ``linprog`` call.

    A column is a share of one task given by one person: in the flow
    relaxation the FTE in one week (at most the load), in the time-indexed
    one the fraction of the whole block starting in one week (at most 1).
    ``delivered[c]`` is the FTE-weeks a column's unit delivers.
    """

    def __init__(self, problem: PlanningProblem, kind: Relaxation):
        from scipy import sparse  # the benchmark/test extra: imported only when used

        self.problem = problem
        self.per_person = kind == "per-person"
        self.person_of: list[str] = []  # time-indexed columns: who gives it
        self.capacity_rows: dict[str, list[int]] = {}  # person -> their capacity rows
        self.upper: list[float] = []
        self.delivered: list[float] = []
        columns_of_task: dict[str, list[int]] = {}
        rows: list[int] = []
        cols: list[int] = []
        values: list[float] = []
        rhs: list[float] = []

        def row(entries: list[tuple[int, float]], bound: float) -> None:
            index = len(rhs)
            for column, coefficient in entries:
                rows.append(index)
                cols.append(column)
                values.append(coefficient)
            rhs.append(bound)

        def column(upper: float, delivered: float) -> int:
            self.upper.append(upper)
            self.delivered.append(delivered)
            return len(self.upper) - 1

        booked: dict[tuple[str, int], list[tuple[int, float]]] = {}
        for task in problem.tasks:
            load = float(task.load)
            columns_of_task[task.id] = []
            if kind != "flow":
                for member in problem.skilled(task):
                    for start in _feasible_starts(problem, task, member.id):
                        c = column(1.0, float(task.demand_fte_weeks))
                        self.person_of.append(member.id)
                        columns_of_task[task.id].append(c)
                        for week in range(start, start + task.duration):
                            booked.setdefault((member.id, week), []).append((c, load))
            else:
                per_week: dict[int, list[int]] = {}
                for member in problem.skilled(task):
                    for week in _coverable_weeks(problem, task, member.id):
                        c = column(load, 1.0)
                        columns_of_task[task.id].append(c)
                        per_week.setdefault(week, []).append(c)
                        booked.setdefault((member.id, week), []).append((c, 1.0))
                for columns in per_week.values():  # at most the load each week
                    if len(columns) > 1:
                        row([(c, 1.0) for c in columns], load)
            # At most the task's demand.
            row(
                [(c, self.delivered[c]) for c in columns_of_task[task.id]],
                float(task.demand_fte_weeks),
            )
        for (staff_id, week), entries in booked.items():  # at most the capacity
            self.capacity_rows.setdefault(staff_id, []).append(len(rhs))
            row(entries, float(problem.capacity[staff_id][week]))
        # Linked work is done to the same fraction; "after" work no more than what it follows.
        for task in problem.tasks:
            links = [(p, True) for p in (task.alongside, task.committed_to) if p]
            links += [(p, False) for p, _ in task.after]
            for partner_id, equal in links:
                partner = problem.task(partner_id)
                fraction = [
                    (c, self.delivered[c] / float(task.demand_fte_weeks))
                    for c in columns_of_task[task.id]
                ]
                fraction += [
                    (c, -self.delivered[c] / float(partner.demand_fte_weeks))
                    for c in columns_of_task[partner_id]
                ]
                row(fraction, 0.0)
                if equal:
                    row([(c, -v) for c, v in fraction], 0.0)
        self.columns_of_task = columns_of_task
        self.n_variables = len(self.upper)
        self.matrix = sparse.csr_array((values, (rows, cols)), shape=(len(rhs), self.n_variables))
        self.rhs = rhs
        self.n_constraints = len(rhs)

    def maximise(
        self,
        weights: dict[str, float],
        at_least: list[str] | None = None,
        at_least_value: float = 0.0,
    ) -> float:
        """Max of sum(weight x delivered); optionally with the ``at_least`` tasks' total
        delivery at least ``at_least_value``."""
        from scipy import sparse
        from scipy.optimize import linprog

        cost = [0.0] * self.n_variables
        for task_id, weight in weights.items():
            for column in self.columns_of_task[task_id]:
                cost[column] = -weight * self.delivered[column]
        if not self.n_variables:
            return 0.0
        matrix, rhs = self.matrix, list(self.rhs)
        if at_least:
            extra = [c for task_id in at_least for c in self.columns_of_task[task_id]]
            floor_row = sparse.csr_array(
                ([-self.delivered[c] for c in extra], ([0] * len(extra), extra)),
                shape=(1, self.n_variables),
            )
            matrix = sparse.vstack([matrix, floor_row], format="csr")
            rhs.append(-at_least_value * (1 - TOLERANCE))
        result = linprog(
            cost,
            A_ub=matrix if matrix.shape[0] else None,
            b_ub=rhs if rhs else None,
            bounds=list(zip([0.0] * self.n_variables, self.upper, strict=True)),
            method="highs-ipm",
        )
        if result.status != 0:
            raise RuntimeError(f"the LP relaxation did not solve: {result.message}")
        if self.per_person:
            return min(
                float(-result.fun),
                self._per_person(cost, matrix, rhs, list(-result.ineqlin.marginals)),
            )
        return float(-result.fun)

    def _per_person(
        self, cost: list[float], matrix: object, rhs: list[float], duals: list[float]
    ) -> float:
        """An upper bound on the LP's integer programme's most delivered: the rows other
        than capacity priced at ``duals`` (the LP's), each person's problem in whole blocks.

        ``cost`` is the LP's (to minimise), ``matrix`` and ``rhs`` its rows (the floor row
        included) and ``duals`` their values in the maximisation (at least 0 once clipped).
        """
        import numpy as np

        a = matrix.tocsc()  # type: ignore[attr-defined]
        y = np.maximum(0.0, np.array(duals))
        b = np.array(rhs)
        kept = np.zeros(len(rhs), dtype=bool)
        for rows in self.capacity_rows.values():
            kept[rows] = True
        relaxed = np.where(kept, 0.0, y)
        value = -np.array(cost)  # what a column's block is worth
        priced = value - a.T @ relaxed  # less what the relaxed rows charge for it
        # The LP's own certificate for a person: its capacity rows at their duals, and each
        # block's price less what those charge, where positive (each block at most once).
        capacity_only = np.where(kept, y, 0.0)
        net = priced - a.T @ capacity_only
        columns_of: dict[str, list[int]] = {}
        for column, staff_id in enumerate(self.person_of):
            columns_of.setdefault(staff_id, []).append(column)
        task_of = {
            column: task_id
            for task_id, columns in self.columns_of_task.items()
            for column in columns
        }
        total = float(relaxed @ b)
        for staff_id, columns in columns_of.items():
            rows = self.capacity_rows.get(staff_id, [])
            certificate = float(capacity_only[rows] @ b[rows]) + float(
                np.maximum(0.0, net[columns]).sum()
            )
            total += min(certificate, _best_schedule(a, rows, b, columns, priced, task_of))
        return total


def _best_schedule(
    matrix: object,
    rows: list[int],
    rhs: object,
    columns: list[int],
    priced: object,
    task_of: dict[int, str],
) -> float:
    """CP-SAT's bound on one person's best set of whole blocks at these prices: each task's
    block at most once, every week within the person's capacity (scaled into whole numbers
    by :data:`INTEGER_SCALE`, loads down and capacity and prices up, so still a bound)."""
    from ortools.sat.python import cp_model

    paying = [c for c in columns if priced[c] > 0]  # type: ignore[index]
    if not paying:
        return 0.0
    model = cp_model.CpModel()
    chosen = {c: model.new_bool_var(f"block {c}") for c in paying}
    by_task: dict[str, list[cp_model.IntVar]] = {}
    for c, var in chosen.items():
        by_task.setdefault(task_of[c], []).append(var)
    for blocks in by_task.values():
        if len(blocks) > 1:
            model.add_at_most_one(blocks)
    weekly = matrix[rows][:, paying].tocsr()  # type: ignore[index]
    for index, row in enumerate(rows):
        start, end = weekly.indptr[index], weekly.indptr[index + 1]
        if start == end:
            continue
        loads = [math.floor(v * INTEGER_SCALE) for v in weekly.data[start:end]]
        room = math.ceil(rhs[row] * INTEGER_SCALE)  # type: ignore[index]
        if sum(loads) > room:
            blocks = [chosen[paying[j]] for j in weekly.indices[start:end]]
            model.add(cp_model.LinearExpr.weighted_sum(blocks, loads) <= room)
    prices = [math.ceil(priced[c] * INTEGER_SCALE) for c in paying]  # type: ignore[index]
    model.maximize(cp_model.LinearExpr.weighted_sum([chosen[c] for c in paying], prices))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = PERSON_WORK
    solver.parameters.max_time_in_seconds = 60.0  # a backstop; the work limit ends it
    status = solver.solve(model)
    if status in (cp_model.MODEL_INVALID, cp_model.INFEASIBLE):
        raise RuntimeError(f"a person's problem is {solver.status_name(status)}: a bug")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # Stopped before a first schedule (in presolve): its "bound" then says nothing.
        return math.inf
    return solver.best_objective_bound / INTEGER_SCALE


def _feasible_starts(problem: PlanningProblem, task: Task, staff_id: str) -> list[int]:
    """Start weeks at which this person has room for the whole load every week of the block."""
    return fitting_starts(
        problem.capacity[staff_id], task.load, task.earliest_start, task.latest_end, task.duration
    )


def _coverable_weeks(problem: PlanningProblem, task: Task, staff_id: str) -> list[int]:
    """Weeks some feasible block of this person's covers (room for the whole load)."""
    covered = {
        week
        for start in _feasible_starts(problem, task, staff_id)
        for week in range(start, start + task.duration)
    }
    return sorted(covered)
