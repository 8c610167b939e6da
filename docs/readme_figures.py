"""Regenerate the README's 2021/22 comparison table and Gantt image from the shipped data.

Run from anywhere, with the package installed::

    python docs/readme_figures.py

It solves the four options of ``scenarios/staffing-options-2021-22.yaml`` with the same
settings as ``capacity compare`` (about 20 s), writes ``docs/images/gantt-option-4.png``
and replaces the block between the README's ``comparison:start`` and ``comparison:end``
markers. ``tests/test_readme.py`` fails when the README's block is not what this script
would write now, so the README cannot drift from what the tool says.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

from capacity.charts.files import save_chart
from capacity.charts.gantt import gantt_chart, gantt_subtitle
from capacity.pipeline import compare_options
from capacity.plan import OptionResult
from capacity.readers import load_scenario
from capacity.reports.comparison import comparison_view
from capacity.reports.plan_tables import schedule_table, unmet_table

REPOSITORY = Path(__file__).resolve().parent.parent
SCENARIO = Path("scenarios") / "staffing-options-2021-22.yaml"
README = REPOSITORY / "README.md"
GANTT_OPTION = "option-4"
GANTT_IMAGE = Path("docs") / "images" / f"gantt-{GANTT_OPTION}.png"
GANTT_DPI = 150  # as `capacity compare` writes gantt.png: legible on screen, about 0.3 MB
START = "<!-- comparison:start -->"
END = "<!-- comparison:end -->"


def solve() -> list[OptionResult]:
    """Every option of the shipped scenario, as ``capacity compare`` plans them."""
    return compare_options(load_scenario(REPOSITORY / SCENARIO), room_for_bids=True)


def plan_fingerprint(result: OptionResult) -> str:
    """A short hash of everything the Gantt chart draws (who does what when, what is left
    undone, the title), so the README's text changes whenever its image should."""
    drawn = "\n".join(
        [
            result.plan.problem.option_name,
            gantt_subtitle(result),
            schedule_table(result.plan).to_csv(index=False),
            unmet_table(result.plan).to_csv(index=False),
        ]
    )
    return hashlib.sha256(drawn.encode("utf-8")).hexdigest()[:16]


def readme_block(results: list[OptionResult]) -> str:
    """The README's generated block, markers included."""
    view = comparison_view(results)
    lines = [
        START,
        f"<!-- Written by `python docs/readme_figures.py` from {SCENARIO.as_posix()}: "
        "do not edit by hand. -->",
        "",
        "| | " + " | ".join(_cell(c) for c in view.columns) + " |",
        "| --- | " + " | ".join("---:" for _ in view.columns) + " |",
    ]
    for label, row in view.iterrows():
        text = str(label)
        indent = "&nbsp;" * (len(text) - len(text.lstrip()))  # Markdown drops plain spaces
        lines.append(
            f"| {indent}{_cell(text.strip())} | " + " | ".join(_cell(v) for v in row) + " |"
        )
    lines.append("")
    for result in results:
        lines.append(f"- `{result.plan.option_id}`: {_cell(result.plan.problem.option_name)}")
    shown = _by_option(results)
    lines += [
        "",
        f"![Gantt chart of {_cell(shown.plan.problem.option_name)}: who does what, week by "
        f"week, and the work left undone]({GANTT_IMAGE.as_posix()})",
        "",
        f"<!-- {GANTT_IMAGE.name} draws the plan with fingerprint {plan_fingerprint(shown)} -->",
        END,
    ]
    return "\n".join(lines)


def generated_block(readme_text: str) -> str:
    """The block currently in the README, markers included.

    Raises
    ------
    ValueError
        If the markers are missing, repeated or out of order.
    """
    if readme_text.count(START) != 1 or readme_text.count(END) != 1:
        raise ValueError(f"README.md must contain {START} and {END} exactly once each")
    start, end = readme_text.index(START), readme_text.index(END)
    if end < start:
        raise ValueError(f"README.md has {END} before {START}")
    return readme_text[start : end + len(END)]


def replace_block(readme_text: str, block: str) -> str:
    """The README with its generated block replaced by ``block``."""
    return readme_text.replace(generated_block(readme_text), block, 1)


def write_gantt(result: OptionResult, path: Path) -> None:
    """The Gantt chart as a PNG with no timestamps: the same plan gives the same bytes."""
    figure = gantt_chart(result.plan, subtitle=gantt_subtitle(result))
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent) as staging:
        (written,) = save_chart(
            figure, Path(staging), path.stem, dpi=GANTT_DPI, formats=(path.suffix[1:],)
        )
        os.replace(written, path)


def _write_text(path: Path, text: str) -> None:
    """Replace ``path`` whole, so an interrupted run never leaves half a README."""
    staging = path.with_name(f".{path.name}.tmp")
    staging.write_text(text, encoding="utf-8")
    os.replace(staging, path)


def _by_option(results: list[OptionResult]) -> OptionResult:
    return next(r for r in results if r.plan.option_id == GANTT_OPTION)


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|")


def main() -> None:
    readme = README.read_text(encoding="utf-8")
    generated_block(readme)  # fail on missing markers before the 20 s solve, not after
    print(f"Solving the options of {SCENARIO.as_posix()} ...", file=sys.stderr)
    results = solve()
    write_gantt(_by_option(results), REPOSITORY / GANTT_IMAGE)
    # Read again: someone may have edited the README while the solver ran.
    readme = README.read_text(encoding="utf-8")
    _write_text(README, replace_block(readme, readme_block(results)))
    print(f"Wrote {GANTT_IMAGE.as_posix()} and the comparison in README.md", file=sys.stderr)


if __name__ == "__main__":
    main()
