"""Every malformed scenario in tests/data/bad/, through the real command line.

Each file says what is wrong on its first line and what the message must say
on its second (``# expect: ...``). Each must give one line naming the file and
the place, exit status 2, no traceback, no output written, and leave the file
unchanged.
"""

from __future__ import annotations

import hashlib
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
