"""The words a board paper uses, defined once for the PDF, the HTML page and the Word document.

Each term is said in plain words, as a reader of the paper meets it; the definitions
follow the decision record's glossary (``shared/domain/GLOSSARY.md``) and the README's
"How to read unmet demand".
"""

from __future__ import annotations

import pandas as pd

GLOSSARY: tuple[tuple[str, str], ...] = (
    (
        "FTE",
        "Full-time equivalent: 1.0 is one full-time person, 0.6 is three days a week.",
    ),
    (
        "FTE-week",
        "One full-time person's work for one week: 0.5 FTE for four weeks is 2 FTE-weeks. "
        "Work delivered and work left undone are both measured in FTE-weeks.",
    ),
    (
        "Mandatory",
        "Work the office must do by law or contract (statutory work, such as re-tendering "
        "the victims' services contract before it ends); the plan delivers it before "
        "anything else.",
    ),
    (
        "Unmet",
        "Work the plan cannot fit into the team's time, in FTE-weeks: it is not done, or "
        "not done in its window. Each item left undone is listed with the reason.",
    ),
    (
        "Load",
        "One person's time booked over the time they have (contracted FTE times the share "
        "available, as the scenario sets it): the mean over the period, and the peak in the "
        "busiest week. A peak of 100% is a full week of the time a person has, not overwork.",
    ),
)
"""(term, definition) in the order a reader needs them."""


def glossary_table() -> pd.DataFrame:
    """The glossary as a table: ``term, meaning``, one row per term."""
    return pd.DataFrame(list(GLOSSARY), columns=["term", "meaning"])
