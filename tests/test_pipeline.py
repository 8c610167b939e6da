"""The one pipeline (capacity/pipeline.py): every option planned side by side gives the
plans each would get alone, reported option by option in the scenario's order."""

from __future__ import annotations

import pytest
from conftest import SMALL_TEAM

import capacity.pipeline as pipeline
from capacity.pipeline import compare_options
from capacity.readers import load_scenario
from capacity.solver import SolverSettings

SETTINGS = SolverSettings(deterministic_time_limit=2.0)


def placements(results):  # type: ignore[no-untyped-def]
    return [
        (r.plan.option_id, [(a.task_id, a.staff_id, a.start_week) for a in r.plan.assignments])
        for r in results
    ]


@pytest.mark.parametrize("cores", [1, 2, 3])
def test_options_side_by_side_are_planned_as_alone(
    monkeypatch: pytest.MonkeyPatch, cores: int
) -> None:
    scenario = load_scenario(SMALL_TEAM)
    alone = [compare_options(scenario, SETTINGS, option_ids=[o.id])[0] for o in scenario.options]
    monkeypatch.setattr(pipeline, "default_workers", lambda: cores)
    said: list[tuple[str, bool]] = []
    together = compare_options(
        scenario, SETTINGS, on_progress=lambda o, r: said.append((o, r is not None))
    )
    assert placements(together) == placements(alone)
    ids = [o.id for o in scenario.options]
    assert said == [(o, done) for o in ids for done in (False, True)]  # in order, each once
