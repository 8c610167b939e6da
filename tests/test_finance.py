"""Pay pro rata and option costs, to the penny."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from capacity.finance import ProRata, option_cost, post_cost, to_pounds

F = Decimal("44194")  # grade F, para 48
FY_START, FY_END = date(2021, 4, 1), date(2022, 3, 31)


def test_eight_months_full_time_by_months() -> None:
    cost = post_cost(F, Decimal(1), date(2021, 8, 1), None, FY_START, FY_END)
    assert cost == F * 8 / 12
    assert to_pounds(cost) == Decimal("29462.67")  # the record shows 29,462.66 (truncated), para 49


def test_part_month_is_pro_rata_by_its_days() -> None:
    cost = post_cost(F, Decimal(1), date(2021, 8, 16), date(2021, 8, 31), FY_START, FY_END)
    assert to_pounds(cost) == to_pounds(F / 12 * 16 / 31)


def test_days_rule_and_leap_year() -> None:
    whole = post_cost(F, Decimal(1), None, None, FY_START, FY_END, ProRata.DAYS)
    assert whole == F
    leap = post_cost(
        F,
        Decimal(1),
        date(2024, 2, 29),
        date(2024, 2, 29),
        date(2023, 4, 1),
        date(2024, 3, 31),
        ProRata.DAYS,
    )
    assert to_pounds(leap) == to_pounds(F / 366)


def test_outside_the_period_costs_nothing() -> None:
    assert post_cost(F, Decimal(1), date(2020, 1, 1), date(2021, 3, 31), FY_START, FY_END) == 0


def test_shipped_option_costs(shipped_scenario) -> None:
    costs = {o.id: option_cost(shipped_scenario, o.id) for o in shipped_scenario.options}
    assert costs["option-1"].additional_in_year == 0
    assert costs["option-2"].additional_in_year == Decimal("17677.60")  # 0.6 x 44,194 x 8/12
    assert costs["option-3"].additional_in_year == Decimal("17677.60")
    assert costs["option-4"].additional_in_year == Decimal("29462.67")
    assert costs["option-2"].additional_next_year == 0  # ends 31 March 2022
    assert costs["option-3"].additional_next_year == Decimal("26516.40")
    assert costs["option-4"].additional_next_year == Decimal("44194.00")  # para 49
