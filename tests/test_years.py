"""capacity.domain.years: which financial year a week is in, and what share; and the
per-year figures every report builds on it (on a small hand-built plan, no solver)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from conftest import hand_built_plan

from capacity.domain.years import (
    financial_year_of,
    financial_years,
    spread_over_years,
    week_shares,
)
from capacity.finance import option_cost
from capacity.plan import OptionResult
from capacity.readers import load_scenario
from capacity.reports.comparison import comparison_table, comparison_view, work_by_year


def test_a_week_across_31_march_is_shared_by_its_working_days() -> None:
    # Thursday 31 March 2022 to Wednesday 6 April: Thu in 2021/22; Fri, Mon, Tue, Wed in 22/23
    assert week_shares(date(2022, 3, 31)) == {"2021/22": Decimal("0.2"), "2022/23": Decimal("0.8")}
    # a week that starts on 1 April is wholly in the new year, one that ends on 31 March in the old
    assert week_shares(date(2022, 4, 1)) == {"2022/23": Decimal(1)}
    assert week_shares(date(2022, 3, 25)) == {"2021/22": Decimal(1)}
    # the weekend does not count: Saturday 26 March to Friday 1 April is 4/5 and 1/5
    assert week_shares(date(2022, 3, 26)) == {"2021/22": Decimal("0.8"), "2022/23": Decimal("0.2")}


def test_a_weeks_shares_are_a_fresh_mapping_each_time() -> None:
    # They are worked out once per week and kept: a caller changing its copy changes no other.
    shares = week_shares(date(2022, 3, 31))
    shares["2021/22"] = Decimal(7)
    assert week_shares(date(2022, 3, 31)) == {"2021/22": Decimal("0.2"), "2022/23": Decimal("0.8")}


def test_financial_years_of_a_horizon() -> None:
    one = financial_years(date(2021, 4, 1), date(2022, 3, 31))
    assert [y.label for y in one] == ["2021/22"]
    assert (one[0].start, one[0].end) == (date(2021, 4, 1), date(2022, 3, 31))
    two = financial_years(date(2021, 4, 1), date(2023, 3, 31))
    assert [y.label for y in two] == ["2021/22", "2022/23"]
    assert financial_year_of(date(2022, 3, 31)).label == "2021/22"
    assert financial_year_of(date(2022, 4, 1)).label == "2022/23"
    # a calendar-year horizon touches two financial years
    assert [y.label for y in financial_years(date(2021, 1, 1), date(2021, 12, 31))] == [
        "2020/21",
        "2021/22",
    ]


def test_spreading_a_booking_over_years_keeps_its_total() -> None:
    starts = tuple(date(2022, 3, 17) + timedelta(days=7 * w) for w in range(4))
    spread = spread_over_years(starts, 0, 4, Decimal("0.5"))  # weeks of 17, 24, 31 Mar, 7 Apr
    assert spread == {"2021/22": Decimal("1.1"), "2022/23": Decimal("0.9")}
    assert sum(spread.values()) == Decimal("0.5") * 4


SCENARIO = """\
scenario: Across the year end
horizon:
  start: 2022-03-10
  end: 2022-04-27
pay:
  grades:
    F: 44194
team:
  - {id: lead, role: Manager, fte: 1.0, skills: [lead]}
work:
  - {id: block, name: Block, kind: project, load: 0.5, duration: 2 weeks}
  - {id: late, name: Late, kind: project, load: 0.5, duration: 1 week, release: 2022-04-07}
options:
  - {id: only, name: As it is}
  - id: add
    name: A new post from March
    changes:
      - add: {id: new, role: Officer, fte: 1.0, grade: F, start: 2022-03-01}
"""


def test_per_year_rows_on_a_plan_across_31_march(tmp_path: Path) -> None:
    path = tmp_path / "year-end.yaml"
    path.write_text(SCENARIO)
    scenario = load_scenario(path)
    # the block in the weeks of 24 and 31 March; "late" (from week 4) is not done
    plan = hand_built_plan(scenario, "only", {"block": ("lead", 2)})
    by_year = work_by_year(plan)
    assert by_year == {
        "2021/22": (Decimal("0.6"), Decimal(0)),  # 0.5 + 0.5 x 1/5
        "2022/23": (Decimal("0.4"), Decimal("0.5")),  # 0.5 x 4/5; the late item's week
    }
    results = [
        OptionResult(plan, option_cost(scenario, "only")),
        OptionResult(hand_built_plan(scenario, "add", {}), option_cost(scenario, "add")),
    ]
    table = comparison_table(results).set_index("option_id")
    assert table.loc["only", "delivered_fte_weeks_2021_22"] == Decimal("0.6")
    assert table.loc["only", "unmet_fte_weeks_2022_23"] == Decimal("0.5")
    assert table.loc["add", "delivered_fte_weeks_2022_23"] == 0
    view = comparison_view(results).set_axis(["only", "add"], axis=1)  # headed by name
    assert view.loc["  in 2021/22", "only"] == "0.6"
    assert view.loc["  unmet in 2022/23", "only"] == "0.5"
    assert view.loc["Delivered (FTE-weeks)", "only"] == "1.0"
    # the new post's cost: 10-31 March in 2021/22, 1-27 April in 2022/23 (pro rata by months)
    add = results[1].cost
    assert [label for label, _ in add.by_year] == ["2021/22", "2022/23"]
    assert view.loc["Additional cost 2021/22", "add"].startswith("£")
    assert add.additional_over_horizon == sum(amount for _, amount in add.by_year)
