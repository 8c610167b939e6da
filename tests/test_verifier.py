"""The verifier catches every way a plan can be broken (and passes a good one)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from conftest import item, person, scenario, week

from capacity.domain import After, Estimate, build_problem
from capacity.errors import PlanInvalid
from capacity.plan import Assignment, Plan, UnmetTask
from capacity.solver import solve
from capacity.verifier import check_plan, verify

LAG = Estimate.exact(1)
WORK = [
    item("tender", load="0.5", weeks=3, skill="lead", deadline=week(6) - timedelta(days=1)),
    item("support", load="0.2", weeks=3, alongside="tender"),
    item("bid", load="0.4", weeks=2),
    item(
        "award", load="0.4", weeks=2, after=(After("bid", Estimate.exact(1)),), committed_to="bid"
    ),
    item("spare", load="0.9", weeks=8, release=week(1)),  # window too short: always unmet
]
SCENARIO = scenario([person("lead", skills=("lead",)), person("helper", fte="0.6")], WORK, weeks=8)


@pytest.fixture(scope="module")
def good_plan() -> Plan:
    plan = solve(build_problem(SCENARIO, "base"))
    assert {a.task_id for a in plan.assignments} == {"tender", "support", "bid", "award"}
    return plan


def change(plan: Plan, which: str, **fields: object) -> Plan:
    assignments = tuple(
        replace(a, **fields) if a.task_id == which else a
        for a in plan.assignments  # type: ignore[arg-type]
    )
    return replace(plan, assignments=assignments)


def shift(plan: Plan, task_id: str, weeks: int) -> Plan:
    a = next(a for a in plan.assignments if a.task_id == task_id)
    return change(
        plan,
        task_id,
        start_week=a.start_week + weeks,
        end_week=a.end_week + weeks,
        start=a.start + timedelta(weeks=weeks),
        end=a.end + timedelta(weeks=weeks),
    )


def drop(plan: Plan, task_id: str, report_unmet: bool = True) -> Plan:
    a = next(a for a in plan.assignments if a.task_id == task_id)
    unmet = plan.unmet + (
        (UnmetTask(task_id, a.item_id, a.fte_weeks, False),) if report_unmet else ()
    )
    return replace(plan, assignments=tuple(x for x in plan.assignments if x is not a), unmet=unmet)


def test_a_good_plan_passes(good_plan: Plan) -> None:
    assert verify(SCENARIO, good_plan) == []
    assert check_plan(SCENARIO, good_plan) is good_plan


CORRUPTIONS = [
    # (description, corrupt(plan) -> plan, words the violation must contain)
    ("wrong load", lambda p: change(p, "bid", load_fte=Decimal("0.3")), "not its load"),
    ("wrong skill", lambda p: change(p, "tender", staff_id="helper"), "needs skill"),
    ("starts before release", lambda p: shift(p, "award", -3), "before"),
    ("ends after deadline", lambda p: shift(p, "tender", 6), "deadline"),
    (
        "too short",
        lambda p: change(
            p, "bid", end_week=next(a for a in p.assignments if a.task_id == "bid").end_week - 1
        ),
        "runs 1 weeks",
    ),
    (
        "done twice",
        lambda p: replace(p, assignments=(*p.assignments, p.assignments[0])),
        "done 2 times",
    ),
    ("unknown person", lambda p: change(p, "bid", staff_id="ghost"), "not in the team"),
    ("unknown task", lambda p: change(p, "bid", task_id="ghost"), "not a task"),
    ("alongside split", lambda p: shift(p, "support", 1), "must start with"),
    ("committed half done", lambda p: drop(p, "award"), "exactly when"),
    ("after without predecessor", lambda p: drop(p, "bid"), "which it follows"),
    (
        "dropped and not reported",
        lambda p: drop(drop(p, "award"), "bid", report_unmet=False),
        "neither",
    ),
    (
        "reported both ways",
        lambda p: replace(p, unmet=(*p.unmet, UnmetTask("bid", "bid", Decimal("0.8"), False))),
        "both delivered and unmet",
    ),
    (
        "unmet figure wrong",
        lambda p: replace(p, unmet=tuple(replace(u, demand_fte_weeks=Decimal(1)) for u in p.unmet)),
        "should be",
    ),
    (
        "mandatory flag wrong",
        lambda p: replace(p, unmet=tuple(replace(u, mandatory=True) for u in p.unmet)),
        "mandatory flag",
    ),
    (
        "unmet names the wrong item",
        lambda p: replace(p, unmet=tuple(replace(u, item_id="bid") for u in p.unmet)),
        "names item bid",
    ),
    ("dates do not match weeks", lambda p: change(p, "bid", start=week(7)), "start date"),
]


@pytest.mark.parametrize(
    ("description", "corrupt", "words"), CORRUPTIONS, ids=[c[0] for c in CORRUPTIONS]
)
def test_each_corruption_is_caught(good_plan: Plan, description: str, corrupt, words: str) -> None:
    broken = corrupt(good_plan)
    violations = verify(SCENARIO, broken)
    assert any(words in v for v in violations), violations
    with pytest.raises(PlanInvalid):
        check_plan(SCENARIO, broken)


def test_capacity_overload_names_person_and_week(good_plan: Plan) -> None:
    extra = Assignment("spare", "spare", "helper", 0, 8, week(0), week(8), Decimal("0.9"))
    broken = replace(
        good_plan,
        assignments=(*good_plan.assignments, extra),
        unmet=tuple(u for u in good_plan.unmet if u.task_id != "spare"),
    )
    violations = verify(SCENARIO, broken)
    assert any(v.startswith("helper week 0") and "capacity 0.6" in v for v in violations), (
        violations
    )


def test_verifier_rebuilds_the_problem_from_the_scenario(good_plan: Plan) -> None:
    # A plan whose own problem was tampered with (capacity raised) is still judged by the scenario.
    generous = replace(
        good_plan.problem, capacity={k: (Decimal(5),) * 8 for k in good_plan.problem.capacity}
    )
    extra = Assignment("spare", "spare", "helper", 0, 8, week(0), week(8), Decimal("0.9"))
    broken = replace(
        good_plan,
        problem=generous,
        assignments=(*good_plan.assignments, extra),
        unmet=tuple(u for u in good_plan.unmet if u.task_id != "spare"),
    )
    violations = verify(SCENARIO, broken)
    assert any("helper week 0" in v and "capacity 0.6" in v for v in violations)
    assert any("differs from the scenario's" in v for v in violations)


def test_verifier_does_not_import_the_solver() -> None:
    import ast
    from pathlib import Path

    import capacity.verifier as module

    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module] + [
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    ]
    assert not any(m.startswith(("ortools", "capacity.solver")) for m in imported)
