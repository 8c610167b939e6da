"""Scenario workbooks: the template, reading a workbook, conversion both ways, and bad cells.

Every workbook here is made in the test (from the template, then edited with
openpyxl), so no binary is committed.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import REPOSITORY, START, hand_built_plan
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from capacity.cli import cli
from capacity.domain import ProvenanceKind, Scenario
from capacity.outputs.scenario_files import convert_scenario, write_template
from capacity.outputs.workbook import written_by_capacity
from capacity.readers import load_scenario
from capacity.readers.workbook_layout import SHEETS, UNCERTAINTY, Kind
from capacity.schema import models

SCENARIOS = sorted((REPOSITORY / "scenarios").glob("*.yaml"))


def run(*args: object) -> Any:
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "team.xlsx"
    write_template(path)
    return path


def columns(sheet: Worksheet) -> dict[str, int]:
    return {str(c.value): c.column for c in sheet[1] if c.value is not None}


def comparable(scenario: Scenario) -> Scenario:
    """The scenario less where it was read from: the file, and a what-if's list of changes
    (a converted what-if is one self-contained file, so it has none)."""
    return dataclasses.replace(scenario, source_file="", what_ifs=())


def register(scenario: Scenario) -> list[tuple[str, str, object]]:
    """Every number's key path, value as written and provenance (not its file)."""
    return [(e.place, e.value, e.provenance) for e in scenario.provenance]


def cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


# -- the template ------------------------------------------------------------------------------


def test_template_has_every_sheet_with_notes_frozen_headings_and_an_example(
    template: Path,
) -> None:
    book = load_workbook(template)
    assert book.sheetnames == [s.name for s in SHEETS]
    assert book.sheetnames[:5] == ["Team", "Work", "Options", "Assumptions", "Finance"]
    for sheet in SHEETS:
        ws = book[sheet.name]
        assert [c.value for c in ws[1]] == list(sheet.columns()), sheet.name
        assert all(c.comment and len(c.comment.text) > 10 for c in ws[1]), sheet.name
        assert ws.freeze_panes == "B2"
        assert ws.max_row >= 2, f"{sheet.name} has no example row"
    settings = book["Uncertainty"]
    assert [r[0] for r in settings.iter_rows(min_row=2, values_only=True)] == [
        f.column for f in UNCERTAINTY.fields
    ]  # every setting listed, empty (the default) in the template
    assert all(c.comment for c in settings["A"][1:])


def test_template_has_drop_downs_and_number_checks(template: Path) -> None:
    book = load_workbook(template)

    def checks(sheet: str, column: str) -> list[Any]:
        letter = book[sheet].cell(1, columns(book[sheet])[column]).column_letter
        return [
            dv
            for dv in book[sheet].data_validations.dataValidation
            if any(str(r).startswith(f"{letter}2:") for r in dv.sqref.ranges)
        ]

    (kind,) = checks("Work", "kind")
    assert kind.type == "list" and '"tender,needs assessment,bid' in kind.formula1
    (mandatory,) = checks("Work", "mandatory")
    assert mandatory.formula1 == '"yes,no"'
    (skill,) = checks("Work", "skill")
    assert skill.formula1 == '"lead,officer"' and skill.errorStyle == "warning"  # may add new
    (priority,) = checks("Work", "priority")
    assert priority.formula1 == '"high,medium,low"' and priority.errorStyle != "warning"
    (handover,) = checks("Work", "handover")
    assert "monthly" in handover.formula1
    for sheet, column in (("Team", "fte"), ("Work", "load_low"), ("Work", "load_high")):
        (number,) = checks(sheet, column)
        assert (number.type, number.formula1, number.formula2) == ("decimal", "0", "1")


def test_template_is_a_valid_scenario_whose_numbers_all_say_where_they_come_from(
    template: Path,
) -> None:
    scenario = load_scenario(template)
    assert [m.id for m in scenario.team] == ["manager", "officer"]
    assert {o.id for o in scenario.options} == {"lapse", "extend", "recruit"}
    assert scenario.item("bid-1-award").committed_to == "bid-1"  # the Post-award sheet
    assert scenario.item("tender").after[0].item == "needs-assessment"  # Dependencies
    assert scenario.team[1].absences  # Absences
    assert scenario.pay.stated and scenario.pay.grades  # Stated figures, Grades
    bare = [e.place for e in scenario.provenance if e.provenance.kind is ProvenanceKind.INPUT]
    assert bare == []


def test_template_is_the_same_bytes_every_time(tmp_path: Path, template: Path) -> None:
    again = tmp_path / "again.xlsx"
    write_template(again)
    assert again.read_bytes() == template.read_bytes()


def test_template_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = tmp_path / "team.xlsx"
    assert run("template", path).exit_code == 0
    path.write_bytes(b"someone's filled-in workbook")
    result = run("template", path)
    assert result.exit_code == 2 and "exists" in result.output and "--force" in result.output
    assert path.read_bytes() == b"someone's filled-in workbook"
    assert run("template", path, "--force").exit_code == 0
    assert load_scenario(path).options
    assert run("template", tmp_path / "team.csv").exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["team.xlsx"]  # no staging file left


def test_export_never_takes_a_scenario_workbook_for_its_own(template: Path) -> None:
    assert not written_by_capacity(template)  # so `export --out team.xlsx` needs --force


# -- a filled-in template, end to end ----------------------------------------------------------


def fill(ws: Worksheet, rows: list[dict[str, object]]) -> None:
    """Replace the sheet's example rows with ``rows`` (by column name)."""
    ws.delete_rows(2, ws.max_row)
    where = columns(ws)
    for number, row in enumerate(rows, start=2):
        for name, value in row.items():
            ws.cell(number, where[name], value)


def test_a_filled_in_template_compares_options_end_to_end(tmp_path: Path, template: Path) -> None:
    book = load_workbook(template)
    end = START + timedelta(weeks=4, days=-1)
    fill(
        book["Assumptions"],
        [
            {"setting": "scenario", "value": "Tiny team"},
            {"setting": "horizon_start", "value": START, "source": "para 1"},
            {"setting": "horizon_end", "value": end, "source": "para 1"},
            {"setting": "availability", "value": 1, "assumption": "No leave in four weeks"},
        ],
    )
    fill(
        book["Team"],
        [
            {"id": "ann", "role": "Officer", "fte": 1, "skills": "officer"},
            {
                "id": "bob",
                "role": "Officer",
                "fte": 0.5,
                "skills": "officer",
                "option": "hire",
                "start": START,
            },
        ],
    )
    fill(
        book["Work"],
        [
            {
                "id": "big",
                "name": "Big",
                "kind": "project",
                "load_low": 1,
                "duration_low": "4 weeks",
                "skill": "officer",
                "priority": "high",
            },
            {
                "id": "small",
                "name": "Small",
                "kind": "review",
                "load_low": 0.5,
                "duration_low": "4 weeks",
                "skill": "officer",
                "mandatory": "no",
            },
        ],
    )
    fill(book["Options"], [{"id": "as-is", "name": "As is"}, {"id": "hire", "name": "Hire Bob"}])
    for name in ("Finance", "Grades", "Stated figures", "Changes", "Absences", "Dependencies"):
        fill(book[name], [])
    fill(book["Post-award"], [])
    filled = tmp_path / "tiny.xlsx"
    book.save(filled)

    out = tmp_path / "out"
    result = run("compare", filled, "--out", out, "--time-limit", "10")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "comparison.csv").set_index("option_id")
    assert table.loc["as-is", "unmet_fte_weeks"] == pytest.approx(2.0)  # small: 0.5 x 4 weeks
    assert table.loc["hire", "unmet_fte_weeks"] == pytest.approx(0.0)  # Bob takes it


# -- conversion: lossless both ways -------------------------------------------------------------


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_yaml_to_workbook_to_yaml_is_lossless(path: Path, tmp_path: Path) -> None:
    workbook, back = tmp_path / "scenario.xlsx", tmp_path / "scenario.yaml"
    assert run("convert", path, workbook).exit_code == 0
    assert run("convert", workbook, back).exit_code == 0
    original = load_scenario(path)
    for converted in (load_scenario(workbook), load_scenario(back)):
        assert comparable(converted) == comparable(original)
        assert register(converted) == register(original)  # every number's provenance kept
        assert converted.uncertainty.provenance == original.uncertainty.provenance
    assert "extends" not in back.read_text(encoding="utf-8")  # one self-contained file


def test_workbook_to_yaml_to_workbook_is_stable(tmp_path: Path) -> None:
    first, text, second = tmp_path / "a.xlsx", tmp_path / "a.yaml", tmp_path / "b.xlsx"
    convert_scenario(SCENARIOS[0], first)
    convert_scenario(first, text)
    convert_scenario(text, second)
    assert cells(second) == cells(first)
    assert second.read_bytes() == first.read_bytes()


def test_the_template_survives_a_round_trip(tmp_path: Path, template: Path) -> None:
    convert_scenario(template, tmp_path / "t.yaml")
    convert_scenario(tmp_path / "t.yaml", tmp_path / "t.xlsx")
    assert cells(tmp_path / "t.xlsx") == cells(template)


def test_an_uncertainty_section_survives_the_round_trip(tmp_path: Path) -> None:
    source = tmp_path / "risky.yaml"
    base = (REPOSITORY / "scenarios" / "staffing-options-2021-22.yaml").as_posix()
    source.write_text(
        f"extends: {base}\n"
        "uncertainty:\n"
        "  ranges: {value: triangular, assumption: Most likely in the middle of a range}\n"
        "  bids: {win_probability: {value: 0.7, source: para 11a}}\n"
        "  recruitment: {external_induction: {weeks: 6 weeks, capacity: [0.4, 0.6]}}\n"
        "  absence: {probability: 20%, length: 3-5 weeks}\n",
        encoding="utf-8",
    )
    convert_scenario(source, tmp_path / "risky.xlsx")
    convert_scenario(tmp_path / "risky.xlsx", tmp_path / "back.yaml")
    original, back = load_scenario(source), load_scenario(tmp_path / "back.yaml")
    assert back.uncertainty == original.uncertainty
    assert back.uncertainty.provenance == original.uncertainty.provenance
    assert str(original.uncertainty.range_distribution) == "triangular"


def test_convert_refuses_to_overwrite_or_to_write_the_input(tmp_path: Path) -> None:
    target = tmp_path / "options.xlsx"
    target.write_bytes(b"keep me")
    result = run("convert", SCENARIOS[0], target)
    assert result.exit_code == 2 and "--force" in result.output
    assert target.read_bytes() == b"keep me"
    assert run("convert", SCENARIOS[0], target, "--force").exit_code == 0
    assert load_scenario(target).options
    before = target.read_bytes()
    result = run("convert", target, target, "--force")
    assert result.exit_code == 2 and target.read_bytes() == before
    result = run("convert", SCENARIOS[0], tmp_path / "options.yaml")  # YAML to YAML
    assert result.exit_code == 2 and ".xlsx" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["options.xlsx"]


def test_convert_writes_nothing_for_a_bad_scenario(tmp_path: Path) -> None:
    bad = REPOSITORY / "tests" / "data" / "bad" / "misspelt-key.yaml"
    result = run("convert", bad, tmp_path / "bad.xlsx")
    assert result.exit_code == 2 and "did you mean 'load'" in result.output
    assert list(tmp_path.iterdir()) == []


def test_the_layout_covers_every_key_of_the_schema() -> None:
    """A field added to the schema but not to the workbook would be lost in conversion."""
    paths = {f.path for s in SHEETS for f in s.fields}
    sheets = {s.name: {f.path[0] for f in s.fields if f.path} for s in SHEETS}
    joined = {"Team": {"absences"}, "Work": {"after", "post_award"}, "Options": {"changes"}}
    for sheet, model in (
        ("Team", models.NewPost),
        ("Work", models.Work),
        ("Post-award", models.PostAward),
        ("Options", models.Option),
        ("Stated figures", models.Stated),
        ("Absences", models.Absence),
    ):
        assert keys(model) <= sheets[sheet] | joined.get(sheet, set()), sheet
    for prefix, model in (
        (("contract",), models.Contract),
        (("induction",), models.Induction),
        (("horizon",), models.Horizon),
        (("assumptions",), models.Assumptions),
        (("pay", "award"), models.Award),
        (("pay", "on_costs"), models.OnCosts),
    ):
        assert {(*prefix, k) for k in keys(model)} <= paths, prefix
    tops = {p[0] for p in paths if p} | {"team", "work", "options", "pay"}
    assert keys(models.ScenarioFile) <= tops
    uncertainty = {p[1] for p in paths if len(p) > 1 and p[0] == "uncertainty"}
    assert uncertainty >= keys(models.Uncertainty)
    kinds = {f.kind for s in SHEETS for f in s.fields}
    assert kinds == set(Kind)


def keys(model: Any) -> set[str]:
    return {f.alias or name for name, f in model.model_fields.items()}


# -- bad cells -----------------------------------------------------------------------------------


def set_cell(sheet: str, row: int, column: str, value: object) -> Callable[[Any], None]:
    def edit(book: Any) -> None:
        ws = book[sheet]
        ws.cell(row, columns(ws)[column]).value = value  # cell(r, c, None) would leave it

    return edit


def setting(sheet: str, name: str, column: str, value: object) -> Callable[[Any], None]:
    def edit(book: Any) -> None:
        ws = book[sheet]
        row = next(c.row for c in ws["A"] if c.value == name)
        ws.cell(row, columns(ws)[column]).value = value  # cell(r, c, None) would leave it

    return edit


def rename_column(sheet: str, column: str, new: str) -> Callable[[Any], None]:
    def edit(book: Any) -> None:
        book[sheet].cell(1, columns(book[sheet])[column], new)

    return edit


def both(*edits: Callable[[Any], None]) -> Callable[[Any], None]:
    def edit(book: Any) -> None:
        for one in edits:
            one(book)

    return edit


def far_below(book: Any) -> None:
    book["Work"].cell(30_000, 1).value = "a stray value far below the data"


def far_right(book: Any) -> None:
    book["Work"].cell(3, 300).value = "a stray value far right of the data"


def add_sheet(book: Any) -> None:
    book.create_sheet("Notes")["A1"] = "my notes"


def drop_options(book: Any) -> None:
    del book["Options"]


BAD_CELLS = [
    # a word where a number belongs
    (
        set_cell("Work", 4, "load_high", "lots"),
        "sheet Work, row 4, column load_high",
        "not a number",
    ),
    # more than a whole person
    (set_cell("Work", 2, "load_low", 1.5), "sheet Work, row 2, column load_low", "at most 1 FTE"),
    # a required cell left empty
    (set_cell("Work", 3, "name", None), "sheet Work, row 3, column name", "missing 'name'"),
    # a skill no one has (a typing error)
    (
        set_cell("Work", 4, "skill", "leed"),
        "sheet Work, row 4, column skill",
        "did you mean 'lead'",
    ),
    # a date written the British way, as text
    (
        set_cell("Work", 4, "deadline", "31/03/2025"),
        "sheet Work, row 4, column deadline",
        "is not a date",
    ),
    # a date with a time of day
    (
        set_cell("Work", 5, "release", datetime(2024, 5, 1, 9, 30)),
        "sheet Work, row 5, column release",
        "without a time",
    ),
    # a formula: its value is not read, so it is refused
    (set_cell("Team", 2, "fte", "=0.5*2"), "sheet Team, row 2, column fte", "formula"),
    # an unknown kind of work
    (
        set_cell("Work", 4, "kind", "tendr"),
        "sheet Work, row 4, column kind",
        "did you mean 'tender'",
    ),
    # neither yes nor no
    (set_cell("Work", 2, "mandatory", "maybe"), "sheet Work, row 2, column mandatory", "yes or no"),
    # both a source and an assumption for one number
    (
        set_cell("Work", 4, "load_assumption", "A guess made up for the test"),
        "sheet Work, row 4, column load_source",
        "not both",
    ),
    # a range upside down
    (
        set_cell("Work", 4, "load_low", 0.9),
        "sheet Work, row 4, columns load_low and load_high",
        "above high",
    ),
    # the high end of a range without its low end
    (
        set_cell("Work", 2, "duration_high", "3 weeks"),
        "sheet Work, row 2, column duration_low",
        "a range needs both ends",
    ),
    # a duration without its unit
    (
        set_cell("Work", 3, "duration_low", 3),
        "sheet Work, row 3, column duration_low",
        "not a duration",
    ),
    # a misspelt heading
    (
        rename_column("Work", "load_low", "lod_low"),
        "sheet Work, row 1, column D",
        "did you mean 'load_low'",
    ),
    # a sheet that is not part of the format
    (add_sheet, "sheet Notes", "not a sheet of a scenario workbook"),
    # a required sheet deleted
    (drop_options, "team.xlsx: no sheet 'Options'", "capacity template"),
    # a dependency on an item that does not exist
    (
        set_cell("Dependencies", 2, "after", "needs-assesment"),
        "sheet Dependencies, row 2, column after",
        "did you mean 'needs-assessment'",
    ),
    # a change for an option that does not exist
    (
        set_cell("Changes", 2, "option", "extnd"),
        "sheet Changes, row 2, column option",
        "did you mean 'extend'",
    ),
    # a grade with no salary
    (set_cell("Team", 3, "grade", "G"), "sheet Team, row 3, column grade", "no salary for grade"),
    # a stated figure for an option that does not exist
    (
        set_cell("Stated figures", 2, "option", "option-9"),
        "sheet Stated figures, row 2, column option",
        "unknown option 'option-9'",
    ),
    # availability above one, on a settings sheet
    (
        setting("Assumptions", "availability", "value", 1.2),
        "sheet Assumptions, row 7, column value",
        "at most 1",
    ),
    # the horizon ends before it starts
    (
        setting("Assumptions", "horizon_end", "value", datetime(2023, 1, 1)),
        "sheet Assumptions, row 5, column value",
        "is not after the start",
    ),
    # a setting that does not exist
    (
        setting("Finance", "pro_rata", "setting", "pro rata"),
        "sheet Finance, row 2, column setting",
        "did you mean 'pro_rata'",
    ),
    # a source for a setting that is text, not a number
    (
        setting("Assumptions", "point", "source", "para 3"),
        "sheet Assumptions, row 8, column source",
        "only numbers and dates",
    ),
    # a word where a probability belongs, on the Uncertainty sheet
    (
        setting("Uncertainty", "absence_probability", "value", "not a number"),
        "sheet Uncertainty, row 9, column value",
        "not a number",
    ),
    # a probability above one (refused by the domain, located all the same)
    (
        setting("Uncertainty", "absence_probability", "value", 1.5),
        "sheet Uncertainty, row 9, column value",
        "between 0 and 1",
    ),
    # a new-post start date on a base-team row
    (
        set_cell("Team", 2, "start", datetime(2024, 4, 1)),
        "sheet Team, row 2, column start",
        "only for a new post",
    ),
    # an absence for someone not in the team
    (
        set_cell("Absences", 2, "staff", "oficer"),
        "sheet Absences, row 2, column staff",
        "did you mean 'officer'",
    ),
    # an induction capacity above one: its own cell, not the induction's first
    (
        set_cell("Team", 4, "induction_capacity_low", 1.5),
        "sheet Team, row 4, column induction_capacity_low",
        "at most 1",
    ),
    # a new post for an option that does not exist: blamed on its Team row, not on Changes
    (
        set_cell("Team", 4, "option", "recrut"),
        "sheet Team, row 4, column option",
        "no option 'recrut' in sheet Options (did you mean 'recruit'?)",
    ),
    # two posts with one id: the second is blamed, by its row
    (
        both(
            set_cell("Team", 3, "id", "manager"),
            set_cell("Absences", 2, "staff", "manager"),  # the rest of the workbook follows it,
            set_cell("Changes", 2, "staff", "manager"),  # so the repeated id is the one problem
            set_cell("Stated figures", 2, "post", "manager"),
        ),
        "sheet Team, row 3, column id",
        "'manager' is used twice",
    ),
    # a source without the number it is the source of
    (
        both(set_cell("Work", 4, "load_low", None), set_cell("Work", 4, "load_high", None)),
        "sheet Work, row 4, column load_low",
        "empty: give the value (a source or assumption alone is not one)",
    ),
    # a setting with a source but no value
    (
        setting("Assumptions", "horizon_end", "value", None),
        "sheet Assumptions, row 5, column value",
        "empty: give the value",
    ),
    # an 'end' change without its date
    (
        both(set_cell("Changes", 2, "change", "end"), set_cell("Changes", 2, "date", None)),
        "sheet Changes, row 2, column date",
        "an 'end' change needs a date",
    ),
    # skills that are not words: said in a workbook's terms
    (
        set_cell("Team", 2, "skills", 5),
        "sheet Team, row 2, column skills",
        "must be skills separated by commas, e.g. lead, officer, not 5",
    ),
    # mandatory neither yes nor no, with no YAML key path in the message
    (
        set_cell("Work", 2, "mandatory", 3),
        "sheet Work, row 2, column mandatory: must be yes or no, not 3",
        "",
    ),
    # a runaway sheet is refused before it is scanned
    (far_below, "sheet Work", "reaches 30,000 rows"),
    (far_right, "sheet Work", "reaches 300 columns"),
]


@pytest.mark.parametrize(
    ("edit", "where", "what"), BAD_CELLS, ids=[f"{w}: {m}" for _, w, m in BAD_CELLS]
)
def test_a_bad_cell_gives_one_line_naming_sheet_row_and_column(
    edit: Callable[[Any], None], where: str, what: str, tmp_path: Path, template: Path
) -> None:
    book = load_workbook(template)
    edit(book)
    path = tmp_path / "team.xlsx"
    book.save(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    out = tmp_path / "out"
    result = run("compare", path, "--out", out)
    message = result.output.strip()
    assert result.exit_code == 2, message
    assert isinstance(result.exception, SystemExit)  # a deliberate exit, not a crash
    assert len(message.splitlines()) == 1, message
    assert message.startswith(f"Error: {path}: ")
    assert where in message and what in message, message
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["team.xlsx"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_a_folder_named_like_a_workbook_is_told_to_give_a_workbook(tmp_path: Path) -> None:
    folder = tmp_path / "team.xlsx"
    folder.mkdir()
    result = run("validate", folder)
    assert result.exit_code == 2
    assert "is a folder; give the scenario's .xlsx workbook" in result.output


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "team.xlsx"
    fake.write_text("id,name\nann,Ann\n", encoding="utf-8")
    result = run("validate", fake)
    assert result.exit_code == 2 and "is not an Excel workbook" in result.output
    old = tmp_path / "team.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    result = run("validate", old)
    assert result.exit_code == 2 and "save it as an .xlsx workbook" in result.output


@pytest.mark.parametrize("command", ["validate", "assumptions", "plan", "finance", "export"])
def test_every_command_reads_a_workbook(command: str, tmp_path: Path, template: Path) -> None:
    book = load_workbook(template)
    set_cell("Work", 4, "load_high", "lots")(book)
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    args: list[object] = [command, bad]
    if command == "plan":
        args += ["--option", "lapse"]
    if command in ("plan", "finance", "export"):
        args += ["--out", tmp_path / ("out.xlsx" if command == "export" else "out")]
    result = run(*args)
    assert result.exit_code == 2 and "sheet Work, row 4, column load_high" in result.output
    if command in ("validate", "assumptions"):
        assert run(command, template).exit_code == 0


# -- a workbook a manager can fill in ------------------------------------------------------------


def test_a_new_post_is_entered_once_in_sheet_team(template: Path) -> None:
    book = load_workbook(template)
    changes = [r for r in book["Changes"].iter_rows(min_row=2, values_only=True) if any(r)]
    assert [r[1] for r in changes] == ["extend"]  # no 'add' row repeating the Team row
    team = {r[0]: r for r in book["Team"].iter_rows(min_row=2, values_only=True)}
    assert team["new-officer"][columns(book["Team"])["option"] - 1] == "recruit"
    assert "new-officer" in {
        m.id
        for c in load_scenario(template).option("recruit").changes
        for m in [getattr(c, "member", None)]
        if m
    }


def test_id_drop_downs_list_the_workbooks_own_ids(template: Path) -> None:
    book = load_workbook(template)
    ws = book["Changes"]
    formulas = {
        str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation
    }
    assert formulas["A2"] == "Options!$A$2:$A$5001"  # the Options sheet's ids, as they change
    assert formulas["C2"] == "Team!$A$2:$A$5001"


def test_team_and_work_show_the_usual_columns_and_fold_the_rest(template: Path) -> None:
    book = load_workbook(template)
    for sheet, visible, folded in (
        ("Team", ["id", "name", "role", "fte", "skills", "grade", "option"], ["notes"]),
        ("Work", ["id", "name", "kind", "load_low", "deadline", "mandatory"], ["notes", "with"]),
    ):
        ws = book[sheet]
        hidden = set()
        for dimension in ws.column_dimensions.values():
            if dimension.hidden and dimension.outline_level:
                hidden |= set(range(dimension.min, dimension.max + 1))
        at = columns(ws)
        assert not {at[c] for c in visible} & hidden, sheet
        assert {at[c] for c in folded} <= hidden, sheet
        assert at[visible[-1]] < at[folded[0]], sheet  # the usual ones come first


def test_skills_separated_by_semicolons_are_split(tmp_path: Path, template: Path) -> None:
    book = load_workbook(template)
    set_cell("Team", 2, "skills", "lead; officer")(book)
    path = tmp_path / "team.xlsx"
    book.save(path)
    assert load_scenario(path).team[0].skills == frozenset({"lead", "officer"})


def test_a_likely_slip_in_a_workbook_is_a_warning_naming_its_row(
    tmp_path: Path, template: Path
) -> None:
    book = load_workbook(template)
    set_cell("Absences", 2, "start", datetime(2030, 5, 27))(book)
    set_cell("Absences", 2, "end", datetime(2030, 6, 7))(book)
    path = tmp_path / "team.xlsx"
    book.save(path)
    result = run("validate", path)
    assert result.exit_code == 0, result.output
    assert f"Warning: {path}: sheet Absences, row 2: the absence 2030-05-27" in result.stderr


def test_every_bad_cell_is_listed_at_once(tmp_path: Path, template: Path) -> None:
    book = load_workbook(template)
    set_cell("Work", 4, "load_high", "lots")(book)
    set_cell("Team", 2, "fte", "full")(book)
    path = tmp_path / "team.xlsx"
    book.save(path)
    result = run("validate", path)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 2, result.output
    assert "sheet Team, row 2, column fte: 'full' is not a number" in lines[0]
    assert "sheet Work, row 4, column load_high: 'lots' is not a number" in lines[1]
    assert all(line.removeprefix("Error: ").startswith(f"{path}: ") for line in lines)


def test_every_broken_reference_is_listed_at_once(tmp_path: Path, template: Path) -> None:
    book = load_workbook(template)
    set_cell("Dependencies", 2, "after", "needs-assesment")(book)
    set_cell("Team", 3, "grade", "G")(book)
    set_cell("Work", 4, "skill", "leed")(book)
    path = tmp_path / "team.xlsx"
    book.save(path)
    result = run("validate", path)
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 3, result.output
    assert "sheet Work, row 4, column skill" in lines[0]
    assert "sheet Dependencies, row 2, column after: unknown work item" in lines[1]
    assert "sheet Team, row 3, column grade: no salary for grade 'G'" in lines[2]


def test_every_bad_row_of_the_layout_is_listed_at_once(tmp_path: Path, template: Path) -> None:
    book = load_workbook(template)
    setting("Finance", "pro_rata", "setting", "pro rata")(book)
    set_cell("Absences", 2, "staff", "oficer")(book)
    path = tmp_path / "team.xlsx"
    book.save(path)
    result = run("validate", path)
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 2, result.output
    assert "sheet Finance, row 2, column setting" in lines[0]
    assert "sheet Absences, row 2, column staff" in lines[1]


def test_a_new_post_keeps_its_place_among_an_options_changes(tmp_path: Path) -> None:
    source = tmp_path / "order.yaml"
    source.write_text(
        "horizon: {start: 2021-04-01, end: 2021-06-30}\n"
        "team:\n"
        "  - {id: a, role: Officer, fte: 1.0, skills: [lead], contract: {end: 2021-05-31}}\n"
        "work:\n"
        "  - {id: x, name: X, kind: tender, load: 0.5, duration: 4 weeks}\n"
        "options:\n"
        "  - id: swap\n"
        "    name: Swap\n"
        "    changes:\n"
        "      - add: {id: b, role: Officer, fte: 1.0, start: 2021-05-01}\n"
        "      - end: a\n"
        "        on: 2021-04-30\n",
        encoding="utf-8",
    )
    workbook, back = tmp_path / "order.xlsx", tmp_path / "back.yaml"
    convert_scenario(source, workbook)
    changes = [r[:3] for r in cells(workbook)["Changes"][1:] if any(r)]
    assert changes == [("swap", "add", "b"), ("swap", "end", "a")]  # the add row is needed here
    convert_scenario(workbook, back)
    original = load_scenario(source)
    for converted in (load_scenario(workbook), load_scenario(back)):
        assert comparable(converted) == comparable(original)


# -- the plan workbook `capacity export` writes (hand-built plans: no solve) -------------------


@pytest.fixture(scope="module")
def plan_workbook(tmp_path_factory: pytest.TempPathFactory, small_results: list) -> Any:
    from capacity.finance import reconcile
    from capacity.outputs.workbook import write_workbook

    scenario = small_results[0].plan.problem.scenario
    path = tmp_path_factory.mktemp("export") / "plan.xlsx"
    write_workbook(scenario, small_results, reconcile(scenario), path)
    return load_workbook(path)


def rows(sheet: Worksheet) -> list[dict[str, Any]]:
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)]


def test_the_plan_workbook_names_people_options_and_work_beside_their_ids(
    plan_workbook: Any,
) -> None:
    schedule = rows(plan_workbook["Schedule 2"])
    by_person = {(r["staff_id"], r["person"]) for r in schedule}
    assert by_person == {("lead", "Commissioning Manager"), ("temp", "Project Lead")}
    assert {(r["item_id"], r["item"]) for r in schedule} >= {("bau", "Business as usual")}
    unmet = rows(plan_workbook["Unmet"])
    assert {(r["option_id"], r["option"]) for r in unmet} == {
        ("lapse", "Let the temporary post lapse"),
        ("extend", "Extend the temporary post"),
    }
    assert all(r["item"] and r["piece"] and r["reason"] for r in unmet)
    utilisation = rows(plan_workbook["Utilisation"])
    assert {(r["staff_id"], r["person"]) for r in utilisation} == by_person
    header = [c.value for c in plan_workbook["Summary"][1]]
    assert "utilisation mean: Project Lead (temp)" in header


def test_the_summary_counts_items_and_the_pieces_the_unmet_sheet_lists(
    plan_workbook: Any, small_results: list
) -> None:
    summary = {r["option_id"]: r for r in rows(plan_workbook["Summary"])}
    unmet = rows(plan_workbook["Unmet"])
    for result in small_results:
        option = result.plan.option_id
        listed = [r for r in unmet if r["option_id"] == option]
        assert summary[option]["pieces_not_delivered"] == len(listed) == len(result.plan.unmet)
        assert summary[option]["items_not_fully_delivered"] == len({r["item_id"] for r in listed})
        names = summary[option]["unmet_item_names"] or ""
        assert set(names.split("; ")) - {""} == {r["item"] for r in listed}


def test_an_item_left_undone_in_several_months_counts_once_as_an_item(small_team: Any) -> None:
    from capacity.finance import option_cost
    from capacity.outputs.workbook import summary_sheet, unmet_sheet
    from capacity.plan import OptionResult

    # nothing placed: business as usual is left undone in each of its three months
    nothing = OptionResult(
        hand_built_plan(small_team, "lapse", {}), option_cost(small_team, "lapse")
    )
    (row,) = summary_sheet([nothing]).to_dict("records")
    unmet = unmet_sheet([nothing])
    assert row["pieces_not_delivered"] == len(unmet) == row["items_not_fully_delivered"] + 2
    assert list(unmet.loc[unmet["item_id"] == "bau", "piece"]) == [
        f"Business as usual (2021-0{month})" for month in (4, 5, 6)
    ]


def test_fte_weeks_in_the_workbook_follow_the_one_rounding_rule(plan_workbook: Any) -> None:
    from decimal import Decimal

    from capacity.reports.figures import round_fte_weeks

    sheet = plan_workbook["Summary"]
    header = [c.value for c in sheet[1]]
    column = header.index("bid_dependent_unmet_fte_weeks") + 1
    cell = sheet.cell(row=3, column=column)  # extend: 1.95 + 1.776 = 3.726 FTE-weeks
    assert cell.value == float(round_fte_weeks(Decimal("3.726"))) == 3.7
    assert cell.number_format == "#,##0.0"


def test_the_assumptions_sheet_stores_numbers_dates_and_no_local_paths(
    plan_workbook: Any, small_results: list
) -> None:
    sheet = plan_workbook["Assumptions"]
    found = rows(sheet)
    by_place = {r["place"]: r for r in found}
    start = by_place["horizon.start"]
    assert isinstance(start["value"], datetime) and start["value"].date() == START
    availability = by_place["assumptions.availability"]
    assert availability["value"] == pytest.approx(0.9)
    assert isinstance(availability["value"], float)
    header = [c.value for c in sheet[1]]
    value_cells = sheet[chr(ord("A") + header.index("value"))][1:]
    typed = [c for c in value_cells if c.value is not None]
    # no cell holds a number or a date as text
    for c in typed:
        if isinstance(c.value, str):
            with pytest.raises(ValueError):
                float(c.value.replace(",", "").replace("£", "").split(" ")[0])
    assert any(c.number_format == "dd mmm yyyy" for c in typed)
    here = str(REPOSITORY)
    assert all(here not in str(r["file"]) and not str(r["file"]).startswith("/") for r in found)
    assert {r["file"] for r in found} == {"small-team.yaml"}


def test_the_assumptions_sheet_keeps_a_range_as_low_and_high_with_its_unit() -> None:
    from decimal import Decimal

    from capacity.outputs.workbook import _file_name, _value_cells

    assert _value_cells("6.5-21.7") == (None, Decimal("6.5"), Decimal("21.7"), "")
    assert _value_cells("8 months-9 months") == (None, Decimal(8), Decimal(9), "months")
    assert _value_cells("4 weeks") == (Decimal(4), None, None, "weeks")
    assert _value_cells("£44,194.00") == (Decimal("44194.00"), None, None, "£")
    assert _value_cells("Victim Support tender") == ("Victim Support tender", None, None, "")
    contract = (None, date(2019, 8, 1), date(2021, 7, 31), "")
    assert _value_cells("2019-08-01 to 2021-07-31") == contract
    assert _value_cells("open to 2021-05-31") == (None, None, date(2021, 5, 31), "")
    shared = "/home/someone/plans/scenarios/x.yaml"
    assert _file_name("/home/someone/plans/data/base.yaml", shared) == "../data/base.yaml"
    assert _file_name(shared, shared) == "x.yaml"
