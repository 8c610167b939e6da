"""The one rounding rule for displayed figures (capacity/reports/figures.py)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from capacity.reports.figures import (
    format_count,
    format_fte_weeks,
    format_share,
    round_fte_weeks,
    round_share,
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        # the two figures of issue 15: Python's half-to-even gave 31.8 and 124.2
        (Decimal("31.85"), "31.9"),
        (Decimal("124.15"), "124.2"),
        # the same written as floats: read by their decimal form, not their binary value
        (31.85, "31.9"),
        (124.15, "124.2"),
        (Decimal("0.05"), "0.1"),
        (Decimal("0.04999"), "0.0"),
        (Decimal("-2.25"), "-2.3"),  # half up is away from zero, as for money
        (Decimal("-0.04"), "0.0"),  # no "-0.0"
        (Decimal("1240.45"), "1,240.5"),
        (Fraction(1, 3), "0.3"),
        (7, "7.0"),
    ],
)
def test_format_fte_weeks_rounds_half_up_to_a_tenth(value: object, shown: str) -> None:
    assert format_fte_weeks(value) == shown  # type: ignore[arg-type]


def test_the_two_figures_of_the_issue_round_the_same_way() -> None:
    # both halves go up: the rule does not depend on the digit before the 5
    assert round_fte_weeks(Decimal("31.85")) - Decimal("31.85") == Decimal("0.05")
    assert round_fte_weeks(Decimal("124.15")) - Decimal("124.15") == Decimal("0.05")
    assert f"{Decimal('31.85'):.1f}" == "31.8"  # what the reports printed before


@pytest.mark.parametrize(
    ("share", "shown"),
    [(0.625, "63%"), (0.125, "13%"), (Decimal("0.005"), "1%"), (1, "100%"), (0, "0%")],
)
def test_format_share_rounds_half_up_to_a_whole_percent(share: object, shown: str) -> None:
    assert format_share(share) == shown  # type: ignore[arg-type]
    assert round_share(share) * 100 == Decimal(shown.rstrip("%"))  # type: ignore[arg-type]


def test_format_count_names_what_it_counts() -> None:
    assert format_count(1, "item") == "1 item"
    assert format_count(30, "item") == "30 items"
    assert format_count(2, "monthly piece") == "2 monthly pieces"
    assert format_count(0, "person", "people") == "0 people"


def test_a_recommendation_is_said_to_be_the_papers() -> None:
    from capacity.reports.figures import option_label

    assert option_label("Option 4: a full-time officer (recommended)") == (
        "Option 4: a full-time officer (recommended in the paper)"
    )
    assert option_label("Option 1: lapse") == "Option 1: lapse"


def test_a_plan_with_no_useful_bound_is_not_said_to_be_within_100_percent() -> None:
    from capacity.reports.figures import plan_quality

    assert plan_quality(True, Decimal(0)) == "the best possible plan"
    assert plan_quality(False, Decimal("0.031")) == "a plan within 3% of the best possible"
    assert plan_quality(False, Decimal(1)) == "a plan not proven (no useful bound)"


def test_no_report_rounds_a_figure_by_pythons_own_rule() -> None:
    # f"{x:.1f}" and f"{x:.0%}" round half to even: a board pack once said 78.6 where the
    # comparison beside it said 78.7 (78.65). FTE-weeks (to a tenth) and shares (to a whole
    # percent) go through this module; only times, rates, progress and axis ticks may not.
    import re
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "capacity"
    allowed = re.compile(r"\b\w*seconds\b|\brate\b|set_major_formatter")  # times, ticks
    found = [
        f"{path.relative_to(package)}:{number}: {line.strip()}"
        for path in sorted(package.rglob("*.py"))
        if path.relative_to(package).as_posix() not in ("reports/figures.py", "reports/progress.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\{[^{}]*:,?(\.1f|\.0%)\}", line) and not allowed.search(line)
    ]
    assert found == []
