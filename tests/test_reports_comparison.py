"""capacity.reports.comparison on hand-built plans of the small team (no solver)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from conftest import HAND_BUILT_REASON, hand_built_plan, item, person, scenario, week

from capacity.domain import Estimate, WorkKind, build_problem
from capacity.finance.option_costs import option_cost
from capacity.plan import OptionResult
from capacity.reports.comparison import (
    bid_split,
    comparison_change,
    comparison_table,
    comparison_view,
    unmet_by_item,
    unmet_text,
)
from capacity.solver import solve


@pytest.fixture
def lapse(small_results):
    return small_results[0]


@pytest.fixture
def extend(small_results):
    return small_results[1]


def test_unmet_by_item_puts_mandatory_work_first_and_sums_to_the_plan(lapse) -> None:
    table = unmet_by_item(lapse.plan)
    assert list(table.columns) == [
        "item_id",
        "name",
        "mandatory",
        "unmet_fte_weeks",
        "demand_fte_weeks",
        "parts_unmet",
        "parts",
        "reason",
    ]
    # mandatory first, then the largest: the bid 0.65 x 3, the award (expected: 0.5 x the
    # default win probability 0.889, 0.444 rounded down) x 4, June's bau
    assert list(table["item_id"]) == ["statutory-tender", "bid", "bid-award", "bau"]
    assert list(table["mandatory"]) == [True, False, False, False]
    assert table["unmet_fte_weeks"].sum() == lapse.plan.unmet_fte_weeks
    assert set(table["reason"]) == {HAND_BUILT_REASON}


def test_unmet_by_item_shows_the_undelivered_part_of_ongoing_work(lapse) -> None:
    # June's business as usual is undone, April's and May's are delivered.
    bau = unmet_by_item(lapse.plan).set_index("item_id").loc["bau"]
    assert (bau["parts_unmet"], bau["parts"]) == (1, 3)
    assert bau["unmet_fte_weeks"] == Decimal("1.600")  # 0.4 FTE for June's 4 weeks
    assert bau["demand_fte_weeks"] == Decimal("5.200")  # 0.4 FTE for all 13 weeks
    assert bau["name"] == "Business as usual"


def test_a_plan_that_places_nothing_lists_every_item_once(small_team) -> None:
    table = unmet_by_item(hand_built_plan(small_team, "extend", {}))
    assert sorted(table["item_id"]) == ["bau", "bid", "bid-award", "statutory-tender"]
    assert table.set_index("item_id").loc["bau", "parts_unmet"] == 3
    assert (table["unmet_fte_weeks"] == table["demand_fte_weeks"]).all()


def test_comparison_table_has_a_row_per_option_whose_figures_are_the_plans(
    small_results,
) -> None:
    table = comparison_table(small_results).set_index("option_id")
    assert list(table.index) == ["lapse", "extend"]
    for result in small_results:
        row = table.loc[result.plan.option_id]
        plan = result.plan
        assert row["delivered_fte_weeks"] == plan.delivered_fte_weeks
        assert row["unmet_fte_weeks"] == plan.unmet_fte_weeks
        assert row["delivered_fte_weeks"] + row["unmet_fte_weeks"] == row["demand_fte_weeks"]
        assert row["additional_cost_in_year"] == result.cost.additional_in_year
        assert isinstance(row["additional_cost_in_year"], Decimal)  # money stays Decimal
        assert row["solver_status"] == "feasible"
    assert table.loc["lapse", "unmet_mandatory_items"] == "statutory-tender"
    assert not table.loc["lapse", "mandatory_delivered"]
    assert table.loc["extend", "unmet_mandatory_items"] == ""
    assert table.loc["extend", "mandatory_delivered"]
    assert table.loc["extend", "unmet_items"] == "bid;bid-award"  # largest first
    assert {"utilisation_mean_lead", "utilisation_peak_temp"} <= set(table.columns)
    assert "pro rata by months" in table.loc["lapse", "cost_rule"]


LAPSE, EXTEND = "Let the temporary post lapse", "Extend the temporary post"


def test_comparison_view_shows_each_option_as_a_column_of_text(small_results) -> None:
    view = comparison_view(small_results).rename(columns={LAPSE: "lapse", EXTEND: "extend"})
    assert list(comparison_view(small_results).columns) == [LAPSE, EXTEND]  # by name
    assert view.loc["Mandatory work delivered", "lapse"] == "NO (Statutory tender)"
    assert view.loc["Mandatory work delivered", "extend"] == "yes"
    assert view.loc["  of which mandatory", "lapse"] == "3.6"
    assert view.loc["Unmet (FTE-weeks)", "extend"] == "3.7"  # 1.95 + 1.776, one decimal
    extend_cost = small_results[1].cost.additional_in_year
    assert view.loc["Additional cost 2021", "extend"] == f"£{extend_cost:,.2f}"
    assert view.loc["Additional cost 2021", "lapse"] == "£0.00"
    assert view.loc["Work items not (fully) delivered", "lapse"] == "4"  # one piece each
    assert (
        view.loc["Best possible plan?", "extend"] == "not proven (no useful bound)"
    )  # a bound of 0, not "within 100%"
    assert not any("temp" in label or "lead" in label.split() for label in view.index)


def test_comparison_view_says_who_is_not_in_post(small_results) -> None:
    # The temporary post has no capacity in an option that ends it before the horizon.
    lapse = small_results[0]
    gone = replace(
        lapse.plan.problem,
        capacity={**lapse.plan.problem.capacity, "temp": (Decimal(0),) * 13},
    )
    result = replace(lapse, plan=replace(lapse.plan, problem=gone))
    view = comparison_view([result])
    assert view.loc["Load: Project Lead (mean / peak)", LAPSE] == "not in post"
    assert view.loc["Load: Commissioning Manager (mean / peak)", LAPSE].endswith("%")


def test_unmet_text_stars_mandatory_work(small_results) -> None:
    lines = unmet_text(small_results).splitlines()
    assert lines[0].startswith("Not delivered, by option")
    assert lines[2] == (
        f"  {LAPSE}: *Statutory tender 3.6; Funding bid 2.0; Funding bid: post-award"
    )
    assert lines[3].strip() == "delivery 1.8; Business as usual 1.6 (1 of 3 pieces)"  # 1 month
    assert lines[4] == f"  {EXTEND}: Funding bid 2.0; Funding bid: post-award delivery 1.8"
    assert all(len(line) <= 100 for line in lines)


def test_comparison_change_is_after_less_before(small_results) -> None:
    lapse, extend = small_results
    # Pretend the what-if turned "lapse" into the extended plan.
    changed = [replace(extend, plan=replace(extend.plan, problem=lapse.plan.problem))]
    (row,) = comparison_change(small_results, changed).to_dict("records")
    assert row["option_id"] == "lapse"
    assert row["unmet_fte_weeks_before"] == lapse.plan.unmet_fte_weeks
    assert row["unmet_fte_weeks_after"] == extend.plan.unmet_fte_weeks
    assert row["unmet_fte_weeks_change"] == extend.plan.unmet_fte_weeks - lapse.plan.unmet_fte_weeks
    assert row["additional_cost_in_year_change"] == (
        extend.cost.additional_in_year - lapse.cost.additional_in_year
    )
    assert (row["mandatory_delivered_before"], row["mandatory_delivered_after"]) == (False, True)


def test_comparison_change_refuses_an_option_not_in_the_baseline(small_results) -> None:
    with pytest.raises(KeyError, match="extend"):
        comparison_change(small_results[:1], small_results[1:])


def test_the_comparison_shows_committed_and_bid_dependent_work_apart(small_results) -> None:
    # Under "extend" the tender and all business as usual are delivered (committed:
    # 0.45 x 8 + 0.4 x 13 = 8.8 FTE-weeks); the bid (0.65 x 3) and its award (expected:
    # 0.5 x 0.889 = 0.444, rounded down, x 4 weeks) are not.
    extend = small_results[1].plan
    split = bid_split(extend)
    assert (split.committed_delivered, split.committed_unmet) == (Decimal("8.8"), 0)
    assert (split.bid_delivered, split.bid_unmet) == (0, Decimal("1.95") + Decimal("1.776"))
    assert (split.bids_written, split.bids) == (0, 1)
    total = split.committed_delivered + split.committed_unmet + split.bid_delivered
    assert total + split.bid_unmet == extend.problem.total_demand_fte_weeks
    view = comparison_view(small_results)
    assert view.loc["Committed work delivered / unmet", EXTEND] == "8.8 / 0.0"
    label = "Bid-dependent work delivered / unmet (bids at their expected outcome)"
    assert view.loc[label, EXTEND] == "0.0 / 3.7"
    assert view.loc["Funding bids written", EXTEND] == "0 of 1"
    assert view.loc["Delivered (FTE-weeks)", EXTEND] == "8.8"  # the existing rows stay
    table = comparison_table(small_results).set_index("option_id")
    assert table.loc["extend", "bids_written"] == 0
    assert table.loc["extend", "bid_dependent_unmet_fte_weeks"] == split.bid_unmet


def test_a_written_bid_counts_among_the_bids_written() -> None:
    bid = replace(
        item("bid", load="0.4", weeks=2, kind=WorkKind.BID), win_probability=Estimate.exact(1)
    )
    award = replace(item("bid-award", committed_to="bid"), kind=WorkKind.IMPLEMENTATION)
    plan = solve(build_problem(scenario([person("a")], [bid, award, item("bau")]), "base"))
    split = bid_split(plan)
    assert (split.bids_written, split.bids) == (1, 1)
    assert (split.bid_delivered, split.bid_unmet) == (Decimal("1.8"), 0)  # 0.4 x 2 + 0.5 x 2
    assert (split.committed_delivered, split.committed_unmet) == (Decimal("1.0"), 0)


def test_over_two_financial_years_the_bids_written_are_counted_per_year() -> None:
    # Two bids, one opening in 2021/22 and one in 2022/23, after the only writer has left.
    first = item("bid-1", load="0.4", weeks=2, kind=WorkKind.BID)
    second = item("bid-2", load="0.4", weeks=2, kind=WorkKind.BID, release=week(60))
    team = [person("a", end=week(52))]
    plan = solve(build_problem(scenario(team, [first, second], weeks=100), "base"))
    split = bid_split(plan)
    assert split.by_year == (("2021/22", 1, 1), ("2022/23", 0, 1))
    result = OptionResult(plan=plan, cost=option_cost(plan.problem.scenario, "base"))
    view = comparison_view([result])
    column = view.columns[0]
    assert view.loc["Funding bids written", column] == "1 of 2"
    assert view.loc["  bids of 2021/22", column] == "1 of 1"
    assert view.loc["  bids of 2022/23", column] == "0 of 1"
    table = comparison_table([result]).iloc[0]
    assert (table["bids_written_2021_22"], table["bids_known_2022_23"]) == (1, 1)
