"""Write a plan's or a comparison's files into a folder.

Callers pass a folder from :func:`capacity.outputs.folder.output_directory`, so a
failure part-way leaves nothing behind.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from capacity.charts.files import save_chart
from capacity.charts.gantt import gantt_chart, gantt_subtitle
from capacity.domain.scenario import Scenario
from capacity.finance import ROUNDING_RULE
from capacity.outputs.folder import mark
from capacity.plan import OptionResult
from capacity.reports.assumptions import provenance_table
from capacity.reports.comparison import comparison_table
from capacity.reports.owners import moved_from_owner_table
from capacity.reports.plan_tables import (
    capacity_table,
    plan_summary,
    schedule_table,
    unmet_table,
)


def write_plan_files(result: OptionResult, folder: Path) -> list[Path]:
    """``schedule.csv``, ``capacity.csv``, ``unmet.csv``, ``moved_from_owner.csv``,
    ``summary.json`` and ``gantt.png``."""
    plan, cost = result.plan, result.cost
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in (
        ("schedule.csv", schedule_table(plan)),
        ("capacity.csv", capacity_table(plan)),
        ("unmet.csv", unmet_table(plan)),
        ("moved_from_owner.csv", moved_from_owner_table(plan)),
    ):
        table.to_csv(folder / name, index=False)
        written.append(folder / name)
    summary = plan_summary(plan)
    summary["cost"] = {
        "additional_in_year": _money(cost.additional_in_year),
        "additional_next_year": _money(cost.additional_next_year),
        "additional_by_financial_year": {label: _money(amount) for label, amount in cost.by_year},
        "rule": f"pro rata by {cost.rule.value}; {ROUNDING_RULE}",
    }
    (folder / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    written.append(folder / "summary.json")
    figure = gantt_chart(plan, subtitle=gantt_subtitle(result))
    written += save_chart(figure, folder, "gantt", dpi=150, formats=("png",))
    return written


def write_comparison_files(
    scenario: Scenario, results: list[OptionResult], folder: Path
) -> list[Path]:
    """``comparison.csv``, ``assumptions.csv`` and each option's plan files in a subfolder."""
    comparison_table(results).to_csv(folder / "comparison.csv", index=False)
    provenance_table(scenario).to_csv(folder / "assumptions.csv", index=False)
    written = [folder / "comparison.csv", folder / "assumptions.csv"]
    for result in results:
        subfolder = folder / result.plan.option_id
        written += write_plan_files(result, subfolder)
        mark(subfolder)  # so `capacity plan` may later replace it too
    return written


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.2f}"
