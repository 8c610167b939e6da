"""A scenario: horizon, assumptions, team, work and staffing options.

Single-object rules live in each class's ``__post_init__``; everything that
crosses objects (unique ids, references, cycles, dates inside the horizon) is
checked once, in :meth:`Scenario._validate`.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from capacity.domain.estimate import Estimate, PointRule
from capacity.domain.options import AddPost, StaffingOption
from capacity.domain.pay import PayModel
from capacity.domain.provenance import ProvenanceEntry
from capacity.domain.team import MANAGE, StaffMember, induction_task_id
from capacity.domain.uncertainty import Uncertainty
from capacity.domain.work import Handover, WorkItem
from capacity.errors import InvalidValue, InvalidValues, did_you_mean

MAX_HORIZON_DAYS = 3653
"""Ten years: a longer horizon is a typing error, and would take the solver hours."""


@dataclass(frozen=True)
class Horizon:
    """The planning period, both ends inclusive, on a grid of whole weeks."""

    start: date
    end: date
    step: str = "week"

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidValue("end", f"{self.end} is not after the start {self.start}")
        if self.step != "week":
            raise InvalidValue("step", f"only 'week' is supported, got {self.step!r}")
        if (self.end - self.start).days + 1 > MAX_HORIZON_DAYS:
            raise InvalidValue("end", "the horizon is longer than ten years; plan a shorter period")
        if (self.end - self.start).days + 1 < 7:
            raise InvalidValue("end", "the horizon must be at least one week long")

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def year_label(self) -> str:
        """``2021/22`` for a financial year, ``2021`` within one calendar year."""
        if self.start.year == self.end.year:
            return f"{self.start:%Y}"
        return f"{self.start:%Y}/{self.end:%y}"


@dataclass(frozen=True)
class Assumptions:
    """Team-wide assumptions.

    Parameters
    ----------
    availability
        Share of contracted time actually available for this work after annual
        leave, bank holidays and sickness, in (0, 1].
    point_rule
        Which point of a range the deterministic plan uses.
    """

    availability: Estimate
    point_rule: PointRule = PointRule.MIDPOINT

    def __post_init__(self) -> None:
        if self.availability.low <= 0 or self.availability.high > 1:
            raise InvalidValue(
                "availability",
                f"must be above 0 and at most 1, got {self.availability.describe()}",
            )


@dataclass(frozen=True)
class Scenario:
    """Everything the planner needs; built by a reader, then never changed.

    Parameters
    ----------
    name, description
        Shown in reports.
    source_file
        The file the scenario was read from (for messages and reports).
    horizon, assumptions, team, work, options
        See the classes.
    pay
        How posts are costed, and the figures to reconcile with.
    uncertainty
        What a risk study draws with (see :mod:`capacity.domain.uncertainty`);
        the deterministic plan does not use it.
    provenance
        Every number and where it came from.
    what_ifs
        Descriptions of the changes a what-if file made to its parent.
    """

    name: str
    horizon: Horizon
    assumptions: Assumptions
    team: tuple[StaffMember, ...]
    work: tuple[WorkItem, ...]
    options: tuple[StaffingOption, ...]
    pay: PayModel = field(default_factory=PayModel)
    uncertainty: Uncertainty = field(default_factory=Uncertainty)
    description: str = ""
    source_file: str = ""
    provenance: tuple[ProvenanceEntry, ...] = field(default=(), compare=False)
    what_ifs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self._validate()

    def option(self, option_id: str) -> StaffingOption:
        for option in self.options:
            if option.id == option_id:
                return option
        raise InvalidValue(
            "option",
            f"no option {option_id!r}{did_you_mean(option_id, [o.id for o in self.options])}",
        )

    def item(self, item_id: str) -> WorkItem:
        return next(w for w in self.work if w.id == item_id)

    def _check_someone_could_do_each_item(
        self, added: list[StaffMember], problems: list[InvalidValue]
    ) -> None:
        """An item whose smallest load exceeds what any eligible person could ever give."""
        people = (*self.team, *added)
        for item in self.work:
            eligible = [
                m for m in people if not item.required_skill or item.required_skill in m.skills
            ]
            most = max(
                (_max_capacity(m, self.assumptions.availability) for m in eligible),
                default=Decimal(0),
            )
            if eligible and item.load.low > most:
                problems.append(
                    InvalidValue(
                        f"work[{item.id}].load",
                        f"needs {item.load.low} FTE a week, more than anyone who could do it "
                        f"can give (at most {most.normalize():f}: FTE x availability); no plan "
                        "could deliver it",
                    )
                )

    def _check_effort_fits(self, item: WorkItem, problems: list[InvalidValue]) -> None:
        """Work given as effort whose team's part (less any partner share) even its most
        load a week, every week of its window, could not deliver can never fit."""
        assert item.effort is not None
        first = item.release or self.horizon.start
        last = item.deadline or self.horizon.end
        weeks = Decimal((last - first).days + 1) / 7
        most = (item.max_load or item.load).high * weeks
        partners = Decimal(0) if item.partner_share is None else item.partner_share.high
        if item.effort.low * (1 - partners) > most:  # the team's own part of it
            problems.append(
                InvalidValue(
                    f"work[{item.id}].effort",
                    f"{item.effort.describe()} FTE-weeks can never fit: at its most load a "
                    f"week ({(item.max_load or item.load).describe()} FTE) its window of "
                    f"{weeks:.2f} weeks gives at most {most:.2f}; raise max_load, widen the "
                    "window or lower the effort",
                )
            )

    def _check_owners(self, added: list[StaffMember], problems: list[InvalidValue]) -> None:
        """Each owner is a person with the item's skill who is in post, under some option, at
        some time in the item's window (out of post under only some options is a move)."""
        people = {m.id: m for m in (*self.team, *added)}
        teams = []
        for option in self.options:
            for rule in PointRule:
                # An option whose changes make a post invalid is reported already.
                with suppress(InvalidValue):
                    teams.append({m.id: m for m in option.team(self.team, rule)})
        for item in self.work:
            place = f"work[{item.id}].assigned_to"
            first = item.release or self.horizon.start
            last = item.deadline or self.horizon.end
            for owner in item.assigned_to:
                if owner not in people:
                    problems.append(
                        InvalidValue(
                            place,
                            f"{owner!r} is not in the team or added by any option"
                            f"{did_you_mean(owner, people)}",
                        )
                    )
                    continue
                member = people[owner]
                if item.required_skill and item.required_skill not in member.skills:
                    problems.append(
                        InvalidValue(
                            place,
                            f"{owner} does not have skill {item.required_skill!r}, which the "
                            "work needs; give them the skill or choose another owner",
                        )
                    )
                    continue
                if not any(_in_post_between(t.get(owner), first, last) for t in teams):
                    problems.append(
                        InvalidValue(
                            place,
                            f"{owner} is never in post between {day_in_words(first)} and "
                            f"{day_in_words(last)}, "
                            f"the item's window, under any option ({_post_dates(member)})",
                        )
                    )

    def _validate(self) -> None:
        """Every cross-reference rule; all problems are raised together, not only the first."""
        problems: list[InvalidValue] = []
        if not self.team:
            problems.append(InvalidValue("team", "the team is empty; list at least one person"))
        if not self.options:
            problems.append(InvalidValue("options", "no staffing options; list at least one"))
        if problems:  # with nobody, or no option, every other check would fail with it
            raise InvalidValues(problems) if len(problems) > 1 else problems[0]
        staff_ids = _unique([m.id for m in self.team], "team", problems)
        added = [c.member for o in self.options for c in o.changes if isinstance(c, AddPost)]
        _unique([o.id for o in self.options], "options", problems)
        item_ids = _unique([w.id for w in self.work], "work", problems)
        skills = {s for m in (*self.team, *added) for s in m.skills}
        by_id = {w.id: w for w in self.work}
        valid_changes = True
        for option in self.options:
            known = set(staff_ids)
            for change in option.changes:
                if isinstance(change, AddPost):
                    if change.member.id in known:
                        valid_changes = False
                        problems.append(
                            InvalidValue(
                                f"options[{option.id}].add",
                                f"staff id {change.member.id!r} already exists; choose a new id",
                            )
                        )
                    known.add(change.member.id)
                elif change.staff_id not in known:
                    valid_changes = False
                    problems.append(
                        InvalidValue(
                            f"options[{option.id}]",
                            f"changes unknown staff {change.staff_id!r}"
                            + did_you_mean(change.staff_id, known),
                        )
                    )
        for option in self.options if valid_changes else ():
            for rule in PointRule:  # every point a plan may use must give a valid team
                try:
                    option.team(self.team, rule)
                except InvalidValue as exc:
                    problems.append(
                        InvalidValue(
                            f"options[{option.id}]", f"its changes make a post invalid: {exc}"
                        )
                    )
                    break
        for item in self.work:
            place = f"work[{item.id}]"
            for day, key in ((item.release, "release"), (item.deadline, "deadline")):
                inherited = item.committed_to in by_id and by_id[item.committed_to].release == day
                if key == "release" and inherited:
                    continue  # a bid's delivery starts from the bid's release: reported there
                if day is not None and not self.horizon.contains(day):
                    problems.append(
                        InvalidValue(
                            f"{place}.{key}",
                            f"{day} is outside the horizon {self.horizon.start} to "
                            f"{self.horizon.end}",
                        )
                    )
            if item.effort is not None:
                self._check_effort_fits(item, problems)
            if item.required_skill is not None and item.required_skill not in skills:
                problems.append(
                    InvalidValue(
                        f"{place}.skill",
                        f"no one in the team or any option has skill {item.required_skill!r}"
                        f"{did_you_mean(item.required_skill, skills)}",
                    )
                )
            targets: list[tuple[str | None, str]] = [
                (a.item, f"after[{i}].item") for i, a in enumerate(item.after)
            ]
            targets += [
                (t, k) for t, k in ((item.alongside, "alongside"), (item.committed_to, "with"))
            ]
            for target, key in targets:
                if target is None:
                    continue
                if target not in item_ids:
                    problems.append(
                        InvalidValue(
                            f"{place}.{key}",
                            f"unknown work item {target!r}{did_you_mean(target, item_ids)}",
                        )
                    )
                elif by_id[target].by_effort:
                    problems.append(
                        InvalidValue(
                            f"{place}.{key}",
                            f"{target!r} is given as effort, in stints with no one start or "
                            "end; nothing can be scheduled relative to it (give it a duration)",
                        )
                    )
                elif by_id[target].handover is not Handover.NONE:
                    problems.append(
                        InvalidValue(
                            f"{place}.{key}",
                            f"{target!r} is ongoing work handed over "
                            f"{by_id[target].handover.value}; nothing can be scheduled "
                            "relative to it",
                        )
                    )
        inducted = [(f"team[{m.id}]", m) for m in self.team] + [
            (f"options[{o.id}].changes[{i}].add", c.member)
            for o in self.options
            for i, c in enumerate(o.changes)
            if isinstance(c, AddPost)
        ]
        for place, member in inducted:
            if member.induction and member.induction.line_manager_load and MANAGE not in skills:
                problems.append(
                    InvalidValue(
                        f"{place}.induction.line_manager_load",
                        f"no one in the team or any option has skill {MANAGE!r} to carry the "
                        "induction; give it to the line manager",
                    )
                )
            if induction_task_id(member.id) in item_ids and member.induction:
                problems.append(
                    InvalidValue(
                        f"work[{induction_task_id(member.id)}].id",
                        f"the id is the one of {member.id}'s induction work; choose another",
                    )
                )
        _check_no_cycles(self.work, problems)
        self._check_someone_could_do_each_item(added, problems)
        if valid_changes:
            self._check_owners(added, problems)
        all_staff = set(staff_ids) | {m.id for m in added}
        for member in (*self.team, *added):
            if member.grade is not None and self.pay.grades and member.grade not in self.pay.grades:
                problems.append(
                    InvalidValue(
                        f"team[{member.id}].grade",
                        f"no salary for grade {member.grade!r}"
                        + did_you_mean(member.grade, self.pay.grades),
                    )
                )
        option_ids = {o.id for o in self.options}
        for index, figure in enumerate(self.pay.stated):
            if figure.option is not None and figure.option not in option_ids:
                problems.append(
                    InvalidValue(
                        f"pay.stated[{index}].option",
                        f"unknown option {figure.option!r}"
                        f"{did_you_mean(figure.option, option_ids)}",
                    )
                )
            if figure.post is not None and figure.post not in all_staff:
                problems.append(
                    InvalidValue(
                        f"pay.stated[{index}].post",
                        f"unknown staff {figure.post!r}{did_you_mean(figure.post, all_staff)}",
                    )
                )
        if len(problems) == 1:
            raise problems[0]
        if problems:
            raise InvalidValues(problems)


def _in_post_between(member: StaffMember | None, first: date, last: date) -> bool:
    if member is None:
        return False
    starts_by = member.contract_start is None or member.contract_start <= last
    ends_after = member.contract_end is None or member.contract_end >= first
    return starts_by and ends_after


def day_in_words(day: date) -> str:
    """``1 April 2021``."""
    return f"{day.day} {day:%B %Y}"


def _post_dates(member: StaffMember) -> str:
    if member.contract_end is not None:
        return f"the post ends {day_in_words(member.contract_end)}"
    if member.contract_start is not None:
        return f"the post starts {day_in_words(member.contract_start)} at the earliest"
    return "the post is open-ended"


def _max_capacity(member: StaffMember, availability: Estimate) -> Decimal:
    return member.fte * availability.high


def _unique(ids: list[str], section: str, problems: list[InvalidValue]) -> set[str]:
    """The ids, each once; a repeated id is blamed on the entry that repeats it
    (``team[lead].id``: the readers point at the later entry with that id)."""
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            problems.append(
                InvalidValue(f"{section}[{i}].id", f"id {i!r} is used twice; ids must be unique")
            )
        seen.add(i)
    return seen


def _check_no_cycles(work: tuple[WorkItem, ...], problems: list[InvalidValue]) -> None:
    edges = {
        w.id: [a.item for a in w.after] + [x for x in (w.alongside, w.committed_to) if x]
        for w in work
    }
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in edges.get(node, []):
            if state.get(nxt) == 1:
                cycle = [*path[path.index(nxt) :], nxt] if nxt in path else [node, nxt]
                raise InvalidValue(f"work[{node}]", "circular dependency: " + " -> ".join(cycle))
            if state.get(nxt) is None:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for item_id in edges:
        if state.get(item_id) is None:
            try:
                visit(item_id, [item_id])
            except InvalidValue as exc:  # one cycle is enough to say: the rest may share it
                problems.append(exc)
                return
