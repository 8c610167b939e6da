"""capacity.charts.gantt at the document sizes: a row per piece of work, bids numbered with
a key, work not delivered left to its table, nothing hatched (A4: tests/test_charts.py)."""

from __future__ import annotations

import pytest
from chart_plans import LONG_NAME, documents_plan
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import Patch

from capacity.charts import ChartSize, gantt_chart
from capacity.charts.gantt import not_delivered_note, piece_of_work, work_rows
from capacity.charts.style import PERSON_COLOURS


@pytest.fixture(scope="module")
def plan():
    return documents_plan()


@pytest.fixture(scope="module")
def word(plan):
    return gantt_chart(plan, size=ChartSize.WORD_PORTRAIT)


def figure_texts(figure) -> list[str]:
    return [t.get_text() for t in figure.texts]


def test_a_piece_of_work_is_an_item_with_what_goes_with_it(plan) -> None:
    assert piece_of_work(plan.problem, "bid-2-award") == "bid-2"  # a bid's delivery
    assert piece_of_work(plan.problem, "tender") == "tender"
    rows = {row.head_id: row for row in work_rows(plan)}
    assert "bid-2-award" not in rows and "undone" not in rows  # with its bid; not delivered
    spans = rows["bid-2"].spans
    assert {s.staff_id for s in spans} == {"officer", "recruit"}  # written, then delivered
    assert rows["tender"].deadline is not None  # mandatory, with a deadline


def test_the_word_chart_names_each_row_and_numbers_the_bids(plan, word) -> None:
    ax = word.axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert rows[0].startswith("Contract management - prevention") and rows[0].endswith("…")
    assert len(rows[0]) < len(LONG_NAME)  # shortened at a word to fit the margin
    assert [r.split(":")[0] for r in rows if r.startswith("Bid")] == ["Bid 1", "Bid 2", "Bid 3"]
    key = next(t for t in figure_texts(word) if "Bids: 1 " in t)
    for n in (1, 2, 3):  # every bid's full name, in the key
        assert f"{n} Funding bid {n} to the Home Office Safer Streets fund, round {n + 3}" in (
            key.replace("\n", " ")
        )
    renderer = word.canvas.get_renderer()
    for label in ax.get_yticklabels():  # every name inside the page
        assert label.get_window_extent(renderer).x0 >= 0


def test_the_word_chart_colours_bars_by_person_and_says_who(plan, word) -> None:
    ax = word.axes[0]
    faces = {tuple(c.get_facecolor()[0]) for c in ax.collections if isinstance(c, PolyCollection)}
    assert len(faces) == 3  # lead, officer, recruit
    legend = word.legends[0]
    assert [t.get_text() for t in legend.get_texts()][:3] == ["Lead", "Officer", "Recruit"]
    handles = [h for h in legend.legend_handles if isinstance(h, Patch)]
    assert len(handles) == 3 and handles[0].get_facecolor() == to_rgba(PERSON_COLOURS[0])


def test_work_not_delivered_is_a_note_not_a_lane(plan, word) -> None:
    ax = word.axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert not any("undone" in r.lower() or "not delivered" in r.lower() for r in rows)
    note = not_delivered_note(plan)
    assert "2 pieces of work" in note and f"{plan.unmet_fte_weeks:.1f} FTE-weeks" in note
    assert any(note.split(" (")[0] in t.replace("\n", " ") for t in figure_texts(word))


@pytest.mark.parametrize("size", list(ChartSize), ids=[s.key for s in ChartSize])
def test_nothing_is_hatched_in_any_size(plan, size) -> None:
    figure = gantt_chart(plan, size=size)
    ax = figure.axes[0]
    assert not [c for c in ax.collections if c.get_hatch()]
    assert not [p for p in ax.patches if p.get_hatch()]


def test_the_word_chart_is_16_cm_wide_and_as_tall_as_its_rows(plan, word) -> None:
    assert word.get_figwidth() * 2.54 == pytest.approx(16.0)
    rows = len(work_rows(plan))
    ax = word.axes[0]
    row_points = ax.get_position().height * word.get_figheight() * 72 / rows
    assert row_points >= ChartSize.WORD_PORTRAIT.min_font_points * 1.4  # room for its label


def test_a_slide_groups_the_rows_by_kind(plan) -> None:
    figure = gantt_chart(plan, size=ChartSize.SLIDE)
    groups = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    # In the order they come: the contracts and the tender are projects here.
    assert groups == ["project", "business as usual", "bid"]
    assert tuple(figure.get_size_inches()) == pytest.approx(ChartSize.SLIDE.inches)
