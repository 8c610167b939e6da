"""What the benchmark scripts share: a table as Markdown for their results files."""

from __future__ import annotations

import pandas as pd


def markdown_table(table: pd.DataFrame) -> str:
    """A pipe table when ``tabulate`` is installed (pandas needs it), else fixed-width text."""
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return "```\n" + table.to_string(index=False) + "\n```"
    return table.to_markdown(index=False)
