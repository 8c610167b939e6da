"""The workbook and the board pack, read back; the HTML opened in headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import REPOSITORY
from openpyxl import load_workbook

from capacity.cli import cli

SMALL = REPOSITORY / "tests" / "data" / "small-team.yaml"
ARTIFACTS = REPOSITORY / "tests" / "artifacts"


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "pack"
    result = CliRunner().invoke(
        cli, ["report", str(SMALL), "--out", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return out


def test_report_writes_pdf_html_workbook_and_charts(pack: Path) -> None:
    assert (pack / "board-pack.pdf").read_bytes().startswith(b"%PDF")
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


def test_pdf_has_every_page(pack: Path) -> None:
    pages = len(re.findall(rb"/Type\s*/Page\b", (pack / "board-pack.pdf").read_bytes()))
    # comparison table, comparison chart, 2 x (Gantt + utilisation), costs, reconciliation
    # (none stated here, so no page), assumptions
    assert pages >= 1 + 1 + 4 + 1 + 1


def test_html_is_self_contained(pack: Path) -> None:
    html = (pack / "board-pack.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 5  # comparison, and a Gantt and utilisation per option
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "must not load anything"
    assert "Assumptions and sources" in html and "para 30" in html


def test_workbook_reads_back(pack: Path) -> None:
    book = load_workbook(pack / "capacity-plan.xlsx")
    assert book.sheetnames == [
        "Summary",
        "Schedule lapse",
        "Schedule extend",
        "Unmet",
        "Utilisation",
        "Costs",
        "Reconciliation",
        "Assumptions",
    ]
    schedule = book["Schedule extend"]
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
    assert dom.stdout.count("<svg") == 5, "the charts did not load"
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
    result = CliRunner().invoke(cli, ["report", str(SMALL), "--out", str(again)])
    assert result.exit_code == 0, result.output
    first = sorted(p.relative_to(pack) for p in pack.rglob("*") if p.is_file())
    assert first == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for relative in first:
        assert (pack / relative).read_bytes() == (again / relative).read_bytes(), relative
