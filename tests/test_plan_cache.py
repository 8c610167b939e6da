"""The plan cache: a command after ``compare`` does not solve again, and a stale or
tampered entry is solved again, never reported (capacity/plan_cache.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SMALL_TEAM

from capacity.cli import cli
from capacity.domain.problem import build_problem
from capacity.pipeline import plan_option
from capacity.plan_cache import MAX_BYTES, PlanCache, digest
from capacity.readers import load_scenario
from capacity.solver import SolverSettings

SETTINGS = SolverSettings(time_limit_seconds=10)


def test_report_after_compare_solves_nothing(
    cache_folder: Path, solves: list[str], tmp_path: Path
) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["compare", str(SMALL_TEAM), "--out", str(tmp_path / "c")])
    assert first.exit_code == 0, first.output
    assert sorted(solves) == ["extend", "lapse"]  # side by side: in either order
    solves.clear()
    for command, out in (("report", "pack"), ("export", "plan.xlsx"), ("finance", "f")):
        result = runner.invoke(cli, [command, str(SMALL_TEAM), "--out", str(tmp_path / out)])
        assert result.exit_code == 0, result.output
        assert "saved by an earlier run and checked again" in result.stderr
    assert solves == []  # no CP-SAT solve at all
    # the files are the same as a fresh solve's, byte for byte
    again = runner.invoke(cli, ["compare", str(SMALL_TEAM), "--out", str(tmp_path / "d")])
    assert again.exit_code == 0
    for name in ("comparison.csv", "lapse/schedule.csv", "lapse/unmet.csv", "lapse/summary.json"):
        assert (tmp_path / "d" / name).read_bytes() == (tmp_path / "c" / name).read_bytes()


def test_no_cache_solves_again(cache_folder: Path, solves: list[str], tmp_path: Path) -> None:
    runner = CliRunner()
    for out in ("a", "b"):
        args = ["compare", str(SMALL_TEAM), "--out", str(tmp_path / out), "--no-cache"]
        assert runner.invoke(cli, args).exit_code == 0
    assert sorted(solves) == ["extend", "extend", "lapse", "lapse"]
    assert not cache_folder.exists() or not list(cache_folder.glob("*.json"))


def test_a_changed_scenario_or_setting_is_a_new_entry(cache_folder: Path) -> None:
    scenario = load_scenario(SMALL_TEAM)
    cache = PlanCache.default()
    assert cache is not None
    problem = build_problem(scenario, "extend")
    other_seed = SolverSettings(time_limit_seconds=10, seed=1)
    assert cache.key(problem, SETTINGS) != cache.key(problem, other_seed)
    assert cache.key(problem, SETTINGS) != cache.key(build_problem(scenario, "lapse"), SETTINGS)
    from dataclasses import replace

    changed = replace(scenario, description=scenario.description + " (edited)")
    assert cache.key(problem, SETTINGS) != cache.key(build_problem(changed, "extend"), SETTINGS)


@pytest.mark.parametrize(
    "tamper",
    [
        "move a task onto someone without the skill",
        "claim less unmet work",
        "cut the file short",
        "edit the digest too",
        "a figure that is not a number",
    ],
)
def test_a_tampered_entry_is_solved_again_never_reported(
    cache_folder: Path, solves: list[str], tamper: str
) -> None:
    scenario = load_scenario(SMALL_TEAM)
    cache = PlanCache.default()
    assert cache is not None
    fresh = plan_option(scenario, "extend", SETTINGS, cache=cache)
    (entry,) = cache_folder.glob("*.json")
    saved = json.loads(entry.read_text())
    body = saved["body"]
    if tamper == "move a task onto someone without the skill":
        body["placements"] = [[t, "temp", w] for t, _, w in body["placements"]]
    elif tamper == "claim less unmet work":
        body["solver"]["weighted_unmet_optional"] = "0"
    elif tamper == "a figure that is not a number":
        body["solver"]["weighted_unmet_optional"] = "x"  # a Decimal error, not a ValueError
        saved = {"body": body, "digest": digest(body)}
    if tamper == "cut the file short":
        entry.write_text(entry.read_text()[:40])
    elif tamper == "edit the digest too":
        body["placements"] = body["placements"][:1]  # a plan that breaks a with/alongside
        body["solver"]["weighted_unmet_optional"] = "0"
        entry.write_text(json.dumps({"body": body, "digest": digest(body)}))
    else:
        entry.write_text(json.dumps(saved))
    solves.clear()
    cache.hits.clear()
    again = plan_option(scenario, "extend", SETTINGS, cache=cache)
    assert solves == ["extend"] and cache.hits == []  # solved again
    assert again.assignments == fresh.assignments
    assert again.solver.weighted_unmet_optional == fresh.solver.weighted_unmet_optional


def test_the_cache_stays_under_its_size_cap(cache_folder: Path) -> None:
    scenario = load_scenario(SMALL_TEAM)
    cache = PlanCache(cache_folder, max_bytes=1)  # room for nothing: only the newest stays
    for seed in (1, 2, 3):
        plan_option(
            scenario, "lapse", SolverSettings(time_limit_seconds=10, seed=seed), cache=cache
        )
    assert len(list(cache_folder.glob("*.json"))) <= 1
    assert PlanCache(cache_folder).max_bytes == MAX_BYTES


def test_an_unwritable_cache_is_skipped(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    cache = PlanCache(blocked / "plans")
    plan = plan_option(load_scenario(SMALL_TEAM), "lapse", SETTINGS, cache=cache)
    assert plan.assignments  # planned, the cache quietly skipped


def test_the_key_is_the_same_in_every_process() -> None:
    # A set's repr follows string hashing, which each process seeds afresh: the key must
    # not (otherwise `report` after `compare` would miss the cache at random).
    import os
    import subprocess
    import sys

    code = (
        "from pathlib import Path; from capacity.readers import load_scenario; "
        "from capacity.domain.problem import build_problem; "
        "from capacity.plan_cache import PlanCache; from capacity.solver import SolverSettings; "
        f"s = load_scenario({str(SMALL_TEAM)!r}); "
        "print(PlanCache(Path('.')).key(build_problem(s, 'extend'), SolverSettings()))"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert len(keys) == 1 and len(next(iter(keys))) == 64


def test_a_plan_started_from_another_is_not_saved(cache_folder: Path) -> None:
    # Where the budget cuts a search short, a warm-started plan depends on where it began:
    # a saved plan must be the one a cold solve of the same inputs gives.
    scenario = load_scenario(SMALL_TEAM)
    cache = PlanCache.default()
    assert cache is not None
    previous = plan_option(scenario, "lapse", SETTINGS, explain=False)
    plan_option(scenario, "extend", SETTINGS, explain=False, cache=cache, start_from=previous)
    assert cache.load(build_problem(scenario, "extend"), SETTINGS, False) is None
    plan_option(scenario, "extend", SETTINGS, explain=False, cache=cache)
    assert cache.load(build_problem(scenario, "extend"), SETTINGS, False) is not None
