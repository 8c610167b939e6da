"""How the in-year cost of a new post depends on when the recruit starts.

A post empty during a recruitment gap costs nothing for that time, so the
later the start, the lower the in-year cost (and the less work delivered).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from capacity.domain.estimate import PointRule
from capacity.domain.options import AddPost
from capacity.domain.pay import ProRata
from capacity.domain.scenario import Scenario
from capacity.finance.option_costs import option_cost


@dataclass(frozen=True)
class StartDateCost:
    option_id: str
    staff_id: str
    start: date
    additional_in_year: Decimal | None
    planned: bool  # the start date the plan uses


def start_date_costs(
    scenario: Scenario,
    months: int = 6,
    cost_rule: ProRata | None = None,
    point_rule: PointRule | None = None,
) -> list[StartDateCost]:
    """In-year cost of each option that adds a post, for starts on the first of each month.

    The dates run from the planned start for ``months`` months (not past the
    horizon's end); the planned start (at ``point_rule``'s recruitment gap) is
    always included.
    """
    rule = point_rule or scenario.assumptions.point_rule
    rows = []
    for option in scenario.options:
        for change in option.changes:
            if not isinstance(change, AddPost):
                continue
            planned = change.start_date(rule)
            starts = [planned, *_month_starts_after(planned, months, scenario.horizon.end)]
            for start in starts:
                team = tuple(
                    replace(m, contract_start=start) if m.id == change.member.id else m
                    for m in option.team(scenario.team, rule)
                )
                cost = option_cost(scenario, option.id, cost_rule, team=team)
                rows.append(
                    StartDateCost(
                        option.id,
                        change.member.id,
                        start,
                        cost.additional_in_year,
                        start == planned,
                    )
                )
    return rows


def _month_starts_after(day: date, months: int, last: date) -> list[date]:
    found: list[date] = []
    year, month = day.year, day.month
    while len(found) < months:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        start = date(year, month, 1)
        if start > last:
            break
        found.append(start)
    return found
