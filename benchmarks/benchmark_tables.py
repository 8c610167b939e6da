"""What the benchmark scripts share: a table as Markdown for their results files, and the
speed issue's targets as PASS or FAIL lines."""

from __future__ import annotations

import pandas as pd


def markdown_table(table: pd.DataFrame) -> str:
    """A pipe table when ``tabulate`` is installed (pandas needs it), else fixed-width text."""
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return "```\n" + table.to_string(index=False) + "\n```"
    return table.to_markdown(index=False)


def verdict_lines(targets: list[tuple[str, bool, str]]) -> list[str]:
    """``- PASS: what: figure`` (or ``FAIL``) for each (what, met, measured figure)."""
    return [f"- {'PASS' if met else 'FAIL'}: {what}: {figure}" for what, met, figure in targets]
