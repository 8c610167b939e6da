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
from capacity.readers.scenario_xlsx import read_workbook_mapping
from capacity.readers.scenario_yaml import parse_scenario, read_scenario_mapping
from capacity.readers.workbook_layout import (
    ABSENCES,
    ASSUMPTIONS,
    CHANGES,
    DEPENDENCIES,
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

WORKBOOK_SUFFIX = ".xlsx"
YAML_SUFFIXES = (".yaml", ".yml")

CREATOR = "capacity scenario"
"""The workbook's author property. Not plain "capacity", which marks the plan workbooks
``capacity export`` may replace: a filled-in scenario must never be replaced unasked."""

LAST_ROW = 1_048_576
"""Excel's last row: drop-downs and number checks cover every row a user may add."""

WIDE_COLUMNS = {"name", "description", "notes", "reason", "scenario", "value"}
DATE_FORMAT = "yyyy-mm-dd"


def write_template(target: Path, force: bool = False) -> None:
    """Write the scenario workbook template: every sheet, with example rows to replace."""
    check_file_target(Path(target), force)
    with output_file(Path(target), force) as staging:
        write_scenario_workbook(TEMPLATE, staging)


def convert_scenario(source: Path, target: Path, force: bool = False) -> Scenario:
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
    scenario = parse_scenario(raw, str(source))
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
    if offered and len(listed) <= 250 and '"' not in listed:  # Excel's limit for a list
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
    "where the figure comes from, naming the paragraph of the decision record: 'para 14' or "
    "'paras 21-22'. Fill in source or assumption, not both."
)
_ASSUMPTION_NOTE = (
    "if the record does not give the figure, why it is assumed, in a sentence, so that it "
    "can be challenged. Fill in source or assumption, not both."
)


def _choices(scenario: Mapping[str, Any]) -> dict[tuple[str, str], tuple[str, ...]]:
    """Drop-downs that list the scenario's own skills, options and grades."""
    posts = list(scenario.get("team") or [])
    for option in scenario.get("options") or []:
        posts += [c["add"] for c in option.get("changes") or [] if "add" in c]
    skills = sorted({str(s) for p in posts for s in p.get("skills") or []})
    options = tuple(str(o.get("id")) for o in scenario.get("options") or [])
    grades = tuple(str(g) for g in (scenario.get("pay") or {}).get("grades") or {})
    choices = {(sheet, "skill"): tuple(skills) for sheet in (WORK.name, POST_AWARD.name)}
    choices.update({(s.name, "option"): options for s in (TEAM, ABSENCES, CHANGES, STATED)})
    choices[(TEAM.name, "grade")] = grades
    return choices


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
        for change in option.get("changes") or []:
            row: dict[str, Any] = {"option": option["id"]}
            if "add" in change:
                _post(rows, change["add"], option["id"])
                row.update(change="add", staff=change["add"]["id"])
            else:
                kind, on = ("end", "on") if "end" in change else ("extend", "to")
                row.update(change=kind, staff=change[kind], date=_bare(change.get(on)))
                row.update(source=change.get("source"), assumption=change.get("assumption"))
            rows[CHANGES].append(row)
    for item in scenario.get("work") or []:
        rows[WORK].append(_entry(WORK, item))
        after = item.get("after") or []
        for before in after if isinstance(after, list) else [after]:
            if not isinstance(before, Mapping):
                before = {"item": before}
            rows[DEPENDENCIES].append({"item": item["id"], **_entry(DEPENDENCIES, before)})
        if item.get("post_award") is not None:
            rows[POST_AWARD].append({"bid": item["id"], **_entry(POST_AWARD, item["post_award"])})
    return rows


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


# -- the template -----------------------------------------------------------------------------

_EXAMPLE = "(example: replace it)"

TEMPLATE: dict[str, Any] = {
    "scenario": "Example commissioning team 2024/25",
    "description": (
        "Example rows in every sheet: replace them with your team, work and options. "
        "The note on each heading says what goes in the column; docs/scenario-format.md "
        "describes the workbook."
    ),
    "horizon": {
        "start": {"value": date(2024, 4, 1), "source": f"para 1: the financial year {_EXAMPLE}"},
        "end": {"value": date(2025, 3, 31), "source": f"para 1 {_EXAMPLE}"},
        "step": "week",
    },
    "assumptions": {
        "availability": {
            "value": 0.85,
            "assumption": "Leave, bank holidays and sickness take about 15% of contracted time",
        },
        "point": "midpoint",
    },
    "pay": {
        "grades": {"F": {"value": 44194, "source": f"para 9: grade F's salary {_EXAMPLE}"}},
        "pro_rata": "months",
        "award": {
            "percent": {"value": 0, "assumption": "No pay award is known yet; none is costed"},
            "effective": {"value": date(2025, 4, 1), "assumption": "Pay awards start in April"},
        },
        "on_costs": {
            "employer_ni": {"value": 0, "assumption": "The record costs bare salary, no on-costs"},
            "pension": {"value": 0, "assumption": "The record costs bare salary, no on-costs"},
        },
        "stated": [
            {
                "figure": "annual_cost",
                "post": "officer",
                "value": 26516.4,
                "source": f"para 9: 0.6 of grade F {_EXAMPLE}",
            }
        ],
    },
    "team": [
        {
            "id": "manager",
            "name": "Commissioning Manager",
            "role": "Commissioning Manager",
            "fte": {"value": 1, "source": f"para 2 {_EXAMPLE}"},
            "skills": ["lead", "officer"],
            "contract": {"source": f"para 2: permanent {_EXAMPLE}"},
        },
        {
            "id": "officer",
            "name": "Commissioning Officer",
            "role": "Commissioning Officer",
            "fte": {"value": 0.6, "source": f"para 3 {_EXAMPLE}"},
            "skills": ["officer"],
            "grade": "F",
            "contract": {
                "start": date(2023, 8, 1),
                "end": date(2024, 7, 31),
                "source": f"para 3: a fixed-term post to 31 July 2024 {_EXAMPLE}",
            },
            "absences": [
                {"start": date(2024, 5, 27), "end": date(2024, 6, 7), "reason": "Planned leave"}
            ],
        },
    ],
    "work": [
        {
            "id": "contract-management",
            "name": "Contract management",
            "kind": "business as usual",
            "load": {"value": 0.2, "assumption": "Monitoring the contracts: about a day a week"},
            "handover": "monthly",
            "mandatory": True,
            "priority": "high",
            "source": f"para 4 {_EXAMPLE}",
        },
        {
            "id": "needs-assessment",
            "name": "Needs assessment",
            "kind": "needs assessment",
            "load": {"value": [0.2, 0.3], "assumption": "A desk study with partner interviews"},
            "duration": {"value": "3 months", "assumption": "Done before the tender starts"},
            "skill": "officer",
            "mandatory": True,
            "priority": "high",
            "source": f"para 5 {_EXAMPLE}",
        },
        {
            "id": "tender",
            "name": "Re-commissioning of the main service",
            "kind": "tender",
            "load": {"value": [0.4, 0.5], "source": f"para 5 {_EXAMPLE}"},
            "duration": {"value": ["6 months", "7 months"], "source": f"para 5 {_EXAMPLE}"},
            "deadline": {"value": date(2025, 3, 31), "source": f"para 5 {_EXAMPLE}"},
            "skill": "lead",
            "mandatory": True,
            "priority": "high",
            "after": [
                {
                    "item": "needs-assessment",
                    "lag": {"value": "2 weeks", "assumption": "Time to agree the findings"},
                }
            ],
            "source": f"para 5 {_EXAMPLE}",
        },
        {
            "id": "bid-1",
            "name": "Funding bid",
            "kind": "bid",
            "load": {"value": [0.6, 0.7], "source": f"para 6 {_EXAMPLE}"},
            "duration": {"value": "4 weeks", "assumption": "Bids need a short intense burst"},
            "release": {"value": date(2024, 5, 1), "assumption": "The fund opens in May"},
            "deadline": {"value": date(2024, 6, 30), "assumption": "A two-month window"},
            "skill": "officer",
            "priority": "medium",
            "win_probability": {"value": 0.8, "source": f"para 6: 8 of 10 won {_EXAMPLE}"},
            "post_award": {
                "load": {"value": [0.3, 0.5], "source": f"para 6 {_EXAMPLE}"},
                "duration": {"value": "3 months", "assumption": "Delivery over one quarter"},
                "lag": {"value": "6 weeks", "assumption": "The award decision takes six weeks"},
            },
            "source": f"para 6 {_EXAMPLE}",
        },
    ],
    "options": [
        {
            "id": "lapse",
            "name": "Let the fixed-term post end",
            "description": "The officer's work passes to the rest of the team.",
            "source": f"para 7 {_EXAMPLE}",
        },
        {
            "id": "extend",
            "name": "Extend the fixed-term post to March 2025",
            "source": f"para 7 {_EXAMPLE}",
            "changes": [{"extend": "officer", "to": date(2025, 3, 31), "source": "para 7"}],
        },
        {
            "id": "recruit",
            "name": "Recruit a permanent full-time officer",
            "source": f"para 7 {_EXAMPLE}",
            "changes": [
                {
                    "add": {
                        "id": "new-officer",
                        "name": "New Commissioning Officer",
                        "role": "Commissioning Officer",
                        "fte": {"value": 1, "source": f"para 7 {_EXAMPLE}"},
                        "grade": "F",
                        "skills": ["officer"],
                        "start": {
                            "value": date(2024, 8, 1),
                            "source": "para 7: when the post ends",
                        },
                        "recruitment_gap": {
                            "value": ["8 weeks", "12 weeks"],
                            "assumption": "Advertising, interviews and notice",
                        },
                        "induction": {
                            "weeks": {"value": "4 weeks", "assumption": "Learning the contracts"},
                            "capacity": {"value": 0.5, "assumption": "Half capacity meanwhile"},
                        },
                    }
                }
            ],
        },
    ],
}
"""The template's example: a small valid scenario using every sheet, to overwrite."""
