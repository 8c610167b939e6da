"""The tables of one plan: schedule, capacity, unmet work and a summary.

Functions return DataFrames or plain dicts; writing files is the caller's job.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd

from capacity.plan import Plan
from capacity.reports.comparison import work_by_year


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
