"""How a problem's tasks are tied to each other, worked out once.

Three kinds of link come from the scenario (:class:`capacity.domain.work.WorkItem`):

- ``after``: a task may start only once the task it comes after has ended,
  plus a lag, and is done only if that task is;
- ``alongside``: done exactly when its partner is, starting the same week;
- ``with`` (``committed_to``): done exactly when its partner is (a won bid
  must be delivered);

and one from the work's shape: the stints of work given as effort that comes
whole (:attr:`capacity.domain.work.WorkItem.whole`) are done all or none, a bundle.

Every planner (greedy, CP-SAT, the neighbourhood search) and the diagnosis
read these from :class:`TaskLinks`, computed once per problem
(:attr:`capacity.domain.problem.PlanningProblem.links`). The scenario's own
validation, which refuses cycles, works on work items and keeps its own check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from capacity.domain.problem import Task


@dataclass(frozen=True)
class TaskLinks:
    """The link graph of a problem's tasks.

    Parameters
    ----------
    predecessors
        Task id -> (id of the task it comes after, lag in weeks), as the task states them.
    successors
        Task id -> (id of a task that comes after it, lag in weeks), in the tasks' order.
    partners
        Task id -> ids of the tasks that must be done exactly when it is (``alongside``
        or ``with``, stated by either side), in the tasks' order.
    bundle_of
        Task id -> the id of its bundle: the tasks done all or none (partners of
        partners, and so on), named by one member's id.
    bundles
        Each bundle's task ids, in the tasks' order; bundles in order of their first task.
    """

    predecessors: dict[str, tuple[tuple[str, int], ...]]
    successors: dict[str, tuple[tuple[str, int], ...]]
    partners: dict[str, tuple[str, ...]]
    bundle_of: dict[str, str]
    bundles: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, tasks: Sequence[Task]) -> TaskLinks:
        """The links of ``tasks`` (a problem's tasks, in its order)."""
        position = {task.id: index for index, task in enumerate(tasks)}
        successors: dict[str, list[tuple[str, int]]] = {}
        partners: dict[str, set[str]] = {}
        for task in tasks:
            for predecessor, lag in task.after:
                successors.setdefault(predecessor, []).append((task.id, lag))
            for partner in (task.alongside, task.committed_to):
                if partner is not None:
                    partners.setdefault(task.id, set()).add(partner)
                    partners.setdefault(partner, set()).add(task.id)
        bundle_of = _bundle_ids(tasks)
        members: dict[str, list[str]] = {}
        for task in tasks:
            members.setdefault(bundle_of[task.id], []).append(task.id)
        return cls(
            predecessors={task.id: task.after for task in tasks},
            successors={t: tuple(s) for t, s in successors.items()},
            partners={
                t: tuple(sorted(p, key=lambda x: position.get(x, len(position))))
                for t, p in partners.items()
            },
            bundle_of=bundle_of,
            bundles=tuple(tuple(ids) for ids in members.values()),
        )

    def linked(self, task_id: str) -> bool:
        """Whether any link ties the task to another, either way."""
        return bool(
            self.predecessors.get(task_id) or task_id in self.successors or task_id in self.partners
        )


def _bundle_ids(tasks: Sequence[Task]) -> dict[str, str]:
    """Union of tasks linked by ``alongside`` or ``with``; each named by a member's id."""
    parent = {task.id: task.id for task in tasks}

    def root(task_id: str) -> str:
        while parent[task_id] != task_id:
            parent[task_id] = parent[parent[task_id]]
            task_id = parent[task_id]
        return task_id

    first_stint: dict[str, str] = {}
    for task in tasks:
        for partner in (task.alongside, task.committed_to):
            if partner is not None:
                parent[root(task.id)] = root(partner)
        if task.effort is not None and task.effort.whole:
            # The stints of work that comes whole are done all or none.
            first = first_stint.setdefault(task.item_id, task.id)
            parent[root(task.id)] = root(first)
    return {task.id: root(task.id) for task in tasks}
