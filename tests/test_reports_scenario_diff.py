"""What changed between two scenarios (capacity/reports/scenario_diff.py), on scenarios
built in code: one case per kind of change."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from conftest import item, person, scenario, week

from capacity.domain import Estimate, Priority
from capacity.domain.options import AddPost, EndPost, StaffingOption
from capacity.domain.pay import Grade, PayModel
from capacity.domain.team import Absence, Induction
from capacity.reports.scenario_diff import COLUMNS, scenario_diff, scenario_diff_text

RECRUIT = replace(person("recruit", fte="0.6", start=week(1)), name="New Officer", grade="F")
PAY = PayModel(grades={"F": Grade("F", Decimal("31346"))})


def base(**changes: object) -> object:
    """Two people, two items, an option that ends a post and one that recruits."""
    options = [
        StaffingOption("lapse", "Option 1: let it lapse", changes=(EndPost("temp", week(3)),)),
        StaffingOption(
            "recruit",
            "Option 2: recruit",
            changes=(AddPost(RECRUIT, Estimate.exact(0)),),
        ),
    ]
    data = scenario(
        [person("lead"), person("temp", fte="0.6")],
        [item("tender", mandatory=True), item("review", priority=Priority.LOW)],
        options=options,
        pay=PAY,
    )
    return replace(data, **changes)


def rows(before: object, after: object) -> list[tuple[str, str, str, str, str]]:
    table = scenario_diff(before, after)  # type: ignore[arg-type]
    assert list(table.columns) == COLUMNS
    return [(r.area, r.name, r.what, r.before, r.after) for r in table.itertuples()]


def test_the_same_scenario_has_no_differences() -> None:
    data = base()
    assert scenario_diff(data, data).empty  # type: ignore[arg-type]
    assert scenario_diff_text(scenario_diff(data, data)).startswith("No differences")  # type: ignore[arg-type]


def test_a_person_changed_field_by_field_by_name() -> None:
    data = base()
    lead = replace(
        data.team[0],  # type: ignore[attr-defined]
        fte=Decimal("0.8"),
        absences=(Absence(week(2), week(3), "leave"),),
    )
    changed = replace(data, team=(lead, data.team[1]))  # type: ignore[attr-defined]
    assert rows(data, changed) == [
        ("Staff", "Lead", "FTE", "1", "0.8"),
        ("Staff", "Lead", "absences", "", "19 Apr 2021 to 26 Apr 2021 (leave)"),
    ]


def test_work_added_removed_and_changed() -> None:
    data = base()
    review = replace(data.work[1], priority=Priority.HIGH, deadline=week(6))  # type: ignore[attr-defined]
    changed = replace(data, work=(review, item("bid", load="0.4", weeks=3)))
    assert rows(data, changed) == [
        ("Work", "Item tender", "removed", "project, mandatory, 0.5 FTE for 2 weeks", ""),
        ("Work", "Item review", "deadline", "", "17 May 2021"),
        ("Work", "Item review", "priority", "low", "high"),
        ("Work", "Item bid", "added", "", "project, medium priority, 0.4 FTE for 3 weeks"),
    ]


def test_a_recruits_gap_and_induction_and_what_they_cost() -> None:
    data = base()
    slower = AddPost(
        replace(RECRUIT, induction=Induction(Estimate.exact(4), Estimate.exact("0.5"))),
        Estimate(Decimal(2), Decimal(4)),
    )
    recruit = replace(data.options[1], changes=(slower,))  # type: ignore[attr-defined]
    changed = replace(data, options=(data.options[0], recruit))  # type: ignore[attr-defined]
    found = rows(data, changed)
    assert (
        "Options",
        "Option 2: recruit",
        "new post New Officer: induction",
        "",
        ("4 weeks at 0.5 of capacity"),
    ) in found
    assert (
        "Options",
        "Option 2: recruit",
        "new post New Officer: recruitment gap (weeks)",
        "0",
        "2-4",
    ) in found
    (cost,) = [r for r in found if r[0] == "Costs"]
    assert cost[1:3] == ("Option 2: recruit", "additional cost 2021")
    assert cost[3].startswith("£") and cost[4].startswith("£") and cost[4] < cost[3]


def test_an_option_added_and_one_whose_post_ends_later() -> None:
    data = base()
    later = replace(data.options[0], changes=(EndPost("temp", week(5)),))  # type: ignore[attr-defined]
    extra = StaffingOption("both", "Option 3: both")
    changed = replace(data, options=(later, data.options[1], extra))  # type: ignore[attr-defined]
    found = rows(data, changed)
    assert (
        "Options",
        "Option 1: let it lapse",
        "Temp",
        "Temp ends 26 Apr 2021",
        ("Temp ends 10 May 2021"),
    ) in found
    assert ("Options", "Option 3: both", "added", "", "no change to the base team") in found


def test_pay_and_assumptions_changes_are_listed() -> None:
    data = base()
    changed = replace(
        data,
        pay=PayModel(grades={"F": Grade("F", Decimal("32000"))}),
        assumptions=replace(data.assumptions, availability=Estimate.exact("0.85")),  # type: ignore[attr-defined]
    )
    found = rows(data, changed)
    assert ("Assumptions", "", "share of time available", "1", "0.85") in found
    assert ("Pay", "grade F", "annual salary", "£31,346.00", "£32,000.00") in found


@pytest.mark.parametrize("width", [60, 100])
def test_the_text_groups_by_area_then_name_and_shows_no_ids(width: int) -> None:
    data = base()
    changed = replace(data, work=(data.work[0],))  # type: ignore[attr-defined]
    text = scenario_diff_text(scenario_diff(data, changed), width=width)  # type: ignore[arg-type]
    assert text.splitlines()[:3] == [
        "Work:",
        "  Item review:",
        "    removed: project, low priority, 0.5 FTE for 2 weeks",
    ]
    assert "review " not in text.replace("Item review", "")
    assert all(len(line) <= width for line in text.splitlines())
