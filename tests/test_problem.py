"""Building the weekly problem: capacity profiles, windows, durations, handover."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from conftest import START, item, person, scenario, week

from capacity.domain import (
    Absence,
    AddPost,
    Estimate,
    Handover,
    Induction,
    PointRule,
    StaffingOption,
    build_problem,
)
from capacity.domain.scenario import Scenario
from capacity.domain.work import BidMode, Outcome, Priority, WorkKind
from capacity.errors import InvalidValue


def test_capacity_follows_contract_availability_and_absence() -> None:
    member = person(
        "a",
        fte="0.6",
        end=START + timedelta(days=9),  # in post Mon-Fri of week 0 and Mon-Wed of week 1
        absences=(Absence(START, START),),  # off on the first Monday
    )
    problem = build_problem(scenario([member], [], availability="0.85"), "base")
    capacity = problem.capacity["a"]
    assert capacity[0] == Decimal("0.408")  # 0.6 x 0.85 x 4/5
    assert capacity[1] == Decimal("0.306")  # 0.6 x 0.85 x 3/5
    assert capacity[2] == 0


def test_recruit_starts_after_gap_with_induction() -> None:
    recruit = person(
        "new", induction=Induction(Estimate.exact(2), Estimate.exact("0.5")), start=week(1)
    )
    option = StaffingOption("hire", "Hire", (AddPost(recruit, Estimate.exact(2)),))
    problem = build_problem(scenario([person("a")], [], options=[option]), "hire")
    assert problem.capacity["new"][:6] == (0, 0, 0, Decimal("0.5"), Decimal("0.5"), 1)


def test_capacity_rounds_down_to_a_thousandth() -> None:
    problem = build_problem(scenario([person("a", fte="0.333")], [], availability="0.85"), "base")
    assert problem.capacity["a"][0] == Decimal("0.283")  # 0.28305 rounded down, never up


def test_windows_in_weeks() -> None:
    work = [
        item(
            "x", weeks=2, release=week(1) + timedelta(days=1), deadline=week(6) - timedelta(days=1)
        )
    ]
    task = build_problem(scenario([person("a")], work), "base").tasks[0]
    assert task.earliest_start == 2  # first week starting on or after the release
    assert task.latest_end == 6  # week 5 ends on the deadline
    assert task.demand_fte_weeks == Decimal("1.0")


def test_ongoing_work_takes_its_whole_window() -> None:
    task = build_problem(scenario([person("a")], [item("x", weeks=None)], weeks=5), "base").tasks[0]
    assert (task.earliest_start, task.duration) == (0, 5)


def test_monthly_handover_splits_at_month_boundaries() -> None:
    work = [item("bau", weeks=None, handover=Handover.MONTHLY)]
    problem = build_problem(scenario([person("a")], work, weeks=9), "base")
    labels = [t.id for t in problem.tasks]
    assert labels == ["bau@2021-04", "bau@2021-05"]  # weeks starting 5 Apr..26 Apr, then May
    assert [t.duration for t in problem.tasks] == [4, 5]
    assert sum(t.duration for t in problem.tasks) == problem.n_weeks


def test_point_rule_picks_range_point() -> None:
    work = [
        item("x", weeks=None).__class__(
            id="x",
            name="x",
            kind=item("y").kind,
            load=Estimate(Decimal("0.4"), Decimal("0.5")),
            duration_weeks=Estimate(Decimal(2), Decimal(4)),
        )
    ]
    s = scenario([person("a")], work)
    assert build_problem(s, "base", PointRule.LOW).tasks[0].load == Decimal("0.4")
    assert build_problem(s, "base", PointRule.HIGH).tasks[0].duration == 4
    assert build_problem(s, "base").tasks[0].duration == 3


def test_trailing_part_week_is_reported() -> None:
    s = scenario([person("a")], [])
    s = s.__class__(
        **{**s.__dict__, "horizon": s.horizon.__class__(date(2021, 4, 1), date(2022, 3, 31))}
    )
    problem = build_problem(s, "base")
    assert (problem.n_weeks, problem.unplanned_days) == (52, 1)


# -- bids: --bids, partner share, known outcomes, weights (design 3.1-3.3) --------------


def _bid_scenario(outcome: Outcome | None = None) -> Scenario:
    """A bid (p = 0.889, high) with its post-award delivery (0.75 FTE x 4 weeks, partners
    do 0.65 of it), a submitted bid's delivery (p = 0.889), and committed work."""
    probability = Estimate.exact("0.889")
    bid = replace(
        item("bid", load="0.65", weeks=1, kind=WorkKind.BID, priority=Priority.HIGH),
        win_probability=probability,
        outcome=outcome,
    )
    delivery = replace(
        item("bid-award", load="0.75", weeks=4, committed_to="bid", priority=Priority.HIGH),
        kind=WorkKind.IMPLEMENTATION,
        partner_share=Estimate.exact("0.65"),
    )
    submitted = replace(
        item("submitted", load="0.5", weeks=2, priority=Priority.HIGH),
        win_probability=probability,
    )
    return scenario([person("a")], [bid, delivery, submitted, item("bau", priority=Priority.HIGH)])


def test_expected_delivery_is_win_probability_times_the_teams_share_rounded_down() -> None:
    problem = build_problem(_bid_scenario(), "base")
    assert problem.bids is BidMode.EXPECTED
    award = problem.task("bid-award")
    assert award.load == Decimal("0.233")  # 0.75 x 0.889 x 0.35 = 0.23336, rounded down
    assert award.duration == 4  # the same duration: only the load is scaled
    assert problem.task("submitted").load == Decimal("0.444")  # 0.5 x 0.889 = 0.4445, down
    assert problem.task("bid").load == Decimal("0.65")  # the writing is never scaled


def test_won_delivers_the_teams_share_and_is_more_than_expected() -> None:
    expected = build_problem(_bid_scenario(), "base")
    won = build_problem(_bid_scenario(), "base", bids=BidMode.WON)
    assert won.bids is BidMode.WON
    assert won.task("bid-award").load == Decimal("0.262")  # 0.75 x 0.35 = 0.2625, down
    assert won.task("submitted").load == Decimal("0.5")
    assert expected.total_demand_fte_weeks < won.total_demand_fte_weeks


def test_lost_has_no_delivery_tasks_but_keeps_the_writing() -> None:
    lost = build_problem(_bid_scenario(), "base", bids=BidMode.LOST)
    assert [t.id for t in lost.tasks] == ["bid", "bau"]


def test_a_known_outcome_ignores_the_mode() -> None:
    won = build_problem(_bid_scenario(Outcome.WON), "base", bids=BidMode.LOST)
    assert won.task("bid-award").load == Decimal("0.262")
    lost = build_problem(_bid_scenario(Outcome.LOST), "base", bids=BidMode.WON)
    assert "bid-award" not in [t.id for t in lost.tasks]
    assert "submitted" in [t.id for t in lost.tasks]  # its own outcome is not known


def test_a_bid_and_its_delivery_weigh_priority_times_win_probability() -> None:
    problem = build_problem(_bid_scenario(), "base")
    assert problem.task("bid").weight == Decimal("3.556")  # 4 x 0.889: between 4 and 2
    assert problem.task("bid-award").weight == Decimal("3.556")
    assert problem.task("submitted").weight == 4  # committed if it comes
    assert problem.task("bau").weight == 4
    assert [t.bid_dependent for t in problem.tasks] == [True, True, True, False]
    won = build_problem(_bid_scenario(), "base", bids=BidMode.WON)
    assert won.task("bid").weight == 4


def test_partner_share_must_be_at_least_0_and_below_1() -> None:
    base = item("bid-award", committed_to="bid", kind=WorkKind.IMPLEMENTATION)
    for share in ("1", "-0.1", "1.2"):
        with pytest.raises(InvalidValue, match="must be at least 0 and below 1"):
            replace(base, partner_share=Estimate.exact(share))
    with pytest.raises(InvalidValue, match="only the delivery of a bid"):
        replace(item("x"), partner_share=Estimate.exact("0.5"))
