"""Staff: who is in the team, when, at what FTE and with which skills."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from capacity.domain.estimate import Estimate
from capacity.domain.provenance import INPUT, Provenance, check_id
from capacity.errors import InvalidValue

LEAD = "lead"
MANAGE = "manage"
"""The skill of line management: who carries a new starter's induction."""


def induction_task_id(staff_id: str) -> str:
    """Id of the line manager's work inducting a new starter (the planning problem's own)."""
    return f"{staff_id}-induction"


"""The skill "can lead a commissioning exercise" (para 14, para 18)."""


@dataclass(frozen=True)
class Absence:
    """A planned absence, both dates inclusive."""

    start: date
    end: date
    reason: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidValue("absences", f"absence ends {self.end} before it starts {self.start}")


@dataclass(frozen=True)
class Induction:
    """Reduced capacity for a new starter's first weeks.

    Parameters
    ----------
    weeks
        Length of the induction from the start date (weeks; may be a range).
    capacity_share
        Share of normal capacity given during induction, in (0, 1] (may be a range).
    line_manager_load
        FTE the line manager (someone with skill :data:`MANAGE`) gives each week of
        the induction, in (0, 1]; ``None``: not planned.

    Errors name the key within the ``induction`` mapping (``weeks``, ``capacity``);
    the reader adds the path to it.
    """

    weeks: Estimate
    capacity_share: Estimate
    line_manager_load: Estimate | None = None

    def __post_init__(self) -> None:
        load = self.line_manager_load
        if load is not None and not (Decimal(0) < load.low and load.high <= Decimal(1)):
            raise InvalidValue(
                "line_manager_load", f"must be above 0 and at most 1 FTE, got {load.describe()}"
            )
        if self.weeks.low < 0:
            raise InvalidValue("weeks", f"must be 0 or more, got {self.weeks.describe()}")
        if not (Decimal(0) < self.capacity_share.low and self.capacity_share.high <= Decimal(1)):
            raise InvalidValue(
                "capacity",
                f"must be above 0 and at most 1, got {self.capacity_share.describe()}",
            )


@dataclass(frozen=True)
class StaffMember:
    """One post and its holder.

    Parameters
    ----------
    id
        Short unique id used in outputs, e.g. ``officer``.
    name, role
        How the person or post is shown in reports.
    fte
        Contracted full-time equivalent, in (0, 1].
    skills
        Skills such as :data:`LEAD`.
    grade
        Pay grade, if known (used by finance).
    contract_start, contract_end
        First and last day in post (inclusive); ``None`` means open-ended.
    absences
        Planned absences.
    induction
        Reduced capacity from ``contract_start``, for a new starter.
    """

    id: str
    name: str
    role: str
    fte: Decimal
    skills: frozenset[str] = frozenset()
    grade: str | None = None
    contract_start: date | None = None
    contract_end: date | None = None
    absences: tuple[Absence, ...] = ()
    induction: Induction | None = None
    fte_provenance: Provenance = INPUT
    contract_provenance: Provenance = INPUT
    notes: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        check_id(self.id)
        if not Decimal(0) < self.fte <= Decimal(1):
            raise InvalidValue("fte", f"must be above 0 and at most 1, got {self.fte}")
        if (
            self.contract_start is not None
            and self.contract_end is not None
            and self.contract_end < self.contract_start
        ):
            raise InvalidValue(
                "contract.end",
                f"contract ends {self.contract_end} before it starts {self.contract_start}",
            )

    def employed_on(self, day: date) -> bool:
        if self.contract_start is not None and day < self.contract_start:
            return False
        return self.contract_end is None or day <= self.contract_end

    def absent_on(self, day: date) -> bool:
        return any(a.start <= day <= a.end for a in self.absences)
