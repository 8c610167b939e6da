"""capacity.reports.plan_tables on hand-built plans of the small team (no solver)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from conftest import HAND_BUILT_REASON

from capacity.reports.plan_tables import (
    capacity_table,
    not_delivered_table,
    plan_summary,
    schedule_table,
    unmet_table,
)


@pytest.fixture
def lapse(small_results):
    return small_results[0].plan


@pytest.fixture
def extend(small_results):
    return small_results[1].plan


def test_schedule_has_a_row_per_assignment_in_date_order(extend) -> None:
    table = schedule_table(extend)
    assert list(table.columns[:5]) == ["item_id", "staff_id", "start", "end", "load_fte"]
    assert len(table) == len(extend.assignments) == 4
    assert list(table["start"]) == sorted(table["start"])
    assert table["fte_weeks"].sum() == extend.delivered_fte_weeks
    tender = table.set_index("task_id").loc["statutory-tender"]
    assert (tender["staff_id"], tender["start"], tender["weeks"]) == ("lead", "2021-04-05", 8)
    assert tender["end"] == (date(2021, 4, 5) + timedelta(weeks=8)).isoformat()  # exclusive
    assert tender["load_fte"] == Decimal("0.450")  # the midpoint of 0.4-0.5
    assert bool(tender["mandatory"]) and tender["kind"] == "tender"
    assert tender["name"] == "Statutory tender"


def test_capacity_is_each_persons_weeks_with_what_the_plan_books(extend) -> None:
    table = capacity_table(extend)
    assert list(table.columns) == ["staff_id", "week_start", "capacity_fte", "booked_fte"]
    assert len(table) == 2 * 13  # two people, thirteen weeks
    temp = table[table["staff_id"] == "temp"]
    assert list(temp["capacity_fte"]) == list(extend.problem.capacity["temp"])
    assert list(temp["booked_fte"]) == extend.load_by_week("temp")
    assert (table["booked_fte"] <= table["capacity_fte"]).all()
    lead = table[table["staff_id"] == "lead"].set_index("week_start")
    assert lead.loc["2021-04-05", "booked_fte"] == Decimal("0.450")  # the tender alone


def test_unmet_lists_mandatory_work_first_with_its_reason(lapse) -> None:
    table = unmet_table(lapse)
    assert list(table.columns[:4]) == ["item_id", "demand_fte_weeks", "mandatory", "reason"]
    assert list(table["task_id"]) == ["statutory-tender", "bau@2021-06", "bid", "bid-award"]
    assert list(table["mandatory"]) == [True, False, False, False]
    assert table["demand_fte_weeks"].sum() == lapse.unmet_fte_weeks
    assert set(table["reason"]) == {HAND_BUILT_REASON}


def test_an_empty_schedule_keeps_its_columns(small_team) -> None:
    from conftest import hand_built_plan

    nothing = hand_built_plan(small_team, "lapse", {})
    assert list(schedule_table(nothing).columns[:2]) == ["item_id", "staff_id"]
    assert schedule_table(nothing).empty
    assert len(unmet_table(nothing)) == len(nothing.problem.tasks)


def test_summary_figures_agree_and_are_json(lapse, extend) -> None:
    for plan in (lapse, extend):
        summary = json.loads(json.dumps(plan_summary(plan)))
        assert summary["delivered_fte_weeks"] + summary["unmet_fte_weeks"] == pytest.approx(
            summary["demand_fte_weeks"]
        )
        assert summary["option"] == plan.option_id
        assert set(summary["utilisation"]) == {"lead", "temp"}
        assert summary["horizon"]["weeks_planned"] == 13
        assert summary["solver"]["status"] == "feasible"
    lapsed = plan_summary(lapse)
    assert lapsed["mandatory_delivered"] is False
    assert lapsed["unmet_mandatory_fte_weeks"] == 3.6
    assert plan_summary(extend)["mandatory_delivered"] is True
    assert plan_summary(lapse)["utilisation"]["temp"] == {"mean": 0.0, "peak": 0.0}  # idle


def test_owned_work_moved_from_its_owner_is_listed_in_names() -> None:
    from dataclasses import replace

    from conftest import hand_built_plan, item, person, scenario

    from capacity.reports.owners import moved_from_owner_table, moved_from_owner_text

    owned = replace(item("area", load="0.5", weeks=2), name="Portfolio CCE", assigned_to=("owner",))
    s = scenario([person("owner"), person("other")], [owned, item("kept", weeks=2)], weeks=4)
    plan = hand_built_plan(s, "base", {"area": ("other", 1), "kept": ("owner", 0)})
    table = moved_from_owner_table(plan)
    assert table[["item_id", "owner", "done_by", "weeks"]].values.tolist() == [
        ["area", "Owner", "Other", 2]
    ]
    assert table["fte_weeks"].tolist() == [Decimal("1.0")]
    assert moved_from_owner_text(plan) == [
        "Portfolio CCE moves from Owner to Other for 2 weeks (1.0 FTE-weeks)."
    ]
    kept = hand_built_plan(s, "base", {"area": ("owner", 1)})
    assert moved_from_owner_table(kept).empty and moved_from_owner_text(kept) == []


def test_work_not_delivered_is_a_table_for_the_document_beside_the_gantt(lapse) -> None:
    table = not_delivered_table(lapse)
    assert list(table.columns) == [
        "name",
        "kind",
        "mandatory",
        "not_delivered_fte_weeks",
        "demand_fte_weeks",
        "share_not_delivered",
        "window",
        "reason",
        "item_id",
    ]
    assert table["item_id"].is_unique  # one row per piece of work, its parts together
    assert table.iloc[0]["name"] == "Statutory tender" and table.iloc[0]["mandatory"]
    assert table["not_delivered_fte_weeks"].sum() == lapse.unmet_fte_weeks
    bau = table.set_index("item_id").loc["bau"]  # June's part only: April and May are done
    assert 0 < bau["share_not_delivered"] < 1
    assert bau["not_delivered_fte_weeks"] < bau["demand_fte_weeks"]
    assert bau["window"] == "7 Jun 2021 to 4 Jul 2021"  # June's planning weeks, to the end
    assert set(table["reason"]) == {HAND_BUILT_REASON}
