"""Load on the weekly grid: whether it fits a run of weeks, and what is booked each week.

The planners, the LP bound and the diagnosis all ask "does this load fit
these weeks" and "how much is booked in each week"; these functions are the
one answer. They work in FTE (``Decimal``) or in solver units (``int``) alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TypeVar

Amount = TypeVar("Amount", int, Decimal)

Booking = tuple[str, int, int, Decimal]
"""(staff id, first week, end week exclusive, FTE a week): one piece of booked work."""


def fits(free: Sequence[Amount], load: Amount, start: int, duration: int) -> bool:
    """Whether ``load`` fits in ``free`` in each of ``duration`` weeks from ``start``."""
    return all(free[week] >= load for week in range(start, start + duration))


def fitting_starts(
    free: Sequence[Amount], load: Amount, earliest: int, latest_end: int, duration: int
) -> list[int]:
    """Start weeks in ``[earliest, latest_end - duration]`` at which ``load`` fits every
    week of the block (see :func:`fits`), in order.

    One pass over the window: a start fits when the run of weeks with room that
    begins there is at least ``duration`` long.
    """
    last_start = latest_end - duration
    if last_start < earliest:
        return []
    if duration <= 0:  # an empty block fits anywhere
        return list(range(earliest, last_start + 1))
    run = 0  # weeks with room from the current week on, up to latest_end
    starts = []
    for week in range(latest_end - 1, earliest - 1, -1):
        run = run + 1 if free[week] >= load else 0
        if week <= last_start and run >= duration:
            starts.append(week)
    starts.reverse()
    return starts


def weekly_load(bookings: Iterable[Booking], n_weeks: int) -> dict[str, list[Decimal]]:
    """FTE booked for each person in each week; people with nothing booked are left out."""
    load: dict[str, list[Decimal]] = {}
    for staff_id, first, end, fte in bookings:
        weeks = load.setdefault(staff_id, [Decimal(0)] * n_weeks)
        for week in range(first, end):
            weeks[week] += fte
    return load
