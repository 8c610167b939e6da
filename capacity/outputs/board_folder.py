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
- in a second process (spawned; it ignores Ctrl-C, and is stopped at once if this one
  fails or is interrupted; if it dies, this one says so rather than waiting): the Word
  document and the chart files at Word and slide size.

Each file is the same, byte for byte, whichever process writes it (a test checks the
folder against one written in one process). The second process costs about two seconds
to start (imports, and the pack sent to it).
"""

from __future__ import annotations

import dataclasses
import signal
from collections.abc import Callable
from multiprocessing import get_context
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from capacity.charts.style import ChartSize
from capacity.errors import WorkerStopped
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
    # A fresh pack (nothing drawn yet is sent) for the other half.
    run_beside(
        _write_word_and_slide_half,
        (dataclasses.replace(pack), folder),
        lambda: _write_a4_half(pack, folder),
    )


def run_beside(
    function: Callable[..., None], args: tuple[Any, ...], own_work: Callable[[], None]
) -> None:
    """``function(*args)`` in a spawned process while ``own_work()`` runs here; then wait
    for it. Its error is raised here; if it dies without a word (killed, out of memory),
    :class:`~capacity.errors.WorkerStopped` says so rather than waiting for ever. On any
    error here, or Ctrl-C (which it ignores), it is stopped at once."""
    context = get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_run_and_send, args=(sender, function, args), daemon=True)
    process.start()  # the arguments are sent now, in this thread
    sender.close()  # only the other process holds it: it closes when that process ends
    try:
        own_work()
        try:
            error = receiver.recv()
        except EOFError:
            process.join()
            raise WorkerStopped(
                "the second process writing the board pack stopped without finishing "
                f"(exit code {process.exitcode}); nothing was written"
            ) from None
        if error is not None:
            raise error
        process.join()
    finally:
        if process.is_alive():
            process.terminate()
            process.join()
        receiver.close()


def _run_and_send(sender: Connection, function: Callable[..., None], args: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the first process
    try:
        function(*args)
    except Exception as exc:
        try:
            sender.send(exc)
        except Exception:  # an error that cannot be pickled: its words, then
            sender.send(RuntimeError(f"{type(exc).__name__}: {exc}"))
    else:
        sender.send(None)
    finally:
        sender.close()


def _write_a4_half(pack: BoardPack, folder: Path) -> None:
    write_pdf(pack, folder / "board-pack.pdf")
    write_html(pack, folder / "board-pack.html")
    write_workbook(pack.scenario, pack.results, pack.reconciliations, folder / "capacity-plan.xlsx")
    write_chart_files(pack, folder / "charts", (ChartSize.A4_LANDSCAPE,))


def _write_word_and_slide_half(pack: BoardPack, folder: Path) -> None:
    write_docx(pack, folder / "board-pack.docx")
    write_chart_files(pack, folder / "charts", (ChartSize.WORD_PORTRAIT, ChartSize.SLIDE))
