"""capacity.outputs.board_pack and board_docx on hand-built plans of the small team (no solver).

``tests/test_outputs.py`` runs ``capacity report`` end to end, writes every file and opens
the page in a browser; this builds the pack from plans made by hand and a risk study made
by hand, so what it must show is known, and reads the PDF (pypdf), the Word document
(python-docx) and the HTML back.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from conftest import hand_built_plan, item, person, scenario
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from pypdf import PdfReader
from test_reports_summary import study_of

from capacity.domain.problem import build_problem
from capacity.finance import option_cost, reconcile
from capacity.outputs.board_docx import write_docx
from capacity.outputs.board_pack import (
    SUMMARY_BOTTOM,
    SUMMARY_SCALES,
    BoardPack,
    _summary_figure,
    write_html,
    write_pdf,
)
from capacity.plan import OptionResult
from capacity.reports.comparison import comparison_view
from capacity.reports.glossary import GLOSSARY
from capacity.solver.greedy import greedy_plan

PAPER_DATE = date(2021, 4, 22)


@pytest.fixture(scope="module")
def pack(small_team, small_results) -> BoardPack:
    study = study_of(small_team, {"lapse": [True, False], "extend": [False, False]})
    return BoardPack(small_team, small_results, reconcile(small_team), study, PAPER_DATE)


@pytest.fixture(scope="module")
def page(pack: BoardPack, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("pack") / "board-pack.html"
    write_html(pack, path)
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pdf(pack: BoardPack, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pack") / "board-pack.pdf"
    write_pdf(pack, path)
    return path


@pytest.fixture(scope="module")
def docx(pack: BoardPack, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pack") / "board-pack.docx"
    write_docx(pack, path)
    return path


def section(page: str, option: str) -> str:
    """One option's section of the page."""
    start = page.index(f'<section id="{option}">')
    return page[start : page.index("</section>", start)]


class Outline(HTMLParser):
    """The page's headings in order, and every image's attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "img":
            self.images.append(dict(attrs))


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
    assert set(pack.chart_descriptions()) == set(stems)  # every chart has its alt text
    captions = pack.chart_captions()
    assert set(captions) == set(stems)
    assert captions["gantt-lapse"] == "Let the temporary post lapse: who does what, when"


def test_tables_are_the_reports_of_the_same_results(pack: BoardPack) -> None:
    tables = pack.tables()
    assert set(tables) == {"comparison", "costs", "reconciliation", "assumptions"}
    assert tables["comparison"].equals(comparison_view(pack.results))
    assert list(tables["costs"]["option_id"]) == ["lapse", "extend"]
    assert tables["reconciliation"].empty  # the small team states no costs
    assert "file" not in tables["assumptions"].columns  # a reader needs the place, not the path


def test_the_pages_have_readable_headings_names_and_pounds(pack: BoardPack) -> None:
    pages = pack.pages()
    names = ["Let the temporary post lapse", "Extend the temporary post"]
    for key in ("comparison", "costs", "option changes"):
        assert list(pages[key].columns) == names
    costs = pages["costs"]
    assert not any("_" in str(label) for label in costs.index)  # no additional_cost_in_year
    cost = pack.results[1].cost.additional_in_year
    assert costs.loc["Additional cost in year", names[1]] == f"£{cost:,.2f}"
    assert costs.loc["Posts decided", names[1]] == "Project Lead"  # a name, not "temp"
    assert "Best possible plan?" not in pages["comparison"].index
    assert "Load: Project Lead (mean / peak)" in pages["comparison"].index


def test_the_page_opens_on_the_summary_and_glossary(page: str) -> None:
    body = page[page.index("<main>") :]
    assert body.index("<h2>Summary</h2>") < body.index("<h2>Options compared</h2>")
    summary = body[: body.index("<h2>Options compared</h2>")]
    assert "Chance statutory work slips (risk study)" in summary
    assert "50% of 2 sampled years" in summary  # lapse slips in one sample of two
    assert "Key assumptions and caveats" in summary
    for term, _ in GLOSSARY:
        assert f"<dt>{term}</dt>" in summary
    assert "22 April 2021" in page  # the paper's date


def test_every_image_has_alt_text_and_headings_do_not_skip_a_level(page: str) -> None:
    outline = Outline()
    outline.feed(page)
    assert len(outline.images) == 7
    assert "<figcaption>lapse:" not in page  # captions name the option, not its id
    for image in outline.images:
        assert (image.get("alt") or "").strip(), image.get("src", "")[:40]
        assert (image.get("src") or "").startswith("data:image/svg+xml;base64,")
    assert outline.headings[0] == 1 and outline.headings.count(1) == 1
    for before, after in zip(outline.headings, outline.headings[1:], strict=False):
        assert after <= before + 1, outline.headings


def test_numbers_are_right_aligned_in_the_page(page: str) -> None:
    assert re.search(r'<td class="num">£2,494\.82</td>', page)
    assert '<td class="num">Statutory tender' not in page


def test_the_page_names_the_mandatory_work_left_undone(page: str) -> None:
    assert "NO (Statutory tender)" in page  # in the comparison table, by name
    lapse = section(page, "lapse")
    undone = lapse[lapse.index("<h3>Not delivered, and why</h3>") :]
    assert "Statutory tender" in undone and "<td>yes</td>" in undone  # mandatory, undone
    extend = section(page, "extend")
    assert "Statutory tender" not in extend  # delivered under "extend"
    assert "Funding bid" in extend


def test_the_page_is_one_self_contained_file(page: str) -> None:
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "must not load anything"
    assert "<title>Small test team - board pack</title>" in page


def test_the_pdf_opens_on_the_summary_and_glossary(pdf: Path) -> None:
    reader = PdfReader(pdf)
    first = reader.pages[0].extract_text()
    assert "Small test team" in first
    assert "Chance statutory work slips (risk study)" in first
    assert "50% of 2 sampled years" in first
    assert "Work delivered per pound" in first
    assert "Key assumptions and caveats" in first
    for term, _ in GLOSSARY:
        assert f"{term}:" in first
    assert "22 April 2021" in first and f"Page 1 of {len(reader.pages)}" in first


def test_the_pdf_has_every_page_numbered_and_the_undone_work_of_each_option(pdf: Path) -> None:
    reader = PdfReader(pdf)
    texts = [p.extract_text() for p in reader.pages]
    # summary, comparison, option assumptions, comparison chart, per option Gantt,
    # utilisation, monthly demand and not delivered, costs, assumptions (no stated costs:
    # no reconciliation)
    assert len(texts) == 4 + 2 * 4 + 2
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text
    undone = [t for t in texts if "not delivered, and why" in t]
    assert len(undone) == 2 and "Statutory tender" in undone[0]
    assert "Everything is delivered" not in undone[0]
    assert not any("additional_cost" in t for t in texts)  # readable headings only
    assert b"CreationDate" not in pdf.read_bytes()  # no timestamp: the same bytes each run


def test_the_word_document_has_headings_summary_glossary_and_described_pictures(
    docx: Path,
) -> None:
    document = Document(str(docx))
    headings = [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[0] == ("Title", "Small test team")
    assert headings[1] == ("Heading 1", "Summary")
    assert ("Heading 2", "Glossary") in headings
    assert ("Heading 2", "Not delivered, and why") in headings
    summary = document.tables[0]
    assert [c.text for c in summary.rows[0].cells][1:] == [
        "Let the temporary post lapse",
        "Extend the temporary post",
    ]
    rows = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in summary.rows}
    assert rows["Chance statutory work slips (risk study)"] == [
        "50% of 2 sampled years",
        "0% of 2 sampled years",
    ]
    cost_cell = summary.rows[1].cells[2]
    assert cost_cell.text == "£2,494.82"
    assert cost_cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert summary.rows[-1].cells[1].paragraphs[0].alignment is None  # words stay left
    glossary = next(t for t in document.tables if t.rows[0].cells[0].text == "Term")
    assert [row.cells[0].text for row in glossary.rows[1:]] == [t for t, _ in GLOSSARY]
    pictures = document.inline_shapes
    assert len(pictures) == 7
    for picture in pictures:
        assert picture._inline.docPr.get("descr", "").strip()
        assert round(picture.width.cm) == 16
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer and "fldChar" in footer
    assert "22 April 2021" in document.sections[0].footer.paragraphs[0].text


def test_the_word_document_is_the_same_bytes_each_time(
    pack: BoardPack, docx: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again.docx"
    write_docx(pack, again)
    assert again.read_bytes() == docx.read_bytes()


def test_a_horizon_over_two_financial_years_costs_each_year() -> None:
    data = scenario([person("a")], [item("early", weeks=2)], weeks=60)
    results = [
        OptionResult(hand_built_plan(data, "base", {"early": ("a", 0)}), option_cost(data, "base"))
    ]
    costs = BoardPack(data, results, []).pages()["costs"]
    assert {"Additional cost 2021/22", "Additional cost 2022/23"} <= set(costs.index)


def test_the_summary_page_takes_the_largest_type_that_fits_one_page(pack: BoardPack) -> None:
    short = pack.summary
    assert _summary_figure(short, SUMMARY_SCALES[0])[1] >= SUMMARY_BOTTOM  # fits as it is
    # a long horizon: three times the rows
    rows = short.options
    tall = replace(
        short,
        options=pd.concat([rows, rows.rename(index=lambda r: f"{r} (2)")]).pipe(
            lambda t: pd.concat([t, rows.rename(index=lambda r: f"{r} (3)")])
        ),
    )
    bottoms = [_summary_figure(tall, scale)[1] for scale in SUMMARY_SCALES]
    assert bottoms[0] < SUMMARY_BOTTOM  # too tall in the largest type
    assert any(b >= SUMMARY_BOTTOM for b in bottoms)  # but one of the smaller ones fits
    assert bottoms == sorted(bottoms)  # smaller type, lower reach never worse


def test_the_reconciliation_names_options_and_posts(shipped_scenario) -> None:
    # the greedy planner's plans (no CP-SAT, a second or so): the shipped record states costs
    results = [
        OptionResult(
            greedy_plan(build_problem(shipped_scenario, o.id)), option_cost(shipped_scenario, o.id)
        )
        for o in shipped_scenario.options
    ]
    pack = BoardPack(shipped_scenario, results, reconcile(shipped_scenario))
    figures = list(pack.pages()["reconciliation"]["Figure"])
    assert "Option 2: additional in year" in figures
    assert "WMDN Project Lead: annual cost" in figures
    assert not any(f.startswith(("option-", "wmdn-lead")) for f in figures)


def test_the_folder_written_in_two_processes_is_the_folder_written_in_one(
    small_team, small_results, tmp_path: Path
) -> None:
    from capacity.outputs.board_folder import write_board_folder

    def fresh() -> BoardPack:  # nothing drawn yet, as capacity report has it; one option
        return BoardPack(small_team, small_results[:1], reconcile(small_team), None, PAPER_DATE)

    one, two = tmp_path / "one", tmp_path / "two"
    for folder, side_by_side in ((one, False), (two, True)):
        folder.mkdir()
        write_board_folder(fresh(), folder, side_by_side=side_by_side)
    names = sorted(p.relative_to(one).as_posix() for p in one.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(two).as_posix() for p in two.rglob("*") if p.is_file())
    assert {"board-pack.docx", "charts/gantt-lapse-word.png", "charts/gantt-lapse.pdf"} <= set(
        names
    )
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_a_failure_in_the_second_process_fails_the_pack(
    small_team, small_results, tmp_path: Path
) -> None:
    from capacity.outputs.board_folder import write_board_folder

    pack = BoardPack(small_team, small_results[:1], reconcile(small_team), None, PAPER_DATE)
    (tmp_path / "board-pack.docx").mkdir()  # the Word document, written there, cannot be
    with pytest.raises(IsADirectoryError):
        write_board_folder(pack, tmp_path, side_by_side=True)


def _fail_with_own_pid() -> None:
    import os

    raise ValueError(f"raised in process {os.getpid()}")


def _die() -> None:
    import os

    os._exit(3)  # as if killed: no word sent back


def _sleep_long() -> None:
    import time

    time.sleep(120)


def test_the_second_process_error_is_raised_here() -> None:
    import os

    from capacity.outputs.board_folder import run_beside

    with pytest.raises(ValueError, match=r"raised in process \d+") as raised:
        run_beside(_fail_with_own_pid, (), lambda: None)
    assert str(os.getpid()) not in str(raised.value)  # it crossed from the other process


def test_a_second_process_that_dies_is_an_error_not_a_wait() -> None:
    from capacity.errors import WorkerStopped
    from capacity.outputs.board_folder import run_beside

    with pytest.raises(WorkerStopped, match="exit code 3"):
        run_beside(_die, (), lambda: None)


def test_an_error_here_stops_the_second_process_at_once() -> None:
    import time

    from capacity.outputs.board_folder import run_beside

    def fail() -> None:
        raise KeyboardInterrupt  # Ctrl-C, as the command's own process sees it

    began = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        run_beside(_sleep_long, (), fail)
    assert time.monotonic() - began < 60  # stopped, not waited for (it sleeps 120 s)
