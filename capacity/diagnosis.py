"""Why a task is unmet, in words a commissioning manager understands.

Reads a (verified) plan and its problem; never solves. The reasons are
checked from the most basic (nobody could ever do it) to the most
circumstantial (the time it needs went to other work), and the first that
holds is reported.

It scales with the plan: what every reason reads (each person's capacity left
beside mandatory work, who works when, the links between tasks) is worked out
once, and each answer about a window of weeks is kept for the next task with
the same window, skill and load, which on real data is most of them (the months
of ongoing work, copies of the same kind of item). Past a deadline, the tasks
not yet explained get a quick reason that reads nothing but the task and its
links, so a run's time limit also bounds its diagnosis.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from capacity.domain.load import fitting_starts, weekly_load
from capacity.domain.options import AddPost
from capacity.domain.problem import PlanningProblem, Task
from capacity.domain.team import StaffMember
from capacity.plan import Assignment, Plan


def explain_unmet(plan: Plan, deadline: float | None = None) -> dict[str, str]:
    """A reason for every unmet task, keyed by task id.

    Parameters
    ----------
    plan
        A verified plan.
    deadline
        A :func:`time.perf_counter` time; tasks not yet explained by then get a
        quick reason (see :meth:`Diagnosis.quick_reason`). None: no limit.
    """
    return Diagnosis(plan).reasons(deadline)


Window = tuple[str | None, tuple[str, ...], int, int]
"""(skill needed, the only people who may do it, first week, end week): who and when."""


class Diagnosis:
    """The reasons for one plan's unmet tasks, and the facts they are read from.

    ``capacity_checks`` counts the person-weeks and bookings examined so far: the
    diagnosis's work, which grows with the size of the plan, not with its square.
    """

    def __init__(self, plan: Plan):
        self.plan = plan
        self.problem = problem = plan.problem
        self.done = {a.task_id for a in plan.assignments}
        self.capacity_checks = 0
        mandatory = [a for a in plan.assignments if problem.task(a.task_id).mandatory]
        booked = weekly_load((a.booking for a in mandatory), problem.n_weeks)
        self.free_beside_mandatory = {
            staff_id: [c - b for c, b in zip(capacity, booked[staff_id], strict=True)]
            if staff_id in booked
            else list(capacity)
            for staff_id, capacity in problem.capacity.items()
        }
        self.work_of: dict[str, list[tuple[Assignment, str, bool]]] = defaultdict(list)
        for a in plan.assignments:
            task = problem.task(a.task_id)
            # the item's name: a month or stint of ongoing work is named after its item
            self.work_of[a.staff_id].append((a, problem.item_name(a.item_id), task.mandatory))
        self._in_post: dict[Window, list[StaffMember]] = {}
        self._most: dict[Window, Decimal] = {}
        self._fits: dict[tuple[Window, Decimal, int, bool], bool] = {}
        self._competitors: dict[tuple[Window, bool], str] = {}

    def reasons(self, deadline: float | None = None) -> dict[str, str]:
        """A reason for every unmet task, keyed by task id (see :func:`explain_unmet`)."""
        found = {}
        for unmet in self.plan.unmet:
            task = self.problem.task(unmet.task_id)
            late = deadline is not None and time.perf_counter() > deadline
            found[task.id] = self.quick_reason(task) if late else self.reason(task)
        return found

    def reason(self, task: Task) -> str:
        """Why the task is unmet: the first reason that holds, most basic first."""
        problem = self.problem
        impossible = self._never_possible(task)
        if impossible:
            return impossible
        partners = self._partners(task)
        for partner, relation in partners:
            partner_impossible = self._never_possible(partner)
            if partner_impossible:
                return (
                    f"{relation} '{partner.name}', which can never be delivered: "
                    f"{partner_impossible}"
                )
        undone = self._undone_dependency(task)
        if undone:
            return undone
        window = _window_text(problem, task)
        in_post = self._in_post_for(task)
        together = "".join(
            f"; it needs room for '{p.name}' ({p.load:.2f} FTE for {p.duration} weeks) as well"
            for p, _ in partners
        )
        who = _who(task)
        if task.mandatory or not self._fits_someone(task, in_post, beside_mandatory=True):
            competitors = self._competitors_for(task, in_post, mandatory=True)
            return f"{who} fully booked {window} on other mandatory work: {competitors}{together}"
        competitors = self._competitors_for(task, in_post, mandatory=False)
        return (
            f"{who} fully booked {window} on work that matters more or is larger: "
            f"{competitors}{together} (the plan delivers as much work as it can, weighted by "
            "priority)"
        )

    def quick_reason(self, task: Task) -> str:
        """A reason read from the task and its links alone, for when time has run out."""
        window = _window_text(self.problem, task)
        if task.window_weeks < task.duration:
            return _too_short(task, window)
        undone = self._undone_dependency(task)
        if undone:
            return undone
        return (
            f"not delivered {window}; the run's time limit ended before the reason could be "
            "worked out (a longer --time-limit gives it)"
        )

    # -- the reasons ---------------------------------------------------------------

    def _never_possible(self, task: Task) -> str | None:
        """Why no plan at all could deliver the task on its own, or ``None``."""
        window = _window_text(self.problem, task)
        if task.window_weeks < task.duration:
            return _too_short(task, window)
        in_post = self._in_post_for(task)
        if not in_post:
            if task.owner_fixed:
                scenario = self.problem.scenario
                added = [
                    c.member for o in scenario.options for c in o.changes if isinstance(c, AddPost)
                ]
                names = {m.id: m.name for m in (*scenario.team, *added)}  # any option's posts
                owners = " or ".join(names[o] for o in task.owners)
                return f"only its owners may do it, and {owners} is not in post {window}"
            who = f" with the skill '{task.required_skill}'" if task.required_skill else ""
            return f"no one{who} is in post {window}"
        most = self._most_for(task, in_post)
        if most < task.load:
            return (
                f"needs {task.load:.2f} FTE a week, more than anyone who can do it has "
                f"(at most {most:.2f} FTE after leave and sickness)"
            )
        if not self._fits_someone(task, in_post, beside_mandatory=False):
            return (
                f"no one who can do it has {task.load:.2f} FTE free for {task.duration} weeks "
                f"in a row {window} (posts ending or starting, induction or absences)"
            )
        return None

    def _undone_dependency(self, task: Task) -> str | None:
        for dependency, rule in _dependencies(task):
            if dependency not in self.done:
                name = self.problem.task(dependency).name
                return f"it {rule} '{name}', which is not delivered"
        return None

    def _partners(self, task: Task) -> list[tuple[Task, str]]:
        """Tasks that must be done exactly when this one is, with how they are tied to it."""
        partners = self.problem.links.partners.get(task.id, ())
        return [(self.problem.task(p), "it comes with") for p in partners]

    # -- facts about a window, each worked out once ---------------------------------

    def _in_post_for(self, task: Task) -> list[StaffMember]:
        """Staff with the skill who have some capacity in the task's window."""
        key = _window(task)
        if key not in self._in_post:
            weeks = _weeks(task)
            skilled = self.problem.skilled(task)
            self.capacity_checks += len(skilled) * len(weeks)
            self._in_post[key] = [
                m for m in skilled if any(self.problem.capacity[m.id][w] > 0 for w in weeks)
            ]
        return self._in_post[key]

    def _most_for(self, task: Task, in_post: list[StaffMember]) -> Decimal:
        """The most any eligible person can give in one week of the task's window."""
        key = _window(task)
        if key not in self._most:
            weeks = _weeks(task)
            self.capacity_checks += len(in_post) * len(weeks)
            self._most[key] = max(
                max(self.problem.capacity[m.id][w] for w in weeks) for m in in_post
            )
        return self._most[key]

    def _fits_someone(self, task: Task, in_post: list[StaffMember], beside_mandatory: bool) -> bool:
        """Whether some eligible person has room for the whole task at some start in its
        window: in their capacity, or in what mandatory work leaves of it."""
        key = (_window(task), task.load, task.duration, beside_mandatory)
        if key not in self._fits:
            self._fits[key] = False
            for member in in_post:
                free = (
                    self.free_beside_mandatory[member.id]
                    if beside_mandatory
                    else self.problem.capacity[member.id]
                )
                self.capacity_checks += task.window_weeks
                starts = fitting_starts(
                    free, task.load, task.earliest_start, task.latest_end, task.duration
                )
                if starts:
                    self._fits[key] = True
                    break
        return self._fits[key]

    def _competitors_for(self, task: Task, staff: list[StaffMember], mandatory: bool) -> str:
        """The items using most of the eligible people's time in the task's window."""
        key = (_window(task), mandatory)
        if key not in self._competitors:
            use: dict[str, Decimal] = defaultdict(Decimal)
            for member in staff:
                work = self.work_of.get(member.id, [])
                self.capacity_checks += len(work)
                for a, name, is_mandatory in work:
                    if mandatory and not is_mandatory:
                        continue
                    overlap = min(a.end_week, task.latest_end) - max(
                        a.start_week, task.earliest_start
                    )
                    if overlap > 0:
                        use[name] += a.load_fte * overlap
            top = [f"'{name}'" for name, _ in sorted(use.items(), key=lambda kv: (-kv[1], kv[0]))]
            self._competitors[key] = _listed(top[:3]) or "other work"
        return self._competitors[key]


def _window(task: Task) -> Window:
    only = task.owners if task.owner_fixed else ()
    return task.required_skill, only, task.earliest_start, task.latest_end


def _weeks(task: Task) -> range:
    return range(task.earliest_start, task.latest_end)


def _too_short(task: Task, window: str) -> str:
    return (
        f"needs {task.duration} weeks but its window ({window}) has only "
        f"{task.window_weeks} whole weeks"
    )


def _window_text(problem: PlanningProblem, task: Task) -> str:
    if task.window_weeks <= 0:
        return "an empty window"
    first = problem.week_starts[task.earliest_start]
    last = problem.week_end(task.latest_end - 1) - timedelta(days=1)
    return f"between {first:%d %b %Y} and {last:%d %b %Y}"


def _dependencies(task: Task) -> list[tuple[str, str]]:
    """The tasks this one needs done, with how it is tied to each (``it <rule> 'name'``)."""
    deps = [(item, "must follow") for item, _ in task.after]
    if task.alongside:
        deps.append((task.alongside, "runs alongside"))
    if task.committed_to:
        deps.append((task.committed_to, "comes with"))
    return deps


def _who(task: Task) -> str:
    """Who could do the task, as the subject of a sentence."""
    if task.owner_fixed:
        return "its owners are"
    if task.required_skill:
        return f"the people with the skill '{task.required_skill}' are"
    return "the people who can do it are"


def _listed(names: list[str]) -> str:
    """``'a', 'b' and 'c'``."""
    return (
        names[0]
        if len(names) == 1
        else ", ".join(names[:-1]) + " and " + names[-1]
        if names
        else ""
    )
