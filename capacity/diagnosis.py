"""Why a task is unmet, in words a commissioning manager understands.

Reads a (verified) plan and its problem; never solves. The reasons are
checked from the most basic (nobody could ever do it) to the most
circumstantial (the time it needs went to other work), and the first that
holds is reported.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from capacity.domain.problem import PlanningProblem, Task
from capacity.domain.team import StaffMember
from capacity.plan import Plan


def explain_unmet(plan: Plan) -> dict[str, str]:
    """A reason for every unmet task, keyed by task id."""
    problem = plan.problem
    done = {a.task_id for a in plan.assignments}
    return {u.task_id: _reason(problem, plan, problem.task(u.task_id), done) for u in plan.unmet}


def _reason(problem: PlanningProblem, plan: Plan, task: Task, done: set[str]) -> str:
    impossible = _never_possible(problem, task)
    if impossible:
        return impossible
    for partner, relation in _partners(problem, task):
        partner_impossible = _never_possible(problem, partner)
        if partner_impossible:
            return (
                f"{relation} '{partner.name}', which can never be delivered: {partner_impossible}"
            )
    for dependency, rule in _dependencies(task):
        if dependency not in done:
            name = problem.task(dependency).name
            return f"depends on '{name}' ({rule}), which is not delivered"
    window = _window_text(problem, task)
    in_post = _in_post(problem, task)
    together = "".join(
        f"; it needs room for '{p.name}' ({p.load:.2f} FTE for {p.duration} weeks) as well"
        for p, _ in _partners(problem, task)
    )
    mandatory_only = _booked(plan, mandatory_only=True)
    fits_beside_mandatory = any(
        _fits(problem.capacity[m.id], task, mandatory_only[m.id]) for m in in_post
    )
    if task.mandatory or not fits_beside_mandatory:
        competitors = _competitors(problem, plan, task, in_post, mandatory=True)
        return f"capacity {window} is taken by other mandatory work ({competitors}){together}"
    competitors = _competitors(problem, plan, task, in_post, mandatory=False)
    return (
        f"capacity {window} went to work of higher priority or larger size "
        f"({competitors}){together}; the plan delivers the most priority-weighted work"
    )


def _never_possible(problem: PlanningProblem, task: Task) -> str | None:
    """Why no plan at all could deliver the task on its own, or ``None``."""
    window = _window_text(problem, task)
    if task.window_weeks < task.duration:
        return (
            f"needs {task.duration} weeks but its window ({window}) has only "
            f"{task.window_weeks} whole weeks"
        )
    in_post = _in_post(problem, task)
    if not in_post:
        who = f" with the skill '{task.required_skill}'" if task.required_skill else ""
        return f"no one{who} is in post {window}"
    most = max(max(problem.capacity[m.id][w] for w in _weeks(task)) for m in in_post)
    if most < task.load:
        return (
            f"needs {task.load:.2f} FTE a week, more than any eligible person can give "
            f"(at most {most:.2f} FTE after leave and sickness)"
        )
    if not any(_fits(problem.capacity[m.id], task, None) for m in in_post):
        return (
            f"no eligible person has {task.load:.2f} FTE free for {task.duration} weeks in a row "
            f"{window} (posts ending or starting, induction or absences)"
        )
    return None


def _in_post(problem: PlanningProblem, task: Task) -> list[StaffMember]:
    """Staff with the skill who have some capacity in the task's window."""
    return [
        m for m in problem.skilled(task) if any(problem.capacity[m.id][w] > 0 for w in _weeks(task))
    ]


def _partners(problem: PlanningProblem, task: Task) -> list[tuple[Task, str]]:
    """Tasks that must be done exactly when this one is, with how they are tied to it."""
    ties = {task.committed_to, task.alongside}
    return [
        (other, "it comes with")
        for other in problem.tasks
        if other.id in ties or task.id in (other.committed_to, other.alongside)
    ]


def _weeks(task: Task) -> range:
    return range(task.earliest_start, task.latest_end)


def _window_text(problem: PlanningProblem, task: Task) -> str:
    if task.window_weeks <= 0:
        return "an empty window"
    first = problem.week_starts[task.earliest_start]
    last = problem.week_end(task.latest_end - 1) - timedelta(days=1)
    return f"between {first:%d %b %Y} and {last:%d %b %Y}"


def _fits(capacity: tuple[Decimal, ...], task: Task, booked: list[Decimal] | None) -> bool:
    """Whether some start in the window leaves room for the task every week."""
    free = (
        list(capacity) if booked is None else [c - b for c, b in zip(capacity, booked, strict=True)]
    )
    return any(
        all(free[w] >= task.load for w in range(s, s + task.duration))
        for s in range(task.earliest_start, task.latest_end - task.duration + 1)
    )


def _dependencies(task: Task) -> list[tuple[str, str]]:
    deps = [(item, "must follow it") for item, _ in task.after]
    if task.alongside:
        deps.append((task.alongside, "runs alongside it"))
    if task.committed_to:
        deps.append((task.committed_to, "comes with it"))
    return deps


def _booked(plan: Plan, mandatory_only: bool = False) -> dict[str, list[Decimal]]:
    problem = plan.problem
    load: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * problem.n_weeks)
    for a in plan.assignments:
        if mandatory_only and not problem.task(a.task_id).mandatory:
            continue
        for week in range(a.start_week, a.end_week):
            load[a.staff_id][week] += a.load_fte
    return load


def _competitors(
    problem: PlanningProblem, plan: Plan, task: Task, staff: list[StaffMember], mandatory: bool
) -> str:
    """The items using most of the eligible people's time in the task's window."""
    ids = {m.id for m in staff}
    use: dict[str, Decimal] = defaultdict(Decimal)
    for a in plan.assignments:
        if a.staff_id not in ids or (mandatory and not problem.task(a.task_id).mandatory):
            continue
        overlap = min(a.end_week, task.latest_end) - max(a.start_week, task.earliest_start)
        if overlap > 0:
            use[problem.task(a.task_id).name.split(" (")[0]] += a.load_fte * overlap
    top = sorted(use.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    return ", ".join(name for name, _ in top) or "other work"
