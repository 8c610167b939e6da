"""The installed `capacity` program itself, run as a user runs it (a separate process)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPOSITORY, SHIPPED

CAPACITY = Path(sys.executable).parent / "capacity"  # the console script beside this Python


def test_bad_input_from_the_real_program(tmp_path: Path) -> None:
    bad = REPOSITORY / "tests" / "data" / "bad" / "misspelt-key.yaml"
    done = subprocess.run(
        [str(CAPACITY), "compare", str(bad), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().count("\n") == 0 and "did you mean 'load'" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_ctrl_c_aborts_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    process = subprocess.Popen(
        [str(CAPACITY), "compare", str(SHIPPED), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    process.stderr.readline()  # "Scenario: ...": it is running
    time.sleep(1.0)  # inside the first solve
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "Interrupted; nothing was written" in stderr
    assert "Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []  # no output, no staging folder
