"""capacity.charts.risk: legends that cover no bar or line, and words that match the colours."""

from __future__ import annotations

from dataclasses import replace

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from test_risk import hand_made_study

from capacity.charts import ChartSize
from capacity.charts.risk import most_often_unmet_chart, unmet_distribution_chart
from capacity.charts.style import OPTION_COLOURS
from capacity.risk import summarise


@pytest.fixture(scope="module")
def risks():
    (risk,) = summarise(hand_made_study())
    return [risk, replace(risk, option_id="other", name="Option 2: another way")]


def words(figure) -> str:
    texts = [figure._suptitle.get_text() if figure._suptitle else ""]
    for ax in figure.axes:
        texts += [ax.get_title(), *(t.get_text() for t in ax.texts)]
    return " ".join(texts).lower()


@pytest.mark.parametrize("size", list(ChartSize), ids=[s.key for s in ChartSize])
def test_the_most_often_unmet_legend_covers_no_bar(risks, size) -> None:
    figure = most_often_unmet_chart(risks, size=size)
    FigureCanvasAgg(figure).draw()
    ax = figure.axes[0]
    renderer = figure.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    bars = [p.get_window_extent(renderer) for p in ax.patches if p.get_width() > 0]
    assert bars and not [b for b in bars if b.overlaps(legend)]


def test_the_colours_are_the_options_and_mandatory_work_is_named(risks) -> None:
    figure = most_often_unmet_chart(risks)
    ax = figure.axes[0]
    colours = {p.get_facecolor() for p in ax.patches}
    assert colours == {to_rgba(OPTION_COLOURS[0]), to_rgba(OPTION_COLOURS[1])}
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Only", "Option 2"]
    assert "red" not in words(figure)  # no colour word a reader could take for a meaning
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "Item statutory (mandatory)" in labels and "Item often" in labels
    bold = [t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["Item statutory (mandatory)"]
    assert "mandatory work in bold" in words(figure)


def test_nothing_says_mandatory_when_nothing_shown_is(risks) -> None:
    optional = [replace(r, items=tuple(i for i in r.items if not i.mandatory)) for r in risks]
    assert "mandatory" not in words(most_often_unmet_chart(optional))


def test_the_distribution_legend_is_under_the_plot(risks) -> None:
    study = hand_made_study()
    figure = unmet_distribution_chart(study, risks[:1])
    FigureCanvasAgg(figure).draw()
    ax = figure.axes[0]
    renderer = figure.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    assert legend.y1 < ax.get_window_extent(renderer).y0  # below the axes: covers no line
    assert ax.get_legend().get_texts()[0].get_text().startswith("Only (all mandatory work")
