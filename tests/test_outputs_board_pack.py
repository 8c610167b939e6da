"""capacity.outputs.board_pack on hand-built plans of the small team (no solver).

``tests/test_outputs.py`` runs ``capacity report`` end to end, writes every chart file and
opens the page in a browser; this builds the pack from plans made by hand, so what it
must show is known.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from capacity.finance import reconcile
from capacity.outputs.board_pack import BoardPack, write_html, write_pdf
from capacity.reports.comparison import comparison_view


@pytest.fixture(scope="module")
def pack(small_team, small_results) -> BoardPack:
    return BoardPack(small_team, small_results, reconcile(small_team))


@pytest.fixture(scope="module")
def page(pack: BoardPack, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("pack") / "board-pack.html"
    write_html(pack, path)
    return path.read_text(encoding="utf-8")


def not_delivered(page: str, option: str, next_option: str | None) -> str:
    """The "Not delivered" table of one option's section of the page."""
    section = page[page.index(f'<h2 id="{option}">') :]
    end = f'<h2 id="{next_option}">' if next_option else "<h2>Costs</h2>"
    section = section[: section.index(end)]
    return section[section.index("<h3>Not delivered</h3>") :]


def test_charts_are_the_comparison_then_a_gantt_utilisation_and_demand_per_option(
    pack: BoardPack,
) -> None:
    stems = [stem for stem, _, _ in pack.charts]
    assert stems == [
        "comparison",
        "gantt-lapse",
        "utilisation-lapse",
        "monthly-demand-lapse",
        "gantt-extend",
        "utilisation-extend",
        "monthly-demand-extend",
    ]
    captions = {stem: caption for stem, caption, _ in pack.charts}
    assert captions["gantt-lapse"] == "lapse: who does what, when"


def test_tables_are_the_reports_of_the_same_results(pack: BoardPack) -> None:
    tables = pack.tables()
    assert set(tables) == {"comparison", "costs", "reconciliation", "assumptions"}
    assert tables["comparison"].equals(comparison_view(pack.results))
    assert list(tables["costs"]["option_id"]) == ["lapse", "extend"]
    assert tables["reconciliation"].empty  # the small team states no costs
    assert "file" not in tables["assumptions"].columns  # a reader needs the place, not the path


def test_the_page_names_the_mandatory_work_left_undone(page: str) -> None:
    assert "NO (Statutory tender)" in page  # in the comparison table, by name
    lapse = not_delivered(page, "lapse", "extend")
    assert "Statutory tender" in lapse and "True" in lapse  # mandatory, and left undone
    extend = not_delivered(page, "extend", None)
    assert "Statutory tender" not in extend  # delivered under "extend"
    assert "Funding bid" in extend


def test_the_page_is_one_self_contained_file(page: str) -> None:
    assert page.count("<svg") == 5
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "must not load anything"
    assert "<title>Small test team - board pack</title>" in page


def test_the_page_shows_money_in_pounds(page: str, small_results) -> None:
    cost = small_results[1].cost.additional_in_year
    assert f"£{cost:,.2f}" in page


def test_the_pdf_has_a_page_per_table_and_chart(pack: BoardPack, tmp_path: Path) -> None:
    path = tmp_path / "board-pack.pdf"
    write_pdf(pack, path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    # comparison table, 5 charts, costs, assumptions (no stated costs: no reconciliation)
    assert pages >= 1 + 5 + 1 + 1
    assert b"CreationDate" not in data  # no timestamp: the same plans give the same bytes
