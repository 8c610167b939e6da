"""Pay pro rata and option costs, to the penny."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from capacity.finance import ProRata, option_cost, post_cost, to_pounds
from capacity.readers import load_scenario

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


TWO_YEARS = Path(__file__).resolve().parents[1] / "scenarios" / "two-years-2021-23.yaml"


def test_shipped_costs_per_financial_year() -> None:
    # the two-year what-if: 21/22 in-year, 22/23 a full year
    shipped_scenario = load_scenario(TWO_YEARS)
    assert (shipped_scenario.horizon.start, shipped_scenario.horizon.end) == (
        date(2021, 4, 1),
        date(2023, 3, 31),
    )
    costs = {
        o.id: dict(option_cost(shipped_scenario, o.id).by_year) for o in shipped_scenario.options
    }
    assert costs["option-4"] == {"2021/22": Decimal("29462.67"), "2022/23": Decimal("44194.00")}
    assert costs["option-2"] == {"2021/22": Decimal("17677.60"), "2022/23": Decimal(0)}
    assert costs["option-3"] == {"2021/22": Decimal("17677.60"), "2022/23": Decimal("26516.40")}
    assert costs["option-1"] == {"2021/22": Decimal(0), "2022/23": Decimal(0)}
    four = option_cost(shipped_scenario, "option-4")
    assert four.additional_over_horizon == Decimal("73656.67")
    assert four.additional_after_horizon == Decimal("44194.00")  # 2023/24, permanent


# -- pay awards, on-costs and recruitment gaps ---------------------------------------------


def test_pay_award_crossing_1_april() -> None:
    from capacity.domain.pay import PayAward

    award = PayAward(Decimal("2.5"), date(2022, 4, 1))
    # January to June 2022: three months at the old salary, three at 2.5% more.
    cost = post_cost(F, Decimal(1), None, None, date(2022, 1, 1), date(2022, 6, 30), award=award)
    assert to_pounds(cost) == to_pounds(F * 3 / 12 + F * Decimal("1.025") * 3 / 12)
    # A second anniversary compounds.
    later = post_cost(F, Decimal(1), None, None, date(2023, 4, 1), date(2023, 4, 30), award=award)
    assert to_pounds(later) == to_pounds(F * Decimal("1.025") ** 2 / 12)


def test_on_costs_multiply_salary() -> None:
    from capacity.domain.pay import OnCosts

    on_costs = OnCosts(employer_ni_percent=Decimal("13.8"), pension_percent=Decimal("20"))
    cost = post_cost(F, Decimal("0.6"), None, None, FY_START, FY_END, on_costs=on_costs)
    assert to_pounds(cost) == Decimal("35478.94")  # 26,516.40 x (1 + 0.138 + 0.20)


def test_recruitment_gap_costs_nothing(shipped_scenario) -> None:
    from capacity.finance import start_date_costs

    rows = {(r.option_id, r.start.isoformat()): r for r in start_date_costs(shipped_scenario)}
    assert rows["option-4", "2021-08-01"].planned
    assert rows["option-4", "2021-08-01"].additional_in_year == Decimal("29462.67")
    # Starting on 1 November: five months of grade F full time.
    assert rows["option-4", "2021-11-01"].additional_in_year == to_pounds(F * 5 / 12)
    assert rows["option-3", "2021-11-01"].additional_in_year == to_pounds(
        F * Decimal("0.6") * 5 / 12
    )


def test_recruitment_gap_what_if_lowers_in_year_cost() -> None:
    from conftest import REPOSITORY

    from capacity.readers import load_scenario

    gap = load_scenario(REPOSITORY / "scenarios" / "what-if-recruitment-gap.yaml")
    cost = option_cost(gap, "option-4")
    # 12 weeks' gap (midpoint of 8-16) from 1 August: starts 24 October 2021.
    expected = post_cost(F, Decimal(1), date(2021, 10, 24), None, FY_START, FY_END)
    assert cost.additional_in_year == to_pounds(expected)
    assert cost.additional_next_year == F


# -- reconciliation with the record ----------------------------------------------------------


def test_reconciliation_of_the_record(shipped_scenario) -> None:
    from capacity.finance import reconcile

    by_label = {r.figure.label(): r for r in reconcile(shipped_scenario)}
    option_4 = by_label["option-4: additional in year"]
    assert (option_4.figure.value, option_4.computed) == (Decimal("29462.66"), Decimal("29462.67"))
    assert not option_4.flagged and "truncates the pence" in option_4.explanation
    next_year = by_label["option-4: additional next year"]
    assert next_year.computed == Decimal("44194.00") and not next_year.flagged
    for option in ("option-2", "option-3"):
        r = by_label[f"{option}: additional in year"]
        assert (r.figure.value, r.computed, r.difference) == (
            Decimal("17894.34"),
            Decimal("17677.60"),
            Decimal("216.74"),
        )
        assert r.flagged
        assert "£26,841.51 a year at 0.6 FTE" in r.explanation  # the annual figure it implies
        assert "£17,897.33" in r.explanation  # what para 48's £26,846 would give
    annual = by_label["wmdn-lead: annual cost"]
    assert (annual.computed, annual.difference) == (Decimal("26516.40"), Decimal("329.60"))
    assert annual.flagged and "£44,743.33 a year full time" in annual.explanation


def test_tolerance_decides_the_flag(shipped_scenario) -> None:
    from capacity.finance import reconcile

    strict = {r.figure.label(): r for r in reconcile(shipped_scenario, tolerance=Decimal("0"))}
    assert strict["option-4: additional in year"].flagged  # a penny out
    loose = reconcile(shipped_scenario, tolerance=Decimal("500"))
    assert not any(r.flagged for r in loose)


def test_days_rule_changes_part_year_costs(shipped_scenario) -> None:
    by_days = option_cost(shipped_scenario, "option-4", ProRata.DAYS)
    # 1 August 2021 to 31 March 2022 is 243 of the year's 365 days.
    assert by_days.additional_in_year == to_pounds(F * 243 / 365)


def test_cost_follows_the_point_of_the_recruitment_gap() -> None:
    from conftest import REPOSITORY

    from capacity.domain import PointRule
    from capacity.readers import load_scenario

    gap = load_scenario(REPOSITORY / "scenarios" / "what-if-recruitment-gap.yaml")
    costs = [option_cost(gap, "option-4", point_rule=rule).additional_in_year for rule in PointRule]
    assert costs[0] > costs[1] > costs[2]  # 8, 12 and 16 weeks' gap: the later, the cheaper


def test_reconciliation_allows_for_a_pay_award(shipped_scenario) -> None:
    from dataclasses import replace

    from capacity.domain.pay import PayAward
    from capacity.finance import reconcile

    awarded = replace(
        shipped_scenario,
        pay=replace(shipped_scenario.pay, award=PayAward(Decimal("2.5"), date(2022, 4, 1))),
    )
    by_label = {r.figure.label(): r for r in reconcile(awarded)}
    next_year = by_label["option-4: additional next year"]
    assert next_year.computed == to_pounds(F * Decimal("1.025"))  # the award applies from April
    assert next_year.flagged
    # The stated £44,194 would need a pre-award salary of 44,194 / 1.025.
    assert (
        f"implies £{to_pounds(F / Decimal('1.025')):,.2f} a year full time" in next_year.explanation
    )
    assert "allowing for the 2.5% pay award" in next_year.explanation
