"""FTE (Decimal) to solver integers and back: the only place units change.

Loads and capacities are whole thousandths of an FTE (see
:data:`capacity.domain.estimate.FTE_STEP`). They are scaled to integers and
then divided by their greatest common divisor, so the solver works with the
smallest integers that represent the problem exactly (e.g. loads of 0.45 and
0.55 and capacities of 0.85 become 9, 11 and 17). Objective weights are whole
thousandths too, and scaled by :data:`WEIGHT_UNITS`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from capacity.domain.estimate import FTE_STEP
from capacity.domain.problem import WEIGHT_STEP

WEIGHT_UNITS = int(1 / WEIGHT_STEP)
"""Objective weights are whole thousandths (:data:`capacity.domain.problem.WEIGHT_STEP`):
the solver multiplies each by this, so the weighted objective stays an exact integer."""


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

    def weighted_to_fte(self, units: float) -> Decimal:
        """A weighted objective value (load units x weeks x weight units) in weighted
        FTE-weeks."""
        return self.to_fte(units) / WEIGHT_UNITS


def weight_units(weight: Decimal) -> int:
    """An objective weight as the solver's integer (exact: weights are whole thousandths)."""
    units = weight * WEIGHT_UNITS
    if units != units.to_integral_value():
        raise ValueError(f"weight {weight} is finer than {WEIGHT_STEP}")
    return int(units)


def _thousandths(fte: Decimal) -> int:
    value = fte / FTE_STEP
    if value != value.to_integral_value():
        raise ValueError(f"{fte} FTE is finer than {FTE_STEP}")
    return int(value)
