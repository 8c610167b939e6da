"""A plain interval CP-SAT model of the planning problem, for benchmarking only.

The production model (:mod:`capacity.solver.cpsat`) is time-indexed: one variable per
(task group, person, start week), capacity as one linear constraint per person per
week. This prototype states the same rules with intervals instead:

- per task and eligible person (:meth:`PlanningProblem.skilled`) one optional
  fixed-size interval, whose start may take only the weeks in which that person's
  capacity covers the load every week (:func:`~capacity.domain.load.fitting_starts`,
  inside the task's window as its links tighten it,
  :func:`~capacity.solver.cpsat.linked_windows`; and for a stint, the weeks its
  item's grid allows, :meth:`EffortRule.may_start`); at most one present per task, and
  the task is done iff one is;
- one cumulative per person, capacity their peak in solver units, the weeks below it
  as fixed intervals (:func:`~capacity.solver.cpsat.capacity_dips`);
- links: ``after`` (start at or after the predecessor's end plus the lag, done only
  if it is), ``alongside`` (same start, done together), ``with`` (done together), each
  stint of work given as effort on its own;
- effort rules per item: at most ``max_at_once`` stints at once (a cumulative of demand
  1), at most ``max_people`` people, each giving at least ``min_share``, whole items all
  or none; stints of one item with equal duration are ordered (presence, then start);
- one objective: unmet mandatory load units x weeks times a dominance factor above all
  optional weight together, plus weighted unmet optional (as
  :meth:`PlanModel.unmet_expression`), so the lexicographic order holds in one solve.

``interval_plan`` returns a :class:`~capacity.plan.Plan` (to verify like any other)
and a dict of statistics.
"""

from __future__ import annotations

import itertools
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from capacity.domain.estimate import FTE_STEP
from capacity.domain.load import fitting_starts
from capacity.domain.problem import PlanningProblem, Task
from capacity.plan import Plan, SolverReport, SolveStatus, from_placements
from capacity.solver.cpsat import capacity_dips, linked_windows
from capacity.solver.scaling import Scale, weight_units


@dataclass
class _TaskVars:
    task: Task
    load_units: int
    done: cp_model.IntVar | int
    start: cp_model.IntVar | None = None
    # staff id -> (present, person's start, interval)
    options: dict[str, tuple[cp_model.IntVar, cp_model.IntVar, cp_model.IntervalVar]] = field(
        default_factory=dict
    )


class IntervalModel:
    """Builds the interval model for one problem."""

    def __init__(self, problem: PlanningProblem, interchangeable_symmetry: bool = True):
        self.problem = problem
        loads = [t.load for t in problem.tasks]
        capacities = [c for profile in problem.capacity.values() for c in profile]
        self.scale = Scale.for_values(loads + capacities)
        self.capacity_units = {
            staff_id: [self.scale.to_units(c) for c in profile]
            for staff_id, profile in problem.capacity.items()
        }
        self.windows = linked_windows(problem)
        self.model = cp_model.CpModel()
        self.vars: dict[str, _TaskVars] = {}
        self.takes_part: dict[tuple[str, str], cp_model.IntVar] = {}
        self._variables()
        self._person_cumulatives()
        self._links()
        self._effort_rules()
        if interchangeable_symmetry:
            self._interchangeable_symmetry()
        self._objective()

    # -- variables ---------------------------------------------------------------

    def starts_for(self, task: Task, staff_id: str) -> list[int]:
        earliest, latest_end = self.windows[task.id]
        weeks = fitting_starts(
            self.capacity_units[staff_id],
            self.scale.to_units(task.load),
            earliest,
            latest_end,
            task.duration,
        )
        if task.effort is not None:
            weeks = [w for w in weeks if task.effort.may_start(w, task.duration)]
        return weeks

    def _variables(self) -> None:
        m = self.model
        for task in self.problem.tasks:
            units = self.scale.to_units(task.load)
            tv = _TaskVars(task, units, done=0)
            per_person = {
                member.id: weeks
                for member in self.problem.skilled(task)
                if (weeks := self.starts_for(task, member.id))
            }
            if per_person:
                union = sorted({w for weeks in per_person.values() for w in weeks})
                tv.start = m.new_int_var_from_domain(
                    cp_model.Domain.from_values(union), f"S[{task.id}]"
                )
                for staff_id, weeks in per_person.items():
                    present = m.new_bool_var(f"x[{task.id},{staff_id}]")
                    if len(weeks) == len(union):
                        start = tv.start  # same domain: share the task's start
                    else:
                        start = m.new_int_var_from_domain(
                            cp_model.Domain.from_values(weeks), f"s[{task.id},{staff_id}]"
                        )
                        m.add(start == tv.start).only_enforce_if(present)
                    interval = m.new_optional_fixed_size_interval_var(
                        start, task.duration, present, f"I[{task.id},{staff_id}]"
                    )
                    tv.options[staff_id] = (present, start, interval)
                presents = [p for p, _, _ in tv.options.values()]
                if len(presents) == 1:
                    tv.done = presents[0]
                else:
                    done = m.new_bool_var(f"done[{task.id}]")
                    m.add(sum(presents) == done)  # at most one person, done iff one
                    tv.done = done
            self.vars[task.id] = tv

    def task_interval(self, tv: _TaskVars) -> cp_model.IntervalVar | None:
        if tv.start is None:
            return None
        return self.model.new_optional_fixed_size_interval_var(
            tv.start, tv.task.duration, tv.done, f"T[{tv.task.id}]"
        )

    # -- constraints -------------------------------------------------------------

    def _person_cumulatives(self) -> None:
        per_person: dict[str, list[tuple[cp_model.IntervalVar, int]]] = defaultdict(list)
        for tv in self.vars.values():
            for staff_id, (_, _, interval) in tv.options.items():
                per_person[staff_id].append((interval, tv.load_units))
        for staff_id, entries in per_person.items():
            profile = self.capacity_units[staff_id]
            peak = max(profile)
            intervals = [i for i, _ in entries]
            demands = [d for _, d in entries]
            for first, end, dip in capacity_dips(profile, peak):
                intervals.append(self.model.new_fixed_size_interval_var(first, end - first, ""))
                demands.append(dip)
            self.model.add_cumulative(intervals, demands, peak)

    def _links(self) -> None:
        m = self.model
        for tv in self.vars.values():
            task = tv.task
            for predecessor_id, lag in task.after:
                before = self.vars[predecessor_id]
                _relate(m, tv.done, before.done, "<=")
                if tv.start is not None and before.start is not None:
                    m.add(tv.start >= before.start + before.task.duration + lag).only_enforce_if(
                        tv.done
                    )
            if task.alongside is not None:
                partner = self.vars[task.alongside]
                _relate(m, tv.done, partner.done, "==")
                if tv.start is not None and partner.start is not None:
                    m.add(tv.start == partner.start).only_enforce_if(tv.done)
            if task.committed_to is not None:
                partner = self.vars[task.committed_to]
                _relate(m, tv.done, partner.done, "==")

    def _effort_rules(self) -> None:
        m = self.model
        by_item: dict[str, list[_TaskVars]] = defaultdict(list)
        for tv in self.vars.values():
            if tv.task.effort is not None:
                by_item[tv.task.item_id].append(tv)
        for item_id, stints in by_item.items():
            rule = stints[0].task.effort
            assert rule is not None
            live = [tv for tv in stints if tv.start is not None]
            if rule.max_at_once < len(live):
                intervals = [iv for tv in live if (iv := self.task_interval(tv)) is not None]
                m.add_cumulative(intervals, [1] * len(intervals), rule.max_at_once)
            people = sorted({s for tv in live for s in tv.options})
            min_units = math.ceil(rule.min_share / FTE_STEP / self.scale.divisor)
            if rule.max_people < len(people) or min_units > 0:
                parts = {}
                for staff_id in people:
                    part = m.new_bool_var(f"part[{item_id},{staff_id}]")
                    mine = [(tv, tv.options[staff_id][0]) for tv in live if staff_id in tv.options]
                    for _, present in mine:
                        m.add_implication(present, part)
                    m.add(sum(present for _, present in mine) >= part)
                    if min_units > 0:
                        given = sum(tv.load_units * tv.task.duration * p for tv, p in mine)
                        m.add(given >= min_units * part)
                    parts[staff_id] = part
                    self.takes_part[item_id, staff_id] = part
                if rule.max_people < len(people):
                    m.add(sum(parts.values()) <= rule.max_people)
            if rule.whole and stints[0].task.committed_to is None:
                for a, b in itertools.pairwise(stints):
                    _relate(m, a.done, b.done, "==")
            # Stints of equal duration are interchangeable: order them.
            by_duration: dict[int, list[_TaskVars]] = defaultdict(list)
            for tv in stints:
                by_duration[tv.task.duration].append(tv)
            for same in by_duration.values():
                self._order(same)

    def _order(self, same: list[_TaskVars]) -> None:
        """Interchangeable tasks: the first is done if the next is, and starts no later."""
        m = self.model
        for a, b in itertools.pairwise(same):
            if isinstance(b.done, int):
                continue
            m.add(a.done >= b.done)
            if a.start is not None and b.start is not None:
                m.add(a.start <= b.start).only_enforce_if(b.done)

    def _interchangeable_symmetry(self) -> None:
        """Tasks that nothing tells apart (the production model's counted groups): ordered."""
        links = self.problem.links
        groups: dict[object, list[_TaskVars]] = defaultdict(list)
        for tv in self.vars.values():
            t = tv.task
            if t.effort is not None or links.linked(t.id):
                continue
            key = (
                t.load,
                t.duration,
                t.earliest_start,
                t.latest_end,
                t.required_skill,
                t.mandatory,
                t.weight,
                t.bid_dependent,
                t.owners,
                t.owner_fixed,
            )
            groups[key].append(tv)
        for same in groups.values():
            if len(same) > 1:
                self._order(same)

    # -- objective ---------------------------------------------------------------

    def unmet_terms(self, mandatory: bool) -> list[tuple[int, _TaskVars]]:
        """(coefficient per unit not done, task): load units x weeks, weighted if optional."""
        return [
            (
                tv.load_units
                * tv.task.duration
                * (1 if mandatory else weight_units(tv.task.weight)),
                tv,
            )
            for tv in self.vars.values()
            if tv.task.mandatory == mandatory
        ]

    def _objective(self) -> None:
        self.mandatory_terms = self.unmet_terms(True)
        self.optional_terms = self.unmet_terms(False)
        self.dominance = 1 + sum(c for c, _ in self.optional_terms)
        self.unmet_mandatory = sum(c * (1 - tv.done) for c, tv in self.mandatory_terms)
        self.unmet_optional = sum(c * (1 - tv.done) for c, tv in self.optional_terms)
        self.model.minimize(self.dominance * self.unmet_mandatory + self.unmet_optional)

    # -- hints and reading -----------------------------------------------------------

    def hint(self, placed: dict[str, tuple[str, int]]) -> None:
        m = self.model
        m.clear_hints()
        hinted: set[int] = set()

        def put(var: cp_model.IntVar | int, value: int) -> None:
            if isinstance(var, int) or var.index in hinted:
                return
            hinted.add(var.index)
            m.add_hint(var, value)

        parts: dict[tuple[str, str], int] = defaultdict(int)
        for tv in self.vars.values():
            place = placed.get(tv.task.id)
            if place is not None and place[0] not in tv.options:
                place = None  # not a place this model allows (should not happen)
            if place is not None and place[1] not in self.starts_for(tv.task, place[0]):
                place = None
            put(tv.done, 1 if place else 0)
            if tv.start is not None:
                put(tv.start, place[1] if place else _lowest(tv.start))
            for staff_id, (present, start, _) in tv.options.items():
                chosen = place is not None and place[0] == staff_id
                put(present, int(chosen))
                put(start, place[1] if chosen and place else _lowest(start))
                if chosen:
                    parts[tv.task.item_id, staff_id] = 1
        for key, part in self.takes_part.items():
            put(part, parts.get(key, 0))

    def placements(self, solver: cp_model.CpSolver) -> dict[str, tuple[str, int]]:
        placed = {}
        for tv in self.vars.values():
            for staff_id, (present, start, _) in tv.options.items():
                if solver.value(present):
                    placed[tv.task.id] = (staff_id, int(solver.value(start)))
        return placed

    def unmet_values(self, placed: dict[str, tuple[str, int]]) -> tuple[int, int]:
        mandatory = sum(c for c, tv in self.mandatory_terms if tv.task.id not in placed)
        optional = sum(c for c, tv in self.optional_terms if tv.task.id not in placed)
        return mandatory, optional


def _relate(
    m: cp_model.CpModel, a: cp_model.IntVar | int, b: cp_model.IntVar | int, op: str
) -> None:
    """``a <= b`` or ``a == b`` between presences, either of which may be a constant 0."""
    if isinstance(a, int) and isinstance(b, int):
        assert (a <= b) if op == "<=" else (a == b)
        return
    m.add(a <= b if op == "<=" else a == b)


def _lowest(var: cp_model.IntVar) -> int:
    return int(next(iter(var.proto.domain)))


def interval_plan(
    problem: PlanningProblem,
    deterministic_seconds: float,
    seed: int = 0,
    hint: dict[str, tuple[str, int]] | bool | None = None,
    time_limit_seconds: float = 600.0,
    linearization_level: int = 2,
) -> tuple[Plan, dict[str, object]]:
    """Solve ``problem`` with the interval model in one weighted solve.

    ``hint``: placements (task id -> staff id, start week) to start from; ``True`` for the
    greedy plan's; ``None``/``False`` for none. Returns the (unverified) plan and
    statistics: status, objective and bound in solver units and FTE-weeks, deterministic
    and wall seconds, model size.
    """
    began = time.perf_counter()
    model = IntervalModel(problem)
    built = time.perf_counter() - began
    if hint is True:
        from capacity.solver.greedy import greedy_plan

        greedy = greedy_plan(problem)
        hint = {a.task_id: (a.staff_id, a.start_week) for a in greedy.assignments}
    if hint:
        model.hint(hint)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = deterministic_seconds
    solver.parameters.max_time_in_seconds = time_limit_seconds
    solver.parameters.catch_sigint_signal = False
    solver.parameters.linearization_level = linearization_level
    status = solver.solve(model.model)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
        raise RuntimeError(f"interval model {solver.status_name(status)}")
    placed = model.placements(solver) if found else (hint or {})
    # Never worse than the hint (as production does).
    if hint and found and model.unmet_values(hint) < model.unmet_values(placed):
        placed = hint
    mandatory, optional = model.unmet_values(placed)
    bound = math.ceil(solver.best_objective_bound - 1e-6) if found else 0
    mandatory_bound = min(mandatory, max(0, bound // model.dominance))
    optional_bound = (
        min(optional, max(0, bound - model.dominance * mandatory))
        if mandatory_bound == mandatory
        else 0
    )
    proven = status == cp_model.OPTIMAL
    scale = model.scale
    seconds = time.perf_counter() - began
    report = SolverReport(
        status=SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE,
        unmet_mandatory_fte_weeks=scale.to_fte(mandatory),
        mandatory_bound_fte_weeks=scale.to_fte(mandatory_bound),
        weighted_unmet_optional=scale.weighted_to_fte(optional),
        weighted_optional_bound=scale.weighted_to_fte(optional_bound),
        runtime_seconds=round(seconds, 3),
        deterministic_seconds=round(solver.deterministic_time, 3),
        parameters={
            "solver": "CP-SAT interval model (benchmark prototype)",
            "deterministic_seconds": deterministic_seconds,
            "seed": seed,
            "hint": bool(hint),
        },
    )
    assignments, unmet = from_placements(problem, placed)
    plan = Plan(problem=problem, assignments=assignments, unmet=unmet, solver=report)
    stats: dict[str, object] = {
        "status": solver.status_name(status),
        "objective": solver.objective_value if found else None,
        "bound": solver.best_objective_bound if found else None,
        "dominance": model.dominance,
        "unmet_mandatory_fte_weeks": scale.to_fte(mandatory),
        "weighted_unmet_optional": scale.weighted_to_fte(optional),
        "weighted_optional_bound": scale.weighted_to_fte(optional_bound),
        "deterministic_seconds": solver.deterministic_time,
        "wall_seconds": seconds,
        "build_seconds": built,
        "intervals": sum(len(tv.options) for tv in model.vars.values()),
        "delivered_fte_weeks": plan.delivered_fte_weeks,
    }
    return plan, stats
