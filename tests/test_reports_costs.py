"""capacity.reports.costs on hand-built plans of the small team, and the reconciliation of
the notebook's small copy of the decision (no solver)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import REPOSITORY

from capacity.domain.pay import ProRata
from capacity.finance import reconcile, start_date_costs, to_pounds
from capacity.readers import load_scenario
from capacity.reports.costs import (
    costs_table,
    costs_view,
    pay_model_text,
    pounds,
    reconciliation_table,
    reconciliation_text,
    start_date_table,
    start_date_view,
)

STATED = REPOSITORY / "tests" / "data" / "notebook" / "staffing-options.yaml"


@pytest.fixture(scope="module")
def stated():
    """Four options and two stated costs, both wrong (so both are flagged)."""
    return load_scenario(STATED)


def test_costs_table_takes_each_options_cost_and_the_work_of_the_decided_post(
    small_results,
) -> None:
    table = costs_table(small_results).set_index("option_id")
    extend = small_results[1]
    assert list(table.index) == ["lapse", "extend"]
    assert table.loc["extend", "additional_cost_in_year"] == extend.cost.additional_in_year
    # June, and 4 of July's 31 days, of a 0.6 FTE grade F post, pro rata by months
    assert extend.cost.additional_in_year == to_pounds(
        Decimal("0.6") * 44194 / 12 * (1 + Decimal(4) / 31)
    )
    assert table.loc["lapse", "decided_posts"] == "temp"
    # Under "extend" the temporary post does the three months of business as usual.
    assert table.loc["extend", "decided_posts_delivered_fte_weeks"] == Decimal("5.200")
    assert table.loc["extend", "cost_per_delivered_fte_week"] == to_pounds(
        extend.cost.exact_posts_cost_in_year / Decimal("5.2")
    )
    assert table.loc["lapse", "cost_per_delivered_fte_week"] is None  # the post did no work


def test_costs_table_prices_the_unmet_work_removed_against_the_first_option(
    small_results,
) -> None:
    table = costs_table(small_results).set_index("option_id")
    lapse, extend = small_results
    removed = lapse.plan.unmet_fte_weeks - extend.plan.unmet_fte_weeks
    assert removed == Decimal("5.200")
    assert table.loc["extend", "unmet_removed_vs_first_option"] == removed
    assert table.loc["extend", "cost_per_unmet_fte_week_removed"] == to_pounds(
        extend.cost.exact_in_year / removed
    )
    assert table.loc["lapse", "unmet_removed_vs_first_option"] == 0
    assert table.loc["lapse", "cost_per_unmet_fte_week_removed"] is None


def test_costs_view_shows_money_in_pounds(small_results) -> None:
    view = costs_view(costs_table(small_results))
    assert list(view.columns) == ["lapse", "extend"]
    extend = small_results[1].cost.additional_in_year
    assert view.loc["Additional cost in year", "extend"] == f"£{extend:,.2f}"
    assert view.loc["Cost per unmet FTE-week removed", "lapse"] == "n/a"
    assert view.loc["Posts decided", "extend"] == "temp"
    assert view.loc["Unmet removed vs first option", "extend"] == "5.2"


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("1234.5"), "£1,234.50"),  # thousands separated, always two places
        (Decimal("-0.01"), "-£0.01"),  # the sign before the pound sign
        (0, "£0.00"),
        (None, "n/a"),  # not costed
        (float("nan"), "n/a"),  # a blank read back from a table
    ],
)
def test_pounds(amount: object, shown: str) -> None:
    assert pounds(amount) == shown


def test_reconciliation_table_flags_each_stated_figure_that_differs(stated) -> None:
    table = reconciliation_table(reconcile(stated))
    assert list(table.columns) == [
        "figure",
        "source",
        "stated",
        "computed",
        "difference",
        "flag",
        "explanation",
    ]
    assert list(table["figure"]) == ["project-lead: annual cost", "option-4: additional in year"]
    assert list(table["flag"]) == ["DIFFERS", "DIFFERS"]
    row = table.set_index("figure").loc["option-4: additional in year"]
    assert row["stated"] == Decimal("30000")
    assert row["computed"] == Decimal("29462.67")  # 8 months of grade F's £44,194
    assert row["difference"] == row["stated"] - row["computed"]


def test_a_loose_tolerance_passes_what_a_strict_one_flags(stated) -> None:
    table = reconciliation_table(reconcile(stated, tolerance=Decimal("1000")))
    assert list(table["flag"]) == ["ok", "ok"]
    assert "0 of 2 differ" in reconciliation_text(table, 1000)


def test_reconciliation_text_gives_a_line_per_figure_and_its_explanation(stated) -> None:
    text = reconciliation_text(reconciliation_table(reconcile(stated)), 1.0)
    lines = text.splitlines()
    assert lines[0] == "Reconciliation with the stated figures (tolerance £1.00; 2 of 2 differ):"
    assert lines[1].startswith("  [DIFFERS] project-lead: annual cost (para 48): stated £26,846.00")
    explanations = [line for line in lines if line.startswith(" " * 6)]
    assert len(explanations) >= 2 and all(len(line) <= 100 for line in explanations)  # wrapped
    assert "computed £29,462.67, difference £537.33" in text


def test_start_date_table_has_a_row_per_new_post_and_start(stated) -> None:
    table = start_date_table(start_date_costs(stated))
    assert list(table.columns) == [
        "option_id",
        "staff_id",
        "start",
        "additional_cost_in_year",
        "planned",
    ]
    assert set(table["option_id"]) == {"option-3", "option-4"}  # the options that add a post
    planned = table[table["planned"]].set_index("option_id")
    assert planned.loc["option-4", "start"] == "2021-08-01"
    assert planned.loc["option-4", "additional_cost_in_year"] == Decimal("29462.67")
    later = table[table["option_id"] == "option-4"].sort_values("start")
    costs = list(later["additional_cost_in_year"])
    assert costs == sorted(costs, reverse=True)  # the later the start, the lower the cost
    view = start_date_view(table)
    assert view["additional_cost_in_year"].str.startswith("£").all()


def test_pay_model_text_states_the_grades_and_the_rule(stated) -> None:
    text = pay_model_text(stated, ProRata.DAYS)
    assert "grade F £44,194.00 a year (para 48: grade F)" in text
    assert "pro rata by days" in text
    assert text.endswith(".")
