"""Calendar months: each person's booked share of their time, and demand against capacity.

Planning weeks start on the horizon's first day (the shipped horizon starts on a
Thursday), so a week can fall across a month end. Every monthly figure asks
:func:`month_shares` where a week's work falls: a week is shared between the months
its working days (Monday to Friday) are in, by those days, as
:func:`capacity.domain.years.week_shares` shares it between financial years. A
person's week is shared by the working days they are in post: an officer who starts
on Sunday 1 August has none of the week of Thursday 29 July in July.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd

from capacity.domain.problem import PlanningProblem, Task
from capacity.domain.team import StaffMember
from capacity.domain.work import WorkKind
from capacity.domain.years import DAYS_PER_WEEK, WORKING_DAYS
from capacity.plan import Plan

COMMITTED = "committed"
IF_BIDS_WON = "if bids are won"
PLANNED = "planned"
NOT_DELIVERED = "not delivered"
MONTH_LABEL = "%b %Y"  # Apr 2021


def month_of(day: date) -> date:
    """The first day of the calendar month holding ``day``."""
    return day.replace(day=1)


def month_shares(
    week_start: date, in_post: Callable[[date], bool] | None = None
) -> dict[date, Decimal]:
    """Which calendar month(s) the week starting ``week_start`` is in, and what share.

    Parameters
    ----------
    week_start
        The week's first day (any weekday).
    in_post
        Whether the person is in post on a day (e.g. :meth:`StaffMember.employed_on`):
        only those working days count. ``None``: every working day.

    Returns
    -------
    dict[date, Decimal]
        First day of the month -> share of the week's counted working days in that month.
        The shares sum to 1; empty when no working day of the week counts (the person is
        not in post that week).
    """
    days = [week_start + timedelta(days=d) for d in range(DAYS_PER_WEEK)]
    counted = [d for d in days if d.weekday() < WORKING_DAYS and (in_post is None or in_post(d))]
    shares: dict[date, Decimal] = {}
    for day in counted:
        month = month_of(day)
        shares[month] = shares.get(month, Decimal(0)) + Decimal(1) / len(counted)
    return shares


def planned_months(problem: PlanningProblem) -> list[date]:
    """The calendar months (first days) that the planning weeks' working days touch."""
    months = {m for start in problem.week_starts for m in month_shares(start)}
    return sorted(months)


def weeks_in_month(problem: PlanningProblem) -> dict[date, Decimal]:
    """How many planning weeks fall in each month (by working days): the divisor that
    turns a month's FTE-weeks into the average FTE over the month."""
    weeks: dict[date, Decimal] = defaultdict(Decimal)
    for start in problem.week_starts:
        for month, share in month_shares(start).items():
            weeks[month] += share
    return dict(weeks)


def spread_over_months(
    week_starts: tuple[date, ...],
    weekly_fte: list[Decimal] | tuple[Decimal, ...],
    in_post: Callable[[date], bool] | None = None,
) -> dict[date, Decimal]:
    """FTE-weeks of ``weekly_fte[w]`` in week ``w``, by calendar month
    (:func:`month_shares` for each week). The total is kept: the months sum to the
    weeks' sum (a week with none of its working days counted keeps its FTE only if
    its FTE is zero, which a person's capacity and bookings outside their post are)."""
    totals: dict[date, Decimal] = defaultdict(Decimal)
    for start, fte in zip(week_starts, weekly_fte, strict=True):
        if not fte:
            continue
        shares = month_shares(start, in_post) or month_shares(start)
        for month, share in shares.items():
            totals[month] += fte * share
    return dict(totals)


def monthly_utilisation_table(plan: Plan) -> pd.DataFrame:
    """Each person's available and booked time by calendar month, and the booked share.

    Columns: ``staff_id, name, month, month_start, in_post, available_fte_weeks,
    booked_fte_weeks, booked_share``. ``in_post`` is whether the person holds the post on
    any working day of the month; ``booked_share`` is booked over available, ``None``
    where nothing is available (not in post, or away all month).
    """
    problem = plan.problem
    months = planned_months(problem)
    rows = []
    for member in problem.staff:
        available = spread_over_months(
            problem.week_starts, problem.capacity[member.id], member.employed_on
        )
        booked = spread_over_months(
            problem.week_starts, plan.load_by_week(member.id), member.employed_on
        )
        for month in months:
            have = available.get(month, Decimal(0))
            used = booked.get(month, Decimal(0))
            rows.append(
                {
                    "staff_id": member.id,
                    "name": member.name,
                    "month": f"{month:{MONTH_LABEL}}",
                    "month_start": month.isoformat(),
                    "in_post": _in_post_in(member, month),
                    "available_fte_weeks": have,
                    "booked_fte_weeks": used,
                    "booked_share": used / have if have else None,
                }
            )
    columns = [
        "staff_id",
        "name",
        "month",
        "month_start",
        "in_post",
        "available_fte_weeks",
        "booked_fte_weeks",
        "booked_share",
    ]
    return pd.DataFrame(rows, columns=columns)


def monthly_demand_table(plan: Plan) -> pd.DataFrame:
    """Demand for the team's time by calendar month, by kind of work, against capacity.

    One row per month, kind of work, basis and status with any demand, then nothing else:
    ``month, month_start, kind, basis, status, fte_weeks, fte``.

    - ``basis``: ``committed``, or ``if bids are won`` for the delivery of a funding bid
      (its post-award work, or the delivery of a bid already submitted): it is there
      only if the bid is won, and is planned at the share the plan's ``--bids`` gives it
      (``expected``: win probability x the team's share). Writing a bid is committed.
    - ``status``: ``planned`` (booked in the plan, in the weeks it is booked) or ``not
      delivered`` (unmet: spread evenly over the weeks it could have run in).
    - ``fte``: the month's FTE-weeks over the planning weeks in the month
      (:func:`weeks_in_month`), the average FTE the month asks for.

    The capacity to hold it against is :func:`monthly_capacity_table`.
    """
    problem = plan.problem
    in_month = weeks_in_month(problem)
    totals: dict[tuple[date, WorkKind, str, str], Decimal] = defaultdict(Decimal)
    for a in plan.assignments:
        task = problem.task(a.task_id)
        weekly = [Decimal(0)] * problem.n_weeks
        for w in range(a.start_week, a.end_week):
            weekly[w] = a.load_fte
        for month, fte_weeks in spread_over_months(problem.week_starts, weekly).items():
            totals[month, task.kind, basis_of(problem, task), PLANNED] += fte_weeks
    for u in plan.unmet:
        task = problem.task(u.task_id)
        first = min(task.earliest_start, problem.n_weeks - 1)
        last = max(first + 1, min(task.latest_end, problem.n_weeks))
        weekly = [Decimal(0)] * problem.n_weeks
        for w in range(first, last):
            weekly[w] = u.demand_fte_weeks / (last - first)
        for month, fte_weeks in spread_over_months(problem.week_starts, weekly).items():
            totals[month, task.kind, basis_of(problem, task), NOT_DELIVERED] += fte_weeks
    kinds = list(WorkKind)
    rows = [
        {
            "month": f"{month:{MONTH_LABEL}}",
            "month_start": month.isoformat(),
            "kind": kind.value,
            "basis": basis,
            "status": status,
            "fte_weeks": fte_weeks,
            "fte": fte_weeks / in_month[month],
        }
        for (month, kind, basis, status), fte_weeks in sorted(
            totals.items(),
            key=lambda entry: (
                entry[0][0],
                entry[0][3] != PLANNED,
                entry[0][2] != COMMITTED,
                kinds.index(entry[0][1]),
            ),
        )
        if fte_weeks
    ]
    columns = ["month", "month_start", "kind", "basis", "status", "fte_weeks", "fte"]
    return pd.DataFrame(rows, columns=columns)


def monthly_capacity_table(plan: Plan) -> pd.DataFrame:
    """The team's available time by calendar month: ``month, month_start,
    available_fte_weeks, available_fte, people_in_post`` (``available_fte`` over the
    planning weeks in the month, as :func:`monthly_demand_table`'s ``fte``)."""
    problem = plan.problem
    in_month = weeks_in_month(problem)
    available: dict[date, Decimal] = defaultdict(Decimal)
    for member in problem.staff:
        for month, fte_weeks in spread_over_months(
            problem.week_starts, problem.capacity[member.id], member.employed_on
        ).items():
            available[month] += fte_weeks
    rows = [
        {
            "month": f"{month:{MONTH_LABEL}}",
            "month_start": month.isoformat(),
            "available_fte_weeks": available.get(month, Decimal(0)),
            "available_fte": available.get(month, Decimal(0)) / in_month[month],
            "people_in_post": sum(_in_post_in(m, month) for m in problem.staff),
        }
        for month in planned_months(problem)
    ]
    columns = ["month", "month_start", "available_fte_weeks", "available_fte", "people_in_post"]
    return pd.DataFrame(rows, columns=columns)


def basis_of(problem: PlanningProblem, task: Task) -> str:
    """``if bids are won`` for a bid's delivery, else ``committed`` (writing a bid, and
    its second writer's share, are done whether or not it is won)."""
    if not task.bid_dependent or task.kind is WorkKind.BID:
        return COMMITTED
    items = {w.id: w for w in problem.scenario.work}
    partner = items.get(task.alongside) if task.alongside else None
    if partner is not None and partner.kind is WorkKind.BID:
        return COMMITTED
    return IF_BIDS_WON


def _in_post_in(member: StaffMember, month: date) -> bool:
    """Whether ``member`` holds the post on any working day of ``month``."""
    day = month
    while day.month == month.month:
        if day.weekday() < WORKING_DAYS and member.employed_on(day):
            return True
        day += timedelta(days=1)
    return False
