"""Staffing options and what-ifs: changes applied to the base team and work."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from capacity.domain.estimate import Estimate, PointRule
from capacity.domain.provenance import INPUT, Provenance, check_id
from capacity.domain.team import StaffMember
from capacity.errors import InvalidValue


@dataclass(frozen=True)
class EndPost:
    """The post ends on ``on`` (last day in post)."""

    staff_id: str
    on: date
    provenance: Provenance = INPUT

    def apply(self, team: dict[str, StaffMember], rule: PointRule) -> None:
        team[self.staff_id] = replace(team[self.staff_id], contract_end=self.on)

    def describe(self) -> str:
        return f"{self.staff_id} ends {self.on:%d %b %Y}"


@dataclass(frozen=True)
class ExtendPost:
    """The post is extended to ``to`` (``None``: made permanent)."""

    staff_id: str
    to: date | None
    provenance: Provenance = INPUT

    def apply(self, team: dict[str, StaffMember], rule: PointRule) -> None:
        team[self.staff_id] = replace(team[self.staff_id], contract_end=self.to)

    def describe(self) -> str:
        to = "permanent" if self.to is None else f"to {self.to:%d %b %Y}"
        return f"{self.staff_id} extended {to}"


@dataclass(frozen=True)
class AddPost:
    """A new post, filled after a recruitment gap.

    Parameters
    ----------
    member
        The post; its ``contract_start`` is the earliest date it could be
        filled (for example the day after the old post ends).
    recruitment_gap_weeks
        Weeks from that date until the recruit starts.
    """

    member: StaffMember
    recruitment_gap_weeks: Estimate
    provenance: Provenance = INPUT

    def __post_init__(self) -> None:
        if self.member.contract_start is None:
            raise InvalidValue("add.start", "a new post needs the date it could first be filled")
        if self.recruitment_gap_weeks.low < 0:
            raise InvalidValue("add.recruitment_gap", "must be 0 weeks or more")

    def start_date(self, rule: PointRule) -> date:
        assert self.member.contract_start is not None
        gap = self.recruitment_gap_weeks.point(rule)
        return self.member.contract_start + timedelta(days=round(gap * 7))

    def apply(self, team: dict[str, StaffMember], rule: PointRule) -> None:
        team[self.member.id] = replace(self.member, contract_start=self.start_date(rule))

    def describe(self) -> str:
        return f"add {self.member.id} ({self.member.fte.normalize():f} FTE {self.member.role})"


TeamChange = EndPost | ExtendPost | AddPost


@dataclass(frozen=True)
class StaffingOption:
    """One staffing option: changes to the base team.

    Parameters
    ----------
    id, name
        Unique id (used for output folders) and display name.
    changes
        Applied in order to the base team.
    provenance
        Where the option is set out (e.g. para 24).
    """

    id: str
    name: str
    changes: tuple[TeamChange, ...] = ()
    description: str = ""
    provenance: Provenance = INPUT

    def __post_init__(self) -> None:
        check_id(self.id)

    def team(self, base: tuple[StaffMember, ...], rule: PointRule) -> tuple[StaffMember, ...]:
        members = {m.id: m for m in base}
        for change in self.changes:
            change.apply(members, rule)
        return tuple(members.values())
