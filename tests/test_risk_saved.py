"""Saved risk studies: ``capacity risk`` runs a study once, ``capacity report`` and a
second ``capacity risk`` read it back, checked again; a damaged study is never
reported (capacity/risk/saved.py)."""

from __future__ import annotations

import dataclasses
import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SMALL_TEAM

from capacity.cli import cli
from capacity.plan_cache import PlanCache, digest
from capacity.readers import load_scenario
from capacity.risk.saved import largest_study, load_study, run_or_read_study, save_study
from capacity.risk.study import run_study, sample_settings


def _risk(runner: CliRunner, out: Path, *extra: str) -> str:
    args = ["risk", str(SMALL_TEAM), "--samples", "3", "--workers", "1", "--out", str(out)]
    result = runner.invoke(cli, [*args, "--force", *extra])
    assert result.exit_code == 0, result.output
    return result.stderr


def test_report_after_compare_and_risk_solves_nothing_and_shows_the_study(
    cache_folder: Path, solves: list[str], tmp_path: Path
) -> None:
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["compare", str(SMALL_TEAM), "--out", str(tmp_path / "c")]).exit_code
        == 0
    )
    _risk(runner, tmp_path / "risk")
    assert len(solves) > 2  # the study planned its samples
    solves.clear()
    pack = tmp_path / "pack"
    result = runner.invoke(cli, ["report", str(SMALL_TEAM), "--out", str(pack)])
    assert result.exit_code == 0, result.output
    assert solves == []  # no CP-SAT solve at all: the plans and the study were saved
    assert "Risk study: 3 sampled years (seed 0), saved by an earlier run and checked again" in (
        result.stderr
    )
    page = (pack / "board-pack.html").read_text(encoding="utf-8")
    assert "Risk study: 3 sampled years" in page
    assert "No risk study is in this pack" not in page


def test_a_second_risk_run_reads_the_study_back_with_the_same_files(
    cache_folder: Path, solves: list[str], tmp_path: Path
) -> None:
    runner = CliRunner()
    first = _risk(runner, tmp_path / "a")
    assert "saved by an earlier run" not in first
    planned = len(solves)
    solves.clear()
    second = _risk(runner, tmp_path / "b")
    assert solves == [] and "saved by an earlier run and checked again" in second
    for name in ("summary.csv", "samples.csv", "items.csv", "utilisation.csv"):
        assert (tmp_path / "b" / name).read_bytes() == (tmp_path / "a" / name).read_bytes()
    _risk(runner, tmp_path / "c", "--no-cache")
    assert len(solves) == planned  # --no-cache plans every sample again
    _risk(runner, tmp_path / "d", "--seed", "1")
    assert len(solves) == 2 * planned  # another seed is another study


def test_without_a_saved_study_the_report_says_so(
    cache_folder: Path, solves: list[str], tmp_path: Path
) -> None:
    pack = tmp_path / "pack"
    result = CliRunner().invoke(cli, ["report", str(SMALL_TEAM), "--out", str(pack)])
    assert result.exit_code == 0, result.output
    assert sorted(solves) == ["extend", "lapse"]  # the two plans, no sampled year
    assert "No risk study is saved for this scenario" in result.stderr
    assert "No risk study is in this pack" in (pack / "board-pack.html").read_text("utf-8")


def test_the_report_takes_the_largest_saved_study(cache_folder: Path) -> None:
    data = load_scenario(SMALL_TEAM)
    cache = PlanCache.default()
    assert cache is not None
    for samples in (4, 2, 3):
        save_study(cache, run_study(data, samples, seed=samples))
    found = largest_study(cache, data)
    assert found is not None and len(found.samples) == 4 and found.seed == 4
    only_one = run_study(data, 6, seed=0, option_ids=["extend"])
    save_study(cache, only_one)  # larger, but not of every option
    found = largest_study(cache, data)
    assert found is not None and len(found.samples) == 4
    assert len(list(cache.folder.glob("study-*-6-*.json.gz"))) == 1  # passed over, kept
    edited = dataclasses.replace(data, description=data.description + " (edited)")
    assert largest_study(cache, edited) is None  # another scenario's study is not this one's


@pytest.mark.parametrize(
    "damage",
    [
        "move a task onto someone without the skill",
        "claim another seed",
        "drop a sample",
        "cut the file short",
        "a figure that is not a number",
        "reasons that are not a table",
        "an option the scenario does not have",
    ],
)
def test_a_damaged_study_is_run_again_never_reported(cache_folder: Path, damage: str) -> None:
    data = load_scenario(SMALL_TEAM)
    cache = PlanCache.default()
    assert cache is not None
    settings = sample_settings()
    fresh, read_back = run_or_read_study(cache, data, 3, 0, 1, settings)
    assert not read_back
    (path,) = cache_folder.glob("study-*.json.gz")
    if damage == "cut the file short":
        path.write_bytes(path.read_bytes()[:60])
    else:
        body = json.loads(gzip.decompress(path.read_bytes()))["body"]
        if damage == "move a task onto someone without the skill":
            for sample in body["samples"]:
                for plan in sample["plans"]:
                    plan["placements"] = [[t, "temp", w] for t, _, w in plan["placements"]]
        elif damage == "claim another seed":
            body["seed"] = 1
        elif damage == "a figure that is not a number":
            body["samples"][0]["plans"][0]["solver"]["weighted_unmet_optional"] = "x"
        elif damage == "reasons that are not a table":
            body["samples"][0]["plans"][0]["reasons"] = []
        elif damage == "an option the scenario does not have":
            body["option_ids"][0] = "no-such-option"
        else:
            body["samples"] = body["samples"][:2]
        text = json.dumps({"body": body, "digest": digest(body)})  # a consistent digest
        path.write_bytes(gzip.compress(text.encode("utf-8")))
    assert load_study(cache, data, 3, 0, settings, fresh.option_ids) is None
    assert not path.exists()  # deleted, so the next run saves a good one
    again, read_back = run_or_read_study(cache, data, 3, 0, 1, settings)
    assert not read_back and again.samples == fresh.samples


def test_a_study_read_back_is_the_study_that_was_run(cache_folder: Path) -> None:
    data = load_scenario(SMALL_TEAM)
    cache = PlanCache.default()
    assert cache is not None
    settings = sample_settings(1.5)
    ran, _ = run_or_read_study(cache, data, 4, 2, 1, settings)
    back, read_back = run_or_read_study(cache, data, 4, 2, 1, settings)
    assert read_back
    assert back.samples == ran.samples and back.settings == ran.settings
    assert [o.runtime_seconds for s in back.samples for o in s.outcomes] == [
        o.runtime_seconds for s in ran.samples for o in s.outcomes
    ]
    assert load_study(cache, data, 4, 2, sample_settings(), ran.option_ids) is None  # other effort


def test_a_study_too_large_for_the_cache_is_not_saved_and_other_files_are_kept(
    tmp_path: Path,
) -> None:
    data = load_scenario(SMALL_TEAM)
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "notes.txt").write_text("not the cache's")
    small = PlanCache(folder, max_bytes=200)  # a study of the small team is about 1 kB
    save_study(small, run_study(data, 3, seed=0))
    assert not list(folder.glob("study-*"))
    PlanCache(folder, max_bytes=1).write("a.json", b"{}")  # room for nothing: trimmed
    assert (folder / "notes.txt").read_text() == "not the cache's"


def test_report_with_no_cache_says_why_it_has_no_risk_row(
    cache_folder: Path, tmp_path: Path
) -> None:
    args = ["report", str(SMALL_TEAM), "--out", str(tmp_path / "pack"), "--no-cache"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "not read (--no-cache)" in result.stderr
