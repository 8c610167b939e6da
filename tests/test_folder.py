"""Outputs are all or nothing: an error or Ctrl-C part-way leaves no trace."""

from __future__ import annotations

from pathlib import Path

import pytest

from capacity.errors import OutputError
from capacity.outputs.folder import MARKER, output_directory, output_file


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, RuntimeError])
def test_an_interrupted_folder_is_never_half_written(tmp_path: Path, interruption) -> None:
    target = tmp_path / "out"
    with pytest.raises(interruption), output_directory(target) as staging:
        (staging / "half.csv").write_text("a,b\n")
        raise interruption()
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_rerun_keeps_the_previous_output(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with output_directory(target) as staging:
        (staging / "first.csv").write_text("1\n")
    with pytest.raises(KeyboardInterrupt), output_directory(target) as staging:
        (staging / "second.csv").write_text("2\n")
        raise KeyboardInterrupt
    assert sorted(p.name for p in target.iterdir()) == sorted([MARKER, "first.csv"])
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_an_interrupted_file_is_never_half_written(tmp_path: Path) -> None:
    target = tmp_path / "plan.xlsx"
    with pytest.raises(KeyboardInterrupt), output_file(target) as staging:
        staging.write_bytes(b"partial")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_a_file_where_a_folder_should_be_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder")
    with pytest.raises(OutputError, match="not a folder"), output_directory(tmp_path / "out"):
        pass
