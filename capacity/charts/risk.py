"""Charts of a risk study: how unmet demand is spread per option, and what goes unmet most."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from capacity.charts.style import MANDATORY_COLOUR, ChartSize, plain
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
    """
    figure, ax = _figure(ax, size, left=0.08)
    for risk in risks:
        values = np.sort([float(o.unmet_fte_weeks) for o in study.outcomes(risk.option_id)])
        shares = np.arange(1, len(values) + 1) / len(values)
        (line,) = ax.step(
            values,
            shares,
            where="post",
            label=f"{plain(risk.option_id)} "
            f"(all mandatory delivered in {risk.mandatory_delivered_share:.0%})",
        )
        for percent, unmet in ((10, risk.unmet_p10), (50, risk.unmet_p50), (90, risk.unmet_p90)):
            ax.plot(float(unmet), percent / 100, "o", color=line.get_color(), markersize=4)
    ax.set_xlabel("Unmet demand (FTE-weeks)")
    ax.set_ylabel("Share of samples with at most this much unmet")
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    for share in (0.1, 0.5, 0.9):
        ax.axhline(share, color="#cccccc", linewidth=0.6, zorder=0)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.set_title(
        f"Unmet demand over {len(study.samples)} sampled years (seed {study.seed}); "
        "dots mark P10, P50, P90",
        fontsize=11,
    )
    return figure


def most_often_unmet_chart(
    risks: list[OptionRisk], ax: Axes | None = None, size: ChartSize = ChartSize.A4_LANDSCAPE
) -> Figure:
    """Horizontal bars: for the items most often unmet, the share of samples (in which the
    item arises) that leave it unmet, one bar per option; mandatory items in red."""
    figure, ax = _figure(ax, size, left=0.32)
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
            label=plain(risk.option_id),
        )
    ax.set_yticks(y + height * (len(risks) - 1) / 2, [plain(names[i][:48]) for i in shown])
    for label, item_id in zip(ax.get_yticklabels(), shown, strict=True):
        if mandatory[item_id]:
            label.set_color(MANDATORY_COLOUR)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xlabel("Share of samples (in which the item arises) that leave it unmet")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.set_title("Work most often left unmet (mandatory in red)", fontsize=11)
    if not shown:
        ax.text(0.5, 0.5, "Nothing left unmet in any sample", ha="center", transform=ax.transAxes)
    return figure


def _figure(ax: Axes | None, size: ChartSize, left: float) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.get_figure(), ax  # type: ignore[return-value]
    figure = Figure(figsize=size.inches)
    return figure, figure.add_axes((left, 0.1, 0.96 - left, 0.82))
