"""Save a chart as PNG (300 dpi), SVG and PDF, with no timestamps, so the same plan
gives the same bytes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.figure import Figure

from capacity.charts.style import ChartSize

CHART_FORMATS = ("png", "svg", "pdf")
_STABLE_IDS: Any = {"svg.hashsalt": "capacity"}  # SVG element ids from a fixed salt, not at random
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
}


def save_chart(
    figure: Figure,
    folder: Path,
    stem: str,
    dpi: int = 300,
    formats: tuple[str, ...] = CHART_FORMATS,
    size: ChartSize = ChartSize.A4_LANDSCAPE,
) -> list[Path]:
    """Write ``stem.png``, ``stem.svg`` and ``stem.pdf`` (or ``formats``) into ``folder``.

    Parameters
    ----------
    figure
        The chart, drawn at ``size`` (the chart functions' ``size=``).
    folder, stem
        Where, and the chart's name: ``gantt-option-4``.
    dpi
        Resolution of the PNG.
    formats
        Which files.
    size
        The size the figure was drawn in; it names the files (``gantt-option-4.png`` at
        A4 landscape, ``gantt-option-4-word.png``, ``gantt-option-4-slide.png``). The
        figure is saved at its own size, which is the size it is placed at, so its fonts
        are the points a reader sees.
    """
    written = []
    for fmt in formats:
        path = folder / f"{size.stem(stem)}.{fmt}"
        with matplotlib.rc_context(_STABLE_IDS):
            figure.savefig(path, format=fmt, dpi=dpi, metadata=_METADATA[fmt])
        written.append(path)
    return written


def svg_text(figure: Figure) -> str:
    """The chart as an inline SVG element (for the HTML board pack)."""
    from io import StringIO

    buffer = StringIO()
    with matplotlib.rc_context(_STABLE_IDS):
        figure.savefig(buffer, format="svg", metadata=_METADATA["svg"])
    text = buffer.getvalue()
    return text[text.index("<svg") :]
