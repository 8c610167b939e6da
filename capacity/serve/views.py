"""What the what-if page shows and downloads, from the project's own report code.

The one adapter between the page and the charts, tables and board pack: each function is
a line or two over the function ``capacity compare`` or ``capacity report`` calls, so the
page shows the figures the command line prints, and swapping in a new chart is one line
here.
"""

from __future__ import annotations

import io
import signal
import tempfile
import threading
import zipfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from capacity.charts.files import svg_text
from capacity.charts.gantt import gantt_chart, gantt_subtitle
from capacity.charts.monthly_demand import monthly_demand_chart
from capacity.domain.scenario import Scenario
from capacity.plan import OptionResult
from capacity.reports.comparison import comparison_view, unmet_by_item
from capacity.reports.figures import format_fte_weeks

_DRAWING = threading.Lock()  # matplotlib's text layout is not safe across threads


@dataclass(frozen=True)
class NotDelivered:
    """A row of an option's "not delivered" list, in plain words."""

    name: str
    mandatory: bool
    unmet_fte_weeks: str
    demand_fte_weeks: str
    reason: str


@dataclass(frozen=True)
class Charts:
    """An option's two charts, as inline SVG."""

    gantt_svg: str
    demand_svg: str


@dataclass(frozen=True)
class OptionView:
    """One option's part of the page: what it does not deliver, and its charts once drawn
    (``None`` until then: the page asks for them after showing the figures)."""

    option_id: str
    name: str
    not_delivered: list[NotDelivered]
    charts: Charts | None = None


@dataclass(frozen=True)
class Comparison:
    """The table ``capacity compare`` prints: the options (id, name) and, per figure, its
    label as printed (sub-figures indented) and the text for each option."""

    options: list[tuple[str, str]]
    rows: list[tuple[str, list[str]]]


def comparison(results: list[OptionResult]) -> Comparison:
    """The options side by side, every figure as ``capacity compare`` prints it."""
    view = comparison_view(results)  # a column per option, in the results' order
    options = [(r.plan.option_id, r.plan.problem.option_name) for r in results]
    rows = [(str(label), [str(v) for v in values]) for label, values in view.iterrows()]
    return Comparison(options, rows)


def comparison_figures(results: list[OptionResult]) -> dict[str, dict[str, str]]:
    """The same table as figure -> option -> text, for tests that compare it with the CLI's."""
    ids = [r.plan.option_id for r in results]
    return {
        str(row): {option_id: str(v) for option_id, v in zip(ids, values, strict=True)}
        for row, values in comparison_view(results).iterrows()
    }


def option_charts(result: OptionResult) -> Charts:
    """The Gantt and the monthly demand against capacity: about a second an option on the
    shipped data, so the page draws them after it shows the figures (:class:`ChartDrawer`)."""
    with _DRAWING:
        gantt = svg_text(gantt_chart(result.plan, subtitle=gantt_subtitle(result)))
        demand = svg_text(monthly_demand_chart(result))
    return Charts(gantt, demand)


class ChartDrawer:
    """Draws options' charts (:func:`option_charts`) in a process of its own, started on
    first use. Matplotlib holds the interpreter for the second or so an option takes; in
    the page's own process that held up, by about as much, the first answer to a change
    made meanwhile and the Python part of its search. If that process fails, the charts
    are drawn here instead."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def draw(self, result: OptionResult) -> Charts:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=get_context("spawn"), initializer=_no_interrupt
                )
            pool = self._pool
        try:
            return pool.submit(option_charts, result).result()
        except BrokenProcessPool:
            with self._lock:
                if self._pool is pool:
                    self._pool = None
            return option_charts(result)

    def close(self) -> None:
        """Stop the drawing process (a chart being drawn is not waited for)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def option_view(result: OptionResult, charts: Charts | None = None) -> OptionView:
    """The work not delivered, with the reason in plain words (and ``charts``, if drawn)."""
    plan = result.plan
    rows = [
        NotDelivered(
            name=str(row.name),
            mandatory=bool(row.mandatory),
            unmet_fte_weeks=format_fte_weeks(row.unmet_fte_weeks),
            demand_fte_weeks=format_fte_weeks(row.demand_fte_weeks),
            reason=str(row.reason or ""),
        )
        for row in unmet_by_item(plan).itertuples()
    ]
    return OptionView(plan.option_id, plan.problem.option_name, rows, charts)


def _no_interrupt() -> None:
    """In the drawing process: Ctrl-C is for the page's own process, which stops this one."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


# -- downloads: what `capacity report` and `capacity compare` write -------------------

DOWNLOADS = {
    "board-pack.pdf": "application/pdf",
    "board-pack.html": "text/html; charset=utf-8",
    "board-pack.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "capacity-plan.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv.zip": "application/zip",
}
"""The files the page offers for the current what-if, and their media types."""


def download(name: str, scenario: Scenario, results: list[OptionResult], folder: Path) -> bytes:
    """The bytes of one download, written by the report command's own code into a fresh
    folder under ``folder`` (the session's workspace)."""
    from capacity.finance import reconcile
    from capacity.outputs.board_docx import write_docx
    from capacity.outputs.board_pack import BoardPack, write_html, write_pdf
    from capacity.outputs.plan_files import write_comparison_files
    from capacity.outputs.workbook import write_workbook

    if name not in DOWNLOADS:
        raise KeyError(name)
    with tempfile.TemporaryDirectory(dir=folder) as staging:
        out = Path(staging)
        path = out / name
        with _DRAWING:
            if name.startswith("board-pack."):
                pack = BoardPack(scenario, results, reconcile(scenario))
                writer = {"pdf": write_pdf, "html": write_html, "docx": write_docx}
                writer[name.rsplit(".", 1)[1]](pack, path)
            elif name == "capacity-plan.xlsx":
                write_workbook(scenario, results, reconcile(scenario), path)
            else:
                tables = out / "tables"
                tables.mkdir()
                write_comparison_files(scenario, results, tables)
                path.write_bytes(_zipped(tables, {".csv"}))
        return path.read_bytes()


def _zipped(folder: Path, suffixes: set[str]) -> bytes:
    """The files of ``folder`` with these suffixes, as a zip with fixed dates (same input,
    same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in suffixes:
                info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), (2021, 4, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())
    return buffer.getvalue()
