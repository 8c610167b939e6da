"""Reconcile the costs a decision document states with the costs computed here.

Each stated figure is recomputed with the scenario's pay model; a difference
over the tolerance is flagged, never hidden, and explained from the figures
themselves: the annual salary the stated figure implies, whether it matches
another stated figure, or whether the pence were truncated rather than rounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from capacity.domain.pay import ProRata, StatedFigure, StatedFigureKind
from capacity.domain.scenario import Scenario
from capacity.domain.team import StaffMember
from capacity.finance.option_costs import next_year, option_cost
from capacity.finance.pay import months_in_post, to_pounds, truncate_to_pence

DEFAULT_TOLERANCE = Decimal("1.00")


@dataclass(frozen=True)
class Reconciliation:
    """One stated figure against the computed one (``difference`` = stated - computed)."""

    figure: StatedFigure
    computed: Decimal | None
    difference: Decimal | None
    flagged: bool
    explanation: str


def reconcile(
    scenario: Scenario, tolerance: Decimal = DEFAULT_TOLERANCE, rule: ProRata | None = None
) -> list[Reconciliation]:
    """Every stated figure of the scenario, recomputed and explained."""
    return [_reconcile_one(scenario, figure, tolerance, rule) for figure in scenario.pay.stated]


def _reconcile_one(
    scenario: Scenario, figure: StatedFigure, tolerance: Decimal, rule: ProRata | None
) -> Reconciliation:
    if figure.kind is StatedFigureKind.ANNUAL_COST:
        exact, fte_years, grade, fte = _annual_cost(scenario, figure)
    else:
        exact, fte_years, grade, fte = _option_figure(scenario, figure, rule)
    if exact is None:
        return Reconciliation(figure, None, None, True, "cannot compute: the post has no grade")
    computed = to_pounds(exact)
    difference = figure.value - computed
    flagged = abs(difference) > tolerance
    reasons: list[str] = []
    if not flagged:
        reasons.append("agrees")
    if figure.value != computed and figure.value == truncate_to_pence(exact):
        reasons.append(
            f"the stated figure truncates the pence: the exact £{exact:,.4f} rounds half up "
            f"to £{computed:,.2f}"
        )
    if flagged and fte_years:
        reasons += _implied_salary(scenario, figure, fte_years, grade, fte)
    return Reconciliation(figure, computed, difference, flagged, "; ".join(reasons))


def _annual_cost(
    scenario: Scenario, figure: StatedFigure
) -> tuple[Decimal | None, Decimal, str | None, Decimal | None]:
    member = _post(scenario, figure.post or "")
    salary = scenario.pay.annual_salary(member.grade)
    if salary is None:
        return None, Decimal(0), None, None
    exact = salary * member.fte * scenario.pay.on_costs.multiplier
    return exact, member.fte, member.grade, member.fte


def _option_figure(
    scenario: Scenario, figure: StatedFigure, rule: ProRata | None
) -> tuple[Decimal | None, Decimal, str | None, Decimal | None]:
    cost = option_cost(scenario, figure.option or "", rule)
    in_year = figure.kind is StatedFigureKind.ADDITIONAL_IN_YEAR
    exact = cost.exact_in_year if in_year else cost.exact_next_year
    start, end = (scenario.horizon.start, scenario.horizon.end) if in_year else next_year(scenario)
    option = scenario.option(figure.option or "")
    base = {m.id: m for m in scenario.team}
    members = {m.id: m for m in option.team(scenario.team, scenario.assumptions.point_rule)}
    fte_years = Decimal(0)
    grades = set()
    ftes = set()
    for staff_id in dict.fromkeys([*base, *members]):
        with_option, budgeted = members.get(staff_id), base.get(staff_id)
        if with_option == budgeted:
            continue
        fte_years += _fte_years(with_option, start, end) - _fte_years(budgeted, start, end)
        grades |= {m.grade for m in (with_option, budgeted) if m is not None}
        ftes |= {m.fte for m in (with_option, budgeted) if m is not None}
    grade = next(iter(grades)) if len(grades) == 1 else None
    return exact, fte_years, grade, (next(iter(ftes)) if len(ftes) == 1 else None)


def _fte_years(member: StaffMember | None, start: date, end: date) -> Decimal:
    if member is None:
        return Decimal(0)
    first = max(start, member.contract_start or start)
    last = min(end, member.contract_end or end)
    if last < first:
        return Decimal(0)
    months = months_in_post(first, last)
    return member.fte * months.numerator / (12 * months.denominator)


def _implied_salary(
    scenario: Scenario,
    figure: StatedFigure,
    fte_years: Decimal,
    grade: str | None,
    fte: Decimal | None,
) -> list[str]:
    implied_full_time = figure.value / fte_years
    reasons = []
    grade_text = ""
    if grade and grade in scenario.pay.grades:
        known = scenario.pay.grades[grade]
        source = f" ({known.provenance.text})" if known.provenance.text else ""
        grade_text = f", not grade {grade}'s £{known.annual_salary:,.2f}{source}"
    if figure.kind is StatedFigureKind.ANNUAL_COST:
        member = _post(scenario, figure.post or "")
        reasons.append(
            f"£{figure.value:,.2f} / {member.fte.normalize():f} FTE = "
            f"£{to_pounds(implied_full_time):,.2f} a year full time{grade_text}"
        )
        return reasons
    at_post_fte = (
        f", £{to_pounds(implied_full_time * fte):,.2f} a year at {fte.normalize():f} FTE"
        if fte is not None and fte != 1
        else ""
    )
    reasons.append(
        f"implies £{to_pounds(implied_full_time):,.2f} a year full time{at_post_fte} "
        f"({_years_text(fte_years)}){grade_text}"
    )
    for other in scenario.pay.stated:
        if other.kind is StatedFigureKind.ANNUAL_COST and other is not figure:
            member = _post(scenario, other.post or "")
            would_be = to_pounds(other.value / member.fte * fte_years)
            if abs(would_be - figure.value) < Decimal("10"):
                reasons.append(
                    f"close to pro-rating the £{other.value:,.2f} a year stated for "
                    f"{other.post} ({other.provenance.text}), which gives £{would_be:,.2f}"
                )
    return reasons


def _years_text(fte_years: Decimal) -> str:
    return f"{fte_years.normalize():f} FTE-years of posts added over the budget"


def _post(scenario: Scenario, staff_id: str) -> StaffMember:
    for member in scenario.team:
        if member.id == staff_id:
            return member
    for option in scenario.options:
        for member in option.team(scenario.team, scenario.assumptions.point_rule):
            if member.id == staff_id:
                return member
    raise KeyError(staff_id)
