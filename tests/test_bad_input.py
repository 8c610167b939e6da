"""Every malformed scenario in tests/data/bad/, through the real command line.

Each file says what is wrong on its first line and what the message must say
on its second (``# expect: ...``). Each must give one line naming the file and
the place, exit status 2, no traceback, no output written, and leave the file
unchanged.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPOSITORY

from capacity.cli import cli
from capacity.readers.yaml_loader import MAX_INPUT_BYTES

BAD = sorted((REPOSITORY / "tests" / "data" / "bad").glob("*.yaml"))


def expected(path: Path) -> str:
    line = path.read_text(encoding="utf-8").splitlines()[1]
    assert line.startswith("# expect: "), f"{path.name}: second line must be '# expect: ...'"
    return line.removeprefix("# expect: ")


def test_the_corpus_is_large_enough() -> None:
    assert len(BAD) >= 40


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_scenario_gives_one_clear_line(path: Path, tmp_path: Path) -> None:
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["compare", str(path), "--out", str(out)])
    message = result.output.strip()
    assert result.exit_code == 2, message
    assert isinstance(result.exception, SystemExit)  # a deliberate exit, not a crash
    assert len(message.splitlines()) == 1, message
    assert message.startswith("Error: ") and path.name in message
    assert expected(path) in message
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no staging folder left either
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("command", ["validate", "plan", "finance", "export", "report"])
def test_every_command_refuses_bad_input_the_same_way(command: str, tmp_path: Path) -> None:
    path = REPOSITORY / "tests" / "data" / "bad" / "misspelt-key.yaml"
    args = [command, str(path)]
    if command == "plan":
        args += ["--option", "lapse"]
    if command != "validate":
        args += ["--out", str(tmp_path / ("out.xlsx" if command == "export" else "out"))]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "did you mean 'load'" in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("# padding\n" * (MAX_INPUT_BYTES // 10 + 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(big)])
    assert result.exit_code == 2 and "limited to" in result.output


def test_a_folder_or_a_missing_path_is_refused(tmp_path: Path) -> None:
    for target, words in ((tmp_path, "is a folder"), (tmp_path / "none.yaml", "no such file")):
        result = CliRunner().invoke(cli, ["compare", str(target), "--out", str(tmp_path / "o")])
        assert result.exit_code == 2 and words in result.output


def _small(tmp_path: Path, work: str) -> Path:
    path = tmp_path / "several.yaml"
    path.write_text(
        "horizon: {start: 2021-04-05, end: 2021-07-04}\n"
        "team:\n"
        "  - {id: lead, role: Manager, fte: 1, skills: [lead]}\n"
        f"work:\n{work}"
        "options:\n"
        "  - {id: base, name: Base}\n",
        encoding="utf-8",
    )
    return path


def test_every_problem_is_listed_at_once_one_line_each(tmp_path: Path) -> None:
    path = _small(
        tmp_path,
        "  - {id: a, name: A, kind: tendr, load: 0.5}\n"  # line 5: a kind misspelt
        "  - {id: b, name: B, kind: tender, laod: 0.5}\n"  # line 6: a key misspelt
        "  - {id: c, name: C, kind: tender, load: half, duration: 4 fortnights}\n",  # two
    )
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 4, result.output
    assert lines[0].startswith(f"Error: {path}:5: work[a].kind: 'tendr' is not one of")
    assert lines[1] == f"{path}:6: work[b].laod: unknown key (did you mean 'load'?)"
    assert "work[c].load: 'half' is not a number" in lines[2]
    assert "work[c].duration: '4 fortnights' is not a duration" in lines[3]


def test_every_cross_reference_problem_is_listed_too(tmp_path: Path) -> None:
    path = _small(
        tmp_path,
        "  - {id: a, name: A, kind: tender, load: 0.5, after: nothing}\n"
        "  - {id: b, name: B, kind: tender, load: 0.5, skill: leed}\n"
        "  - {id: c, name: C, kind: tender, load: 0.5, deadline: 2030-01-01}\n",
    )
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert [re.search(r"\.yaml:\d+: (\S+):", line)[1] for line in lines] == [  # type: ignore[index]
        "work[a].after",
        "work[b].skill",
        "work[c].deadline",
    ], result.output


def test_a_long_list_of_problems_is_cut_at_twenty(tmp_path: Path) -> None:
    work = "".join(f"  - {{id: w{i}, name: W, kind: tendr, load: 0.5}}\n" for i in range(25))
    result = CliRunner().invoke(cli, ["validate", str(_small(tmp_path, work))])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 21 and lines[-1] == "... and 5 more"


def test_a_bad_value_in_a_what_if_is_blamed_on_the_what_if(tmp_path: Path) -> None:
    base = (REPOSITORY / "scenarios" / "staffing-options-2021-22.yaml").as_posix()
    what_if = tmp_path / "what-if.yaml"
    what_if.write_text(
        f"extends: {base}\nchanges:\n  - update: grant-review\n    load: 1.5\n", encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["validate", str(what_if)])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {what_if}:4: work[grant-review].load: "), result.output
    assert "at most 1 FTE" in result.output
