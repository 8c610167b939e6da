"""What a post costs over a period.

Rules
-----
``months`` (the default, as the decision record costs posts, para 49): each
calendar month costs 1/12 of the annual salary x FTE; a month the post covers
only in part costs that share of its calendar days.

``days``: the annual salary x FTE x days in post / days in that financial year
(365, or 366 when it contains 29 February).

Rounding: costs are computed exactly (``Decimal``) and rounded once, to the
penny, half up, when reported (:func:`to_pounds`).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

PENNY = Decimal("0.01")


class ProRata(StrEnum):
    MONTHS = "months"
    DAYS = "days"


def to_pounds(amount: Decimal) -> Decimal:
    """Round to the penny, half up: the one rounding step, at the edge."""
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def post_cost(
    annual_salary: Decimal,
    fte: Decimal,
    in_post_from: date | None,
    in_post_to: date | None,
    period_start: date,
    period_end: date,
    rule: ProRata = ProRata.MONTHS,
) -> Decimal:
    """Unrounded cost of a post between two dates (all inclusive).

    Parameters
    ----------
    annual_salary
        Full-time annual salary of the grade.
    fte
        The post's FTE.
    in_post_from, in_post_to
        First and last day the post is filled; ``None`` means open-ended.
    period_start, period_end
        The period costed, e.g. a financial year.
    rule
        ``months`` or ``days`` (see the module docstring).
    """
    first = max(period_start, in_post_from or period_start)
    last = min(period_end, in_post_to or period_end)
    if last < first:
        return Decimal(0)
    yearly = annual_salary * fte
    if rule is ProRata.DAYS:
        return yearly * (last - first + timedelta(days=1)).days / _days_in_year(period_start)
    # Count months as an exact fraction, then divide once, so 8 whole months is exactly 8/12.
    months = Fraction(0)
    month_start = first.replace(day=1)
    while month_start <= last:
        days_in_month = calendar.monthrange(month_start.year, month_start.month)[1]
        month_end = month_start.replace(day=days_in_month)
        covered = (min(last, month_end) - max(first, month_start)).days + 1
        months += Fraction(covered, days_in_month)
        month_start = month_end + timedelta(days=1)
    return yearly * months.numerator / (12 * months.denominator)


def _days_in_year(start: date) -> int:
    end = start.replace(year=start.year + 1)
    return (end - start).days
