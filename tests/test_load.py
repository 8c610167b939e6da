"""Load on the weekly grid: fitting a run of weeks, and weekly sums."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from capacity.domain.load import fits, fitting_starts, weekly_load


@given(
    st.lists(st.integers(0, 3), max_size=15),
    st.integers(0, 3),
    st.integers(0, 15),
    st.integers(0, 15),
    st.integers(0, 6),
)
def test_fitting_starts_are_the_starts_where_the_load_fits_every_week(
    free, load, earliest, latest_end, duration
) -> None:
    latest_end = min(latest_end, len(free))
    expected = [
        s for s in range(earliest, latest_end - duration + 1) if fits(free, load, s, duration)
    ]
    assert fitting_starts(free, load, earliest, latest_end, duration) == expected


def test_fits_checks_every_week_of_the_block() -> None:
    free = [Decimal("0.5"), Decimal("0.2"), Decimal("0.5"), Decimal("0.5")]
    assert fits(free, Decimal("0.5"), 2, 2)
    assert not fits(free, Decimal("0.5"), 0, 2)  # week 1 has only 0.2
    assert fitting_starts(free, Decimal("0.5"), 0, 4, 2) == [2]


def test_weekly_load_sums_each_persons_bookings() -> None:
    load = weekly_load(
        [("a", 0, 2, Decimal("0.5")), ("a", 1, 3, Decimal("0.25")), ("b", 2, 3, Decimal("1"))],
        4,
    )
    assert load == {
        "a": [Decimal("0.5"), Decimal("0.75"), Decimal("0.25"), Decimal(0)],
        "b": [Decimal(0), Decimal(0), Decimal("1"), Decimal(0)],
    }
