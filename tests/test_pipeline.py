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


def test_a_kept_plan_is_the_start_where_it_fits_verified_with_no_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib
    from dataclasses import replace

    from capacity.verifier import verify

    # The module, not the function the package exports under the same name.
    solve_module = importlib.import_module("capacity.solver.solve")

    scenario = load_scenario(SMALL_TEAM)
    option = scenario.options[0].id
    base = pipeline.plan_option(scenario, option, SETTINGS)
    bau = next(w for w in scenario.work if w.id == "bau")
    changed = replace(scenario, work=tuple(w for w in scenario.work if w is not bau))

    def no_search(*args: object, **kwargs: object) -> None:
        raise AssertionError("a kept plan searches nothing")

    monkeypatch.setattr(solve_module, "_solve", no_search)
    kept = pipeline.kept_plan(changed, option, base)
    assert verify(changed, kept) == []
    assert "bau" not in {a.item_id for a in kept.assignments}
    others = [(a.task_id, a.staff_id, a.start_week) for a in base.assignments if a.item_id != "bau"]
    assert set(others) <= {(a.task_id, a.staff_id, a.start_week) for a in kept.assignments}
    assert all(u.reason for u in kept.unmet)  # explained, as every plan shown is
    same = pipeline.kept_plan(scenario, option, base)  # nothing changed: the start itself
    assert same.assignments == base.assignments
