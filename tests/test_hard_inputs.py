"""Hard inputs get a clear, located error in seconds: never a hang, a crash or a raw echo.

The instances are in tests/data/bad/ (through the command line, in
test_bad_input.py); here are the classes: generated YAML (every character
YAML refuses, any text in a key or an id, alias bombs of any shape and place,
nesting of any depth, tags that cannot build), damaged and hostile workbooks,
paths that are not files, and outputs that cannot be written or were left by
a run killed outright. A time bound is asserted only where the failure was a
hang, and generously: the machine is shared.
"""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import REPOSITORY, item, person, scenario
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capacity.charts.gantt import MAX_LABEL_CHARACTERS, gantt_chart
from capacity.cli import cli
from capacity.errors import (
    MESSAGE_CHARACTERS,
    OutputError,
    ScenarioError,
    did_you_mean,
    plain_message,
    shown,
)
from capacity.outputs import folder as output_folder
from capacity.outputs.folder import MARKER, output_directory, output_file, remove_stale_staging
from capacity.outputs.scenario_files import write_template
from capacity.pipeline import plan_option
from capacity.readers import load_scenario, yaml_loader
from capacity.readers.limits import (
    MAX_ENTRIES,
    MAX_EXTENDS_CHAIN,
    MAX_FILE_BYTES,
    MAX_NESTING,
    MAX_TEXT_CHARACTERS,
    MAX_UNPACKED_BYTES,
)
from capacity.readers.workbook_file import read_workbook_sheets
from capacity.solver import SolverSettings

SMALL = REPOSITORY / "tests" / "data" / "small-team.yaml"
SMALL_TEXT = SMALL.read_text(encoding="utf-8")
HANG = 10.0  # seconds: what was a hang must end well within this, even on a loaded machine
FAST = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def failure(path: Path) -> ScenarioError:
    """The error reading ``path`` gives (and that it gives one, of the located kind)."""
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return caught.value


def assert_one_clear_line(message: str, file_name: str) -> None:
    """One line per problem (every problem is listed at once), each naming the file."""
    for line in message.split("\n"):
        assert file_name in line, message
        assert line.isprintable(), repr(message)  # no newline, CR, NUL, RLO, ... echoed raw
        assert len(line) <= MESSAGE_CHARACTERS + 400, len(line)


def written(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def yaml_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar, every character that needs it escaped."""
    safe = {c for c in map(chr, range(0x20, 0x7F))} - {'"', "\\"}
    return '"' + "".join(c if c in safe else f"\\U{ord(c):08x}" for c in text) + '"'


# -- YAML: characters, keys, tags, aliases, nesting ---------------------------------

REFUSED_CHARACTERS = [
    chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0x80, 0x9F, 0xFFFE)
]


@FAST
@given(
    character=st.sampled_from(REFUSED_CHARACTERS),
    line_index=st.integers(min_value=2, max_value=SMALL_TEXT.count("\n") - 1),
    data=st.data(),
)
def test_any_character_yaml_refuses_is_named_at_its_line_and_column(
    character: str, line_index: int, data: Any, tmp_path: Path
) -> None:
    lines = SMALL_TEXT.split("\n")
    column = data.draw(st.integers(min_value=0, max_value=len(lines[line_index])))
    lines[line_index] = lines[line_index][:column] + character + lines[line_index][column:]
    path = written(tmp_path, "\n".join(lines))
    error = failure(path)
    assert error.line == line_index + 1
    assert error.place == f"column {column + 1}"
    assert f"U+{ord(character):04X}" in error.message and "not allowed" in error.message
    assert_one_clear_line(str(error), path.name)


@FAST
@given(text=st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=300))
def test_any_text_as_a_key_an_id_or_a_kind_is_echoed_escaped_on_one_line(
    text: str, tmp_path: Path
) -> None:
    quoted = yaml_quoted(text)
    for old, new in (
        ("    mandatory: true\n", f"    mandatory: true\n    {quoted}: 1\n"),  # a key
        ("kind: tender", f"kind: {quoted}"),  # a value
        ("  - id: bid\n", f"  - id: bid\n    after: {quoted}\n"),  # an id it refers to
    ):
        path = written(tmp_path, SMALL_TEXT.replace(old, new, 1))
        try:
            load_scenario(path)
        except ScenarioError as error:
            assert_one_clear_line(str(error), path.name)
            assert error.line is not None
        # else: the text happened to be valid there (a real kind, say); nothing to echo


YAML_PIECES = [
    *"*&!:?[]{}-#|>'\"%@`,\n \t0123456789.~\\",
    "!!int ",
    "!!float ",
    "!!bool ",
    "*a",
    "&a ",
    "? ",
    "<<: *a\n",
    "\x07",
    "\u202e",
    "\r",
]
EDIT = st.tuples(
    st.sampled_from(["replace", "insert", "delete"]),
    st.integers(min_value=0, max_value=len(SMALL_TEXT) - 1),
    st.sampled_from(YAML_PIECES),
)


@settings(max_examples=150, deadline=None)
@given(edits=st.lists(EDIT, min_size=1, max_size=4))
def test_any_small_edit_of_a_scenario_reads_or_gives_one_clear_line(
    edits: list[tuple[str, int, str]],
) -> None:
    characters = list(SMALL_TEXT)
    for action, at, piece in edits:
        at = min(at, len(characters) - 1)
        if action == "replace":
            characters[at] = piece
        elif action == "insert":
            characters.insert(at, piece)
        else:
            del characters[at]
    with tempfile.TemporaryDirectory() as folder:
        path = written(Path(folder), "".join(characters))
        try:
            load_scenario(path)
        except ScenarioError as error:  # anything else fails the test: a crash
            assert_one_clear_line(str(error), path.name)


@pytest.mark.parametrize(
    ("key", "found"),
    [
        ("*listed : 1", "a list"),  # an alias of a list as a key
        ("? [a, b]\n    : true", "a list"),  # a flow sequence as an explicit key
        ("? {a: 1}\n    : true", "a mapping"),
        ("[a, b]: true", "a list"),
        ("*mapped : 1", "a mapping"),
    ],
)
def test_a_list_or_mapping_as_a_key_is_refused_at_its_line(
    key: str, found: str, tmp_path: Path
) -> None:
    text = SMALL_TEXT.replace("skills: [lead]", "skills: &listed [lead]").replace(
        "availability: {", "availability: &mapped {"
    )
    path = written(tmp_path, text.replace("    mandatory: true\n", f"    {key}\n", 1))
    error = failure(path)
    assert f"keys must be text, found {found}" in error.message
    assert error.line == SMALL_TEXT.split("\n").index("    mandatory: true") + 1


UNBUILDABLE = [
    '!!int "abc"',
    '!!int ""',
    "!!int -",
    "!!int 0x",
    "!!float abc",
    '!!float ""',
    "!!bool maybe",
    "!!bool 1",
    "!!timestamp 2021-13-45",
    "!!binary '@@@'",
    "!!set 1",
    "!!omap {a: 1}",
    "!!pairs [1]",
    "!!seq abc",
    "!!map abc",
    "!!python/name:os.system",
    "!unknown-tag 1",
    "1" + "0" * 5000,  # a plain whole number longer than Python reads
]


@pytest.mark.parametrize("value", UNBUILDABLE)
def test_a_value_that_cannot_be_built_is_a_located_error(value: str, tmp_path: Path) -> None:
    path = written(tmp_path, SMALL_TEXT.replace("mandatory: true", f"mandatory: {value}", 1))
    error = failure(path)
    assert error.line == SMALL_TEXT.split("\n").index("    mandatory: true") + 1
    assert_one_clear_line(str(error), path.name)


PLACES = {
    "work id": ("  - id: bid\n", "  - id: *top\n"),
    "kind": ("kind: tender", "kind: *top"),
    "priority": ("priority: high", "priority: *top"),
    "after item": ("  - id: bid\n", "  - id: bid\n    after: {item: *top}\n"),
    "option id": ("  - id: extend\n", "  - id: *top\n"),
    "stated figure": ("pay:\n", "pay:\n  stated:\n    - figure: *top\n"),
}


@settings(max_examples=20, deadline=None)
@given(
    levels=st.integers(min_value=7, max_value=12),
    width=st.integers(min_value=8, max_value=12),
    place=st.sampled_from(sorted(PLACES)),
    as_mapping=st.booleans(),
)
def test_alias_bombs_of_any_shape_and_place_are_refused_at_once(
    levels: int, width: int, place: str, as_mapping: bool
) -> None:
    def level(i: int) -> str:
        if as_mapping:
            return "{" + ", ".join(f"k{j}: *lol{i - 1}" for j in range(width)) + "}"
        return "[" + ", ".join([f"*lol{i - 1}"] * width) + "]"

    anchors = "description:\n  - &lol0 [lol, lol]\n" + "".join(
        f"  - &lol{i} {level(i)}\n" for i in range(1, levels)
    )
    anchors += f"  - &top [*lol{levels - 1}]\n"
    text = SMALL_TEXT.replace("horizon:\n", anchors + "horizon:\n", 1)
    old, new = PLACES[place]
    with tempfile.TemporaryDirectory() as folder:
        path = written(Path(folder), text.replace(old, new, 1))
        started = time.monotonic()
        error = failure(path)
        assert time.monotonic() - started < HANG
    assert "once its aliases (*name) are expanded" in error.message
    assert error.line is not None


def test_aliases_within_the_limit_still_read() -> None:
    text = SMALL_TEXT.replace("skills: [lead]", "skills: &skills [lead]", 1).replace(
        "    grade: F\n", "    grade: F\n    skills: *skills\n", 1
    )
    with tempfile.TemporaryDirectory() as folder:
        team = load_scenario(written(Path(folder), text)).team
    assert [member.skills for member in team] == [frozenset({"lead"})] * 2


NESTINGS = [
    (opening, depth)
    for opening in ("[", "{a: ", "- ")
    for depth in (MAX_NESTING + 1, 400, 5000)
    if opening != "- " or depth < 5000  # block style indents: 5,000 levels pass the byte limit
]


@pytest.mark.parametrize(("opening", "depth"), NESTINGS)
def test_nesting_of_any_depth_is_refused_at_its_line(
    opening: str, depth: int, tmp_path: Path
) -> None:
    if opening == "- ":  # block style: one more indented list per line
        nested = "\n" + "".join("  " * (i + 2) + "-\n" for i in range(depth)) + "  " * depth + " 1"
    else:
        nested = opening * depth + "1" + ("]" if opening == "[" else "}") * depth
    path = written(tmp_path, SMALL_TEXT.replace("mandatory: true", f"notes: {nested}", 1))
    error = failure(path)
    assert "nested too deeply to be a scenario" in error.message
    assert f"more than {MAX_NESTING} levels" in error.message
    assert error.line is not None


def test_an_extends_chain_past_the_limit_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "f0.yaml").write_text(SMALL_TEXT, encoding="utf-8")
    for i in range(1, 1200):
        (tmp_path / f"f{i}.yaml").write_text(f"# link {i}\nextends: f{i - 1}.yaml\n")
    started = time.monotonic()
    error = failure(tmp_path / "f1199.yaml")
    assert time.monotonic() - started < HANG
    assert error.file.endswith(".yaml") and error.line == 2 and error.place == "extends"
    assert f"more than {MAX_EXTENDS_CHAIN} scenario files" in error.message
    # a chain at the limit still reads
    top = MAX_EXTENDS_CHAIN - 1
    assert load_scenario(tmp_path / f"f{top}.yaml").name == "Small test team"


def test_text_past_the_limit_is_refused_before_it_reaches_a_report(tmp_path: Path) -> None:
    long_name = "A" * (MAX_TEXT_CHARACTERS + 1)
    path = written(tmp_path, SMALL_TEXT.replace("name: Statutory tender", f"name: {long_name}"))
    error = failure(path)
    assert error.place == "name" and f"limited to {MAX_TEXT_CHARACTERS:,}" in error.message
    assert long_name[:100] not in str(error)


def test_a_list_past_the_limit_is_refused_at_its_line(tmp_path: Path) -> None:
    skills = ", ".join(["lead"] * (MAX_ENTRIES + 1))
    path = written(tmp_path, SMALL_TEXT.replace("skills: [lead]", f"skills: [{skills}]"))
    assert f"limited to {MAX_ENTRIES:,}" in failure(path).message


# -- messages ---------------------------------------------------------------------


def test_did_you_mean_is_cheap_on_huge_words_and_many_candidates() -> None:
    started = time.monotonic()
    assert did_you_mean("x" * 5_000_000, ["x" * 10]) == ""
    assert did_you_mean("lod", ["y" * 1_000_000, "load"]) == " (did you mean 'load'?)"
    assert did_you_mean("item-7", (f"item-{i}" for i in range(10**9))).startswith(" (did you")
    assert time.monotonic() - started < HANG


def test_shown_is_short_and_escaped_whatever_the_value() -> None:
    nested: list[Any] = ["lol"] * 9
    for _ in range(8):
        nested = [nested] * 9  # 387 million strings, shared
    for value in ("a\u202eb\x00c\r\n" * 10_000, nested, {"k" * 500: nested}, 10**5000):
        text = shown(value)
        assert text.isprintable() and len(text) < 300, text[:300]
    assert shown("tender") == "'tender'"


def test_every_located_message_is_one_printable_line() -> None:
    error = ScenarioError("a\nb.yaml", "work[x\ry]", "bad \x1b[31m" + "'v" * 30_000 + "'")
    assert str(error).isprintable() and len(str(error)) <= MESSAGE_CHARACTERS + 200
    assert plain_message("work[" + "i" * 500 + "].load").endswith("…].load")


# -- files that are not files -----------------------------------------------------


def test_a_named_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    for name in ("pipe.yaml", "pipe.xlsx"):
        fifo = tmp_path / name
        os.mkfifo(fifo)
        started = time.monotonic()
        result = CliRunner().invoke(cli, ["validate", str(fifo)])
        assert time.monotonic() - started < HANG
        assert result.exit_code == 2 and "is a named pipe, not a file" in result.output


def test_a_link_to_a_device_is_refused(tmp_path: Path) -> None:
    for name in ("zero.yaml", "zero.xlsx", "zero.txt"):
        link = tmp_path / name
        link.symlink_to("/dev/zero")
        result = CliRunner().invoke(cli, ["validate", str(link)])
        assert result.exit_code == 2 and "is a device, not a file" in result.output


def test_the_byte_cap_holds_whatever_the_size_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = written(tmp_path, "# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    monkeypatch.setattr(yaml_loader, "check_input_file", lambda path, wanted: None)
    with pytest.raises(ScenarioError, match="limited to"):
        yaml_loader.read_input_bytes(big, "a scenario")


def test_unicode_and_spaces_in_paths_still_read(tmp_path: Path) -> None:
    folder = tmp_path / "équipe été 2021 ✓"
    folder.mkdir()
    path = folder / "petite équipe.yaml"
    path.write_text(SMALL_TEXT, encoding="utf-8")
    assert load_scenario(path).name == "Small test team"


# -- workbooks ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "team.xlsx"
    write_template(path)
    return path


def rezipped(
    template: Path, target: Path, change: Any, extra: dict[str, bytes] | None = None
) -> Path:
    """The template's parts, each passed through ``change(name, bytes)``, as a new workbook."""
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for name in source.namelist():
            out.writestr(name, change(name, source.read(name)))
        for name, data in (extra or {}).items():
            out.writestr(name, data)
    return target


def the_work_sheet(name: str) -> bool:
    return name == "xl/worksheets/sheet2.xml"  # the template's second sheet is Work


LAUGHS = (
    b'<!DOCTYPE w [<!ENTITY l0 "lol">'
    + b"".join(b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10))
    + b"]>"
)
EXTERNAL = b'<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def with_doctype(doctype: bytes) -> Any:
    def change(name: str, data: bytes) -> bytes:
        if not the_work_sheet(name):
            return data
        start = data.index(b"<worksheet")
        return data[:start] + doctype + data[start:].replace(b"<v>", b"<v>&l9;&x;", 1)

    return change


SHEET_OF_BAD_CELLS = (  # a shared string that is not in the table of shared strings
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="s"><v>99999</v></c></row></sheetData></worksheet>'
)
DAMAGE = {
    "a sheet cut in half": (
        lambda n, d: d[: len(d) // 2] if the_work_sheet(n) else d,
        ["sheet Work", "xl/worksheets/sheet2.xml", "the workbook is damaged"],
    ),
    "workbook.xml cut": (
        lambda n, d: d[: len(d) // 2] if n == "xl/workbook.xml" else d,
        ["xl/workbook.xml", "the workbook is damaged"],
    ),
    "styles.xml replaced by junk": (
        lambda n, d: b"\x00junk\xff" * 20 if n == "xl/styles.xml" else d,
        ["xl/styles.xml", "the workbook is damaged"],
    ),
    "an entity bomb": (with_doctype(LAUGHS), ["sheet Work", "declares an XML document type"]),
    "an external entity": (with_doctype(EXTERNAL), ["declares an XML document type"]),
    "a cell that is not what it says": (
        lambda n, d: SHEET_OF_BAD_CELLS if the_work_sheet(n) else d,
        ["sheet Work", "cannot be read: the workbook is damaged", "list index out of range"],
    ),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_or_hostile_workbook_is_one_clear_line(
    damage: str, template: Path, tmp_path: Path
) -> None:
    change, words = DAMAGE[damage]
    path = rezipped(template, tmp_path / "team.xlsx", change)
    out = tmp_path / "out"
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["compare", str(path), "--out", str(out)])
    assert time.monotonic() - started < HANG
    message = result.output.strip()
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), message
    assert len(message.splitlines()) == 1 and message.startswith(f"Error: {path}: ")
    for word in words:
        assert word in message, message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["team.xlsx"]


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_64_corrupted_bytes_anywhere_give_an_error_or_a_valid_read(
    seed: int, template: Path
) -> None:
    rng = random.Random(seed)
    data = bytearray(template.read_bytes())
    at = rng.randrange(0, len(data) - 64)
    data[at : at + 64] = rng.randbytes(64)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "team.xlsx"
        path.write_bytes(bytes(data))
        try:
            load_scenario(path)
        except ScenarioError as error:
            assert_one_clear_line(str(error), "team.xlsx")


def test_a_zip_bomb_is_refused_by_what_it_unpacks_to(template: Path, tmp_path: Path) -> None:
    zeros = b"\0" * (MAX_UNPACKED_BYTES + 1)
    path = rezipped(template, tmp_path / "team.xlsx", lambda n, d: d, {"xl/media/big.bin": zeros})
    assert path.stat().st_size < MAX_FILE_BYTES
    assert f"unpacks to more than {MAX_UNPACKED_BYTES:,} bytes" in str(failure(path))


def test_a_long_cell_and_too_many_rows_are_refused_at_their_cell(
    template: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    book = load_workbook(template)
    book["Work"]["B3"] = "x" * (MAX_TEXT_CHARACTERS + 1)
    book.save(tmp_path / "long.xlsx")
    error = failure(tmp_path / "long.xlsx")
    assert error.place == "sheet Work, row 3, column B" and "limited to" in error.message
    book = load_workbook(template)
    for row in range(2, MAX_ENTRIES + 3):
        book["Team"].cell(row=row, column=1, value=f"post-{row}")
    book.save(tmp_path / "rows.xlsx")
    error = failure(tmp_path / "rows.xlsx")
    assert error.place.startswith("sheet Team, row") and f"{MAX_ENTRIES:,}" in error.message


def test_every_sheet_is_read_in_full_before_the_file_is_closed(template: Path) -> None:
    sheets = read_workbook_sheets(template, last_row=100, last_column=100)
    assert [s.title for s in sheets][:2] == ["Team", "Work"]
    assert all(s.rows and s.rows[0] for s in sheets)  # each has at least its heading
    assert sheets[1].rows[0][0].value == "id"


# -- outputs ------------------------------------------------------------------------


def disk_full(*_: object, **__: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_while_writing_is_one_line_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from capacity.outputs import plan_files

    def half_then_full(data: object, results: object, folder: Path) -> None:
        (folder / "comparison.csv").write_text("option,cost\nlapse,")
        disk_full()

    monkeypatch.setattr(plan_files, "write_comparison_files", half_then_full)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["compare", str(SMALL), "--out", str(out)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    last = result.output.strip().splitlines()[-1]
    assert last == f"Error: {out}: could not be written (the disk is full); nothing was written"
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_while_writing_a_file_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "plan.xlsx"
    with pytest.raises(OutputError, match="the disk is full"), output_file(target) as staging:
        staging.write_bytes(b"partial")
        disk_full()
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_out_fails_before_the_solve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import capacity.cli

    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    real_mkdtemp = tempfile.mkdtemp

    def as_for_anyone(*args: Any, **kwargs: Any) -> str:
        # An administrator may write in a read-only folder; refuse as the system would anyone else.
        if Path(kwargs.get("dir", "")).resolve() == locked.resolve():
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real_mkdtemp(*args, **kwargs)

    def never(*_: object, **__: object) -> None:
        raise AssertionError("solved before checking --out")

    monkeypatch.setattr(output_folder.tempfile, "mkdtemp", as_for_anyone)
    monkeypatch.setattr(capacity.cli, "compare_options", never)
    for out in (locked / "out", locked / "new" / "deeper" / "out"):
        result = CliRunner().invoke(cli, ["compare", str(SMALL), "--out", str(out)])
        assert result.exit_code == 2, result.output
        assert (
            f"cannot write in {locked}" in result.output and "choose another --out" in result.output
        )
    (tmp_path / "a-file").write_text("x")
    result = CliRunner().invoke(
        cli, ["export", str(SMALL), "--out", str(tmp_path / "a-file" / "p.xlsx")]
    )
    assert result.exit_code == 2 and "is a file, not a folder" in result.output
    locked.chmod(0o755)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "locked"]
    assert list(locked.iterdir()) == []


KILLED_RUN = """
import os, signal, sys
from pathlib import Path
from capacity.outputs.folder import output_directory
with output_directory(Path(sys.argv[1])) as staging:
    (staging / "half.csv").write_text("a,b\\n")
    os.kill(os.getpid(), signal.SIGKILL)
"""


def run_killed(out: Path) -> None:
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    result = subprocess.run([sys.executable, "-c", KILLED_RUN, str(out)], env=environment)
    assert result.returncode == -signal.SIGKILL


def test_a_run_killed_outright_is_tidied_by_the_next_and_nothing_else_is(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_killed(out)
    left = [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]
    assert len(left) == 1 and (left[0] / MARKER).is_file()
    foreign = tmp_path / ".out.mine"  # a folder capacity did not make, marker or not
    foreign.mkdir()
    (foreign / MARKER).write_text("Written by capacity; safe to delete.\n")
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        busy = tmp_path / ".out.busy1234"  # another run, still writing
        busy.mkdir()
        host = output_folder.socket.gethostname() or "localhost"
        writer = f"being written by process {running.pid} on {host}"
        (busy / MARKER).write_text(f"Written by capacity; safe to delete.\n{writer}\n")
        elsewhere = tmp_path / ".out.elsewhere"  # a run on another machine sharing the disk
        elsewhere.mkdir()
        (elsewhere / MARKER).write_text(
            "Written by capacity; safe to delete.\nbeing written by process 1 on another-host\n"
        )
        with output_directory(out) as staging:
            (staging / "whole.csv").write_text("a,b\n1,2\n")
        names = sorted(p.name for p in tmp_path.iterdir())
        assert names == [".out.busy1234", ".out.elsewhere", ".out.mine", "out"]
    finally:
        running.kill()
        running.wait()
    assert remove_stale_staging(out) == [busy]  # once its process has gone


def test_an_output_moved_aside_by_a_killed_run_is_put_back(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with output_directory(out) as staging:
        (staging / "first.csv").write_text("1\n")
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    dead = int(gone.stdout)
    retired = tmp_path / ".out.old.abcd1234"  # as _replace leaves it if killed mid-swap
    retired.mkdir()
    host = output_folder.socket.gethostname() or "localhost"
    (retired / MARKER).write_text(
        f"Written by capacity; safe to delete.\nbeing written by process {dead} on {host}\n"
    )
    out.rename(retired / "out")
    assert remove_stale_staging(out) == [retired]
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, "first.csv"])
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_ctrl_c_while_writing_still_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt), output_directory(tmp_path / "out") as staging:
        (staging / "half.csv").write_text("a")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


# -- the Gantt chart --------------------------------------------------------------


def test_a_huge_work_name_is_labelled_in_seconds() -> None:
    team = [person("lead")]
    huge = replace(item("huge", load="0.5", weeks=4), name="Long name " * 20_000)
    plan = plan_option(
        scenario(team, [huge], weeks=8), "base", SolverSettings(time_limit_seconds=5)
    )
    started = time.monotonic()
    figure = gantt_chart(plan)
    assert time.monotonic() - started < HANG
    labels = [t.get_text() for t in figure.axes[0].texts if t.get_text().startswith("Long")]
    assert labels and all(len(label) <= MAX_LABEL_CHARACTERS for label in labels)
    assert all(label.endswith("…") for label in labels)


SLOW_RUN = """
import sys, time
from pathlib import Path
from capacity.outputs.folder import output_directory
out, ready, go = map(Path, sys.argv[1:])
with output_directory(out) as staging:
    (staging / "slow.csv").write_text("a,b\\n")
    ready.touch()
    while not go.exists():
        time.sleep(0.05)
"""


def test_two_runs_on_one_out_at_once_each_keep_their_staging(tmp_path: Path) -> None:
    out, ready, go = tmp_path / "out", tmp_path / "ready", tmp_path / "go"
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    slow = subprocess.Popen(
        [sys.executable, "-c", SLOW_RUN, str(out), str(ready), str(go)], env=environment
    )
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists()
        with output_directory(out) as staging:  # the quick run, while the slow one writes
            (staging / "quick.csv").write_text("1,2\n")
        assert (out / "quick.csv").exists()
        go.touch()
        assert slow.wait(timeout=60) == 0
    finally:
        slow.kill()
        slow.wait()
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "slow.csv"]  # the last one wins
    assert sorted(p.name for p in tmp_path.iterdir()) == ["go", "out", "ready"]
