"""Options side by side: unmet demand (mandatory apart) in one panel, additional cost in another."""

from __future__ import annotations

import re
import textwrap
from decimal import Decimal

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from capacity.charts.style import (
    COST_COLOURS,
    GRID_COLOUR,
    MANDATORY_COLOUR,
    OPTIONAL_COLOUR,
    ChartSize,
    plain,
    text_colour_on,
)
from capacity.finance import format_money
from capacity.plan import OptionResult
from capacity.reports.figures import format_fte_weeks, option_label

SHORT_NAME = re.compile(r"^(?P<short>[^:]{1,12}):\s")  # "Option 4: a permanent ..." -> "Option 4"


def comparison_chart(
    results: list[OptionResult],
    ax: Axes | None = None,
    size: ChartSize = ChartSize.A4_LANDSCAPE,
) -> Figure:
    """Two panels: stacked bars of unmet FTE-weeks per option (mandatory at the bottom), and
    the option's additional cost, stacked by financial year when the horizon has more
    than one. Side by side on a landscape page or slide, one above the other on a Word page.

    Parameters
    ----------
    results
        The options' verified, costed plans, in the order to show them.
    ax
        Axes for the unmet demand; the cost panel is made beside it (below, in
        portrait). A new figure of ``size`` is made if omitted.
    size
        Which of the three sizes to draw (see :class:`ChartSize`).
    """
    names = [option_label(r.plan.problem.option_name) for r in results]
    shorts = [_short(n) for n in names]
    keyed = all(s != n for s, n in zip(shorts, names, strict=True))
    if ax is None:
        if size.portrait:
            figure = Figure(figsize=(size.width_inches, 7.2))
            ax = figure.add_axes((0.14, 0.60, 0.83, 0.30))
            costs_axis = figure.add_axes((0.14, 0.2, 0.83, 0.30))
        else:
            figure = Figure(figsize=size.inches)
            ax = figure.add_axes((0.08, 0.2, 0.38, 0.62))
            costs_axis = figure.add_axes((0.59, 0.2, 0.38, 0.62))
    else:
        figure = ax.get_figure()  # type: ignore[assignment]
        box = ax.get_position()
        costs_axis = figure.add_axes(
            (box.x0 + box.width * 0.55, box.y0, box.width * 0.45, box.height)
        )
        ax.set_position((box.x0, box.y0, box.width * 0.42, box.height))
    small, label = size.font(), size.font(1)
    x = [float(i) for i in range(len(results))]
    width = 0.6
    tick_names = shorts if keyed else [_wrap(plain(n), 24) for n in names]

    # Unmet demand: mandatory at the bottom, optional above, the total over each bar.
    mandatory = [float(r.plan.unmet_mandatory_fte_weeks) for r in results]
    optional = [float(r.plan.unmet_fte_weeks - r.plan.unmet_mandatory_fte_weeks) for r in results]
    ax.bar(x, mandatory, width, color=MANDATORY_COLOUR, label="unmet mandatory")
    ax.bar(x, optional, width, bottom=mandatory, color=OPTIONAL_COLOUR, label="unmet optional")
    top = max([m + o for m, o in zip(mandatory, optional, strict=True)] + [1.0])
    for xi, m, o in zip(x, mandatory, optional, strict=True):
        ax.text(
            xi,
            m + o + top * 0.01,
            format_fte_weeks(m + o),
            ha="center",
            va="bottom",
            fontsize=small,
        )
        if m and m > top * 0.08:
            ax.text(
                xi,
                m / 2,
                f"{format_fte_weeks(m)}\nmandatory",
                ha="center",
                va="center",
                fontsize=small,
                color=text_colour_on(MANDATORY_COLOUR),
            )
    ax.set_ylim(0, top * 1.15)
    ax.set_ylabel("Unmet demand (FTE-weeks)", fontsize=label)
    ax.set_xticks(x, tick_names, fontsize=small)
    ax.tick_params(axis="y", labelsize=small)
    ax.set_title("Work not delivered", fontsize=label, loc="left", pad=small * 2.4)
    _legend_above(
        ax,
        [
            Patch(
                color=MANDATORY_COLOUR, label="mandatory" + ("" if any(mandatory) else " (none)")
            ),
            Patch(color=OPTIONAL_COLOUR, label="optional"),
        ],
        small,
    )

    # Cost: one bar per option, stacked by financial year (one segment for one year).
    years = [year for year, _ in results[0].cost.by_year] if results else []
    several = len(years) > 1

    def total(r: OptionResult) -> Decimal | None:
        return r.cost.additional_over_horizon if several else r.cost.additional_in_year

    costs = [float(total(r) or 0) for r in results]
    bottoms = [0.0] * len(results)
    handles = []
    for shade, year in enumerate(years if several else [""]):
        segment = [
            float(dict(r.cost.by_year).get(year) or 0) if several else c
            for r, c in zip(results, costs, strict=True)
        ]
        colour = COST_COLOURS[shade % len(COST_COLOURS)]
        costs_axis.bar(x, segment, width, bottom=bottoms, color=colour)
        handles.append(Patch(color=colour, label=f"cost {year}".strip()))
        bottoms = [b + c for b, c in zip(bottoms, segment, strict=True)]
    span = max([*costs, 1.0]) - min([*costs, 0.0])
    for xi, r, c in zip(x, results, costs, strict=True):
        cost = total(r)
        shown = "not costed" if cost is None else format_money(cost, pence=False)
        costs_axis.text(
            xi,
            c + span * 0.01 if c >= 0 else c - span * 0.01,
            shown,
            ha="center",
            va="bottom" if c >= 0 else "top",
            fontsize=small,
        )
    horizon = results[0].plan.problem.scenario.horizon if results else None
    year_text = f" {horizon.year_label}" if horizon else ""
    if several:
        year_text = f" {years[0]} to {years[-1]}"
    costs_axis.set_ylabel(f"Additional cost{year_text} (£)", fontsize=label)
    # Tick values are floats (numpy's, too): their shortest repr is the number meant.
    costs_axis.yaxis.set_major_formatter(
        lambda v, _: format_money(Decimal(str(float(v))), pence=False)
    )
    costs_axis.tick_params(axis="y", labelsize=small)
    # An option that saves money shows as a bar below zero.
    costs_axis.set_ylim(min([*costs, 0.0]) * 1.2, max([*costs, 1.0]) * 1.2)
    costs_axis.axhline(0, color="#999999", linewidth=0.6)
    costs_axis.set_xticks(x, tick_names, fontsize=small)
    costs_axis.set_title(
        f"Additional cost{year_text}", fontsize=label, loc="left", pad=small * 2.4 if several else 6
    )
    if several:
        _legend_above(costs_axis, handles, small)
    for panel in (ax, costs_axis):
        panel.grid(axis="y", color=GRID_COLOUR)
        panel.set_axisbelow(True)
        for edge in ("top", "right"):
            panel.spines[edge].set_visible(False)

    figure.suptitle(
        "Unmet demand and additional cost by staffing option",
        fontsize=size.font(3),
        x=0.02,
        y=0.98,
        ha="left",
    )
    if keyed:
        wrap_at = int(size.width_inches * 72 * 0.95 / (small * 0.52))
        key = "\n".join(textwrap.fill(plain(n), wrap_at) for n in names)
        figure.text(0.02, 0.015, key, fontsize=small, ha="left", va="bottom")
    return figure


def _short(name: str) -> str:
    """``Option 4`` of ``Option 4: a permanent full-time ...``; the name if it has no such
    short first part."""
    match = SHORT_NAME.match(name)
    return plain(match["short"]) if match else name


def _legend_above(ax: Axes, handles: list[Patch], font_size: float) -> None:
    """A one-line legend between the panel's title and its plot, so it covers no bar."""
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncol=len(handles),
        fontsize=font_size,
        frameon=False,
        borderaxespad=0.2,
    )


def _wrap(text: str, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(text, width))
