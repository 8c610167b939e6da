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

Either is solved in the planner's lexicographic order:

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

Relaxation = Literal["flow", "time-indexed"]
TOLERANCE = 1e-6  # relative; HiGHS's default feasibility tolerance is 1e-7


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
        ``"flow"`` (splittable, preemptive; small and quick) or ``"time-indexed"``
        (each block whole and contiguous, done to a fraction; larger, and tighter).
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
            if kind == "time-indexed":
                for member in problem.skilled(task):
                    for start in _feasible_starts(problem, task, member.id):
                        c = column(1.0, float(task.demand_fte_weeks))
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
        return float(-result.fun)


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
