"""Gantt chart of one plan, in three sizes (:class:`~capacity.charts.style.ChartSize`).

- **A4 landscape** (the board pack's page): a lane per person, a bar per piece of work
  they do. Labels are measured, not guessed: each is shortened until it fits inside its
  bar, moved just past the bar's end when the bar is too short and the row is free
  there, and left out only when neither fits (the bar's colour, the legend and
  schedule.csv still say what it is). No two labels overlap; text on a bar is black or
  white, whichever contrasts more with it.
- **Word portrait** (16 cm wide, text at least 8 pt there): a row per piece of work (an
  item with the work done alongside it; a bid with its delivery), named on the left,
  its bars coloured by who does it. Bids are numbered, with their full names in a key
  under the chart; mandatory deadlines are marked on their rows.
- **Slide** (16:9, text at least 12 pt): the same rows, grouped by kind of work and
  named by kind (a slide shows the shape of the year; the document names each piece).

Work not delivered is not drawn in any size: it is a table
(:func:`capacity.reports.plan_tables.not_delivered_table`), and a note under the chart
says how much there is. Nothing is hatched.
"""

from __future__ import annotations

import math
import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from capacity.charts.style import (
    GRID_COLOUR,
    KIND_COLOURS,
    MARKER_COLOUR,
    PERSON_COLOURS,
    ChartSize,
    plain,
    text_colour_on,
    uk_date,
    wrapped_title,
)
from capacity.domain.problem import PlanningProblem
from capacity.domain.work import WorkKind
from capacity.domain.years import financial_years
from capacity.finance import format_money
from capacity.plan import Assignment, OptionResult, Plan
from capacity.reports.figures import format_fte_weeks, format_share, option_label

MIN_LABEL_CHARACTERS = 4
MAX_LABEL_CHARACTERS = 200  # far more than an A4 bar holds; a longer label is cut before measuring
FIT_MARGIN = 0.9  # text is measured at screen resolution; hinting at 300 dpi can be a little wider
ROW_SPACING = 1.5  # a row's height, in multiples of its label's font size
DEADLINE_MARKER = "D"


@dataclass(frozen=True)
class Bar:
    start: date
    end: date
    kind: WorkKind
    label: str  # the name and the load: "Bid 3 45%"
    name: str = ""  # the name alone, shown whole where the label does not fit: "Bid 3"


def gantt_chart(
    plan: Plan,
    ax: Axes | None = None,
    subtitle: str = "",
    size: ChartSize = ChartSize.A4_LANDSCAPE,
) -> Figure:
    """Draw the plan: who does what, when.

    Parameters
    ----------
    plan
        A verified plan.
    ax
        Axes to draw on; a new figure of ``size`` is made if omitted.
    subtitle
        A second title line, e.g. the option's cost.
    size
        A4 landscape (a lane per person), Word portrait (a row per piece of work) or a
        slide (rows grouped by kind of work); see the module's docstring.
    """
    if size is ChartSize.A4_LANDSCAPE:
        return _person_lanes(plan, ax, subtitle, size)
    return _work_rows(plan, ax, subtitle, size)


def gantt_subtitle(result: OptionResult) -> str:
    """The second title line: the option's additional cost and its unmet demand."""
    plan, cost = result.plan, result.cost
    horizon = plan.problem.scenario.horizon
    unmet = f"Unmet demand {format_fte_weeks(plan.unmet_fte_weeks)} FTE-weeks"
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


def not_delivered_note(plan: Plan) -> str:
    """The line under every Gantt chart: how much work is not delivered, and where to read it."""
    items = {u.item_id for u in plan.unmet}
    if not items:
        return "All the work is delivered."
    mandatory = {u.item_id for u in plan.unmet if u.mandatory}
    pieces = "piece" if len(items) == 1 else "pieces"
    of_which = f", {len(mandatory)} of them mandatory" if mandatory else ""
    return (
        f"Not delivered, in whole or in part: {len(items)} {pieces} of work{of_which}, "
        f"{format_fte_weeks(plan.unmet_fte_weeks)} FTE-weeks (see the table of work not delivered)."
    )


# -- A4 landscape: a lane per person -------------------------------------------------


def _person_lanes(plan: Plan, ax: Axes | None, subtitle: str, size: ChartSize) -> Figure:
    problem = plan.problem
    lanes = _lanes(plan)
    stacked = [(label, _stack(bars)) for label, bars in lanes]
    n_rows = sum(max(1, len(rows)) for _, rows in stacked)
    smallest = size.min_font_points
    note = not_delivered_note(plan)
    if bid_numbers(problem):
        drawn = {piece_of_work(problem, a.item_id) for a in plan.assignments}
        note += "\n" + _bid_key(problem, 180, drawn)
    own_figure = ax is None
    if ax is None:
        # A4 landscape; a plan with more rows than fit at the least font size grows taller.
        # Under the rows: the month axis and the legend, then the note, as many lines as it has.
        width, height = size.inches
        below = 0.7 + (note.count("\n") + 1) * size.font(1) * 1.35 / 72
        needed = 1.2 + below + n_rows * smallest * ROW_SPACING / 72
        height = max(height, needed)
        figure = Figure(figsize=(width, height))
        ax = figure.add_axes((0.18, below / height, 0.8, 1 - (below + 1.2) / height))
    else:
        figure = ax.get_figure()  # type: ignore[assignment]
    if not isinstance(figure.canvas, FigureCanvasAgg):
        FigureCanvasAgg(figure)  # a renderer to measure labels with

    first_day = problem.week_starts[0]
    last_day = problem.week_end(problem.n_weeks - 1)
    ax.set_xlim(mdates.date2num(first_day), mdates.date2num(last_day))
    ax.set_ylim(max(1, n_rows), 0)
    row_points = ax.get_window_extent().height / max(1, n_rows) * 72 / figure.dpi
    font_size = max(smallest, min(smallest + 1, row_points / ROW_SPACING))

    y = 0
    ticks, tick_labels = [], []
    for lane_label, rows in stacked:
        for row_index, row in enumerate(rows):
            for index, bar in enumerate(row):
                bottom = y + row_index + 0.1
                colour = KIND_COLOURS[bar.kind]
                ax.broken_barh(
                    [(mdates.date2num(bar.start), (bar.end - bar.start).days)],
                    (bottom, 0.8),
                    facecolors=colour,
                    edgecolors="white",
                    linewidth=0.5,
                )
                next_start = row[index + 1].start if index + 1 < len(row) else last_day
                _place_label(ax, bar, bottom + 0.4, next_start, font_size)
        height = max(1, len(rows))
        ticks.append(y + height / 2)
        tick_labels.append(lane_label)
        y += height
        ax.axhline(y, color="#cccccc", linewidth=0.6)

    ax.set_yticks(ticks, [plain(label) for label in tick_labels], fontsize=size.font(1))
    _month_axis(ax, size)
    levels = _key_dates(plan, ax, size, deadlines=True)
    title = option_label(problem.option_name) + (f"\n{subtitle}" if subtitle else "")
    ax.set_title(plain(title), fontsize=size.font(4), pad=6 + levels * size.font() * 1.3)
    kinds = {bar.kind for _, bars in lanes for bar in bars}
    legend = ax.legend(
        handles=[Patch(facecolor=KIND_COLOURS[k], label=k.value) for k in WorkKind if k in kinds],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.3 / ax.get_position().height / figure.get_figheight()),
        ncol=9,
        fontsize=size.font(),
        frameon=False,
    )
    ax.add_artist(legend)
    if own_figure:
        figure.text(
            0.5,
            0.1 / figure.get_figheight(),
            plain(note),
            ha="center",
            va="bottom",
            fontsize=size.font(1),
        )
    else:
        ax.annotate(
            plain(note),
            (0.5, -0.11),
            xycoords="axes fraction",
            ha="center",
            va="top",
            fontsize=size.font(1),
        )
    return figure


def _place_label(ax: Axes, bar: Bar, y: float, next_start: date, font_size: float) -> Text | None:
    """Inside the bar: the label, else the name alone (``Bid 3`` rather than ``Bid…``),
    else the label shortened to fit; else just after the bar if the row is free; else none."""
    x0, x1 = mdates.date2num(bar.start), mdates.date2num(bar.end)
    pad = 1.0
    inside_colour = text_colour_on(KIND_COLOURS[bar.kind])
    renderer = ax.get_figure().canvas.get_renderer()  # type: ignore[union-attr]
    room = _pixels(ax, x1 - x0 - 2 * pad) * FIT_MARGIN
    for whole in dict.fromkeys([bar.label, bar.name or bar.label]):
        if len(whole) > MAX_LABEL_CHARACTERS:  # far too long for any bar: not measured whole
            continue
        text = ax.text(
            x0 + pad,
            y,
            whole,
            va="center",
            ha="left",
            fontsize=font_size,
            color=inside_colour,
            clip_on=True,
        )
        if text.get_window_extent(renderer).width <= room:
            return text
        text.remove()
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
    fits = _longest_prefix(label, lambda shown: _set_and_measure(text, shown, renderer) <= room)
    if fits is None:
        text.remove()
        return None
    text.set_text(fits)
    return text


def _set_and_measure(text: Text, shown: str, renderer: object) -> float:
    text.set_text(shown)
    return float(text.get_window_extent(renderer).width)  # type: ignore[arg-type]


def _longest_prefix(label: str, fits: object) -> str | None:
    """The longest ``label[:k] + '…'`` (k at least :data:`MIN_LABEL_CHARACTERS` - 1) for
    which ``fits(shown)`` holds, found by halving; ``None`` if even the shortest fails."""
    best = None
    low, high = MIN_LABEL_CHARACTERS - 1, len(label) - 1
    while low <= high:
        kept = (low + high) // 2
        shown = _shortened(label, kept)
        if fits(shown):  # type: ignore[operator]
            best, low = shown, kept + 1
        else:
            high = kept - 1
    return best


def _shortened(label: str, kept: int) -> str:
    return label[:kept].rstrip() + "…"


def _pixels(ax: Axes, days: float) -> float:
    left, right = ax.get_xlim()
    return ax.get_window_extent().width * days / (right - left)


def _lanes(plan: Plan) -> list[tuple[str, list[Bar]]]:
    problem = plan.problem
    by_person: dict[str, list[Assignment]] = defaultdict(list)
    for a in plan.assignments:
        by_person[a.staff_id].append(a)
    lanes = []
    for member in problem.staff:
        role = "" if member.role == member.name else f"{member.role}, "
        bars = [_bar(plan, part) for part in _merge(by_person[member.id])]
        name = textwrap.fill(member.name, 26)
        lanes.append((f"{name}\n{role}{member.fte.normalize():f} FTE", bars))
    return lanes


def _bar(plan: Plan, part: Assignment) -> Bar:
    problem = plan.problem
    task = problem.task(part.task_id)
    name = plain(_short_name(problem, part.item_id))
    return Bar(part.start, part.end, task.kind, f"{name} {format_share(part.load_fte)}", name)


def _short_name(problem: PlanningProblem, item_id: str) -> str:
    """The item's name; for the work of a funding bid, its number first (``Bid 3``,
    ``Bid 3 delivery``, ``Bid 3 support``), so that bids shortened to fit stay apart."""
    head = piece_of_work(problem, item_id)
    number = bid_numbers(problem).get(head)
    if number is None:
        return problem.item_name(item_id)
    if item_id == head:
        return f"Bid {number}"
    items = {w.id: w for w in problem.scenario.work}
    item = items.get(item_id)
    part = "delivery" if item is not None and item.committed_to == head else "support"
    return f"Bid {number} {part}"


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


# -- Word portrait and slide: a row per piece of work ---------------------------------


@dataclass(frozen=True)
class Span:
    """Time one person spends on one piece of work, without a break."""

    start: date
    end: date
    staff_id: str


@dataclass
class WorkRow:
    """One piece of work: its name, kind, who works on it when, and a mandatory deadline."""

    head_id: str
    label: str
    kind: WorkKind
    spans: list[Span] = field(default_factory=list)
    deadline: date | None = None

    def bands(self) -> list[list[Span]]:
        """The spans in as few bands as possible with no overlap (first fit by start)."""
        bands: list[list[Span]] = []
        for span in sorted(self.spans, key=lambda s: (s.start, s.end, s.staff_id)):
            for band in bands:
                if band[-1].end <= span.start:
                    band.append(span)
                    break
            else:
                bands.append([span])
        return bands


def piece_of_work(problem: PlanningProblem, item_id: str) -> str:
    """The id of the piece of work an item belongs to: the item that work ``alongside``
    it shares (a tender's administration, a bid's second writer), the bid a post-award
    delivery is ``with``, or itself."""
    items = {w.id: w for w in problem.scenario.work}
    seen = set()
    while item_id in items and item_id not in seen:
        seen.add(item_id)
        item = items[item_id]
        head = item.alongside or item.committed_to
        if head is None or head not in items:
            break
        item_id = head
    return item_id


def bid_numbers(problem: PlanningProblem) -> dict[str, int]:
    """Each funding bid's number, 1, 2, ..., in the scenario's order."""
    bids = [w.id for w in problem.scenario.work if w.kind is WorkKind.BID]
    return {bid: number for number, bid in enumerate(bids, start=1)}


def work_rows(plan: Plan) -> list[WorkRow]:
    """The pieces of work the plan delivers any of, in the scenario's order, each with the
    time each person spends on it (back-to-back and overlapping parts joined)."""
    problem = plan.problem
    numbers = bid_numbers(problem)
    items = {w.id: w for w in problem.scenario.work}
    rows: dict[str, WorkRow] = {}
    for task in problem.tasks:
        head = piece_of_work(problem, task.item_id)
        if head not in rows:
            name = problem.item_name(head)
            label = f"Bid {numbers[head]}: {name}" if head in numbers else name
            kind = items[head].kind if head in items else task.kind
            rows[head] = WorkRow(head, plain(label), kind)
        item = items.get(task.item_id)
        if task.mandatory and item is not None and item.deadline is not None:
            deadline = rows[head].deadline
            rows[head].deadline = max(deadline, item.deadline) if deadline else item.deadline
    periods: dict[tuple[str, str], list[tuple[date, date]]] = defaultdict(list)
    for a in plan.assignments:
        periods[piece_of_work(problem, a.item_id), a.staff_id].append((a.start, a.end))
    for (head, staff_id), spans in periods.items():
        for start, end in _joined(spans):
            rows[head].spans.append(Span(start, end, staff_id))
    return [row for row in rows.values() if row.spans]


def _joined(periods: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Overlapping and back-to-back periods as one."""
    joined: list[tuple[date, date]] = []
    for start, end in sorted(periods):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined


def _work_rows(plan: Plan, ax: Axes | None, subtitle: str, size: ChartSize) -> Figure:
    problem = plan.problem
    rows = work_rows(plan)
    slide = size is ChartSize.SLIDE
    smallest = size.min_font_points
    people = [m for m in problem.staff if any(s.staff_id == m.id for r in rows for s in r.spans)]
    colours = {m.id: PERSON_COLOURS[i % len(PERSON_COLOURS)] for i, m in enumerate(problem.staff)}
    width, height = size.inches
    wrap_at = int(width * 72 * 0.94 / (smallest * 0.52))  # characters across the page
    footer = textwrap.fill(not_delivered_note(plan), wrap_at)
    if not slide and bid_numbers(problem):
        footer += "\n" + _bid_key(problem, wrap_at, {row.head_id for row in rows})

    # Row heights in points: each row (on a slide, each kind's group of rows) at least as
    # tall as its label needs; the bands of a row (people working on it at once) share it.
    label_points = smallest * ROW_SPACING
    if slide:
        groups = _kind_groups(rows)
        band_count = sum(len(row.bands()) for _, group in groups for row in group)
        band_points = max(1.0, (height - 3.4) * 72 / max(1, band_count))
        blocks = [
            (
                kind.value,
                _at_least([(row, band_points * len(row.bands())) for row in group], label_points),
            )
            for kind, group in groups
        ]
    else:
        blocks = [(row.label, [(row, label_points)]) for row in rows]
    total = sum(h for _, group in blocks for _, h in group) or label_points
    if ax is None:
        figure = Figure(figsize=(width, height))
        own_layout = True
        ax = figure.add_axes((0.22 if slide else 0.40, 0.3, 0.75 if slide else 0.57, 0.5))
    else:
        figure = ax.get_figure()  # type: ignore[assignment]
        own_layout = False
    if not isinstance(figure.canvas, FigureCanvasAgg):
        FigureCanvasAgg(figure)

    first_day = problem.week_starts[0]
    last_day = problem.week_end(problem.n_weeks - 1)
    ax.set_xlim(mdates.date2num(first_day), mdates.date2num(last_day))
    ax.set_ylim(total, 0)
    y = 0.0
    ticks, tick_labels = [], []
    for label, group in blocks:
        group_top = y
        for row, row_height in group:
            bands = row.bands()
            band = row_height / max(1, len(bands))
            for index, spans in enumerate(bands):
                for span in spans:
                    ax.broken_barh(
                        [(mdates.date2num(span.start), (span.end - span.start).days)],
                        (y + index * band + band * 0.1, band * 0.8),
                        facecolors=colours[span.staff_id],
                        edgecolors="none",
                    )
            if row.deadline and not slide:
                ax.plot(
                    [mdates.date2num(min(row.deadline, last_day))],
                    [y + row_height / 2],
                    DEADLINE_MARKER,
                    color="black",
                    markersize=smallest * 0.6,
                    markeredgecolor="white",
                    markeredgewidth=0.6,
                    clip_on=False,
                )
            y += row_height
            if not slide:
                ax.axhline(y, color=GRID_COLOUR, linewidth=0.4)
        ticks.append((group_top + y) / 2)
        tick_labels.append(label)
        if slide:
            ax.axhline(y, color="#999999", linewidth=0.8)
    ax.set_yticks(ticks, tick_labels, fontsize=size.font())
    ax.tick_params(axis="y", length=0)
    _month_axis(ax, size)

    handles: list[Patch | Line2D] = [
        Patch(facecolor=colours[m.id], label=plain(m.name)) for m in people
    ]
    if not slide and any(row.deadline for row in rows):
        handles.append(
            Line2D(
                [],
                [],
                marker=DEADLINE_MARKER,
                color="black",
                linestyle="none",
                markersize=smallest * 0.6,
                label="mandatory deadline",
            )
        )
    legend = figure.legend(
        handles=handles,
        loc="upper left",
        ncol=2 if size.portrait else 3,
        fontsize=size.font(),
        frameon=False,
        title="Who does it",
        title_fontsize=size.font(),
        alignment="left",
    )
    notes = figure.text(0.03, 0.0, plain(footer), fontsize=size.font(), va="top", ha="left")
    title = figure.text(
        0.02,
        1.0,
        wrapped_title(
            option_label(problem.option_name) + (f"\n{subtitle}" if subtitle else ""), width, size
        ),
        fontsize=size.font(3),
        va="top",
        ha="left",
    )
    if own_layout:
        _lay_out_rows(figure, ax, total, title, legend, notes, fixed_height=slide)
    if not slide:
        _fit_tick_labels(ax, figure)
    levels = _key_dates(plan, ax, size, deadlines=False)
    if own_layout and levels > 2:
        _lay_out_rows(figure, ax, total, title, legend, notes, fixed_height=slide, levels=levels)
    return figure


def _lay_out_rows(
    figure: Figure,
    ax: Axes,
    rows_points: float,
    title: Text,
    legend: Legend,
    notes: Text,
    fixed_height: bool,
    levels: int = 2,
) -> None:
    """Stack, from the top, in inches: the title, the key dates' notes, the rows (each as
    tall as it was given, or on a slide as tall as the page leaves), the month axis, the
    legend and the notes; a figure for a document is as tall as that needs."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    dpi = figure.dpi

    def inches(artist: object) -> float:
        return float(artist.get_window_extent(renderer).height) / dpi  # type: ignore[attr-defined]

    gap = 0.08
    note_line = float(notes.get_fontsize()) * 1.3 / 72
    top = 0.1 + inches(title) + gap + levels * note_line + 0.05
    box = ax.get_position()
    ax_bottom = box.y0 * figure.get_figheight()
    drawn = ax.get_tightbbox(renderer)
    assert drawn is not None  # the axes have ticks
    axis = ax_bottom - drawn.y0 / dpi  # the month labels under the axes
    below = axis + gap + inches(legend) + gap + inches(notes) + 0.1
    if fixed_height:
        height = figure.get_figheight()
        rows = max(0.5, height - top - below)
    else:
        rows = rows_points / 72
        height = top + rows + below
        figure.set_size_inches(figure.get_figwidth(), height)
    ax.set_position((box.x0, (height - top - rows) / height, box.width, rows / height))
    legend_top = height - top - rows - axis - gap
    legend.set_bbox_to_anchor((0.02, legend_top / height), transform=figure.transFigure)
    notes.set_position((0.03, (legend_top - inches(legend) - gap) / height))
    title.set_position((0.02, 1 - 0.1 / height))


def _kind_groups(rows: list[WorkRow]) -> list[tuple[WorkKind, list[WorkRow]]]:
    """Rows by kind of work, the kinds in the order their first row comes."""
    groups: dict[WorkKind, list[WorkRow]] = {}
    for row in rows:
        groups.setdefault(row.kind, []).append(row)
    return list(groups.items())


def _at_least(group: list[tuple[WorkRow, float]], points: float) -> list[tuple[WorkRow, float]]:
    """The group's rows stretched (in proportion) so the group is at least ``points`` tall."""
    height = sum(h for _, h in group)
    if height >= points or not height:
        return group
    return [(row, h * points / height) for row, h in group]


def _bid_key(problem: PlanningProblem, wrap_at: int, drawn: set[str] | None = None) -> str:
    """``Bids: 1 Funding bid 1; 2 ...``, wrapped at ``wrap_at`` characters: every bid the
    scenario lists, then those the plan does not work on at all (not in ``drawn``)."""
    numbers = bid_numbers(problem)
    entries = [f"{n} {problem.item_name(bid)}" for bid, n in numbers.items()]
    key = "Bids: " + "; ".join(entries) + "."
    missing = [str(n) for bid, n in numbers.items() if drawn is not None and bid not in drawn]
    if missing:
        key += f" Not worked on in this plan: {', '.join(missing)}."
    return textwrap.fill(key, wrap_at)


def _fit_tick_labels(ax: Axes, figure: Figure) -> None:
    """Shorten each row's name (at a word, with an ellipsis) to fit left of the axes."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    room = ax.get_window_extent(renderer).x0 - 0.04 * figure.bbox.width
    labels = ax.get_yticklabels()
    for label in labels:
        text = label.get_text()
        if label.get_window_extent(renderer).width <= room:
            continue
        words = text.split(" ")
        while len(words) > 1:
            words.pop()
            label.set_text(" ".join(words).rstrip(" -:,(") + "…")
            if label.get_window_extent(renderer).width <= room:
                break
    ax.set_yticks(ax.get_yticks(), [label.get_text() for label in labels])


# -- shared: the month axis and key dates ----------------------------------------------


def _month_axis(ax: Axes, size: ChartSize) -> None:
    """A tick on each month's first day (every second or third month when a long horizon
    leaves no room for each): ``Apr 2021`` on A4; on the narrower sizes the month's
    initial three letters, with the year under the first month and the year's first tick."""
    left, right = ax.get_xlim()
    first = mdates.num2date(left).date()
    months = max(1, round((right - left) / 30.44))
    a4 = size is ChartSize.A4_LANDSCAPE
    label_points = (8 if a4 else 3) * 0.62 * size.font() + 6
    axis_points = ax.get_window_extent().width * 72 / ax.get_figure().dpi  # type: ignore[union-attr]
    every = max(1, math.ceil(months * label_points / max(1.0, axis_points)))
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonthday=1, interval=every))
    if a4:
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    else:
        first_tick = (
            first if first.day == 1 else (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        )

        def month(value: float, _: object) -> str:
            day = mdates.num2date(value).date()
            year = day.month <= every or day == first_tick
            return f"{day:%b}\n{day:%Y}" if year else f"{day:%b}"

        ax.xaxis.set_major_formatter(month)
    ax.tick_params(axis="x", labelsize=size.font())
    ax.grid(axis="x", color=GRID_COLOUR)
    ax.set_axisbelow(True)


def _key_dates(plan: Plan, ax: Axes, size: ChartSize, deadlines: bool) -> int:
    """Dashed lines for posts ending, recruits starting, financial years beginning and
    (``deadlines``) mandatory deadlines, each with a note above the axes, placed in the
    lowest level where it overlaps no other note and stays inside the figure. Returns
    how many levels the notes take."""
    problem = plan.problem
    horizon = problem.scenario.horizon
    marks: dict[date, list[str]] = defaultdict(list)
    for member in problem.staff:
        if member.contract_end and horizon.start <= member.contract_end < horizon.end:
            day = member.contract_end + timedelta(days=1)
            marks[day].append(f"{member.name} ends {uk_date(member.contract_end)}")
        if member.contract_start and horizon.start < member.contract_start <= horizon.end:
            marks[member.contract_start].append(
                f"{member.name} starts {uk_date(member.contract_start)}"
            )
    for year in financial_years(horizon.start, horizon.end)[1:]:  # where each year begins
        marks[year.start].append(f"{year.label} begins")
    if deadlines:
        for item in problem.scenario.work:
            if item.mandatory and item.deadline:
                marks[item.deadline].append(f"{item.name} deadline {uk_date(item.deadline)}")
    figure = ax.get_figure()
    renderer = figure.canvas.get_renderer()  # type: ignore[union-attr]
    figure_box = figure.bbox  # type: ignore[union-attr]
    left, right = ax.get_xlim()
    placed: list[Bbox] = []
    levels = 0
    line_points = size.font() * 1.3
    # Two marks a day or two apart share one line (a post ends, its successor starts).
    for day in sorted(marks):
        x = min(max(mdates.date2num(day), left), right)
        ax.axvline(x, color=MARKER_COLOUR, linestyle="--", linewidth=0.9)
        for text in marks[day]:
            note = None
            # Beside the line: what ends reads before it, what begins after; stacked on
            # that side, or the other if it does not fit.
            sides = ("right", "left") if " ends " in text else ("left", "right")
            for align in sides:
                for level in range(12):
                    note = ax.annotate(
                        plain(text),
                        (x, 1),
                        xycoords=("data", "axes fraction"),
                        xytext=(2 if align == "left" else -2, 2 + line_points * level),
                        textcoords="offset points",
                        fontsize=size.font(),
                        color=MARKER_COLOUR,
                        ha=align,
                    )
                    box = note.get_window_extent(renderer)
                    inside = box.x0 >= figure_box.x0 and box.x1 <= figure_box.x1
                    if inside and not any(box.overlaps(b) for b in placed):
                        placed.append(box)
                        levels = max(levels, level + 1)
                        break
                    note.remove()
                    note = None
                if note is not None:
                    break
    return levels
