"""The workbook and the board pack, read back; the HTML opened in headless Chromium."""

from __future__ import annotations

import html as html_module
import json
import re
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import REPOSITORY
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from capacity.cli import cli

SMALL = REPOSITORY / "tests" / "data" / "small-team.yaml"
ARTIFACTS = REPOSITORY / "tests" / "artifacts"


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "pack"
    result = CliRunner().invoke(
        cli, ["report", *REPORT_ARGS, "--out", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return out


# One sampled year keeps the risk study quick; a stated date keeps the files the same.
REPORT_ARGS = [str(SMALL), "--samples", "1", "--date", "2021-04-22"]


def test_report_writes_pdf_html_word_workbook_and_charts(pack: Path) -> None:
    assert (pack / "board-pack.pdf").read_bytes().startswith(b"%PDF")
    assert zipfile.is_zipfile(pack / "board-pack.docx")
    assert (pack / "board-pack.html").stat().st_size > 10_000
    assert (pack / "capacity-plan.xlsx").exists()
    charts = {p.name for p in (pack / "charts").iterdir()}
    for stem in (
        "comparison",
        "gantt-lapse",
        "gantt-extend",
        "utilisation-lapse",
        "utilisation-extend",
    ):
        assert {f"{stem}.png", f"{stem}.svg", f"{stem}.pdf"} <= charts
        assert {f"{stem}-word.png", f"{stem}-slide.png"} <= charts  # for documents and slides


def test_pdf_opens_on_the_summary_with_the_risk_line(pack: Path) -> None:
    reader = PdfReader(pack / "board-pack.pdf")
    first = reader.pages[0].extract_text()
    assert "Chance statutory work slips (risk study)" in first
    assert re.search(r"\d+% of 1 sampled year\b", first)
    assert "Risk study: 1 sampled year " in first  # the page says what the chance rests on
    assert "FTE-week:" in first and "22 April 2021" in first
    # summary, comparison, option assumptions, comparison chart, 2 x (Gantt, utilisation,
    # monthly demand, not delivered), costs, assumptions (no costs stated: no reconciliation)
    assert len(reader.pages) == 4 + 2 * 4 + 2


def test_word_document_reads_back(pack: Path) -> None:
    document = Document(str(pack / "board-pack.docx"))
    assert document.paragraphs[0].style.name == "Title"
    assert document.tables[0].rows[0].cells[1].text == "Let the temporary post lapse"
    assert len(document.inline_shapes) == 7


def test_html_is_self_contained(pack: Path) -> None:
    html = (pack / "board-pack.html").read_text(encoding="utf-8")
    assert html.count("<img ") == 7  # comparison; per option Gantt, utilisation, demand
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "must not load anything"
    assert "Assumptions and sources" in html and "para 30" in html


def test_workbook_reads_back(pack: Path) -> None:
    book = load_workbook(pack / "capacity-plan.xlsx")
    assert book.sheetnames == [
        "Summary",
        "Schedule 1",  # the names are too long for a sheet: numbered in order
        "Schedule 2",
        "Unmet",
        "Utilisation",
        "Costs",
        "Reconciliation",
        "Assumptions",
        "Option assumptions",
    ]
    changes = pd.read_excel(pack / "capacity-plan.xlsx", sheet_name="Option assumptions")
    assert list(changes.columns) == ["option_id", "option", "aspect", "value", "source"]
    assert "Project Lead: extended to 04 Jul 2021" in set(changes["value"])
    schedule = book["Schedule 2"]
    header = [c.value for c in schedule[1]]
    assert header[:5] == ["item_id", "staff_id", "start", "end", "load_fte"]
    assert isinstance(schedule["C2"].value, datetime)  # a real Excel date
    assert schedule["C2"].number_format == "dd mmm yyyy"
    assert schedule.freeze_panes == "A2" and schedule.auto_filter.ref
    costs = book["Costs"]
    cost_column = [c.value for c in costs[1]].index("additional_cost_in_year") + 1
    cell = costs.cell(row=3, column=cost_column)
    assert cell.number_format == '"£"#,##0.00'
    assert cell.value == pytest.approx(2494.82)
    summary = pd.read_excel(pack / "capacity-plan.xlsx", sheet_name="Summary")
    assert list(summary["option_id"]) == ["lapse", "extend"]
    assert book["Summary"].column_dimensions["B"].width >= 10


def test_export_writes_only_the_workbook(tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(cli, ["export", str(SMALL), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["plan.xlsx"]  # nothing else, no temporary
    again = CliRunner().invoke(cli, ["export", str(SMALL), "--out", str(out)])
    assert again.exit_code == 0  # a workbook capacity wrote is replaced
    theirs = tmp_path / "theirs.xlsx"
    theirs.write_bytes(b"someone else's workbook")
    refused = CliRunner().invoke(cli, ["export", str(SMALL), "--out", str(theirs)])
    assert refused.exit_code == 2 and "--force" in refused.output
    assert theirs.read_bytes() == b"someone else's workbook"
    wrong = CliRunner().invoke(cli, ["export", str(SMALL), "--out", str(tmp_path / "plan.csv")])
    assert wrong.exit_code == 2 and ".xlsx" in wrong.output


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "headless Chromium is needed: apt-get install chromium (.ci/run does this)"
    return found


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]


ACCESSIBILITY_CHECK = """
window.addEventListener("load", () => {
  const problems = [];
  const images = Array.from(document.images);
  images.forEach((img, i) => {
    if (!(img.getAttribute("alt") || "").trim()) problems.push(`image ${i + 1} has no alt text`);
    if (!img.complete || img.naturalWidth === 0) problems.push(`image ${i + 1} did not load`);
  });
  let last = 0;
  document.querySelectorAll("h1, h2, h3, h4, h5, h6").forEach((h) => {
    const level = Number(h.tagName[1]);
    if (level > last + 1) problems.push(`${h.tagName} "${h.textContent}" skips a level`);
    last = level;
  });
  if (document.querySelectorAll("h1").length !== 1) problems.push("the page needs one h1");
  if (!document.documentElement.lang) problems.push("the page states no language");
  document.querySelectorAll("table").forEach((t, i) => {
    if (!t.querySelector("th")) problems.push(`table ${i + 1} has no headings`);
  });
  const out = document.createElement("pre");
  out.id = "accessibility";
  out.textContent = JSON.stringify({ images: images.length, problems });
  document.body.appendChild(out);
});
"""
"""Run in the page once it has loaded (images too): every image has alt text and has
loaded, headings go h1, h2, h3 without skipping, one h1, a language, tables with headings."""


def accessibility_problems(html_text: str, folder: Path) -> dict[str, object]:
    """The page, with the check added, opened in headless Chromium: what the check found."""
    page = folder / "checked.html"
    page.write_text(
        html_text.replace("</body>", f"<script>{ACCESSIBILITY_CHECK}</script></body>"),
        encoding="utf-8",
    )
    dom = subprocess.run(
        [
            chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={folder / 'profile-check'}",
            "--virtual-time-budget=10000",
            "--dump-dom",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found = re.search(r'<pre id="accessibility">([^<]*)</pre>', dom.stdout)
    assert found, "the check did not run"
    return json.loads(html_module.unescape(found[1]))


def test_html_passes_the_accessibility_check_in_headless_chromium(
    pack: Path, tmp_path: Path
) -> None:
    report = accessibility_problems((pack / "board-pack.html").read_text("utf-8"), tmp_path)
    assert report == {"images": 7, "problems": []}


def test_the_accessibility_check_finds_what_it_looks_for(tmp_path: Path) -> None:
    bad = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>x</title></head><body>'
        "<h1>Title</h1><h3>Skipped a level</h3>"
        '<img src="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9z'
        'dmciIHdpZHRoPSIxMCIgaGVpZ2h0PSIxMCIvPg==">'
        "<table><tr><td>1</td></tr></table></body></html>"
    )
    report = accessibility_problems(bad, tmp_path)
    assert report["problems"] == [
        "image 1 has no alt text",
        'H3 "Skipped a level" skips a level',
        "the page states no language",
        "table 1 has no headings",
    ]


def test_html_renders_in_headless_chromium(pack: Path, tmp_path: Path) -> None:
    page = (pack / "board-pack.html").resolve().as_uri()
    profile = f"--user-data-dir={tmp_path / 'profile'}"
    dom = subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, profile, "--dump-dom", page],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert dom.stdout.count("<img ") == 7, "the charts are not in the page"
    assert "Small test team" in dom.stdout
    console_errors = [
        line for line in dom.stderr.splitlines() if "CONSOLE" in line and "ERROR" in line
    ]
    assert console_errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "board-pack.png"
    subprocess.run(
        [
            chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile2'}",
            f"--screenshot={screenshot}",
            "--window-size=1280,2400",
            page,
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert screenshot.stat().st_size > 20_000  # a rendered page, not a blank one


def test_the_same_input_gives_byte_identical_files(pack: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    result = CliRunner().invoke(cli, ["report", *REPORT_ARGS, "--out", str(again)])
    assert result.exit_code == 0, result.output
    first = sorted(p.relative_to(pack) for p in pack.rglob("*") if p.is_file())
    assert first == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for relative in first:
        assert (pack / relative).read_bytes() == (again / relative).read_bytes(), relative
