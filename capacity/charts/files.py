"""Save a chart as PNG (300 dpi), SVG and PDF, with no timestamps, so the same plan
gives the same bytes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.figure import Figure

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
) -> list[Path]:
    """Write ``stem.png``, ``stem.svg`` and ``stem.pdf`` (or ``formats``) into ``folder``."""
    written = []
    for fmt in formats:
        path = folder / f"{stem}.{fmt}"
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
