"""Utilisation heat map: each person's booked share of their available time, by calendar month."""

from __future__ import annotations

import textwrap
from datetime import date
from decimal import Decimal

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.colors import Colormap, ListedColormap, Normalize, to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from capacity.charts.style import (
    NOT_IN_POST_COLOUR,
    OVER_FULL_COLOUR,
    ChartSize,
    month_labels,
    plain,
    text_colour_on,
    wrapped_title,
)
from capacity.plan import Plan
from capacity.reports.figures import format_share, option_label
from capacity.reports.monthly import monthly_utilisation_table


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
    """A person x calendar month heat map of the booked share of available time, each
    cell with its percentage.

    The scale is sequential (viridis, light for little booked, dark for all of it), so
    a full month reads as full, not as an alarm; a share above 100% (which a verified
    plan does not book) would show in vermillion, apart from the scale. A month the
    person is not in post is a light grey cell that says so; in post with no time (away
    all month), it says "away". On the Word page the grid is turned: months down the
    page, people across.
    """
    table = monthly_utilisation_table(plan)
    people = list(dict.fromkeys(table["name"]))
    months = list(dict.fromkeys(table["month"]))
    share = table["booked_share"].to_numpy(dtype=object).reshape(len(people), len(months))
    in_post = table["in_post"].to_numpy(dtype=bool).reshape(len(people), len(months))
    turned = size is ChartSize.WORD_PORTRAIT
    if turned:
        share, in_post = share.T, in_post.T
    row_names = months if turned else [_wrapped(plain(p), 22) for p in people]
    if ax is None:
        if turned:  # as tall as the months need, on a page 16 cm wide
            row = min(0.36, 7.0 / max(1, len(months)))  # a long horizon still fits a page
            figure = Figure(figsize=(size.width_inches, 2.4 + row * len(months)))
            ax = figure.add_axes((0.17, 0.14, 0.8, 1 - 0.14 - 1.45 / figure.get_figheight()))
        else:
            figure = Figure(figsize=size.inches)
            ax = figure.add_axes((0.2, 0.14, 0.7, 0.7))
    else:
        figure = ax.get_figure()  # type: ignore[assignment]
    if turned:
        column_names = [_wrapped(plain(p), 13) for p in people]
    else:
        firsts = [date.fromisoformat(m) for m in dict.fromkeys(table["month_start"])]
        column_names = month_labels(firsts, size, ax.get_position().width * figure.get_figwidth())
    values = np.array([[np.nan if v is None else float(v) for v in row] for row in share])
    scale = _scale()
    image = ax.imshow(
        np.ma.masked_invalid(values),
        cmap=scale,
        norm=Normalize(0, 1),
        aspect="auto",
        interpolation="nearest",
    )
    # What fits in a cell at the least font: "not in post" on one line or two, else a
    # hatched grey cell with no text (the legend says what it is); percentages without
    # their sign when even "100%" is too wide (the scale's label says they are percent).
    cell_points = ax.get_position().width * figure.get_figwidth() * 72 / max(1, share.shape[1])

    def fits(text: str) -> bool:
        return max(len(line) for line in text.split("\n")) * 0.6 * size.font() + 3 <= cell_points

    absent = next((t for t in (NOT_IN_POST, "not in\npost") if fits(t)), "")
    signed = fits("100%")
    for i, row in enumerate(share):
        for j, value in enumerate(row):
            if value is None:
                ax.add_patch(
                    Rectangle(
                        (j - 0.5, i - 0.5),
                        1,
                        1,
                        facecolor=NOT_IN_POST_COLOUR,
                        edgecolor="white",
                        hatch=None if absent else "///",
                    )
                )
                text = (absent if not in_post[i][j] else AWAY) if absent else ""
                colour = text_colour_on(NOT_IN_POST_COLOUR)
            else:
                text = format_share(value) if signed else format_share(value).removesuffix("%")
                colour = text_colour_on(_cell_colour(scale, float(value)))
            if text:
                ax.text(j, i, text, ha="center", va="center", fontsize=size.font(), color=colour)
    small = size.font()
    if turned:
        ax.xaxis.tick_top()
    ax.set_xticks(range(len(column_names)), column_names, fontsize=small)
    ax.set_yticks(range(len(row_names)), row_names, fontsize=size.font(1) if not turned else small)
    ax.tick_params(length=0)
    for edge in ax.spines.values():
        edge.set_visible(False)
    name = option_label(plan.problem.option_name)
    title = f"{name}\nShare of each person's available time booked, by month"
    figure.suptitle(
        wrapped_title(title, size.width_inches, size, share=0.9),
        fontsize=size.font(3),
        x=0.02,
        ha="left",
        y=0.98,
    )
    if turned:
        box = ax.get_position()
        under = figure.add_axes(
            (box.x0, 0.45 / figure.get_figheight(), box.width * 0.6, 0.12 / figure.get_figheight())
        )
        colourbar = figure.colorbar(image, cax=under, orientation="horizontal", extend="max")
        colourbar.ax.set_xlabel(SCALE_LABEL, fontsize=small)
        colourbar.ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    else:
        colourbar = figure.colorbar(image, ax=ax, fraction=0.04, pad=0.03, extend="max")
        colourbar.ax.set_ylabel(SCALE_LABEL + ("" if signed else " (%)"), fontsize=small)
        colourbar.ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    colourbar.ax.tick_params(labelsize=small)
    if not absent and any(v is None for row in share for v in row):
        figure.legend(
            handles=[
                Patch(
                    facecolor=NOT_IN_POST_COLOUR, edgecolor="white", hatch="///", label=NOT_IN_POST
                )
            ],
            loc="lower right",
            bbox_to_anchor=(0.98, 0.01),
            fontsize=small,
            frameon=False,
        )
    return figure


NOT_IN_POST = "not in post"
AWAY = "away"
SCALE_LABEL = "booked share of available time"


def _scale() -> Colormap:
    """Viridis from its light end (nothing booked, paled towards white) to its dark end
    (all of it); above 100%, vermillion."""
    colours = colormaps["viridis_r"](np.linspace(0.0, 0.92, 256))
    # Paler towards 0% (a little booked is not a bright yellow); lightness still falls
    # steadily from 0% to 100%, so the scale reads without colour vision too.
    paler = (1 - np.linspace(0.0, 1.0, 256)) ** 2 * 0.6
    colours[:, :3] = colours[:, :3] * (1 - paler[:, None]) + paler[:, None]
    return ListedColormap(colours, name="booked").with_extremes(over=OVER_FULL_COLOUR)


def _cell_colour(scale: Colormap, value: float) -> tuple[float, float, float, float]:
    return scale(value) if value <= 1 else to_rgba(OVER_FULL_COLOUR)


def _wrapped(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text
