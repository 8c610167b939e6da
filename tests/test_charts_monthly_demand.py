"""capacity.charts.monthly_demand draws capacity.reports.monthly's tables, month by month."""

from __future__ import annotations

import numpy as np
import pytest
from chart_plans import documents_result

from capacity.charts import ChartSize, monthly_demand_chart
from capacity.charts.monthly_demand import BID_HATCH
from capacity.reports.monthly import (
    IF_BIDS_WON,
    monthly_capacity_table,
    monthly_demand_table,
)


@pytest.fixture(scope="module")
def result():
    return documents_result()


@pytest.mark.parametrize("size", list(ChartSize), ids=[s.key for s in ChartSize])
def test_the_bars_stack_to_each_months_demand(result, size) -> None:
    figure = monthly_demand_chart(result, size=size)
    ax = figure.axes[0]
    table = monthly_demand_table(result.plan)
    months = list(monthly_capacity_table(result.plan)["month_start"])
    heights = np.zeros(len(months))
    for bar in ax.patches:
        heights[round(bar.get_x() + bar.get_width() / 2)] += bar.get_height()
    expected = table.groupby("month_start")["fte"].sum()
    assert heights == pytest.approx([float(expected.get(m, 0)) for m in months])


def test_the_line_is_the_teams_available_fte(result) -> None:
    ax = monthly_demand_chart(result).axes[0]
    (line,) = ax.get_lines()
    available = [float(v) for v in monthly_capacity_table(result.plan)["available_fte"]]
    assert list(line.get_ydata())[:-1] == pytest.approx(available)
    assert line.get_label() == "available FTE" or "available FTE" in [
        t.get_text() for t in ax.get_legend().get_texts()
    ]


def test_only_bid_deliveries_are_hatched(result) -> None:
    ax = monthly_demand_chart(result).axes[0]
    hatched = sum(bar.get_height() for bar in ax.patches if bar.get_hatch() == BID_HATCH)
    table = monthly_demand_table(result.plan)
    bids = table[(table["basis"] == IF_BIDS_WON) & (table["status"] == "planned")]["fte"].sum()
    assert hatched == pytest.approx(float(bids)) and hatched > 0
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {IF_BIDS_WON, "not delivered", "available FTE", "bid", "implementation"} <= set(legend)
    assert not ax.texts  # nothing is written on the hatched bars (or any bar)
