"""The command line, driven through click's CliRunner on the real command group."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import REPOSITORY, SMALL_TEAM

from capacity.cli import cli
from capacity.outputs.folder import MARKER

SMALL = REPOSITORY / "tests" / "data" / "small-team.yaml"
PLAN_FILES = {
    "schedule.csv",
    "capacity.csv",
    "unmet.csv",
    "moved_from_owner.csv",
    "summary.json",
    "gantt.png",
}


def run(*args: str) -> object:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_compare_prints_the_table_and_writes_every_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("compare", SMALL, "--out", out)
    assert result.exit_code == 0, result.output
    assert "lapse" in result.stdout and "extend" in result.stdout
    assert "Unmet (FTE-weeks)" in result.stdout
    assert "Additional cost 2021" in result.stdout  # the horizon's year
    table = pd.read_csv(out / "comparison.csv")
    assert list(table["option_id"]) == ["lapse", "extend"]
    assert (out / "assumptions.csv").exists()
    for option in ("lapse", "extend"):
        assert {p.name for p in (out / option).iterdir()} == PLAN_FILES | {MARKER}
    schedule = pd.read_csv(out / "extend" / "schedule.csv")
    assert list(schedule.columns[:5]) == ["item_id", "staff_id", "start", "end", "load_fte"]
    capacity = pd.read_csv(out / "extend" / "capacity.csv")
    assert list(capacity.columns[:3]) == ["staff_id", "week_start", "capacity_fte"]
    unmet = pd.read_csv(out / "lapse" / "unmet.csv")
    assert list(unmet.columns[:4]) == ["item_id", "demand_fte_weeks", "mandatory", "reason"]
    summary = json.loads((out / "extend" / "summary.json").read_text())
    assert summary["solver"]["status"] in ("optimal", "feasible")
    assert set(summary["utilisation"]) == {"lead", "temp"}
    # the figures agree with each other
    assert summary["delivered_fte_weeks"] + summary["unmet_fte_weeks"] == pytest.approx(
        summary["demand_fte_weeks"]
    )


def test_extending_the_post_costs_and_delivers_more(tmp_path: Path) -> None:
    run("compare", SMALL, "--out", tmp_path / "out")
    table = pd.read_csv(tmp_path / "out" / "comparison.csv").set_index("option_id")
    assert table.loc["extend", "delivered_fte_weeks"] > table.loc["lapse", "delivered_fte_weeks"]
    assert table.loc["extend", "additional_cost_in_year"] == pytest.approx(
        round(0.6 * 44194 / 12 * (1 + 4 / 31), 2)
    )  # June, and 4 of July's 31 days


def test_bids_lost_plans_without_the_delivery_and_says_so(tmp_path: Path) -> None:
    result = run("compare", SMALL, "--out", tmp_path / "out", "--bids", "lost")
    assert result.exit_code == 0, result.output
    assert "Bid-dependent work delivered / unmet (bids lost)" in result.stdout
    table = pd.read_csv(tmp_path / "out" / "comparison.csv").set_index("option_id")
    assert set(table["bids_mode"]) == {"lost"}
    assert (table["bids_known"] == 1).all()
    for option in ("lapse", "extend"):
        schedule = pd.read_csv(tmp_path / "out" / option / "schedule.csv")
        unmet = pd.read_csv(tmp_path / "out" / option / "unmet.csv")
        assert "bid-award" not in set(schedule["item_id"]) | set(unmet["item_id"])


def test_the_risk_study_says_it_draws_bid_outcomes_itself() -> None:
    result = run("risk", "--help")
    assert "no --bids" in " ".join(result.stdout.split())
    assert "--bids" in run("plan", "--help").stdout


def test_plan_writes_one_option(tmp_path: Path) -> None:
    result = run("plan", SMALL, "--option", "extend", "--out", tmp_path / "plan")
    assert result.exit_code == 0, result.output
    assert {p.name for p in (tmp_path / "plan").iterdir()} == PLAN_FILES | {MARKER}
    assert "verified" in result.stdout


def test_same_input_gives_identical_files(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert run("compare", SMALL, "--out", a).exit_code == 0
    assert run("compare", SMALL, "--out", b).exit_code == 0
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert len(files) > 10
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    for relative in files:
        assert (a / relative).read_bytes() == (b / relative).read_bytes(), relative


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["compare", "missing.yaml"], "no such file"),  # missing path
        (["plan", SMALL, "--option", "lapsed"], "did you mean 'lapse'"),  # unknown option
        (["compare", REPOSITORY / "tests"], "is a folder"),  # a folder, not a file
        (["compare", REPOSITORY / "pyproject.toml"], "unsupported file type"),  # not a scenario
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    tmp_path: Path, args, words: str
) -> None:
    out = tmp_path / "out"
    result = run(*args, "--out", out)
    assert result.exit_code == 2
    assert words in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()


def test_a_bad_value_names_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.read_text().replace("load: {value: 0.4,", "load: {value: lots,"))
    result = run("compare", bad, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert f"{bad}:33: work[bau].load: 'lots' is not a number" in result.output
    assert not (tmp_path / "out").exists()
    assert "lots" in bad.read_text()  # the input is never modified


def test_someone_elses_folder_is_not_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "theirs"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    result = run("compare", SMALL, "--out", out)
    assert result.exit_code == 2 and "--force" in result.output
    assert (out / "notes.txt").read_text() == "keep me"
    assert run("compare", SMALL, "--out", out, "--force").exit_code == 0
    assert not (out / "notes.txt").exists()


def test_own_output_is_replaced_on_rerun(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("compare", SMALL, "--out", out).exit_code == 0
    assert run("compare", SMALL, "--out", out).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folders left


def test_validate_and_assumptions(tmp_path: Path) -> None:
    result = run("validate", SMALL)
    assert result.exit_code == 0 and "valid" in result.stdout and "assumption" in result.stdout
    csv = tmp_path / "a.csv"
    result = run("assumptions", SMALL, "--csv", csv)
    assert result.exit_code == 0
    table = pd.read_csv(csv)
    assert {"source", "assumption"} <= set(table["basis"])


def test_every_command_has_help_with_an_example() -> None:
    for name, command in cli.commands.items():
        assert command.help, name
        assert "Example:" in command.help, name
        assert CliRunner().invoke(cli, [name, "--help"]).exit_code == 0


def test_finance_prints_costs_and_reconciliation(tmp_path: Path) -> None:
    result = run("finance", SMALL, "--out", tmp_path / "fin")
    assert result.exit_code == 0, result.output
    assert "pro rata by months" in result.stdout
    assert "Cost per unmet FTE-week removed" in result.stdout
    costs = pd.read_csv(tmp_path / "fin" / "costs.csv")
    assert list(costs["option_id"]) == ["lapse", "extend"]
    assert (tmp_path / "fin" / "reconciliation.csv").exists()


def small_with(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "scenario.yaml"
    text = SMALL.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_names_with_dollars_and_formulas_are_shown_as_written(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = small_with(
        tmp_path, "name: Funding bid\n", 'name: "=HYPERLINK(1) bid for $5k and $10k"\n'
    )
    assert run("compare", path, "--out", tmp_path / "out").exit_code == 0
    assert run("export", path, "--out", tmp_path / "plan.xlsx").exit_code == 0
    book = load_workbook(tmp_path / "plan.xlsx")
    # The bid is in the Schedule or on the Unmet sheet, whichever the plan makes it.
    cells = [
        c
        for sheet in book
        for row in sheet.iter_rows()
        for c in row
        if str(c.value).startswith("=HYPERLINK")
    ]
    assert cells and all(c.data_type == "s" for c in cells)  # text, never a live formula


def test_output_is_readable_by_others_and_reruns_cleanly(tmp_path: Path) -> None:
    import os

    out = tmp_path / "out"
    assert run("compare", SMALL, "--out", out).exit_code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o777 & ~umask
    # `plan` may replace an option folder that `compare` wrote
    assert run("plan", SMALL, "--option", "extend", "--out", out / "extend").exit_code == 0
    assert run("export", SMALL, "--out", tmp_path / "plan.xlsx").exit_code == 0
    assert run("export", SMALL, "--out", tmp_path / "plan.xlsx").exit_code == 0  # ours: replaced


def test_a_bad_output_place_fails_before_solving(tmp_path: Path, monkeypatch) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "keep.txt").write_text("x")
    result = CliRunner().invoke(cli, ["compare", str(SMALL), "--out", str(theirs)])
    assert result.exit_code == 2 and "Planning" not in result.output
    monkeypatch.chdir(theirs)
    result = CliRunner().invoke(cli, ["compare", str(SMALL), "--out", ".", "--force"])
    assert result.exit_code == 2 and "current folder" in result.output
    assert (theirs / "keep.txt").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["compare", str(SMALL), "--time-limit", "nan"],  # not a number of seconds
        ["finance", str(SMALL), "--tolerance", "nan"],  # not an amount
    ],
)
def test_non_finite_numbers_are_refused(args: list[str], tmp_path: Path) -> None:
    result = run(*args, "--out", tmp_path / "out")
    assert result.exit_code == 2 and "not a finite number" in result.output


def test_assumptions_csv_is_not_overwritten_without_force(tmp_path: Path) -> None:
    csv = tmp_path / "a.csv"
    csv.write_text("mine")
    assert run("assumptions", SMALL, "--csv", csv).exit_code == 2
    assert csv.read_text() == "mine"
    assert run("assumptions", SMALL, "--csv", csv, "--force").exit_code == 0
    assert csv.read_text().startswith("place,")


def test_finance_uses_one_rule_throughout(tmp_path: Path) -> None:
    path = small_with(
        tmp_path,
        "options:\n",
        "options:\n  - id: hire\n    name: Hire\n    source: para 24\n    changes:\n"
        "      - add: {id: new, role: Officer, fte: 1.0, grade: F, start: 2021-05-01,\n"
        "              recruitment_gap: [2 weeks, 8 weeks]}\n",
    )
    for rule in ("days", "months"):
        out = tmp_path / f"fin-{rule}"
        assert (
            run("finance", path, "--cost-rule", rule, "--point", "high", "--out", out).exit_code
            == 0
        )
        costs = pd.read_csv(out / "costs.csv").set_index("option_id")
        starts = pd.read_csv(out / "start-dates.csv")
        planned = starts[starts["planned"]].set_index("option_id")
        assert (
            planned.loc["hire", "additional_cost_in_year"]
            == costs.loc["hire", "additional_cost_in_year"]
        )


def test_plan_and_compare_say_when_owned_work_moves(tmp_path: Path) -> None:
    # The monthly business as usual is the temporary post's; it ends on 31 May, so what
    # the plan still delivers after that moves to the lead (June's part competes with the
    # bid, which the plan may prefer: the figures come from the plan's own table).
    text = SMALL_TEAM.read_text(encoding="utf-8")
    owned = tmp_path / "owned.yaml"
    owned.write_text(
        text.replace("    handover: monthly\n", "    handover: monthly\n    assigned_to: temp\n"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["plan", str(owned), "--option", "lapse", "--out", str(tmp_path / "p")]
    )
    assert result.exit_code == 0, result.output
    moved = pd.read_csv(tmp_path / "p" / "moved_from_owner.csv")
    rows = moved[["item_id", "owner_ids", "staff_id", "weeks"]].values.tolist()
    assert len(rows) == 1
    item_id, owner_ids, staff_id, weeks = rows[0]
    assert (item_id, owner_ids, staff_id) == ("bau", "temp", "lead")
    assert weeks >= 4  # at least May's weeks after the post ends
    said = f"Business as usual moves from Project Lead to Commissioning Manager for {weeks} weeks"
    assert said in result.output
    result = CliRunner().invoke(cli, ["compare", str(owned), "--out", str(tmp_path / "c")])
    assert f"  lapse: {said}" in result.output
    assert (tmp_path / "c" / "extend" / "moved_from_owner.csv").exists()
