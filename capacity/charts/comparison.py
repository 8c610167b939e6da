"""Options side by side: unmet demand (mandatory apart) and additional cost."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from capacity.charts.style import (
    COST_COLOUR,
    MANDATORY_COLOUR,
    OPTIONAL_COLOUR,
    ChartSize,
    plain,
)
from capacity.finance import format_money
from capacity.plan import OptionResult


def comparison_chart(
    results: list[OptionResult],
    ax: Axes | None = None,
    size: ChartSize = ChartSize.A4_LANDSCAPE,
) -> Figure:
    """Stacked bars of unmet FTE-weeks per option (mandatory at the bottom, in red), with the
    option's additional cost as a second bar on a pounds axis, stacked by financial year
    when the horizon has more than one."""
    if ax is None:
        figure = Figure(figsize=size.inches)
        ax = figure.add_axes((0.08, 0.16, 0.84, 0.72))
    else:
        figure = ax.get_figure()  # type: ignore[assignment]
    ids = [r.plan.option_id for r in results]
    x = np.arange(len(ids))
    width = 0.38
    mandatory = [float(r.plan.unmet_mandatory_fte_weeks) for r in results]
    optional = [float(r.plan.unmet_fte_weeks - r.plan.unmet_mandatory_fte_weeks) for r in results]
    ax.bar(x - width / 2, mandatory, width, color=MANDATORY_COLOUR, label="unmet mandatory")
    ax.bar(
        x - width / 2,
        optional,
        width,
        bottom=mandatory,
        color=OPTIONAL_COLOUR,
        label="unmet optional",
    )
    for xi, m, o in zip(x, mandatory, optional, strict=True):
        ax.text(xi - width / 2, m + o, f"{m + o:.1f}", ha="center", va="bottom", fontsize=8)
        if m:
            ax.text(
                xi - width / 2,
                m / 2,
                f"{m:.1f}\nmandatory",
                ha="center",
                va="center",
                fontsize=7,
                color="white",
            )
    ax.set_ylabel("Unmet demand (FTE-weeks)")
    ax.set_xticks(x, [plain(_wrap(r.plan.problem.option_name)) for r in results], fontsize=8)
    costs_axis = ax.twinx()
    # One cost bar per option, stacked by financial year (one segment for a one-year horizon).
    years = [label for label, _ in results[0].cost.by_year] if results else []
    several = len(years) > 1

    def total(r: OptionResult) -> Decimal | None:
        return r.cost.additional_over_horizon if several else r.cost.additional_in_year

    costs = [float(total(r) or 0) for r in results]
    bottoms = [0.0] * len(results)
    for shade, label in enumerate(years if several else [""]):
        segment = [
            float(dict(r.cost.by_year).get(label) or 0) if several else c
            for r, c in zip(results, costs, strict=True)
        ]
        costs_axis.bar(
            x + width / 2,
            segment,
            width,
            bottom=bottoms,
            color=COST_COLOUR,
            alpha=1.0 - 0.35 * shade,
            label=f"additional cost {label}".strip(),
        )
        bottoms = [b + c for b, c in zip(bottoms, segment, strict=True)]
    for xi, r, c in zip(x, results, costs, strict=True):
        cost = total(r)
        shown = "not costed" if cost is None else format_money(cost, pence=False)
        costs_axis.text(
            xi + width / 2, c, shown, ha="center", va="bottom", fontsize=8, color=COST_COLOUR
        )
    horizon = results[0].plan.problem.scenario.horizon if results else None
    year = f" {horizon.year_label}" if horizon else ""
    if several:
        year = f" {years[0]} to {years[-1]}"
    costs_axis.set_ylabel(f"Additional cost{year} (£)", color=COST_COLOUR)
    # Tick values are floats (numpy's, too): their shortest repr is the number meant.
    costs_axis.yaxis.set_major_formatter(
        lambda v, _: format_money(Decimal(str(float(v))), pence=False)
    )
    # An option that saves money shows as a bar below zero.
    costs_axis.set_ylim(min([*costs, 0.0]) * 1.2, max([*costs, 1.0]) * 1.2)
    costs_axis.axhline(0, color="#999999", linewidth=0.6)
    ax.set_ylim(0, max([m + o for m, o in zip(mandatory, optional, strict=True)] + [1.0]) * 1.2)
    ax.legend(
        handles=[
            Patch(color=MANDATORY_COLOUR, label="unmet mandatory"),
            Patch(color=OPTIONAL_COLOUR, label="unmet optional"),
            *(
                [
                    Patch(color=COST_COLOUR, alpha=1.0 - 0.35 * shade, label=f"cost {label}")
                    for shade, label in enumerate(years)
                ]
                if several
                else [Patch(color=COST_COLOUR, label=f"additional cost{year}")]
            ),
        ],
        loc="upper right",
        fontsize=8,
        frameon=False,
    )
    ax.set_title("Unmet demand and additional cost by staffing option", fontsize=11)
    return figure


def _wrap(text: str, width: int = 28) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))
