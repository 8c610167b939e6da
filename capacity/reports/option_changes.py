"""What each staffing option assumes: its changes to the base team, each with its source.

For every option: the posts it ends, extends or adds, their FTE and dates, the
recruitment gap and induction of a new post, and what the option costs, each beside the
paragraph of the decision record it comes from or the assumption it rests on. A table
for the board pack's "What each option assumes" page and the workbook's sheet of the
same name (:func:`add_option_changes_sheet`).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

import pandas as pd

from capacity.domain.estimate import Estimate
from capacity.domain.options import AddPost, EndPost, ExtendPost, StaffingOption, TeamChange
from capacity.domain.provenance import Provenance, ProvenanceKind
from capacity.domain.scenario import Scenario
from capacity.finance import format_money
from capacity.plan import OptionResult
from capacity.reports.figures import format_share, option_label

if TYPE_CHECKING:
    from openpyxl import Workbook

SHEET = "Option assumptions"
COLUMNS = ["option_id", "option", "aspect", "value", "source"]
ASPECTS = ("Posts", "FTE", "Dates", "Recruitment gap", "Induction", "Costs")
"""The rows of the side-by-side view, in order."""


def source_text(provenance: Provenance) -> str:
    """Where a figure comes from, as a reader needs it: the paragraph, or "assumption:"
    and the reasoning, or "derived:" and the working."""
    if provenance.kind is ProvenanceKind.SOURCE:
        return provenance.text
    if provenance.kind is ProvenanceKind.INPUT:
        return "given, no source"
    return f"{provenance.kind.value}: {provenance.text}"


def option_changes_table(scenario: Scenario, results: list[OptionResult]) -> pd.DataFrame:
    """One row per thing an option changes from the base team, with its source.

    Columns: ``option_id, option, aspect, value, source``; ``aspect`` is one of
    :data:`ASPECTS`. An option without changes says so (the base team as it is, e.g. a
    post left to lapse), with the option's own source.
    """
    costs = {r.plan.option_id: r for r in results}
    names = {m.id: m.name for m in scenario.team}
    register = {entry.place: entry.provenance for entry in scenario.provenance}
    grades = (
        "; ".join(
            f"grade {g.name} {format_money(g.annual_salary)} a year ({source_text(g.provenance)})"
            for g in scenario.pay.grades.values()
        )
        or "no pay grades"
    )
    rows: list[dict[str, str]] = []
    for option in scenario.options:
        if option.id not in costs:
            continue

        def add(aspect: str, value: str, source: str, option: StaffingOption = option) -> None:
            rows.append(
                {
                    "option_id": option.id,
                    "option": option_label(option.name),
                    "aspect": aspect,
                    "value": value,
                    "source": source,
                }
            )

        cost = costs[option.id].cost
        if not option.changes:
            add("Posts", "No change to the base team", source_text(option.provenance))
            for member in scenario.team:
                if member.id in cost.decided_posts and member.contract_end is not None:
                    add(
                        "Dates",
                        f"{member.name}: post ends {member.contract_end:%d %b %Y}",
                        source_text(member.contract_provenance),
                    )
        for number, change in enumerate(option.changes):
            place = f"options[{option.id}].changes[{number}]"
            why = change.provenance if change.provenance.kind is not ProvenanceKind.INPUT else None
            _describe(change, place, names, register, add, why or option.provenance)
        rule = f"computed: {grades}, pro rata by {cost.rule.value}"
        years = [
            f"{_money(amount)} in {label}"
            for label, amount in cost.by_year or (("year", cost.additional_in_year),)
        ]
        after = f"{_money(cost.additional_after_horizon)} a full year after"
        add("Costs", f"Extra over the base team: {'; '.join([*years, after])}", rule)
    return pd.DataFrame(rows, columns=COLUMNS)


def _describe(
    change: TeamChange,
    place: str,
    names: dict[str, str],
    register: dict[str, Provenance],
    add: Callable[[str, str, str], None],
    why: Provenance,
) -> None:
    if isinstance(change, EndPost):
        name = names.get(change.staff_id, change.staff_id)
        add("Posts", f"{name}: post ends", source_text(why))
        add("Dates", f"{name}: last day {change.on:%d %b %Y}", source_text(why))
    elif isinstance(change, ExtendPost):
        name = names.get(change.staff_id, change.staff_id)
        to = "made permanent" if change.to is None else f"extended to {change.to:%d %b %Y}"
        add("Posts", f"{name}: {to}", source_text(why))
        if change.to is not None:
            add("Dates", f"{name}: last day {change.to:%d %b %Y}", source_text(why))
    elif isinstance(change, AddPost):
        member = change.member
        grade = f", grade {member.grade}" if member.grade else ""
        add(
            "Posts",
            f"New post: {member.name} ({member.role}{grade})",
            source_text(why),
        )
        add(
            "FTE",
            f"{member.name}: {member.fte.normalize():f} FTE",
            source_text(member.fte_provenance),
        )
        start = register.get(f"{place}.add.start", member.contract_provenance)
        add(
            "Dates",
            f"{member.name}: could be filled from {member.contract_start:%d %b %Y}",
            source_text(start),
        )
        gap = change.recruitment_gap_weeks
        add(
            "Recruitment gap", f"{member.name}: {_estimate(gap)} weeks", source_text(gap.provenance)
        )
        induction = member.induction
        if induction is None:
            add("Induction", f"{member.name}: none planned", "given, no source")
        else:
            add(
                "Induction",
                f"{member.name}: {_estimate(induction.weeks)} weeks",
                source_text(induction.weeks.provenance),
            )
            add(
                "Induction",
                f"{member.name}: at {_estimate(induction.capacity_share, percent=True)} capacity",
                source_text(induction.capacity_share.provenance),
            )
            if induction.line_manager_load is not None:
                manager = _estimate(induction.line_manager_load)
                add(
                    "Induction",
                    f"Line manager: gives {manager} FTE a week during it",
                    source_text(induction.line_manager_load.provenance),
                )


def option_changes_view(table: pd.DataFrame) -> pd.DataFrame:
    """Side by side: a row per aspect, a column per option, each change with its source
    in brackets (several changes of one aspect on lines of their own)."""
    options = list(dict.fromkeys(table["option"]))
    view: dict[str, dict[str, str]] = {option: {} for option in options}
    for aspect in ASPECTS:
        for option in options:
            rows = table[(table["option"] == option) & (table["aspect"] == aspect)]
            view[option][aspect] = "\n".join(
                f"{row.value} [{row.source}]" for row in rows.itertuples()
            )
    shown = pd.DataFrame(view, index=list(ASPECTS))
    return shown[(shown != "").any(axis=1)]


def add_option_changes_sheet(
    workbook: Workbook,
    scenario: Scenario,
    results: list[OptionResult],
    fill: Callable[..., None],
) -> None:
    """The workbook's "Option assumptions" sheet: :func:`option_changes_table`, filled with
    the workbook's own sheet writer ``fill(sheet, table)``."""
    fill(workbook.create_sheet(SHEET), option_changes_table(scenario, results))


def _estimate(value: Estimate, percent: bool = False) -> str:
    """``4`` or ``4-6``; shares as ``50%``."""

    def shown(number: Decimal) -> str:
        return format_share(number) if percent else f"{number.normalize():f}"

    return (
        shown(value.low) if value.low == value.high else f"{shown(value.low)}-{shown(value.high)}"
    )


def _money(amount: Decimal | None) -> str:
    return "not costed" if amount is None else format_money(amount)
