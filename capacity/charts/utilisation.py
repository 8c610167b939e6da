"""Utilisation heat map: each person's booked load against their capacity, month by month."""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from capacity.charts.style import A4_LANDSCAPE_INCHES, plain
from capacity.plan import Plan

_CMAP = LinearSegmentedColormap.from_list("load", ["#f7fbff", "#6baed6", "#fd8d3c", "#b10026"])


def monthly_utilisation(plan: Plan) -> tuple[list[str], list[str], list[list[Decimal | None]]]:
    """(people, months, share of capacity booked); ``None`` where the person has no capacity.

    A week counts in the month its first day falls in.
    """
    problem = plan.problem
    months: OrderedDict[str, list[int]] = OrderedDict()
    for week, start in enumerate(problem.week_starts):
        months.setdefault(f"{start:%b %Y}", []).append(week)
    people, grid = [], []
    for member in problem.staff:
        booked = plan.load_by_week(member.id)
        capacity = problem.capacity[member.id]
        row: list[Decimal | None] = []
        for weeks in months.values():
            available = sum((capacity[w] for w in weeks), Decimal(0))
            used = sum((booked[w] for w in weeks), Decimal(0))
            row.append(None if available == 0 else used / available)
        people.append(member.name)
        grid.append(row)
    return people, list(months), grid


def utilisation_chart(plan: Plan, ax: Axes | None = None) -> Figure:
    """A person x month heat map of booked load over capacity, with each cell's percentage."""
    people, months, grid = monthly_utilisation(plan)
    if ax is None:
        figure = Figure(figsize=A4_LANDSCAPE_INCHES)
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
