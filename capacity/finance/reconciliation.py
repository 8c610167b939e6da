"""Reconcile the costs a decision document states with the costs computed here.

Each stated figure is recomputed with the scenario's pay model; a difference
over the tolerance is flagged, never hidden, and explained from the figures
themselves: the annual salary the stated figure implies under the same rules
(pro rata, pay award, on-costs), whether another stated figure accounts for
it, or whether the pence were truncated rather than rounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from capacity.domain.estimate import PointRule
from capacity.domain.pay import ProRata, StatedFigure, StatedFigureKind
from capacity.domain.scenario import Scenario
from capacity.domain.team import StaffMember
from capacity.finance.money import format_money
from capacity.finance.option_costs import option_cost
from capacity.finance.pay import to_pounds, truncate_to_pence

DEFAULT_TOLERANCE = Decimal("1.00")


@dataclass(frozen=True)
class Reconciliation:
    """One stated figure against the computed one (``difference`` = stated - computed)."""

    figure: StatedFigure
    computed: Decimal | None
    difference: Decimal | None
    flagged: bool
    explanation: str


@dataclass(frozen=True)
class _Computed:
    exact: Decimal | None
    members: list[StaffMember]  # the posts the figure is about


def reconcile(
    scenario: Scenario,
    tolerance: Decimal = DEFAULT_TOLERANCE,
    rule: ProRata | None = None,
    point_rule: PointRule | None = None,
) -> list[Reconciliation]:
    """Every stated figure of the scenario, recomputed and explained."""
    return [
        _reconcile_one(scenario, figure, tolerance, rule, point_rule)
        for figure in scenario.pay.stated
    ]


def _reconcile_one(
    scenario: Scenario,
    figure: StatedFigure,
    tolerance: Decimal,
    rule: ProRata | None,
    point_rule: PointRule | None,
) -> Reconciliation:
    computed = _compute(scenario, figure, rule, point_rule)
    if computed.exact is None:
        return Reconciliation(figure, None, None, True, "cannot compute: a post has no grade")
    exact = computed.exact
    rounded = to_pounds(exact)
    difference = figure.value - rounded
    flagged = abs(difference) > tolerance
    reasons: list[str] = [] if flagged else ["agrees"]
    if figure.value != rounded and figure.value == truncate_to_pence(exact):
        reasons.append(
            # The exact amount is shown unrounded on purpose: it is what the rounding acts on.
            f"the stated figure truncates the pence: the exact £{exact:,.4f} rounds half up "
            f"to {format_money(rounded)}"
        )
    if flagged and exact > 0:
        reasons += _implied(scenario, figure, exact, computed.members)
    return Reconciliation(figure, rounded, difference, flagged, "; ".join(reasons))


def _compute(
    scenario: Scenario, figure: StatedFigure, rule: ProRata | None, point_rule: PointRule | None
) -> _Computed:
    if figure.kind is StatedFigureKind.ANNUAL_COST:
        member = _post(scenario, figure.post or "")
        salary = scenario.pay.annual_salary(member.grade)
        if salary is None:
            return _Computed(None, [member])
        return _Computed(salary * member.fte * scenario.pay.on_costs.multiplier, [member])
    cost = option_cost(scenario, figure.option or "", rule, point_rule=point_rule)
    in_year = figure.kind is StatedFigureKind.ADDITIONAL_IN_YEAR
    exact = cost.exact_in_year if in_year else cost.exact_next_year
    option = scenario.option(figure.option or "")
    point = point_rule or scenario.assumptions.point_rule
    base = {m.id: m for m in scenario.team}
    members = [m for m in option.team(scenario.team, point) if base.get(m.id) != m]
    return _Computed(exact, members)


def _implied(
    scenario: Scenario,
    figure: StatedFigure,
    exact: Decimal,
    members: list[StaffMember],
) -> list[str]:
    """What the stated figure implies, by scaling the computed one (same rules throughout)."""
    ratio = figure.value / exact
    grades = {m.grade for m in members}
    ftes = {m.fte for m in members}
    if len(grades) != 1 or not members:
        return [f"the stated figure is {ratio:.4f} times the computed one"]
    grade = next(iter(grades))
    known = scenario.pay.grades.get(grade or "")
    if known is None:
        return []
    implied = to_pounds(known.annual_salary * ratio)
    at_fte = ""
    if len(ftes) == 1 and (fte := next(iter(ftes))) != 1:
        per_year = to_pounds(known.annual_salary * fte * ratio)
        at_fte = f", {format_money(per_year)} a year at {fte.normalize():f} FTE"
    rules = _rules_note(scenario)
    source = f" ({known.provenance.text})" if known.provenance.text else ""
    reasons = [
        f"implies {format_money(implied)} a year full time{at_fte}{rules}, not grade {grade}'s "
        f"{format_money(known.annual_salary)}{source}"
    ]
    if figure.kind is StatedFigureKind.ANNUAL_COST:
        return reasons
    for other in scenario.pay.stated:
        if other.kind is not StatedFigureKind.ANNUAL_COST:
            continue
        post = _post(scenario, other.post or "")
        salary = scenario.pay.annual_salary(post.grade)
        if salary is None or post.grade != grade:
            continue
        computed_annual = salary * post.fte * scenario.pay.on_costs.multiplier
        would_be = to_pounds(exact * other.value / computed_annual)
        if abs(would_be - figure.value) < Decimal("10"):
            reasons.append(
                f"close to pro-rating the {format_money(other.value)} a year stated for "
                f"{other.post} ({other.provenance.text}), which gives {format_money(would_be)}"
            )
    return reasons


def _rules_note(scenario: Scenario) -> str:
    parts = []
    if scenario.pay.award and scenario.pay.award.percent:
        parts.append(f"the {scenario.pay.award.percent}% pay award")
    if scenario.pay.on_costs.included:
        parts.append("on-costs")
    return f" (allowing for {' and '.join(parts)})" if parts else ""


def _post(scenario: Scenario, staff_id: str) -> StaffMember:
    for member in scenario.team:
        if member.id == staff_id:
            return member
    for option in scenario.options:
        for member in option.team(scenario.team, scenario.assumptions.point_rule):
            if member.id == staff_id:
                return member
    raise KeyError(staff_id)
