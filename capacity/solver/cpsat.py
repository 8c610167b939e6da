"""The CP-SAT model of a planning problem.

Data, variables, constraints, objective, in that order.

The model is time-indexed: a variable ``starts[group, person, week]`` for
every week in which that person could start the work (their capacity covers
the load in every week it would run, inside the window). A task is done when
one of its variables is set, and unmet when none is. Capacity is then one
linear constraint per person per week, which gives the solver a tight linear
relaxation, and makes time-varying capacity (a post ending, a recruit's start
and induction, absences) simply the right-hand side of that week.

Interchangeable tasks - same load, weeks, skill, weight and no dependencies,
such as four portfolio areas' share of the same month - form one group whose
variables count how many of them a person starts in a week. This removes the
symmetry between them (which one is left out is immaterial to every figure)
and is what lets the solver prove optimality in seconds. The plan hands the
counted places to the group's tasks in the scenario's order. The stints of an
item given as effort are such a group too (their links hold for every stint
alike), with the item's own rules as rows (:meth:`PlanModel._add_effort_rules`):
stints running in a week, people taking part, each one's least share, all or
none.

Three families of constraints are redundant - implied by the ones above -
and are there because they make the search stronger (see
:class:`ModelFeatures`; ``benchmarks/solver.py --ablation`` measures each):

- each person's work also as optional intervals in a cumulative whose
  capacity is their peak, with the weeks they have less (not yet in post,
  ended, induction, absence) as fixed intervals taking the difference;
- one such cumulative per skill pool (everyone with a skill, for the work
  that needs it), which sees shortages no single person's constraint does;
- symmetry breaking between interchangeable people (same skills, same
  capacity every week): the first of them carries at least as much work as
  the next.

The objective is lexicographic and solved in two phases (see
:mod:`capacity.solver.solve`): first the least unmet mandatory demand, then,
with that held, the least weighted unmet optional demand (:attr:`Task.weight`: the
priority's weight, times the win probability for a bid and its delivery). Mandatory
work is therefore never traded for optional work, whatever the weights. A
third, presentation-only phase holds both and keeps owned work with its owners
and ongoing work with one person (:meth:`PlanModel.moved_from_owners`,
:meth:`PlanModel.handovers`).

Sums of variables are built with ``LinearExpr.sum`` and ``weighted_sum`` from lists, not
Python's ``sum`` (which builds one expression object per term): the very same model, term
for term, built in half the time. Measured 2026-12-03 (``PlanModel`` alone, one process;
the model text compared before and after on the shipped options, both scenarios, the
back-test and the three generated hubs: identical): the large generated hub (30 people,
400 items, 156 weeks, 146,000 start variables) 13.0 s -> 6.0 s, the medium hub 1.16 s ->
0.62 s, a shipped option 0.09-0.36 s -> 0.07-0.13 s.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from ortools.sat.python import cp_model

from capacity.domain.estimate import FTE_STEP
from capacity.domain.load import fitting_starts
from capacity.domain.problem import PlanningProblem, Task
from capacity.plan import writes_bid
from capacity.solver.scaling import Scale, weight_units

Demand = int | cp_model.LinearExprT  # load units of an interval in a cumulative


@dataclass(frozen=True)
class ModelFeatures:
    """Which redundant constraint families to add.

    All on by default, chosen by measurement (``benchmarks/solver.py --ablation
    --quick``, one worker, 2026-11-25): over the four shipped options and the small
    hub, all proven optimal, the slowest instance (shipped option 2) takes 6.7 s with
    all three, 8.3 s with none, 12.9 s without the person cumulatives and 10.8 s
    without the skill pools (symmetry breaking is neutral there: the shipped team has
    no interchangeable people); the total is 17.5 s with all, 15.3 s with none. With
    all three the worst case is the best, and on the medium hub, 60 s, they give the
    best plan found and, with symmetry breaking, the best bound.

    The skill pools are left out of a problem with work given as effort: its stints
    are counted groups, whose pool intervals (one per person and start week, with a
    variable demand) slow the search more than they help. Measured 2026-12-01, 15
    deterministic seconds a phase, one worker, weighted unmet optional work (lower is
    better) with the pools / without: shipped option 1 256.7 / 245.9, option 2 168.5 /
    169.3, option 3 207.6 / 182.4, option 4 153.7 / 135.5, the 2020/21 back-test 68.4 /
    68.2 (none of them proven optimal either way).
    """

    person_cumulative: bool = True
    skill_pool_cumulative: bool = True
    symmetry_breaking: bool = True


@dataclass
class TaskGroup:
    """Interchangeable tasks (often just one) and their start variables by (person, week)."""

    tasks: list[Task]
    load_units: int
    starts: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)

    @property
    def first(self) -> Task:
        return self.tasks[0]

    @property
    def demand_units(self) -> int:
        """Load units x weeks of one task of the group."""
        return self.load_units * self.first.duration

    def done(self) -> cp_model.LinearExprT:
        """How many of the group's tasks are done."""
        return cp_model.LinearExpr.sum(list(self.starts.values()))

    def start_week(self) -> cp_model.LinearExprT:
        """The start week when done (0 when not); meaningful for a single task."""
        return cp_model.LinearExpr.weighted_sum(
            list(self.starts.values()), [week for _, week in self.starts]
        )


class PlanModel:
    """Builds the CP-SAT model for one :class:`PlanningProblem`."""

    def __init__(self, problem: PlanningProblem, features: ModelFeatures | None = None):
        self.problem = problem
        self.features = features or ModelFeatures()
        loads = [t.load for t in problem.tasks]
        capacities = [c for profile in problem.capacity.values() for c in profile]
        self.scale = Scale.for_values(loads + capacities)
        self.capacity_units = {
            staff_id: [self.scale.to_units(c) for c in profile]
            for staff_id, profile in problem.capacity.items()
        }
        self.model = cp_model.CpModel()
        self.groups = _interchangeable_groups(problem, self.scale)
        self.group_of = {task.id: group for group in self.groups for task in group.tasks}
        self.twins: list[list[str]] = []
        self.takes_part: dict[str, dict[str, cp_model.IntVar]] = {}
        self.wholes: list[tuple[cp_model.IntVar, list[TaskGroup]]] = []
        self.channels: list[
            tuple[cp_model.IntVar, cp_model.IntVar, list[tuple[int, cp_model.IntVar]]]
        ] = []
        self._add_variables()
        self.add_constraints()

    # -- variables -------------------------------------------------------------

    def _add_variables(self) -> None:
        for group in self.groups:
            task, size = group.first, len(group.tasks)
            for member in self.problem.skilled(task):
                for week in self.feasible_starts(task, member.id):
                    name = f"starts[{task.id},{member.id},{week}]"
                    group.starts[member.id, week] = (
                        self.model.new_bool_var(name)
                        if size == 1
                        else self.model.new_int_var(0, size, name)
                    )

    def feasible_starts(self, task: Task, staff_id: str) -> list[int]:
        """Start weeks at which this person alone has room for the task every week, within
        the task's window as its links tighten it (:func:`linked_windows`)."""
        earliest, latest_end = self.windows[task.id]
        if task.effort is not None:
            effort = task.effort
            return [
                week
                for week in fitting_starts(
                    self.capacity_units[staff_id],
                    self.scale.to_units(task.load),
                    earliest,
                    latest_end,
                    task.duration,
                )
                if effort.may_start(week, task.duration)
            ]
        return fitting_starts(
            self.capacity_units[staff_id],
            self.scale.to_units(task.load),
            earliest,
            latest_end,
            task.duration,
        )

    @cached_property
    def windows(self) -> dict[str, tuple[int, int]]:
        return linked_windows(self.problem)

    # -- constraints -----------------------------------------------------------

    def add_constraints(self) -> None:
        self._add_at_most_once()
        self._add_capacity_per_person_week()
        self._add_after_dependencies()
        self._add_alongside_dependencies()
        self._add_committed_pairs()
        self._add_effort_rules()
        self.has_effort = any(task.effort is not None for task in self.problem.tasks)
        if self.features.person_cumulative or self.features.skill_pool_cumulative:
            self._add_intervals()
        if self.features.person_cumulative:
            self._add_person_cumulatives()
        if self.features.skill_pool_cumulative and not self.has_effort:
            self._add_skill_pool_cumulatives()
        if self.features.symmetry_breaking:
            self._add_symmetry_breaking()

    def _add_at_most_once(self) -> None:
        # Each task is done at most once: one person, one start week.
        for group in self.groups:
            if len(group.tasks) == 1 and len(group.starts) > 1:
                self.model.add_at_most_one(group.starts.values())
            elif len(group.tasks) > 1:
                self.model.add(group.done() <= len(group.tasks))

    def _add_capacity_per_person_week(self) -> None:
        # Each week, a person's booked load stays within what they can give that week.
        # (A row is needed only where everything that could start there would not fit;
        # a start variable counts at most the group's tasks.)
        # Variables and loads in parallel lists, and the most load that could start: the
        # largest model's build is mostly this (30 people x 156 weeks: 2.4m terms).
        variables: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
        loads: dict[tuple[str, int], list[int]] = defaultdict(list)
        most_load: dict[tuple[str, int], int] = defaultdict(int)
        for group in self.groups:
            load, most = group.load_units, group.load_units * len(group.tasks)
            for (staff_id, start), var in group.starts.items():
                for week in range(start, start + group.first.duration):
                    key = staff_id, week
                    variables[key].append(var)
                    loads[key].append(load)
                    most_load[key] += most
        for (staff_id, week), terms in variables.items():
            capacity = self.capacity_units[staff_id][week]
            if most_load[staff_id, week] > capacity:
                self.model.add(
                    cp_model.LinearExpr.weighted_sum(terms, loads[staff_id, week]) <= capacity
                )

    def _add_after_dependencies(self) -> None:
        # "after X": what starts by week w (counted over everyone) needs X done by a start
        # that ends, plus the lag, by w. Counted up to each week rather than start by start,
        # which is the same rule and a much tighter one for the linear relaxation when the
        # group has many places (the stints of a bid's delivery).
        for group in self.groups:
            starts_by_week: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for (_, week), var in group.starts.items():
                starts_by_week[week].append(var)
            for predecessor_id, lag in group.first.after:
                before = self.group_of[predecessor_id]
                ends = [
                    (b_week + before.first.duration + lag, b)
                    for (_, b_week), b in before.starts.items()
                ]
                started: list[cp_model.IntVar] = []
                for week in sorted(starts_by_week):
                    started += starts_by_week[week]
                    early_enough = [b for end, b in ends if end <= week]
                    self.model.add(
                        cp_model.LinearExpr.sum(started)
                        <= len(group.tasks) * cp_model.LinearExpr.sum(early_enough)
                    )

    def _add_alongside_dependencies(self) -> None:
        # "alongside X": done exactly when X is, starting the same week.
        for group in self.groups:
            partner_id = group.first.alongside
            if partner_id is None:
                continue
            partner = self.group_of[partner_id]
            self.model.add(group.done() == partner.done())
            for (_, week), var in group.starts.items():
                same_week = [p for (_, p_week), p in partner.starts.items() if p_week == week]
                self.model.add(var <= cp_model.LinearExpr.sum(same_week))

    def _add_committed_pairs(self) -> None:
        # "with X": done exactly when X is (a won bid must be delivered).
        for group in self.groups:
            partner_id = group.first.committed_to
            if partner_id is not None:
                # A stint group of work that comes with a single task has all its stints done
                # exactly when that task is.
                partner = self.group_of[partner_id]
                self.model.add(group.done() == len(group.tasks) * partner.done())

    def _add_effort_rules(self) -> None:
        # Work given as effort: its stints run at most so many at once, are shared by at most
        # so many people, each giving at least the least share, and come whole if they must.
        by_item: dict[str, list[TaskGroup]] = defaultdict(list)
        for group in self.groups:
            if group.first.effort is not None:
                by_item[group.first.item_id].append(group)
        for item_id, groups in by_item.items():
            rule = groups[0].first.effort
            assert rule is not None
            if rule.max_at_once < rule.stints:
                running: dict[int, list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
                for group in groups:
                    for (_, start), var in group.starts.items():
                        for week in range(start, start + group.first.duration):
                            running[week].append((var, len(group.tasks)))
                for terms in running.values():
                    if sum(most for _, most in terms) > rule.max_at_once:
                        self.model.add(
                            cp_model.LinearExpr.sum([var for var, _ in terms]) <= rule.max_at_once
                        )
            people = sorted({staff_id for g in groups for staff_id, _ in g.starts})
            # The least share in load units x weeks, rounded up (a share is never cut short).
            min_units = math.ceil(rule.min_share / FTE_STEP / self.scale.divisor)
            if rule.max_people < len(people) or min_units > 0:
                takes_part = {p: self.model.new_bool_var(f"shares[{item_id},{p}]") for p in people}
                for group in groups:
                    for (staff_id, _), var in group.starts.items():
                        self.model.add(var <= len(group.tasks) * takes_part[staff_id])
                if rule.max_people < len(people):
                    self.model.add(sum(takes_part.values()) <= rule.max_people)
                for staff_id, part in takes_part.items():
                    if min_units > 0:
                        given = sum(
                            group.load_units * group.first.duration * var
                            for group in groups
                            for (person, _), var in group.starts.items()
                            if person == staff_id
                        )
                        self.model.add(given >= min_units * part)
                self.takes_part[item_id] = takes_part
            if rule.whole and groups[0].first.committed_to is None:
                whole = self.model.new_bool_var(f"whole[{item_id}]")
                self.model.add(sum(g.done() for g in groups) == rule.stints * whole)
                self.wholes.append((whole, groups))

    # -- redundant constraints ---------------------------------------------------

    def _add_intervals(self) -> None:
        # The work a person may do, as intervals (one per person for a single task,
        # whose start is the chosen week; one per start week for a counted group).
        self.intervals: dict[str, list[tuple[cp_model.IntervalVar, Demand, Task]]] = defaultdict(
            list
        )
        for group in self.groups:
            task = group.first
            by_person: dict[str, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
            for (staff_id, week), var in group.starts.items():
                by_person[staff_id].append((week, var))
            for staff_id, options in by_person.items():
                if len(group.tasks) > 1:
                    for week, count in options:
                        interval = self.model.new_fixed_size_interval_var(
                            week, task.duration, f"works[{task.id},{staff_id},{week}]"
                        )
                        self.intervals[staff_id].append((interval, group.load_units * count, task))
                    continue
                present = self.model.new_bool_var(f"does[{task.id},{staff_id}]")
                self.model.add(present == cp_model.LinearExpr.sum([var for _, var in options]))
                weeks = [week for week, _ in options]
                start = self.model.new_int_var_from_domain(
                    cp_model.Domain.from_values(weeks), f"start[{task.id},{staff_id}]"
                )
                self.model.add(
                    start
                    == cp_model.LinearExpr.weighted_sum(
                        [var for _, var in options], [week for week, _ in options]
                    )
                ).only_enforce_if(present)
                self.channels.append((present, start, options))
                interval = self.model.new_optional_fixed_size_interval_var(
                    start, task.duration, present, f"works[{task.id},{staff_id}]"
                )
                self.intervals[staff_id].append((interval, group.load_units, task))

    def _add_person_cumulatives(self) -> None:
        # Each person's work fits under their capacity, dips as fixed intervals.
        for staff_id, entries in self.intervals.items():
            self._cumulative(entries, self.capacity_units[staff_id])

    def _add_skill_pool_cumulatives(self) -> None:
        # All the work needing a skill fits under the pool of people who have it.
        skills = sorted({t.required_skill for t in self.problem.tasks if t.required_skill})
        for skill in skills:
            pool = [m.id for m in self.problem.staff if skill in m.skills]
            if len(pool) < 2:
                continue  # the person's own cumulative says it all
            entries = [
                entry
                for staff_id in pool
                for entry in self.intervals.get(staff_id, [])
                if entry[2].required_skill == skill
            ]
            profile = [
                sum(self.capacity_units[s][w] for s in pool) for w in range(self.problem.n_weeks)
            ]
            self._cumulative(entries, profile)

    def _cumulative(
        self, entries: list[tuple[cp_model.IntervalVar, Demand, Task]], profile: list[int]
    ) -> None:
        if not entries:
            return
        peak = max(profile)
        intervals = [interval for interval, _, _ in entries]
        demands: list[Demand] = [demand for _, demand, _ in entries]
        for start, end, dip in capacity_dips(profile, peak):
            intervals.append(self.model.new_fixed_size_interval_var(start, end - start, ""))
            demands.append(dip)
        self.model.add_cumulative(intervals, demands, peak)

    def _add_symmetry_breaking(self) -> None:
        # Interchangeable people: the first carries at least as much work as the next. A
        # person named as an owner of some work is not interchangeable with anyone.
        owners = {staff_id for task in self.problem.tasks for staff_id in task.owners}
        twins: dict[tuple[object, ...], list[str]] = defaultdict(list)
        for member in self.problem.staff:
            if member.id in owners:
                continue
            profile = tuple(self.capacity_units[member.id])
            twins[member.skills, profile].append(member.id)
        self.twins = [ids for ids in twins.values() if len(ids) > 1]
        for ids in self.twins:
            for first, second in itertools.pairwise(ids):
                self.model.add(self.work_of(first) >= self.work_of(second))

    def work_of(self, staff_id: str) -> cp_model.LinearExprT:
        """Load units x weeks a person is given."""
        terms = self._work_terms.get(staff_id, ([], []))
        return cp_model.LinearExpr.weighted_sum(*terms)

    @cached_property
    def _work_terms(self) -> dict[str, tuple[list[cp_model.IntVar], list[int]]]:
        """Each person's start variables and their load units x weeks, in model order."""
        terms: dict[str, tuple[list[cp_model.IntVar], list[int]]] = {}
        for group in self.groups:
            for (person, _), var in group.starts.items():
                variables, weights = terms.setdefault(person, ([], []))
                variables.append(var)
                weights.append(group.demand_units)
        return terms

    @property
    def n_start_variables(self) -> int:
        return sum(len(group.starts) for group in self.groups)

    # -- hints ---------------------------------------------------------------------

    def start_values(self, placements: list[tuple[str, str, int]]) -> dict[cp_model.IntVar, int]:
        """Values of the start variables for a plan given as (task id, staff id, start week).

        Interchangeable people are relabelled so that the plan meets the symmetry
        breaking (the busiest first); that changes nothing a report shows about the
        plan's feasibility or unmet demand.
        """
        work: dict[str, int] = defaultdict(int)
        for task_id, staff_id, _ in placements:
            work[staff_id] += self.group_of[task_id].demand_units
        relabel: dict[str, str] = {}
        for ids in self.twins:
            busiest_first = sorted(ids, key=lambda s: (-work[s], ids.index(s)))
            relabel.update(zip(busiest_first, ids, strict=True))
        values = {var: 0 for group in self.groups for var in group.starts.values()}
        for task_id, staff_id, week in placements:
            var = self.group_of[task_id].starts.get((relabel.get(staff_id, staff_id), week))
            if var is not None:
                values[var] += 1
        return values

    def complete(self, values: dict[cp_model.IntVar, int]) -> dict[cp_model.IntVar, int]:
        """Start-variable values plus the variables they imply - intervals, who takes part in
        work given as effort, whether it is done whole - (a complete hint)."""
        full = dict(values)
        for item_id, takes_part in self.takes_part.items():
            groups = [g for g in self.groups if g.first.item_id == item_id]
            for staff_id, part in takes_part.items():
                full[part] = int(
                    any(
                        values[v] for g in groups for (p, _), v in g.starts.items() if p == staff_id
                    )
                )
        for whole, groups in self.wholes:
            full[whole] = int(any(values[v] for g in groups for v in g.starts.values()))
        for present, start, options in self.channels:
            chosen = [week for week, var in options if values[var]]
            full[present] = 1 if chosen else 0
            full[start] = chosen[0] if chosen else options[0][0]
        return full

    # -- objective terms -------------------------------------------------------

    def unmet_terms(self, mandatory: bool) -> list[tuple[int, TaskGroup]]:
        """(weight per unit of unmet load x weeks, group) for mandatory or optional groups.

        Mandatory work is unweighted (phase 1 minimises it in plain FTE-weeks);
        optional work is weighted by :attr:`Task.weight`, in whole thousandths
        (:func:`~capacity.solver.scaling.weight_units`), so the objective stays integer.
        """
        return [
            (1 if mandatory else weight_units(g.first.weight), g)
            for g in self.groups
            if g.first.mandatory == mandatory
        ]

    def _bid_writing(self) -> list[TaskGroup]:
        return [g for g in self.groups if writes_bid(g.first)]

    def has_bids_to_write(self) -> bool:
        """Whether any optional funding bid is there to be written."""
        return bool(self._bid_writing())

    def unmet_bid_writing(self) -> cp_model.LinearExprT:
        """Weighted unmet load units x weeks of bids left unwritten (the middle tier of
        :func:`~capacity.plan.objective_tiers`)."""
        return sum(
            weight_units(g.first.weight) * g.demand_units * (len(g.tasks) - g.done())
            for g in self._bid_writing()
        )

    def unmet_bid_value(self, values: dict[cp_model.IntVar, int]) -> int:
        """The same, evaluated for given variable values."""
        return sum(
            weight_units(g.first.weight)
            * g.demand_units
            * (len(g.tasks) - sum(values[v] for v in g.starts.values()))
            for g in self._bid_writing()
        )

    def unmet_expression(self, mandatory: bool) -> cp_model.LinearExprT:
        """Unmet demand (load units x weeks, weighted), as a solver expression."""
        return sum(
            weight * g.demand_units * (len(g.tasks) - g.done())
            for weight, g in self.unmet_terms(mandatory)
        )

    def handovers(self) -> cp_model.LinearExprT:
        """How often ongoing work changes hands between one month and the next.

        Used only to break ties once unmet demand is settled, so that a month-by-month
        item stays with one person where that costs nothing (a board-ready Gantt).
        For each run of monthly parts of the same items, and each person, it adds
        the change in how many of those parts the person holds from month to month.
        """
        families: dict[tuple[str, ...], list[TaskGroup]] = defaultdict(list)
        for group in self.groups:
            if all("@" in task.id for task in group.tasks):  # parts of handed-over work
                families[tuple(sorted(t.item_id for t in group.tasks))].append(group)
        changes = []
        for groups in families.values():
            groups.sort(key=lambda g: g.first.earliest_start)
            for before, after in itertools.pairwise(groups):
                for member in self.problem.staff:
                    held_before = _held(before, member.id)
                    held_after = _held(after, member.id)
                    size = max(len(before.tasks), len(after.tasks))
                    change = self.model.new_int_var(
                        0, size, f"handover[{after.first.id},{member.id}]"
                    )
                    self.model.add(change >= held_after - held_before)
                    self.model.add(change >= held_before - held_after)
                    changes.append(change)
        return cp_model.LinearExpr.sum(changes)

    def moved_from_owners(self) -> cp_model.LinearExprT:
        """Load units x weeks of owned work (``preferred`` owners) given to someone else.

        A tie-break, like :meth:`handovers`: once unmet demand is settled, a portfolio
        area stays with its owner unless the plan must move it to deliver more.
        """
        return cp_model.LinearExpr.sum(
            [
                group.demand_units * var
                for group in self.groups
                if group.first.owners
                for (staff_id, _), var in group.starts.items()
                if staff_id not in group.first.owners
            ]
        )

    def unmet_value(self, mandatory: bool, values: dict[cp_model.IntVar, int]) -> int:
        """The same, evaluated for given variable values (no solver needed)."""
        return sum(
            weight * g.demand_units * (len(g.tasks) - sum(values[v] for v in g.starts.values()))
            for weight, g in self.unmet_terms(mandatory)
        )


def set_hint(model: cp_model.CpModel, values: dict[cp_model.IntVar, int]) -> None:
    """Make ``values`` the model's whole hint (what was there before is dropped), by
    variable index, so that it also serves a clone of the model the variables came from.
    The same hint as ``add_hint`` for each (none of these variables is a negated literal),
    written in two calls: on the large generated hub, 158,000 variables a hint, the hints
    took 2.2 s of a 60 s run one call at a time."""
    model.clear_hints()
    hint = model.proto.solution_hint
    hint.vars.extend([var.index for var in values])
    hint.values.extend([int(value) for value in values.values()])


def _held(group: TaskGroup, staff_id: str) -> cp_model.LinearExpr:
    """How many of the group's tasks this person starts (in any week)."""
    return cp_model.LinearExpr.sum(
        [var for (person, _), var in group.starts.items() if person == staff_id]
    )


def capacity_dips(profile: list[int], peak: int) -> list[tuple[int, int, int]]:
    """Runs of weeks below the peak: (first week, end week exclusive, missing units)."""
    runs: list[tuple[int, int, int]] = []
    for week, units in enumerate(profile):
        dip = peak - units
        if dip == 0:
            continue
        if runs and runs[-1][1] == week and runs[-1][2] == dip:
            runs[-1] = (runs[-1][0], week + 1, dip)
        else:
            runs.append((week, week + 1, dip))
    return runs


def linked_windows(problem: PlanningProblem) -> dict[str, tuple[int, int]]:
    """Each task's (earliest start, exclusive latest end), tightened by its links.

    Work that runs ``alongside`` another starts the week it does, so it can start no
    earlier and no later than its partner can; work ``after`` another starts no earlier
    than the predecessor's earliest end plus the lag. No plan is lost (the links forbid
    the weeks cut), but the model has fewer start variables: with windows to the end of a
    two-year horizon, support shares and follow-on work would otherwise each carry a
    variable for every week of the second year.
    """
    tasks = {task.id: task for task in problem.tasks}
    found: dict[str, tuple[int, int]] = {}

    def window(task_id: str) -> tuple[int, int]:
        if task_id in found:
            return found[task_id]
        task = tasks[task_id]
        earliest, latest_end = task.earliest_start, task.latest_end
        for predecessor_id, lag in task.after:
            before_earliest, _ = window(predecessor_id)
            earliest = max(earliest, before_earliest + tasks[predecessor_id].duration + lag)
        if task.alongside is not None:
            partner = tasks[task.alongside]
            partner_earliest, partner_latest_end = window(partner.id)
            earliest = max(earliest, partner_earliest)
            latest_end = min(latest_end, partner_latest_end - partner.duration + task.duration)
        found[task_id] = (earliest, max(earliest, latest_end))
        return found[task_id]

    for task_id in tasks:
        window(task_id)
    return found


def _interchangeable_groups(problem: PlanningProblem, scale: Scale) -> list[TaskGroup]:
    """Group tasks that no constraint or figure can tell apart; the rest stand alone."""
    groups: dict[object, TaskGroup] = {}
    for task in problem.tasks:
        alone = problem.links.linked(task.id)
        key: object = (
            ("stints", task.item_id, task.duration)  # its links hold for every stint alike
            if task.effort is not None
            else task.id
            if alone
            else (
                task.load,
                task.duration,
                task.earliest_start,
                task.latest_end,
                task.required_skill,
                task.mandatory,
                task.weight,
                task.bid_dependent,
                task.owners,
                task.owner_fixed,
            )
        )
        if key in groups:
            groups[key].tasks.append(task)
        else:
            groups[key] = TaskGroup([task], load_units=scale.to_units(task.load))
    return list(groups.values())
