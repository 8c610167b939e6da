"""Scenario files capacity writes: the workbook template, and YAML <-> workbook conversion.

Both directions go through the scenario mapping the readers validate (see
:func:`capacity.readers.scenario_yaml.parse_scenario`), so what is written
reads back as the same scenario: every value, range and source or assumption
is kept. The workbook layout is :mod:`capacity.readers.workbook_layout`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from capacity.domain.scenario import Scenario
from capacity.errors import OutputError, ScenarioError
from capacity.outputs.folder import check_file_target, output_file
from capacity.outputs.workbook import FIXED_TIMESTAMP, HEADER_FILL, make_reproducible
from capacity.readers.scenario_xlsx import MAX_ROWS, read_workbook_mapping
from capacity.readers.scenario_yaml import parse_scenario, read_scenario_mapping
from capacity.readers.workbook_layout import (
    ABSENCES,
    ASSUMPTIONS,
    CHANGES,
    DEPENDENCIES,
    DERIVED_PREFIX,
    FINANCE,
    GRADES,
    NO,
    OPTIONS,
    POST_AWARD,
    SETTING_COLUMNS,
    SHEETS,
    STATED,
    TEAM,
    UNCERTAINTY,
    WORK,
    YES,
    Field,
    Kind,
    Sheet,
)
from capacity.schema import models
from capacity.schema.build import Warn, commissioning_items

WORKBOOK_SUFFIX = ".xlsx"
YAML_SUFFIXES = (".yaml", ".yml")

CREATOR = "capacity scenario"
"""The workbook's author property. Not plain "capacity", which marks the plan workbooks
``capacity export`` may replace: a filled-in scenario must never be replaced unasked."""

LAST_ROW = 1_048_576
"""Excel's last row: drop-downs and number checks cover every row a user may add."""

WIDE_COLUMNS = {"name", "description", "notes", "reason", "scenario", "value"}
DATE_FORMAT = "yyyy-mm-dd"


TEMPLATE = Path(__file__).parent.parent / "schema" / "template.yaml"
"""The template's example: a small valid scenario using every sheet, to overwrite."""


def write_template(target: Path, force: bool = False) -> None:
    """Write the scenario workbook template: every sheet, with example rows to replace."""
    check_file_target(Path(target), force)
    with output_file(Path(target), force) as staging:
        write_scenario_workbook(read_scenario_mapping(TEMPLATE), staging)


def convert_scenario(
    source: Path, target: Path, force: bool = False, warn: Warn | None = None
) -> Scenario:
    """Convert a YAML scenario to a workbook, or a workbook to YAML (by the suffixes).

    The input is read and validated first, so nothing is written for a bad
    one. YAML written from a workbook is one self-contained file; a workbook
    written from YAML has the base scenario's ``extends`` and a what-if's
    ``changes`` already applied.

    Returns
    -------
    Scenario
        The scenario converted (as read from ``source``).

    Raises
    ------
    ScenarioError
        The input is not a valid scenario.
    OutputError
        The target exists (without ``force``), is the input, or has the wrong suffix.
    """
    source, target = Path(source), Path(target)
    into = target.suffix.lower()
    if source.suffix.lower() in YAML_SUFFIXES:
        if into != WORKBOOK_SUFFIX:
            raise OutputError(f"{target}: a YAML scenario converts to a workbook; name it .xlsx")
        raw = read_scenario_mapping(source)
    elif source.suffix.lower() == WORKBOOK_SUFFIX:
        if into not in YAML_SUFFIXES:
            raise OutputError(f"{target}: a workbook converts to YAML; name it .yaml")
        raw = read_workbook_mapping(source)
    else:
        raise ScenarioError(
            str(source), "", "convert reads a .yaml scenario or an .xlsx scenario workbook"
        )
    if target.exists() and target.resolve() == source.resolve():
        raise OutputError(f"{target}: is the input; give another file to write")
    check_file_target(target, force)  # before validating: a wrong target fails at once
    scenario = parse_scenario(raw, str(source), warn=warn)
    named = {"scenario": scenario.name, **{k: v for k, v in raw.items() if k != "scenario"}}
    with output_file(target, force) as staging:
        if into == WORKBOOK_SUFFIX:
            write_scenario_workbook(named, staging)
        else:
            write_scenario_yaml(named, staging, source)
    return scenario


# -- the workbook ------------------------------------------------------------------------


def write_scenario_workbook(scenario: Mapping[str, Any], path: Path) -> None:
    """Write a scenario mapping (as the readers give it) as a scenario workbook.

    Every sheet is written, with notes on the headings, drop-downs and
    number checks, and frozen headings; the bytes depend only on the scenario.
    """
    rows = _rows(scenario)
    choices = _choices(scenario)
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for sheet in SHEETS:
        worksheet = book.create_sheet(sheet.name)
        if sheet.settings:
            _write_settings(worksheet, sheet, rows[sheet])
        else:
            _write_table(worksheet, sheet, rows[sheet], choices)
        worksheet.freeze_panes = "B2"
    book.properties.creator = CREATOR
    book.properties.created = FIXED_TIMESTAMP
    book.save(path)
    make_reproducible(path)


def _write_table(
    worksheet: Worksheet,
    sheet: Sheet,
    rows: list[dict[str, Any]],
    choices: dict[tuple[str, str], tuple[str, ...]],
) -> None:
    columns = sheet.columns()
    notes = {c: note for f in sheet.fields for c, note in _column_notes(f).items()}
    _heading(worksheet, columns, notes, sheet.about)
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            _put(worksheet, number, index, row.get(column), f"sheet {sheet.name}")
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        one = next(f for f in sheet.fields if column in f.columns())
        if column in one.value_columns():
            offered = choices.get((sheet.name, column), one.choices)
            _check(worksheet, one, offered, f"{letter}2:{letter}{LAST_ROW}")
    _group(worksheet, columns, sheet.grouped_columns())


def _group(worksheet: Worksheet, columns: tuple[str, ...], grouped: tuple[str, ...]) -> None:
    """Fold each run of ``grouped`` columns into an outline group (Excel's [+] above them)."""
    runs: list[list[int]] = []
    for index, column in enumerate(columns, start=1):
        if column in grouped:
            if runs and runs[-1][-1] == index - 1:
                runs[-1].append(index)
            else:
                runs.append([index])
    for run in runs:
        first, last = get_column_letter(run[0]), get_column_letter(run[-1])
        worksheet.column_dimensions.group(first, last, outline_level=1, hidden=True)


def _write_settings(worksheet: Worksheet, sheet: Sheet, rows: list[dict[str, Any]]) -> None:
    notes = {
        "setting": "The setting's name; each has a note saying what it means.",
        "value": "The setting's value (for a range, its low end).",
        "value_high": "The high end of a range (availability only); empty for one value.",
        "source": f"Numbers and dates: {_SOURCE_NOTE}",
        "assumption": f"Numbers and dates: {_ASSUMPTION_NOTE}",
    }
    _heading(worksheet, SETTING_COLUMNS, notes, sheet.about)
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(SETTING_COLUMNS, start=1):
            _put(worksheet, number, index, row.get(column), f"sheet {sheet.name}")
        one = sheet.field(row["setting"])
        worksheet.cell(number, 1).comment = _note(one.note)
        cells = f"B{number}:C{number}" if one.kind is Kind.RANGE else f"B{number}"
        _check(worksheet, one, one.choices, cells)
    names = tuple(f.column for f in sheet.fields)
    _check(worksheet, Field((), Kind.TEXT, "", "setting"), names, f"A2:A{LAST_ROW}")


def _heading(
    worksheet: Worksheet, columns: tuple[str, ...], notes: dict[str, str], about: str
) -> None:
    for index, column in enumerate(columns, start=1):
        cell = worksheet.cell(1, index, column)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="top")
        note = notes[column] if index > 1 else f"{about}\n\n{column}: {notes[column]}"
        cell.comment = _note(note)
        wide = column in WIDE_COLUMNS or column.endswith(("assumption", "source"))
        worksheet.column_dimensions[get_column_letter(index)].width = (
            40 if wide else max(12, len(column) + 3)
        )


def _note(text: str) -> Comment:
    note = Comment(text, "capacity")
    note.width, note.height = 320, 40 + 16 * (len(text) // 45 + 1)  # points: fits the text
    return note


def _put(worksheet: Worksheet, row: int, column: int, value: Any, sheet: str) -> None:
    if value is None:
        return
    try:
        cell = worksheet.cell(row, column, value)
    except IllegalCharacterError:
        raise OutputError(
            f"{sheet}, row {row}: {value!r} has a control character Excel cannot hold"
        ) from None
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula
    if isinstance(value, date):
        cell.number_format = DATE_FORMAT


def _check(worksheet: Worksheet, one: Field, offered: tuple[str, ...], cells: str) -> None:
    """A drop-down of ``offered``, or a number check for ``one.bounds``, over ``cells``."""
    listed = ",".join(offered)
    if one.ids:  # the ids the workbook itself lists in that sheet's first column, as it grows
        check = DataValidation(
            type="list", formula1=f"{one.ids}!$A$2:$A${MAX_ROWS + 1}", allow_blank=True
        )
        check.errorStyle = "warning"  # an id typed before its row is added is not refused
        check.error = f"Expected an id listed in sheet {one.ids}"
    elif offered and len(listed) <= 250 and '"' not in listed:  # Excel's limit for a list
        check = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
        if one.free_choice or offered != one.choices:
            check.errorStyle = "warning"  # a suggestion: a new value may be typed
        check.error = f"Expected one of: {', '.join(offered)}"
    elif one.bounds is not None:
        low, high = one.bounds
        check = DataValidation(
            type="decimal",
            operator="between",
            formula1=f"{low:g}",
            formula2=f"{high:g}",
            allow_blank=True,
        )
        check.error = f"A number from {low:g} to {high:g}"
    else:
        return
    check.errorTitle = one.column
    check.showErrorMessage = True
    check.add(cells)
    worksheet.add_data_validation(check)


def _column_notes(one: Field) -> dict[str, str]:
    columns = one.columns()
    if one.kind is Kind.RANGE:
        notes = {
            columns[0]: f"{one.note} (The low end of a range, or its only value.)",
            columns[1]: f"The high end of a range for {one.column}; empty for one value.",
        }
    else:
        notes = {columns[0]: one.note}
    if one.kind in (Kind.VALUE, Kind.RANGE):
        notes[columns[-2]] = f"{one.column}: {_SOURCE_NOTE}"
        notes[columns[-1]] = f"{one.column}: {_ASSUMPTION_NOTE}"
    return notes


_SOURCE_NOTE = (
    "where the figure comes from: any reference a reader can follow, e.g. 'para 14' or "
    "'Business plan 2024/25'. Fill in source or assumption, not both."
)
_ASSUMPTION_NOTE = (
    "if no document gives the figure, why it is assumed, in a sentence, so that it can be "
    "challenged. Fill in source or assumption, not both."
)


def _choices(scenario: Mapping[str, Any]) -> dict[tuple[str, str], tuple[str, ...]]:
    """Drop-downs that suggest the scenario's own skills (ids are listed from their sheets)."""
    posts = list(scenario.get("team") or [])
    for option in scenario.get("options") or []:
        posts += [c["add"] for c in option.get("changes") or [] if "add" in c]
    skills = sorted({str(s) for p in posts for s in _words(p.get("skills"))})
    return {(sheet, "skill"): tuple(skills) for sheet in (WORK.name, POST_AWARD.name)}


def _words(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


# -- the scenario mapping as rows ------------------------------------------------------------


def _rows(scenario: Mapping[str, Any]) -> dict[Sheet, list[dict[str, Any]]]:
    rows: dict[Sheet, list[dict[str, Any]]] = {sheet: [] for sheet in SHEETS}
    for sheet in (ASSUMPTIONS, FINANCE, UNCERTAINTY):  # every setting, shown even if empty
        for one in sheet.fields:
            cells = _cells(one, _dig(scenario, one.path))
            rows[sheet].append({"setting": one.column, **_as_setting(one, cells)})
    pay = scenario.get("pay") or {}
    for grade, salary in (pay.get("grades") or {}).items():
        rows[GRADES].append({"grade": grade, **_cells(GRADES.field("salary"), salary)})
    rows[STATED] = [_entry(STATED, figure) for figure in pay.get("stated") or []]
    for member in scenario.get("team") or []:
        _post(rows, member, None)
    for option in scenario.get("options") or []:
        rows[OPTIONS].append(_entry(OPTIONS, option))
        changes = option.get("changes") or []
        for at, change in enumerate(changes):
            row: dict[str, Any] = {"option": option["id"]}
            if "add" in change:
                _post(rows, change["add"], option["id"])
                if all("add" in later for later in changes[at:]):
                    continue  # the reader adds a new post after the option's other changes
                row.update(change="add", staff=change["add"]["id"])
            else:
                kind, on = ("end", "on") if "end" in change else ("extend", "to")
                row.update(change=kind, staff=change[kind], date=_bare(change.get(on)))
                row.update(source=change.get("source"), assumption=change.get("assumption"))
            rows[CHANGES].append(row)
    for item in _work_entries(scenario):
        rows[WORK].append(_entry(WORK, item))
        after = item.get("after") or []
        for before in after if isinstance(after, list) else [after]:
            if not isinstance(before, Mapping):
                before = {"item": before}
            rows[DEPENDENCIES].append({"item": item["id"], **_entry(DEPENDENCIES, before)})
        if item.get("post_award") is not None:
            rows[POST_AWARD].append({"bid": item["id"], **_entry(POST_AWARD, item["post_award"])})
    return rows


def _work_entries(scenario: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The work entries, a commissioning entry as the items it stands for (a workbook has
    no sheet for it: it holds the items, as the plan sees them)."""
    entries: list[Mapping[str, Any]] = []
    for item in scenario.get("work") or []:
        if "commissioning" not in item:
            entries.append(item)
            continue
        parsed = models.Commissioning.model_validate(item["commissioning"])
        end = models.Horizon.model_validate(scenario["horizon"]).end.value
        entries += [
            entry for _, entry in commissioning_items(parsed, item["commissioning"], end)[0]
        ]
    return entries


def _post(rows: dict[Sheet, list[dict[str, Any]]], post: Mapping[str, Any], option: Any) -> None:
    rows[TEAM].append({**_entry(TEAM, post), "option": option})
    for absence in post.get("absences") or []:
        entry = _entry(ABSENCES, absence)
        rows[ABSENCES].append({"staff": post.get("id"), "option": option, **entry})


def _entry(sheet: Sheet, entry: Mapping[str, Any]) -> dict[str, Any]:
    cells: dict[str, Any] = {}
    for one in sheet.fields:
        if one.path:
            cells.update(_cells(one, _dig(entry, one.path)))
    return cells


def _dig(mapping: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(mapping, Mapping):
            return None
        mapping = mapping.get(key)  # type: ignore[assignment]
    return mapping


def _bare(value: Any) -> Any:
    """A value without the provenance the reader ignores in that place."""
    return value.get("value") if isinstance(value, Mapping) else value


def _cells(one: Field, value: Any) -> dict[str, Any]:
    """The field's cells for ``value`` as the scenario mapping holds it."""
    if value is None:
        return {}
    columns = one.columns()
    if one.kind is Kind.FLAG:
        return {columns[0]: (YES if value else NO) if isinstance(value, bool) else value}
    if one.kind is Kind.WORDS:
        listed = ", ".join(str(v) for v in value) if isinstance(value, list) else value
        return {columns[0]: listed or None}
    if one.kind is Kind.TEXT:
        return {columns[0]: _bare(value)}
    cells: dict[str, Any] = {}
    if isinstance(value, Mapping):
        cells[columns[-2]] = value.get("source")
        cells[columns[-1]] = value.get("assumption")
        if value.get("derived") is not None:  # the sheet has no column of its own for it
            cells[columns[-1]] = f"{DERIVED_PREFIX}{value['derived']}"
        if "value" not in value and ("low" in value or "high" in value):
            value = [value.get("low"), value.get("high")]  # the {low:, high:} spelling
        else:
            value = value.get("value")
    if isinstance(value, list) and len(value) == 2:
        low, high = value
        if one.kind is Kind.VALUE:  # a one-value field given as [x, x]: the parser allows only that
            high = None
    else:
        low, high = value, None
    cells[columns[0]] = low
    if one.kind is Kind.RANGE:
        cells[columns[1]] = high
    return cells


def _as_setting(one: Field, cells: dict[str, Any]) -> dict[str, Any]:
    """A field's cells placed in a settings sheet's columns."""
    return {
        name: cells.get(column)
        for column, name in zip(one.columns(), one.setting_columns(), strict=True)
    }


# -- YAML --------------------------------------------------------------------------------


class _Flow(dict[str, Any]):
    """A small mapping written on one line: ``{value: 0.4, source: para 14}``."""


class _FlowList(list[Any]):
    """A list of plain values written on one line: ``[lead, officer]``."""


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None  # text of several lines stays as lines
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(
    _Flow,
    lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True),
)
_Dumper.add_representer(
    _FlowList,
    lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True),
)
_Dumper.add_representer(
    dict,
    lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=False),
)
_Dumper.add_representer(str, _text)


def write_scenario_yaml(scenario: Mapping[str, Any], path: Path, source: Path) -> None:
    """Write a scenario mapping as one self-contained YAML scenario file."""
    header = (
        f"# Written by `capacity convert` from {source.name}: one self-contained scenario.\n"
        "# Every number keeps its source (a paragraph of the decision record) or its\n"
        "# assumption; see docs/scenario-format.md.\n\n"
    )
    text = yaml.dump(
        _plain(scenario), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000
    )  # wide: each value on its line, as a person writes them
    path.write_text(header + text, encoding="utf-8")


def _plain(value: Any) -> Any:
    """Plain dicts and lists; small mappings of plain values marked to be written in one line."""
    if isinstance(value, Mapping):
        items = {str(k): _plain(v) for k, v in value.items()}
        small = "id" not in items and all(_is_scalar(v) for v in items.values())
        return _Flow(items) if small else dict(items)
    if isinstance(value, list):
        if all(_is_scalar(v) and not isinstance(v, list) for v in value):
            return _FlowList(value)
        return [_plain(v) for v in value]
    return value


def _is_scalar(value: Any) -> bool:
    if isinstance(value, list):
        return len(value) == 2 and all(_is_scalar(v) for v in value)
    return not isinstance(value, Mapping)
