"""The board pack's folder: every file ``capacity report`` writes, in two processes at once.

Drawing and saving charts is nearly all of a report's time once the plans are saved.
Measured on the shipped 2021/22 data on this project's 2-core machine (2026-12-03), one
process: the PDF 10.4 s, the HTML page 1.7 s, the Word document 5.3 s, the workbook 0.4 s
and the chart files 26.6 s (each of 13 charts drawn at three sizes and saved seven times:
A4 as PNG at 300 dpi, SVG and PDF; Word and slide size as PNG and SVG), 44 s in all.

So the work is split in two halves that share nothing but the pack, and the halves run
side by side when this process may use two cores or more:

- here: the PDF, the HTML page and the workbook, and the A4 chart files (the charts
  the PDF and the page already drew);
- in a second process (spawned; it ignores Ctrl-C, and is stopped when this one stops):
  the Word document and the chart files at Word and slide size.

Each file is the same, byte for byte, whichever process writes it (a test checks the
folder against one written in one process). The second process costs about two seconds
to start (imports, and the pack sent to it).
"""

from __future__ import annotations

import signal
from multiprocessing import get_context
from pathlib import Path

from capacity.charts.style import ChartSize
from capacity.outputs.board_docx import write_docx
from capacity.outputs.board_pack import BoardPack, write_chart_files, write_html, write_pdf
from capacity.outputs.workbook import write_workbook


def write_board_folder(pack: BoardPack, folder: Path, side_by_side: bool | None = None) -> None:
    """Write ``board-pack.pdf``, ``board-pack.html``, ``board-pack.docx``,
    ``capacity-plan.xlsx`` and ``charts/`` into ``folder``; with ``side_by_side`` (default:
    when this process may use two cores or more) in two processes at once."""
    if side_by_side is None:
        from capacity.pipeline import default_workers

        side_by_side = default_workers() >= 2
    if not side_by_side:
        _write_a4_half(pack, folder)
        _write_word_and_slide_half(pack, folder)
        return
    # A pool rather than an executor: leaving its block stops the second process at once
    # (terminate), so an error or Ctrl-C here does not wait for its charts.
    with get_context("spawn").Pool(1, initializer=_ignore_interrupt) as pool:
        other_half = pool.apply_async(_write_word_and_slide_half, (pack, folder))
        _write_a4_half(pack, folder)
        other_half.get()  # its error, if any, is raised here


def _write_a4_half(pack: BoardPack, folder: Path) -> None:
    write_pdf(pack, folder / "board-pack.pdf")
    write_html(pack, folder / "board-pack.html")
    write_workbook(pack.scenario, pack.results, pack.reconciliations, folder / "capacity-plan.xlsx")
    write_chart_files(pack, folder / "charts", (ChartSize.A4_LANDSCAPE,))


def _write_word_and_slide_half(pack: BoardPack, folder: Path) -> None:
    write_docx(pack, folder / "board-pack.docx")
    write_chart_files(pack, folder / "charts", (ChartSize.WORD_PORTRAIT, ChartSize.SLIDE))


def _ignore_interrupt() -> None:
    """In the second process: Ctrl-C is for the command's own process, which stops this one."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
