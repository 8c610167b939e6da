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
    assert "Let the temporary post lapse" in result.stdout
    assert "Extend the temporary post" in result.stdout
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
    assert "Bid-dependent work delivered / unmet (every bid lost)" in result.stdout
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
    assert result.stdout.startswith("Extend the temporary post: delivered ")  # by name
    assert "checked again, independently" in result.stdout


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
    # options by name, with the id to type after --option; people by name
    assert "Let the temporary post lapse  [--option lapse]" in result.stdout
    assert "Staff (2): Commissioning Manager; Project Lead" in result.stdout
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
    assert f"  Let the temporary post lapse: {said}" in result.output
    assert (tmp_path / "c" / "extend" / "moved_from_owner.csv").exists()


JARGON = (
    "CP-SAT",
    "deterministic",
    "verifier",
    "P10",
    "P50",
    "P90",
    "proof",
    "proving",
    "bisection",
    "feasible",
    "optimal",
    "solver",
    "phase",
)
"""Words a commissioning manager should not need: in help text only inside brackets, as
the precise term for finance or an expert (our choice: allowed there, nowhere else)."""


def outside_brackets(text: str) -> str:
    """``text`` without anything in (nested) round brackets."""
    kept, depth = [], 0
    for character in text:
        depth += character == "("
        if depth == 0:
            kept.append(character)
        depth -= character == ")" and depth > 0
    return "".join(kept)


def test_outside_brackets_drops_nested_asides() -> None:
    assert outside_brackets("how hard (CP-SAT (deterministic) time) it searches") == (
        "how hard  it searches"
    )


def help_texts() -> list[tuple[str, str]]:
    """(where, text) for the group, every command and every option's help."""
    texts = [("capacity", cli.help or "")]
    for name, command in cli.commands.items():
        texts.append((name, command.help or ""))
        texts += [(f"{name} {p.name}", getattr(p, "help", None) or "") for p in command.params]
    return texts


def test_help_text_keeps_solver_jargon_in_brackets() -> None:
    found = [
        (where, word)
        for where, text in help_texts()
        for word in JARGON
        if word.lower() in outside_brackets(text).lower()
    ]
    assert found == []
    # and the precise terms are still there for the expert, in brackets
    assert "(CP-SAT deterministic seconds per phase)" in " ".join(
        " ".join(text.split()) for _, text in help_texts()
    )


def test_compare_prints_options_people_and_work_by_name(tmp_path: Path) -> None:
    result = run("compare", SMALL, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    header = result.stdout.strip().splitlines()[0]
    assert " ".join(header.split()) == "Let the temporary post lapse Extend the temporary post"
    assert "Load: Project Lead (mean / peak)" in result.stdout
    assert "Load temp" not in result.stdout and "Load lead" not in result.stdout
    assert "Statutory tender" in result.stdout or "Business as usual" in result.stdout
    for item_id in ("statutory-tender", "bid-award", "bau "):
        assert item_id not in result.stdout
    assert "Best possible plan?" in result.stdout and "Solver" not in result.stdout


def test_progress_says_how_good_each_plan_is_in_words(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["compare", str(SMALL), "--out", str(tmp_path / "o")])
    assert "Planning Let the temporary post lapse ... the best possible plan" in result.stderr
    assert "gap" not in result.stderr and "optimal" not in result.stderr


# -- capacity diff ---------------------------------------------------------------------------

SCENARIOS = REPOSITORY / "scenarios"
BASE = SCENARIOS / "staffing-options-2021-22.yaml"


def test_diff_of_a_what_if_against_its_base_names_what_it_drops(tmp_path: Path) -> None:
    csv = tmp_path / "changes.csv"
    result = run("diff", BASE, SCENARIOS / "what-if-lost-bid.yaml", "--csv", csv)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    work = lines.index("Work:")
    assert lines[work + 1 : work + 3] == [
        "  Funding bid 6:",
        "    removed: bid, high priority, 0.4-0.5 FTE for 4 weeks, 19 Jul 2021 to 29 Aug 2021",
    ]
    assert "  Funding bid 7: post-award delivery:" in lines
    assert "bid-6" not in result.stdout  # ids only in the CSV
    table = pd.read_csv(csv)
    assert list(table.columns) == ["area", "id", "name", "what", "before", "after"]
    removed = table[(table["area"] == "Work") & (table["what"] == "removed")]
    assert set(removed["id"]) == {
        f"bid-{n}{part}" for n in (6, 7) for part in ("", "-award", "-contribution")
    }


def test_diff_shows_staff_options_and_costs_field_by_field() -> None:
    gap = run("diff", BASE, SCENARIOS / "what-if-recruitment-gap.yaml")
    assert gap.exit_code == 0, gap.output
    text = gap.stdout
    assert (
        "    new post New Commissioning Officer (full-time): recruitment gap (weeks): 0 -> 8-16"
        in text
    )
    assert "Costs:" in text and "additional cost 2021/22: £29,462.67 -> £19,364.58" in text
    absence = run("diff", BASE, SCENARIOS / "what-if-officer-absence.yaml")
    assert (
        "Staff:\n  Commissioning Officer:\n    absences: (none) -> 04 Oct 2021 to 26 Nov 2021"
        in (absence.stdout)
    )
    same = run("diff", BASE, BASE)
    assert same.exit_code == 0 and "No differences" in same.stdout


def test_diff_of_two_workbooks_says_what_the_yaml_diff_says(tmp_path: Path) -> None:
    from capacity.outputs.scenario_files import convert_scenario

    before, after = tmp_path / "options-v1.xlsx", tmp_path / "options-v2.xlsx"
    convert_scenario(BASE, before)
    convert_scenario(SCENARIOS / "what-if-more-commissioning.yaml", after)
    books = tmp_path / "books.csv"
    files = tmp_path / "files.csv"
    result = run("diff", before, after, "--csv", books)
    assert result.exit_code == 0, result.output
    assert (
        run("diff", BASE, SCENARIOS / "what-if-more-commissioning.yaml", "--csv", files).exit_code
        == 0
    )
    assert pd.read_csv(books).equals(pd.read_csv(files))
    assert "  Additional service 1 tender:\n    added: tender, high priority" in result.stdout
    assert "34.7 weeks" in result.stdout  # a duration in months, in weeks to one decimal
    assert "34.666" not in result.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["missing.yaml", SMALL], "missing.yaml: no such file"),  # the first file is missing
        ([SMALL, REPOSITORY / "pyproject.toml"], "unsupported file type"),  # not a scenario
        ([SMALL, REPOSITORY / "tests"], "is a folder"),  # a folder
    ],
)
def test_diff_of_a_bad_file_exits_2_with_one_located_line(args, words: str) -> None:
    result = run("diff", *args)
    assert result.exit_code == 2
    assert words in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_diff_names_the_line_of_a_bad_value(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.read_text().replace("load: {value: 0.4,", "load: {value: lots,"))
    result = run("diff", SMALL, bad)
    assert result.exit_code == 2
    assert f"{bad}:33: work[bau].load: 'lots' is not a number" in result.output


def test_compare_from_base_plans_the_base_first_and_each_option_from_its_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import capacity.pipeline

    base = tmp_path / "base.yaml"
    base.write_text(SMALL_TEAM.read_text(encoding="utf-8"), encoding="utf-8")
    what_if = tmp_path / "what-if.yaml"
    what_if.write_text(
        "scenario: Lost bid\nextends: base.yaml\nchanges:\n  - update: bid\n    outcome: lost\n",
        encoding="utf-8",
    )
    started: list[tuple[str, str | None]] = []
    real = capacity.pipeline.plan_option

    def recorded(scenario, option_id, *args, start_from=None, **kwargs):  # type: ignore[no-untyped-def]
        started.append(
            (scenario.name, None if start_from is None else start_from.problem.scenario.name)
        )
        return real(scenario, option_id, *args, start_from=start_from, **kwargs)

    monkeypatch.setattr(capacity.pipeline, "plan_option", recorded)
    monkeypatch.setenv("CAPACITY_NO_CACHE", "1")
    args = ["--from-base", "--base-budget", "0.5", "--search-budget", "0.5", "--no-cache"]
    result = CliRunner().invoke(cli, ["compare", str(what_if), "--out", str(tmp_path / "o"), *args])
    assert result.exit_code == 0, result.output
    assert "Base scenario:" in result.stderr and "each option from the base's plan" in result.stderr
    base_name = "Small test team"
    assert sorted(started) == sorted([(base_name, None)] * 2 + [("Lost bid", base_name)] * 2), (
        started
    )
    assert (tmp_path / "o" / "comparison.csv").is_file()


def test_compare_from_base_refuses_a_scenario_that_extends_nothing(tmp_path: Path) -> None:
    out = tmp_path / "o"
    result = CliRunner().invoke(cli, ["compare", str(SMALL_TEAM), "--from-base", "--out", str(out)])
    assert result.exit_code == 2
    assert "--from-base: this scenario does not extend a base scenario" in result.output
    assert str(SMALL_TEAM) in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
