"""The one pipeline: scenario -> problem -> solve -> plan -> verify -> explain.

The command line, the notebook and the tests all call these functions, so
every plan anyone sees has passed the independent verifier.
"""

from __future__ import annotations

from collections.abc import Callable

from capacity.diagnosis import explain_unmet
from capacity.domain.estimate import PointRule
from capacity.domain.problem import build_problem
from capacity.domain.scenario import Scenario
from capacity.finance import ProRata, option_cost
from capacity.plan import OptionResult, Plan
from capacity.solver import SolverSettings, solve
from capacity.verifier import check_plan


def plan_option(
    scenario: Scenario,
    option_id: str,
    settings: SolverSettings | None = None,
    point_rule: PointRule | None = None,
    *,
    explain: bool = True,
) -> Plan:
    """Solve one option, verify the plan, and explain what is unmet.

    Parameters
    ----------
    scenario
        The validated scenario.
    option_id
        The staffing option to plan.
    settings
        Solver settings; default :class:`SolverSettings`.
    point_rule
        Point of each range to plan with; default the scenario's.
    explain
        Whether to find why each unmet task is unmet (the diagnosis, kept in
        ``UnmetTask.reason``). A risk study keeps only figures from each of its
        many sampled plans, so it passes ``False``; the plan is verified either way.

    Raises
    ------
    PlanInvalid
        If the solver's plan fails verification (a bug; never reported as a result).
    """
    problem = build_problem(scenario, option_id, point_rule)
    plan = check_plan(scenario, solve(problem, settings))
    return plan.with_reasons(explain_unmet(plan)) if explain else plan


def compare_options(
    scenario: Scenario,
    settings: SolverSettings | None = None,
    point_rule: PointRule | None = None,
    cost_rule: ProRata | None = None,
    option_ids: list[str] | None = None,
    on_progress: Callable[[str, OptionResult | None], None] | None = None,
) -> list[OptionResult]:
    """Plan and cost every option (or those named), in the scenario's order.

    ``on_progress(option_id, None)`` is called before each option is solved
    and ``on_progress(option_id, result)`` after.
    """
    ids = option_ids or [o.id for o in scenario.options]
    results = []
    for option_id in ids:
        if on_progress:
            on_progress(option_id, None)
        result = OptionResult(
            plan=plan_option(scenario, option_id, settings, point_rule),
            cost=option_cost(scenario, option_id, cost_rule, point_rule=point_rule),
        )
        results.append(result)
        if on_progress:
            on_progress(option_id, result)
    return results
