"""Shared look of the charts: the three sizes, a colour-blind-safe palette, text contrast.

Every chart is drawn in one of three sizes (:class:`ChartSize`): an A4-landscape page,
a figure placed 16 cm wide in a Word document (A4 portrait), and a 16:9 slide. Each
size says how large the figure is and the smallest font any of its text may use, at
the size the figure is placed (a figure is saved at its placed size, so a point in the
file is a point on the page).

Colours are the Okabe-Ito palette (Okabe and Ito 2008, "Color Universal Design"), which
stays apart under the common colour-vision deficiencies; text on a coloured bar is
black or white, whichever contrasts more by WCAG 2.1's relative luminance
(:func:`text_colour_on`), so every label has a contrast of at least 4.5:1.
"""

from __future__ import annotations

import math
import textwrap
from datetime import date
from enum import Enum

from matplotlib.colors import to_rgb

from capacity.domain.work import WorkKind
from capacity.reports.plan_tables import uk_date as uk_date  # dates as the tables write them

A4_LANDSCAPE_INCHES = (11.69, 8.27)
CM_PER_INCH = 2.54
WORD_WIDTH_CM = 16.0  # the text width of an A4-portrait Word page with 2.5 cm margins


class ChartSize(Enum):
    """The sizes a chart is drawn in: figure size in inches, the least font size in
    points (at that size), and what its file names end with.

    ``A4_LANDSCAPE``: a page of the PDF board pack (the files keep their old names).
    ``WORD_PORTRAIT``: placed 16 cm wide in a Word document; text at least 8 pt there.
    ``SLIDE``: a 16:9 slide (13.33 x 7.5 in, PowerPoint's widescreen); text at least 12 pt.
    """

    A4_LANDSCAPE = ("a4", A4_LANDSCAPE_INCHES, 7.0, "")
    WORD_PORTRAIT = ("word", (WORD_WIDTH_CM / CM_PER_INCH, 8.5), 8.0, "-word")
    SLIDE = ("slide", (40 / 3, 7.5), 12.0, "-slide")

    def __init__(
        self, key: str, inches: tuple[float, float], min_font_points: float, suffix: str
    ) -> None:
        self.key = key
        self.inches = inches
        self.min_font_points = min_font_points
        self.suffix = suffix

    @property
    def width_inches(self) -> float:
        return self.inches[0]

    @property
    def height_inches(self) -> float:
        return self.inches[1]

    @property
    def portrait(self) -> bool:
        return self.height_inches > self.width_inches

    def font(self, step: int = 0) -> float:
        """A font size for this size: the least (``step`` 0), or ``step`` points above it
        (titles 3, axis labels 1), scaled for the slide's larger type."""
        return self.min_font_points + step * (1.5 if self is ChartSize.SLIDE else 1.0)

    def stem(self, base: str) -> str:
        """The file stem of chart ``base`` at this size: ``gantt-option-4-word``."""
        return f"{base}{self.suffix}"


# One colour per kind of work, from the Okabe-Ito palette (and its grey), assigned so
# that kinds often seen side by side (bid and its delivery, review and project) differ
# in lightness as well as hue: they stay apart under deuteranopia (tests/test_charts_style.py).
KIND_COLOURS = {
    WorkKind.TENDER: "#0072B2",  # blue
    WorkKind.NEEDS_ASSESSMENT: "#56B4E9",  # sky blue
    WorkKind.BID: "#E69F00",  # orange
    WorkKind.IMPLEMENTATION: "#D55E00",  # vermillion
    WorkKind.MOBILISATION: "#CC79A7",  # reddish purple
    WorkKind.REVIEW: "#009E73",  # bluish green
    WorkKind.BUSINESS_AS_USUAL: "#BBBBBB",  # light grey
    WorkKind.PROJECT: "#F0E442",  # yellow
    WorkKind.SUPPORT: "#332288",  # indigo (Paul Tol's), dark where yellow is light
}

# The comparison chart: unmet mandatory and optional work, and cost.
MANDATORY_COLOUR = "#D55E00"  # vermillion
OPTIONAL_COLOUR = "#56B4E9"  # sky blue: apart from vermillion in hue and lightness
COST_COLOUR = "#0072B2"  # blue
COST_COLOURS = (COST_COLOUR, "#56B4E9", "#009E73", "#CC79A7")  # one per financial year
# Options side by side, and people in the Gantt chart for a document: Okabe-Ito in its
# order (blue, orange, bluish green, reddish purple, sky blue, vermillion, yellow, black).
OPTION_COLOURS = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
PERSON_COLOURS = OPTION_COLOURS
AVAILABLE_COLOUR = "#000000"  # the available-FTE line
NOT_IN_POST_COLOUR = "#E6E6E6"  # a neutral cell: the person has no post that month
OVER_FULL_COLOUR = "#D55E00"  # booked above what a person has: apart from the sequential scale
MARKER_COLOUR = "#444444"
GRID_COLOUR = "#DDDDDD"
UK_MONTH = "%b %Y"  # Apr 2021
UK_DATE = "%d %b %Y"  # 31 Jul 2021
MIN_CONTRAST = 4.5  # WCAG 2.1 AA for normal text


def relative_luminance(colour: object) -> float:
    """WCAG 2.1 relative luminance of a matplotlib colour (0 black to 1 white)."""
    channels = []
    for value in to_rgb(colour):  # type: ignore[arg-type]
        linear = value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
        channels.append(linear)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(foreground: object, background: object) -> float:
    """WCAG 2.1 contrast ratio of two colours, from 1 (none) to 21 (black on white)."""
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(background: object) -> str:
    """Black or white, whichever contrasts more with ``background``."""
    black, white = contrast_ratio("black", background), contrast_ratio("white", background)
    return "black" if black >= white else "white"


def month_labels(months: list[date], size: ChartSize, axis_inches: float) -> list[str]:
    """A label per calendar month (first days), ``Apr``, with the year under the first
    month and the first labelled month of each year; every second or third month is
    labelled (the rest blank) when a long horizon leaves no room for each."""
    room = axis_inches * 72 / max(1, len(months))
    every = max(1, math.ceil((3 * 0.62 * size.font() + 6) / room))
    labels = []
    for index, month in enumerate(months):
        if index % every:
            labels.append("")
        elif index == 0 or month.month <= every:
            labels.append(f"{month:%b}\n{month:%Y}")
        else:
            labels.append(f"{month:%b}")
    return labels


def plain(text: str) -> str:
    """Scenario text for a chart: a '$' is shown as written, never read as mathematics."""
    return text.replace("$", r"\$")


def wrapped_title(title: str, width_inches: float, size: ChartSize, share: float = 0.95) -> str:
    """A chart's title, each of its lines wrapped to ``share`` of ``width_inches`` at the
    size's title font (a character about 0.55 of the font's size wide)."""
    wrap_at = int(width_inches * 72 * share / (size.font(3) * 0.55))
    return plain("\n".join(textwrap.fill(part, wrap_at) for part in title.split("\n")))
