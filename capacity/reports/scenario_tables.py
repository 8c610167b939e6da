"""The scenario as tables, before any solving: who is in the team, what work there is,
and what each staffing option changes (for the notebook and anyone checking the data)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd

from capacity.domain.estimate import Estimate
from capacity.domain.scenario import Scenario


def team_table(scenario: Scenario) -> pd.DataFrame:
    """One row per member of the base team (before any option changes it).

    Columns: ``staff_id, name, role, fte, skills, grade, start, end, absences``;
    ``start`` and ``end`` are blank for a post that runs past the horizon's ends.
    """
    rows = [
        {
            "staff_id": member.id,
            "name": member.name,
            "role": member.role,
            "fte": member.fte,
            "skills": ", ".join(sorted(member.skills)),
            "grade": member.grade or "",
            "start": _day(member.contract_start),
            "end": _day(member.contract_end),
            "absences": "; ".join(f"{a.start} to {a.end}" for a in member.absences),
        }
        for member in scenario.team
    ]
    columns = ["staff_id", "name", "role", "fte", "skills", "grade", "start", "end", "absences"]
    return pd.DataFrame(rows, columns=columns)


def work_table(scenario: Scenario) -> pd.DataFrame:
    """One row per work item, with loads and durations as the scenario gives them (a range
    shows as ``low-high``; the plan uses the scenario's point of it, the midpoint by default).

    Columns: ``item_id, name, kind, mandatory, priority, load_fte, weeks, release,
    deadline, skill, after``. ``weeks`` is blank for work that runs its whole window.
    """
    rows = [
        {
            "item_id": item.id,
            "name": item.name,
            "kind": item.kind.value,
            "mandatory": item.mandatory,
            "priority": "" if item.mandatory else item.priority.value,
            "load_fte": _estimate(item.load),
            "weeks": _estimate(item.duration_weeks) if item.duration_weeks else "",
            "release": _day(item.release),
            "deadline": _day(item.deadline),
            "skill": item.required_skill or "",
            "after": ", ".join(a.item for a in item.after),
        }
        for item in scenario.work
    ]
    columns = [
        "item_id",
        "name",
        "kind",
        "mandatory",
        "priority",
        "load_fte",
        "weeks",
        "release",
        "deadline",
        "skill",
        "after",
    ]
    return pd.DataFrame(rows, columns=columns)


def options_table(scenario: Scenario) -> pd.DataFrame:
    """One row per staffing option: ``option_id, name, changes, source``."""
    rows = [
        {
            "option_id": option.id,
            "name": option.name,
            "changes": "; ".join(change.describe() for change in option.changes)
            or "none (the base team)",
            "source": option.provenance.text,
        }
        for option in scenario.options
    ]
    return pd.DataFrame(rows, columns=["option_id", "name", "changes", "source"])


def _day(day: date | None) -> str:
    return "" if day is None else day.isoformat()


def _estimate(estimate: Estimate) -> str:
    """``0.35-0.4`` or ``13``; durations given in months are shown to two places, not 28."""

    def shown(value: Decimal) -> str:
        return f"{value.quantize(Decimal('0.01')).normalize():f}"

    if estimate.is_range:
        return f"{shown(estimate.low)}-{shown(estimate.high)}"
    return shown(estimate.low)
