"""Gantt chart of one plan: a lane per person, a bar per piece of work, unmet work apart.

Labels are measured, not guessed: each is shortened until it fits inside its
bar, moved just past the bar's end when the bar is too short and the row is
free there, and left out only when neither fits (the bar's colour, the
legend and schedule.csv still say what it is). No two labels overlap.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text

from capacity.charts.style import (
    KIND_COLOURS,
    MARKER_COLOUR,
    UK_DATE,
    UK_MONTH,
    ChartSize,
    plain,
)
from capacity.domain.work import WorkKind
from capacity.domain.years import financial_years
from capacity.finance import format_money
from capacity.plan import Assignment, OptionResult, Plan

UNMET_LANE = "Not delivered"
MIN_LABEL_CHARACTERS = 4
MAX_LABEL_CHARACTERS = 200  # far more than an A4 bar holds; a longer label is cut before measuring
FIT_MARGIN = 0.9  # text is measured at screen resolution; hinting at 300 dpi can be a little wider


@dataclass(frozen=True)
class Bar:
    start: date
    end: date
    kind: WorkKind
    label: str
    unmet: bool


def gantt_chart(
    plan: Plan,
    ax: Axes | None = None,
    subtitle: str = "",
    size: ChartSize = ChartSize.A4_LANDSCAPE,
) -> Figure:
    """Draw the plan; consecutive parts of the same ongoing item by one person form one bar.

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
    lanes = _lanes(plan)
    stacked = [(label, _stack(bars)) for label, bars in lanes]
    n_rows = sum(max(1, len(rows)) for _, rows in stacked)
    if ax is None:
        # A4 landscape; only a plan with more rows than fit legibly (about 60) grows taller.
        width, height = size.inches
        figure = Figure(figsize=(width, max(height, 2.2 + 0.1 * n_rows)))
        ax = figure.add_axes((0.18, 0.1, 0.8, 0.79))
    else:
        figure = ax.get_figure()  # type: ignore[assignment]
    if not isinstance(figure.canvas, FigureCanvasAgg):
        FigureCanvasAgg(figure)  # a renderer to measure labels with

    first_day = problem.week_starts[0]
    last_day = problem.week_end(problem.n_weeks - 1)
    ax.set_xlim(mdates.date2num(first_day), mdates.date2num(last_day))
    ax.set_ylim(n_rows, 0)
    row_points = ax.get_window_extent().height / n_rows * 72 / figure.dpi
    font_size = max(4.0, min(7.0, row_points * 0.55))

    y = 0
    ticks, tick_labels = [], []
    placed: list[Text] = []
    for lane_label, rows in stacked:
        for row_index, row in enumerate(rows):
            for index, bar in enumerate(row):
                bottom = y + row_index + 0.1
                colour = KIND_COLOURS[bar.kind]
                ax.broken_barh(
                    [(mdates.date2num(bar.start), (bar.end - bar.start).days)],
                    (bottom, 0.8),
                    facecolors="white" if bar.unmet else colour,
                    edgecolors=colour,
                    hatch="////" if bar.unmet else None,
                    linewidth=0.8,
                )
                next_start = row[index + 1].start if index + 1 < len(row) else last_day
                text = _place_label(ax, bar, bottom + 0.4, next_start, font_size)
                if text is not None:
                    placed.append(text)
        height = max(1, len(rows))
        ticks.append(y + height / 2)
        tick_labels.append(lane_label)
        y += height
        ax.axhline(y, color="#cccccc", linewidth=0.6)

    ax.set_yticks(ticks, [plain(label) for label in tick_labels], fontsize=8)
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter(UK_MONTH))
    ax.tick_params(axis="x", labelsize=7)
    ax.grid(axis="x", color="#eeeeee")
    ax.set_axisbelow(True)
    _key_dates(plan, ax)
    title = problem.option_name + (f"\n{subtitle}" if subtitle else "")
    ax.set_title(plain(title), fontsize=11, pad=26)
    ax.legend(
        handles=_legend_handles(lanes),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.04),
        ncol=6,
        fontsize=7,
        frameon=False,
    )
    return figure


def gantt_subtitle(result: OptionResult) -> str:
    """The second title line: the option's additional cost and its unmet demand."""
    plan, cost = result.plan, result.cost
    horizon = plan.problem.scenario.horizon
    unmet = f"Unmet demand {plan.unmet_fte_weeks:.1f} FTE-weeks"
    if cost.additional_in_year is None:
        return unmet
    if len(cost.by_year) > 1:  # one figure per financial year
        costs = ", ".join(
            f"{label} {format_money(amount)}"
            for label, amount in cost.by_year
            if amount is not None
        )
        return f"Additional cost {costs}  ·  {unmet}"
    year = horizon.year_label
    return f"Additional {year} cost {format_money(cost.additional_in_year)}  ·  {unmet}"


def _place_label(ax: Axes, bar: Bar, y: float, next_start: date, font_size: float) -> Text | None:
    """Inside the bar, shortened to fit; else just after it if the row is free; else none."""
    x0, x1 = mdates.date2num(bar.start), mdates.date2num(bar.end)
    pad = 1.0
    inside_colour = "black" if bar.unmet else "white"
    inside = _fitted_text(ax, bar.label, x0 + pad, y, x1 - pad, font_size, inside_colour)
    if inside is not None:
        return inside
    return _fitted_text(
        ax, bar.label, x1 + pad, y, mdates.date2num(next_start) - pad, font_size, "black"
    )


def _fitted_text(
    ax: Axes, label: str, x: float, y: float, x_limit: float, font_size: float, colour: str
) -> Text | None:
    """A label from ``x`` shortened (with an ellipsis) to end before ``x_limit``, or none.

    The longest prefix that fits is found by halving (a few measurements, whatever
    the label's length), after cutting the label to :data:`MAX_LABEL_CHARACTERS`.
    """
    renderer = ax.get_figure().canvas.get_renderer()  # type: ignore[union-attr]
    room = _pixels(ax, x_limit - x) * FIT_MARGIN
    if len(label) > MAX_LABEL_CHARACTERS:
        label = _shortened(label, MAX_LABEL_CHARACTERS - 1)
    text = ax.text(
        x, y, label, va="center", ha="left", fontsize=font_size, color=colour, clip_on=True
    )
    if text.get_window_extent(renderer).width <= room:
        return text
    fits = None  # the most characters kept, before the ellipsis, that fit
    low, high = MIN_LABEL_CHARACTERS - 1, len(label) - 1
    while low <= high:
        kept = (low + high) // 2
        text.set_text(_shortened(label, kept))
        if text.get_window_extent(renderer).width <= room:
            fits, low = kept, kept + 1
        else:
            high = kept - 1
    if fits is None:
        text.remove()
        return None
    text.set_text(_shortened(label, fits))
    return text


def _shortened(label: str, kept: int) -> str:
    return label[:kept].rstrip() + "…"


def _pixels(ax: Axes, days: float) -> float:
    left, right = ax.get_xlim()
    return ax.get_window_extent().width * days / (right - left)


def _key_dates(plan: Plan, ax: Axes) -> None:
    """Dashed lines for posts ending, recruits starting and mandatory deadlines."""
    problem = plan.problem
    horizon = problem.scenario.horizon
    marks: list[tuple[date, str]] = []
    for member in problem.staff:
        if member.contract_end and horizon.start <= member.contract_end < horizon.end:
            marks.append(
                (
                    member.contract_end + timedelta(days=1),
                    f"{member.name} ends {member.contract_end:{UK_DATE}}",
                )
            )
        if member.contract_start and horizon.start < member.contract_start <= horizon.end:
            marks.append(
                (member.contract_start, f"{member.name} starts {member.contract_start:{UK_DATE}}")
            )
    for year in financial_years(horizon.start, horizon.end)[1:]:  # where each year begins
        marks.append((year.start, f"{year.label} begins"))
    for item in problem.scenario.work:
        if item.mandatory and item.deadline:
            marks.append((item.deadline, f"{item.name} deadline {item.deadline:{UK_DATE}}"))
    left, right = ax.get_xlim()
    for index, (day, text) in enumerate(sorted(set(marks))):
        x = min(max(mdates.date2num(day), left), right)
        ax.axvline(x, color=MARKER_COLOUR, linestyle="--", linewidth=0.9)
        ax.annotate(
            plain(text),
            (x, 1),
            xycoords=("data", "axes fraction"),
            xytext=(0, 2 + 8 * (index % 2)),
            textcoords="offset points",
            fontsize=6,
            color=MARKER_COLOUR,
            ha="right" if x > (left + right) / 2 else "left",
        )


def _legend_handles(lanes: list[tuple[str, list[Bar]]]) -> list[Patch]:
    kinds = {bar.kind for _, bars in lanes for bar in bars}
    handles = [Patch(facecolor=KIND_COLOURS[k], label=k.value) for k in WorkKind if k in kinds]
    handles.append(Patch(facecolor="white", edgecolor="black", hatch="////", label="not delivered"))
    return handles


def _lanes(plan: Plan) -> list[tuple[str, list[Bar]]]:
    problem = plan.problem
    by_person: dict[str, list[Assignment]] = defaultdict(list)
    for a in plan.assignments:
        by_person[a.staff_id].append(a)
    lanes = []
    for member in problem.staff:
        role = "" if member.role == member.name else f"{member.role}, "
        bars = [_bar(plan, part, unmet=False) for part in _merge(by_person[member.id])]
        name = textwrap.fill(member.name, 26)
        lanes.append((f"{name}\n{role}{member.fte.normalize():f} FTE", bars))
    unmet_parts = []
    for u in plan.unmet:
        task = problem.task(u.task_id)
        # Shown where it could first have run: its earliest weeks (or its whole window).
        first = min(task.earliest_start, problem.n_weeks - 1)
        weeks = max(1, min(task.duration, task.window_weeks))
        start = problem.week_starts[first]
        unmet_parts.append(
            Assignment(
                u.task_id,
                u.item_id,
                "",
                first,
                first + weeks,
                start,
                start + timedelta(weeks=weeks),
                task.load,
            )
        )
    lanes.append((UNMET_LANE, [_bar(plan, part, unmet=True) for part in _merge(unmet_parts)]))
    return lanes


def _bar(plan: Plan, part: Assignment, unmet: bool) -> Bar:
    label = plain(f"{plan.problem.item_name(part.item_id)} {float(part.load_fte):.0%}")
    return Bar(part.start, part.end, plan.problem.task(part.task_id).kind, label, unmet)


def _merge(assignments: list[Assignment]) -> list[Assignment]:
    """Join back-to-back parts of one item at one load into one (the first part's task id)."""
    merged: list[Assignment] = []
    for a in sorted(assignments, key=lambda a: (a.item_id, a.start)):
        last = merged[-1] if merged else None
        if (
            last
            and last.item_id == a.item_id
            and last.load_fte == a.load_fte
            and last.end == a.start
        ):
            merged[-1] = Assignment(
                last.task_id,
                last.item_id,
                last.staff_id,
                last.start_week,
                a.end_week,
                last.start,
                a.end,
                last.load_fte,
            )
        else:
            merged.append(a)
    return merged


def _stack(bars: list[Bar]) -> list[list[Bar]]:
    """Place bars in as few rows as possible with no overlap (first fit by start)."""
    rows: list[list[Bar]] = []
    for bar in sorted(bars, key=lambda b: (b.start, b.end, b.label)):
        for row in rows:
            if row[-1].end <= bar.start:
                row.append(bar)
                break
        else:
            rows.append([bar])
    return rows
