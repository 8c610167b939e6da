"""Invariants over random valid scenarios (hypothesis): plans verify and the books balance."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from conftest import item, person, scenario, week
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from capacity.domain import After, Estimate, Priority, build_problem
from capacity.plan import SolveStatus
from capacity.solver import solve
from capacity.verifier import verify

LOADS = [str(Decimal(n) / 10) for n in range(1, 11)]


@st.composite
def small_scenarios(draw: st.DrawFn):
    n_people = draw(st.integers(1, 3))
    team = [
        person(
            f"p{i}",
            fte=draw(st.sampled_from(["0.4", "0.6", "1"])),
            skills=("lead",) if i == 0 else (),
        )
        for i in range(n_people)
    ]
    availability = draw(st.sampled_from(["0.85", "1"]))

    def most(skill: str | None) -> Decimal:
        eligible = [m for m in team if skill is None or skill in m.skills]
        return max(m.fte for m in eligible) * Decimal(availability)

    work = []
    for i in range(draw(st.integers(1, 7))):
        skill = draw(st.sampled_from([None, "lead"]))
        # A valid scenario: someone eligible could give the load (larger is refused as input).
        loads = [load for load in LOADS if Decimal(load) <= most(skill)]
        after = ()
        if work and draw(st.booleans()):
            lag = Estimate.exact(draw(st.integers(0, 1)))
            after = (After(draw(st.sampled_from(work)).id, lag),)
        release = week(draw(st.integers(0, 3)))
        work.append(
            item(
                f"w{i}",
                load=draw(st.sampled_from(loads)),
                weeks=draw(st.integers(1, 4)),
                release=release,
                mandatory=draw(st.booleans()),
                priority=draw(st.sampled_from(list(Priority))),
                skill=skill,
                after=after,
            )
        )
    return scenario(team, work, weeks=8, availability=availability)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_scenarios())
def test_every_plan_passes_the_verifier_and_balances(s) -> None:
    problem = build_problem(s, "base")
    plan = solve(problem)
    assert verify(s, plan) == []
    assert plan.delivered_fte_weeks + plan.unmet_fte_weeks == problem.total_demand_fte_weeks


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_scenarios())
def test_another_person_never_increases_unmet_mandatory_work(s) -> None:
    before = solve(build_problem(s, "base"))
    bigger = scenario(
        [*s.team, person("extra", skills=("lead",))],
        list(s.work),
        weeks=8,
        availability=str(s.assumptions.availability.low),
    )
    after = solve(build_problem(bigger, "base"))
    assert after.unmet_mandatory_fte_weeks <= before.unmet_mandatory_fte_weeks
    # and, with mandatory work held, never less optional work by weight
    if after.unmet_mandatory_fte_weeks == before.unmet_mandatory_fte_weeks:
        assert after.solver.weighted_unmet_optional <= before.solver.weighted_unmet_optional


def _lexicographic(plan) -> tuple:
    return (plan.unmet_mandatory_fte_weeks, plan.solver.weighted_unmet_optional)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_scenarios(), st.data())
def test_raising_an_fte_never_makes_the_optimum_worse(s, data) -> None:
    before = solve(build_problem(s, "base"))
    index = data.draw(st.integers(0, len(s.team) - 1))
    raised = [replace(m, fte=Decimal(1)) if i == index else m for i, m in enumerate(s.team)]
    after = solve(build_problem(replace(s, team=tuple(raised)), "base"))
    assert before.solver.status is after.solver.status is SolveStatus.OPTIMAL
    assert _lexicographic(after) <= _lexicographic(before)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_scenarios(), st.data())
def test_removing_optional_work_never_makes_the_optimum_worse(s, data) -> None:
    optional = [w for w in s.work if not w.mandatory]
    depended_on = {a.item for w in s.work for a in w.after}
    removable = [w for w in optional if w.id not in depended_on]
    assume(removable)  # something this example can remove without breaking a dependency
    gone = data.draw(st.sampled_from(removable))
    before = solve(build_problem(s, "base"))
    smaller = replace(s, work=tuple(w for w in s.work if w is not gone))
    after = solve(build_problem(smaller, "base"))
    assert before.solver.status is after.solver.status is SolveStatus.OPTIMAL
    assert _lexicographic(after) <= _lexicographic(before)
