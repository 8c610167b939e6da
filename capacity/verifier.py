"""Independent check of a plan against the scenario alone.

The verifier derives, by its own code and from the scenario's fields alone,
everything a plan must respect: the weekly grid; the team under the option
(posts ended, extended, or added after their recruitment gap); each person's
capacity in each week (FTE, availability, contract dates, induction,
absences); each task's window, duration and load at the plan's point rule,
with ongoing work cut into its monthly or quarterly handover segments; the
delivery of each bid under the plan's ``--bids`` mode (win probability x the
team's share, the team's share, or none) and each task's objective weight; the
skills; and the links between tasks (after, with its lag; alongside; with).
skills; the owners of owned work; the line manager's work inducting a new
starter; and the links between tasks (after, with its lag; alongside; with).

Why again, when the planner's problem already holds all this: a bug in how
that problem is derived would be shared by the plan and by any check that
read it, so both would agree on a wrong plan. Here each rule is written once
more, one short function a rule, sharing no code with the problem builder or
the solver, and calling no domain method that derives a value (not
``option.team``, ``employed_on``, ``absent_on`` or ``Estimate.point``). The
problem the plan carries is read only to compare it with this derivation,
because reports read it; the first differences are named in words.

Every plan passes :func:`check_plan` before it is reported.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import astuple, dataclass, fields, is_dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from itertools import zip_longest
from typing import Any, NamedTuple, assert_never

from capacity.domain.estimate import FTE_STEP, Estimate, PointRule
from capacity.domain.options import AddPost, EndPost, ExtendPost, StaffingOption
from capacity.domain.scenario import Scenario
from capacity.domain.team import StaffMember
from capacity.domain.work import BidMode, Handover, Owner, Priority, WorkItem, WorkKind
from capacity.errors import PlanInvalid
from capacity.plan import Plan

MAX_DIFFERENCES = 5
"""How many differences from the scenario are named one by one; the rest are counted."""


@dataclass(frozen=True)
class _Task:
    """A task as the scenario gives it. Fields are named as in the plan's problem, to compare.

    ``earliest_start`` and ``latest_end`` are week indices, ``latest_end`` exclusive;
    ``after`` holds (task id, lag in weeks) pairs; ``owners`` the item's ``assigned_to``,
    who alone may do it when ``owner_fixed``.
    """

    id: str
    item_id: str
    name: str
    kind: WorkKind
    load: Decimal
    duration: int
    earliest_start: int
    latest_end: int
    required_skill: str | None
    mandatory: bool
    priority: Priority
    after: tuple[tuple[str, int], ...]
    alongside: str | None
    committed_to: str | None
    chance: Decimal
    bid_dependent: bool
    owners: tuple[str, ...]
    owner_fixed: bool
    effort: _Effort | None = None

    @property
    def demand_fte_weeks(self) -> Decimal:
        return self.load * self.duration


class _Effort(NamedTuple):
    """How the stints of work given as effort may be shared: the item, its number of
    stints, how many may run in one week, how many people may take part, the least
    FTE-weeks each of them gives, whether the stints come all or none, and the grid they
    lie on (every ``step`` weeks from ``first_week``, or back from ``end_week``)."""

    item_id: str
    stints: int
    max_at_once: int
    max_people: int
    min_share: Decimal
    whole: bool
    first_week: int
    end_week: int
    step: int


@dataclass(frozen=True)
class _Bid:
    """A work item's part in the bids: the share of its load the team carries (``None``:
    the item does not arise), the factor on its objective weight, and whether it is bid
    writing or a bid's delivery."""

    team_share: Decimal | None = Decimal(1)
    chance: Decimal = Decimal(1)
    bid_dependent: bool = False


@dataclass(frozen=True)
class _Expected:
    """What a plan for one option must respect, as this module derives it."""

    option_id: str
    option_name: str
    week_starts: tuple[date, ...]
    staff: tuple[StaffMember, ...]
    capacity: dict[str, tuple[Decimal, ...]]
    tasks: tuple[_Task, ...]

    @property
    def n_weeks(self) -> int:
        return len(self.week_starts)

    def week_end(self, week: int) -> date:
        """Exclusive end date of week ``week``."""
        return self.week_starts[0] + timedelta(weeks=week + 1)

    @property
    def total_demand_fte_weeks(self) -> Decimal:
        return sum((t.demand_fte_weeks for t in self.tasks), Decimal(0))


def verify(scenario: Scenario, plan: Plan) -> list[str]:
    """Every rule the plan breaks, in words; empty when the plan is valid.

    Parameters
    ----------
    scenario
        The scenario the plan claims to solve.
    plan
        The plan to check.
    """
    option = next((o for o in scenario.options if o.id == plan.option_id), None)
    if option is None:
        return [f"the plan is for option {plan.option_id!r}, which the scenario does not have"]
    expected = _expected(scenario, option, plan.problem.point_rule, plan.problem.bids)
    problems = _differences(scenario, expected, plan)
    problems += _check_assignments(expected, plan)
    problems += _check_capacity(expected, plan)
    problems += _check_dependencies(expected, plan)
    problems += _check_effort(expected, plan)
    problems += _check_unmet_accounting(expected, plan)
    return problems


def check_plan(scenario: Scenario, plan: Plan) -> Plan:
    """Return the plan if it is valid; raise :class:`PlanInvalid` otherwise."""
    violations = verify(scenario, plan)
    if violations:
        raise PlanInvalid(plan.option_id, violations)
    return plan


# What the scenario gives: one function a rule.


def _expected(
    scenario: Scenario, option: StaffingOption, rule: PointRule, bids: BidMode
) -> _Expected:
    week_starts = _week_starts(scenario)
    staff = _team(scenario.team, option, rule)
    availability = _point(scenario.assumptions.availability, rule)
    capacity = {
        m.id: tuple(_weekly_capacity(m, start, availability, rule) for start in week_starts)
        for m in staff
    }
    tasks = tuple(
        t
        for item in scenario.work
        for t in _tasks(item, week_starts, rule, _bid(scenario, item, bids, rule))
    )
    tasks += tuple(t for m in staff if (t := _induction(m, week_starts, rule)) is not None)
    return _Expected(option.id, option.name, week_starts, staff, capacity, tasks)


def _point(estimate: Estimate, rule: PointRule) -> Decimal:
    """The value a plan at ``rule`` uses: the low or the high end of the range, or halfway."""
    if rule is PointRule.LOW:
        return estimate.low
    if rule is PointRule.HIGH:
        return estimate.high
    return (estimate.low + estimate.high) / 2


def _whole_weeks(estimate: Estimate, rule: PointRule, minimum: int) -> int:
    """A number of weeks, to the nearest whole week (halves up), and at least ``minimum``."""
    return max(minimum, int(_point(estimate, rule).quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def _fte(estimate: Estimate, rule: PointRule) -> Decimal:
    """An FTE, to the nearest thousandth (halves up)."""
    return _point(estimate, rule).quantize(FTE_STEP, rounding=ROUND_HALF_UP)


def _week_starts(scenario: Scenario) -> tuple[date, ...]:
    """Whole weeks from the horizon's first day; a trailing part-week is not planned."""
    starts = []
    start = scenario.horizon.start
    while start + timedelta(days=6) <= scenario.horizon.end:
        starts.append(start)
        start += timedelta(weeks=1)
    return tuple(starts)


def _team(
    base: tuple[StaffMember, ...], option: StaffingOption, rule: PointRule
) -> tuple[StaffMember, ...]:
    """The base team with the option's changes applied in order: an ended or extended post
    gets its new last day; an added post starts its recruitment gap after the date it could
    first be filled (to the nearest day)."""
    team = {m.id: m for m in base}
    for change in option.changes:
        match change:
            case AddPost(member=member, recruitment_gap_weeks=gap):
                assert member.contract_start is not None  # an added post always states it
                gap_days = round(_point(gap, rule) * 7)
                team[member.id] = replace(
                    member, contract_start=member.contract_start + timedelta(days=gap_days)
                )
            case (
                EndPost(staff_id=staff_id, on=last_day) | ExtendPost(staff_id=staff_id, to=last_day)
            ):
                team[staff_id] = replace(team[staff_id], contract_end=last_day)
            case _:
                assert_never(change)
    return tuple(team.values())


def _weekly_capacity(
    member: StaffMember, week_start: date, availability: Decimal, rule: PointRule
) -> Decimal:
    """FTE x availability x the working days the person gives in the week (each at its share)
    / 5, rounded down to a thousandth so that a plan never books time the person lacks."""
    days = sum(
        (_day_share(member, week_start + timedelta(days=d), rule) for d in range(7)), Decimal(0)
    )
    return (member.fte * availability * days / 5).quantize(FTE_STEP, rounding=ROUND_FLOOR)


def _day_share(member: StaffMember, day: date, rule: PointRule) -> Decimal:
    """Share of a full day the person gives: none at weekends, outside the contract or when
    absent; the induction share in the induction weeks from the contract start; else all."""
    if day.weekday() >= 5:
        return Decimal(0)
    if member.contract_start is not None and day < member.contract_start:
        return Decimal(0)
    if member.contract_end is not None and day > member.contract_end:
        return Decimal(0)
    if any(absence.start <= day <= absence.end for absence in member.absences):
        return Decimal(0)
    induction = member.induction
    if induction is not None and member.contract_start is not None:
        weeks = _whole_weeks(induction.weeks, rule, minimum=0)
        if day < member.contract_start + timedelta(weeks=weeks):
            return _point(induction.capacity_share, rule)
    return Decimal(1)


def _window(item: WorkItem, week_starts: tuple[date, ...]) -> tuple[int, int]:
    """The first week the item may start (the first starting on or after its release) and the
    week it must end by, exclusive (the one after the last week that ends by its deadline)."""
    # Weeks are in date order, so counting the weeks before a date gives an index.
    first = 0 if item.release is None else sum(1 for s in week_starts if s < item.release)
    end = len(week_starts)
    if item.deadline is not None:
        end = sum(1 for s in week_starts if s + timedelta(days=6) <= item.deadline)
    return first, end


def _bid(scenario: Scenario, item: WorkItem, bids: BidMode, rule: PointRule) -> _Bid:
    """A bid is written whatever its outcome; its delivery exists at win probability x the
    team's share (``expected``), at the team's share (``won``), or not at all (``lost``);
    a known outcome decides instead. A bid and its post-award delivery weigh their win
    probability under ``expected``, 1 otherwise; a submitted bid's delivery weighs 1."""

    def outcome_mode(work: WorkItem) -> BidMode:
        if work.outcome is None:
            return bids
        return BidMode(work.outcome.value)

    def chance(bid: WorkItem) -> Decimal:
        if bid.win_probability is None:
            return scenario.uncertainty.bid_win_probability
        return _point(bid.win_probability, rule)

    def team_share(mode: BidMode, probability: Decimal) -> Decimal | None:
        partners = Decimal(0) if item.partner_share is None else _point(item.partner_share, rule)
        if mode is BidMode.LOST:
            return None
        return (1 - partners) * (probability if mode is BidMode.EXPECTED else 1)

    writing = item if item.kind is WorkKind.BID else None
    if item.alongside is not None:  # a share of writing a bid is weighed as the bid is
        writing = next(
            (w for w in scenario.work if w.id == item.alongside and w.kind is WorkKind.BID),
            writing,
        )
    if writing is not None:
        expected = outcome_mode(writing) is BidMode.EXPECTED
        return _Bid(chance=chance(writing) if expected else Decimal(1), bid_dependent=True)
    if item.kind is WorkKind.BID:
        expected = outcome_mode(item) is BidMode.EXPECTED
        return _Bid(chance=chance(item) if expected else Decimal(1), bid_dependent=True)
    bid = next(
        (w for w in scenario.work if w.id == item.committed_to and w.kind is WorkKind.BID), None
    )
    if bid is not None:
        mode = outcome_mode(bid)
        weight = chance(bid) if mode is BidMode.EXPECTED else Decimal(1)
        return _Bid(team_share(mode, chance(bid)), weight, bid_dependent=True)
    if item.win_probability is not None:
        return _Bid(team_share(outcome_mode(item), chance(item)), bid_dependent=True)
    return _Bid()


def _tasks(
    item: WorkItem, week_starts: tuple[date, ...], rule: PointRule, bid: _Bid
) -> list[_Task]:
    """The item as one task, or, for ongoing work handed over, one task a handover segment;
    none for the delivery of a bid that does not arise."""
    first, end = _window(item, week_starts)
    load = _fte(item.load, rule)
    if bid.team_share is not None and bid.team_share != 1:
        # The team's expected share, rounded down to the thousandth (never overstated).
        load = (load * bid.team_share).quantize(FTE_STEP, rounding=ROUND_FLOOR)
    if item.effort is not None and bid.team_share is not None:
        return _stints(item, first, end, rule, bid)
    if bid.team_share is None or load <= 0:
        return []

    def task(task_id: str, name: str, duration: int, earliest: int, latest: int) -> _Task:
        # Links name items; only items without handover may be linked to, and their one
        # task has the item's id.
        after = tuple((a.item, _whole_weeks(a.lag, rule, minimum=0)) for a in item.after)
        return _Task(
            id=task_id,
            item_id=item.id,
            name=name,
            kind=item.kind,
            load=load,
            duration=duration,
            earliest_start=earliest,
            latest_end=latest,
            required_skill=item.required_skill,
            mandatory=item.mandatory,
            priority=item.priority,
            after=after,
            alongside=item.alongside,
            committed_to=item.committed_to,
            chance=bid.chance,
            bid_dependent=bid.bid_dependent,
            owners=item.assigned_to,
            owner_fixed=item.owner is Owner.FIXED,
        )

    segments = _segments(item.handover, week_starts, first, end)
    if not segments:
        # Ongoing work runs its whole window: at least a week, so with no whole week in
        # its window it cannot be placed and is reported unmet.
        if item.duration_weeks is None:
            duration = max(1, end - first)
        else:
            duration = _whole_weeks(item.duration_weeks, rule, minimum=1)
        return [task(item.id, item.name, duration, first, max(first, end))]
    return [
        task(f"{item.id}@{label}", f"{item.name} ({label})", len(weeks), weeks[0], weeks[-1] + 1)
        for label, weeks in segments.items()
    ]


def _stints(item: WorkItem, first: int, end: int, rule: PointRule, bid: _Bid) -> list[_Task]:
    """Work given as effort: stints of its load, each as long as its stint (4 weeks unless
    it says, and no longer than its window), as many as the effort (times the team's share
    of a bid's delivery, to the thousandth below) needs, the last cut to the whole weeks
    that cover what is left."""
    assert item.effort is not None and bid.team_share is not None
    effort = _point(item.effort, rule)
    if bid.team_share != 1:
        effort = (effort * bid.team_share).quantize(FTE_STEP, rounding=ROUND_FLOOR)
    if effort <= 0:
        return []
    load = _fte(item.load, rule)
    weeks = 4 if item.stint_weeks is None else _whole_weeks(item.stint_weeks, rule, minimum=1)
    weeks = max(1, min(weeks, end - first))
    durations = []
    left = effort
    while left > 0:
        # Whole weeks of the stint's load that cover what is left, at most a stint's worth.
        needed = (left / load).to_integral_value(rounding=ROUND_CEILING)
        durations.append(min(weeks, int(needed)))
        left -= load * durations[-1]
    max_load = load if item.max_load is None else _point(item.max_load, rule)
    # A person's least share is scaled as the effort is, and is at most the effort.
    least = Decimal(0) if item.min_share is None else _point(item.min_share, rule)
    if bid.team_share != 1:
        least = (least * bid.team_share).quantize(FTE_STEP, rounding=ROUND_FLOOR)
    least = min(least, effort)
    # All or none: as the item says, else whole only when it comes with another item.
    whole = item.committed_to is not None if item.partial is None else not item.partial
    rule_of = _Effort(
        item_id=item.id,
        stints=len(durations),
        max_at_once=max(1, int(max_load / load)),
        max_people=item.max_people or 1,
        min_share=least,
        whole=whole,
        first_week=first,
        end_week=max(first, end),
        step=weeks,
    )
    return [
        _Task(
            id=f"{item.id}#{n}",
            item_id=item.id,
            name=f"{item.name} (stint {n} of {len(durations)})",
            kind=item.kind,
            load=load,
            duration=weeks_of_stint,
            earliest_start=first,
            latest_end=max(first, end),
            required_skill=item.required_skill,
            mandatory=item.mandatory,
            priority=item.priority,
            after=tuple((a.item, _whole_weeks(a.lag, rule, minimum=0)) for a in item.after),
            alongside=None,
            committed_to=item.committed_to,
            chance=bid.chance,
            bid_dependent=bid.bid_dependent,
            owners=item.assigned_to,
            owner_fixed=item.owner is Owner.FIXED,
            effort=rule_of,
        )
        for n, weeks_of_stint in enumerate(durations, start=1)
    ]


def _induction(member: StaffMember, week_starts: tuple[date, ...], rule: PointRule) -> _Task | None:
    """A starter whose induction states a line manager's load brings mandatory support work
    for someone with skill ``manage`` (para 26): that load in each induction week from the
    first week starting on or after the first day, cut at the horizon; none if the post does
    not start within the planned weeks."""
    induction = member.induction
    if induction is None or induction.line_manager_load is None or member.contract_start is None:
        return None
    first = sum(1 for s in week_starts if s < member.contract_start)
    weeks = min(_whole_weeks(induction.weeks, rule, minimum=0), len(week_starts) - first)
    if weeks <= 0:
        return None
    task_id = f"{member.id}-induction"
    return _Task(
        id=task_id,
        item_id=task_id,
        name=f"Induction of {member.name}",
        kind=WorkKind.SUPPORT,
        load=_fte(induction.line_manager_load, rule),
        duration=weeks,
        earliest_start=first,
        latest_end=first + weeks,
        required_skill="manage",
        mandatory=True,
        priority=Priority.MEDIUM,
        after=(),
        alongside=None,
        committed_to=None,
        chance=Decimal(1),
        bid_dependent=False,
        owners=(),
        owner_fixed=False,
    )


def _segments(
    handover: Handover, week_starts: tuple[date, ...], first: int, end: int
) -> dict[str, list[int]]:
    """The window's weeks grouped by the calendar month (``2021-06``) or the UK financial
    quarter (``2021/22 Q1``, years from April) they start in; none without handover."""
    groups: dict[str, list[int]] = {}
    if handover is Handover.NONE:
        return groups
    for week in range(first, end):
        start = week_starts[week]
        if handover is Handover.MONTHLY:
            label = f"{start:%Y-%m}"
        else:
            year = start.year if start.month >= 4 else start.year - 1
            label = f"{year}/{(year + 1) % 100:02d} Q{(start.month - 4) % 12 // 3 + 1}"
        groups.setdefault(label, []).append(week)
    return groups


# The problem the plan carries, against the scenario's.

_FIELD_WORDS = {
    "item_id": "item",
    "load": "load in FTE",
    "duration": "duration in weeks",
    "earliest_start": "first week it may start",
    "latest_end": "week it must end by (exclusive)",
    "required_skill": "skill needed",
    "after": "tasks it follows",
    "alongside": "task it runs alongside",
    "committed_to": "task it comes with",
    "owners": "owners",
    "owner_fixed": "only its owners may do it",
}


def _differences(scenario: Scenario, expected: _Expected, plan: Plan) -> list[str]:
    """Where the plan's own problem differs from the scenario's (reports read it, so it must
    be the scenario's, unaltered): the first few, each in words."""
    given = plan.problem
    found = []
    if given.scenario != scenario:
        found.append("it was made from another scenario, or from a changed copy of this one")
    if given.option_name != expected.option_name:
        found.append(
            f"option name: the plan says {given.option_name!r}, the scenario gives "
            f"{expected.option_name!r}"
        )
    found += _week_grid_difference(given.week_starts, expected.week_starts)
    found += _record_differences("team member", given.staff, expected.staff)
    found += _capacity_differences(given.capacity, expected)
    found += _record_differences("task", given.tasks, expected.tasks)
    if len(found) > MAX_DIFFERENCES:
        found = [*found[:MAX_DIFFERENCES], f"{len(found) - MAX_DIFFERENCES} more differences"]
    return [f"the plan's problem differs from the scenario's: {d}" for d in found]


def _week_grid_difference(given: tuple[date, ...], ours: tuple[date, ...]) -> list[str]:
    for week, (theirs, mine) in enumerate(zip_longest(given, ours)):
        if theirs != mine:
            return [
                f"start of week {week}: the plan says {theirs or 'no such week'}, "
                f"the scenario gives {mine or 'no such week'}"
            ]
    return []


def _capacity_differences(given: dict[str, tuple[Decimal, ...]], expected: _Expected) -> list[str]:
    """Per person, the first week whose capacity differs, and how many more do."""
    found = []
    for staff_id, ours in expected.capacity.items():
        theirs = given.get(staff_id, ())
        weeks = [w for w, (a, b) in enumerate(zip_longest(theirs, ours)) if a != b]
        if not weeks:
            continue
        w, others = weeks[0], len(weeks) - 1
        when = f" ({expected.week_starts[w]})" if w < expected.n_weeks else ""
        more = f" (and {others} more week{'s' if others > 1 else ''})" if others else ""
        found.append(
            f"capacity of {staff_id} in week {w}{when}: the plan says "
            f"{_text(theirs[w] if w < len(theirs) else None)}, the scenario gives "
            f"{_text(ours[w] if w < len(ours) else None)}{more}"
        )
    return found


def _record_differences(what: str, given: tuple[Any, ...], ours: tuple[Any, ...]) -> list[str]:
    """Records (team members or tasks) missing, extra, out of order or differing in a field."""
    theirs_by_id = {r.id: r for r in given}
    ours_by_id = {r.id: r for r in ours}
    given_ids = list(theirs_by_id)
    # In the records' own order, so that the same plan always gets the same message.
    found = [
        f"{what} {i}: in the scenario, not in the plan" for i in ours_by_id if i not in given_ids
    ]
    found += [
        f"{what} {i}: in the plan, not in the scenario" for i in given_ids if i not in ours_by_id
    ]
    for record_id, record in ours_by_id.items():
        other = theirs_by_id.get(record_id)
        if other is None:
            continue
        for name in (f.name for f in fields(record) if f.compare):
            theirs, ours = getattr(other, name), getattr(record, name)
            if isinstance(ours, _Effort) and is_dataclass(theirs) and not isinstance(theirs, type):
                theirs = _Effort(*astuple(theirs))  # field by field with our own record
            if theirs != ours:
                found.append(
                    f"{_FIELD_WORDS.get(name, name.replace('_', ' '))} of {what} {record_id}: "
                    f"the plan says {_text(getattr(other, name))}, "
                    f"the scenario gives {_text(getattr(record, name))}"
                )
    if not found and given_ids != list(ours_by_id):
        found.append(f"the {what}s are in another order than the scenario's")
    return found


def _text(value: object) -> str:
    """A value as a person reads it: 0.85, none, "bid (lag 1)"."""
    if value is None:
        return "none"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, frozenset):
        return ", ".join(sorted(value)) or "none"
    if isinstance(value, tuple):
        pairs = (f"{v[0]} (lag {v[1]})" if isinstance(v, tuple) else _text(v) for v in value)
        return ", ".join(pairs) or "none"
    return str(value)


# The rules a plan must keep.


def _check_assignments(expected: _Expected, plan: Plan) -> list[str]:
    found: list[str] = []
    tasks = {t.id: t for t in expected.tasks}
    staff = {m.id: m for m in expected.staff}
    counts = Counter(a.task_id for a in plan.assignments)
    found += [f"{task_id}: done {n} times (at most once)" for task_id, n in counts.items() if n > 1]
    for a in plan.assignments:
        task = tasks.get(a.task_id)
        if task is None:
            found.append(f"{a.task_id}: not a task of this scenario")
            continue
        where = f"{a.task_id} ({a.staff_id}, weeks {a.start_week}-{a.end_week - 1})"
        if a.item_id != task.item_id:
            found.append(f"{where}: belongs to item {task.item_id}, not {a.item_id}")
        member = staff.get(a.staff_id)
        if member is None:
            found.append(f"{where}: {a.staff_id} is not in the team under {expected.option_id}")
        elif task.required_skill and task.required_skill not in member.skills:
            found.append(f"{where}: needs skill {task.required_skill!r}, which {a.staff_id} lacks")
        if task.owner_fixed and a.staff_id not in task.owners:
            found.append(f"{where}: only its owners ({', '.join(task.owners)}) may do it")
        if a.start_week < task.earliest_start:
            found.append(f"{where}: starts before its release (week {task.earliest_start})")
        if a.end_week > task.latest_end:
            found.append(f"{where}: ends after its deadline (week {task.latest_end - 1})")
        if a.end_week - a.start_week != task.duration:
            found.append(
                f"{where}: runs {a.end_week - a.start_week} weeks, not its {task.duration}"
            )
        if a.load_fte != task.load:
            found.append(f"{where}: booked at {a.load_fte} FTE, not its load {task.load}")
        if 0 <= a.start_week < expected.n_weeks and a.start != expected.week_starts[a.start_week]:
            found.append(f"{where}: start date {a.start} is not week {a.start_week}'s")
        if 0 < a.end_week <= expected.n_weeks and a.end != expected.week_end(a.end_week - 1):
            found.append(f"{where}: end date {a.end} does not match week {a.end_week}")
        if a.start_week < 0 or a.end_week > expected.n_weeks:
            found.append(f"{where}: outside the horizon (weeks 0-{expected.n_weeks - 1})")
    return found


def _check_capacity(expected: _Expected, plan: Plan) -> list[str]:
    found: list[str] = []
    load: dict[tuple[str, int], Decimal] = {}
    for a in plan.assignments:
        for week in range(max(0, a.start_week), min(expected.n_weeks, a.end_week)):
            load[a.staff_id, week] = load.get((a.staff_id, week), Decimal(0)) + a.load_fte
    for (staff_id, week), booked in sorted(load.items()):
        capacity = expected.capacity.get(staff_id)
        if capacity is None:
            continue  # reported as an unknown person above
        if booked > capacity[week]:
            found.append(
                f"{staff_id} week {week} ({expected.week_starts[week]}): booked {_text(booked)} "
                f"FTE, capacity {_text(capacity[week])}"
            )
    return found


def _check_dependencies(expected: _Expected, plan: Plan) -> list[str]:
    found: list[str] = []
    done = {a.task_id: a for a in plan.assignments}
    for task in expected.tasks:
        mine = done.get(task.id)
        for predecessor, lag in task.after:
            if mine is None:
                continue
            before = done.get(predecessor)
            if before is None:
                found.append(f"{task.id}: done, but {predecessor}, which it follows, is not")
            elif mine.start_week < before.end_week + lag:
                found.append(
                    f"{task.id}: starts week {mine.start_week}, before {predecessor} ends "
                    f"(week {before.end_week}) plus {lag} weeks"
                )
        for partner, rule in ((task.alongside, "alongside"), (task.committed_to, "with")):
            if partner is None:
                continue
            theirs = done.get(partner)
            if (mine is None) != (theirs is None):
                found.append(f"{task.id}: must be done exactly when {partner} is ({rule})")
            elif rule == "alongside" and mine and theirs and mine.start_week != theirs.start_week:
                found.append(f"{task.id}: must start with {partner} (week {theirs.start_week})")
    return found


def _check_effort(expected: _Expected, plan: Plan) -> list[str]:
    """Work given as effort: stints on their grid, no more people than it allows, no more
    stints in one week than its most load allows, each person taking part giving at least
    the least share, and work that comes whole done all or none."""
    found: list[str] = []
    rules = {t.effort.item_id: t.effort for t in expected.tasks if t.effort is not None}
    tasks = {t.id: t for t in expected.tasks}
    done: dict[str, list[Any]] = {item_id: [] for item_id in rules}
    for a in plan.assignments:
        task = tasks.get(a.task_id)
        if task is not None and task.effort is not None:
            done[task.effort.item_id].append(a)
    for item_id, rule in rules.items():
        mine = done[item_id]
        off_grid = [
            a
            for a in mine
            if (a.start_week - rule.first_week) % rule.step
            and (rule.end_week - a.end_week) % rule.step
        ]
        if off_grid:
            found.append(
                f"{item_id}: a stint starts in week {off_grid[0].start_week}, off its grid of "
                f"every {rule.step} weeks from week {rule.first_week} or back from week "
                f"{rule.end_week}"
            )
        people = sorted({a.staff_id for a in mine})
        if len(people) > rule.max_people:
            found.append(
                f"{item_id}: shared by {len(people)} people ({', '.join(people)}), at most "
                f"{rule.max_people}"
            )
        running = Counter(week for a in mine for week in range(a.start_week, a.end_week))
        crowded = sorted(w for w, n in running.items() if n > rule.max_at_once)
        if crowded:
            found.append(
                f"{item_id}: {running[crowded[0]]} stints run in week {crowded[0]}, at most "
                f"{rule.max_at_once} (its most load a week)"
            )
        for person in people:
            given = sum(
                (a.load_fte * (a.end_week - a.start_week) for a in mine if a.staff_id == person),
                Decimal(0),
            )
            if given < rule.min_share:
                found.append(
                    f"{item_id}: {person} gives {_text(given)} FTE-weeks, below the least share "
                    f"of {_text(rule.min_share)}"
                )
        if rule.whole and 0 < len(mine) < rule.stints:
            found.append(
                f"{item_id}: {len(mine)} of its {rule.stints} stints done; it comes whole (all or "
                "none)"
            )
    return found


def _check_unmet_accounting(expected: _Expected, plan: Plan) -> list[str]:
    found: list[str] = []
    done = {a.task_id for a in plan.assignments}
    reported = {u.task_id: u for u in plan.unmet}
    for task in expected.tasks:
        unmet = reported.get(task.id)
        if task.id in done and unmet is not None:
            found.append(f"{task.id}: reported both delivered and unmet")
        elif task.id not in done and unmet is None:
            found.append(f"{task.id}: neither delivered nor reported unmet")
        elif unmet is not None:
            if unmet.item_id != task.item_id:
                found.append(
                    f"{task.id}: unmet task names item {unmet.item_id}, not {task.item_id}"
                )
            if unmet.demand_fte_weeks != task.demand_fte_weeks:
                found.append(
                    f"{task.id}: unmet demand {unmet.demand_fte_weeks} FTE-weeks, "
                    f"should be {task.demand_fte_weeks}"
                )
            if unmet.mandatory != task.mandatory:
                found.append(f"{task.id}: unmet item's mandatory flag is wrong")
    extra = set(reported) - {t.id for t in expected.tasks}
    found += [f"{task_id}: reported unmet but is not a task" for task_id in sorted(extra)]
    total = plan.delivered_fte_weeks + plan.unmet_fte_weeks
    if not found and total != expected.total_demand_fte_weeks:
        found.append(
            f"delivered {plan.delivered_fte_weeks} + unmet {plan.unmet_fte_weeks} FTE-weeks "
            f"!= total demand {expected.total_demand_fte_weeks}"
        )
    if plan.solver.unmet_mandatory_fte_weeks != plan.unmet_mandatory_fte_weeks:
        found.append(
            f"solver reports {plan.solver.unmet_mandatory_fte_weeks} mandatory FTE-weeks unmet, "
            f"the plan has {plan.unmet_mandatory_fte_weeks}"
        )
    return found
