"""FTE (Decimal) to solver integers and back: the only place units change.

Loads and capacities are whole thousandths of an FTE (see
:data:`capacity.domain.estimate.FTE_STEP`). They are scaled to integers and
then divided by their greatest common divisor, so the solver works with the
smallest integers that represent the problem exactly (e.g. loads of 0.45 and
0.55 and capacities of 0.85 become 9, 11 and 17).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from capacity.domain.estimate import FTE_STEP


@dataclass(frozen=True)
class Scale:
    """One solver unit is ``divisor`` thousandths of an FTE."""

    divisor: int

    @classmethod
    def for_values(cls, values: Iterable[Decimal]) -> Scale:
        thousandths = [_thousandths(v) for v in values if v]
        return cls(divisor=math.gcd(*thousandths) if thousandths else 1)

    @property
    def units_per_fte(self) -> str:
        """For reports: e.g. ``1000/50``."""
        return f"1000/{self.divisor}"

    def to_units(self, fte: Decimal) -> int:
        units, remainder = divmod(_thousandths(fte), self.divisor)
        if remainder:
            raise ValueError(f"{fte} FTE is not a whole number of solver units ({self})")
        return units

    def to_fte(self, units: float) -> Decimal:
        return Decimal(round(units)) * self.divisor * FTE_STEP


def _thousandths(fte: Decimal) -> int:
    value = fte / FTE_STEP
    if value != value.to_integral_value():
        raise ValueError(f"{fte} FTE is finer than {FTE_STEP}")
    return int(value)
