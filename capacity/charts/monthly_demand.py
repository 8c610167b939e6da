"""Monthly demand against capacity for one option: stacked by kind of work, committed work
apart from the delivery of bids not yet won, with the team's available FTE as a line.

The chart draws :func:`capacity.reports.monthly.monthly_demand_table` and
:func:`~capacity.reports.monthly.monthly_capacity_table`, in calendar months.
"""

from __future__ import annotations

import textwrap
from datetime import date

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from capacity.charts.style import (
    AVAILABLE_COLOUR,
    GRID_COLOUR,
    KIND_COLOURS,
    ChartSize,
    month_labels,
    wrapped_title,
)
from capacity.domain.work import WorkKind
from capacity.plan import OptionResult
from capacity.reports.figures import option_label
from capacity.reports.monthly import (
    COMMITTED,
    IF_BIDS_WON,
    NOT_DELIVERED,
    PLANNED,
    monthly_capacity_table,
    monthly_demand_table,
)

BID_HATCH = "///"  # the delivery of bids not yet won: drawn hatched, with no text on it
NOT_DELIVERED_FACE = "white"


def monthly_demand_chart(
    result: OptionResult, size: ChartSize = ChartSize.A4_LANDSCAPE, ax: Axes | None = None
) -> Figure:
    """Stacked bars, one per calendar month: the average FTE the month's work asks for,
    planned committed work by kind at the bottom, then the planned delivery of bids
    (hatched: there only if the bids are won), then work not delivered (outlined); the
    team's available FTE as a step line over the bars.

    Parameters
    ----------
    result
        A verified, costed plan.
    size
        Which of the three sizes to draw (see :class:`ChartSize`).
    ax
        Axes to draw on; a new figure of ``size`` is made if omitted.
    """
    plan = result.plan
    demand = monthly_demand_table(plan)
    capacity = monthly_capacity_table(plan)
    small = size.font()
    if ax is None:
        if size.portrait:  # 16 cm wide, as tall as the chart and its legend need
            figure = Figure(figsize=(size.width_inches, 6.8))
            ax = figure.add_axes((0.12, 0.33, 0.85, 0.56))
        else:
            figure = Figure(figsize=size.inches)
            ax = figure.add_axes((0.08, 0.24, 0.9, 0.6))
    else:
        figure = ax.get_figure()  # type: ignore[assignment]
    months = [date.fromisoformat(m) for m in capacity["month_start"]]
    x = np.arange(len(months))
    bottoms = np.zeros(len(months))
    handles: list[Patch | Line2D] = []
    kinds_drawn: list[WorkKind] = []
    index = {m: i for i, m in enumerate(capacity["month_start"])}
    layers = [(PLANNED, COMMITTED), (PLANNED, IF_BIDS_WON), (NOT_DELIVERED, None)]
    for status, basis in layers:
        for kind in WorkKind:
            rows = demand[
                (demand["status"] == status)
                & (demand["kind"] == kind.value)
                & ((demand["basis"] == basis) if basis else True)
            ]
            if rows.empty:
                continue
            heights = np.zeros(len(months))
            for month_start, fte in zip(rows["month_start"], rows["fte"], strict=True):
                heights[index[month_start]] += float(fte)
            colour = KIND_COLOURS[kind]
            if status == NOT_DELIVERED:
                ax.bar(
                    x,
                    heights,
                    0.8,
                    bottom=bottoms,
                    facecolor=NOT_DELIVERED_FACE,
                    edgecolor=colour,
                    linewidth=1.2,
                )
            elif basis == IF_BIDS_WON:
                ax.bar(
                    x,
                    heights,
                    0.8,
                    bottom=bottoms,
                    facecolor=colour,
                    edgecolor="white",
                    hatch=BID_HATCH,
                    linewidth=0.0,
                )
            else:
                ax.bar(x, heights, 0.8, bottom=bottoms, color=colour, linewidth=0)
            bottoms += heights
            if kind not in kinds_drawn:
                kinds_drawn.append(kind)
    available = [float(v) for v in capacity["available_fte"]]
    ax.step(
        np.append(x - 0.5, x[-1] + 0.5) if len(x) else x,
        [*available, available[-1]] if available else available,
        where="post",
        color=AVAILABLE_COLOUR,
        linewidth=2,
    )
    handles += [Patch(color=KIND_COLOURS[k], label=k.value) for k in WorkKind if k in kinds_drawn]
    handles += [
        Patch(facecolor="#999999", edgecolor="white", hatch=BID_HATCH, label=IF_BIDS_WON),
        Patch(facecolor="white", edgecolor="#555555", label=NOT_DELIVERED),
        Line2D([], [], color=AVAILABLE_COLOUR, linewidth=2, label="available FTE"),
    ]
    width = ax.get_position().width * figure.get_figwidth()
    ax.set_xticks(x, month_labels(months, size, width), fontsize=small)
    ax.tick_params(axis="y", labelsize=small)
    ax.set_xlim(-0.6, len(months) - 0.4)
    ax.set_ylabel("Average FTE in the month", fontsize=size.font(1))
    ax.grid(axis="y", color=GRID_COLOUR)
    ax.set_axisbelow(True)
    ax.set_ylim(0, max([*bottoms, *available, 1.0]) * 1.08)
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.13 if not size.portrait else -0.1),
        ncol=3 if size.portrait else 6,
        fontsize=small,
        frameon=False,
    )
    name = option_label(plan.problem.option_name)
    title = f"{name}\nDemand by month against the team's available time"
    figure.suptitle(
        wrapped_title(title, size.width_inches, size),
        fontsize=size.font(3),
        x=0.02,
        y=0.985,
        ha="left",
    )
    note = (
        "Average FTE the month's work asks for, against the FTE the team has. Hatched: the "
        "delivery of funding bids, there only if they are won (planned at their expected "
        "share). Outlined: work not delivered, spread over the weeks it could have run in."
    )
    figure.text(
        0.02,
        0.015,
        textwrap.fill(note, int(size.width_inches * 72 * 0.9 / (small * 0.55))),
        fontsize=small,
        ha="left",
        va="bottom",
    )
    return figure
