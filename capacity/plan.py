"""The project's own result type: a :class:`Plan` for one staffing option.

The solver produces it, the verifier checks it, and every report reads it.
It holds dates and FTE, never solver integers. An :class:`OptionResult` is a
verified plan with what its option costs: what the pipeline hands to every
report, chart and output file.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from capacity.domain.load import Booking, weekly_load
from capacity.domain.problem import PlanningProblem, Task
from capacity.domain.work import WorkKind
from capacity.finance.option_costs import OptionCost


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"  # proven best
    FEASIBLE = "feasible"  # a valid plan, not proven best (time limit)
    NO_PLAN = "no plan"  # the solver found nothing in time (not expected: doing nothing is valid)


@dataclass(frozen=True)
class Assignment:
    """One task given to one person for a contiguous block of weeks.

    ``end_week`` and ``end`` are exclusive.
    """

    task_id: str
    item_id: str
    staff_id: str
    start_week: int
    end_week: int
    start: date
    end: date
    load_fte: Decimal

    @property
    def fte_weeks(self) -> Decimal:
        return self.load_fte * (self.end_week - self.start_week)

    @property
    def booking(self) -> Booking:
        """The weeks it books, for :func:`capacity.domain.load.weekly_load`."""
        return self.staff_id, self.start_week, self.end_week, self.load_fte


@dataclass(frozen=True)
class UnmetTask:
    """A task the plan does not deliver, and why (filled in by the diagnosis)."""

    task_id: str
    item_id: str
    demand_fte_weeks: Decimal
    mandatory: bool
    reason: str = ""


@dataclass(frozen=True)
class SolverReport:
    """How the plan was found.

    ``objective`` and ``bound`` are in FTE-weeks: mandatory unmet first, then
    priority-weighted optional unmet (see :mod:`capacity.solver.cpsat`).
    """

    status: SolveStatus
    unmet_mandatory_fte_weeks: Decimal
    mandatory_bound_fte_weeks: Decimal
    weighted_unmet_optional: Decimal
    weighted_optional_bound: Decimal
    runtime_seconds: float
    parameters: dict[str, object] = field(default_factory=dict)
    deterministic_seconds: float = 0.0  # CP-SAT's own work measure: independent of machine load

    @property
    def gap(self) -> Decimal:
        """Relative gap of the first objective not proven optimal (0 when both are)."""
        for value, bound in (
            (self.unmet_mandatory_fte_weeks, self.mandatory_bound_fte_weeks),
            (self.weighted_unmet_optional, self.weighted_optional_bound),
        ):
            if value > bound:
                return (value - bound) / value
        return Decimal(0)


@dataclass(frozen=True)
class Plan:
    """A schedule for one option.

    Parameters
    ----------
    problem
        What was planned.
    assignments
        Who does what, when.
    unmet
        Tasks not delivered.
    solver
        How it was found.
    """

    problem: PlanningProblem
    assignments: tuple[Assignment, ...]
    unmet: tuple[UnmetTask, ...]
    solver: SolverReport

    @property
    def option_id(self) -> str:
        return self.problem.option_id

    @property
    def delivered_fte_weeks(self) -> Decimal:
        return sum((a.fte_weeks for a in self.assignments), Decimal(0))

    @property
    def unmet_fte_weeks(self) -> Decimal:
        return sum((u.demand_fte_weeks for u in self.unmet), Decimal(0))

    @property
    def unmet_mandatory_fte_weeks(self) -> Decimal:
        return sum((u.demand_fte_weeks for u in self.unmet if u.mandatory), Decimal(0))

    @property
    def mandatory_delivered(self) -> bool:
        return not any(u.mandatory for u in self.unmet)

    def load_by_week(self, staff_id: str) -> list[Decimal]:
        """FTE booked for one person in each week."""
        mine = [a.booking for a in self.assignments if a.staff_id == staff_id]
        n_weeks = self.problem.n_weeks
        return weekly_load(mine, n_weeks).get(staff_id, [Decimal(0)] * n_weeks)

    def utilisation(self, staff_id: str) -> tuple[Decimal, Decimal]:
        """(mean, peak) share of capacity used, over the weeks the person has capacity.

        Mean is booked FTE-weeks over available FTE-weeks; peak is the
        highest single week. Both are 0 for someone with no capacity.
        """
        capacity = self.problem.capacity[staff_id]
        load = self.load_by_week(staff_id)
        available = sum(capacity, Decimal(0))
        if available == 0:
            return Decimal(0), Decimal(0)
        mean = sum(load, Decimal(0)) / available
        peak = max(
            (lo / c for lo, c in zip(load, capacity, strict=True) if c > 0), default=Decimal(0)
        )
        return mean, peak

    def with_reasons(self, reasons: dict[str, str]) -> Plan:
        unmet = tuple(replace(u, reason=reasons.get(u.task_id, u.reason)) for u in self.unmet)
        return replace(self, unmet=unmet)


@dataclass(frozen=True)
class OptionResult:
    """A verified plan for one option and what the option costs; and, when asked for, a
    verified plan of how many further bids the option has room for
    (:func:`capacity.pipeline.bid_room`)."""

    plan: Plan
    cost: OptionCost
    bid_room: Plan | None = None


Placements = dict[str, tuple[str, int]]
"""Task id -> (staff id, start week): a plan as the planners build it."""


def from_placements(
    problem: PlanningProblem, placed: Placements
) -> tuple[tuple[Assignment, ...], tuple[UnmetTask, ...]]:
    """Assignments for the placed tasks and unmet tasks for the rest, in the problem's order."""
    assignments = []
    unmet = []
    for task in problem.tasks:
        if task.id not in placed:
            unmet.append(UnmetTask(task.id, task.item_id, task.demand_fte_weeks, task.mandatory))
            continue
        staff_id, start = placed[task.id]
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
    return tuple(assignments), tuple(unmet)


def writes_bid(task: Task) -> bool:
    """Whether the task is the writing of a funding bid that the plan may leave unwritten:
    the middle tier of the planner's objectives (:func:`objective_tiers`)."""
    return task.kind is WorkKind.BID and not task.mandatory


def objective_tiers(
    problem: PlanningProblem, placed: Placements
) -> tuple[Decimal, Decimal, Decimal]:
    """What the planner minimises, in this order (the first that differs decides): unmet
    mandatory FTE-weeks; weighted FTE-weeks of bids left unwritten (:func:`writes_bid`);
    weighted unmet optional FTE-weeks, bids included."""
    unmet_mandatory, weighted_optional = unmet_objectives(problem, placed)
    unwritten = sum(
        (
            t.demand_fte_weeks * t.weight
            for t in problem.tasks
            if writes_bid(t) and t.id not in placed
        ),
        Decimal(0),
    )
    return unmet_mandatory, unwritten, weighted_optional


def unmet_objectives(problem: PlanningProblem, placed: Placements) -> tuple[Decimal, Decimal]:
    """Two of the planner's objectives for a plan (the third, bids, in
    :func:`objective_tiers`), in FTE-weeks: unmet mandatory demand, then
    weighted unmet optional demand (:attr:`~capacity.domain.problem.Task.weight`)."""
    unmet = [t for t in problem.tasks if t.id not in placed]
    return (
        sum((t.demand_fte_weeks for t in unmet if t.mandatory), Decimal(0)),
        sum((t.demand_fte_weeks * t.weight for t in unmet if not t.mandatory), Decimal(0)),
    )
