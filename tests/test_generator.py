"""The seeded hub generator: valid scenario files of the requested size, reproducibly."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from capacity.domain import WorkKind, build_problem
from capacity.readers import load_scenario
from capacity_bench.generator import HubSize, hub_scenario, write_hub_scenario


@pytest.mark.parametrize(
    "size",
    [HubSize(staff=4, items=9, weeks=13), HubSize(staff=12, items=80, weeks=60, seed=3)],
)
def test_generated_hub_is_a_valid_scenario_of_the_requested_size(tmp_path, size) -> None:
    scenario = load_scenario(write_hub_scenario(size, tmp_path / "hub.yaml"))
    assert len(scenario.team) == size.staff
    assert len(scenario.work) == size.items  # a bid's post-award delivery counts as an item
    problem = build_problem(scenario, "current")
    assert problem.n_weeks == size.weeks


def test_same_parameters_and_seed_give_the_same_file(tmp_path) -> None:
    size = HubSize(staff=10, items=50, weeks=52, seed=7)
    first = write_hub_scenario(size, tmp_path / "a.yaml").read_bytes()
    again = write_hub_scenario(size, tmp_path / "b.yaml").read_bytes()
    other = write_hub_scenario(HubSize(10, 50, 52, seed=8), tmp_path / "c.yaml").read_bytes()
    assert first == again
    assert first != other


def test_hub_has_the_records_kinds_of_work_and_staff_changes(tmp_path) -> None:
    size = HubSize(staff=30, items=400, weeks=156, seed=1)
    scenario = load_scenario(write_hub_scenario(size, tmp_path / "hub.yaml"))
    kinds = Counter(item.kind for item in scenario.work)
    for kind in (WorkKind.TENDER, WorkKind.BID, WorkKind.NEEDS_ASSESSMENT):
        assert kinds[kind] >= 10, kinds
    assert any(item.mandatory and item.deadline for item in scenario.work)  # statutory
    assert any(item.after for item in scenario.work)  # post-award delivery
    assert any(m.contract_end for m in scenario.team)  # fixed-term posts end
    assert any(m.contract_start and m.induction for m in scenario.team)  # recruits
    tenders = {(i.load.low, i.load.high) for i in scenario.work if i.kind is WorkKind.TENDER}
    assert tenders == {(Decimal("0.4"), Decimal("0.5"))}  # 40-50% of a person (para 14)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"staff": 3, "items": 10, "weeks": 52}, "at least 4 staff"),  # too few for a team
        ({"staff": 8, "items": 0, "weeks": 52}, "at least one work item"),  # nothing to plan
        ({"staff": 8, "items": 10, "weeks": 12}, "at least 13 weeks"),  # under a quarter
    ],
)
def test_bad_sizes_are_refused(arguments, message) -> None:
    with pytest.raises(ValueError, match=message):
        hub_scenario(HubSize(**arguments))
