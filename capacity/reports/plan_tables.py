"""The tables of one plan: schedule, capacity, unmet work and a summary.

Functions return DataFrames or plain dicts; writing files is the caller's job.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd

from capacity.plan import Plan
from capacity.reports.comparison import work_by_year


def uk_date(day: date) -> str:
    """``1 Apr 2021``: how a date reads in a document."""
    return f"{day.day} {day:%b %Y}"


def schedule_table(plan: Plan) -> pd.DataFrame:
    """One row per assignment: ``item_id, staff_id, start, end, load_fte`` (``end`` exclusive)."""
    problem = plan.problem
    rows = [
        {
            "item_id": a.item_id,
            "task_id": a.task_id,
            "name": problem.task(a.task_id).name,
            "kind": problem.task(a.task_id).kind.value,
            "staff_id": a.staff_id,
            "start": a.start.isoformat(),
            "end": a.end.isoformat(),
            "weeks": a.end_week - a.start_week,
            "load_fte": a.load_fte,
            "fte_weeks": a.fte_weeks,
            "mandatory": problem.task(a.task_id).mandatory,
        }
        for a in sorted(plan.assignments, key=lambda a: (a.start, a.staff_id, a.task_id))
    ]
    columns = [
        "item_id",
        "staff_id",
        "start",
        "end",
        "load_fte",
        "task_id",
        "name",
        "kind",
        "weeks",
        "fte_weeks",
        "mandatory",
    ]
    return pd.DataFrame(rows, columns=columns)


def capacity_table(plan: Plan) -> pd.DataFrame:
    """What each person can give each week under the option, and what the plan books."""
    problem = plan.problem
    rows = []
    for member in problem.staff:
        booked = plan.load_by_week(member.id)
        for week, start in enumerate(problem.week_starts):
            rows.append(
                {
                    "staff_id": member.id,
                    "week_start": start.isoformat(),
                    "capacity_fte": problem.capacity[member.id][week],
                    "booked_fte": booked[week],
                }
            )
    return pd.DataFrame(rows, columns=["staff_id", "week_start", "capacity_fte", "booked_fte"])


def unmet_table(plan: Plan) -> pd.DataFrame:
    """One row per unmet task: ``item_id, demand_fte_weeks, mandatory, reason``."""
    problem = plan.problem
    rows = [
        {
            "item_id": u.item_id,
            "task_id": u.task_id,
            "name": problem.task(u.task_id).name,
            "demand_fte_weeks": u.demand_fte_weeks,
            "mandatory": u.mandatory,
            "reason": u.reason,
        }
        for u in sorted(plan.unmet, key=lambda u: (not u.mandatory, u.task_id))
    ]
    columns = ["item_id", "demand_fte_weeks", "mandatory", "reason", "task_id", "name"]
    return pd.DataFrame(rows, columns=columns)


def not_delivered_table(plan: Plan) -> pd.DataFrame:
    """The work a plan leaves undone, one row per piece of work, for a document beside the
    Gantt chart (which draws only what is delivered).

    Columns: ``name, kind, mandatory, not_delivered_fte_weeks, demand_fte_weeks,
    share_not_delivered, window, reason, item_id``: ``window`` is when the work could
    have run (``1 Apr 2021 to 31 Mar 2022``, the earliest start to the last day of the
    latest end of its unmet parts), ``reason`` the first unmet part's. Mandatory work
    first, then the most not delivered; the id is last, beside the name for a CSV.
    """
    problem = plan.problem
    demand: dict[str, Decimal] = defaultdict(Decimal)
    for task in problem.tasks:
        demand[task.item_id] += task.demand_fte_weeks
    rows: dict[str, dict[str, Any]] = {}
    windows: dict[str, tuple[int, int]] = {}
    for u in plan.unmet:
        task = problem.task(u.task_id)
        row = rows.setdefault(
            u.item_id,
            {
                "name": problem.item_name(u.item_id),
                "kind": task.kind.value,
                "mandatory": u.mandatory,
                "not_delivered_fte_weeks": Decimal(0),
                "demand_fte_weeks": demand[u.item_id],
                "reason": u.reason,
                "item_id": u.item_id,
            },
        )
        row["not_delivered_fte_weeks"] += u.demand_fte_weeks
        row["mandatory"] = row["mandatory"] or u.mandatory
        first, last = windows.get(u.item_id, (task.earliest_start, task.latest_end))
        windows[u.item_id] = (min(first, task.earliest_start), max(last, task.latest_end))
    for item_id, row in rows.items():
        first, end = windows[item_id]
        first = min(first, problem.n_weeks - 1)
        end = max(first + 1, min(end, problem.n_weeks))
        last_day = problem.week_end(end - 1) - timedelta(days=1)
        row["window"] = f"{uk_date(problem.week_starts[first])} to {uk_date(last_day)}"
        row["share_not_delivered"] = (
            row["not_delivered_fte_weeks"] / row["demand_fte_weeks"]
            if row["demand_fte_weeks"]
            else Decimal(0)
        )
    columns = [
        "name",
        "kind",
        "mandatory",
        "not_delivered_fte_weeks",
        "demand_fte_weeks",
        "share_not_delivered",
        "window",
        "reason",
        "item_id",
    ]
    table = pd.DataFrame(list(rows.values()), columns=columns)
    return table.sort_values(
        ["mandatory", "not_delivered_fte_weeks", "name"],
        ascending=[False, False, True],
        kind="stable",
        ignore_index=True,
    )


def plan_summary(plan: Plan) -> dict[str, Any]:
    """The headline figures of a plan, as JSON-ready values."""
    problem = plan.problem
    solver = plan.solver
    horizon = problem.scenario.horizon
    return {
        "scenario": problem.scenario.name,
        "scenario_file": problem.scenario.source_file,
        "option": problem.option_id,
        "option_name": problem.option_name,
        "horizon": {
            "start": horizon.start.isoformat(),
            "end": horizon.end.isoformat(),
            "weeks_planned": problem.n_weeks,
            "days_not_planned": problem.unplanned_days,
        },
        "point_rule": problem.point_rule.value,
        "solver": {
            "status": solver.status.value,
            "objective": {
                "unmet_mandatory_fte_weeks": _num(solver.unmet_mandatory_fte_weeks),
                "weighted_unmet_optional_fte_weeks": _num(solver.weighted_unmet_optional),
            },
            "bound": {
                "unmet_mandatory_fte_weeks": _num(solver.mandatory_bound_fte_weeks),
                "weighted_unmet_optional_fte_weeks": _num(solver.weighted_optional_bound),
            },
            "gap": _num(solver.gap),
            "parameters": solver.parameters,
        },
        "verified": True,
        "demand_fte_weeks": _num(problem.total_demand_fte_weeks),
        "delivered_fte_weeks": _num(plan.delivered_fte_weeks),
        "unmet_fte_weeks": _num(plan.unmet_fte_weeks),
        "unmet_mandatory_fte_weeks": _num(plan.unmet_mandatory_fte_weeks),
        "mandatory_delivered": plan.mandatory_delivered,
        "by_financial_year": {
            label: {"delivered_fte_weeks": _num(done), "unmet_fte_weeks": _num(undone)}
            for label, (done, undone) in work_by_year(plan).items()
        },
        "utilisation": {
            m.id: {"mean": _num(mean), "peak": _num(peak)}
            for m in problem.staff
            for mean, peak in [plan.utilisation(m.id)]
        },
    }


def _num(value: Decimal) -> float:
    return float(round(value, 4))
