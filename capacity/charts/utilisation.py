"""Utilisation heat map: each person's booked load against their capacity, month by month."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from capacity.charts.style import ChartSize, plain
from capacity.plan import Plan
from capacity.reports.monthly import monthly_utilisation_table

_CMAP = LinearSegmentedColormap.from_list("load", ["#f7fbff", "#6baed6", "#fd8d3c", "#b10026"])


def monthly_utilisation(plan: Plan) -> tuple[list[str], list[str], list[list[Decimal | None]]]:
    """(people, months, share of available time booked), in calendar months; ``None``
    where the person has no time that month (not in post, or away all month).

    A planning week across a month end is shared between the months by its working days
    in post (:func:`capacity.reports.monthly.monthly_utilisation_table`).
    """
    table = monthly_utilisation_table(plan)
    people = list(dict.fromkeys(table["name"]))
    months = list(dict.fromkeys(table["month"]))
    grid = [
        list(table.loc[table["name"] == person, "booked_share"].astype(object)) for person in people
    ]
    return people, months, [[None if v is None or v != v else v for v in row] for row in grid]


def utilisation_chart(
    plan: Plan, ax: Axes | None = None, size: ChartSize = ChartSize.A4_LANDSCAPE
) -> Figure:
    """A person x month heat map of booked load over capacity, with each cell's percentage."""
    people, months, grid = monthly_utilisation(plan)
    if ax is None:
        figure = Figure(figsize=size.inches)
        ax = figure.add_axes((0.2, 0.15, 0.72, 0.7))
    else:
        figure = ax.get_figure()  # type: ignore[assignment]
    values = np.array([[np.nan if v is None else float(v) for v in row] for row in grid])
    image = ax.imshow(np.ma.masked_invalid(values), cmap=_CMAP, vmin=0, vmax=1, aspect="auto")
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            text = "not in post" if value is None else f"{value:.0%}"
            dark = value is not None and value > Decimal("0.6")
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=7 if value is not None else 5.5,
                color="white" if dark else "#333333",
            )
    ax.set_xticks(range(len(months)), months, fontsize=7, rotation=45, ha="right")
    ax.set_yticks(range(len(people)), [plain(p) for p in people], fontsize=8)
    ax.set_title(
        plain(
            f"{plan.problem.option_name}\nShare of each person's available time booked, by month"
        ),
        fontsize=11,
    )
    colourbar = figure.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
    colourbar.ax.set_ylabel("booked / available", fontsize=8)
    colourbar.ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    return figure
