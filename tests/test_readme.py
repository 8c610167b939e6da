"""The README shows what the tool says now: its comparison table and Gantt image are the
ones ``python docs/readme_figures.py`` would write from the shipped data today.

Reuses the session's one solve of the shipped scenario (``shipped_compare``), so checking
the README costs no solver time.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from conftest import REPOSITORY, ShippedRun

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
STALE = "the README is out of date: run `python docs/readme_figures.py` and commit the result"


@pytest.fixture(scope="module")
def figures() -> ModuleType:
    """``docs/readme_figures.py``, loaded as a module (``docs/`` is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "readme_figures", REPOSITORY / "docs" / "readme_figures.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def readme() -> str:
    return (REPOSITORY / "README.md").read_text(encoding="utf-8")


@pytest.mark.slow  # the session's solve of the shipped data
def test_readme_comparison_is_what_the_script_writes_now(
    figures: ModuleType, shipped_compare: ShippedRun
) -> None:
    # The fingerprint line in the block covers the Gantt plan, so a changed plan fails here
    # too, without comparing image bytes (which vary with the matplotlib version).
    assert figures.generated_block(readme()) == figures.readme_block(shipped_compare.results), STALE


@pytest.mark.slow  # the session's solve of the shipped data
def test_readme_table_agrees_with_what_compare_prints(shipped_compare: ShippedRun) -> None:
    # The same figures, as `capacity compare` printed them in the same run.
    for line in shipped_compare.stdout.splitlines():
        if line.startswith(("Unmet (FTE-weeks)", "Additional cost 2021/22")):
            label, *values = [part for part in line.split("  ") if part.strip()]
            row = f"| {label.strip()} | " + " | ".join(v.strip() for v in values) + " |"
            assert row in readme()


def test_readme_image_is_a_png_the_readme_shows(figures: ModuleType) -> None:
    image = REPOSITORY / figures.GANTT_IMAGE
    assert image.read_bytes().startswith(PNG_SIGNATURE)
    assert f"]({figures.GANTT_IMAGE.as_posix()})" in figures.generated_block(readme())


def test_readme_keeps_the_two_commands() -> None:
    # CI and the "done when" depend on these exact lines.
    text = readme()
    assert "python3 -m venv .venv && . .venv/bin/activate && pip install . && capacity compare" in (
        text
    )
    assert "\nbash .ci/run\n" in text


@pytest.mark.parametrize(
    "text",
    [
        "no markers at all",  # the block was deleted
        "<!-- comparison:end --> then <!-- comparison:start -->",  # out of order
        "<!-- comparison:start --><!-- comparison:start --><!-- comparison:end -->",  # twice
    ],
)
def test_a_readme_without_one_block_is_refused(figures: ModuleType, text: str) -> None:
    with pytest.raises(ValueError, match="comparison"):
        figures.generated_block(text)


def test_replacing_the_block_keeps_the_rest(figures: ModuleType) -> None:
    before = f"intro\n{figures.START}\nold\n{figures.END}\noutro\n"
    new_block = f"{figures.START}\nnew\n{figures.END}"
    assert figures.replace_block(before, new_block) == f"intro\n{new_block}\noutro\n"


@pytest.mark.slow  # the session's solve of the shipped data
def test_the_gantt_png_has_the_same_bytes_every_time(
    figures: ModuleType, shipped_compare: ShippedRun, tmp_path: Path
) -> None:
    result = next(r for r in shipped_compare.results if r.plan.option_id == figures.GANTT_OPTION)
    figures.write_gantt(result, tmp_path / "first.png")
    figures.write_gantt(result, tmp_path / "second.png")
    assert (tmp_path / "first.png").read_bytes() == (tmp_path / "second.png").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.png", "second.png"]  # no litter
