"""Read a scenario workbook (.xlsx) into the same validated :class:`Scenario` as YAML.

The workbook is turned into the very mapping the YAML reader consumes, each
value remembering its cell, and validated by the same code; so a bad cell
gets the same message as a bad YAML value, located as ``sheet Work, row 7,
column load_high``. This module only reads cells and joins rows across sheets
(a post's absences, an item's dependencies); what a value may be is the
schema's, and every rule about values lives in the domain classes. The layout,
derived from the schema, is in :mod:`capacity.readers.workbook_layout`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from capacity.domain.scenario import Scenario
from capacity.errors import ScenarioError, ScenarioErrors, did_you_mean
from capacity.readers.scenario_yaml import parse_scenario
from capacity.readers.workbook_file import read_workbook_sheets
from capacity.readers.workbook_layout import (
    ABSENCES,
    ASSUMPTIONS,
    CHANGE_KINDS,
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
from capacity.readers.yaml_loader import Located
from capacity.schema.build import Warn

MAX_ROWS = 5000
"""Filled rows per sheet; a team's scenario has tens, so more is a mistake."""
LAST_ROW = 4 * MAX_ROWS
"""The last row read, filled or blank: a sheet that reaches beyond (a runaway sheet, or
a stray value far below the data) is refused rather than scanned row by row."""
LAST_COLUMN = 200
"""The last column read: the widest sheet (Work) has about 60; a value beyond is refused."""


def read_scenario_workbook(path: str | Path, warn: Warn | None = None) -> Scenario:
    """Read and validate a scenario workbook.

    Raises
    ------
    ScenarioError
        With the file, sheet, row and column of the first problem found.
    """
    path = Path(path)
    return parse_scenario(read_workbook_mapping(path), str(path), warn=warn)


def read_workbook_mapping(path: str | Path) -> Located:
    """The workbook as the scenario mapping the YAML reader consumes (not yet validated)."""
    path = Path(path)
    return _Assembler(str(path), _read_sheets(path)).scenario()


# -- cells --------------------------------------------------------------------------


@dataclass
class _Row:
    """One entry: a table row, or one setting of a settings sheet.

    ``values`` and ``names`` are keyed by the layout's column names; ``names``
    gives the column as the reader sees it (a setting's value is in column
    ``value``), for messages.
    """

    cell: str  # "sheet Work, row 7"
    values: dict[str, Any] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def at(self, column: str) -> str:
        return f"{self.cell}, column {self.names.get(column, column)}"

    def get(self, column: str) -> Any:
        return self.values.get(column)


def _read_sheets(path: Path) -> dict[Sheet, list[_Row]]:
    file = str(path)
    by_name = {s.name.lower(): s for s in SHEETS}
    found: dict[Sheet, list[_Row]] = {}
    for read in read_workbook_sheets(path, LAST_ROW, LAST_COLUMN):
        title = read.title
        sheet = by_name.get(title.strip().lower())
        if sheet is None:
            raise ScenarioError(
                file,
                f"sheet {title}",
                "not a sheet of a scenario workbook (they are "
                f"{', '.join(s.name for s in SHEETS)}){did_you_mean(title, by_name)}",
            )
        if sheet in found:
            raise ScenarioError(file, f"sheet {title}", f"a second {sheet.name} sheet")
        found[sheet] = _read_rows(file, sheet, read.rows)
    for sheet in SHEETS:
        if sheet.required and sheet not in found:
            raise ScenarioError(
                file,
                "",
                f"no sheet {sheet.name!r}; a scenario workbook needs "
                f"{', '.join(s.name for s in SHEETS if s.required)} "
                "(`capacity template` writes one to fill in)",
            )
    return found


def _read_rows(file: str, sheet: Sheet, rows: Any) -> list[_Row]:
    header: list[str | None] = []
    known = sheet.columns()
    result: list[_Row] = []
    problems: list[ScenarioError] = []
    for number, cells in enumerate(rows, start=1):
        where = f"sheet {sheet.name}, row {number}"
        beyond = [c for c in cells[LAST_COLUMN:] if c.value is not None]
        if number > LAST_ROW or beyond:
            raise ScenarioError(
                file,
                where if number > LAST_ROW else f"{where}, column {_letter(LAST_COLUMN)}",
                f"beyond the last {'row' if number > LAST_ROW else 'column'} a scenario "
                f"sheet may use ({LAST_ROW:,} rows, {LAST_COLUMN} columns); delete it",
            )
        cells = cells[:LAST_COLUMN]
        if number == 1:
            header = _header(file, sheet, where, cells, known)
            continue
        values: dict[str, Any] = {}
        for index, cell in enumerate(cells):
            with _collect(problems):  # every bad cell of the sheet, not only the first
                value = _cell_value(file, f"{where}, column {_column_name(header, index)}", cell)
                if value is None:
                    continue
                name = header[index] if index < len(header) else None
                if name is None:
                    raise ScenarioError(
                        file,
                        f"{where}, column {_letter(index)}",
                        f"{_shown(value)} is in a column with no heading; "
                        f"name the column (one of {', '.join(known)}) or clear it",
                    )
                values[name] = value
        if not values:
            continue  # blank rows are allowed anywhere
        if len(result) >= MAX_ROWS:
            raise ScenarioError(file, where, f"more than {MAX_ROWS:,} rows in one sheet")
        result.append(_Row(where, values))
    if problems:
        raise ScenarioErrors.of(problems)
    return result


def _header(
    file: str, sheet: Sheet, where: str, cells: Any, known: tuple[str, ...]
) -> list[str | None]:
    header: list[str | None] = []
    for index, cell in enumerate(cells):
        value = _cell_value(file, f"{where}, column {_letter(index)}", cell)
        if value is None:
            header.append(None)
            continue
        name = str(value).strip().lower()
        if name not in known:
            raise ScenarioError(
                file,
                f"{where}, column {_letter(index)}",
                f"unknown column {_shown(value)}{did_you_mean(name, known)}; "
                f"sheet {sheet.name} has {', '.join(known)}",
            )
        if name in header:
            raise ScenarioError(
                file, f"{where}, column {_letter(index)}", f"column {name!r} appears twice"
            )
        header.append(name)
    return header


def _cell_value(file: str, where: str, cell: Any) -> Any:
    """A cell's value as the scenario mapping holds it; ``None`` for an empty cell."""
    value = cell.value
    if value is None:
        return None
    if cell.data_type == "f":
        raise ScenarioError(
            file,
            where,
            f"a formula ({_shown(str(value))}); type the value itself "
            "(capacity reads what is typed, so the plan uses what you see)",
        )
    if cell.data_type == "e":
        raise ScenarioError(file, where, f"an Excel error value {value}; type the value")
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date()  # Excel keeps every date as a date-time
    return value


def _column_name(header: list[str | None], index: int) -> str:
    name = header[index] if index < len(header) else None
    return name or _letter(index)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _shown(value: Any) -> str:
    text = repr(value.isoformat() if isinstance(value, date) else value)
    return text if len(text) <= 40 else text[:37] + "..."


@contextmanager
def _collect(problems: list[ScenarioError]) -> Iterator[None]:
    """Note a problem with one row (or cell) in ``problems``, and go on to the next."""
    try:
        yield
    except ScenarioErrors as exc:
        problems.extend(exc.problems)
    except ScenarioError as exc:
        problems.append(exc)


# -- rows into the scenario mapping -------------------------------------------------------


class _Assembler:
    """Builds the scenario mapping from the rows, joining sheets by their id columns."""

    def __init__(self, file: str, sheets: dict[Sheet, list[_Row]]):
        self.file = file
        self.sheets = sheets
        self.problems: list[ScenarioError] = []  # every bad row, to report all at once

    def located(self, cell: str, cells: dict[str, str] | None = None) -> Located:
        mapping = Located()
        mapping.file, mapping.cell, mapping.cells = self.file, cell, dict(cells or {})
        mapping.key_lines = {}
        return mapping

    def fail(self, where: str, message: str) -> ScenarioError:
        return ScenarioError(self.file, where, message)

    def entries(self, sheet: Sheet) -> list[Located]:
        """Each row of a table sheet as an entry (a bad row noted, and left out)."""
        entries = []
        for row in self.sheets.get(sheet, []):
            with _collect(self.problems):
                entries.append(self.entry(sheet, row))
        return entries

    def scenario(self) -> Located:
        top = self.located(
            "",
            {
                "horizon": f"sheet {ASSUMPTIONS.name}",
                "assumptions": f"sheet {ASSUMPTIONS.name}",
                "pay": f"sheet {FINANCE.name}",
                "team": f"sheet {TEAM.name}",
                "work": f"sheet {WORK.name}",
                "options": f"sheet {OPTIONS.name}",
                "uncertainty": f"sheet {UNCERTAINTY.name}",
            },
        )
        top["horizon"] = self.located(f"sheet {ASSUMPTIONS.name}")
        self.settings(ASSUMPTIONS, top)
        horizon = top.pop("horizon")  # moved after the name and description, as in YAML
        top["horizon"] = horizon
        if "assumptions" in top:
            top["assumptions"] = top.pop("assumptions")
        self.pay(top)
        team, added = self.team()
        top["team"] = team
        top["work"] = self.work()
        top["options"] = self.options(added)
        self.settings(UNCERTAINTY, top)
        if self.problems:
            raise ScenarioErrors.of(self.problems)
        return top

    # -- one row into one mapping --

    def entry(self, sheet: Sheet, row: _Row) -> Located:
        entry = self.located(row.cell)
        for one in sheet.fields:
            if one.path:
                self.put(entry, one.path, one, row)
        return entry

    def put(self, holder: Located, path: tuple[str, ...], one: Field, row: _Row) -> None:
        """Put the field's value at ``path`` under ``holder``, with the cells to blame."""
        value = self.value(one, row)
        first = row.at(one.columns()[0])
        for key in path[:-1]:
            if key not in holder:
                if value is None:
                    break
                holder[key] = self.located(first)
                holder.cells = {**(holder.cells or {}), key: first}
            holder = holder[key]
        else:
            key = path[-1]
            assert holder.cells is not None
            holder.cells.update(self.blame(one, row, key))
            if value is not None:
                holder[key] = value

    def blame(self, one: Field, row: _Row, key: str) -> dict[str, str]:
        """The cells an error at ``key`` (or one end of its range) points at."""
        columns = one.value_columns()
        cells = {key: row.at(columns[0]), f"{key}[0]": row.at(columns[0])}
        if one.kind is Kind.RANGE:
            cells[f"{key}[1]"] = row.at(columns[1])
            if row.get(columns[1]) is not None:
                low, high = (row.names.get(c, c) for c in columns)
                cells[key] = f"{row.cell}, columns {low} and {high}"
        return cells

    def value(self, one: Field, row: _Row) -> Any:
        """The field's value as YAML would give it: bare, ``[low, high]`` or ``{value: ...}``."""
        columns = one.columns()
        if one.kind is Kind.FLAG:
            value = row.get(columns[0])
            if isinstance(value, str) and value.strip().lower() in (YES, NO):
                return value.strip().lower() == YES
            return value
        if one.kind is Kind.WORDS:
            value = row.get(columns[0])
            if isinstance(value, str):  # "lead, officer" or "lead; officer"
                return [word.strip() for word in re.split(r"[;,]", value) if word.strip()]
            return value
        if one.kind is Kind.TEXT:
            return row.get(columns[0])
        low = row.get(columns[0])
        value = low
        if one.kind is Kind.RANGE:
            high = row.get(columns[1])
            if low is None and high is not None:
                raise self.fail(
                    row.at(columns[0]),
                    f"empty, but {row.names.get(columns[1], columns[1])} is given; "
                    f"a range needs both ends (one value: fill in only "
                    f"{row.names.get(columns[0], columns[0])})",
                )
            value = low if high is None else [low, high]
        source, assumption = row.get(columns[-2]), row.get(columns[-1])
        if source is None and assumption is None:
            return value
        wrapped = self.located(row.at(columns[0]), self.blame(one, row, "value"))
        assert wrapped.cells is not None
        wrapped.cells.update(source=row.at(columns[-2]), assumption=row.at(columns[-1]))
        if value is not None:
            wrapped["value"] = value
        for key, given in (("source", source), ("assumption", assumption)):
            if given is not None:
                wrapped[key] = given
        if isinstance(assumption, str) and assumption.startswith(DERIVED_PREFIX):
            wrapped.pop("assumption")
            wrapped["derived"] = assumption.removeprefix(DERIVED_PREFIX)
            wrapped.cells.update(derived=row.at(columns[-1]))
        return wrapped

    # -- settings sheets --

    def settings(self, sheet: Sheet, top: Located) -> None:
        rows: dict[str, _Row] = {}
        names = [f.column for f in sheet.fields]
        for given in self.sheets.get(sheet, []):
            with _collect(self.problems):  # a bad row: noted, and on to the next
                setting = given.get("setting")
                if setting is None:
                    raise self.fail(
                        given.at("setting"), f"empty; name the setting (one of {', '.join(names)})"
                    )
                name = str(setting).strip().lower()
                if name not in names:
                    raise self.fail(
                        given.at("setting"),
                        f"unknown setting {_shown(setting)}{did_you_mean(name, names)}; "
                        f"sheet {sheet.name} has {', '.join(names)}",
                    )
                if name in rows:
                    raise self.fail(given.at("setting"), f"{name!r} is set twice")
                rows[name] = given
        for one in sheet.fields:
            with _collect(self.problems):  # a bad row: noted, and on to the next
                row = rows.get(one.column)
                setting = _Row(row.cell if row else f"sheet {sheet.name}, setting {one.column}")
                # the setting's cells under the field's own names: availability_low is "value"
                for column, shown in zip(one.columns(), one.setting_columns(), strict=True):
                    setting.names[column] = shown
                    setting.values[column] = row.get(shown) if row else None
                unused = [c for c in SETTING_COLUMNS[1:] if c not in one.setting_columns()]
                for column in unused:
                    if row is not None and row.get(column) is not None:
                        why = (
                            "only numbers and dates say where they come from"
                            if column in ("source", "assumption")
                            else "only a range has a high end"
                        )
                        raise self.fail(row.at(column), f"{one.column} takes no {column}: {why}")
                self.put(top, one.path, one, setting)

    # -- finance --

    def pay(self, top: Located) -> None:
        pay = self.located(f"sheet {FINANCE.name}")
        pay.cells = {"grades": f"sheet {GRADES.name}", "stated": f"sheet {STATED.name}"}
        top["pay"] = pay
        self.settings(FINANCE, top)
        grades = self.located(f"sheet {GRADES.name}")
        salary = GRADES.field("salary")
        for row in self.sheets.get(GRADES, []):
            with _collect(self.problems):  # a bad row: noted, and on to the next
                grade = row.get("grade")
                if grade is None:
                    raise self.fail(row.at("grade"), "empty; name the grade, e.g. F")
                name = str(grade).strip()
                if name in grades:
                    raise self.fail(row.at("grade"), f"grade {name!r} appears twice")
                self.put(grades, (name,), salary, row)
        if grades:
            settings = dict(pay)  # grades first, as the YAML format lists them
            pay.clear()
            pay.update(grades=grades, **settings)
        stated = self.entries(STATED)
        if stated:
            pay["stated"] = stated
        if not pay:
            del top["pay"]

    # -- team, options and their changes --

    def team(self) -> tuple[list[Located], dict[tuple[str, str], tuple[Located, _Row]]]:
        base: list[Located] = []
        added: dict[tuple[str, str], tuple[Located, _Row]] = {}
        option_ids = {str(r.get("id")) for r in self.sheets.get(OPTIONS, []) if r.get("id")}
        for row in self.sheets.get(TEAM, []):
            with _collect(self.problems):  # a bad row: noted, and on to the next
                entry = self.entry(TEAM, row)
                option = row.get("option")
                if option is None:
                    for only_new in ("start", "recruitment_gap"):
                        if only_new in entry:
                            raise self.fail(
                                entry.cell_of(only_new),
                                f"{only_new} is only for a new post an option adds; "
                                "give the option in column option, or clear it",
                            )
                    base.append(entry)
                    continue
                key = (self.option_id_of(row, "option", option_ids), str(entry.get("id")))
                if key in added:
                    raise self.fail(row.at("id"), f"option {key[0]!r} adds a post {key[1]!r} twice")
                added[key] = (entry, row)
        for row in self.sheets.get(ABSENCES, []):
            with _collect(self.problems):  # a bad row: noted, and on to the next
                absence = self.entry(ABSENCES, row)
                staff, option = row.get("staff"), row.get("option")
                if staff is None:
                    raise self.fail(row.at("staff"), "empty; give the post's id (sheet Team)")
                if option is None:
                    ids = [str(e.get("id")) for e in base]
                    if str(staff) not in ids:
                        raise self.fail(
                            row.at("staff"),
                            f"no post {staff!r} in the base team (sheet Team)"
                            f"{did_you_mean(str(staff), ids)}",
                        )
                    person = base[ids.index(str(staff))]
                else:
                    if (str(option), str(staff)) not in added:
                        raise self.fail(
                            row.at("staff"),
                            f"option {option!r} adds no post {staff!r} (sheet Team)",
                        )
                    person = added[(str(option), str(staff))][0]
                person.setdefault("absences", []).append(absence)
                assert person.cells is not None
                person.cells.setdefault("absences", row.at("staff"))
        return base, added

    def options(self, added: dict[tuple[str, str], tuple[Located, _Row]]) -> list[Located]:
        options = self.entries(OPTIONS)
        by_id = {str(o["id"]): o for o in reversed(options) if "id" in o}  # the first wins
        unlisted = dict(added)
        for row in self.sheets.get(CHANGES, []):
            with _collect(self.problems):  # a bad row: noted, and on to the next
                option = self.option_of(row, "option", by_id)
                kind = row.get("change")
                if kind not in CHANGE_KINDS:
                    raise self.fail(
                        row.at("change"),
                        f"{_shown(kind)} is not one of {', '.join(CHANGE_KINDS)}"
                        + did_you_mean(str(kind), CHANGE_KINDS),
                    )
                staff = row.get("staff")
                if staff is None:
                    raise self.fail(row.at("staff"), "empty; give the post's id (sheet Team)")
                if kind == "add":
                    change = self.addition(row, str(option["id"]), str(staff), unlisted)
                else:
                    on = "on" if kind == "end" else "to"
                    change = self.located(
                        row.cell,
                        {
                            kind: row.at("staff"),
                            on: row.at("date"),
                            "source": row.at("source"),
                            "assumption": row.at("assumption"),
                        },
                    )
                    change[kind] = staff
                    for key, column in (
                        (on, "date"),
                        ("source", "source"),
                        ("assumption", "assumption"),
                    ):
                        if row.get(column) is not None:
                            change[key] = row.get(column)
                option.setdefault("changes", []).append(change)
                assert option.cells is not None
                option.cells.setdefault("changes", row.at("change"))
        for post, row in unlisted.values():  # a new post Changes does not list: added last
            with _collect(self.problems):
                option = self.option_of(row, "option", by_id)
                change = self.located(row.cell, {"add": row.cell})
                change["add"] = post
                option.setdefault("changes", []).append(change)
        return options

    def option_of(self, row: _Row, column: str, by_id: dict[str, Located]) -> Located:
        return by_id[self.option_id_of(row, column, by_id)]

    def option_id_of(self, row: _Row, column: str, option_ids: Collection[str]) -> str:
        """The option id in the row's ``column``, which must be one of sheet Options."""
        option = row.get(column)
        if option is None or str(option) not in option_ids:
            hint = did_you_mean(str(option), option_ids)
            raise self.fail(
                row.at(column),
                f"no option {_shown(option)} in sheet Options{hint}"
                if option is not None
                else "empty; give the option's id (sheet Options)",
            )
        return str(option)

    def addition(
        self,
        row: _Row,
        option_id: str,
        staff: str,
        unlisted: dict[tuple[str, str], tuple[Located, _Row]],
    ) -> Located:
        for column in ("date", "source", "assumption"):
            if row.get(column) is not None:
                raise self.fail(
                    row.at(column),
                    f"an 'add' takes its {column} from the new post's row in sheet Team; "
                    "clear this cell",
                )
        if (option_id, staff) not in unlisted:
            raise self.fail(
                row.at("staff"),
                f"no new post {staff!r} for option {option_id!r} in sheet Team, or it is "
                "added twice (a new post is a Team row with the option's id in column option)",
            )
        post, _ = unlisted.pop((option_id, staff))
        change = self.located(row.cell, {"add": row.at("staff")})
        change["add"] = post
        return change

    # -- work, its dependencies and post-award delivery --

    def work(self) -> list[Located]:
        work = self.entries(WORK)
        by_id = {str(w["id"]): w for w in reversed(work) if "id" in w}
        for row in self.sheets.get(DEPENDENCIES, []):
            with _collect(self.problems):  # a bad row: noted, and on to the next
                item = self.item_of(row, "item", by_id)  # its 'after' is checked by the domain
                after = self.entry(DEPENDENCIES, row)
                item.setdefault("after", []).append(after)
                assert item.cells is not None
                item.cells.setdefault("after", row.at("after"))
        for row in self.sheets.get(POST_AWARD, []):
            with _collect(self.problems):  # a bad row: noted, and on to the next
                bid = self.item_of(row, "bid", by_id)
                if "post_award" in bid:
                    raise self.fail(row.at("bid"), f"{bid['id']!r} already has a post-award row")
                bid["post_award"] = self.entry(POST_AWARD, row)
                assert bid.cells is not None
                bid.cells["post_award"] = row.cell
        return work

    def item_of(self, row: _Row, column: str, by_id: dict[str, Located]) -> Located:
        item = row.get(column)
        if item is None:
            raise self.fail(row.at(column), "empty; give a work item's id (sheet Work)")
        if str(item) not in by_id:
            raise self.fail(
                row.at(column),
                f"no work item {_shown(item)} in sheet Work{did_you_mean(str(item), by_id)}",
            )
        return by_id[str(item)]
