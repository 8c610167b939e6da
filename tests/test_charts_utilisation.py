"""capacity.charts.utilisation: calendar months, "not in post", a scale that is not an alarm."""

from __future__ import annotations

import colorsys
from decimal import Decimal

import pytest
from chart_plans import documents_plan
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import Rectangle

from capacity.charts import ChartSize, utilisation_chart
from capacity.charts.style import NOT_IN_POST_COLOUR, OVER_FULL_COLOUR
from capacity.charts.utilisation import NOT_IN_POST, SCALE_LABEL, monthly_utilisation


@pytest.fixture(scope="module")
def plan():
    return documents_plan()


def cell_texts(figure) -> list[list[str]]:
    """The heat map's cell texts, row by row (in the order they are drawn)."""
    ax = figure.axes[0]
    image = next(i for i in ax.get_images() if isinstance(i, AxesImage))
    rows, columns = image.get_array().shape
    texts = [t.get_text().replace("\n", " ") for t in ax.texts]  # a narrow cell wraps
    return [texts[r * columns : (r + 1) * columns] for r in range(rows)]


def test_a_recruit_is_not_in_post_before_starting_not_at_0_percent(plan) -> None:
    people, months, grid = monthly_utilisation(plan)
    recruit = people.index("Recruit")
    assert months[:5] == ["Apr 2021", "May 2021", "Jun 2021", "Jul 2021", "Aug 2021"]
    assert grid[recruit][:4] == [None] * 4 and grid[recruit][4] is not None
    cells = cell_texts(utilisation_chart(plan))
    assert cells[recruit][:4] == [NOT_IN_POST] * 4
    assert cells[recruit][4].endswith("%") and cells[recruit][4] != "0%"
    officer = people.index("Officer")  # left on 31 July
    assert cells[officer][4:] == [NOT_IN_POST] * (len(months) - 4)


def test_not_in_post_is_a_neutral_cell(plan) -> None:
    figure = utilisation_chart(plan)
    greys = [
        p
        for p in figure.axes[0].patches
        if isinstance(p, Rectangle) and p.get_facecolor()[:3] == to_rgb(NOT_IN_POST_COLOUR)
    ]
    _, _, grid = monthly_utilisation(plan)
    assert len(greys) == sum(v is None for row in grid for v in row) > 0


def test_the_scale_is_labelled_and_full_is_not_red(plan) -> None:
    figure = utilisation_chart(plan)
    image = figure.axes[0].get_images()[0]
    colourbar = figure.axes[1]
    assert colourbar.get_ylabel() == SCALE_LABEL == "booked share of available time"
    full = image.cmap(image.norm(1.0))[:3]
    hue, _, _ = colorsys.rgb_to_hls(*full)
    assert not (hue < 0.08 or hue > 0.92), "100% must not be painted red"
    empty = image.cmap(image.norm(0.0))[:3]
    assert sum(empty) > sum(full)  # light for nothing booked, dark for a full month
    over = tuple(image.cmap.get_over()[:3])
    assert over == to_rgb(OVER_FULL_COLOUR) and over != tuple(full)  # above 100%: apart


def test_the_word_page_has_months_down_and_people_across(plan) -> None:
    figure = utilisation_chart(plan, size=ChartSize.WORD_PORTRAIT)
    ax = figure.axes[0]
    assert ax.get_yticklabels()[0].get_text() == "Apr 2021"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Lead", "Officer", "Recruit"]
    people, months, grid = monthly_utilisation(plan)
    values = [t.get_text() for t in ax.texts]
    assert len(values) == len(people) * len(months)
    for month, row in enumerate(cell_texts(figure)):
        for person, text in enumerate(row):
            value = grid[person][month]
            assert text == (NOT_IN_POST if value is None else f"{value:.0%}")
    assert all(v is None or Decimal(0) <= v <= 1 for row in grid for v in row)


def test_a_cell_too_narrow_for_the_words_is_hatched_grey_with_a_key(plan) -> None:
    figure = Figure(figsize=ChartSize.A4_LANDSCAPE.inches)
    utilisation_chart(plan, ax=figure.add_axes((0.2, 0.14, 0.2, 0.7)))  # 14 pt a month
    ax = figure.axes[0]
    greys = [p for p in ax.patches if p.get_hatch()]
    _, _, grid = monthly_utilisation(plan)
    assert len(greys) == sum(v is None for row in grid for v in row) > 0
    texts = [t.get_text() for t in ax.texts]
    assert not [t for t in texts if "not" in t or "%" in t]  # numbers only: the scale says %
    assert len(texts) == sum(v is not None for row in grid for v in row)
    assert figure.axes[1].get_ylabel() == f"{SCALE_LABEL} (%)"
    keys = [t.get_text() for legend in figure.legends for t in legend.get_texts()]
    assert keys == [NOT_IN_POST]
