"""Reasons for unmet work, one case per reason."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import timedelta

import pytest
from conftest import item, person, scenario, week

from capacity.diagnosis import Diagnosis, explain_unmet
from capacity.domain import After, Estimate, Induction, Priority, build_problem
from capacity.errors import InvalidValue
from capacity.pipeline import plan_option
from capacity.readers import load_scenario
from capacity.solver.greedy import greedy_plan
from capacity_bench.generator import HubSize, write_hub_scenario


def reason(s, task_id: str) -> str:
    plan = plan_option(s, "base")
    return next(u.reason for u in plan.unmet if u.task_id == task_id)


def test_no_one_with_the_skill_in_post() -> None:
    team = [person("lead", skills=("lead",), end=week(2) - timedelta(days=1)), person("b")]
    s = scenario(team, [item("tender", skill="lead", release=week(3))], weeks=6)
    assert "no one with the skill 'lead' is in post" in reason(s, "tender")


def test_window_shorter_than_duration() -> None:
    s = scenario([person("a")], [item("x", weeks=5, release=week(4))], weeks=6)
    assert "needs 5 weeks but its window" in reason(s, "x")


def test_load_larger_than_anyone_can_give_in_its_window() -> None:
    # A full-time recruit still in induction (half capacity) for the whole window.
    inducted = person(
        "a", start=week(0), induction=Induction(Estimate.exact(8), Estimate.exact("0.5"))
    )
    s = scenario([inducted], [item("x", load="0.8")], weeks=4)
    assert "more than anyone who can do it has (at most 0.50" in reason(s, "x")


def test_a_load_nobody_could_ever_give_is_refused_as_input() -> None:
    with pytest.raises(InvalidValue, match="more than anyone who could do it can give"):
        scenario([person("a", fte="0.6")], [item("x", load="0.8")], weeks=4)


def test_no_contiguous_block() -> None:
    team = [person("a", end=week(2) - timedelta(days=1)), person("b", start=week(3))]
    s = scenario(team, [item("x", weeks=4)], weeks=6)
    assert "for 4 weeks in a row" in reason(s, "x")


def test_depends_on_undelivered_work() -> None:
    work = [item("bid", weeks=5, release=week(2)), item("award", weeks=1, after=(After("bid"),))]
    s = scenario([person("a")], work, weeks=6)
    assert reason(s, "award").startswith("it must follow 'Item bid', which is not delivered")


def test_capacity_taken_by_other_mandatory_work() -> None:
    work = [
        item("statutory", load="0.7", weeks=4, mandatory=True),
        item("also-statutory", load="0.7", weeks=4, mandatory=True),
    ]
    plan = plan_option(scenario([person("a")], work, weeks=4), "base")
    (unmet,) = plan.unmet
    other = "also-statutory" if unmet.task_id == "statutory" else "statutory"
    assert "the people who can do it are fully booked between" in unmet.reason
    assert unmet.reason.endswith(f"on other mandatory work: 'Item {other}'")  # names it


def test_optional_work_loses_to_higher_priority() -> None:
    work = [
        item("urgent", load="0.7", priority=Priority.HIGH),
        item("nice", load="0.7", priority=Priority.LOW),
    ]
    s = scenario([person("a")], work, weeks=2)
    said = reason(s, "nice")
    assert (
        "fully booked" in said and "on work that matters more or is larger: 'Item urgent'" in said
    )
    assert "higher priority or larger size" not in said  # the old, vaguer words


def test_a_bid_whose_delivery_can_never_fit_says_so() -> None:
    work = [
        item("bid", weeks=2),
        item("award", weeks=10, after=(After("bid"),), committed_to="bid"),  # longer than the year
    ]
    s = scenario([person("a")], work, weeks=8)
    assert reason(s, "bid").startswith("it comes with 'Item award', which can never be delivered")
    assert "window" in reason(s, "bid")


def test_a_bid_losing_to_other_work_names_its_delivery_too() -> None:
    work = [
        item("statutory", load="0.6", weeks=8, mandatory=True),
        item("bid", load="0.5", weeks=2),
        item("award", load="0.5", weeks=3, after=(After("bid"),), committed_to="bid"),
    ]
    s = scenario([person("a")], work, weeks=8)
    assert "needs room for 'Item award'" in reason(s, "bid")
    assert reason(s, "award").startswith("it must follow 'Item bid', which is not delivered")


# -- scale, and the time limit ---------------------------------------------------------


def copies_plan(copies: int):
    # Two people, room for 12 of the four-week blocks; every copy shares one window.
    work = [item(f"x{i}", load="0.5", weeks=4) for i in range(copies)]
    problem = build_problem(scenario([person("a"), person("b")], work, weeks=12), "base")
    return greedy_plan(problem)


def test_copies_of_the_same_work_cost_no_more_capacity_checks() -> None:
    small, big = Diagnosis(copies_plan(40)), Diagnosis(copies_plan(400))
    small_reasons, big_reasons = small.reasons(), big.reasons()
    assert len(big_reasons) >= 10 * len(small_reasons)
    assert set(big_reasons.values()) == set(small_reasons.values())  # the same reason for all
    assert 0 < big.capacity_checks < 2 * small.capacity_checks


def test_a_generated_hub_of_two_thousand_tasks_is_diagnosed_quickly(tmp_path) -> None:
    hub = load_scenario(write_hub_scenario(HubSize(20, 1000, 52, seed=2), tmp_path / "hub.yaml"))
    plan = greedy_plan(build_problem(hub, "current"))  # over a thousand tasks unmet
    began = time.perf_counter()
    diagnosis = Diagnosis(plan)
    reasons = diagnosis.reasons()
    seconds = time.perf_counter() - began
    assert len(plan.problem.tasks) > 2000 and len(reasons) > 1000
    assert all(reasons.values())
    # At most one pass over everyone's weeks per unmet task (it was several passes over the
    # whole plan per task, which took minutes for 4,900 extra work rows), and in seconds.
    people_weeks = len(plan.problem.staff) * plan.problem.n_weeks
    assert diagnosis.capacity_checks < len(reasons) * people_weeks
    assert seconds < 20, f"{seconds:.1f} s"


def test_past_its_deadline_the_diagnosis_gives_quick_reasons() -> None:
    work = [
        item("long", weeks=5, release=week(4)),  # can never fit its window
        item("bid", load="0.6", weeks=4, release=week(1)),
        item("award", weeks=1, after=(After("bid"),)),
        item("first", load="0.6", weeks=6),
        item("second", load="0.6", weeks=6, priority=Priority.LOW),
    ]
    plan = plan_option(scenario([person("a")], work, weeks=6), "base")
    quick = explain_unmet(plan, deadline=time.perf_counter() - 1)
    assert quick.keys() == {u.task_id for u in plan.unmet} == {"long", "bid", "award", "second"}
    assert "needs 5 weeks but its window" in quick["long"]
    assert quick["award"].startswith("it must follow 'Item bid'")
    for task_id in ("bid", "second"):
        assert quick[task_id].startswith("not delivered between")
        assert "time limit ended before the reason could be worked out" in quick[task_id]
    full = explain_unmet(plan)
    assert "time limit" not in " ".join(full.values())
    assert full["long"] == quick["long"] and full["award"] == quick["award"]


def test_fixed_owned_work_with_its_owner_gone_says_so() -> None:
    from dataclasses import replace

    from conftest import item, person, scenario, week

    from capacity.domain import ExtendPost, StaffingOption, build_problem
    from capacity.domain.work import Owner
    from capacity.pipeline import plan_option

    owned = replace(
        item("area", load="0.5", weeks=2, release=week(4)),
        assigned_to=("owner",),
        owner=Owner.FIXED,
    )
    keep = StaffingOption("keep", "Keep the owner", changes=(ExtendPost("owner", None),))
    s = scenario(
        [person("owner", end=week(3)), person("other")],
        [owned],
        weeks=8,
        options=[StaffingOption("base", "Base team"), keep],
    )
    problem = build_problem(s, "base")
    assert [m.id for m in problem.skilled(problem.task("area"))] == ["owner"]
    plan = plan_option(s, "base")
    (unmet,) = plan.unmet
    assert unmet.reason.startswith("only its owners may do it, and Owner is not in post")


def test_the_competing_work_is_named_whole_even_with_brackets_in_its_name() -> None:
    # The old code cut a name at " (" to drop a month's suffix, which also cut
    # "Delivery of bid 1 (if won)" short; the item's own name is used now.
    urgent = replace(item("urgent", load="0.7", priority=Priority.HIGH), name="Delivery (if won)")
    work = [urgent, item("nice", load="0.7", priority=Priority.LOW)]
    s = scenario([person("a")], work, weeks=2)
    assert reason(s, "nice").endswith(
        "on work that matters more or is larger: 'Delivery (if won)' (the plan delivers as "
        "much work as it can, weighted by priority)"
    )
