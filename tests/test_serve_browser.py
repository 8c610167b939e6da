"""The what-if page in a real browser: Playwright driving Debian's chromium through the real
``capacity serve`` command. It marks a bid lost and moves a recruit's start, sees the
comparison change to the figures ``capacity compare`` gives for the saved what-if file, and
downloads the board pack. Screenshots are kept in tests/artifacts/.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from playwright.sync_api import Browser, Page, sync_playwright
from pypdf import PdfReader
from test_serve import BUDGET, compare_results, team_with_recruit

from capacity.serve.views import comparison_figures

REPOSITORY = Path(__file__).resolve().parent.parent
ARTIFACTS = REPOSITORY / "tests" / "artifacts"
SERVE = "from capacity.cli import main; main()"


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "headless Chromium is needed: apt-get install chromium (.ci/run does this)"
    return os.path.realpath(found) if found.endswith("chromium-browser") else found


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        # Debian's chromium: Playwright cannot download its own browser here.
        launched = playwright.chromium.launch(
            executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """``capacity serve`` on the small team with a recruit, in its own process: its URL."""
    scenario = team_with_recruit(tmp_path)
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            SERVE,
            "serve",
            str(scenario),
            "--no-browser",
            "--base-budget",
            "2",
            *BUDGET,
        ],
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "CAPACITY_NO_CACHE": "1"},
    )
    assert process.stderr is not None
    lines: list[str] = []
    found = threading.Event()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line)
            if "http://127.0.0.1:" in line:
                found.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        assert found.wait(60), "".join(lines)
        url = next(line.strip() for line in lines if "http://127.0.0.1:" in line)
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?token=[\w-]{20,}", url), url
        yield url
    finally:
        process.terminate()
        process.wait(60)


def wait_until_planned(page: Page, after: int) -> int:
    """Wait until the page shows a state later than ``after``; that state's number."""
    # Polled from here: the page's policy allows no script but its own (no eval), so
    # Playwright's wait_for_function cannot run in it.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        shown = page.locator("#results [data-shown]")
        if shown.count() and int(shown.get_attribute("data-shown") or -1) > after:
            page.wait_for_selector("#busy", state="hidden")
            assert not page.locator("#results [data-provisional]").count()  # the searched plans
            # The charts come after the figures, an option at a time.
            page.wait_for_selector("#results .charts.pending", state="detached")
            assert page.locator("#results .charts svg").count() >= 2
            return int(shown.get_attribute("data-shown") or -1)
        page.wait_for_timeout(100)
    raise AssertionError(f"the page did not re-plan: {page.inner_text('#busy')}")


def page_figures(page: Page) -> dict[str, dict[str, str]]:
    """The comparison table on the page: figure -> option -> text."""
    table: dict[str, Any] = page.evaluate(
        """() => {
        const table = document.querySelector('#comparison table');
        const options = [...table.querySelectorAll('thead th[data-option]')].map(
            t => t.dataset.option);
        const rows = {};
        for (const row of table.querySelectorAll('tbody tr')) {
            const cells = [...row.querySelectorAll('td')].map(t => t.textContent);
            rows[row.querySelector('th').dataset.label] = Object.fromEntries(
                options.map((o, i) => [o, cells[i]]));
        }
        return rows;
    }"""
    )
    return table


def compare_figures(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """`capacity compare` on a saved what-if, with the options the file says to give it."""
    header = "#   capacity compare FILE "
    text = path.read_text(encoding="utf-8")
    options = next(line for line in text.splitlines() if line.startswith(header))
    assert options == header + " ".join(["--from-base", "--base-budget", "2", *BUDGET])
    compared, _ = compare_results(
        path, tmp_path / "compared", options[len(header) :].split(), monkeypatch
    )
    return comparison_figures(compared)


def test_a_manager_marks_a_bid_lost_moves_a_start_and_downloads_the_board_pack(
    browser: Browser, served: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(served)
    shown = wait_until_planned(page, -1)
    assert page.locator("#undo").is_disabled()  # nothing to undo yet
    before = page_figures(page)
    assert set(next(iter(before.values()))) == {"lapse", "extend", "recruit"}
    page.screenshot(path=ARTIFACTS / "serve-base.png", full_page=True)

    # Mark the bid lost: the bid-dependent work changes in every option.
    page.select_option("form[data-kind=bid][data-item=bid] select", "lost")
    shown = wait_until_planned(page, shown)
    lost = page_figures(page)
    assert lost != before
    split = next(k for k in lost if k.startswith("Bid-dependent work"))
    assert lost[split] != before[split]  # the bid's delivery is no longer demand

    # Move the recruit's start a month later: only the recruiting option changes.
    start = page.locator("form[data-kind=recruit] input[name=start]")
    start.fill("2021-06-07")
    page.click("form[data-kind=recruit] button")
    shown = wait_until_planned(page, shown)
    moved = page_figures(page)
    assert [moved[k]["lapse"] for k in moved] == [lost[k]["lapse"] for k in lost]
    assert [moved[k]["recruit"] for k in moved] != [lost[k]["recruit"] for k in lost]
    assert "re-planned recruit a new officer in" in page.inner_text("#results").lower()  # by name
    page.screenshot(path=ARTIFACTS / "serve-what-if.png", full_page=True)

    # A bad value: the reader's message beside the field, and the figures as they were.
    page.fill("form[data-kind=fte][data-staff=lead] input[name=fte]", "lots")
    page.click("form[data-kind=fte][data-staff=lead] button")
    message = page.locator("form[data-kind=fte][data-staff=lead] .error")
    message.wait_for(state="visible")
    assert "team[lead].fte: 'lots' is not a number" in message.inner_text()
    assert page_figures(page) == moved
    page.screenshot(path=ARTIFACTS / "serve-bad-value.png")

    # Save the what-if: `capacity compare` on it gives the figures the page shows.
    with page.expect_download() as saving:
        page.click("#save")
    saved = tmp_path / "saved-what-if.yaml"
    saving.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert "outcome: lost" in text and "2021-06-07" in text
    assert "source: para 49" in text  # the gap, left as it was, keeps its source
    changes = page.inner_text("#change-list")
    assert "earliest start" in changes.lower() or "in post from" in changes.lower(), changes
    assert "lost" in changes, changes  # the new values, not only the fields' names
    assert compare_figures(saved, tmp_path, monkeypatch) == moved

    # The board pack of the what-if, in each format, opens: the PDF and the Word document
    # in their readers, the HTML page in the browser with every chart drawn.
    packs = {}
    for name in ("board-pack.pdf", "board-pack.docx", "board-pack.html"):
        with page.expect_download() as download:
            page.click(f"a.download[href*='{name}']")
        packs[name] = tmp_path / name
        download.value.save_as(packs[name])
    pdf = PdfReader(packs["board-pack.pdf"])
    assert len(pdf.pages) >= 3
    assert "Small test team" in "".join(p.extract_text() for p in pdf.pages[:2])
    word = docx.Document(str(packs["board-pack.docx"]))
    assert any("Small test team" in p.text for p in word.paragraphs)
    pack = context.new_page()
    pack.goto(packs["board-pack.html"].as_uri())
    assert "Small test team" in pack.title()
    charts = pack.locator("figure.chart img")
    assert charts.count() >= 7  # the comparison, and a Gantt and a demand chart per option
    drawn = pack.evaluate("() => [...document.images].every(i => i.complete && i.naturalWidth)")
    assert drawn, "a chart of the HTML board pack did not load"
    pack.screenshot(path=ARTIFACTS / "serve-board-pack.png")

    # Undo twice: back to the base's figures, from saved plans.
    page.click("#undo")
    shown = wait_until_planned(page, shown)
    page.click("#undo")
    shown = wait_until_planned(page, shown)
    assert page_figures(page) == before

    # Resize only the tender's duration: its load, left as it was, keeps its source.
    tender = "form[data-kind=resize][data-item=statutory-tender]"
    page.fill(f"{tender} input[name=duration]", "7 weeks")
    page.click(f"{tender} button")
    shown = wait_until_planned(page, shown)
    with page.expect_download() as saving:
        page.click("#save")
    resized = yaml.safe_load(Path(saving.value.path()).read_text(encoding="utf-8"))
    assert resized["changes"] == [{"update": "statutory-tender", "duration": "7 weeks"}]
    # Pressed again with nothing changed: said beside it, and nothing is sent.
    page.click(f"{tender} button")
    assert "Nothing changed" in page.inner_text(f"{tender} .error")

    # The one refused edit, which the page showed beside its field; nothing else failed.
    assert errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    assert all(url.startswith(served.split("/?")[0]) for url in requests), "only the local server"
    context.close()
