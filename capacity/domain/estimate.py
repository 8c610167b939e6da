"""Point values and ranges such as the record's "40-50%" or "8-9 months"."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from capacity.domain.provenance import INPUT, Provenance
from capacity.errors import InvalidValue

FTE_STEP = Decimal("0.001")
"""FTE values are exact to a thousandth (0.1% of a person); finer is refused."""


class PointRule(StrEnum):
    """Which point of a range the deterministic plan uses."""

    LOW = "low"
    MIDPOINT = "midpoint"
    HIGH = "high"


@dataclass(frozen=True)
class Estimate:
    """A quantity known exactly (``low == high``) or as a range.

    Parameters
    ----------
    low, high
        Bounds, inclusive. Units are the caller's (FTE or weeks).
    provenance
        Where the figure came from.
    """

    low: Decimal
    high: Decimal
    provenance: Provenance = INPUT

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise InvalidValue("", f"range low {self.low} is above high {self.high}")

    @classmethod
    def exact(cls, value: Decimal | int | str, provenance: Provenance = INPUT) -> Estimate:
        v = Decimal(value)
        return cls(v, v, provenance)

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    def point(self, rule: PointRule) -> Decimal:
        if rule is PointRule.LOW:
            return self.low
        if rule is PointRule.HIGH:
            return self.high
        return (self.low + self.high) / 2

    def fte_point(self, rule: PointRule) -> Decimal:
        """The point as an FTE, rounded half up to :data:`FTE_STEP`."""
        return self.point(rule).quantize(FTE_STEP, rounding=ROUND_HALF_UP)

    def weeks_point(self, rule: PointRule, minimum: int = 1) -> int:
        """The point as whole weeks: rounded half up, at least ``minimum``."""
        return max(minimum, int(self.point(rule).quantize(Decimal(1), rounding=ROUND_HALF_UP)))

    def describe(self, unit: str = "") -> str:
        def fmt(v: Decimal) -> str:
            return f"{v.normalize():f}"

        text = fmt(self.low) if not self.is_range else f"{fmt(self.low)}-{fmt(self.high)}"
        return f"{text} {unit}".strip()
