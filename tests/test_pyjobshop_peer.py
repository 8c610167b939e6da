"""The PyJobShop adapter on tiny instances: verified plans, and the same optimum as ours."""

from __future__ import annotations

import random

from conftest import item, linked_scenario, person, scenario, week
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import small_scenarios

from capacity.domain import After, Estimate, build_problem
from capacity.solver import solve
from capacity.verifier import verify
from capacity_bench.pyjobshop_peer import NotExpressible, pyjobshop_plan


def key(plan):
    return plan.solver.unmet_mandatory_fte_weeks, plan.solver.weighted_unmet_optional


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_scenarios())
def test_peer_plans_verify_and_match_our_optimum(s) -> None:
    problem = build_problem(s, "base")
    peer = pyjobshop_plan(problem)
    assert verify(s, peer.plan) == []
    assert peer.proven
    assert key(peer.plan) == key(solve(problem))


def test_capacity_dips_are_respected() -> None:
    # b starts in week 2 and a leaves after week 1: the 4-week task fits no one.
    team = [person("a", end=week(2)), person("b", start=week(2))]
    work = [item("long", load="0.5", weeks=4), item("short", load="0.5", weeks=2)]
    s = scenario(team, work, weeks=4)
    peer = pyjobshop_plan(build_problem(s, "base"))
    assert verify(s, peer.plan) == []
    assert {u.task_id for u in peer.plan.unmet} == {"long"}


def test_work_tied_to_impossible_work_is_left_undone() -> None:
    # The award cannot fit in the horizon, so the bid it is tied to is not done either.
    work = [
        item("bid", load="0.5", weeks=2),
        item(
            "award",
            load="0.5",
            weeks=6,
            committed_to="bid",
            after=(After("bid", Estimate.exact(0)),),
        ),
    ]
    s = scenario([person("a")], work, weeks=6)
    peer = pyjobshop_plan(build_problem(s, "base"))
    assert verify(s, peer.plan) == []
    assert peer.plan.assignments == ()


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_peer_handles_links_handover_and_dips(seed) -> None:
    s = linked_scenario(random.Random(seed))
    problem = build_problem(s, "base")
    peer = pyjobshop_plan(problem)
    assert verify(s, peer.plan) == []
    if peer.proven:
        assert key(peer.plan) == key(solve(problem))


def test_peer_declines_work_given_as_effort() -> None:
    from dataclasses import replace

    import pytest

    stints = replace(item("review", load="0.2", weeks=None), effort=Estimate.exact("1.6"))
    problem = build_problem(scenario([person("a")], [stints], weeks=8), "base")
    with pytest.raises(NotExpressible, match="declined for review"):
        pyjobshop_plan(problem)
