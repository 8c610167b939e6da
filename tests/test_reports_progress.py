"""Progress in plain lines where there is no terminal (capacity/reports/progress.py)."""

from __future__ import annotations

import io

from capacity.reports.progress import ProgressLines


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_line_every_few_seconds_with_rate_and_time_left() -> None:
    clock, out = Clock(), io.StringIO()
    progress = ProgressLines(100, "Sampling", "samples", out, every=5, clock=clock)
    for _ in range(9):  # 9 samples in 4.5 s: no line yet
        clock.now += 0.5
        progress.update(1)
    assert out.getvalue() == ""
    clock.now += 0.5
    progress.update(1)  # 10 samples in 5 s: 2 a second, 90 left, 45 s
    assert out.getvalue() == "Sampling: 10 of 100 samples (10%), 2.0 a second, about 45s left\n"
    clock.now += 600
    progress.update(40)
    assert out.getvalue().splitlines()[-1] == (
        "Sampling: 50 of 100 samples (50%), 12s each, about 10m 05s left"
    )  # fewer than one a second: the time each takes, not "0.1 a second"


def test_the_last_item_always_writes_a_closing_line() -> None:
    clock, out = Clock(), io.StringIO()
    progress = ProgressLines(3, "Sampling", "samples", out, every=60, clock=clock)
    for _ in range(3):
        clock.now += 1
        progress.update(1)
    assert out.getvalue() == "Sampling: 3 of 3 samples (100%), done in 3s\n"


def test_risk_in_a_pipe_prints_lines_not_a_bar(tmp_path) -> None:
    from click.testing import CliRunner
    from conftest import SMALL_TEAM

    from capacity.cli import cli

    args = ["risk", str(SMALL_TEAM), "--samples", "2", "--workers", "1", "--out"]
    result = CliRunner().invoke(cli, [*args, str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    assert "Sampling: 2 of 2 samples (100%), done in" in result.stderr
