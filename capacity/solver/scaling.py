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
    """``units_per_fte`` integer units make one FTE."""

    units_per_fte: Decimal
    divisor: int

    @classmethod
    def for_values(cls, values: Iterable[Decimal]) -> Scale:
        thousandths = [int(v / FTE_STEP) for v in values if v]
        divisor = math.gcd(*thousandths) if thousandths else 1
        return cls(units_per_fte=Decimal(1) / FTE_STEP / divisor, divisor=divisor)

    def to_units(self, fte: Decimal) -> int:
        units = fte * self.units_per_fte
        if units != units.to_integral_value():
            raise ValueError(f"{fte} FTE is not a whole number of solver units ({self})")
        return int(units)

    def to_fte(self, units: float) -> Decimal:
        return (Decimal(str(units)) / self.units_per_fte).quantize(FTE_STEP)
