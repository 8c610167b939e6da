"""Domain objects: single-object rules and the scenario's cross-reference checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from conftest import item, person, scenario, week

from capacity.domain import (
    AddPost,
    After,
    Estimate,
    ExtendPost,
    PointRule,
    Provenance,
    ProvenanceKind,
    StaffingOption,
)
from capacity.errors import InvalidValue


def test_estimate_points() -> None:
    load = Estimate(Decimal("0.4"), Decimal("0.5"))
    assert load.fte_point(PointRule.MIDPOINT) == Decimal("0.450")
    assert load.fte_point(PointRule.LOW) == Decimal("0.4")
    assert load.fte_point(PointRule.HIGH) == Decimal("0.5")
    months = Estimate(Decimal(8) * 52 / 12, Decimal(9) * 52 / 12)
    assert months.weeks_point(PointRule.MIDPOINT) == 37  # 8.5 months = 36.83 weeks
    assert Estimate.exact(0.4).weeks_point(PointRule.MIDPOINT) == 1  # never below one week


def test_estimate_rejects_low_above_high() -> None:
    with pytest.raises(InvalidValue, match="above high"):
        Estimate(Decimal("0.6"), Decimal("0.5"))


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        (ProvenanceKind.SOURCE, " ", "is empty"),  # a source must say something
        (ProvenanceKind.ASSUMPTION, "", "is empty; give why"),  # so must an assumption
    ],
)
def test_provenance_rules(kind: ProvenanceKind, text: str, message: str) -> None:
    with pytest.raises(InvalidValue, match=message):
        Provenance(kind, text)


def test_provenance_accepts_any_reference_and_short_assumptions() -> None:
    for text in ("para 14", "paras 21-22", "Business plan 2024/25", "Contract register"):
        assert Provenance(ProvenanceKind.SOURCE, text).text == text
    assert Provenance(ProvenanceKind.ASSUMPTION, "guess").text == "guess"


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: person("a", fte="0"), "fte"),  # zero FTE
        (lambda: person("a", fte="1.2"), "fte"),  # over full time
        (lambda: person("a", start=date(2021, 5, 1), end=date(2021, 4, 1)), "before it starts"),
        (lambda: item("x", load="0"), "load"),  # no load
        (lambda: item("x", load="1.5"), "load"),  # over one person
        (lambda: item("x", weeks=0), "duration"),  # empty duration
        (lambda: item("x", release=week(3), deadline=week(1)), "before release"),
        (lambda: item("x", after=(After("x"),)), "itself"),  # self-dependency
        (lambda: After("x", Estimate.exact(-1)), "lag"),  # negative lag
    ],
)
def test_single_object_rules(build, message: str) -> None:
    with pytest.raises(InvalidValue, match=message):
        build()


@pytest.mark.parametrize(
    ("team", "work", "options", "message"),
    [
        ([], [item("x")], None, "team is empty"),  # nobody to plan for
        ([person("a"), person("a")], [], None, "used twice"),  # duplicate staff id
        ([person("a")], [item("x"), item("x")], None, "used twice"),  # duplicate item id
        ([person("a")], [item("x", after=(After("y"),))], None, "unknown work item 'y'"),
        ([person("a")], [item("x", alongside="nope")], None, "unknown work item"),
        ([person("a")], [item("x", skill="lead")], None, "skill 'lead'"),  # nobody has the skill
        (  # circular dependency
            [person("a")],
            [item("x", after=(After("y"),)), item("y", after=(After("x"),))],
            None,
            "circular dependency",
        ),
        ([person("a")], [item("x", release=date(2020, 1, 1))], None, "outside the horizon"),
        (  # an option changes a person who does not exist
            [person("a")],
            [item("x")],
            [StaffingOption("o", "O", (ExtendPost("ghost", None),))],
            "unknown staff 'ghost'",
        ),
        (  # an option adds a person whose id is taken
            [person("a")],
            [item("x")],
            [StaffingOption("o", "O", (AddPost(person("a", start=week(1)), Estimate.exact(0)),))],
            "already exists",
        ),
    ],
)
def test_scenario_cross_references(team, work, options, message: str) -> None:
    with pytest.raises(InvalidValue, match=message):
        scenario(team, work, options=options)


def test_unknown_option_suggests_nearest() -> None:
    s = scenario([person("a")], [item("x")], options=[StaffingOption("option-4", "Four")])
    with pytest.raises(InvalidValue, match="did you mean 'option-4'"):
        s.option("option-04")
