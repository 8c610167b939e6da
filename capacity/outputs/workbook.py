"""The Excel workbook finance opens: Summary, a Schedule sheet per option, Unmet,
Utilisation, Costs, Reconciliation and Assumptions.

Dates are real Excel dates, money is in pounds format, loads are percentages,
headers are frozen and filterable, and columns are wide enough to read. People,
options and work are named, with the id in the column beside the name (to match
the CSV files). FTE-weeks are stored rounded by the one rule for figures
(:mod:`capacity.reports.figures`: half up to 0.1) and shown to 0.1, so the sheet
says what the terminal says. The Assumptions sheet stores numbers as numbers
(a range as its low and high), dates as dates, and each file by its path from
the scenario's folder, never a path on this computer.
"""

from __future__ import annotations

import os
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
from capacity.reports.comparison import comparison_table, unmet_by_item
from capacity.reports.costs import costs_table, reconciliation_table
from capacity.reports.figures import option_headings, option_label, round_fte_weeks
from capacity.reports.option_changes import add_option_changes_sheet
from capacity.reports.plan_tables import schedule_table, unmet_table
from capacity.reports.scenario_diff import place_subject

MONEY = '"£"#,##0.00'
PERCENT = "0%"
NUMBER = "0.00"
FTE_WEEKS = "#,##0.0"
WHOLE = "#,##0"
DECIMAL = "#,##0.0##"
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
    _fill(summary, summary_sheet(results))
    headings = option_headings([r.plan.problem.option_name for r in results])
    for number, (result, heading) in enumerate(zip(results, headings, strict=True), start=1):
        name = f"Schedule {heading}"  # by name ("Schedule Option 4"), not by id
        if len(name) > MAX_SHEET_NAME or name in workbook.sheetnames or set(name) & set("[]:*?/\\"):
            name = f"Schedule {number}"  # options in the Summary's order
        _fill(workbook.create_sheet(name), schedule_sheet(result))
    _fill(workbook.create_sheet("Unmet"), unmet_sheet(results))
    _fill(workbook.create_sheet("Utilisation"), _utilisation(results))
    _fill(workbook.create_sheet("Costs"), costs_table(results))
    _fill(workbook.create_sheet("Reconciliation"), reconciliation_table(reconciliations))
    _fill(workbook.create_sheet("Assumptions"), assumptions_sheet(scenario))
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


def summary_sheet(results: list[OptionResult]) -> pd.DataFrame:
    """The Summary: ``comparison.csv``'s figures, a row per option, with people named in
    the load columns' headings and the items left undone named as well as listed by id.

    ``items_not_fully_delivered`` counts work items; ``pieces_not_delivered`` the rows
    the Unmet sheet lists for the option (an item's months, stages or stints).
    """
    table = comparison_table(results)
    names: dict[str, str] = {}
    for result in results:
        names |= {m.id: m.name for m in result.plan.problem.staff}
    renamed = {}
    for column in table.columns:
        for kind in ("mean", "peak"):
            prefix = f"utilisation_{kind}_"
            if column.startswith(prefix):
                staff_id = column.removeprefix(prefix)
                renamed[column] = (
                    f"utilisation {kind}: {names.get(staff_id, staff_id)} ({staff_id})"
                )
    table = table.rename(columns=renamed)
    unmet = [unmet_by_item(r.plan) for r in results]
    position = list(table.columns).index("unmet_items")
    table.insert(position, "unmet_item_names", ["; ".join(u["name"]) for u in unmet])
    table.insert(position, "pieces_not_delivered", [len(r.plan.unmet) for r in results])
    table.insert(position, "items_not_fully_delivered", [len(u) for u in unmet])
    return table


def schedule_sheet(result: OptionResult) -> pd.DataFrame:
    """One option's schedule: ``schedule.csv``'s first columns (ids, dates as dates), then
    the work item, the person and the piece of work by name."""
    schedule = schedule_table(result.plan)
    for column in ("start", "end"):
        schedule[column] = schedule[column].map(date.fromisoformat)
    problem = result.plan.problem
    people = {m.id: m.name for m in problem.staff}
    schedule = schedule.rename(columns={"name": "piece"})
    schedule.insert(5, "item", schedule["item_id"].map(problem.item_name))
    schedule.insert(6, "person", schedule["staff_id"].map(people))
    first = ["item_id", "staff_id", "start", "end", "load_fte", "item", "person", "piece"]
    return schedule[[*first, *[c for c in schedule.columns if c not in first]]]


def unmet_sheet(results: list[OptionResult]) -> pd.DataFrame:
    """Every piece of work left undone, every option: the option and the work named beside
    their ids, the piece (a month, stage or stint) and the plain reason."""
    sheets = []
    for result in results:
        table = unmet_table(result.plan)
        problem = result.plan.problem
        table.insert(0, "option", option_label(problem.option_name))
        table.insert(0, "option_id", result.plan.option_id)
        table.insert(
            list(table.columns).index("item_id") + 1,
            "item",
            table["item_id"].map(problem.item_name),
        )
        sheets.append(table.rename(columns={"name": "piece"}))
    columns = ["option_id", "option", "item_id", "item", "piece", "task_id"]
    unmet = pd.concat(sheets, ignore_index=True)
    return unmet[[*columns, *[c for c in unmet.columns if c not in columns]]]


def assumptions_sheet(scenario: Scenario) -> pd.DataFrame:
    """``assumptions.csv`` for people: what each place is about (by name), the value as a
    number, date or text, a range as ``low`` and ``high``, its unit, and the file it came
    from by its path from the scenario's folder."""
    table = provenance_table(scenario)
    values = [_value_cells(str(v)) for v in table["value"]]
    return pd.DataFrame(
        {
            "place": table["place"],
            "about": [place_subject(str(place), scenario) for place in table["place"]],
            "value": [v[0] for v in values],
            "low": [v[1] for v in values],
            "high": [v[2] for v in values],
            "unit": [v[3] for v in values],
            "basis": table["basis"],
            "detail": table["detail"],
            "file": [_file_name(str(f), scenario.source_file) for f in table["file"]],
        }
    )


_NUMBER = r"-?\d+(?:\.\d+)?"
_VALUE = re.compile(
    rf"^(?P<low>{_NUMBER})(?: (?P<unit>[a-z]+))?(?:-(?P<high>{_NUMBER})(?: [a-z]+)?)?$"
)
_MONEY_TEXT = re.compile(r"^-?£[\d,]+(?:\.\d+)?$")


def _value_cells(text: str) -> tuple[object, object, object, str]:
    """(value, low, high, unit) of a value as the scenario wrote it: ``0.2``, ``4 weeks``,
    ``6.5-21.7``, ``8 months-9 months``, ``2021-08-01``, ``£44,194.00``, a contract
    ``2019-08-01 to 2021-07-31`` (its first and last day as low and high) or text."""
    try:
        return date.fromisoformat(text), None, None, ""
    except ValueError:
        pass
    first, to, last = text.partition(" to ")
    if to:  # a contract: "2019-08-01 to 2021-07-31", "open to 2021-05-31"
        try:
            start = None if first == "open" else date.fromisoformat(first)
            return None, start, None if last == "open" else date.fromisoformat(last), ""
        except ValueError:
            pass
    if _MONEY_TEXT.match(text):
        return Decimal(text.replace("£", "").replace(",", "")), None, None, "£"
    found = _VALUE.match(text)
    if found is None:
        return text, None, None, ""
    low, high, unit = found["low"], found["high"], found["unit"] or ""
    if high is None:
        return Decimal(low), None, None, unit
    return None, Decimal(low), Decimal(high), unit


def _file_name(file: str, scenario_file: str) -> str:
    """``file`` by its path from the scenario file's folder (``../data/x.yaml``), or its
    name alone when there is no such path; never a path on this computer."""
    if not file:
        return ""
    try:
        relative = os.path.relpath(file, Path(scenario_file).parent if scenario_file else None)
    except ValueError:  # another drive (Windows)
        return Path(file).name
    return Path(file).name if Path(relative).is_absolute() else Path(relative).as_posix()


def _utilisation(results: list[OptionResult]) -> pd.DataFrame:
    rows = []
    for result in results:
        people, months, grid = monthly_utilisation(result.plan)  # named, in staff order
        staff = result.plan.problem.staff
        for member, person, values in zip(staff, people, grid, strict=True):
            row: dict[str, object] = {
                "option_id": result.plan.option_id,
                "option": option_label(result.plan.problem.option_name),
                "person": person,
                "staff_id": member.id,
            }
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
        sheet.append([_cell_value(v, str(c)) for v, c in zip(values, columns, strict=True)])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # text such as "=HYPERLINK(...)" stays text, never a formula
                cell.data_type = "s"
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        fmt = _format_for(str(column))
        for cell in sheet[letter][1:]:
            if fmt:
                cell.number_format = fmt
            elif isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                cell.number_format = WHOLE if float(cell.value).is_integer() else DECIMAL
            elif isinstance(cell.value, date):
                cell.number_format = DATE
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
    if _is_fte_weeks(column):
        return FTE_WEEKS
    if column in ("start", "end"):
        return DATE
    if column.startswith("utilisation") or column == "load_fte":
        return PERCENT if column != "load_fte" else NUMBER
    return None


def _is_fte_weeks(column: str) -> bool:
    return "fte_weeks" in column or column == "unmet_removed_vs_first_option"


def _cell_value(value: object, column: str = "") -> object:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if _is_fte_weeks(column) and isinstance(value, (Decimal, float, int)):
        return float(round_fte_weeks(value))  # the one rule: the sheet shows what is stored
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (bool, int, float, str, date)):
        return value
    return str(value)


def _shown(value: object) -> str:
    if isinstance(value, date):
        return "01 Jan 2021"
    return "" if value is None else str(value)
