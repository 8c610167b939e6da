"""Building the weekly problem: capacity profiles, windows, durations, handover."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

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
