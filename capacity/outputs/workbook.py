"""The Excel workbook finance opens: Summary, a Schedule sheet per option, Unmet,
Utilisation, Costs, Reconciliation and Assumptions.

Dates are real Excel dates, money is in pounds format, loads are percentages,
headers are frozen and filterable, and columns are wide enough to read.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from capacity.charts.utilisation import monthly_utilisation
from capacity.domain.scenario import Scenario
from capacity.finance import Reconciliation
from capacity.plan import OptionResult
from capacity.reports.assumptions import provenance_table
from capacity.reports.comparison import comparison_table
from capacity.reports.costs import costs_table, reconciliation_table
from capacity.reports.option_changes import add_option_changes_sheet
from capacity.reports.plan_tables import schedule_table, unmet_table

MONEY = '"£"#,##0.00'
PERCENT = "0%"
NUMBER = "0.00"
DATE = "dd mmm yyyy"
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
MAX_WIDTH = 60
MAX_SHEET_NAME = 31  # Excel's limit


def write_workbook(
    scenario: Scenario,
    results: list[OptionResult],
    reconciliations: list[Reconciliation],
    path: Path,
) -> None:
    """Write the workbook to ``path`` (an .xlsx file)."""
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = "Summary"
    _fill(summary, comparison_table(results))
    for number, result in enumerate(results, start=1):
        schedule = schedule_table(result.plan)
        for column in ("start", "end"):
            schedule[column] = schedule[column].map(date.fromisoformat)
        name = f"Schedule {result.plan.option_id}"
        if len(name) > MAX_SHEET_NAME or name in workbook.sheetnames:
            name = f"Schedule {number}"  # options in the Summary's order
        _fill(workbook.create_sheet(name), schedule)
    unmet = pd.concat(
        [unmet_table(r.plan).assign(option_id=r.plan.option_id) for r in results], ignore_index=True
    )
    unmet = unmet[["option_id", *[c for c in unmet.columns if c != "option_id"]]]
    _fill(workbook.create_sheet("Unmet"), unmet)
    _fill(workbook.create_sheet("Utilisation"), _utilisation(results))
    _fill(workbook.create_sheet("Costs"), costs_table(results))
    _fill(workbook.create_sheet("Reconciliation"), reconciliation_table(reconciliations))
    _fill(workbook.create_sheet("Assumptions"), provenance_table(scenario))
    add_option_changes_sheet(workbook, scenario, results, _fill)
    workbook.properties.creator = "capacity"
    workbook.properties.created = FIXED_TIMESTAMP
    workbook.save(path)
    make_reproducible(path)


def written_by_capacity(path: Path) -> bool:
    """Whether an existing .xlsx is one this module wrote (so it may be replaced)."""
    try:
        with zipfile.ZipFile(path) as archive:
            core = archive.read("docProps/core.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    # openpyxl writes the namespace on the element itself when lxml is installed
    return re.search(rb"<dc:creator(\s[^>]*)?>capacity</dc:creator>", core) is not None


FIXED_TIMESTAMP = datetime(2000, 1, 1)
"""Stamped on the workbook and its zip entries, so the same plan gives the same bytes."""


def make_reproducible(path: Path) -> None:
    """Rewrite the .xlsx zip with fixed entry times and a fixed 'modified' property.

    openpyxl stamps the save time in both; nothing else in the file varies.
    """
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    data,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, data)


def _utilisation(results: list[OptionResult]) -> pd.DataFrame:
    rows = []
    for result in results:
        people, months, grid = monthly_utilisation(result.plan)
        for person, values in zip(people, grid, strict=True):
            row: dict[str, object] = {"option_id": result.plan.option_id, "person": person}
            row.update({f"utilisation {m}": v for m, v in zip(months, values, strict=True)})
            rows.append(row)
    return pd.DataFrame(rows)


def _fill(sheet: Worksheet, table: pd.DataFrame) -> None:
    columns = list(table.columns)
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for values in table.itertuples(index=False):
        sheet.append([_cell_value(v) for v in values])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # text such as "=HYPERLINK(...)" stays text, never a formula
                cell.data_type = "s"
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        fmt = _format_for(str(column))
        if fmt:
            for cell in sheet[letter][1:]:
                cell.number_format = fmt
        longest = max(
            [len(str(column))] + [len(_shown(v)) for v in table[column]]
            if len(table)
            else [len(str(column))]
        )
        sheet.column_dimensions[letter].width = min(MAX_WIDTH, max(10, longest + 2))
    sheet.freeze_panes = "A2"
    if len(table):
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(table) + 1}"


def _format_for(column: str) -> str | None:
    if "cost" in column or column in ("stated", "computed", "difference"):
        return MONEY
    if column in ("start", "end"):
        return DATE
    if column.startswith("utilisation") or column == "load_fte":
        return PERCENT if column != "load_fte" else NUMBER
    return None


def _cell_value(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (bool, int, float, str, date)):
        return value
    return str(value)


def _shown(value: object) -> str:
    if isinstance(value, date):
        return "01 Jan 2021"
    return "" if value is None else str(value)
