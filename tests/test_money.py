"""Money as people read it: one formatter, one rounding rule, the same text everywhere."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import item, person, scenario

from capacity.charts.comparison import comparison_chart
from capacity.charts.gantt import gantt_subtitle
from capacity.domain.pay import ProRata
from capacity.finance import OptionCost, format_money
from capacity.pipeline import plan_option
from capacity.plan import OptionResult
from capacity.reports.comparison import comparison_view
from capacity.reports.costs import pounds


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        ("1234.56", "£1,234.56"),
        ("-1", "-£1.00"),  # the sign before the pound sign, never "£-1.00"
        ("0", "£0.00"),
        ("1234567.8", "£1,234,567.80"),  # thousands separated
        ("0.005", "£0.01"),  # half a penny rounds up ...
        ("-0.005", "-£0.01"),  # ... and away from zero below it
        ("2.675", "£2.68"),  # half up on the exact Decimal, not on a binary float
        ("-0.004", "£0.00"),  # rounds to nothing: no sign
        ("29462.666666", "£29,462.67"),  # rounded once, here
    ],
)
def test_format_money(amount: str, shown: str) -> None:
    assert format_money(Decimal(amount)) == shown


@pytest.mark.parametrize(
    ("amount", "shown"),
    [("1234.5", "£1,235"), ("-1234.5", "-£1,235"), ("-0.4", "£0"), ("999999.5", "£1,000,000")],
)
def test_whole_pounds_for_charts(amount: str, shown: str) -> None:
    assert format_money(Decimal(amount), pence=False) == shown


def test_every_report_shows_a_saving_the_same_way() -> None:
    data = scenario([person("lead")], [item("report")])
    saving = Decimal("-1234.565")
    cost = OptionCost(
        option_id="base",
        additional_in_year=Decimal("-1234.57"),
        additional_next_year=Decimal("-2000"),
        exact_in_year=saving,
        exact_next_year=Decimal("-2000"),
        posts_cost_in_year=None,
        exact_posts_cost_in_year=None,
        decided_posts=(),
        rule=ProRata.MONTHS,
    )
    result = OptionResult(plan_option(data, "base"), cost)
    view = comparison_view([result]).set_axis(["base"], axis=1)  # headed by the option's name
    assert view.loc[view.index[0], "base"] == "-£1,234.57"
    assert view.loc["Full-year cost thereafter", "base"] == "-£2,000.00"
    assert "cost -£1,234.57" in gantt_subtitle(result)
    assert pounds(Decimal("-1234.57")) == "-£1,234.57" and pounds(None) == "n/a"
    figure = comparison_chart([result])
    figure.canvas.draw()  # tick labels are formatted when drawn
    costs_axis = figure.axes[1]
    assert "-£1,235" in [t.get_text() for t in costs_axis.texts]  # whole pounds on a chart
    ticks = [t.get_text() for t in costs_axis.get_yticklabels()]
    assert "£0" in ticks and any(t.startswith("-£") for t in ticks), ticks
