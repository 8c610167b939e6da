"""The greedy planner: what a careful manager does in a spreadsheet.

Work is taken in priority order - mandatory first (the work with least room
to move in its window first), then high, medium, low priority, then the
earliest deadline - and each task is placed at its
earliest feasible start on the least-loaded eligible person (the one with the
smallest share of their capacity already booked over those weeks; the person
who did last month's part of ongoing work keeps it when they have room). Owned
work (``assigned_to``) goes to its owners when they have room at any start in
its window, and to anyone eligible only when they never have.
Nothing placed is ever moved again.

Tasks that must go together are placed together or not at all: a bid and its
post-award delivery (``with``), a tender and its support (``alongside``).
Work that comes ``after`` another item is taken once that item has been
placed, and starts after it ends (plus the lag).

It serves three times: as a baseline in the solver benchmark (CP-SAT must never
leave more demand unmet than this), as the complete hint CP-SAT starts from, and
to repair the plan of a scenario one change away (:func:`repaired_plan`: a
what-if from its base's plan, where the search then starts). It does not import
ortools; its plans go through the same verifier.
"""

from __future__ import annotations

import heapq
import time
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Literal

from capacity.domain.load import fits
from capacity.domain.problem import PlanningProblem, Task
from capacity.domain.team import StaffMember
from capacity.plan import (
    Plan,
    SolverReport,
    SolveStatus,
    from_placements,
    objective_tiers,
    unmet_objectives,
    writes_bid,
)

Placement = tuple[str, int]  # (staff id, start week)


def greedy_plan(problem: PlanningProblem, keep: Mapping[str, Placement] | None = None) -> Plan:
    """Plan by priority, earliest start, least-loaded person. Deterministic.

    Parameters
    ----------
    problem
        What to plan.
    keep
        A plan to keep where it still fits (task id -> (staff id, start week)), such as
        the plan of a scenario one change away (:func:`repaired_plan`). Mandatory work
        comes first, then the rest; within each, a group of tasks that must go
        together stays where ``keep`` has it if all of it still fits every rule, else at
        the same start with someone else who may do it, else it is placed as usual, after
        the groups that kept their place.

    Returns
    -------
    Plan
        Unverified, status ``feasible`` (a heuristic proves nothing), with
        zero bounds.
    """
    began = time.perf_counter()
    booking = Booking(problem)
    placed: dict[str, Placement] = {}
    holder: dict[str, str] = {}  # item id -> who holds its latest part
    bundles = bundles_in_order(problem)
    ways: tuple[_Way, ...] = ("kept", "kept start", "anywhere") if keep else ("anywhere",)
    mandatory = [b for b in bundles if any(t.mandatory for t in b)]
    # With a plan to keep, mandatory work first; then all of it (what waits for optional
    # work is placed there), each way in turn. Without, one pass in the usual order.
    tiers = [mandatory, bundles] if keep else [bundles]
    for tier in tiers:
        for way in ways:
            for bundle in tier:
                if bundle[0].id in placed or (way != "anywhere" and not _all_kept(bundle, keep)):
                    continue
                _place_bundle(problem, booking, bundle, placed, holder, way, keep or {})
    for task_id in short_shares(problem, placed):  # part-done work: drop those stints
        del placed[task_id]
    return plan_from(problem, placed, time.perf_counter() - began)


_Way = Literal["kept", "kept start", "anywhere"]


def _all_kept(bundle: list[Task], keep: Mapping[str, Placement] | None) -> bool:
    return keep is not None and all(t.id in keep for t in bundle)


def _place_bundle(
    problem: PlanningProblem,
    booking: Booking,
    bundle: list[Task],
    placed: dict[str, Placement],
    holder: dict[str, str],
    way: _Way,
    keep: Mapping[str, Placement],
) -> None:
    """Place the bundle all or nothing (``way``: where ``keep`` has it, at its start with
    anyone, or anywhere), booking it and adding it to ``placed``."""
    trial: dict[str, Placement] = {}
    for task in bundle:
        only = None
        if way != "anywhere":
            staff_id, start = keep[task.id]
            only = (staff_id if way == "kept" else None, start)
        placement = place(problem, booking, task, placed | trial, holder, only)
        if placement is None:
            break
        booking.book(task, *placement)
        trial[task.id] = placement
    else:
        if not short_shares(problem, trial):  # whole work a person would give too little of
            placed.update(trial)
            for task in bundle:
                holder[task.item_id] = trial[task.id][0]
            return
    for task_id, (staff_id, start) in trial.items():  # all or nothing
        booking.release(problem.task(task_id), staff_id, start)


def repaired_plan(problem: PlanningProblem, previous: Mapping[str, Placement]) -> Plan:
    """A plan in a few hundredths of a second for a scenario one change away from one
    already planned (``previous``): the earlier plan kept where it still fits, the rest
    planned greedily (:func:`greedy_plan` with ``keep``).

    Where that leaves mandatory work undone, the items of that work are planned afresh
    (not kept) and it is tried again, a few times; the plain greedy plan is taken
    instead only if it is better by the objective's tiers (less mandatory work unmet
    first, then fewer bids unwritten, then less weighted optional work). A change that
    only removes work (a bid lost) keeps the whole earlier plan. Unverified.

    Measured 2026-12-02 on the shipped option 4, from its plan at the default budget (135.5
    weighted unmet optional FTE-weeks, all 7 bids), in 0.03-0.09 s each (weighted unmet,
    bids written; CP-SAT from scratch at the what-if page's budget of 1, 2-3 s, in
    brackets): two bids lost 104.5, 5 of 5 (194.9, 0); the recruitment gap 214.1, 2
    (304.8, 0); the new PCC's priorities 206.3, 7 (304.4, 0); the officer's absence
    264.3, 2 (285.7, 1). The plain greedy plan then wrote none of the 7 bids; since bids
    come right after mandatory work in its order (:func:`bundles_in_order`) it writes 3 / 4 /
    3 / 3 on the shipped options, and these figures are in benchmarks/results/replanning.md.
    """
    ids = {t.id for t in problem.tasks}
    keep = {task_id: placement for task_id, placement in previous.items() if task_id in ids}
    best: Plan | None = None
    for _ in range(REPAIR_TRIES):
        repaired = greedy_plan(problem, keep=keep)
        if best is None or _unmet(repaired) < _unmet(best):
            best = repaired
        placed = {a.task_id for a in repaired.assignments}
        undone = {t.item_id for t in problem.tasks if t.mandatory and t.id not in placed}
        kept = {t: p for t, p in keep.items() if problem.task(t).item_id not in undone}
        if not undone or kept == keep:
            break
        keep = kept
    plain = greedy_plan(problem)
    return plain if best is None or _unmet(plain) < _unmet(best) else best


REPAIR_TRIES = 3
"""Attempts of :func:`repaired_plan`, each planning afresh the items of the mandatory work
the one before left undone."""


def _unmet(plan: Plan) -> tuple[Decimal, Decimal, Decimal]:
    return objective_tiers(
        plan.problem, {a.task_id: (a.staff_id, a.start_week) for a in plan.assignments}
    )


# -- order ---------------------------------------------------------------------


def bundles_in_order(problem: PlanningProblem) -> list[list[Task]]:
    """Tasks that must be done together, in the order a manager would take them.

    Mandatory work first, then the bids (the objective's tiers,
    :func:`~capacity.plan.objective_tiers`), then by priority; a bundle waits for the
    bundles it comes after.
    """
    links = problem.links
    bundle_of = links.bundle_of
    members = {
        bundle_of[ids[0]]: [problem.task(task_id) for task_id in ids] for ids in links.bundles
    }
    waits_for: dict[str, set[str]] = defaultdict(set)
    for task in problem.tasks:
        for predecessor, _ in links.predecessors[task.id]:
            if bundle_of[predecessor] != bundle_of[task.id]:
                waits_for[bundle_of[task.id]].add(bundle_of[predecessor])
    position = {task.id: index for index, task in enumerate(problem.tasks)}

    def urgency(bundle_id: str) -> tuple[object, ...]:
        tasks = members[bundle_id]
        mandatory = any(t.mandatory for t in tasks)
        bid = any(writes_bid(t) for t in tasks)
        # Mandatory work that has least room to move goes first (a fixed block, such as
        # an induction or work that fills its window, cannot wait for more flexible work).
        slack = min(t.latest_end - t.earliest_start - t.duration for t in tasks)
        return (
            not mandatory,
            not bid,
            slack if mandatory else 0,
            -max(t.weight for t in tasks),
            min(t.latest_end for t in tasks),
            min(position[t.id] for t in tasks),
        )

    blocking: dict[str, set[str]] = defaultdict(set)
    for bundle_id, predecessors in waits_for.items():
        for predecessor in predecessors:
            blocking[predecessor].add(bundle_id)
    ready = [(urgency(b), b) for b in members if not waits_for[b]]
    heapq.heapify(ready)
    ordered = []
    taken: set[str] = set()
    while ready:
        _, bundle_id = heapq.heappop(ready)
        taken.add(bundle_id)
        ordered.append(_within_bundle(members[bundle_id]))
        for successor in sorted(blocking[bundle_id]):
            waits_for[successor].discard(bundle_id)
            if not waits_for[successor]:
                heapq.heappush(ready, (urgency(successor), successor))
    # Bundles that wait for each other (A with B, C after A, B after C) are tried last,
    # by urgency; each is placed only if what it comes after already is.
    ordered += [_within_bundle(members[b]) for b in sorted(set(members) - taken, key=urgency)]
    return ordered


def _within_bundle(tasks: list[Task]) -> list[Task]:
    """Partners and predecessors before the tasks that depend on them."""
    ids = {t.id for t in tasks}
    remaining = list(tasks)
    ordered: list[Task] = []
    done: set[str] = set()
    while remaining:
        for task in remaining:
            needs = {p for p, _ in task.after} | ({task.alongside} if task.alongside else set())
            if (needs & ids) <= done:
                ordered.append(task)
                done.add(task.id)
                remaining.remove(task)
                break
        else:  # a cycle: the scenario's validation refuses these, so keep the order given
            ordered.extend(remaining)
            break
    return ordered


# -- placing one task ----------------------------------------------------------


class Booking:
    """Remaining capacity per person per week, exact."""

    def __init__(self, problem: PlanningProblem):
        self.capacity = problem.capacity
        self.remaining = {staff_id: list(profile) for staff_id, profile in problem.capacity.items()}

    def fits(self, task: Task, staff_id: str, start: int) -> bool:
        return fits(self.remaining[staff_id], task.load, start, task.duration)

    def booked_share(self, task: Task, staff_id: str, start: int) -> Decimal:
        weeks = range(start, start + task.duration)
        capacity = sum((self.capacity[staff_id][w] for w in weeks), Decimal(0))
        booked = capacity - sum((self.remaining[staff_id][w] for w in weeks), Decimal(0))
        return booked / capacity if capacity else Decimal(1)

    def book(self, task: Task, staff_id: str, start: int) -> None:
        for week in range(start, start + task.duration):
            self.remaining[staff_id][week] -= task.load

    def release(self, task: Task, staff_id: str, start: int) -> None:
        for week in range(start, start + task.duration):
            self.remaining[staff_id][week] += task.load


def place(
    problem: PlanningProblem,
    booking: Booking,
    task: Task,
    placed: dict[str, Placement],
    holder: dict[str, str],
    only: tuple[str | None, int] | None = None,
) -> Placement | None:
    """Where the task goes: the first start and person every rule allows, or ``None``.
    ``only``: at that start week, with that person (``None``: anyone eligible)."""
    earliest = task.earliest_start
    for predecessor, lag in task.after:
        if predecessor not in placed:
            return None  # "after X" work is done only if X is
        before = problem.task(predecessor)
        earliest = max(earliest, placed[predecessor][1] + before.duration + lag)
    starts: range | list[int] = range(earliest, task.latest_end - task.duration + 1)
    if task.alongside is not None:
        if task.alongside not in placed:
            return None
        partner_start = placed[task.alongside][1]
        starts = [partner_start] if partner_start in starts else []
    skilled = problem.skilled(task)
    if task.effort is not None:
        skilled, starts = _effort_room(problem, task, placed, skilled, starts)
    if only is not None:  # that start, with that person (or anyone: None)
        person, start = only
        starts = [start] if start in starts else []
        skilled = [m for m in skilled if person is None or m.id == person]
    owners = [m for m in skilled if m.id in task.owners]
    # Owned work goes to its owners at the earliest start they have room for; only if
    # none of them ever has, to anyone eligible (a move the plan reports).
    for people in (owners, skilled) if owners else (skilled,):
        for start in starts:
            fitting = [m.id for m in people if booking.fits(task, m.id, start)]
            if not fitting:
                continue
            keeper = holder.get(task.item_id)
            if keeper in fitting:
                return keeper, start
            return min(fitting, key=lambda s: booking.booked_share(task, s, start)), start
    return None


def _effort_room(
    problem: PlanningProblem,
    task: Task,
    placed: dict[str, Placement],
    skilled: list[StaffMember],
    starts: range | list[int],
) -> tuple[list[StaffMember], list[int]]:
    """For a stint: the people and start weeks its item's rule still allows, given the
    stints already placed (no new person once ``max_people`` take part; no week with
    ``max_at_once`` stints running)."""
    rule = task.effort
    assert rule is not None
    mine = [
        (staff_id, start, problem.task(task_id).duration)
        for task_id, (staff_id, start) in placed.items()
        if problem.task(task_id).item_id == task.item_id
    ]
    taking_part = {staff_id for staff_id, _, _ in mine}
    if len(taking_part) >= rule.max_people:
        skilled = [m for m in skilled if m.id in taking_part]
    running: dict[int, int] = defaultdict(int)
    for _, start, duration in mine:
        for week in range(start, start + duration):
            running[week] += 1
    open_starts = [
        start
        for start in starts
        if rule.may_start(start, task.duration)
        and all(running[w] < rule.max_at_once for w in range(start, start + task.duration))
    ]
    return skilled, open_starts


def short_shares(problem: PlanningProblem, placed: dict[str, Placement]) -> list[str]:
    """Stints (task ids) of people who give an item less than its least share."""
    given: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    least: dict[str, Decimal] = {}
    for task_id, (staff_id, _) in placed.items():
        task = problem.task(task_id)
        if task.effort is not None and task.effort.min_share > 0:
            given[task.item_id, staff_id] += task.demand_fte_weeks
            least[task.item_id] = task.effort.min_share
    short = {key for key, fte_weeks in given.items() if fte_weeks < least[key[0]]}
    return [
        task_id
        for task_id, (staff_id, _) in placed.items()
        if (problem.task(task_id).item_id, staff_id) in short
    ]


# -- the plan --------------------------------------------------------------------


def plan_from(problem: PlanningProblem, placed: dict[str, Placement], seconds: float) -> Plan:
    assignments, unmet = from_placements(problem, placed)
    unmet_mandatory, weighted_optional = unmet_objectives(problem, placed)
    report = SolverReport(
        status=SolveStatus.FEASIBLE,
        unmet_mandatory_fte_weeks=unmet_mandatory,
        mandatory_bound_fte_weeks=Decimal(0),
        weighted_unmet_optional=weighted_optional,
        weighted_optional_bound=Decimal(0),
        runtime_seconds=round(seconds, 3),
        parameters={"solver": "greedy"},
    )
    return Plan(problem=problem, assignments=assignments, unmet=unmet, solver=report)
