"""capacity.charts.style: the three sizes, the palette, text contrast; and that every chart
keeps them: text at least the size's least font where the figure is placed (16 cm wide
in Word), and every text at least 4.5:1 against what is behind it (WCAG 2.1 AA)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from chart_plans import documents_result
from colorspacious import cspace_convert
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image
from test_risk import hand_made_study

from capacity.charts import (
    ChartSize,
    comparison_chart,
    gantt_chart,
    monthly_demand_chart,
    utilisation_chart,
)
from capacity.charts.files import save_chart
from capacity.charts.gantt import gantt_subtitle
from capacity.charts.risk import most_often_unmet_chart, unmet_distribution_chart
from capacity.charts.style import (
    CM_PER_INCH,
    KIND_COLOURS,
    MIN_CONTRAST,
    PERSON_COLOURS,
    contrast_ratio,
    relative_luminance,
    text_colour_on,
)
from capacity.domain import WorkKind
from capacity.risk import summarise

DEUTERANOPIA = {"name": "sRGB1+CVD", "cvd_type": "deuteranomaly", "severity": 100}
PROTANOPIA = {**DEUTERANOPIA, "cvd_type": "protanomaly"}
# CAM02-UCS distance: about 1 is just noticeable; 12 is colours a reader tells apart at a
# glance. The old palette (matplotlib's tab10) put bid and project 4.5 apart under
# deuteranopia, implementation and review 5.2: "one olive", as the issue says.
DISTINCT = 12.0
TAB10_BID, TAB10_PROJECT = "#ff7f0e", "#bcbd22"


def simulated_distances(colours: list[str], deficiency: dict[str, object]) -> list[float]:
    rgb = np.array([to_rgb(c) for c in colours])
    seen = np.clip(cspace_convert(rgb, deficiency, "sRGB1"), 0, 1)
    ucs = cspace_convert(seen, "sRGB1", "CAM02-UCS")
    return [float(np.linalg.norm(a - b)) for a, b in itertools.combinations(ucs, 2)]


# -- the sizes -------------------------------------------------------------------------


def test_the_word_size_is_16_cm_wide_with_8_pt_text() -> None:
    size = ChartSize.WORD_PORTRAIT
    assert size.width_inches * CM_PER_INCH == pytest.approx(16.0)
    assert size.min_font_points == 8 and size.portrait
    assert ChartSize.SLIDE.width_inches / ChartSize.SLIDE.height_inches == pytest.approx(16 / 9)
    assert ChartSize.A4_LANDSCAPE.inches == (11.69, 8.27)
    assert [s.stem("gantt-option-4") for s in ChartSize] == [
        "gantt-option-4",
        "gantt-option-4-word",
        "gantt-option-4-slide",
    ]


# -- the palette and contrast ------------------------------------------------------------


@pytest.mark.parametrize(
    "deficiency", [DEUTERANOPIA, PROTANOPIA], ids=["deuteranopia", "protanopia"]
)
def test_the_kinds_of_work_stay_apart_without_red_green_vision(deficiency) -> None:
    kinds = list(KIND_COLOURS.values())
    assert len(set(kinds)) == len(kinds)
    assert min(simulated_distances(kinds, deficiency)) > DISTINCT


def test_the_old_bid_and_project_colours_were_one_under_deuteranopia() -> None:
    assert min(simulated_distances([TAB10_BID, TAB10_PROJECT], DEUTERANOPIA)) < DISTINCT


def test_the_people_in_a_gantt_chart_stay_apart_under_deuteranopia() -> None:
    assert min(simulated_distances(list(PERSON_COLOURS[:6]), DEUTERANOPIA)) > DISTINCT


def test_contrast_is_wcags() -> None:
    assert contrast_ratio("black", "white") == pytest.approx(21)
    assert contrast_ratio("#777777", "white") == pytest.approx(4.48, abs=0.01)  # WCAG's example
    assert relative_luminance("white") == pytest.approx(1)
    assert text_colour_on("#0072B2") == "white" and text_colour_on("#E69F00") == "black"


@pytest.mark.parametrize("kind", list(KIND_COLOURS))
def test_text_on_every_kind_of_bar_has_enough_contrast(kind) -> None:
    colour = KIND_COLOURS[kind]
    assert contrast_ratio(text_colour_on(colour), colour) >= MIN_CONTRAST


# -- every chart, at every size ----------------------------------------------------------


@pytest.fixture(scope="module")
def result():
    return documents_result()


@pytest.fixture(scope="module")
def study():
    study = hand_made_study()
    return study, summarise(study)


CHARTS: dict[str, Callable[..., Figure]] = {
    "gantt": lambda r, s, size: gantt_chart(r.plan, subtitle=gantt_subtitle(r), size=size),
    "utilisation": lambda r, s, size: utilisation_chart(r.plan, size=size),
    "monthly-demand": lambda r, s, size: monthly_demand_chart(r, size=size),
    "comparison": lambda r, s, size: comparison_chart([r, r], size=size),
    "unmet-distribution": lambda r, s, size: unmet_distribution_chart(*s, size=size),
    "most-often-unmet": lambda r, s, size: most_often_unmet_chart(s[1], size=size),
}


def drawn_texts(figure: Figure) -> list[Text]:
    """Every text the reader sees: drawn, visible, not empty, inside the figure."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    page = figure.bbox
    texts = []
    for text in figure.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        box = text.get_window_extent(renderer)
        if box.width and box.x1 > page.x0 and box.x0 < page.x1 and box.y1 > page.y0:
            texts.append(text)
    return texts


@pytest.mark.parametrize("size", list(ChartSize), ids=[s.key for s in ChartSize])
@pytest.mark.parametrize("chart", list(CHARTS))
def test_every_text_is_at_least_the_least_font_where_the_chart_is_placed(
    chart, size, result, study, tmp_path: Path
) -> None:
    figure = CHARTS[chart](result, study, size)
    (png,) = save_chart(figure, tmp_path, chart, dpi=100, formats=("png",), size=size)
    assert png.name == f"{size.stem(chart)}.png"
    with Image.open(png) as image:
        figure_inches = image.size[0] / 100
    placed_inches = size.width_inches  # Word: 16 cm across the page; a slide or A4: full width
    assert figure_inches == pytest.approx(placed_inches, abs=0.01)
    scale = placed_inches / figure_inches
    small = [
        (t.get_text()[:30], t.get_fontsize())
        for t in drawn_texts(figure)
        if t.get_fontsize() * scale < size.min_font_points - 1e-6
    ]
    assert not small, small


def poor_contrast(figure: Figure) -> list[tuple[str, float]]:
    """Each text with less than :data:`MIN_CONTRAST` against what is behind it, and the
    ratio. Drawn once with its text hidden, the figure shows what is behind each text:
    the commonest colour in the text's box (a bar, a heat-map cell, the page)."""
    texts = drawn_texts(figure)
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [t.get_window_extent(renderer) for t in texts]
    for text in texts:
        text.set_visible(False)
    figure.canvas.draw()
    pixels = np.asarray(figure.canvas.buffer_rgba())[:, :, :3]  # type: ignore[attr-defined]
    height = pixels.shape[0]
    poor = []
    for text, box in zip(texts, boxes, strict=True):
        x0, x1 = max(0, int(box.x0)), min(pixels.shape[1], int(np.ceil(box.x1)))
        y0, y1 = max(0, int(height - box.y1)), min(height, int(np.ceil(height - box.y0)))
        region = pixels[y0:y1, x0:x1].reshape(-1, 3)
        if not len(region):
            continue
        colours, counts = np.unique(region, axis=0, return_counts=True)
        behind = colours[counts.argmax()] / 255
        ratio = contrast_ratio(text.get_color(), tuple(behind))
        if ratio < MIN_CONTRAST:
            poor.append((text.get_text()[:30], round(ratio, 2)))
    return poor


def test_the_contrast_check_finds_white_text_on_a_yellow_bar() -> None:
    figure = Figure(figsize=(4, 2))
    ax = figure.add_axes((0, 0, 1, 1))
    ax.barh([0], [1], color=KIND_COLOURS[WorkKind.PROJECT])  # Okabe-Ito yellow
    ax.set_xlim(0, 1)
    ax.text(0.5, 0, "Safer Streets", color="white", ha="center", va="center", fontsize=12)
    ax.text(0.5, 0.3, "Safer Streets", color="black", ha="center", va="center", fontsize=12)
    assert [text for text, _ in poor_contrast(figure)] == ["Safer Streets"]  # the white one


@pytest.mark.parametrize("size", list(ChartSize), ids=[s.key for s in ChartSize])
@pytest.mark.parametrize("chart", list(CHARTS))
def test_every_text_contrasts_with_what_is_behind_it(chart, size, result, study) -> None:
    figure = CHARTS[chart](result, study, size)
    assert len(drawn_texts(figure)) > 5
    assert not poor_contrast(figure)
