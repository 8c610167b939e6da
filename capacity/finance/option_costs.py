"""The cost of each staffing option against the budgeted position.

The budgeted position is the base team (the scenario's team with no option
applied): for West Mercia 2021/22, the WMDN post to 31 July 2021, as budgeted
(para 48). An option's additional cost is what its graded posts cost over the
period, less what the base team's graded posts cost. Posts with no grade (the
permanent team) are the same in every option and cancel out; an option that
changes an ungraded post is reported as not costed rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from capacity.domain.estimate import PointRule
from capacity.domain.pay import ProRata
from capacity.domain.scenario import Scenario
from capacity.domain.team import StaffMember
from capacity.domain.years import financial_years
from capacity.finance.pay import post_cost, to_pounds


@dataclass(frozen=True)
class OptionCost:
    """Costs of one option, in pounds.

    Parameters
    ----------
    additional_in_year, additional_next_year
        Extra cost "in year" and over the twelve months after it (the record's "pa
        thereafter"), compared with the base team; rounded to the penny, half up;
        ``None`` when a changed post has no grade. In year is the horizon if it is a
        year or less, else its first financial year (:func:`first_year`).
    exact_in_year, exact_next_year
        The same before rounding.
    posts_cost_in_year, exact_posts_cost_in_year
        In-year cost, under this option, of the posts being decided (those any
        option changes), rounded and exact; ``None`` if one has no grade.
    decided_posts
        Staff ids of the posts being decided that exist under this option.
    rule
        The pro-rata rule used.
    uncosted
        Changed posts that have no grade, so no salary.
    by_year
        Extra cost in each financial year of the horizon (each clipped to the
        horizon), as (label, pounds) in order; pounds ``None`` when not costed.
    additional_over_horizon, additional_after_horizon
        Extra cost over the whole horizon, and over the twelve months after it.
    """

    option_id: str
    additional_in_year: Decimal | None
    additional_next_year: Decimal | None
    exact_in_year: Decimal | None
    exact_next_year: Decimal | None
    posts_cost_in_year: Decimal | None
    exact_posts_cost_in_year: Decimal | None
    decided_posts: tuple[str, ...]
    rule: ProRata
    uncosted: tuple[str, ...] = ()
    by_year: tuple[tuple[str, Decimal | None], ...] = ()
    additional_over_horizon: Decimal | None = None
    additional_after_horizon: Decimal | None = None


def next_year(scenario: Scenario) -> tuple[date, date]:
    """The twelve months after the horizon."""
    return _twelve_months_after(scenario.horizon.end)


def first_year(scenario: Scenario) -> tuple[date, date]:
    """The period of the "in-year" cost: a horizon of a year or less whole (whatever
    its dates); a longer one's first financial year, from the horizon's start."""
    horizon = scenario.horizon
    if _twelve_months_after(horizon.start - timedelta(days=1))[1] >= horizon.end:
        return horizon.start, horizon.end
    return horizon.start, financial_years(horizon.start, horizon.end)[0].end


def _twelve_months_after(day: date) -> tuple[date, date]:
    start = day + timedelta(days=1)
    try:
        end = start.replace(year=start.year + 1) - timedelta(days=1)
    except ValueError:
        end = date(start.year + 1, 2, 28)
    return start, end


def decided_posts(scenario: Scenario) -> list[str]:
    """Staff ids that any option adds or changes: the posts the decision is about."""
    rule = scenario.assumptions.point_rule
    base = {m.id: m for m in scenario.team}
    ids: list[str] = []
    for option in scenario.options:
        team = {m.id: m for m in option.team(scenario.team, rule)}
        for staff_id in [*base, *team]:
            if team.get(staff_id) != base.get(staff_id) and staff_id not in ids:
                ids.append(staff_id)
    return ids


def option_cost(
    scenario: Scenario,
    option_id: str,
    rule: ProRata | None = None,
    team: tuple[StaffMember, ...] | None = None,
    point_rule: PointRule | None = None,
) -> OptionCost:
    """Additional cost of an option this year and next, against the base team.

    Parameters
    ----------
    scenario
        The scenario.
    option_id
        The option.
    rule
        Pro-rata rule; defaults to the scenario's (``pay.pro_rata``).
    team
        The option's team, if already built with other assumptions (for
        example a later recruitment start); defaults to the scenario's.
    point_rule
        Point of ranges (such as a recruitment gap) to build the team with;
        defaults to the scenario's, and must match the plan's.
    """
    rule = rule or scenario.pay.rule
    option = scenario.option(option_id)
    base = {m.id: m for m in scenario.team}
    point = point_rule or scenario.assumptions.point_rule
    members = {m.id: m for m in (team or option.team(scenario.team, point))}
    changed = [i for i in [*base, *members] if members.get(i) != base.get(i)]
    changed = list(dict.fromkeys(changed))
    decided = [i for i in decided_posts(scenario) if i in members]

    def ungraded(staff_id: str) -> bool:
        return scenario.pay.annual_salary((members.get(staff_id) or base[staff_id]).grade) is None

    horizon = scenario.horizon
    years = financial_years(horizon.start, horizon.end)
    uncosted = tuple(sorted(i for i in changed if ungraded(i)))
    if uncosted:
        return OptionCost(
            option_id,
            None,
            None,
            None,
            None,
            None,
            None,
            tuple(decided),
            rule,
            uncosted,
            by_year=tuple((year.label, None) for year in years),
        )

    def cost(member: StaffMember | None, start: date, end: date) -> Decimal:
        if member is None:
            return Decimal(0)
        salary = scenario.pay.annual_salary(member.grade)
        assert salary is not None
        return post_cost(
            salary,
            member.fte,
            member.contract_start,
            member.contract_end,
            start,
            end,
            rule,
            scenario.pay.award,
            scenario.pay.on_costs,
        )

    def extra(start: date, end: date) -> Decimal:
        return sum(
            (cost(members.get(i), start, end) - cost(base.get(i), start, end) for i in changed),
            Decimal(0),
        )

    in_year_start, in_year_end = first_year(scenario)
    in_year = extra(in_year_start, in_year_end)
    following = extra(*_twelve_months_after(in_year_end))
    by_year = tuple(
        (year.label, to_pounds(extra(max(year.start, horizon.start), min(year.end, horizon.end))))
        for year in years
    )
    posts = (
        None
        if any(ungraded(i) for i in decided)
        else sum((cost(members[i], in_year_start, in_year_end) for i in decided), Decimal(0))
    )
    return OptionCost(
        option_id=option_id,
        additional_in_year=to_pounds(in_year),
        additional_next_year=to_pounds(following),
        exact_in_year=in_year,
        exact_next_year=following,
        posts_cost_in_year=None if posts is None else to_pounds(posts),
        exact_posts_cost_in_year=posts,
        decided_posts=tuple(decided),
        rule=rule,
        by_year=by_year,
        additional_over_horizon=to_pounds(extra(horizon.start, horizon.end)),
        additional_after_horizon=to_pounds(extra(*next_year(scenario))),
    )
