"""What changed between two scenarios, in finance's terms: staff, options, work, assumptions.

Compares the validated domain objects (:class:`capacity.domain.scenario.Scenario`), not
the files' text, so a what-if (``extends:`` with ``changes:``) compares with its base as
the planner sees it, and a workbook with a YAML file. Things are matched by id and
shown by name; each changed field is a row. Report functions return DataFrames and never
print; :func:`scenario_diff_text` lays the table out for the terminal.
"""

from __future__ import annotations

import dataclasses
import re
import textwrap
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

import pandas as pd

from capacity.domain.estimate import Estimate
from capacity.domain.options import AddPost, EndPost, ExtendPost, StaffingOption, TeamChange
from capacity.domain.scenario import Scenario
from capacity.domain.team import Absence, Induction, StaffMember
from capacity.domain.work import After, WorkItem
from capacity.finance import format_money, option_cost
from capacity.reports.figures import format_fte_weeks

COLUMNS = ["area", "id", "name", "what", "before", "after"]
"""``area`` groups the rows (Staff, Options, Work, ...); ``id`` and ``name`` say which
thing; ``what`` is the field that changed, or ``added`` / ``removed``; ``before`` and
``after`` are the values as text (blank where the thing does not exist)."""

AREAS = [
    "Scenario",
    "Planning period",
    "Assumptions",
    "Staff",
    "Options",
    "Costs",
    "Work",
    "Pay",
    "Risk study",
]
"""The order the areas are listed in."""

LABELS = {
    "fte": "FTE",
    "contract_start": "in post from",
    "contract_end": "in post until",
    "grade": "pay grade",
    "absences": "absences",
    "induction": "induction",
    "skills": "skills",
    "recruitment_gap_weeks": "recruitment gap (weeks)",
    "load": "load (FTE a week)",
    "duration_weeks": "duration (weeks)",
    "release": "earliest start",
    "deadline": "deadline",
    "required_skill": "skill needed",
    "after": "follows",
    "alongside": "runs alongside",
    "committed_to": "comes with",
    "handover": "may pass between people",
    "win_probability": "chance of winning",
    "partner_share": "partners' share",
    "assigned_to": "owned by",
    "owner": "ownership",
    "effort": "effort (FTE-weeks)",
    "stint_weeks": "stint length (weeks)",
    "max_load": "most FTE a week",
    "max_people": "most people sharing it",
    "min_share": "least share per person (FTE-weeks)",
    "partial": "part delivery counts",
    "availability": "share of time available",
    "point_rule": "point of each range planned with",
    "start": "start",
    "end": "end",
    "annual_salary": "annual salary",
    "rule": "pro-rata rule",
    "award": "pay award",
    "on_costs": "on-costs",
    "employer_ni_percent": "employer NI (%)",
    "pension_percent": "pension (%)",
    "percent": "percent",
    "effective": "from",
}

MONEY_FIELDS = {"annual_salary", "value"}
REFERENCE_FIELDS = {"assigned_to", "alongside", "committed_to"}
"""Fields whose values are ids of staff or work, shown by name."""


def scenario_diff(before: Scenario, after: Scenario) -> pd.DataFrame:
    """Every difference from ``before`` to ``after``, a row each (see :data:`COLUMNS`).

    Parameters
    ----------
    before
        The base scenario (e.g. the one a what-if extends).
    after
        The changed scenario.
    """
    names = scenario_names(before) | scenario_names(after)
    rows: list[dict[str, str]] = []
    rows += _scenario_rows(before, after)
    rows += _field_rows("Planning period", "", "", before.horizon, after.horizon, names)
    rows += _field_rows("Assumptions", "", "", before.assumptions, after.assumptions, names)
    rows += _matched(
        "Staff", before.team, after.team, names, _describe_member, skip={"id", "notes"}
    )
    rows += _option_rows(before, after, names)
    rows += _cost_rows(before, after)
    rows += _matched("Work", before.work, after.work, names, _describe_work, skip={"id", "notes"})
    rows += _pay_rows(before, after, names)
    rows += _field_rows("Risk study", "", "", before.uncertainty, after.uncertainty, names)
    table = pd.DataFrame(rows, columns=COLUMNS)
    order = {area: index for index, area in enumerate(AREAS)}
    return table.sort_values("area", key=lambda a: a.map(order), kind="stable").reset_index(
        drop=True
    )


def scenario_diff_text(table: pd.DataFrame, width: int = 100) -> str:
    """The differences as lines for the terminal: by area, then by name (ids are in the
    CSV), a line per changed field."""
    if table.empty:
        return "No differences: the two scenarios plan the same team, options and work."
    lines: list[str] = []
    for area, rows in table.groupby("area", sort=False):
        lines.append(f"{area}:")
        for name, fields in rows.groupby("name", sort=False):
            indent = "    " if name else "  "
            if name:
                lines.append(f"  {name}:")
            for row in fields.itertuples():
                if row.what in ("added", "removed"):
                    shown = row.after if row.what == "added" else row.before
                    text = str(row.what) + (f": {shown}" if shown else "")
                else:
                    text = f"{row.what}: {row.before or '(none)'} -> {row.after or '(none)'}"
                lines.append(
                    textwrap.fill(
                        text,
                        width=width,
                        initial_indent=indent,
                        subsequent_indent=indent + "    ",
                        break_on_hyphens=False,
                    )
                )
    return "\n".join(lines)


# -- the areas -------------------------------------------------------------------------


def _scenario_rows(before: Scenario, after: Scenario) -> list[dict[str, str]]:
    rows = []
    for field, label in (("name", "title"), ("description", "description")):
        old, new = getattr(before, field), getattr(after, field)
        if old != new:
            rows.append(_row("Scenario", "", "", label, old, new))
    return rows


def _option_rows(
    before: Scenario, after: Scenario, names: Mapping[str, str]
) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    old = {o.id: o for o in before.options}
    new = {o.id: o for o in after.options}
    for option_id in [*old, *(i for i in new if i not in old)]:
        was, now = old.get(option_id), new.get(option_id)
        if was is None or now is None:
            shown = _describe_option(was or now, names)  # type: ignore[arg-type]
            name = (was or now).name  # type: ignore[union-attr]
            what = "added" if was is None else "removed"
            rows.append(
                _row(
                    "Options", option_id, name, what, *(("", shown) if was is None else (shown, ""))
                )
            )
            continue
        for label in ("name", "description"):
            if getattr(was, label) != getattr(now, label):
                rows.append(
                    _row(
                        "Options",
                        option_id,
                        now.name,
                        label,
                        getattr(was, label),
                        getattr(now, label),
                    )
                )
        rows += _change_rows(was, now, names)
    return rows


def _change_rows(
    was: StaffingOption, now: StaffingOption, names: Mapping[str, str]
) -> list[dict[str, str]]:
    """An option's changes to the base team, matched by kind and post."""
    rows = []
    old = {_change_key(c): c for c in was.changes}
    new = {_change_key(c): c for c in now.changes}
    for key in [*old, *(k for k in new if k not in old)]:
        a, b = old.get(key), new.get(key)
        post = names.get(key[1], key[1])
        if a is None or b is None:
            rows.append(
                _row(
                    "Options",
                    now.id,
                    now.name,
                    f"{'adds' if a is None else 'no longer'}: {_describe_change(a or b, names)}",  # type: ignore[arg-type]
                    "" if a is None else "yes",
                    "yes" if a is None else "",
                )
            )
            continue
        if isinstance(a, AddPost) and isinstance(b, AddPost):
            for row in _field_rows("Options", now.id, now.name, a.member, b.member, names, {"id"}):
                row["what"] = f"new post {post}: {row['what']}"
                rows.append(row)
            if _text(a.recruitment_gap_weeks, "") != _text(b.recruitment_gap_weeks, ""):
                rows.append(
                    _row(
                        "Options",
                        now.id,
                        now.name,
                        f"new post {post}: recruitment gap (weeks)",
                        _text(a.recruitment_gap_weeks, ""),
                        _text(b.recruitment_gap_weeks, ""),
                    )
                )
        elif _describe_change(a, names) != _describe_change(b, names):
            rows.append(
                _row(
                    "Options",
                    now.id,
                    now.name,
                    f"{post}",
                    _describe_change(a, names),
                    _describe_change(b, names),
                )
            )
    return rows


def _cost_rows(before: Scenario, after: Scenario) -> list[dict[str, str]]:
    """Each option's extra cost over the base team, where the two scenarios differ."""
    rows = []
    old = {o.id for o in before.options}
    for option in after.options:
        if option.id not in old:
            continue
        was, now = option_cost(before, option.id), option_cost(after, option.id)
        for label, a, b in (
            (
                f"additional cost {before.horizon.year_label}",
                was.additional_in_year,
                now.additional_in_year,
            ),
            ("full-year cost thereafter", was.additional_next_year, now.additional_next_year),
        ):
            if a != b:
                rows.append(_row("Costs", option.id, option.name, label, _money(a), _money(b)))
    return rows


def _pay_rows(before: Scenario, after: Scenario, names: Mapping[str, str]) -> list[dict[str, str]]:
    rows = []
    old, new = before.pay.grades, after.pay.grades
    for grade in [*old, *(g for g in new if g not in old)]:
        a, b = old.get(grade), new.get(grade)
        was = "" if a is None else format_money(a.annual_salary)
        now = "" if b is None else format_money(b.annual_salary)
        if was != now:
            rows.append(_row("Pay", "", f"grade {grade}", "annual salary", was, now))
    for field in ("rule", "award", "on_costs"):
        a, b = getattr(before.pay, field), getattr(after.pay, field)
        if _text(a, field, names) != _text(b, field, names):
            rows.append(
                _row("Pay", "", "", LABELS[field], _text(a, field, names), _text(b, field, names))
            )
    stated_old = {f.label(): format_money(f.value) for f in before.pay.stated}
    stated_new = {f.label(): format_money(f.value) for f in after.pay.stated}
    for label in [*stated_old, *(s for s in stated_new if s not in stated_old)]:
        if stated_old.get(label) != stated_new.get(label):
            rows.append(
                _row(
                    "Pay",
                    "",
                    "stated figure",
                    label,
                    stated_old.get(label, ""),
                    stated_new.get(label, ""),
                )
            )
    return rows


# -- matching and fields ---------------------------------------------------------------


def _matched(
    area: str,
    before: Iterable[Any],
    after: Iterable[Any],
    names: Mapping[str, str],
    describe: Any,
    skip: set[str],
) -> list[dict[str, str]]:
    """Rows for things with ids: removed, added, then each changed field."""
    old: dict[str, Any] = {thing.id: thing for thing in before}
    new: dict[str, Any] = {thing.id: thing for thing in after}
    rows = []
    for thing_id in [*old, *(i for i in new if i not in old)]:
        a: Any = old.get(thing_id)
        b: Any = new.get(thing_id)
        if a is None:
            rows.append(_row(area, thing_id, b.name, "added", "", describe(b, names)))
        elif b is None:
            rows.append(_row(area, thing_id, a.name, "removed", describe(a, names), ""))
        else:
            rows += _field_rows(area, thing_id, b.name, a, b, names, skip)
    return rows


def _field_rows(
    area: str,
    thing_id: str,
    name: str,
    before: Any,
    after: Any,
    names: Mapping[str, str],
    skip: set[str] | None = None,
) -> list[dict[str, str]]:
    """A row for each field of two dataclasses whose value reads differently."""
    rows = []
    for field in dataclasses.fields(before):
        if field.name in (skip or set()) or "provenance" in field.name:
            continue
        was = _text(getattr(before, field.name), field.name, names)
        now = _text(getattr(after, field.name), field.name, names)
        if was != now:
            rows.append(_row(area, thing_id, name, _label(field.name), was, now))
    return rows


def _row(area: str, thing_id: str, name: str, what: str, before: str, after: str) -> dict[str, str]:
    return {
        "area": area,
        "id": thing_id,
        "name": name,
        "what": what,
        "before": before,
        "after": after,
    }


def _label(field: str) -> str:
    return LABELS.get(field, field.replace("_", " "))


# -- values as text --------------------------------------------------------------------


def _text(value: object, field: str, names: Mapping[str, str] | None = None) -> str:
    """A value as finance reads it: dates as 31 Jul 2021, ranges as 8-16, ids as names."""
    names = names or {}
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Estimate):
        return _estimate(value)
    if isinstance(value, Decimal):
        return format_money(value) if field in MONEY_FIELDS else _number(value)
    if isinstance(value, date):
        return f"{value:%d %b %Y}"
    if isinstance(value, str):
        return names.get(value, value) if field in REFERENCE_FIELDS else value
    if isinstance(value, frozenset):
        return ", ".join(sorted(_text(v, field, names) for v in value))
    if isinstance(value, tuple):
        return "; ".join(_text(v, field, names) for v in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_text(v, str(k), names)}" for k, v in value.items())
    if isinstance(value, Absence):
        reason = f" ({value.reason})" if value.reason else ""
        return f"{value.start:%d %b %Y} to {value.end:%d %b %Y}{reason}"
    if isinstance(value, Induction):
        manager = (
            ""
            if value.line_manager_load is None
            else f", line manager {_estimate(value.line_manager_load)} FTE"
        )
        return (
            f"{_estimate(value.weeks)} weeks at {_estimate(value.capacity_share)} of capacity"
            f"{manager}"
        )
    if isinstance(value, After):
        lag = _estimate(value.lag)
        return f"{names.get(value.item, value.item)}" + ("" if lag == "0" else f" (+{lag} weeks)")
    if dataclasses.is_dataclass(value):
        parts = [
            f"{_label(f.name)} {_text(getattr(value, f.name), f.name, names)}"
            for f in dataclasses.fields(value)
            if "provenance" not in f.name
        ]
        return ", ".join(parts)
    return str(value)


def _number(value: Decimal) -> str:
    """``0.6``, ``26``; a figure with more than three decimal places (a duration given in
    months, worked out in weeks) to one place, by the one rule for figures."""
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -3:
        return format_fte_weeks(value)
    return f"{value.normalize():f}"


def _estimate(value: Estimate) -> str:
    """A value or range as written: ``0.4``, ``8-16``."""
    if value.low == value.high:
        return _number(value.low)
    return f"{_number(value.low)}-{_number(value.high)}"


def _money(amount: Decimal | None) -> str:
    return "not costed" if amount is None else format_money(amount)


def scenario_names(scenario: Scenario) -> dict[str, str]:
    """Every id of the scenario's staff (the options' new posts too) and work, with its
    name (options are left out: an option may share an id with a post it adds)."""
    names = {w.id: w.name for w in scenario.work}
    names |= {
        c.member.id: c.member.name
        for o in scenario.options
        for c in o.changes
        if isinstance(c, AddPost)
    }
    return names | {m.id: m.name for m in scenario.team}


_PLACE = re.compile(r"^(?P<kind>work|team|options)\[(?P<id>[^\]]+)\]")


def place_subject(place: str, scenario: Scenario) -> str:
    """The name of what a key path is about: ``work[vs-tender].load`` -> the item's name,
    ``options[option-3]...`` -> the option's; ``""`` for a place not under a named thing
    (``horizon.start``)."""
    found = _PLACE.match(place)
    if found is None:
        return ""
    things: dict[str, tuple[Any, ...]] = {
        "work": scenario.work,
        "team": scenario.team,
        "options": scenario.options,
    }
    named = {thing.id: thing.name for thing in things[found["kind"]]}
    return str(named.get(found["id"], ""))


def _describe_member(member: StaffMember, names: Mapping[str, str]) -> str:
    when = _period(member.contract_start, member.contract_end)
    grade = f", grade {member.grade}" if member.grade else ""
    return f"{member.role}, {member.fte.normalize():f} FTE{grade}{when}"


def _describe_work(item: WorkItem, names: Mapping[str, str]) -> str:
    need = "mandatory" if item.mandatory else f"{item.priority.value} priority"
    size = (
        f"{_estimate(item.effort)} FTE-weeks"
        if item.effort is not None
        else f"{_estimate(item.load)} FTE"
        + ("" if item.duration_weeks is None else f" for {_estimate(item.duration_weeks)} weeks")
    )
    return f"{item.kind.value}, {need}, {size}{_period(item.release, item.deadline)}"


def _describe_option(option: StaffingOption, names: Mapping[str, str]) -> str:
    changes = "; ".join(_describe_change(c, names) for c in option.changes)
    return changes or "no change to the base team"


def _change_key(change: TeamChange) -> tuple[str, str]:
    post = change.member.id if isinstance(change, AddPost) else change.staff_id
    return type(change).__name__, post


def _describe_change(change: TeamChange, names: Mapping[str, str]) -> str:
    if isinstance(change, EndPost):
        return f"{names.get(change.staff_id, change.staff_id)} ends {change.on:%d %b %Y}"
    if isinstance(change, ExtendPost):
        to = "made permanent" if change.to is None else f"extended to {change.to:%d %b %Y}"
        return f"{names.get(change.staff_id, change.staff_id)} {to}"
    member = change.member
    gap = _estimate(change.recruitment_gap_weeks)
    start = "" if member.contract_start is None else f" from {member.contract_start:%d %b %Y}"
    return (
        f"a new post, {member.name} ({member.fte.normalize():f} FTE {member.role}){start} "
        f"after a recruitment gap of {gap} weeks"
    )


def _period(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return ""
    if end is None:
        return f", from {start:%d %b %Y}"
    if start is None:
        return f", until {end:%d %b %Y}"
    return f", {start:%d %b %Y} to {end:%d %b %Y}"
