"""Write a risk study's files into a folder.

Callers pass a folder from :func:`capacity.outputs.folder.output_directory`, so a
failure part-way leaves nothing behind.
"""

from __future__ import annotations

from pathlib import Path

from capacity.charts.files import save_chart
from capacity.charts.risk import most_often_unmet_chart, unmet_distribution_chart
from capacity.reports.risk import (
    items_table,
    samples_table,
    summary_table,
    uncertainty_table,
    utilisation_table,
)
from capacity.risk.study import OptionRisk, StudyResult

RISK_FILES = (
    "summary.csv",
    "samples.csv",
    "items.csv",
    "utilisation.csv",
    "uncertainty.csv",
    "unmet-distribution.png",
    "most-often-unmet.png",
)


def write_risk_files(study: StudyResult, risks: list[OptionRisk], folder: Path) -> list[Path]:
    """The study's tables as CSV (see :mod:`capacity.reports.risk`) and its two charts."""
    written = []
    for name, table in (
        ("summary.csv", summary_table(risks)),
        ("samples.csv", samples_table(study)),
        ("items.csv", items_table(risks)),
        ("utilisation.csv", utilisation_table(risks)),
        ("uncertainty.csv", uncertainty_table(study.scenario)),
    ):
        table.to_csv(folder / name, index=False)
        written.append(folder / name)
    for stem, figure in (
        ("unmet-distribution", unmet_distribution_chart(study, risks)),
        ("most-often-unmet", most_often_unmet_chart(risks)),
    ):
        written += save_chart(figure, folder, stem, dpi=150, formats=("png",))
    return written
