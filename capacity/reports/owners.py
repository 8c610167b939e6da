"""Owned work the plan moves away from its owners (``assigned_to`` with ``owner: preferred``).

The plan keeps owned work with its owners unless that would leave work undone
(a tie-break of the solver); this report says each time it does not.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pandas as pd

from capacity.domain.options import AddPost
from capacity.plan import Plan
from capacity.reports.figures import format_fte_weeks

COLUMNS = ["item_id", "item", "owner", "done_by", "weeks", "fte_weeks", "owner_ids", "staff_id"]


def moved_from_owner_table(plan: Plan) -> pd.DataFrame:
    """One row per owned item and person not its owner who does part of it.

    Columns: ``item_id``, ``item`` (its name), ``owner`` and ``done_by`` (people's
    names), ``weeks`` and ``fte_weeks`` the non-owner carries, and the ids behind
    the names (``owner_ids``, ``staff_id``). Empty when nothing moves.
    """
    problem = plan.problem
    scenario = problem.scenario
    added = [c.member for o in scenario.options for c in o.changes if isinstance(c, AddPost)]
    # Every post of every option: an owner may be out of the team under this one.
    names = {m.id: m.name for m in (*scenario.team, *added, *problem.staff)}
    items = {w.id: w for w in problem.scenario.work}
    moved: dict[tuple[str, str], list[int | Decimal]] = defaultdict(lambda: [0, Decimal(0)])
    for a in plan.assignments:
        owners = problem.task(a.task_id).owners
        if owners and a.staff_id not in owners:
            total = moved[a.item_id, a.staff_id]
            total[0] = int(total[0]) + a.end_week - a.start_week
            total[1] = Decimal(total[1]) + a.fte_weeks
    order = {w.id: i for i, w in enumerate(problem.scenario.work)}
    rows = []
    for (item_id, staff_id), (weeks, fte_weeks) in sorted(
        moved.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])
    ):
        owners = items[item_id].assigned_to
        rows.append(
            {
                "item_id": item_id,
                "item": items[item_id].name,
                "owner": " and ".join(_name(names, o) for o in owners),
                "done_by": _name(names, staff_id),
                "weeks": weeks,
                "fte_weeks": fte_weeks,
                "owner_ids": " ".join(owners),
                "staff_id": staff_id,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def moved_from_owner_text(plan: Plan) -> list[str]:
    """Each move in a sentence: "Portfolio CCE moves from Project Lead to Commissioning
    Officer for 12 weeks (1.2 FTE-weeks)." Empty when nothing moves."""
    return [
        f"{row.item} moves from {row.owner} to {row.done_by} for {row.weeks} "
        f"week{'s' if row.weeks != 1 else ''} ({format_fte_weeks(row.fte_weeks)} FTE-weeks)."
        for row in moved_from_owner_table(plan).itertuples()
    ]


def _name(names: dict[str, str], staff_id: str) -> str:
    return names[staff_id]
