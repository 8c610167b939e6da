"""The cost of each staffing option against the budgeted position.

The budgeted position is the base team (the scenario's team with no option
applied): for West Mercia 2021/22 that is the WMDN post to 31 July 2021, as
budgeted (para 48). An option's additional cost is what its graded posts cost
over the period, less what the base team's graded posts cost. Posts with no
grade (the permanent team) are the same in every option and cancel out; an
option that changes an ungraded post is reported as not costed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from capacity.domain.scenario import Scenario
from capacity.domain.team import StaffMember
from capacity.finance.pay import ProRata, post_cost, to_pounds


@dataclass(frozen=True)
class OptionCost:
    """Costs of one option, in pounds, rounded to the penny (half up).

    Parameters
    ----------
    additional_in_year
        Extra cost over the planning horizon compared with the base team.
    additional_next_year
        Extra cost over the following twelve months (the recurring cost).
    rule
        The pro-rata rule used.
    uncosted
        Posts the option changes that have no grade, so no salary.
    """

    option_id: str
    additional_in_year: Decimal | None
    additional_next_year: Decimal | None
    rule: ProRata
    uncosted: tuple[str, ...] = ()


def option_cost(scenario: Scenario, option_id: str, rule: ProRata = ProRata.MONTHS) -> OptionCost:
    """Additional cost of an option this year and next, against the base team."""
    option = scenario.option(option_id)
    base = {m.id: m for m in scenario.team}
    team = {m.id: m for m in option.team(scenario.team, scenario.assumptions.point_rule)}
    changed = [i for i in team.keys() | base.keys() if team.get(i) != base.get(i)]
    uncosted = tuple(
        sorted(i for i in changed if _salary(scenario, team.get(i) or base[i]) is None)
    )
    if uncosted:
        return OptionCost(option_id, None, None, rule, uncosted)
    start, end = scenario.horizon.start, scenario.horizon.end
    next_start = end + timedelta(days=1)
    next_end = next_start.replace(year=next_start.year + 1) - timedelta(days=1)

    def extra(period_start: date, period_end: date) -> Decimal:
        with_option = sum(
            (_cost(scenario, team.get(i), period_start, period_end, rule) for i in changed),
            Decimal(0),
        )
        budgeted = sum(
            (_cost(scenario, base.get(i), period_start, period_end, rule) for i in changed),
            Decimal(0),
        )
        return to_pounds(with_option - budgeted)

    return OptionCost(option_id, extra(start, end), extra(next_start, next_end), rule)


def _salary(scenario: Scenario, member: StaffMember) -> Decimal | None:
    grade = scenario.grades.get(member.grade or "")
    return None if grade is None else grade.annual_salary


def _cost(
    scenario: Scenario, member: StaffMember | None, start: date, end: date, rule: ProRata
) -> Decimal:
    if member is None:
        return Decimal(0)
    salary = _salary(scenario, member)
    assert salary is not None
    return post_cost(
        salary, member.fte, member.contract_start, member.contract_end, start, end, rule
    )
