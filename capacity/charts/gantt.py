"""Gantt chart of one plan: a lane per person, a bar per assignment, unmet work apart."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from capacity.domain.work import WorkKind
from capacity.plan import Assignment, Plan

KIND_COLOURS = {
    WorkKind.TENDER: "#1f77b4",
    WorkKind.NEEDS_ASSESSMENT: "#17becf",
    WorkKind.BID: "#ff7f0e",
    WorkKind.IMPLEMENTATION: "#d62728",
    WorkKind.MOBILISATION: "#9467bd",
    WorkKind.REVIEW: "#2ca02c",
    WorkKind.BUSINESS_AS_USUAL: "#7f7f7f",
    WorkKind.PROJECT: "#bcbd22",
    WorkKind.SUPPORT: "#8c564b",
}
UNMET_LANE = "Not delivered"
A4_LANDSCAPE_INCHES = (11.69, 8.27)


def gantt_chart(plan: Plan, ax: Axes | None = None, subtitle: str = "") -> Figure:
    """Draw the plan; consecutive months of the same ongoing item by one person form one bar.

    Parameters
    ----------
    plan
        A verified plan.
    ax
        Axes to draw on; a new A4-landscape figure is made if omitted.
    subtitle
        A second title line, e.g. the option's cost.
    """
    problem = plan.problem
    if ax is None:
        figure = Figure(figsize=A4_LANDSCAPE_INCHES)
        ax = figure.add_subplot()
    else:
        figure = ax.get_figure()  # type: ignore[assignment]
    lanes = _lanes(plan)
    lane_height = 1.0
    y = 0.0
    ticks, labels = [], []
    for lane_label, bars in lanes:
        rows = _stack(bars)
        height = max(1, len(rows)) * lane_height
        for row_index, row in enumerate(rows):
            for start, end, kind, text, unmet in row:
                bottom = y + row_index * lane_height + 0.1
                ax.broken_barh(
                    [(mdates.date2num(start), (end - start).days)],
                    (bottom, lane_height * 0.8),
                    facecolors="white" if unmet else KIND_COLOURS[kind],
                    edgecolors=KIND_COLOURS[kind],
                    hatch="///" if unmet else None,
                    linewidth=0.8,
                )
                ax.text(
                    mdates.date2num(start) + 1,
                    bottom + lane_height * 0.4,
                    _fit(text, (end - start).days),
                    va="center",
                    fontsize=6,
                    color="black" if unmet else "white",
                    clip_on=True,
                )
        ticks.append(y + height / 2)
        labels.append(lane_label)
        y += height
        ax.axhline(y, color="#cccccc", linewidth=0.6)
    ax.set_ylim(y, 0)
    ax.set_yticks(ticks, labels, fontsize=8)
    start = problem.week_starts[0]
    ax.set_xlim(mdates.date2num(start), mdates.date2num(problem.week_end(problem.n_weeks - 1)))
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    ax.tick_params(axis="x", labelsize=7, rotation=0)
    ax.grid(axis="x", color="#eeeeee")
    ax.set_title(problem.option_name + (f"\n{subtitle}" if subtitle else ""), fontsize=11)
    kinds = sorted({problem.task(a.task_id).kind for a in plan.assignments} | {
        problem.task(u.task_id).kind for u in plan.unmet}, key=list(WorkKind).index)  # fmt: skip
    handles = [Patch(facecolor=KIND_COLOURS[k], label=k.value) for k in kinds]
    handles.append(Patch(facecolor="white", edgecolor="black", hatch="///", label="not delivered"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=5, fontsize=7,
              frameon=False)  # fmt: skip
    figure.tight_layout()
    return figure


Bar = tuple[date, date, WorkKind, str, bool]


def _lanes(plan: Plan) -> list[tuple[str, list[Bar]]]:
    problem = plan.problem
    by_person: dict[str, list[Assignment]] = defaultdict(list)
    for a in plan.assignments:
        by_person[a.staff_id].append(a)
    lanes = []
    for member in problem.staff:
        bars = [
            (start, end, problem.task(tasks[0]).kind, _label(plan, item_id, load), False)
            for item_id, load, start, end, tasks in _merge(by_person[member.id])
        ]
        role = "" if member.role == member.name else f"{member.role}, "
        lanes.append((f"{member.name}\n{role}{member.fte.normalize():f} FTE", bars))
    unmet_parts = []
    for u in plan.unmet:
        task = problem.task(u.task_id)
        first = problem.week_starts[min(task.earliest_start, problem.n_weeks - 1)]
        # Show an unmet task where it could first have run: its earliest weeks, or its window.
        weeks = min(task.duration, max(1, task.window_weeks))
        unmet_parts.append(
            Assignment(u.task_id, u.item_id, "", task.earliest_start, task.earliest_start + weeks,
                       first, first + timedelta(weeks=weeks), task.load)
        )  # fmt: skip
    unmet_bars: list[Bar] = [
        (start, end, problem.task(tasks[0]).kind, _label(plan, item_id, load), True)
        for item_id, load, start, end, tasks in _merge(unmet_parts)
    ]
    lanes.append((UNMET_LANE, unmet_bars))
    return lanes


def _merge(assignments: list[Assignment]) -> list[tuple[str, object, date, date, list[str]]]:
    """Join back-to-back parts of one item at one load into one bar."""
    merged: list[tuple[str, object, date, date, list[str]]] = []
    for a in sorted(assignments, key=lambda a: (a.item_id, a.start)):
        last = merged[-1] if merged else None
        if last and last[0] == a.item_id and last[1] == a.load_fte and last[3] == a.start:
            merged[-1] = (last[0], last[1], last[2], a.end, [*last[4], a.task_id])
        else:
            merged.append((a.item_id, a.load_fte, a.start, a.end, [a.task_id]))
    return merged


def _label(plan: Plan, item_id: str, load: object) -> str:
    return f"{plan.problem.scenario.item(item_id).name} {float(load):.0%}"  # type: ignore[arg-type]


def _stack(bars: list[Bar]) -> list[list[Bar]]:
    """Place bars in as few rows as possible with no overlap (first fit by start)."""
    rows: list[list[Bar]] = []
    for bar in sorted(bars, key=lambda b: (b[0], b[1])):
        for row in rows:
            if row[-1][1] <= bar[0]:
                row.append(bar)
                break
        else:
            rows.append([bar])
    return rows


def _fit(text: str, days: int) -> str:
    """Shorten a label to what fits in a bar of this many days (about 2.2 days a character)."""
    room = max(3, int(days / 2.2))
    return text if len(text) <= room else text[: room - 1] + "…"
