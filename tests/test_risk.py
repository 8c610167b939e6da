"""Risk studies: draws, reproducibility, common random numbers, Dask, the command and its errors.

Every study here is a few samples of a tiny scenario, so each test takes seconds.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import REPOSITORY, item, person, scenario, week

from capacity.charts.risk import unmet_distribution_chart
from capacity.cli import cli
from capacity.domain import Estimate, Scenario, StaffingOption, WorkKind
from capacity.domain.estimate import FTE_STEP, PointRule
from capacity.domain.options import AddPost
from capacity.domain.team import Induction
from capacity.domain.uncertainty import RangeDistribution, Uncertainty
from capacity.pipeline import plan_option
from capacity.plan import SolveStatus
from capacity.reports.risk import items_table, most_often_text, summary_view
from capacity.risk import draw_sample, run_study, summarise
from capacity.risk.distributions import range_value, share_value
from capacity.risk.study import (
    OptionOutcome,
    SampleResult,
    StudyResult,
    run_sample,
    sample_settings,
)

SMALL = REPOSITORY / "tests" / "data" / "small-team.yaml"
CERTAIN = Uncertainty(
    bid_win_probability=Decimal(1),
    holder_appointed_probability=Decimal(1),
    absence_probability=Decimal(0),
)


def tight_team(absence: str = "0.6") -> object:
    """One lead who must deliver a mandatory tender; long absences are likely. Option
    'helped' adds a second person who can lead."""
    helper = person("helper", "0.5", skills=("lead",), start=week(0))
    return scenario(
        [person("lead", skills=("lead",))],
        [
            item("tender", "0.5", weeks=6, deadline=week(8), mandatory=True, skill="lead"),
            item("bau", "0.3", weeks=None),
        ],
        weeks=10,
        options=[
            StaffingOption("alone", "Alone"),
            StaffingOption(
                "helped", "With a helper", changes=(AddPost(helper, Estimate.exact(0)),)
            ),
        ],
        uncertainty=replace(
            CERTAIN,
            absence_probability=Decimal(absence),
            absence_weeks=Estimate(Decimal(2), Decimal(5)),
        ),
    )


# -- single draws ------------------------------------------------------------------------


@pytest.mark.parametrize("shape", list(RangeDistribution))
def test_a_drawn_value_stays_in_its_range_and_covers_it(shape: RangeDistribution) -> None:
    estimate = Estimate(Decimal("0.5"), Decimal("1.0"))
    values = [share_value(estimate, u / 1000, shape, Decimal("0.05")) for u in range(1000)]
    assert min(values) == Decimal("0.5") and max(values) == Decimal("1.0")
    assert all(v % Decimal("0.05") == 0 for v in values)  # on the record's 5% grid
    middle = range_value(estimate, 0.5, shape)
    assert middle == Decimal("0.75")


def test_work_given_as_effort_draws_its_effort() -> None:
    # Left as a range it would be planned at its high end in every sample (a sample plans
    # at the high point): the road-safety review's 17.2 FTE-weeks never fit.
    review = replace(
        item("review", "0.2", weeks=None),
        effort=Estimate(Decimal("12.9"), Decimal("17.2")),
        max_load=Estimate.exact("0.4"),
        max_people=2,
    )
    data = scenario([person("a"), person("b")], [review], weeks=52, uncertainty=CERTAIN)
    drawn = [draw_sample(data, 0, i).scenario.work[0] for i in range(40)]
    efforts = [w.effort.point(PointRule.HIGH) for w in drawn]  # type: ignore[union-attr]
    assert all(Decimal("12.9") <= e <= Decimal("17.2") for e in efforts)
    assert len(set(efforts)) > 20  # drawn, not the high end each time
    assert all(e == e.quantize(FTE_STEP) for e in efforts)


def test_a_sample_of_effort_work_that_barely_fits_is_never_refused() -> None:
    # Drawn lower, a stint load or a partners' share could fail the check that the
    # effort's low end fits at all; a sample is never refused: such work is unmet there.
    delivery = replace(
        item("delivery", weeks=None, load="0.2"),
        load=Estimate(Decimal("0.2"), Decimal("0.4")),
        effort=Estimate(Decimal("2.0001"), Decimal("3")),
        partner_share=Estimate(Decimal("0.5"), Decimal("0.7")),
        win_probability=Estimate.exact("1"),  # the delivery of a bid already submitted, won
        max_people=2,
    )
    # Four weeks: at 0.2 a week and a partners' share of 0.5 the team's 1.0 FTE-weeks would
    # not fit (0.8); as written (0.4 a week, 0.7 theirs) it does.
    data = scenario([person("a"), person("b")], [delivery], weeks=4, uncertainty=CERTAIN)
    for index in range(40):
        drawn = draw_sample(data, 0, index).scenario.work[0]
        effort = drawn.effort.point(PointRule.HIGH)  # type: ignore[union-attr]
        assert Decimal("2.0001") <= effort <= Decimal(3)


def test_a_lost_bid_is_still_written_but_its_delivery_does_not_arise() -> None:
    bid = replace(item("bid", "0.5", kind=WorkKind.BID), win_probability=Estimate.exact(0))
    award = item("bid-award", "0.5", committed_to="bid")
    follow_up = item("follow-up", "0.2", alongside="bid-award")
    submitted = replace(item("submitted", "0.3"), win_probability=Estimate.exact(0))
    data = scenario([person("a")], [bid, award, follow_up, submitted], uncertainty=CERTAIN)
    sample = draw_sample(data, seed=1, index=0)
    assert [w.id for w in sample.scenario.work] == ["bid"]
    assert sample.dropped == ("bid-award", "follow-up", "submitted")
    assert sample.bids_lost == ("bid", "submitted")


def recruiting(gap: str = "0", **uncertainty: object) -> Scenario:
    """A manager; option 'recruit' adds an officer from week 2 with a 4-week induction."""
    officer = person(
        "officer",
        skills=("officer",),
        start=week(2),
        induction=Induction(Estimate.exact(4), Estimate.exact("0.5")),
    )
    return scenario(
        [person("manager", skills=("lead",))],
        [item("casework", "0.5", weeks=4, skill="officer")],
        weeks=16,
        options=[
            StaffingOption("base", "As is"),
            StaffingOption("recruit", "Recruit", changes=(AddPost(officer, Estimate.exact(gap)),)),
        ],
        uncertainty=replace(
            CERTAIN,
            external_delay_weeks=Estimate.exact(6),
            external_induction_weeks=Estimate.exact(10),
            external_induction_capacity=Estimate.exact("0.25"),
            **uncertainty,
        ),
    )


def sampled_post(data: Scenario, index: int = 0) -> AddPost:
    (post,) = draw_sample(data, seed=1, index=index).scenario.option("recruit").changes
    assert isinstance(post, AddPost)
    return post


def test_an_appointed_post_holder_starts_at_once_and_needs_no_induction() -> None:
    post = sampled_post(recruiting(gap="3", holder_appointed_probability=Decimal(1)))
    assert post.start_date(PointRule.HIGH) == week(2)  # the option's own gap is not taken
    assert post.member.induction is None


@pytest.mark.parametrize(
    ("gap", "starts"),
    [
        ("0", week(8)),  # no gap of its own: the external delay (6 weeks)
        ("3", week(5)),  # its own gap only, never the delay on top
    ],
)
def test_an_external_recruit_starts_after_one_gap_with_the_external_induction(
    gap: str, starts: date
) -> None:
    post = sampled_post(recruiting(gap=gap, holder_appointed_probability=Decimal(0)))
    assert post.start_date(PointRule.HIGH) == starts
    assert post.member.induction == Induction(Estimate.exact(10), Estimate.exact("0.25"))


def test_a_new_post_is_only_absent_while_it_is_filled() -> None:
    data = recruiting(holder_appointed_probability=Decimal(0), absence_probability=Decimal(1))
    starts = []
    for index in range(30):
        post = sampled_post(data, index)
        (absence,) = post.member.absences
        assert absence.start >= post.start_date(PointRule.HIGH) == week(8)
        starts.append(absence.start)
    assert len(set(starts)) > 1  # drawn over the weeks in post, not one fixed week


def test_draws_depend_only_on_seed_and_index() -> None:
    data = tight_team()
    draws = [draw_sample(data, 7, i) for i in range(8)]
    assert draws == [draw_sample(data, 7, i) for i in range(8)]
    assert len({s.absences for s in draws}) > 1  # the samples do differ
    assert (
        draw_sample(data, 8, 0).absences != draws[0].absences
        or draw_sample(data, 8, 1).absences != draws[1].absences
    )


# -- studies -------------------------------------------------------------------------------


def test_same_seed_gives_identical_results_with_one_and_two_workers() -> None:
    data = tight_team()
    one = run_study(data, 6, seed=3, workers=1)
    two = run_study(data, 6, seed=3, workers=2)
    assert one.samples == two.samples
    assert summarise(one) == summarise(two)
    assert one.samples != run_study(data, 6, seed=4, workers=1).samples


def test_each_sample_starts_from_the_options_plan_of_the_scenario_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Warm start (asked for; off by default, by measurement): each option is planned once
    # on the scenario itself, and every sample's search of that option starts from that
    # plan; a cold study passes no starting plan.
    # Either way the figures are of verified plans, so they agree where both are proven.
    import capacity.risk.study as study_module

    calls: list[tuple[str, bool]] = []
    real = study_module.plan_option

    def recording(scenario: object, option_id: str, *args: object, **kwargs: object) -> object:
        calls.append((option_id, kwargs.get("start_from") is not None))
        return real(scenario, option_id, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(study_module, "plan_option", recording)
    data = tight_team()
    warm = run_study(data, 3, seed=1, workers=1, warm_start=True)
    assert calls[:2] == [("alone", False), ("helped", False)]  # the starting plans
    assert calls[2:] == [("alone", True), ("helped", True)] * 3
    calls.clear()
    cold = run_study(data, 3, seed=1, workers=1)
    assert calls == [("alone", False), ("helped", False)] * 3
    for w, c in zip(summarise(warm), summarise(cold), strict=True):
        if w.proven_optimal_share == c.proven_optimal_share == 1:
            assert (w.unmet_mean, w.mandatory_delivered_share) == (
                c.unmet_mean,
                c.mandatory_delivered_share,
            )


def test_with_ranges_collapsed_and_certain_events_the_study_is_the_deterministic_plan() -> None:
    bid = replace(item("bid", "0.6", weeks=3, kind=WorkKind.BID), win_probability=Estimate.exact(1))
    project = replace(item("project", "0.4"), duration_weeks=Estimate(Decimal(4), Decimal(4)))
    induction = Induction(Estimate.exact(2), Estimate.exact("0.5"))
    # Never appointed, so always the external recruit: after the option's own exact gap
    # (never the delay as well), with the external induction, set to the option's.
    recruit = person("recruit", "1", start=week(1), induction=induction)
    certain = replace(
        CERTAIN,
        holder_appointed_probability=Decimal(0),
        external_delay_weeks=Estimate.exact(5),
        external_induction_weeks=induction.weeks,
        external_induction_capacity=induction.capacity_share,
    )
    data = scenario(
        [person("lead", skills=("lead",)), person("officer", "0.6")],
        [
            item("tender", "0.5", weeks=6, deadline=week(8), mandatory=True, skill="lead"),
            bid,
            item("bid-award", "0.5", weeks=3, committed_to="bid", after=()),
            project,
            item("bau", "0.3", weeks=None),
            item("too-much", "0.8", weeks=8),
            item("extra", "0.4", weeks=5),
        ],
        weeks=10,
        options=[
            StaffingOption("base", "As is"),
            StaffingOption("recruit", "Recruit", changes=(AddPost(recruit, Estimate.exact(2)),)),
        ],
        uncertainty=certain,
    )
    study = run_study(data, 3, seed=11, settings=sample_settings(5.0))
    for option_id in ("base", "recruit"):
        deterministic = plan_option(data, option_id)
        assert deterministic.unmet_fte_weeks > 0  # the comparison covers unmet work too
        expected: dict[str, Decimal] = {}
        for task in deterministic.unmet:
            expected[task.item_id] = expected.get(task.item_id, Decimal(0)) + task.demand_fte_weeks
        for outcome in study.outcomes(option_id):
            assert outcome.unmet_fte_weeks == deterministic.unmet_fte_weeks, option_id
            assert outcome.delivered_fte_weeks == deterministic.delivered_fte_weeks, option_id
            assert dict(outcome.unmet_items) == expected, option_id
    recruited = plan_option(data, "recruit").delivered_fte_weeks
    assert recruited > plan_option(data, "base").delivered_fte_weeks  # the post counts


def test_more_staff_never_lowers_the_chance_that_mandatory_work_is_delivered() -> None:
    data = tight_team()
    study = run_study(data, 12, seed=5)
    for sample in study.samples:
        alone, helped = sample.outcomes
        assert helped.unmet_mandatory_fte_weeks <= alone.unmet_mandatory_fte_weeks, sample.index
    by_option = {r.option_id: r for r in summarise(study)}
    assert by_option["alone"].mandatory_delivered_share < 1  # the absences do bite
    assert (
        by_option["helped"].mandatory_delivered_share > by_option["alone"].mandatory_delivered_share
    )


def test_every_sampled_plan_is_verified(monkeypatch: pytest.MonkeyPatch) -> None:
    # The study plans through the pipeline's plan_option, as `capacity compare` does, so
    # the pipeline's verifier sees every sampled plan.
    import capacity.pipeline as pipeline_module

    checked: list[str] = []
    real = pipeline_module.check_plan

    def counting(scenario: object, plan: object) -> object:
        checked.append(plan.option_id)  # type: ignore[attr-defined]
        return real(scenario, plan)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline_module, "check_plan", counting)
    run_sample(tight_team(), 0, 0, sample_settings(), ["alone", "helped"])
    assert checked == ["alone", "helped"]


def test_a_sample_skips_only_the_diagnosis(monkeypatch: pytest.MonkeyPatch) -> None:
    import capacity.pipeline as pipeline_module

    def no_diagnosis(plan: object, deadline: float | None = None) -> dict[str, str]:
        raise AssertionError("a risk study does not diagnose its sampled plans")

    # More work than one person can do, so the plan leaves some unmet.
    data = scenario(
        [person("lead")],
        [item("report", "0.8", weeks=8), item("review", "0.8", weeks=8)],
        options=[StaffingOption("alone", "Alone")],
    )
    explained = plan_option(data, "alone", sample_settings())
    assert explained.unmet and all(u.reason for u in explained.unmet)
    monkeypatch.setattr(pipeline_module, "explain_unmet", no_diagnosis)
    result = run_sample(data, 0, 0, sample_settings(), ["alone"])
    assert [o.option_id for o in result.outcomes] == ["alone"]
    assert result.outcomes[0].unmet_fte_weeks == explained.unmet_fte_weeks
    with pytest.raises(AssertionError, match="does not diagnose"):
        plan_option(data, "alone", sample_settings())


def test_a_dask_cluster_gives_the_local_result() -> None:
    from distributed import LocalCluster

    data = tight_team()
    local = run_study(data, 4, seed=2, workers=1)
    with LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        remote = run_study(data, 4, seed=2, dask_address=cluster.scheduler_address)
    assert remote.samples == local.samples


# -- aggregation ---------------------------------------------------------------------------


def outcome(option_id: str, unmet: dict[str, str], mandatory: str = "0") -> OptionOutcome:
    items = tuple((item_id, Decimal(v)) for item_id, v in unmet.items())
    total = sum((v for _, v in items), Decimal(0))
    return OptionOutcome(
        option_id=option_id,
        demand_fte_weeks=Decimal(20),
        delivered_fte_weeks=Decimal(20) - total,
        unmet_fte_weeks=total,
        unmet_mandatory_fte_weeks=Decimal(mandatory),
        status=SolveStatus.OPTIMAL,
        gap=Decimal(0),
        unmet_items=items,
        utilisation=(),
        runtime_seconds=0.0,
    )


def hand_made_study() -> StudyResult:
    """Two samples of one option, with no solve: 'often' is unmet in both (1 and 5
    FTE-weeks), 'statutory' (mandatory) in one (4), and 'award' arises only in the second,
    which leaves it unmet (2)."""
    data = scenario(
        [person("a")],
        [item("statutory", mandatory=True), item("often"), item("award")],
        options=[StaffingOption("only", "Only")],
    )
    samples = (
        SampleResult(0, 0, 1, ("award",), True, 0, 0, (outcome("only", {"often": "1"}),)),
        SampleResult(
            1,
            1,
            0,
            (),
            True,
            0,
            0,
            (outcome("only", {"statutory": "4", "often": "5", "award": "2"}, mandatory="4"),),
        ),
    )
    return StudyResult(data, 0, sample_settings(), ("only",), samples)


def test_items_are_ranked_by_how_often_unmet_over_the_samples_they_arise_in() -> None:
    (risk,) = summarise(hand_made_study())
    by_id = {i.item_id: i for i in risk.items}
    assert [i.item_id for i in risk.items] == ["often", "award", "statutory"]  # not mandatory first
    assert by_id["award"].present_samples == 1 and by_id["award"].unmet_share == 1
    assert by_id["award"].mean_unmet_fte_weeks_when_arising == 2  # over 1 sample, not 2
    assert by_id["often"].mean_unmet_fte_weeks_when_arising == 3
    assert by_id["statutory"].unmet_share == 0.5
    assert by_id["statutory"].mean_unmet_fte_weeks_when_arising == 2
    assert "Only" in summary_view([risk]).columns  # the option by name
    shown = most_often_text([risk]).splitlines()[-1]  # the items by name, most often first
    assert shown == "  Only: Item often 100%; Item award 100%; *Item statutory 50%"
    table = items_table([risk]).set_index("item_id")
    assert table.loc["award", "mean_unmet_fte_weeks_when_arising"] == 2


def test_the_distribution_chart_marks_the_summary_percentiles() -> None:
    study = hand_made_study()
    (risk,) = summarise(study)
    figure = unmet_distribution_chart(study, [risk])
    marked = [line for line in figure.axes[0].lines if line.get_marker() == "o"]
    dots = {(float(x), float(y)) for line in marked for x, y in line.get_xydata()}
    assert dots == {
        (float(risk.unmet_p10), 0.1),
        (float(risk.unmet_p50), 0.5),
        (float(risk.unmet_p90), 0.9),
    }


# -- the command -------------------------------------------------------------------------


def run(*args: object) -> object:
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_risk_prints_the_table_and_writes_the_files(tmp_path: Path) -> None:
    out = tmp_path / "risk"
    result = run("risk", SMALL, "--samples", 4, "--workers", 1, "--out", out)
    assert result.exit_code == 0, result.output
    for words in ("all mandatory work is delivered", "bad year (P90)", "Most often left", "lapse"):
        assert words in result.output
    samples = pd.read_csv(out / "samples.csv")
    assert len(samples) == 4 * 2 and set(samples["option_id"]) == {"lapse", "extend"}
    summary = pd.read_csv(out / "summary.csv").set_index("option_id")
    assert (
        summary.loc["extend", "unmet_p90_fte_weeks"] <= summary.loc["lapse", "unmet_p90_fte_weeks"]
    )
    assert (out / "unmet-distribution.png").stat().st_size > 10_000
    assert (out / "most-often-unmet.png").stat().st_size > 10_000
    assert "bids.win_probability" in (out / "uncertainty.csv").read_text()


def test_dask_without_the_extra_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    result = run("risk", SMALL, "--dask", "tcp://localhost:1", "--out", tmp_path / "o")
    assert result.exit_code == 2
    assert "pip install 'capacity[dask]'" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


BAD_UNCERTAINTY = [
    # a probability above 1
    ("bids:\n    win_probability: 1.5", "uncertainty.bids.win_probability", 3),
    # a misspelt key, with a suggestion
    ("recruitment:\n    holder_apointed: 0.5", "did you mean 'holder_appointed'", 3),
    # an unknown distribution
    ("ranges: {value: normal, assumption: Bell-shaped is a guess}", "not one of uniform", 2),
    # an absence of no length
    ("absence:\n    length: 0 weeks", "uncertainty.absence.length", 3),
    # a probability given as a range
    ("absence:\n    probability: [0.1, 0.2]", "one number, not a range", 3),
    # a source left empty
    ("bids:\n    win_probability: {value: 0.8, source: ''}", "source: is empty", 3),
    # an unknown section
    ("travel: 0.2", "uncertainty.travel: unknown key", 2),
    # a section that is not a mapping, named by its whole key path
    ("bids: 3", "uncertainty.bids: must be a mapping", 2),
    ("recruitment:\n    external_induction: 3", "uncertainty.recruitment.external_induction:", 3),
]


@pytest.mark.parametrize(("section", "words", "offset"), BAD_UNCERTAINTY)
def test_bad_uncertainty_input_is_one_located_line(
    tmp_path: Path, section: str, words: str, offset: int
) -> None:
    text = SMALL.read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text + "uncertainty:\n  " + section + "\n", encoding="utf-8")
    line = len(text.splitlines()) + offset  # offset 1 is the 'uncertainty:' line
    result = run("risk", bad, "--samples", 2, "--out", tmp_path / "o")
    message = result.output.strip()
    assert result.exit_code == 2, message
    assert len(message.splitlines()) == 1
    assert f"{bad}:{line}:" in message and words in message
    assert not (tmp_path / "o").exists()


def test_uncertainty_in_a_file_overrides_the_defaults(tmp_path: Path) -> None:
    from capacity.readers import load_scenario

    path = tmp_path / "s.yaml"
    path.write_text(
        SMALL.read_text(encoding="utf-8") + "uncertainty:\n"
        "  ranges: triangular\n"
        "  bids: {win_probability: {value: 60%, assumption: A harder year for bids than 2020/21}}\n"
        "  recruitment:\n"
        "    {external_delay: [4 weeks, 6 weeks], external_induction: {weeks: 2 weeks}}\n"
        "  absence: {probability: 0.2, length: 1-3 weeks}\n",
        encoding="utf-8",
    )
    model = load_scenario(path).uncertainty
    assert model.range_distribution is RangeDistribution.TRIANGULAR
    assert model.bid_win_probability == Decimal("0.6")
    assert model.provenance["bid_win_probability"].text.startswith("A harder year")
    assert model.external_delay_weeks == Estimate(Decimal(4), Decimal(6))
    assert model.external_induction_weeks == Estimate(Decimal(2), Decimal(2))
    assert model.absence_weeks == Estimate(Decimal(1), Decimal(3))
    assert model.holder_appointed_probability == Uncertainty().holder_appointed_probability
