"""Financial years (1 April - 31 March) and the share of a planning week in each.

Every per-year figure (delivered and unmet work, costs' years, chart axes) asks
:func:`week_shares` which financial year a week belongs to: a week that straddles
31 March is split by its working days (Monday to Friday) in each year, so the
shipped week of Thursday 31 March 2022 is 1/5 in 2021/22 and 4/5 in 2022/23.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

DAYS_PER_WEEK = 7
WORKING_DAYS = 5  # Monday to Friday; the week's share in a year is its working days there


@dataclass(frozen=True)
class FinancialYear:
    """One financial year, 1 April to 31 March, both inclusive."""

    start: date
    end: date

    @property
    def label(self) -> str:
        """``2021/22``."""
        return f"{self.start:%Y}/{self.end:%y}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def financial_year_of(day: date) -> FinancialYear:
    """The financial year holding ``day``."""
    first = day.year if day >= date(day.year, 4, 1) else day.year - 1
    return FinancialYear(date(first, 4, 1), date(first + 1, 3, 31))


def financial_years(start: date, end: date) -> tuple[FinancialYear, ...]:
    """The financial years that the period ``start``-``end`` (inclusive) touches, in order."""
    years = [financial_year_of(start)]
    while years[-1].end < end:
        years.append(financial_year_of(years[-1].end + timedelta(days=1)))
    return tuple(years)


def week_shares(week_start: date) -> dict[str, Decimal]:
    """Which financial year(s) the week starting ``week_start`` is in, and what share.

    Returns
    -------
    dict[str, Decimal]
        Financial year label -> share of the week's working days in that year
        (the shares sum to 1). A week wholly inside one year gives ``{label: 1}``.
    """
    return dict(_week_shares(week_start))


@lru_cache(maxsize=4096)
def _week_shares(week_start: date) -> tuple[tuple[str, Decimal], ...]:
    # Kept per week: the comparison asks for each week of each piece of work of each
    # option (1,044 spans and 14,256 weeks for the shipped 2021/22 options: 0.7 s uncached).
    days = [week_start + timedelta(days=d) for d in range(DAYS_PER_WEEK)]
    working = [d for d in days if d.weekday() < WORKING_DAYS]
    shares: dict[str, Decimal] = {}
    for day in working:
        label = financial_year_of(day).label
        shares[label] = shares.get(label, Decimal(0)) + Decimal(1) / WORKING_DAYS
    return tuple(shares.items())


def spread_over_years(
    week_starts: tuple[date, ...], first_week: int, end_week: int, fte: Decimal
) -> dict[str, Decimal]:
    """FTE-weeks of ``fte`` a week over weeks ``first_week`` to ``end_week`` (exclusive),
    by financial year (:func:`week_shares` for each week)."""
    totals: dict[str, Decimal] = {}
    for week in range(first_week, end_week):
        for label, share in week_shares(week_starts[week]).items():
            totals[label] = totals.get(label, Decimal(0)) + fte * share
    return totals
