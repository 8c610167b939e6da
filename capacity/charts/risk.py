"""Charts of a risk study: how unmet demand is spread per option, and what goes unmet most."""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from capacity.charts.style import GRID_COLOUR, OPTION_COLOURS, ChartSize, plain
from capacity.reports.figures import format_share
from capacity.risk.study import OptionRisk, StudyResult

MOST_OFTEN_ITEMS = 12


def unmet_distribution_chart(
    study: StudyResult,
    risks: list[OptionRisk],
    ax: Axes | None = None,
    size: ChartSize = ChartSize.A4_LANDSCAPE,
) -> Figure:
    """The share of samples whose unmet demand is at most x, one step line per option
    (read "P(unmet <= x)" straight off it), with the study's P10, P50 and P90 marked.

    The lines are drawn from the study's samples; the marked percentiles and the share
    with all mandatory work delivered are the summary's own (``risks``, from
    :func:`capacity.risk.study.summarise`), so the chart and the tables cannot disagree.
    The legend is under the plot, where it covers no line.
    """
    figure, ax = _figure(ax, size, left=0.1)
    small = size.font()
    for index, risk in enumerate(risks):
        colour = OPTION_COLOURS[index % len(OPTION_COLOURS)]
        values = np.sort([float(o.unmet_fte_weeks) for o in study.outcomes(risk.option_id)])
        shares = np.arange(1, len(values) + 1) / len(values)
        ax.step(
            values,
            shares,
            where="post",
            color=colour,
            linewidth=1.8,
            label=f"{_short(risk.name)} (all mandatory work delivered in "
            f"{format_share(risk.mandatory_delivered_share)} of samples)",
        )
        for percent, unmet in ((10, risk.unmet_p10), (50, risk.unmet_p50), (90, risk.unmet_p90)):
            ax.plot(float(unmet), percent / 100, "o", color=colour, markersize=small * 0.6)
    ax.set_xlabel("Unmet demand (FTE-weeks)", fontsize=size.font(1))
    ax.set_ylabel("Samples with at most this much unmet", fontsize=size.font(1))
    ax.tick_params(labelsize=small)
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    for share in (0.1, 0.5, 0.9):
        ax.axhline(share, color=GRID_COLOUR, linewidth=0.6, zorder=0)
    ax.legend(
        loc="upper left",
        bbox_to_anchor=(0.0, -0.12),
        fontsize=small,
        frameon=False,
        ncol=1,
    )
    _title(
        figure,
        f"Unmet demand over {len(study.samples)} sampled years (seed {study.seed}); "
        "dots mark P10, P50, P90",
        size,
    )
    return figure


def most_often_unmet_chart(
    risks: list[OptionRisk], ax: Axes | None = None, size: ChartSize = ChartSize.A4_LANDSCAPE
) -> Figure:
    """Horizontal bars: for the items most often unmet, the share of samples (in which the
    item arises) that leave it unmet, one bar per option; a mandatory item says so in
    its name. The legend is above the plot, where it covers no bar."""
    figure, ax = _figure(ax, size, left=0.36 if size.portrait else 0.3)
    small = size.font()
    worst: dict[str, float] = {}
    names: dict[str, str] = {}
    mandatory: dict[str, bool] = {}
    for risk in risks:
        for item in risk.items:
            worst[item.item_id] = max(worst.get(item.item_id, 0.0), item.unmet_share)
            names[item.item_id] = item.name
            mandatory[item.item_id] = item.mandatory
    shown = sorted(worst, key=lambda i: (-worst[i], i))[:MOST_OFTEN_ITEMS]
    y = np.arange(len(shown))
    height = 0.8 / max(1, len(risks))
    for k, risk in enumerate(risks):
        shares = {item.item_id: item.unmet_share for item in risk.items}
        ax.barh(
            y + k * height,
            [shares.get(i, 0.0) for i in shown],
            height,
            color=OPTION_COLOURS[k % len(OPTION_COLOURS)],
            label=_short(risk.name),
        )
    width = 28 if size.portrait else 44
    labels = [
        plain(_shortened(names[i], width) + (" (mandatory)" if mandatory[i] else "")) for i in shown
    ]
    ax.set_yticks(y + height * (len(risks) - 1) / 2, labels, fontsize=small)
    for label, item_id in zip(ax.get_yticklabels(), shown, strict=True):
        if mandatory[item_id]:
            label.set_fontweight("bold")
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.tick_params(axis="x", labelsize=small)
    ax.set_xlabel("Share of the samples it arises in that leave it unmet", fontsize=size.font(1))
    ax.grid(axis="x", color=GRID_COLOUR)
    ax.set_axisbelow(True)
    ax.legend(
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncol=min(len(risks), 2 if size.portrait else 4) or 1,
        fontsize=small,
        frameon=False,
    )
    any_mandatory = any(mandatory[i] for i in shown)
    _title(
        figure,
        "Work most often left unmet" + ("; mandatory work in bold" if any_mandatory else ""),
        size,
    )
    if not shown:
        ax.text(
            0.5,
            0.5,
            "Nothing left unmet in any sample",
            ha="center",
            transform=ax.transAxes,
            fontsize=small,
        )
    return figure


def _short(name: str) -> str:
    """``Option 4`` of ``Option 4: a permanent ...``; the whole name if it has no short part."""
    head, colon, _ = name.partition(": ")
    return plain(head if colon and len(head) <= 12 else name)


def _shortened(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _title(figure: Figure, text: str, size: ChartSize) -> None:
    wrap = int(size.width_inches * 72 * 0.95 / (size.font(3) * 0.55))
    figure.suptitle(
        textwrap.fill(text, wrap), fontsize=size.font(3), x=0.02, y=0.98, ha="left", va="top"
    )


def _figure(ax: Axes | None, size: ChartSize, left: float) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.get_figure(), ax  # type: ignore[return-value]
    if size.portrait:  # 16 cm wide, as tall as a chart of a dozen rows needs
        figure = Figure(figsize=(size.width_inches, 5.8))
        return figure, figure.add_axes((left, 0.28, 0.95 - left, 0.58))
    figure = Figure(figsize=size.inches)
    return figure, figure.add_axes((left, 0.26, 0.95 - left, 0.6))
