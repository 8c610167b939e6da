"""Independent check of a plan against the scenario alone.

It rebuilds the option's planning problem from the scenario (it does not
trust the problem the plan carries), then re-checks every rule the solver is
meant to respect. It never imports the solver: a bug in the model cannot
hide a bug here. Every plan passes :func:`check_plan` before it is reported.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from capacity.domain.problem import PlanningProblem, build_problem
from capacity.domain.scenario import Scenario
from capacity.errors import PlanInvalid
from capacity.plan import Plan


def verify(scenario: Scenario, plan: Plan) -> list[str]:
    """Every rule the plan breaks, in words; empty when the plan is valid.

    Parameters
    ----------
    scenario
        The scenario the plan claims to solve.
    plan
        The plan to check.
    """
    problem = build_problem(scenario, plan.option_id, plan.problem.point_rule)
    problems: list[str] = []
    if plan.problem != problem:
        # Reports read the plan's own problem, so it must be the scenario's, unaltered.
        problems.append(
            "the plan carries a problem (team, capacity or tasks) that differs from the scenario's"
        )
    problems += _check_assignments(problem, plan)
    problems += _check_capacity(problem, plan)
    problems += _check_dependencies(problem, plan)
    problems += _check_unmet_accounting(problem, plan)
    return problems


def check_plan(scenario: Scenario, plan: Plan) -> Plan:
    """Return the plan if it is valid; raise :class:`PlanInvalid` otherwise."""
    violations = verify(scenario, plan)
    if violations:
        raise PlanInvalid(plan.option_id, violations)
    return plan


def _check_assignments(problem: PlanningProblem, plan: Plan) -> list[str]:
    found: list[str] = []
    tasks = {t.id: t for t in problem.tasks}
    staff = {m.id: m for m in problem.staff}
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
            found.append(f"{where}: {a.staff_id} is not in the team under {problem.option_id}")
        elif task.required_skill and task.required_skill not in member.skills:
            found.append(f"{where}: needs skill {task.required_skill!r}, which {a.staff_id} lacks")
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
        if 0 <= a.start_week < problem.n_weeks and a.start != problem.week_starts[a.start_week]:
            found.append(f"{where}: start date {a.start} is not week {a.start_week}'s")
        if 0 < a.end_week <= problem.n_weeks and a.end != problem.week_end(a.end_week - 1):
            found.append(f"{where}: end date {a.end} does not match week {a.end_week}")
        if a.start_week < 0 or a.end_week > problem.n_weeks:
            found.append(f"{where}: outside the horizon (weeks 0-{problem.n_weeks - 1})")
    return found


def _check_capacity(problem: PlanningProblem, plan: Plan) -> list[str]:
    found: list[str] = []
    load: dict[tuple[str, int], Decimal] = {}
    for a in plan.assignments:
        for week in range(max(0, a.start_week), min(problem.n_weeks, a.end_week)):
            load[a.staff_id, week] = load.get((a.staff_id, week), Decimal(0)) + a.load_fte
    for (staff_id, week), booked in sorted(load.items()):
        capacity = problem.capacity.get(staff_id)
        if capacity is None:
            continue  # reported as an unknown person above
        if booked > capacity[week]:
            found.append(
                f"{staff_id} week {week} ({problem.week_starts[week]}): booked {booked} FTE, "
                f"capacity {capacity[week]}"
            )
    return found


def _check_dependencies(problem: PlanningProblem, plan: Plan) -> list[str]:
    found: list[str] = []
    done = {a.task_id: a for a in plan.assignments}
    for task in problem.tasks:
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


def _check_unmet_accounting(problem: PlanningProblem, plan: Plan) -> list[str]:
    found: list[str] = []
    done = {a.task_id for a in plan.assignments}
    reported = {u.task_id: u for u in plan.unmet}
    for task in problem.tasks:
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
    extra = set(reported) - {t.id for t in problem.tasks}
    found += [f"{task_id}: reported unmet but is not a task" for task_id in sorted(extra)]
    total = plan.delivered_fte_weeks + plan.unmet_fte_weeks
    if not found and total != problem.total_demand_fte_weeks:
        found.append(
            f"delivered {plan.delivered_fte_weeks} + unmet {plan.unmet_fte_weeks} FTE-weeks "
            f"!= total demand {problem.total_demand_fte_weeks}"
        )
    if plan.solver.unmet_mandatory_fte_weeks != plan.unmet_mandatory_fte_weeks:
        found.append(
            f"solver reports {plan.solver.unmet_mandatory_fte_weeks} mandatory FTE-weeks unmet, "
            f"the plan has {plan.unmet_mandatory_fte_weeks}"
        )
    return found
