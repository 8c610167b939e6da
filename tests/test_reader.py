"""Reading scenario YAML: the shipped files, the what-ifs, provenance, and located errors."""

from __future__ import annotations

import re
import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REPOSITORY

from capacity.domain import Handover, ProvenanceKind, build_problem
from capacity.errors import ScenarioError
from capacity.readers import load_scenario

SCENARIOS = sorted((REPOSITORY / "scenarios").glob("*.yaml"))
OPTIONS_OF_PARA_24 = {"option-1", "option-2", "option-3", "option-4"}


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_every_shipped_scenario_loads(path: Path) -> None:
    scenario = load_scenario(path)
    # The back-test is the 2020/21 team as it was; every other file holds para 24's options.
    options = {"as-it-was"} if path.name.startswith("back-test") else OPTIONS_OF_PARA_24
    assert {o.id for o in scenario.options} == options
    for option in scenario.options:
        assert build_problem(scenario, option.id).tasks


def test_shipped_data_matches_the_record(shipped_scenario) -> None:
    s = shipped_scenario
    team = {m.id: m for m in s.team}
    # the financial year of para 15's known work (two years: scenarios/two-years-2021-23.yaml)
    assert (s.horizon.start, s.horizon.end) == (date(2021, 4, 1), date(2022, 3, 31))
    assert [team[i].fte for i in ("manager", "officer", "assistant", "wmdn-lead")] == [
        1,
        1,
        1,
        Decimal("0.6"),
    ]
    assert team["wmdn-lead"].contract_end == date(2021, 7, 31)  # para 2
    assert {m.id for m in s.team if "lead" in m.skills} == {"manager", "officer"}  # paras 14, 18
    assert s.pay.grades["F"].annual_salary == Decimal("44194")  # para 48
    vs = s.item("vs-recommissioning")
    assert vs.mandatory and vs.deadline == date(2022, 3, 31) and vs.required_skill == "lead"
    bids = [w for w in s.work if w.kind.value == "bid"]
    assert len(bids) == 7  # para 15c
    assert all(s.item(f"{b.id}-award").committed_to == b.id for b in bids)  # para 30
    para15 = {w.id for w in s.work} >= {
        "vs-recommissioning",
        "vs-needs-assessment",
        "grant-review",
        "joint-commissioning-nps",
        "da-joint-commissioning",
        "sarc-accreditation",
        "msht-soc-commissioning",
        "telford-wrekin",
        "female-offender-strategy",
        "saas-implementation",
        "road-safety-review",
    }
    assert para15


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_every_shipped_number_has_a_source_or_an_assumption(path: Path) -> None:
    register = load_scenario(path).provenance
    assert len(register) > 100
    unsourced = [e.place for e in register if e.provenance.kind is ProvenanceKind.INPUT]
    assert unsourced == []
    for entry in register:  # the shipped data's own rule: a source cites the record's paragraph
        if entry.provenance.kind is ProvenanceKind.SOURCE:
            assert re.search(r"\bparas? \d+", entry.provenance.text), entry
        if entry.provenance.kind is ProvenanceKind.ASSUMPTION:  # and gives its reasoning
            assert len(entry.provenance.text) >= 10, entry
        if entry.provenance.kind is ProvenanceKind.DERIVED:  # the working, from the record
            assert re.search(r"\bparas? \d+", entry.provenance.text), entry


def test_shipped_availability_is_applied_once(shipped_scenario) -> None:
    # The record's loads are shares of contracted time over months, leave included: so
    # availability is 1, derived from the record (paras 14, 22, 30), not a second 0.85.
    scenario = shipped_scenario
    assert scenario.assumptions.availability.low == scenario.assumptions.availability.high == 1
    (entry,) = [e for e in scenario.provenance if e.place == "assumptions.availability"]
    assert entry.provenance.kind is ProvenanceKind.DERIVED
    assert "twice" in entry.provenance.text


def test_what_if_lost_bid_drops_the_bid_and_its_delivery() -> None:
    s = load_scenario(REPOSITORY / "scenarios" / "what-if-lost-bid.yaml")
    ids = {w.id for w in s.work}
    assert "bid-6" not in ids and "bid-6-award" not in ids and "bid-5-award" in ids
    # work alongside a dropped bid (its second writer's share) goes with it, and is named
    assert "bid-6-contribution" not in ids and "bid-5-contribution" in ids
    assert s.what_ifs == (
        "drop work bid-6 with bid-6-contribution (alongside it)",
        "drop work bid-7 with bid-7-contribution (alongside it)",
    )


def test_what_if_recruitment_gap_delays_the_recruit() -> None:
    s = load_scenario(REPOSITORY / "scenarios" / "what-if-recruitment-gap.yaml")
    team = {m.id: m for m in s.option("option-4").team(s.team, s.assumptions.point_rule)}
    assert team["new-officer-ft"].contract_start == date(2021, 8, 1) + (
        date(2021, 10, 24) - date(2021, 8, 1)
    )
    assert team["new-officer-ft"].induction.weeks.low == 8  # type: ignore[union-attr]


def test_what_if_new_priorities_adds_and_updates() -> None:
    s = load_scenario(REPOSITORY / "scenarios" / "what-if-new-pcc-priorities.yaml")
    assert s.item("prevention-commissioning").required_skill == "lead"
    assert s.item("grant-review").priority.value == "medium"


def test_bau_is_handed_over_monthly(shipped_scenario) -> None:
    assert shipped_scenario.item("portfolio-cce").handover is Handover.MONTHLY


BASE = """\
horizon: {start: 2021-04-01, end: 2021-06-30}
team:
  - id: a
    role: Officer
    fte: 1.0
    skills: [lead]
work:
  - id: x
    name: X
    kind: tender
    load: 0.5
    duration: 4 weeks
options:
  - id: base
    name: Base
"""

BAD = [
    # (what is wrong, YAML text, words of the message, line)
    ("syntax error", "horizon: [1, 2\n", "not valid YAML", 2),
    (
        "misspelt key",
        BASE.replace("    load: 0.5", "    laod: 0.5"),
        "unknown key (did you mean 'load'?)",
        11,
    ),
    ("missing field", BASE.replace("    kind: tender\n", ""), "missing 'kind'", 8),
    ("text for a number", BASE.replace("load: 0.5", "load: half"), "'half' is not a number", 11),
    ("load over one", BASE.replace("load: 0.5", "load: 1.5"), "at most 1 FTE", 11),
    ("zero FTE", BASE.replace("fte: 1.0", "fte: 0"), "above 0", 5),
    ("range low > high", BASE.replace("load: 0.5", "load: [0.6, 0.4]"), "above high", 11),
    ("bad duration", BASE.replace("4 weeks", "4 fortnights"), "not a duration", 12),
    (
        "date outside horizon",
        BASE.replace("    duration: 4 weeks", "    duration: 4 weeks\n    deadline: 2022-01-01"),
        "outside the horizon",
        13,  # the deadline's own line
    ),
    ("bad date", BASE.replace("start: 2021-04-01", "start: 2021-13-01"), "not a date", 1),
    (
        "unknown dependency",
        BASE.replace("    duration: 4 weeks", "    duration: 4 weeks\n    after: y"),
        "unknown work item 'y'",
        13,  # the 'after' line
    ),
    (
        "unknown skill",
        BASE.replace("kind: tender", "kind: tender\n    skill: leed"),
        "did you mean 'lead'",
        11,  # the 'skill' line
    ),
    ("bad kind", BASE.replace("kind: tender", "kind: tendr"), "did you mean 'tender'", 10),
    ("empty file", "", "is empty", None),
    ("not a mapping", "- just\n- a list\n", "must be a YAML mapping", None),
    (
        "empty source",
        BASE.replace("load: 0.5", "load: {value: 0.5, source: ''}"),
        "is empty; say where the figure comes from",
        11,
    ),
    (
        "duplicate key",
        BASE.replace("    load: 0.5\n", "    load: 0.5\n    load: 0.6\n"),
        "appears twice",
        12,
    ),
]


@pytest.mark.parametrize(("what", "text", "words", "line"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_located(
    tmp_path: Path, what: str, text: str, words: str, line: int | None
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert str(path) in message
    assert words in message
    if line is not None:
        assert caught.value.line == line, message


def test_missing_and_folder_paths(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "nope.yaml")
    with pytest.raises(ScenarioError, match="is a folder"):
        load_scenario(tmp_path)


def test_yaml_is_loaded_safely(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text("horizon: !!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="not valid YAML"):
        load_scenario(path)


def test_a_good_file_reads(tmp_path: Path) -> None:
    path = tmp_path / "good.yaml"
    path.write_text(textwrap.dedent(BASE), encoding="utf-8")
    s = load_scenario(path)
    assert s.item("x").load.low == Decimal("0.5")
    assert s.item("x").duration_weeks.low == 4  # type: ignore[union-attr]
