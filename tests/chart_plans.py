"""A hand-built plan with everything the charts for documents must show (no solver): a
horizon from Thursday 1 April 2021 (weeks across month ends), an officer whose post ends
on 31 July, a recruit who starts on Sunday 1 August, three numbered funding bids with
long names and their deliveries, a mandatory tender with a deadline, a long item name,
and work left undone. Shared by tests/test_charts_*.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from conftest import hand_built_plan, item, person, scenario

from capacity.domain import Estimate, Horizon, WorkKind
from capacity.finance import option_cost
from capacity.plan import OptionResult, Plan

THURSDAY = date(2021, 4, 1)
WEEK_OVER_JULY = 17  # Thursday 29 July to Wednesday 4 August 2021
AUGUST_1 = date(2021, 8, 1)
LONG_NAME = "Contract management - prevention and offending services across the whole region"


def documents_scenario():
    team = [
        person("lead", skills=("lead",)),
        person("officer", fte="0.6", end=date(2021, 7, 31)),
        person("recruit", start=AUGUST_1),
    ]
    work = [
        replace(item("contracts", load="0.3", weeks=52), name=LONG_NAME),
        item("tender", load="0.5", weeks=12, deadline=date(2021, 9, 30), mandatory=True),
        item("handover", load="0.4", weeks=4, kind=WorkKind.BUSINESS_AS_USUAL),
        item("undone", load="0.5", weeks=6, kind=WorkKind.REVIEW),
        item("undone-too", load="0.3", weeks=10, kind=WorkKind.MOBILISATION),
    ]
    for n in (1, 2, 3):
        bid = item(f"bid-{n}", load="0.4", weeks=4, kind=WorkKind.BID)
        work.append(
            replace(
                bid,
                name=f"Funding bid {n} to the Home Office Safer Streets fund, round {n + 3}",
                win_probability=Estimate.exact("0.5"),
            )
        )
        award = item(f"bid-{n}-award", load="0.4", weeks=8, committed_to=f"bid-{n}")
        work.append(replace(award, kind=WorkKind.IMPLEMENTATION, name=f"Bid {n} delivery"))
    base = scenario(team, [])  # the test horizon first, then the year and the work in it
    return replace(base, horizon=Horizon(THURSDAY, date(2022, 3, 31)), work=tuple(work))


PLACED = {
    "contracts": ("lead", 0),
    "tender": ("lead", 2),
    "bid-1": ("officer", 0),
    "bid-1-award": ("officer", 6),
    "bid-2": ("officer", 8),
    "handover": ("recruit", WEEK_OVER_JULY),
    "bid-3": ("recruit", 18),
    "bid-2-award": ("recruit", 20),
    "bid-3-award": ("recruit", 30),
}


def documents_plan() -> Plan:
    return hand_built_plan(documents_scenario(), "base", PLACED)


def documents_result() -> OptionResult:
    return OptionResult(documents_plan(), option_cost(documents_scenario(), "base"))
