"""Finance tables: option costs with value for money, start-date sensitivity, reconciliation."""

from __future__ import annotations

import textwrap
from datetime import date
from decimal import Decimal

import pandas as pd

from capacity.domain.pay import ProRata
from capacity.domain.scenario import Scenario
from capacity.domain.years import financial_year_of, spread_over_years
from capacity.finance import (
    ROUNDING_RULE,
    Reconciliation,
    StartDateCost,
    format_money,
    to_pounds,
)
from capacity.finance.option_costs import first_year
from capacity.plan import OptionResult, Plan
from capacity.reports.comparison import work_by_year
from capacity.reports.figures import format_fte_weeks


def costs_table(results: list[OptionResult]) -> pd.DataFrame:
    """One row per option.

    All the ratios are in year (:func:`capacity.finance.option_costs.first_year`: the
    horizon, or its first financial year if it is longer), work and cost alike.
    ``cost_per_delivered_fte_week`` is the in-year cost of the posts being
    decided (the WMDN post and any new post) over the FTE-weeks of work the
    plan gives those posts. ``cost_per_unmet_fte_week_removed`` is the
    additional cost over the unmet demand removed compared with the first
    option (blank when none is removed).
    """
    first = results[0].plan if results else None
    first_unmet = _unmet_in_year(first) if first else Decimal(0)
    rows = []
    for result in results:
        plan, cost = result.plan, result.cost
        start, end = first_year(plan.problem.scenario)
        delivered_by_posts = sum(
            (
                a.load_fte * _weeks_within(plan, a.start_week, a.end_week, start, end)
                for a in plan.assignments
                if a.staff_id in cost.decided_posts
            ),
            Decimal(0),
        )
        removed = (first_unmet - _unmet_in_year(plan)) if first else Decimal(0)
        rows.append(
            {
                "option_id": plan.option_id,
                "option_name": plan.problem.option_name,
                "additional_cost_in_year": cost.additional_in_year,
                "additional_cost_next_year": cost.additional_next_year,
                **{
                    f"additional_cost_{label.replace('/', '_')}": amount
                    for label, amount in cost.by_year
                },
                "decided_posts": ";".join(cost.decided_posts),
                "decided_posts_cost_in_year": cost.posts_cost_in_year,
                "decided_posts_delivered_fte_weeks": delivered_by_posts,
                "cost_per_delivered_fte_week": _ratio(
                    cost.exact_posts_cost_in_year, delivered_by_posts
                ),
                "unmet_fte_weeks": plan.unmet_fte_weeks,
                "unmet_removed_vs_first_option": removed,
                "cost_per_unmet_fte_week_removed": _ratio(cost.exact_in_year, removed),
                "rule": f"pro rata by {cost.rule.value}",
            }
        )
    return pd.DataFrame(rows)


def _weeks_within(plan: Plan, first: int, end: int, start: date, last: date) -> Decimal:
    """Weeks ``first``-``end`` (exclusive) that fall in ``start``-``last``; a week across 31
    March counts by its working days in each year
    (:func:`capacity.domain.years.week_shares`)."""
    weeks = plan.problem.week_starts
    if (start, last) == (plan.problem.scenario.horizon.start, plan.problem.scenario.horizon.end):
        return Decimal(end - first)
    label = financial_year_of(start).label
    return spread_over_years(weeks, first, end, Decimal(1)).get(label, Decimal(0))


def _unmet_in_year(plan: Plan) -> Decimal:
    start, last = first_year(plan.problem.scenario)
    horizon = plan.problem.scenario.horizon
    if (start, last) == (horizon.start, horizon.end):
        return plan.unmet_fte_weeks
    return work_by_year(plan)[financial_year_of(start).label][1]


def start_date_table(rows: list[StartDateCost]) -> pd.DataFrame:
    """In-year additional cost of each new post by its start date."""
    return pd.DataFrame(
        [
            {
                "option_id": r.option_id,
                "staff_id": r.staff_id,
                "start": r.start.isoformat(),
                "additional_cost_in_year": r.additional_in_year,
                "planned": r.planned,
            }
            for r in rows
        ],
        columns=["option_id", "staff_id", "start", "additional_cost_in_year", "planned"],
    )


def reconciliation_table(reconciliations: list[Reconciliation]) -> pd.DataFrame:
    """Stated against computed, with the difference, a flag and the likely explanation."""
    return pd.DataFrame(
        [
            {
                "figure": r.figure.label(),
                "source": r.figure.provenance.text,
                "stated": r.figure.value,
                "computed": r.computed,
                "difference": r.difference,
                "flag": "DIFFERS" if r.flagged else "ok",
                "explanation": r.explanation,
            }
            for r in reconciliations
        ],
        columns=["figure", "source", "stated", "computed", "difference", "flag", "explanation"],
    )


def _ratio(amount: Decimal | None, per: Decimal) -> Decimal | None:
    """An exact amount over a quantity, rounded once (to the penny, half up)."""
    if amount is None or per <= 0:
        return None
    return to_pounds(amount / per)


def pay_model_text(data: Scenario, rule: ProRata) -> str:
    """One sentence stating the pay model and rounding rule every cost used."""
    pay = data.pay
    grades = ", ".join(
        f"grade {g.name} {format_money(g.annual_salary)} a year "
        f"({g.provenance.text or 'no source'})"
        for g in pay.grades.values()
    )
    award = (
        f"pay award {pay.award.percent}% from {pay.award.effective} each year"
        if pay.award and pay.award.percent
        else "no pay award"
    )
    on_costs = (
        f"on-costs {pay.on_costs.employer_ni_percent}% NI + {pay.on_costs.pension_percent}% pension"
        if pay.on_costs.included
        else "no on-costs (the record's figures are bare salary)"
    )
    rule_text = f"pro rata by {rule.value}; {ROUNDING_RULE}"
    return f"Pay: {grades or 'no grades'}; {award}; {on_costs}; {rule_text}."


def costs_view(costs: pd.DataFrame) -> pd.DataFrame:
    """Options as columns, as in the comparison."""
    rows = {
        "Additional cost in year": ("additional_cost_in_year", pounds),
        "Additional cost next year": ("additional_cost_next_year", pounds),
        "Posts decided": ("decided_posts", lambda v: str(v).replace(";", ", ")),
        "Their cost in year": ("decided_posts_cost_in_year", pounds),
        "Work they deliver (FTE-weeks)": ("decided_posts_delivered_fte_weeks", format_fte_weeks),
        "Cost per FTE-week they deliver": ("cost_per_delivered_fte_week", pounds),
        "Unmet (FTE-weeks)": ("unmet_fte_weeks", format_fte_weeks),
        "Unmet removed vs first option": ("unmet_removed_vs_first_option", format_fte_weeks),
        "Cost per unmet FTE-week removed": ("cost_per_unmet_fte_week_removed", pounds),
    }
    return pd.DataFrame(
        {
            row["option_id"]: {label: show(row[column]) for label, (column, show) in rows.items()}
            for _, row in costs.iterrows()
        }
    )


def start_date_view(table: pd.DataFrame) -> pd.DataFrame:
    """The start-date table with pounds shown as money."""
    view = table.copy()
    for column in view.columns:
        if "cost" in column:
            view[column] = view[column].map(pounds)
    return view.drop(columns=[c for c in ("option_name", "rule") if c in view.columns])


def pounds(amount: object) -> str:
    """Money as printed (:func:`capacity.finance.format_money`), or n/a for a missing one."""
    if amount is None or (isinstance(amount, float) and amount != amount):
        return "n/a"
    return format_money(Decimal(str(amount)))


def reconciliation_text(table: pd.DataFrame, tolerance: float, width: int = 100) -> str:
    """The reconciliation as printed: a line per figure and its wrapped explanation."""
    flagged = int((table["flag"] != "ok").sum())
    lines = [
        f"Reconciliation with the stated figures (tolerance {pounds(tolerance)}; "
        f"{flagged} of {len(table)} differ):"
    ]
    indent = " " * 6
    for row in table.itertuples():
        lines.append(
            f"  [{row.flag}] {row.figure} ({row.source}): stated {pounds(row.stated)}, "
            f"computed {pounds(row.computed)}, difference {pounds(row.difference)}"
        )
        lines.append(
            textwrap.fill(
                str(row.explanation),
                width=width,
                initial_indent=indent,
                subsequent_indent=indent,
                break_on_hyphens=False,
            )
        )
    return "\n".join(lines)
