"""One staffing option turned into a planning problem on the weekly grid.

This is where dates become week indices and ranges become points: the
solver and the reports all read the same :class:`PlanningProblem`, so they
cannot disagree about what a week or a load is. The verifier derives the
same rules again by its own code, so that a mistake here fails its check.

The grid: week ``t`` runs from ``horizon.start + 7t`` for seven days. Only
whole weeks are planned; a trailing part-week (31 March 2022 in the shipped
year, which starts on a Thursday) is left out and reported in the summary.

Capacity of a person in a week, in FTE, is::

    fte x availability x (sum over Monday-Friday days in the week that the
    person is in post and not absent, of the induction share on that day) / 5

rounded *down* to 0.001 FTE, so a plan never books time a person does not have.

Bids (see :func:`bid_terms`): the delivery of a bid is scaled by ``--bids``
(:class:`~capacity.domain.work.BidMode`) and by its partner share, and a bid and
its delivery are weighted in the objective by their win probability.
Beside the scenario's work, a new starter whose induction gives a
``line_manager_load`` brings a mandatory task of the problem's own: the line
manager's time while they are inducted (para 26), ``<post>-induction``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import cached_property

from capacity.domain.estimate import FTE_STEP, PointRule
from capacity.domain.links import TaskLinks
from capacity.domain.scenario import Scenario
from capacity.domain.team import MANAGE, StaffMember, induction_task_id
from capacity.domain.work import (
    DEFAULT_STINT_WEEKS,
    BidMode,
    EffortRule,
    Handover,
    Outcome,
    Owner,
    Priority,
    WorkItem,
    WorkKind,
)

WEIGHT_STEP = Decimal("0.001")
"""Objective weights are exact to a thousandth, so a solver can scale them to integers."""

DAYS_PER_WEEK = 7
WORKING_DAYS_PER_WEEK = 5


@dataclass(frozen=True)
class Task:
    """A schedulable unit: a work item, one month/quarter of ongoing work, or one stint
    of work given as effort (``effort`` then says how its item's stints may be shared).

    ``earliest_start`` and ``latest_end`` are week indices; ``latest_end`` is
    exclusive. ``after`` holds (task id, lag in weeks) pairs. ``owners`` are the
    item's ``assigned_to``; with ``owner_fixed`` only they may do it.
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
    after: tuple[tuple[str, int], ...] = ()
    alongside: str | None = None
    committed_to: str | None = None
    chance: Decimal = Decimal(1)
    bid_dependent: bool = False
    owners: tuple[str, ...] = ()
    owner_fixed: bool = False
    effort: EffortRule | None = None

    @property
    def demand_fte_weeks(self) -> Decimal:
        return self.load * self.duration

    @property
    def weight(self) -> Decimal:
        """Weight of a unit of this task's unmet demand in the optional objective.

        The priority's weight times ``chance`` (a bid's win probability: a bid and its
        delivery are worth what they bring, discounted by the chance it pays off; 1 for
        other work), to :data:`WEIGHT_STEP`. The one place every planner, bound and the
        objective figures take it from.
        """
        return (self.priority.weight * self.chance).quantize(WEIGHT_STEP, rounding=ROUND_HALF_UP)

    @property
    def window_weeks(self) -> int:
        return max(0, self.latest_end - self.earliest_start)


@dataclass(frozen=True)
class PlanningProblem:
    """What the planner must schedule for one option, in weeks and FTE.

    Parameters
    ----------
    scenario
        The scenario it was built from.
    option_id, option_name
        The staffing option.
    point_rule
        The point of each range used.
    week_starts
        Start date of each week of the grid.
    staff
        The team under this option.
    capacity
        Per staff id, FTE available in each week.
    tasks
        The work, in the scenario's order.
    bids
        How bids whose outcome is not known are treated (``--bids``).
    """

    scenario: Scenario
    option_id: str
    option_name: str
    point_rule: PointRule
    week_starts: tuple[date, ...]
    staff: tuple[StaffMember, ...]
    capacity: dict[str, tuple[Decimal, ...]]
    tasks: tuple[Task, ...]
    bids: BidMode = BidMode.EXPECTED

    @property
    def n_weeks(self) -> int:
        return len(self.week_starts)

    def same_as(self, other: PlanningProblem) -> bool:
        """Whether the two ask the planner the same thing: every field but the scenario
        each came from is equal, so a plan of one is a plan of the other."""
        return all(
            getattr(self, f.name) == getattr(other, f.name)
            for f in dataclasses.fields(self)
            if f.name != "scenario"
        )

    def week_end(self, week: int) -> date:
        """Exclusive end date of week ``week`` (the next week's start)."""
        return self.week_starts[0] + timedelta(days=DAYS_PER_WEEK * (week + 1))

    def item_name(self, item_id: str) -> str:
        """The name of a work item, or of the induction work the problem adds itself."""
        return self._item_names[item_id]

    @cached_property
    def _item_names(self) -> dict[str, str]:
        names = {t.item_id: t.name for t in self.tasks}
        return names | {w.id: w.name for w in self.scenario.work}

    def task(self, task_id: str) -> Task:
        return self._tasks_by_id[task_id]

    @cached_property
    def _tasks_by_id(self) -> dict[str, Task]:
        return {t.id: t for t in self.tasks}

    @cached_property
    def links(self) -> TaskLinks:
        """How the tasks are tied to each other (``after``, ``alongside``, ``with``)."""
        return TaskLinks.of(self.tasks)

    def skilled(self, task: Task) -> list[StaffMember]:
        """Staff who may do the task: with the skill it needs (everyone, if it needs none),
        and only its owners if they are ``fixed``."""
        return [
            m
            for m in self.staff
            if (task.required_skill is None or task.required_skill in m.skills)
            and (not task.owner_fixed or m.id in task.owners)
        ]

    @property
    def unplanned_days(self) -> int:
        """Days at the end of the horizon that do not fill a whole week."""
        horizon = self.scenario.horizon
        return ((horizon.end - horizon.start).days + 1) % DAYS_PER_WEEK

    @property
    def total_demand_fte_weeks(self) -> Decimal:
        return sum((t.demand_fte_weeks for t in self.tasks), Decimal(0))


def build_problem(
    scenario: Scenario,
    option_id: str,
    point_rule: PointRule | None = None,
    bids: BidMode = BidMode.EXPECTED,
) -> PlanningProblem:
    """Apply an option to the scenario and lay everything on the weekly grid.

    A bid's delivery (its ``post_award`` item, or an item with a ``win_probability``
    that is not a bid: the delivery of a bid already submitted) is laid out as
    :func:`bid_terms` says: under ``expected`` its load is win probability x (1 -
    partner share) x the load, over the same duration, rounded *down* to
    :data:`~capacity.domain.estimate.FTE_STEP` (so the expected demand is never
    overstated); under ``won`` (1 - partner share) x the load; under ``lost`` it does
    not exist (the bid writing remains). A bid with a known ``outcome`` ignores ``bids``.

    Parameters
    ----------
    scenario
        A validated scenario.
    option_id
        Which staffing option.
    point_rule
        Point of each range to use; defaults to the scenario's assumption.
    bids
        How bids whose outcome is not known are treated.
    """
    option = scenario.option(option_id)
    rule = point_rule or scenario.assumptions.point_rule
    horizon = scenario.horizon
    n_weeks = ((horizon.end - horizon.start).days + 1) // DAYS_PER_WEEK
    week_starts = tuple(horizon.start + timedelta(days=DAYS_PER_WEEK * w) for w in range(n_weeks))
    staff = option.team(scenario.team, rule)
    availability = scenario.assumptions.availability.point(rule)
    capacity = {m.id: _capacity_profile(m, week_starts, availability, rule) for m in staff}
    tasks = tuple(
        t
        for item in scenario.work
        for t in _tasks_for(item, week_starts, rule, bid_terms(scenario, item, bids, rule))
    )
    tasks += tuple(t for m in staff if (t := _induction_task(m, week_starts, rule)))
    return PlanningProblem(
        scenario=scenario,
        option_id=option.id,
        option_name=option.name,
        point_rule=rule,
        week_starts=week_starts,
        staff=staff,
        capacity=capacity,
        tasks=tasks,
        bids=bids,
    )


@dataclass(frozen=True)
class BidTerms:
    """How a work item's bid, if any, shapes its tasks.

    ``load_share`` is the share of the item's load the team carries (``None``: the
    item does not exist), ``chance`` the factor on its weight, ``bid_dependent``
    whether it is bid writing or a bid's delivery.
    """

    load_share: Decimal | None = Decimal(1)
    chance: Decimal = Decimal(1)
    bid_dependent: bool = False


def bid_terms(scenario: Scenario, item: WorkItem, bids: BidMode, rule: PointRule) -> BidTerms:
    """The item's place among the bids (design: docs/design/work-model.md section 3).

    - Bid writing (``kind: bid``, and work ``alongside`` a bid: a share of writing it) is
      always there, weighted by its win probability
      ``p`` under ``expected`` (with priority high and p = 0.889, 3.556 per FTE-week:
      between committed high work, 4, and medium, 2), and by 1 when the outcome is
      taken as won or lost.
    - Its post-award delivery (``with`` the bid) carries the same weight, and a load
      share of ``p x (1 - partner share)`` (``expected``), ``1 - partner share``
      (``won``), or does not exist (``lost``).
    - The delivery of a bid already submitted (an item with a ``win_probability`` that
      is not a bid) has the same load share with its own probability, and its
      priority's full weight: it is committed work if it comes.

    A known ``outcome`` (on the bid, or on the submitted bid's delivery) replaces ``bids``.
    """
    items = {w.id: w for w in scenario.work}
    bid = items.get(item.committed_to) if item.committed_to else None
    if bid is not None and bid.kind is not WorkKind.BID:
        bid = None
    partner = items.get(item.alongside) if item.alongside else None
    if partner is not None and partner.kind is WorkKind.BID:
        return bid_terms(scenario, partner, bids, rule)  # a share of writing the bid
    if item.kind is WorkKind.BID:
        mode = _mode(item.outcome, bids)
        chance = _win_probability(scenario, item, rule) if mode is BidMode.EXPECTED else Decimal(1)
        return BidTerms(chance=chance, bid_dependent=True)
    if bid is not None:
        writing = bid_terms(scenario, bid, bids, rule)
        probability = _win_probability(scenario, bid, rule)
        share = _load_share(_mode(bid.outcome, bids), probability, item, rule)
        return BidTerms(load_share=share, chance=writing.chance, bid_dependent=True)
    if item.win_probability is not None:
        probability = item.win_probability.point(rule)
        share = _load_share(_mode(item.outcome, bids), probability, item, rule)
        return BidTerms(load_share=share, bid_dependent=True)
    return BidTerms()


def _mode(outcome: Outcome | None, bids: BidMode) -> BidMode:
    if outcome is None:
        return bids
    return BidMode.WON if outcome is Outcome.WON else BidMode.LOST


def _win_probability(scenario: Scenario, bid: WorkItem, rule: PointRule) -> Decimal:
    if bid.win_probability is not None:
        return bid.win_probability.point(rule)
    return scenario.uncertainty.bid_win_probability


def _load_share(
    mode: BidMode, probability: Decimal, item: WorkItem, rule: PointRule
) -> Decimal | None:
    if mode is BidMode.LOST:
        return None
    partners = Decimal(0) if item.partner_share is None else item.partner_share.point(rule)
    team = 1 - partners
    return team * probability if mode is BidMode.EXPECTED else team


def _capacity_profile(
    member: StaffMember, week_starts: tuple[date, ...], availability: Decimal, rule: PointRule
) -> tuple[Decimal, ...]:
    profile = []
    for start in week_starts:
        share = Decimal(0)
        for offset in range(DAYS_PER_WEEK):
            day = start + timedelta(days=offset)
            if day.weekday() >= WORKING_DAYS_PER_WEEK:
                continue
            if member.employed_on(day) and not member.absent_on(day):
                share += _induction_share(member, day, rule)
        week = member.fte * availability * share / WORKING_DAYS_PER_WEEK
        profile.append(week.quantize(FTE_STEP, rounding=ROUND_FLOOR))
    return tuple(profile)


def _induction_share(member: StaffMember, day: date, rule: PointRule) -> Decimal:
    induction = member.induction
    if induction is None or member.contract_start is None:
        return Decimal(1)
    weeks = induction.weeks.weeks_point(rule, minimum=0)
    ends = member.contract_start + timedelta(days=DAYS_PER_WEEK * weeks)
    return induction.capacity_share.point(rule) if day < ends else Decimal(1)


def _induction_task(
    member: StaffMember, week_starts: tuple[date, ...], rule: PointRule
) -> Task | None:
    """The line manager's part of a new starter's induction (para 26): mandatory support
    work needing skill ``manage``, at the given load, in the weeks of the induction from
    the first week that starts on or after the starter's first day. ``None`` when the post
    has no such load, or does not start within the planned weeks."""
    induction = member.induction
    if induction is None or induction.line_manager_load is None or member.contract_start is None:
        return None
    first = week_index_on_or_after(week_starts, member.contract_start)
    weeks = min(induction.weeks.weeks_point(rule, minimum=0), len(week_starts) - first)
    if weeks <= 0:
        return None
    return Task(
        id=induction_task_id(member.id),
        item_id=induction_task_id(member.id),
        name=f"Induction of {member.name}",
        kind=WorkKind.SUPPORT,
        load=induction.line_manager_load.fte_point(rule),
        duration=weeks,
        earliest_start=first,
        latest_end=first + weeks,
        required_skill=MANAGE,
        mandatory=True,
        priority=Priority.MEDIUM,
    )


def week_index_on_or_after(week_starts: tuple[date, ...], day: date) -> int:
    """First week starting on or after ``day`` (``len`` if none)."""
    return next((i for i, s in enumerate(week_starts) if s >= day), len(week_starts))


def week_end_index_by(week_starts: tuple[date, ...], day: date) -> int:
    """Exclusive index of the last week that ends on or before ``day`` (inclusive date)."""
    last = 0
    for i, s in enumerate(week_starts):
        if s + timedelta(days=DAYS_PER_WEEK - 1) <= day:
            last = i + 1
    return last


def _tasks_for(
    item: WorkItem, week_starts: tuple[date, ...], rule: PointRule, terms: BidTerms
) -> list[Task]:
    if terms.load_share is None:
        return []
    load = item.load.fte_point(rule)
    if item.by_effort:
        return _stints(item, week_starts, rule, terms)
    if terms.load_share != 1:
        load = (load * terms.load_share).quantize(FTE_STEP, rounding=ROUND_FLOOR)
    if load <= 0:  # an expected delivery too small to book: nothing to plan
        return []
    first, end = _window(item, week_starts)

    def task(task_id: str, name: str, duration: int, earliest: int, latest: int) -> Task:
        return _task(item, rule, terms, task_id, name, load, duration, earliest, latest)

    segments = _segments(week_starts[first:end], item.handover, first)
    if item.handover is Handover.NONE or not segments:
        # One block; ongoing work with no whole week in its window is reported unmet.
        if item.duration_weeks is None:
            duration = max(1, end - first)
        else:
            duration = item.duration_weeks.weeks_point(rule)
        return [task(item.id, item.name, duration, first, end)]
    return [
        task(f"{item.id}@{label}", f"{item.name} ({label})", len(weeks), weeks[0], weeks[-1] + 1)
        for label, weeks in segments
    ]


def _segments(
    starts: tuple[date, ...], handover: Handover, offset: int
) -> list[tuple[str, list[int]]]:
    """Group weeks by the calendar month (or financial quarter) they start in."""
    groups: dict[str, list[int]] = {}
    for i, start in enumerate(starts):
        if handover is Handover.MONTHLY:
            label = f"{start:%Y-%m}"
        else:
            fy_month = (start.month - 4) % 12  # UK financial year starts in April
            fy_year = start.year if start.month >= 4 else start.year - 1
            label = f"{fy_year}/{(fy_year + 1) % 100:02d} Q{fy_month // 3 + 1}"
        groups.setdefault(label, []).append(offset + i)
    return list(groups.items())


def _window(item: WorkItem, week_starts: tuple[date, ...]) -> tuple[int, int]:
    first = 0 if item.release is None else week_index_on_or_after(week_starts, item.release)
    end = (
        len(week_starts) if item.deadline is None else week_end_index_by(week_starts, item.deadline)
    )
    return first, max(first, end)


def stint_weeks(item: WorkItem, rule: PointRule, window_weeks: int) -> int:
    """Weeks of one stint: the item's (default :data:`DEFAULT_STINT_WEEKS`), no longer than
    its window (at least one week)."""
    weeks = (
        DEFAULT_STINT_WEEKS
        if item.stint_weeks is None
        else item.stint_weeks.weeks_point(rule, minimum=1)
    )
    return max(1, min(weeks, window_weeks))


def _stints(
    item: WorkItem, week_starts: tuple[date, ...], rule: PointRule, terms: BidTerms
) -> list[Task]:
    """Work given as effort, as stints of ``load`` for :func:`stint_weeks` each, anywhere
    in its window.

    The effort (times the team's share, for a bid's delivery, rounded down to
    :data:`~capacity.domain.estimate.FTE_STEP`) is covered by as many whole stints as fit
    in it and, for what is left, one shorter stint of whole weeks: so the demand is the
    effort rounded *up* to whole weeks at the stint's load (never more than one
    week's load above it).
    """
    assert item.effort is not None and terms.load_share is not None
    effort = item.effort.point(rule)
    if terms.load_share != 1:
        effort = (effort * terms.load_share).quantize(FTE_STEP, rounding=ROUND_FLOOR)
    load = item.load.fte_point(rule)
    if effort <= 0:
        return []
    first, end = _window(item, week_starts)
    weeks = stint_weeks(item, rule, end - first)
    whole_stints = int(effort // (load * weeks))
    rest = effort - whole_stints * load * weeks
    durations = [weeks] * whole_stints
    if rest > 0:
        durations.append(int((rest / load).to_integral_value(rounding=ROUND_CEILING)))
    max_load = load if item.max_load is None else item.max_load.point(rule)
    effort_rule = EffortRule(
        item_id=item.id,
        stints=len(durations),
        max_at_once=max(1, int(max_load // load)),
        max_people=item.max_people or 1,
        min_share=_least_share(item, rule, terms.load_share, effort),
        whole=item.whole,
        first_week=first,
        end_week=end,
        step=weeks,
    )
    return [
        _task(
            item,
            rule,
            terms,
            f"{item.id}#{number}",
            f"{item.name} (stint {number} of {len(durations)})",
            load,
            duration,
            first,
            end,
            effort_rule,
        )
        for number, duration in enumerate(durations, start=1)
    ]


def _task(
    item: WorkItem,
    rule: PointRule,
    terms: BidTerms,
    task_id: str,
    name: str,
    load: Decimal,
    duration: int,
    earliest: int,
    latest: int,
    effort: EffortRule | None = None,
) -> Task:
    """A task of the item: a block, a month or quarter of ongoing work, or a stint."""
    return Task(
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
        after=tuple((a.item, a.lag_weeks(rule)) for a in item.after),
        alongside=item.alongside,
        committed_to=item.committed_to,
        chance=terms.chance,
        bid_dependent=terms.bid_dependent,
        owners=item.assigned_to,
        owner_fixed=item.owner is Owner.FIXED,
        effort=effort,
    )


def _least_share(item: WorkItem, rule: PointRule, share: Decimal, effort: Decimal) -> Decimal:
    """A person's least share of effort work, scaled as its effort is (the team's expected
    share of a bid's delivery, rounded down to :data:`FTE_STEP`), and never more than
    the effort: a least share no one could give would silently rule the work out."""
    if item.min_share is None:
        return Decimal(0)
    least = item.min_share.point(rule)
    if share != 1:
        least = (least * share).quantize(FTE_STEP, rounding=ROUND_FLOOR)
    return min(least, effort)
