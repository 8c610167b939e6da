"""Every number of a scenario and where it came from: the audit table for finance."""

from __future__ import annotations

import pandas as pd

from capacity.domain.scenario import Scenario


def provenance_table(scenario: Scenario) -> pd.DataFrame:
    """One row per number: ``place, value, basis, detail, file``.

    ``basis`` is ``source`` (the decision record, ``detail`` names the
    paragraph), ``derived`` (worked out from the record; ``detail`` gives the
    working), ``assumption`` (``detail`` gives the reasoning) or ``input``
    (a bare value with neither).
    """
    rows = [
        {
            "place": entry.place,
            "value": entry.value,
            "basis": entry.provenance.kind.value,
            "detail": entry.provenance.text,
            "file": entry.file,
        }
        for entry in scenario.provenance
    ]
    return pd.DataFrame(rows, columns=["place", "value", "basis", "detail", "file"])
