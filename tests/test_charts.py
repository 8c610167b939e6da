"""Charts, tested by what they contain: lanes, bars, labels, the unmet lane, axes, key dates."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import matplotlib.dates as mdates
import pytest
from conftest import first_fit_plan, item, person, scenario, week
from matplotlib.collections import PolyCollection
from matplotlib.text import Annotation

from capacity.charts import comparison_chart, gantt_chart, utilisation_chart
from capacity.charts.files import save_chart
from capacity.charts.gantt import UNMET_LANE
from capacity.charts.utilisation import monthly_utilisation
from capacity.domain import Handover, Priority
from capacity.finance import option_cost
from capacity.plan import OptionResult

BAR_TYPES = (PolyCollection,)  # what broken_barh draws


def busy_scenario():
    """45 items on three people over 26 weeks: more than fits, so some are unmet."""
    team = [
        person("lead", skills=("lead",)),
        person("officer", fte="0.6", end=week(12) - timedelta(days=1)),
        person("recruit", start=week(8)),
    ]
    work = [item("bau", load="0.2", weeks=None, handover=Handover.MONTHLY, mandatory=True)]
    for i in range(44):
        work.append(
            item(
                f"item-{i:02d}-with-a-long-descriptive-name",
                load=["0.1", "0.2", "0.3", "0.5"][i % 4],
                weeks=1 + (i * 7) % 9,
                release=week(i % 20),
                deadline=week(min(26, i % 20 + 1 + (i * 7) % 9 + 2)) - timedelta(days=1),
                priority=list(Priority)[i % 3],
                skill="lead" if i % 5 == 0 else None,
            )
        )
    return scenario(team, work, weeks=26)


@pytest.fixture(scope="module")
def busy_plan():
    # Optimality is not the point here; a verified plan in milliseconds is.
    return first_fit_plan(busy_scenario(), "base")


@pytest.fixture(scope="module")
def busy_gantt(busy_plan):
    """The Gantt chart of the busy plan, drawn once for the tests that only read it."""
    return gantt_chart(busy_plan)


def labels_of(figure):
    """The bar labels (not the key-date notes, which are annotations above the axes)."""
    ax = figure.axes[0]
    return ax, [t for t in ax.texts if t.get_text() and not isinstance(t, Annotation)]


def test_gantt_has_a_lane_per_person_and_an_unmet_lane(busy_plan, busy_gantt) -> None:
    figure = busy_gantt
    ax = figure.axes[0]
    lanes = [t.get_text() for t in ax.get_yticklabels()]
    assert len(lanes) == 4
    assert lanes[0].startswith("Lead\nOfficer, 1 FTE")
    assert lanes[-1] == UNMET_LANE
    assert busy_plan.unmet, "the test scenario must leave work unmet"


def test_gantt_draws_every_assignment_and_every_unmet_item(busy_plan, busy_gantt) -> None:
    ax = busy_gantt.axes[0]
    bars = [c for c in ax.collections if isinstance(c, BAR_TYPES)]
    hatched = [c for c in bars if c.get_hatch()]
    unmet_items = {u.item_id for u in busy_plan.unmet}
    # Monthly parts of one item merge into one bar; every unmet item has at least one bar.
    assert len(hatched) >= len(unmet_items)
    assert len(bars) - len(hatched) >= len({a.item_id for a in busy_plan.assignments})


def test_gantt_labels_never_overlap_and_stay_inside(busy_gantt) -> None:
    figure = busy_gantt
    ax, texts = labels_of(figure)
    renderer = figure.canvas.get_renderer()
    axes_box = ax.get_window_extent(renderer)
    boxes = [t.get_window_extent(renderer) for t in texts if t.get_transform() == ax.transData]
    assert len(boxes) > 40  # most of the 45 items are labelled
    for box in boxes:
        assert axes_box.x0 - 1 <= box.x0 and box.x1 <= axes_box.x1 + 1
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), "two labels overlap"


def test_gantt_labels_name_the_item_and_its_load(busy_plan, busy_gantt) -> None:
    _, texts = labels_of(busy_gantt)
    names = {f"Item {a.item_id}" for a in busy_plan.assignments}
    full = [t.get_text() for t in texts if not t.get_text().endswith("…")]
    assert any(text.endswith("%") and text.rsplit(" ", 1)[0] in names for text in full)
    for text in (t.get_text() for t in texts):
        stem = text.rstrip("…")
        assert any(
            n.startswith(stem) or f"{n} ".startswith(stem) or stem.startswith(n)
            for n in names | {f"Item {u.item_id}" for u in busy_plan.unmet}
        ), text


def test_gantt_axis_is_the_horizon_in_months(busy_plan, busy_gantt) -> None:
    ax = busy_gantt.axes[0]
    left, right = ax.get_xlim()
    problem = busy_plan.problem
    assert mdates.num2date(left).date() == problem.week_starts[0]
    assert mdates.num2date(right).date() == problem.week_end(problem.n_weeks - 1)
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[:2] == ["May 2021", "Jun 2021"]  # UK month style, a tick on each 1st


def test_gantt_marks_key_dates(busy_gantt) -> None:
    ax = busy_gantt.axes[0]
    notes = [t.get_text() for t in ax.texts]
    assert any(n.startswith("Officer ends") for n in notes)
    assert any(n.startswith("Recruit starts") for n in notes)


def test_gantt_title_carries_the_subtitle(busy_plan) -> None:
    ax = gantt_chart(busy_plan, subtitle="Additional cost £1.00").axes[0]
    assert ax.get_title().endswith("Additional cost £1.00")


def test_utilisation_matches_the_plan(busy_plan) -> None:
    people, months, grid = monthly_utilisation(busy_plan)
    assert people == ["Lead", "Officer", "Recruit"]
    # 26 weeks from Monday 5 April: calendar months April to October (Friday 1 October).
    assert months[0] == "Apr 2021" and months[-1] == "Oct 2021" and len(months) == 7
    officer = grid[1]
    assert officer[-1] is None  # left in June: not in post in October
    for row in grid:
        for value in row:
            assert value is None or Decimal(0) <= value <= Decimal(1)
    figure = utilisation_chart(busy_plan)
    cells = [t.get_text() for t in figure.axes[0].texts]
    assert "not in post" in cells and len(cells) == 3 * 7


def test_comparison_chart_shows_unmet_and_cost(busy_plan) -> None:
    s = busy_scenario()
    result = OptionResult(busy_plan, option_cost(s, "base"))
    figure = comparison_chart([result, result])
    ax = figure.axes[0]
    heights = [p.get_height() for p in ax.patches]
    mandatory = float(busy_plan.unmet_mandatory_fte_weeks)
    optional = float(busy_plan.unmet_fte_weeks) - mandatory
    assert heights == pytest.approx([mandatory, mandatory, optional, optional])
    assert any("£" in t.get_text() or "not costed" in t.get_text() for t in figure.axes[1].texts)


def test_every_chart_saves_as_png_svg_and_pdf(busy_plan, tmp_path: Path) -> None:
    written = save_chart(utilisation_chart(busy_plan), tmp_path, "util")
    assert [p.suffix for p in written] == [".png", ".svg", ".pdf"]
    from PIL import Image

    with Image.open(tmp_path / "util.png") as image:
        assert image.size == (round(11.69 * 300), round(8.27 * 300))  # A4 landscape, 300 dpi


def test_gantt_is_a4_landscape(busy_gantt) -> None:
    assert tuple(busy_gantt.get_size_inches()) == pytest.approx((11.69, 8.27))
