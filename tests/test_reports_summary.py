"""capacity.reports.summary on hand-built plans and a hand-made risk study (no solver)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal

import pytest
from conftest import SMALL_TEAM, hand_built_plan, item, person, scenario, week

from capacity.domain import StaffingOption
from capacity.finance import format_money, option_cost
from capacity.plan import OptionResult, SolveStatus
from capacity.reports.comparison import bid_split
from capacity.reports.figures import format_fte_weeks
from capacity.reports.summary import (
    board_summary,
    option_label,
    ranking_sentence,
    scenario_version,
    short_name,
)
from capacity.risk.study import OptionOutcome, SampleResult, StudyResult, sample_settings


def outcome(option_id: str, mandatory_unmet: str) -> OptionOutcome:
    return OptionOutcome(
        option_id=option_id,
        demand_fte_weeks=Decimal(20),
        delivered_fte_weeks=Decimal(18),
        unmet_fte_weeks=Decimal(2),
        unmet_mandatory_fte_weeks=Decimal(mandatory_unmet),
        status=SolveStatus.OPTIMAL,
        gap=Decimal(0),
        # the small team's one mandatory item, when the sample leaves mandatory work unmet
        unmet_items=(("statutory-tender", Decimal(mandatory_unmet)),)
        if Decimal(mandatory_unmet)
        else (),
        utilisation=(),
        runtime_seconds=0.0,
    )


def study_of(data, slips: dict[str, list[bool]]) -> StudyResult:
    """A study with no solve: in sample i, option o leaves mandatory work unmet if
    ``slips[o][i]``."""
    count = len(next(iter(slips.values())))
    samples = tuple(
        SampleResult(
            i,
            0,
            0,
            (),
            True,
            0,
            0,
            tuple(outcome(o, "3" if slipped[i] else "0") for o, slipped in slips.items()),
        )
        for i in range(count)
    )
    return StudyResult(data, 7, sample_settings(1.5), tuple(slips), samples)


@pytest.fixture(scope="module")
def study(small_team) -> StudyResult:
    return study_of(
        small_team, {"lapse": [True, True, True, False], "extend": [False, True, False, False]}
    )


def test_a_column_per_option_headed_by_its_name(small_team, small_results, study) -> None:
    summary = board_summary(small_team, small_results, study)
    assert list(summary.options.columns) == [
        "Let the temporary post lapse",
        "Extend the temporary post",
    ]
    cells = " ".join(str(v) for v in summary.options.to_numpy().ravel())
    assert "Statutory tender" in cells
    for an_id in ("statutory-tender", "bau", "temp", "lead"):
        assert an_id not in cells.split()  # names, never ids


def test_costs_are_this_year_and_next_in_pounds(small_team, small_results, study) -> None:
    summary = board_summary(small_team, small_results, study)
    extend = summary.options["Extend the temporary post"]
    cost = small_results[1].cost
    assert extend["Additional cost 2021 (this year)"] == format_money(cost.additional_in_year)
    assert extend["Full-year cost thereafter (next year)"] == format_money(
        cost.additional_next_year
    )


def test_committed_work_is_apart_from_bid_dependent_work(small_team, small_results, study) -> None:
    summary = board_summary(small_team, small_results, study)
    for result in small_results:
        column = summary.options[option_label(result.plan.problem.option_name)]
        split = bid_split(result.plan)  # the horizon is inside 2021/22: one year, the whole
        committed = column["Committed work 2021/22: delivered / left undone (FTE-weeks)"]
        done, undone = split.committed_delivered, split.committed_unmet
        assert committed == f"{format_fte_weeks(done)} / {format_fte_weeks(undone)}"
        bids = column["Bid-dependent work 2021/22: delivered / left undone (FTE-weeks)"]
        done, undone = split.bid_delivered, split.bid_unmet
        assert bids == f"{format_fte_weeks(done)} / {format_fte_weeks(undone)}"
    lapse = summary.options["Let the temporary post lapse"]
    assert lapse["Statutory work in the central plan"].endswith("FTE-weeks left undone")
    assert "Statutory tender" in lapse["Committed work most left undone"]
    assert "Funding bid" not in lapse["Committed work most left undone"]  # bid-dependent


def test_the_chance_that_statutory_work_slips_comes_from_the_study(
    small_team, small_results, study
) -> None:
    summary = board_summary(small_team, small_results, study)
    row = summary.options.loc["Chance statutory work slips (risk study)"]
    assert list(row) == ["75% of 4 sampled years", "25% of 4 sampled years"]
    slipping = summary.options.loc["Statutory work that slips most often (risk study)"]
    assert list(slipping) == ["Statutory tender (75% of years)", "Statutory tender (25% of years)"]
    assert "4 sampled years" in summary.risk and "1.5 s" in summary.risk  # what it rests on
    without = board_summary(small_team, small_results, None)
    assert set(without.options.loc["Chance statutory work slips (risk study)"]) == {"not studied"}
    assert "No risk study" in without.risk


def test_the_ranking_states_cost_per_fte_week_delivered_lowest_first(small_results) -> None:
    sentence = ranking_sentence(small_results)
    # extend's posts deliver more work for their cost than lapse's (which end in May)
    assert sentence.index("Extend the temporary post") < sentence.index(
        "Let the temporary post lapse"
    )
    assert "recommended" not in sentence


def test_recommended_is_said_to_be_the_papers_view_only() -> None:
    assert (
        option_label("Option 4: a full-time officer (recommended)")
        == "Option 4: a full-time officer (recommended in the paper)"
    )
    assert option_label("Option 1: let it lapse") == "Option 1: let it lapse"
    assert short_name("Option 4: a full-time officer (recommended)") == "Option 4"
    assert short_name("Extend the post") == "Extend the post"


def test_caveats_say_what_the_central_plan_assumes_and_count_the_sources(
    small_team, small_results, study
) -> None:
    summary = board_summary(small_team, small_results, study)
    caveats = " ".join(summary.caveats)
    assert "midpoint of every range" in caveats
    sources = sum(e.provenance.kind.value == "source" for e in small_team.provenance)
    assert f"{sources} come from the decision record" in caveats
    assert "feasible" not in caveats and "0 of 2 are proven" in caveats  # hand-built plans


def test_a_horizon_over_two_financial_years_gives_each_year_its_own_rows() -> None:
    # 60 weeks from 5 April 2021: 2021/22 and 2022/23. One item is done in each year and a
    # third, due in the first year, is left undone.
    data = scenario(
        [person("a")],
        [
            item("early", load="1", weeks=2, deadline=week(10)),
            item("late", load="1", weeks=2, release=week(55)),
            item("undone", load="0.5", weeks=4, deadline=week(20)),
        ],
        weeks=60,
        options=[StaffingOption("only", "Only option")],
    )
    plan = hand_built_plan(data, "only", {"early": ("a", 0), "late": ("a", 56)})
    results = [OptionResult(plan, option_cost(data, "only"))]
    column = board_summary(data, results).options["Only option"]
    assert column["Committed work 2021/22: delivered / left undone (FTE-weeks)"] == "2.0 / 2.0"
    assert column["Committed work 2022/23: delivered / left undone (FTE-weeks)"] == "2.0 / 0.0"
    assert "Additional cost 2022/23" in column.index


def test_the_version_is_the_same_in_every_process_and_changes_with_the_scenario(
    small_team,
) -> None:
    code = (
        "from capacity.readers import load_scenario;"
        "from capacity.reports.summary import scenario_version;"
        f"print(scenario_version(load_scenario({str(SMALL_TEAM)!r})))"
    )
    versions = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert len(versions) == 1  # a set's order must not reach the fingerprint
    assert versions == {scenario_version(small_team)}
    assert versions.pop().startswith("small-team.yaml, fingerprint ")
    assert scenario_version(replace(small_team, name="Another team")) != scenario_version(
        small_team
    )
