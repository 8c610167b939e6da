"""capacity.reports.monthly: calendar months, on hand-built plans (no solver).

The horizon here starts on Thursday 1 April 2021, as the shipped one does, so planning
weeks run Thursday to Wednesday and some fall across a month end.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from conftest import hand_built_plan, item, person, scenario

from capacity.charts.utilisation import monthly_utilisation
from capacity.domain import Estimate, Horizon, WorkKind
from capacity.reports.monthly import (
    COMMITTED,
    IF_BIDS_WON,
    NOT_DELIVERED,
    PLANNED,
    month_shares,
    monthly_capacity_table,
    monthly_demand_table,
    monthly_utilisation_table,
    spread_over_months,
)

THURSDAY = date(2021, 4, 1)
WEEK_OVER_JULY = 17  # Thursday 29 July to Wednesday 4 August 2021
AUGUST_1 = date(2021, 8, 1)  # a Sunday


def year_from_thursday(team, work):
    """The test scenario over the financial year 2021/22, weeks from Thursday 1 April."""
    return replace(scenario(team, work), horizon=Horizon(THURSDAY, date(2022, 3, 31)))


@pytest.fixture(scope="module")
def officer_from_august():
    """A lead from the start, and an officer who starts on Sunday 1 August and is booked
    from the week of Thursday 29 July; an item nobody does; a bid and its delivery."""
    team = [person("lead"), person("officer", start=AUGUST_1)]
    bid = replace(
        item("bid", load="0.4", weeks=4, kind=WorkKind.BID), win_probability=Estimate.exact("0.5")
    )
    award = replace(item("bid-award", load="0.4", weeks=8, committed_to="bid"))
    award = replace(award, kind=WorkKind.IMPLEMENTATION)
    work = [
        item("early", load="0.5", weeks=6),
        item("handover", load="0.4", weeks=4),
        item("undone", load="0.5", weeks=3),
        bid,
        award,
    ]
    data = year_from_thursday(team, work)
    placed = {
        "early": ("lead", 0),
        "handover": ("officer", WEEK_OVER_JULY),
        "bid": ("lead", 8),
        "bid-award": ("lead", 20),
    }
    return hand_built_plan(data, "base", placed)


def test_a_week_over_a_month_end_is_shared_by_its_working_days() -> None:
    shares = month_shares(date(2021, 7, 29))  # Thu 29, Fri 30 July; Mon 2 to Wed 4 August
    assert shares == {date(2021, 7, 1): Decimal(2) / 5, date(2021, 8, 1): Decimal(3) / 5}
    assert sum(shares.values()) == 1
    assert month_shares(date(2021, 4, 1)) == {date(2021, 4, 1): Decimal(1)}


def test_a_week_counts_only_the_days_a_person_is_in_post() -> None:
    in_post = person("officer", start=AUGUST_1).employed_on
    assert month_shares(date(2021, 7, 29), in_post) == {date(2021, 8, 1): Decimal(1)}
    assert month_shares(date(2021, 7, 22), in_post) == {}  # not in post at all that week


def test_spreading_over_months_keeps_the_total() -> None:
    starts = tuple(date(2021, 4, 1) + (date(2021, 4, 8) - date(2021, 4, 1)) * w for w in range(52))
    weekly = [Decimal(w % 7) / 10 for w in range(52)]
    months = spread_over_months(starts, weekly)
    assert sum(months.values()) == sum(weekly)
    assert len(months) == 12  # April 2021 to March 2022
    # The week of 29 July puts two fifths of its FTE in July and three in August.
    alone = [Decimal(0)] * 52
    alone[WEEK_OVER_JULY] = Decimal(1)
    assert spread_over_months(starts, alone) == {
        date(2021, 7, 1): Decimal("0.4"),
        date(2021, 8, 1): Decimal("0.6"),
    }


def test_the_officer_who_starts_on_1_august_has_nothing_booked_in_july(officer_from_august):
    plan = officer_from_august
    assert plan.load_by_week("officer")[WEEK_OVER_JULY] > 0  # booked the week of 29 July
    table = monthly_utilisation_table(plan).set_index(["staff_id", "month"])
    july, august = table.loc[("officer", "Jul 2021")], table.loc[("officer", "Aug 2021")]
    assert not july["in_post"] and july["booked_fte_weeks"] == 0
    assert july["available_fte_weeks"] == 0 and july["booked_share"] is None
    assert august["in_post"] and august["booked_fte_weeks"] > 0
    people, months, grid = monthly_utilisation(plan)
    assert grid[people.index("Officer")][months.index("Jul 2021")] is None  # "not in post"


def test_booked_and_available_time_keep_their_totals(officer_from_august):
    plan = officer_from_august
    table = monthly_utilisation_table(plan)
    for member in plan.problem.staff:
        rows = table[table["staff_id"] == member.id]
        assert rows["booked_fte_weeks"].sum() == sum(plan.load_by_week(member.id))
        assert rows["available_fte_weeks"].sum() == sum(plan.problem.capacity[member.id])
    capacity = monthly_capacity_table(plan)
    assert capacity["available_fte_weeks"].sum() == sum(
        sum(plan.problem.capacity[m.id]) for m in plan.problem.staff
    )
    assert list(capacity["people_in_post"])[3:5] == [1, 2]  # the officer from August, not July


def test_demand_is_the_plan_by_month_with_bid_deliveries_apart(officer_from_august):
    plan = officer_from_august
    table = monthly_demand_table(plan)
    planned = table[table["status"] == PLANNED]
    assert planned["fte_weeks"].sum() == plan.delivered_fte_weeks
    assert table[table["status"] == NOT_DELIVERED]["fte_weeks"].sum() == plan.unmet_fte_weeks
    basis = dict(zip(planned["kind"], planned["basis"], strict=False))
    assert basis["bid"] == COMMITTED  # the writing is done whether or not the bid is won
    assert basis["implementation"] == IF_BIDS_WON
    # The bid's delivery is planned at its expected share: half of 0.4 FTE for 8 weeks.
    delivery = planned[planned["basis"] == IF_BIDS_WON]["fte_weeks"].sum()
    assert delivery == Decimal("0.2") * 8
    assert table["month"].iloc[0] == "Apr 2021"
    assert (table["fte"] > 0).all()


def test_average_fte_is_fte_weeks_over_the_weeks_in_the_month(officer_from_august):
    table = monthly_capacity_table(officer_from_august).set_index("month")
    # April 2021 holds the working days of 4 weeks and 2 days (Thu 1 to Fri 30 April).
    april = table.loc["Apr 2021"]
    assert april["available_fte"] == pytest.approx(1.0)  # the lead alone, full time
    assert april["available_fte_weeks"] == Decimal(22) / 5  # 22 working days
