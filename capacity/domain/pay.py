"""Pay grades: the annual full-time salary of each grade."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from capacity.domain.provenance import INPUT, Provenance
from capacity.errors import InvalidValue


@dataclass(frozen=True)
class Grade:
    """A pay grade and its annual full-time salary in pounds."""

    name: str
    annual_salary: Decimal
    provenance: Provenance = INPUT

    def __post_init__(self) -> None:
        if self.annual_salary <= 0:
            raise InvalidValue("salary", f"must be above zero, got {self.annual_salary}")
        if self.annual_salary != self.annual_salary.quantize(Decimal("0.01")):
            raise InvalidValue("salary", f"{self.annual_salary} has fractions of a penny")
