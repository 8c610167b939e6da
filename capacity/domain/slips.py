"""Values that are valid but almost certainly a slip: reported as warnings, not refused.

A recruit who starts after the horizon makes an option that costs and
delivers nothing; an absence in another year changes nothing. Such a
scenario can be planned, so it is not an error, but its reader should hear
of it. Each slip is an :class:`InvalidValue` (key path and message), located
by the reader like an error.
"""

from __future__ import annotations

from datetime import date

from capacity.domain.estimate import PointRule
from capacity.domain.options import AddPost, EndPost, ExtendPost
from capacity.domain.scenario import Scenario
from capacity.domain.team import StaffMember
from capacity.errors import InvalidValue


def likely_slips(scenario: Scenario) -> list[InvalidValue]:
    """Every likely slip in ``scenario``, in the order of the file."""
    horizon = scenario.horizon
    span = f"the horizon {horizon.start} to {horizon.end}"
    slips: list[InvalidValue] = []

    def outside(first: date | None, last: date | None) -> bool:
        return (last is not None and last < horizon.start) or (
            first is not None and first > horizon.end
        )

    def check_post(member: StaffMember, place: str, *, new: bool = False) -> None:
        if not new and outside(member.contract_start, member.contract_end):
            slips.append(
                InvalidValue(
                    f"{place}.contract",
                    f"the contract ({member.contract_start or 'open'} to "
                    f"{member.contract_end or 'open'}) is wholly outside {span}: the post "
                    "gives no time to the plan",
                )
            )
        for index, absence in enumerate(member.absences):
            if outside(absence.start, absence.end):
                slips.append(
                    InvalidValue(
                        f"{place}.absences[{index}]",
                        f"the absence {absence.start} to {absence.end} is outside {span}; "
                        "it changes nothing (a typing error in the year?)",
                    )
                )

    for member in scenario.team:
        check_post(member, f"team[{member.id}]")
    if not scenario.work:
        slips.append(
            InvalidValue("work", "no work items: every option is planned with nothing to do")
        )
    horizon_weeks = ((horizon.end - horizon.start).days + 1) / 7
    for option in scenario.options:
        team = {m.id: m for m in scenario.team}
        ended: set[str] = set()
        for index, change in enumerate(option.changes):
            place = f"options[{option.id}].changes[{index}]"
            if isinstance(change, AddPost):
                check_post(change.member, f"{place}.add", new=True)  # its start: below
                if change.recruitment_gap_weeks.low > horizon_weeks:
                    slips.append(
                        InvalidValue(
                            f"{place}.add.recruitment_gap",
                            f"a recruitment gap of {change.recruitment_gap_weeks.describe()} "
                            f"weeks is longer than the horizon ({horizon_weeks:.0f} weeks)",
                        )
                    )
                elif change.start_date(PointRule.LOW) > horizon.end:
                    slips.append(
                        InvalidValue(
                            f"{place}.add.start",
                            f"the recruit starts {change.start_date(PointRule.LOW)} at the "
                            f"earliest, after {span} ends: the option costs and delivers "
                            "nothing",
                        )
                    )
                team[change.member.id] = change.member
                continue
            holder = team.get(change.staff_id)
            if isinstance(change, EndPost):
                if change.staff_id in ended:
                    slips.append(
                        InvalidValue(
                            f"{place}.on",
                            f"{change.staff_id!r} is ended twice in this option; the last end wins",
                        )
                    )
                ended.add(change.staff_id)
            if (
                isinstance(change, ExtendPost)
                and holder is not None
                and holder.contract_end is not None
                and change.to is not None
                and change.to < holder.contract_end
            ):
                slips.append(
                    InvalidValue(
                        f"{place}.to",
                        f"extends {change.staff_id!r} to {change.to}, before its current end "
                        f"{holder.contract_end}: that shortens the post (use 'end' to end it)",
                    )
                )
            if holder is not None:
                change.apply(team, PointRule.MIDPOINT)
    return slips
