"""The pay model: grades, pay awards, on-costs, the pro-rata rule, and the
figures a decision document states (to reconcile against)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from capacity.domain.provenance import INPUT, Provenance
from capacity.errors import InvalidValue


class ProRata(StrEnum):
    """How a post that covers part of a period is costed.

    ``months``: each calendar month costs 1/12 of the annual cost; a month
    covered in part costs that share of its calendar days (how the decision
    record costs posts, para 49).
    ``days``: the annual cost x days in post / days in that year (365, or
    366 in a year with 29 February).
    """

    MONTHS = "months"
    DAYS = "days"


class StatedFigureKind(StrEnum):
    ADDITIONAL_IN_YEAR = "additional_in_year"  # an option's extra cost over the horizon
    ADDITIONAL_NEXT_YEAR = "additional_next_year"  # an option's extra cost in the year after
    ANNUAL_COST = "annual_cost"  # a post's cost for a full year at its FTE


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


@dataclass(frozen=True)
class PayAward:
    """A pay rise of ``percent`` from ``effective``, and again on each anniversary."""

    percent: Decimal
    effective: date
    provenance: Provenance = INPUT

    def __post_init__(self) -> None:
        if not Decimal(-50) < self.percent < Decimal(100):
            raise InvalidValue(
                "award.percent", f"must be a percentage such as 2.5, got {self.percent}"
            )

    def dates_until(self, last: date) -> list[date]:
        """Every date the award takes effect, up to ``last``."""
        dates: list[date] = []
        year = self.effective.year
        while True:
            day = _anniversary(self.effective, year)
            if day > last:
                return dates
            dates.append(day)
            year += 1


@dataclass(frozen=True)
class OnCosts:
    """Employer costs on top of salary, as percentages of it (0 = not costed)."""

    employer_ni_percent: Decimal = Decimal(0)
    pension_percent: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        for name, value in (
            ("employer_ni", self.employer_ni_percent),
            ("pension", self.pension_percent),
        ):
            if not Decimal(0) <= value < Decimal(100):
                raise InvalidValue(
                    f"on_costs.{name}", f"must be a percentage from 0 to 100, got {value}"
                )

    @property
    def multiplier(self) -> Decimal:
        return 1 + (self.employer_ni_percent + self.pension_percent) / 100

    @property
    def included(self) -> bool:
        return self.multiplier != 1


@dataclass(frozen=True)
class StatedFigure:
    """A cost a decision document states, to be reconciled with the computed one.

    Parameters
    ----------
    kind
        Which figure (see :class:`StatedFigureKind`).
    value
        The figure as stated, in pounds.
    option
        The option it is for (for ``additional_*`` figures).
    post
        The staff id it is for (for ``annual_cost``).
    """

    kind: StatedFigureKind
    value: Decimal
    provenance: Provenance
    option: str | None = None
    post: str | None = None

    def __post_init__(self) -> None:
        if self.kind is StatedFigureKind.ANNUAL_COST and not self.post:
            raise InvalidValue("stated", "an annual_cost figure names the post it is for")
        if self.kind is not StatedFigureKind.ANNUAL_COST and not self.option:
            raise InvalidValue("stated", f"a {self.kind.value} figure names the option it is for")

    def label(self) -> str:
        subject = self.option or self.post
        return f"{subject}: {self.kind.value.replace('_', ' ')}"


@dataclass(frozen=True)
class PayModel:
    """How posts are costed.

    Parameters
    ----------
    grades
        Annual full-time salary by grade name.
    rule
        The pro-rata rule (see :class:`ProRata`).
    award
        An annual pay award, or ``None``.
    on_costs
        Employer on-costs; none by default.
    stated
        Figures to reconcile with.
    """

    grades: dict[str, Grade] = field(default_factory=dict)
    rule: ProRata = ProRata.MONTHS
    award: PayAward | None = None
    on_costs: OnCosts = field(default_factory=OnCosts)
    stated: tuple[StatedFigure, ...] = ()

    def annual_salary(self, grade: str | None) -> Decimal | None:
        found = self.grades.get(grade or "")
        return None if found is None else found.annual_salary


def _anniversary(day: date, year: int) -> date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a year without one
        return date(year, 3, 1)
