"""The one pipeline: scenario -> problem -> solve -> plan -> verify -> explain.

The command line, the notebook and the tests all call these functions, so
every plan anyone sees has passed the independent verifier.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor

from capacity.diagnosis import explain_unmet
from capacity.domain.estimate import PointRule
from capacity.domain.further_bids import with_further_bids
from capacity.domain.problem import build_problem
from capacity.domain.scenario import Scenario
from capacity.domain.work import BidMode, WorkKind
from capacity.finance import ProRata, option_cost
from capacity.plan import OptionResult, Plan
from capacity.plan_cache import PlanCache
from capacity.solver import SolverSettings, most_bids, repaired_plan, solve
from capacity.verifier import check_plan

DIAGNOSIS_SHARE = 0.1
"""The diagnosis explains unmet work in what is left of the solver's time limit, counted
from the start of the option's run, but always has at least this share of the limit (a
solve cut off by the limit has used all of it); tasks it has not reached by then get a
quick reason (:meth:`capacity.diagnosis.Diagnosis.quick_reason`)."""


BID_ROOM_BUDGET = 10.0
"""CP-SAT deterministic seconds for each phase of :func:`bid_room`, fixed so that the figure
does not move with ``--search-budget``. Measured 2026-12-03 on the shipped options (further
bids found - CP-SAT's most, of 7 offered): 3, 6-7, 6 and 7, in 4.5-10.4 s an option (one at
a time). Over the two years (16 offered), 9-11, 11-15, 13-16
and 15-16, about a minute an option (the search shares its budget as from scratch:
:func:`capacity.solver.most_bids`)."""


def plan_option(
    scenario: Scenario,
    option_id: str,
    settings: SolverSettings | None = None,
    point_rule: PointRule | None = None,
    *,
    explain: bool = True,
    bids: BidMode = BidMode.EXPECTED,
    cache: PlanCache | None = None,
    start_from: Plan | None = None,
) -> Plan:
    """Solve one option, verify the plan, and explain what is unmet.

    The solver's time limit bounds the solve; the diagnosis has the rest of it, and
    at least :data:`DIAGNOSIS_SHARE` of it, before it falls back to quick reasons.

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
    bids
        How bids whose outcome is not known are treated (see
        :class:`~capacity.domain.work.BidMode`); recorded on the plan's problem.
    cache
        Where verified plans are kept between commands (:mod:`capacity.plan_cache`): a
        plan found there for the same scenario, option and settings is checked again
        and used instead of a solve; a plan solved here is saved there. ``None``: always
        solve.
    start_from
        A plan of this option for a scenario one change away (a what-if's base: see
        :func:`base_plans`): the search starts from it (see :func:`capacity.solver.solve`),
        and if the option's planning problem is the same as that plan's, it is the plan
        (checked again). The result is the same kind of plan, verified the same way, but
        where the budget cuts the search short it depends on where it started, so it is
        neither taken from ``cache`` nor saved there: a saved plan is always the one a
        cold solve of the same inputs gives (:func:`bid_room`'s plans, whose start is
        itself such a plan, are kept keyed on it).

    Raises
    ------
    PlanInvalid
        If the solver's plan fails verification (a bug; never reported as a result).
    """
    settings = settings or SolverSettings()
    began = time.perf_counter()
    problem = build_problem(scenario, option_id, point_rule, bids)
    if start_from is not None and start_from.problem.same_as(problem):
        # Nothing the planner is given has changed: the plan it would start from stands.
        return check_plan(scenario, dataclasses.replace(start_from, problem=problem))
    if (
        cache is not None
        and start_from is None
        and (saved := cache.load(problem, settings, explain)) is not None
    ):
        return saved
    plan = check_plan(scenario, solve(problem, settings, start_from))
    if explain:
        limit = settings.time_limit_seconds
        deadline = max(began + limit, time.perf_counter() + DIAGNOSIS_SHARE * limit)
        plan = plan.with_reasons(explain_unmet(plan, deadline))
    if cache is not None and start_from is None:
        cache.store(plan, settings)
    return plan


KEPT_PLAN_REASONS_SECONDS = 0.5
"""Wall-clock seconds :func:`kept_plan` gives the diagnosis before it falls back to quick
reasons (it takes a few thousandths of a second on the shipped data)."""


def kept_plan(
    scenario: Scenario,
    option_id: str,
    start_from: Plan,
    point_rule: PointRule | None = None,
    *,
    bids: BidMode = BidMode.EXPECTED,
) -> Plan:
    """A plan with no search at all: ``start_from`` (this option's plan of a scenario one
    change away) kept where it still fits and the rest placed greedily
    (:func:`capacity.solver.repaired_plan`), verified and explained like any other.

    The what-if page shows it as a first answer (0.04-0.07 s an option on the shipped
    data, the diagnosis included), while :func:`plan_option` searches from the same start
    for the plan it then shows instead; it is never saved in a plan cache, as it is not
    what a solve gives.
    """
    problem = build_problem(scenario, option_id, point_rule, bids)
    if start_from.problem.same_as(problem):
        return check_plan(scenario, dataclasses.replace(start_from, problem=problem))
    previous = {a.task_id: (a.staff_id, a.start_week) for a in start_from.assignments}
    plan = check_plan(scenario, repaired_plan(problem, previous))
    return plan.with_reasons(explain_unmet(plan, time.perf_counter() + KEPT_PLAN_REASONS_SECONDS))


def bid_room(
    scenario: Scenario,
    plan: Plan,
    settings: SolverSettings | None = None,
    point_rule: PointRule | None = None,
    *,
    bids: BidMode = BidMode.EXPECTED,
    cache: PlanCache | None = None,
) -> Plan | None:
    """How many further funding bids the plan's option has room for (para 30): a verified
    plan of the scenario with further bids offered, the known bids the plan writes held
    and the other optional work left out
    (:func:`capacity.domain.further_bids.with_further_bids`), writing as many further
    bids as it can beside the mandatory work (:func:`capacity.solver.most_bids`, started
    from ``plan``, on :data:`BID_ROOM_BUDGET` whatever the settings' budget, so the
    figure does not move with it). ``None`` when the scenario has no known bid to model
    them on. 5-10 s an option on the shipped 2021/22 data, and about a minute over two
    years, run by ``capacity compare`` and ``capacity report``: kept in ``cache``, keyed
    also on ``plan`` (the search starts from it), and checked again when read."""
    written = frozenset(
        a.item_id for a in plan.assignments if plan.problem.task(a.task_id).kind is WorkKind.BID
    )
    further = with_further_bids(scenario, held=written)
    if further is None:
        return None
    settings = dataclasses.replace(
        settings or SolverSettings(), deterministic_time_limit=BID_ROOM_BUDGET
    )
    problem = build_problem(further.scenario, plan.option_id, point_rule, bids)
    if cache is not None and (saved := cache.load(problem, settings, False, plan)) is not None:
        return saved
    room = check_plan(further.scenario, most_bids(problem, settings, start_from=plan))
    if cache is not None:
        cache.store(room, settings, plan)
    return room


def compare_options(
    scenario: Scenario,
    settings: SolverSettings | None = None,
    point_rule: PointRule | None = None,
    cost_rule: ProRata | None = None,
    option_ids: list[str] | None = None,
    on_progress: Callable[[str, OptionResult | None], None] | None = None,
    bids: BidMode = BidMode.EXPECTED,
    cache: PlanCache | None = None,
    start_from: Mapping[str, Plan] | None = None,
    room_for_bids: bool = False,
) -> list[OptionResult]:
    """Plan and cost every option (or those named), in the scenario's order.

    ``bids`` is how bids whose outcome is not known are treated, ``cache`` where plans
    are kept between commands, and ``start_from`` a plan by option id to start each
    option's search from (all as :func:`plan_option`; see :func:`base_plans`). With
    ``room_for_bids`` each result also has its :func:`bid_room`.

    The options are planned side by side, one per core (:func:`default_workers`), each
    with one CP-SAT worker on its own deterministic budget, so each plan is the one it
    would be alone; CP-SAT lets go of the interpreter while it searches. Measured
    2026-12-01 on 2 cores at the what-if page's budget: the four shipped options in 6.8 s
    against 12.3 s one after another, the same figures.

    ``on_progress(option_id, None)`` is called before each option's result is awaited
    and ``on_progress(option_id, result)`` once it is there, option by option in order.
    """
    ids = option_ids or [o.id for o in scenario.options]

    def plan_and_cost(option_id: str) -> OptionResult:
        plan = plan_option(
            scenario,
            option_id,
            settings,
            point_rule,
            bids=bids,
            cache=cache,
            start_from=(start_from or {}).get(option_id),
        )
        return OptionResult(
            plan=plan,
            cost=option_cost(scenario, option_id, cost_rule, point_rule=point_rule),
            bid_room=bid_room(scenario, plan, settings, point_rule, bids=bids, cache=cache)
            if room_for_bids
            else None,
        )

    results = []
    with ThreadPoolExecutor(max_workers=max(1, min(len(ids), default_workers()))) as pool:
        futures = [pool.submit(plan_and_cost, option_id) for option_id in ids]
        try:
            for option_id, future in zip(ids, futures, strict=True):
                if on_progress:
                    on_progress(option_id, None)
                result = future.result()
                results.append(result)
                if on_progress:
                    on_progress(option_id, result)
        except BaseException:
            for waiting in futures:  # an error or Ctrl-C: nothing more is started
                waiting.cancel()
            raise
    return results


def base_plans(
    base: Scenario,
    what_if: Scenario,
    settings: SolverSettings,
    point_rule: PointRule | None = None,
    bids: BidMode = BidMode.EXPECTED,
    cache: PlanCache | None = None,
    on_progress: Callable[[str, OptionResult | None], None] | None = None,
) -> dict[str, Plan]:
    """The plans a what-if's options start from: its base scenario's, planned (or taken
    from ``cache``) as ``capacity compare`` plans the base, for the options both have.

    A what-if is one change or a few to its base. Started from the base's plan (kept
    where it still fits: :func:`capacity.solver.solve`), a short search gives a plan as
    good as a long one from scratch, and the what-if's figures differ from the base's by
    what the change does rather than by where a search happened to stop. Measured
    2026-12-02 on the shipped option 4 at a search budget of 1 (weighted unmet optional
    FTE-weeks, funding bids written; from scratch / from the base's plan): two bids lost
    194.9, 0 bids / 104.5, 5; the recruitment gap 304.8, 0 / 210.4, 3; the new PCC's
    priorities 304.4, 0 / 206.3, 7; the officer's absence 285.7, 1 / 214.4, 5. The base's
    own plan at the default budget writes all 7 bids (benchmarks/results/replanning.md).
    """
    wanted = {o.id for o in what_if.options}
    ids = [o.id for o in base.options if o.id in wanted]
    if not ids:  # no option in common: nothing to start from
        return {}
    results = compare_options(
        base, settings, point_rule, option_ids=ids, on_progress=on_progress, bids=bids, cache=cache
    )
    return {result.plan.option_id: result.plan for result in results}


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
