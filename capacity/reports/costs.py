"""Finance tables: option costs with value for money, start-date sensitivity, reconciliation."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from capacity.finance import Reconciliation, StartDateCost, to_pounds
from capacity.pipeline import OptionResult


def costs_table(results: list[OptionResult]) -> pd.DataFrame:
    """One row per option.

    ``cost_per_delivered_fte_week`` is the in-year cost of the posts being
    decided (the WMDN post and any new post) over the FTE-weeks of work the
    plan gives those posts. ``cost_per_unmet_fte_week_removed`` is the
    additional cost over the unmet demand removed compared with the first
    option (blank when none is removed).
    """
    first = results[0].plan if results else None
    rows = []
    for result in results:
        plan, cost = result.plan, result.cost
        delivered_by_posts = sum(
            (a.fte_weeks for a in plan.assignments if a.staff_id in cost.decided_posts), Decimal(0)
        )
        removed = (first.unmet_fte_weeks - plan.unmet_fte_weeks) if first else Decimal(0)
        rows.append(
            {
                "option_id": plan.option_id,
                "option_name": plan.problem.option_name,
                "additional_cost_in_year": cost.additional_in_year,
                "additional_cost_next_year": cost.additional_next_year,
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
