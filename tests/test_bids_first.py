"""Bids before other optional work, and the room for further bids (para 30).

The planner's middle tier: with the mandatory work held, as many funding bids as can be
written are written, and only then is the rest of the optional work planned
(:func:`capacity.plan.objective_tiers`). The room for further bids is measured on the
scenario with bids like its known ones offered through the year
(:mod:`capacity.domain.further_bids`), every plan checked by the verifier.
"""

from __future__ import annotations

import dataclasses
import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from conftest import SHIPPED, counted_calls, item, person, scenario, week

from capacity.domain import Priority, build_problem
from capacity.domain.further_bids import (
    FURTHER_BID_EVERY_WEEKS,
    first_known_bid,
    with_further_bids,
)
from capacity.domain.work import WorkKind
from capacity.pipeline import bid_room, compare_options
from capacity.plan import objective_tiers
from capacity.plan_cache import PlanCache
from capacity.readers import load_scenario
from capacity.reports.comparison import (
    FURTHER_BIDS_ROW,
    comparison_table,
    comparison_view,
    further_bids,
    further_bids_text,
)
from capacity.reports.summary import board_summary
from capacity.solver import most_bids, solve
from capacity.solver.greedy import greedy_plan
from capacity.verifier import verify


def _bid(item_id: str, opens: int, open_weeks: int = 3, **kwargs: object):
    return item(
        item_id,
        load="0.6",
        weeks=2,
        release=week(opens),
        deadline=week(opens + open_weeks) - timedelta(days=1),
        kind=WorkKind.BID,
        priority=Priority.LOW,
        **kwargs,
    )


def _competing() -> object:
    # One person, four weeks: a low-priority bid, or high-priority work worth more per week.
    return scenario(
        [person("a")],
        [_bid("bid", 0), item("review", load="0.6", weeks=4, priority=Priority.HIGH)],
        weeks=4,
    )


def test_a_bid_is_written_before_optional_work_worth_more() -> None:
    s = _competing()
    plan = solve(build_problem(s, "base"))
    assert verify(s, plan) == []
    assert {a.item_id for a in plan.assignments} == {"bid"}
    # By the weighted measure alone the review was worth more: the tier decided it.
    problem = build_problem(s, "base")
    review = problem.task("review")
    bid = problem.task("bid")
    assert review.demand_fte_weeks * review.weight > bid.demand_fte_weeks * bid.weight


def test_the_greedy_plan_writes_bids_right_after_mandatory_work() -> None:
    s = _competing()
    problem = build_problem(s, "base")
    plan = greedy_plan(problem)
    assert {a.item_id for a in plan.assignments} == {"bid"}
    placed = {a.task_id: (a.staff_id, a.start_week) for a in plan.assignments}
    assert objective_tiers(problem, placed)[1] == 0  # no bid left unwritten


def test_mandatory_work_still_comes_before_bids() -> None:
    s = scenario(
        [person("a")],
        [_bid("bid", 0), item("statutory", load="0.6", weeks=4, mandatory=True)],
        weeks=4,
    )
    plan = solve(build_problem(s, "base"))
    assert {a.item_id for a in plan.assignments} == {"statutory"}


def test_most_bids_writes_every_bid_that_fits_and_proves_it() -> None:
    # Three two-week bids open for the same four weeks, for one person: one at a time
    # (0.6 + 0.6 > 1), so two fit, in weeks 0-1 and 2-3.
    s = scenario(
        [person("a")],
        [_bid(f"b{n}", 0, open_weeks=4) for n in (1, 2, 3)] + [item("other", load="1", weeks=4)],
        weeks=4,
    )
    problem = build_problem(s, "base")
    plan = most_bids(problem)
    assert verify(s, plan) == []
    assert sum(a.item_id.startswith("b") for a in plan.assignments) == 2
    assert plan.solver.status.value == "optimal"


def test_a_what_if_that_still_writes_every_bid_is_proven_with_no_bids_search() -> None:
    s = _competing()
    base = solve(build_problem(s, "base"))
    changed = scenario([person("a")], [_bid("bid", 0)], weeks=4)  # the review dropped
    plan = most_bids(build_problem(changed, "base"), start_from=base)
    assert verify(changed, plan) == []
    assert {a.item_id for a in plan.assignments} == {"bid"}
    assert plan.solver.status.value == "optimal"
    assert Decimal(plan.solver.parameters["unwritten_bids_bound"]) == 0
    assert plan.solver.deterministic_seconds == 0  # proven by its start: nothing searched


@pytest.fixture(scope="module")
def shipped():
    return load_scenario(SHIPPED)


def test_further_bids_are_like_the_first_known_bid_and_the_rest_of_the_optional_work_gives_way(
    shipped,
) -> None:
    further = with_further_bids(shipped)
    assert further is not None
    like = first_known_bid(shipped)
    assert like is not None and further.like == like
    items = {w.id: w for w in further.scenario.work}
    bids = [items[i] for i in further.bid_ids]
    assert len(bids) >= 6  # April to the autumn, one every four weeks
    window = like.deadline - like.release
    for before, after in itertools.pairwise(bids):
        assert after.release - before.release >= timedelta(weeks=FURTHER_BID_EVERY_WEEKS)
    for bid in bids:
        assert (bid.load, bid.duration_weeks, bid.required_skill) == (
            like.load,
            like.duration_weeks,
            like.required_skill,
        )
        assert bid.deadline - bid.release == window
        assert bid.deadline <= shipped.horizon.end
        # Its second writer works alongside it, and its delivery is tied to it.
        assert any(w.alongside == bid.id for w in further.scenario.work)
        assert any(w.committed_to == bid.id for w in further.scenario.work)
        assert bid.assigned_to == () and bid.id not in {w.id for w in shipped.work}
    # Mandatory work and the known bids stay; other optional work is left out.
    kept = {w.id for w in further.scenario.work}
    assert {w.id for w in shipped.work if w.mandatory} <= kept
    assert {w.id for w in shipped.work if w.kind is WorkKind.BID} <= kept
    assert "saas-implementation" in {w.id for w in shipped.work} - kept
    assert shipped.work == load_scenario(SHIPPED).work  # the scenario itself is unchanged


def test_the_known_bids_a_plan_writes_are_held_and_the_others_left_out(shipped) -> None:
    further = with_further_bids(shipped, held=frozenset({"bid-1", "bid-2"}))
    assert further is not None
    items = {w.id: w for w in further.scenario.work}
    assert items["bid-1"].mandatory and items["bid-2"].mandatory
    assert "bid-3" not in items and "bid-3-contribution" not in items
    assert "bid-1-contribution" in items and "bid-1-award" in items  # what goes with it


def test_further_bids_keep_a_link_from_kept_work_to_optional_work() -> None:
    # A mandatory share alongside an optional tender: the tender must stay, or the
    # scenario would name an item it does not have.
    s = scenario(
        [person("a"), person("b")],
        [
            _bid("known", 0),
            item("tender", load="0.4", weeks=4),
            item("tender-share", load="0.2", weeks=4, alongside="tender", mandatory=True),
        ],
        weeks=20,
    )
    further = with_further_bids(s)
    assert further is not None
    assert {"tender", "tender-share"} <= {w.id for w in further.scenario.work}


def test_further_bid_ids_never_clash_with_the_scenarios() -> None:
    s = scenario([person("a")], [_bid("known", 0), item("further-bid-1")], weeks=20)
    further = with_further_bids(s)
    assert further is not None and further.bid_ids
    ids = [w.id for w in further.scenario.work]
    assert len(ids) == len(set(ids))


def test_a_scenario_without_a_known_bid_offers_no_further_bids() -> None:
    s = scenario([person("a")], [item("x")])
    assert with_further_bids(s) is None
    assert bid_room(s, solve(build_problem(s, "base"))) is None


def _one_known_bid() -> object:
    """Two people, twelve weeks of statutory work, one known bid with its delivery, and a
    horizon of 40 weeks for further bids to open in."""
    s = scenario(
        [person("a"), person("b")],
        [
            _bid("known", 0),
            item("known-delivery", load="0.4", weeks=2, committed_to="known"),
            item("statutory", load="1", weeks=12, mandatory=True),
        ],
        weeks=12,
    )
    return dataclasses.replace(s, horizon=dataclasses.replace(s.horizon, end=week(40)))


def test_the_room_for_further_bids_is_a_verified_plan() -> None:
    # Two people, twelve weeks, one known bid: further bids open every four weeks, and
    # their delivery must fit before the horizon ends.
    s = _one_known_bid()
    own = solve(build_problem(s, "base"))
    further = with_further_bids(s, held=frozenset({"known"}))
    assert further is not None and further.bid_ids
    plan = bid_room(s, own)
    assert plan is not None
    assert verify(further.scenario, plan) == []
    written = {a.item_id for a in plan.assignments}
    assert {"statutory", "known"} <= written  # held
    assert written & set(further.bid_ids)


def test_the_room_is_kept_in_the_plan_cache_keyed_on_the_plan_it_starts_from(
    tmp_path, monkeypatch
) -> None:
    s = _one_known_bid()
    own = solve(build_problem(s, "base"))
    cache = PlanCache(tmp_path / "cache")
    searched = counted_calls(monkeypatch, "most_bids")
    first = bid_room(s, own, cache=cache)
    again = bid_room(s, own, cache=cache)
    assert first is not None and again is not None
    assert searched == ["base"]  # the second came from the cache, checked again
    assert again.assignments == first.assignments
    assert again.solver.parameters == first.solver.parameters  # the bound with it
    assert cache.hits == []  # not counted as the option's own plan
    # Another starting plan that writes the same bids (the same further-bids problem) is
    # another entry: the known bid's delivery a week later.
    moved = tuple(
        dataclasses.replace(a, start_week=a.start_week + 1) if a.item_id == "known-delivery" else a
        for a in own.assignments
    )
    assert moved != own.assignments
    other = dataclasses.replace(own, assignments=moved)
    bid_room(s, other, cache=cache)
    assert searched == ["base", "base"]
    bid_room(s, other, cache=cache)
    assert searched == ["base", "base"]  # and is kept in turn


def test_the_comparison_and_the_board_summary_show_the_room_for_further_bids() -> None:
    s = scenario(
        [person("a"), person("b")],
        [
            _bid("known", 0),
            item("known-delivery", load="0.4", weeks=2, committed_to="known"),
            item("statutory", load="1", weeks=12, mandatory=True),
            item("flexible", load="0.5", weeks=20, priority=Priority.HIGH),
        ],
        weeks=40,
    )
    (result,) = compare_options(s, room_for_bids=True)
    assert result.bid_room is not None
    further = further_bids(result)
    assert further is not None and 0 < further.room <= further.offered
    # The room is the further bids the room plan writes, beside the known bid it holds.
    room_written = {a.item_id for a in result.bid_room.assignments}
    added = {
        w.id
        for w in result.bid_room.problem.scenario.work
        if w.kind is WorkKind.BID and w.id not in {k.id for k in s.work}
    }
    assert further.room == len(room_written & added) and "known" in room_written
    assert further.offered == len(added)
    view = comparison_view([result])
    assert view.loc[FURTHER_BIDS_ROW].iloc[0] == further_bids_text(further)
    table = comparison_table([result]).iloc[0]
    assert (table["further_bids_room"], table["further_bids_offered"]) == (
        further.room,
        further.offered,
    )
    summary = board_summary(s, [result]).options
    assert summary.loc[FURTHER_BIDS_ROW].iloc[0] == further_bids_text(further)
    # Without it asked for, neither shows the row.
    (plain,) = compare_options(s)
    assert plain.bid_room is None
    assert FURTHER_BIDS_ROW not in comparison_view([plain]).index
    assert FURTHER_BIDS_ROW not in board_summary(s, [plain]).options.index
