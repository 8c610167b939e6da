"""A commissioning exercise in one entry: the items it stands for, and their sizes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from capacity.cli import cli
from capacity.domain import WorkKind, build_problem
from capacity.readers.scenario_yaml import read_scenario

HEAD = """\
scenario: Commissioning test
horizon: {{start: 2021-04-05, end: {end}}}
team:
  - {{id: lead, role: Commissioning Manager, fte: 1.0, skills: [lead, officer]}}
  - {{id: officer, role: Commissioning Officer, fte: 1.0, skills: [officer]}}
options:
  - {{id: base, name: The team}}
work:
"""


def _scenario(tmp_path: Path, entry: str, end: str = "2023-03-31") -> Path:
    path = tmp_path / "exercise.yaml"
    path.write_text(HEAD.format(end=end) + entry, encoding="utf-8")
    return path


def test_an_exercise_expands_to_its_parts_with_the_record_sizes(tmp_path: Path) -> None:
    path = _scenario(
        tmp_path,
        """\
  - commissioning:
      id: vs
      service: Victim Support
      contract_start: {value: 2022-04-01, source: para 15a}
      lead_skill: lead
      mandatory: true
      relet: true
      needs_assessment: {load: 0.3, duration: 3 months, skill: officer}
""",
    )
    scenario = read_scenario(path)
    items = {w.id: w for w in scenario.work}
    assert list(items) == [
        "vs-tender",
        "vs-needs-assessment",
        "vs-tender-support",
        "vs-mobilisation",
    ]
    tender, assessment, support, mobilisation = items.values()
    assert (tender.kind, tender.required_skill, tender.mandatory) == (WorkKind.TENDER, "lead", True)
    assert (tender.load.low, tender.load.high) == (Decimal("0.35"), Decimal("0.4"))
    assert tender.deadline == date(2022, 3, 31)  # the day before the contract starts
    assert tender.deadline and tender.duration_weeks is not None
    assert assessment.alongside == "vs-tender" and assessment.required_skill == "officer"
    assert support.alongside == "vs-tender" and support.duration_weeks == tender.duration_weeks
    assert (support.load.low, support.load.high) == (Decimal("0.05"), Decimal("0.1"))
    assert mobilisation.release == date(2022, 4, 1)
    assert [a.item for a in mobilisation.after] == ["vs-tender"]
    assert mobilisation.load.low == Decimal("0.3")  # a re-let: half CLIMB's 60% (para 14)
    assert all(w.mandatory for w in items.values())
    basis = {e.place: e.provenance for e in scenario.provenance}
    assert basis["work[vs-mobilisation].load"].text.startswith("A re-let")
    assert basis["work[vs-tender].duration"].text == "para 14: around 8 months"
    assert basis["work[vs-tender].deadline"].text == "para 15a"
    problem = build_problem(scenario, "base")
    assert problem.task("vs-mobilisation").earliest_start == 52  # 4 April 2022, the week after


def test_parts_can_be_overridden_or_left_out(tmp_path: Path) -> None:
    path = _scenario(
        tmp_path,
        """\
  - commissioning:
      id: da
      service: DA services
      contract_start: 2022-04-01
      lead_skill: lead
      priority: high
      tender: {id: da-joint, load: 0.4, support: none}
      mobilisation: {load: 0.5, skill: officer}
  - commissioning:
      id: msht
      service: MSHT
      contract_start: 2022-10-01
      lead_skill: lead
      mobilisation: none
""",
    )
    items = {w.id: w for w in read_scenario(path).work}
    assert list(items) == ["da-joint", "da-mobilisation", "msht-tender", "msht-tender-support"]
    assert items["da-joint"].load.low == Decimal("0.4")
    assert items["da-mobilisation"].load.low == Decimal("0.5")  # a new service would be 0.6
    assert items["da-mobilisation"].required_skill == "officer"
    assert items["msht-tender"].deadline == date(2022, 9, 30)


def test_a_mobilisation_after_the_horizon_is_left_out_with_a_warning(tmp_path: Path) -> None:
    entry = """\
  - commissioning: {id: vs, service: Victim Support, contract_start: 2022-04-01, lead_skill: lead}
"""
    path = _scenario(tmp_path, entry, end="2022-03-31")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0
    assert (
        "work[0].commissioning.contract_start: the mobilisation of Victim Support starts with "
        "the contract on 2022-04-01, after the horizon ends (2022-03-31)" in result.output
    )
    assert [w.id for w in read_scenario(path).work] == ["vs-tender", "vs-tender-support"]


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ("tender: later", "give the part's overrides as a mapping, or none, not 'later'"),
        ("tender: {lod: 0.4}", "did you mean 'load'"),
        ("needs_assessment: {load: 0.3}", "duration"),
    ],
)
def test_a_bad_part_is_a_located_error(tmp_path: Path, entry: str, words: str) -> None:
    path = _scenario(
        tmp_path,
        "  - commissioning:\n      id: vs\n      service: VS\n      contract_start: 2022-04-01\n"
        f"      lead_skill: lead\n      {entry}\n",
    )
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert f"{path.name}:" in result.output and words in result.output


def test_a_what_if_updates_or_drops_an_exercise_by_its_id(tmp_path: Path) -> None:
    base = _scenario(
        tmp_path,
        """\
  - commissioning: {id: vs, service: Victim Support, contract_start: 2022-04-01, lead_skill: lead}
  - commissioning: {id: da, service: DA, contract_start: 2022-04-01, lead_skill: lead}
""",
    )
    what_if = tmp_path / "what-if.yaml"
    what_if.write_text(
        f"extends: {base.name}\n"
        "changes:\n"
        "  - update: vs\n"
        "    relet: true\n"
        "    mobilisation: {skill: officer}\n"
        "  - drop: da\n",
        encoding="utf-8",
    )
    items = {w.id: w for w in read_scenario(what_if).work}
    assert list(items) == ["vs-tender", "vs-tender-support", "vs-mobilisation"]
    assert items["vs-mobilisation"].load.low == Decimal("0.3")
    assert items["vs-mobilisation"].required_skill == "officer"
