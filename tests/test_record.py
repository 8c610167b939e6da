"""The decision record's own evidence, as tests of the model: the year it says the team
delivered (the back-test), and how many commissioning exercises two leads can run.

Each test solves a shipped scenario of its own (about 10-15 s each); the record's
conclusions about the four options, which read the session's solve of the shipped
data, are in test_shipped.py.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from capacity.domain.work import WorkKind
from capacity.pipeline import plan_option
from capacity.readers import load_scenario
from capacity.verifier import verify

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"

pytestmark = pytest.mark.slow


def test_the_back_test_delivers_the_year_the_record_says_was_delivered() -> None:
    # Para 11: in 2020/21 the team of paras 1-2 delivered 9 bids (8 won), the CSE and ISVA
    # tenders, DRIVE as a full-time role from November, CLIMB's mobilisation and more,
    # "using the existing resource". With the 2021/22 data's assumptions the plan must
    # deliver at least 90% of that demand (issue 13's bar): if it cannot, an assumption
    # is wrong, not the record.
    scenario = load_scenario(SCENARIOS / "back-test-2020-21.yaml")
    plan = plan_option(scenario, "as-it-was", explain=False)
    assert verify(scenario, plan) == []
    demand = plan.delivered_fte_weeks + plan.unmet_fte_weeks
    assert plan.delivered_fte_weeks >= Decimal("0.9") * demand, (
        plan.delivered_fte_weeks,
        demand,
    )
    # and it writes the bids the record says were written: at least 8 of the 9
    written = {
        a.item_id for a in plan.assignments if plan.problem.task(a.task_id).kind is WorkKind.BID
    }
    assert len(written) >= 8


def test_two_leads_complete_two_to_three_commissioning_exercises_a_year() -> None:
    # Para 14: a full exercise takes 40-50% of a lead for about 8 months, all are planned
    # at once, and only two people can lead (para 18). Offered four more exercises of that
    # size, weighted high, beside VS, DA and MSHT, the recommended team completes two or
    # three in 2021/22, every one led by a lead.
    scenario = load_scenario(SCENARIOS / "what-if-more-commissioning.yaml")
    plan = plan_option(scenario, "option-4", explain=False)
    assert verify(scenario, plan) == []
    tenders = {
        a.item_id: a.staff_id
        for a in plan.assignments
        if plan.problem.task(a.task_id).kind is WorkKind.TENDER
    }
    assert 2 <= len(tenders) <= 3, tenders
    assert set(tenders.values()) <= {"manager", "officer"}
    offered = [t for t in plan.problem.tasks if t.kind is WorkKind.TENDER]
    assert len(offered) == 7  # VS, DA, MSHT and the four more: most cannot fit
