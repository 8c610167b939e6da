"""What a post costs over a period.

The pro-rata rules are described on :class:`capacity.domain.pay.ProRata`.
A pay award raises the salary from its effective date (and each anniversary),
so a period that crosses it is costed in parts. On-costs (employer National
Insurance and pension) multiply the result; they are off unless the scenario
sets them, because the decision record's figures exclude them.

Rounding: costs are computed exactly (``Decimal`` and exact fractions of a
month or year) and rounded once, to the penny, half up, when reported
(:func:`to_pounds`).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction

from capacity.domain.pay import OnCosts, PayAward, ProRata

PENNY = Decimal("0.01")
ROUNDING_RULE = "rounded once to the penny, half up"


def to_pounds(amount: Decimal) -> Decimal:
    """Round to the penny, half up: the one rounding step, at the edge."""
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def truncate_to_pence(amount: Decimal) -> Decimal:
    """Drop fractions of a penny (used only to explain figures rounded that way)."""
    return amount.quantize(PENNY, rounding=ROUND_DOWN)


def post_cost(
    annual_salary: Decimal,
    fte: Decimal,
    in_post_from: date | None,
    in_post_to: date | None,
    period_start: date,
    period_end: date,
    rule: ProRata = ProRata.MONTHS,
    award: PayAward | None = None,
    on_costs: OnCosts | None = None,
) -> Decimal:
    """Unrounded cost of a post between two dates (all inclusive).

    Parameters
    ----------
    annual_salary
        Full-time annual salary of the grade (before any award in the period).
    fte
        The post's FTE.
    in_post_from, in_post_to
        First and last day the post is filled; ``None`` means open-ended. A
        post empty during a recruitment gap costs nothing for that time.
    period_start, period_end
        The period costed, e.g. a financial year; ``period_start`` also
        fixes where a year begins for the ``days`` rule.
    rule
        ``months`` or ``days``.
    award
        Pay award, applied from its effective dates.
    on_costs
        Employer on-costs; none if omitted.
    """
    first = max(period_start, in_post_from or period_start)
    last = min(period_end, in_post_to or period_end)
    if last < first:
        return Decimal(0)
    yearly = annual_salary * fte
    raises = [d for d in (award.dates_until(last) if award else []) if d > first]
    steps = [first, *raises]
    total = Decimal(0)
    for index, step_first in enumerate(steps):
        step_last = steps[index + 1] - timedelta(days=1) if index + 1 < len(steps) else last
        awards_so_far = len(award.dates_until(step_first)) if award else 0
        factor = (1 + award.percent / 100) ** awards_so_far if award else Decimal(1)
        share = _share_of_year(step_first, step_last, rule, period_start)
        total += yearly * factor * share.numerator / share.denominator
    return total * (on_costs or OnCosts()).multiplier


def months_in_post(first: date, last: date) -> Fraction:
    """Calendar months covered, part months as their share of days (exact)."""
    months = Fraction(0)
    month_start = first.replace(day=1)
    while month_start <= last:
        days_in_month = calendar.monthrange(month_start.year, month_start.month)[1]
        month_end = month_start.replace(day=days_in_month)
        covered = (min(last, month_end) - max(first, month_start)).days + 1
        months += Fraction(covered, days_in_month)
        month_start = month_end + timedelta(days=1)
    return months


def _share_of_year(first: date, last: date, rule: ProRata, year_start: date) -> Fraction:
    if rule is ProRata.MONTHS:
        return months_in_post(first, last) / 12
    share = Fraction(0)
    start = _year_start_on_or_before(first, year_start)
    while start <= last:
        end = _add_years(start, 1) - timedelta(days=1)
        days = (min(last, end) - max(first, start)).days + 1
        if days > 0:
            share += Fraction(days, (end - start).days + 1)
        start = end + timedelta(days=1)
    return share


def _year_start_on_or_before(day: date, year_start: date) -> date:
    start = _add_years(year_start, day.year - year_start.year)
    return start if start <= day else _add_years(start, -1)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return date(day.year + years, 3, 1)
