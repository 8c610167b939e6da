"""``solve(problem) -> Plan``: run the phases and map the solver's answer back.

The greedy plan is the first hint; then the least unmet mandatory demand, the
least weighted unmet optional demand, and a cosmetic tie-break (see
:func:`solve`). On large models the whole model gets a share of the time and
neighbourhood search (:mod:`capacity.solver.neighbourhoods`) the rest.

Reproducibility: by default the search runs on one worker with a fixed seed,
which CP-SAT makes deterministic. A plan found before the time limit is
therefore identical on every run; a plan cut off by the wall-clock limit is
marked ``feasible`` (not proven optimal), with its gap, and where it stopped
depends on the machine - unless ``deterministic_time_limit`` is set.

Watching the search: each improving solution of the first two phases, and each
better plan the neighbourhood search finds, is logged at DEBUG level on the
:data:`SOLUTION_LOG` logger, with its two figures in FTE-weeks as the record's
``unmet_mandatory_fte_weeks`` and ``weighted_unmet_optional`` (the solver
benchmark's time-to-best figures are read from them). When nothing listens at
that level, no solution callback is attached.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal

from ortools.sat.python import cp_model

from capacity.domain.problem import PlanningProblem, Task
from capacity.errors import SolverFailure
from capacity.plan import Placements, Plan, SolverReport, SolveStatus, from_placements, writes_bid
from capacity.solver.cpsat import ModelFeatures, PlanModel, set_hint
from capacity.solver.greedy import greedy_plan, repaired_plan
from capacity.solver.neighbourhoods import improve_by_neighbourhoods
from capacity.solver.scaling import Scale
from capacity.solver.time_windows import improve_by_time_windows

NEIGHBOURHOOD_MODEL_SIZE = 10_000
"""Start variables above which each phase gives the whole model only
:data:`WHOLE_MODEL_SHARE` of the remaining time, and the plan is then improved by
re-planning neighbourhoods (:mod:`capacity.solver.neighbourhoods`). Measured on
2026-11-25, one worker, 60 s: the shipped options (about 5,000 start variables) and
the small generated hub (2,400) are proven optimal by the whole model alone in a fifth
of the time. On the medium hub (15 people, 150 items, 104 weeks; 18,000) the whole model
barely moves from the greedy hint (1,478 weighted FTE-weeks unmet); with 30% of the time
on it and neighbourhoods cloned from the whole model, 1,155; with neighbourhoods built
as small problems of their own, 1,100 (30%) and 1,061 (10%); with those small problems
solved without the redundant constraints, 939 at 1.0 and 917 at 0.5 deterministic
seconds a phase (974 at 2.0, 1,006 at 0.25)."""

SOLUTION_LOG = "capacity.solver"
"""Logger on which :func:`solve` reports each improving solution (see the module notes)."""
_solutions = logging.getLogger(SOLUTION_LOG)

WHOLE_MODEL_SHARE = 0.1

WINDOWS_WHOLE_SHARE = 0.4
"""With work given as effort over a horizon longer than a year, the share of each phase's
deterministic budget the whole model gets; the rest goes to re-solving a few months at a
time (:mod:`capacity.solver.time_windows`), which finds far better plans there than the
whole model does (figures there). The whole model's run is what proves a plan optimal and
gives the bound.

Over one year (52 weeks or fewer) the whole model keeps the whole budget: measured on
2026-12-01 with this split on the shipped 2021/22 options (weighted unmet optional FTE-weeks,
whole model alone / with windows): 245.9 / 260.3, 169.3 / 161.9, 182.4 / 174.4, 135.5 /
141.2 - no better in all (737.8 against 733.1) - while the two-year scenario's options went
from 239.6 / 245.8 / 275.3 / 301.4 FTE-weeks delivered and 2 / 2 / 6 / 6 of its 14 bids to
288.1 / 305.1 / 320.7 / 339.1 and 12 / 12 / 13 / 12 (about 30 s an option). From scratch
the windows' share is one sweep and then random parts of the plan (figures in
:data:`capacity.solver.time_windows.RANDOM_PARTS_SHARE`)."""

BIDS_FIRST_SHARE = 0.5
"""The share of a phase's budget (on top of phase 2's own) for phase 2a: with the mandatory
work held, write as many funding bids as possible (by weight; the middle tier of
:func:`~capacity.plan.objective_tiers`). It stops early when proven, as it is in a second
or two on the shipped 2021/22 options (every option has room for all 7 known bids). That
is held too, and phase 2 starts from those bids and that mandatory work with the rest of
the room filled greedily. Where the windows are used, a first run of phase 2 on the same
share comes before phase 2 itself.

Why a tier: a bid has a deadline and brings income (para 11a: over £1.6m from 8 bids in
2020/21), and para 30 makes the capacity for bids the case for option 4; a plan that
leaves a bid unwritten to do flexible work worth slightly more per week is not one a
manager would make. Measured without the tier, the bids written were an accident of the
search: 3 / 5 / 4 / 7 of the 7 on the shipped options at the default budget, and none in
the greedy plan and the what-if page's short searches, while a plan of option 1 with 6
bids was better by the plan's own measure (243.7 against 245.9).

Measured 2026-12-02 on the shipped options at the default budget (FTE-weeks delivered;
bids written of 7; ``capacity compare`` wall time, two side by side): without the tier
151.8 / 171.7 / 171.1 / 182.6, 3 / 5 / 4 / 7, 1m46; with it 149.2 / 171.2 / 169.8 /
181.0, 7 / 7 / 7 / 7, 1m25 (1m48 with the room for further bids,
:func:`capacity.pipeline.bid_room`). On the two-year scenario: 286.1 / 308.0 / 325.3 /
366.4, 12 / 14 / 14 / 12 of 14, 2m19 -> 288.7 / 308.0 / 325.5 / 328.2, 13 / 14 / 14 / 14,
3m03 (option 4's figure is the one the search finds hardest there: no bound yet)."""

FROM_PLAN_WHOLE_SHARE = 0.1
"""A what-if started from its base's plan (``start_from``) is improved by the windows too,
over any horizon, the whole model getting this share of each phase's budget: the change
(an absence, a later start) is a few months' worth, and a window around it is re-planned
with everything else fixed (after the bids phase, :data:`BIDS_FIRST_SHARE`).
Measured 2026-12-02 on the shipped option 4 from its plan at the default budget (weighted
unmet optional FTE-weeks, bids written, wall time; the whole model alone / with the
bids-first start and windows, at the what-if page's budget of 1): the officer's absence
264.3, 2 in 2.9 s / 214.4, 5 in 7.4 s; the recruitment gap 214.1, 2 in 2.6 s / 210.4, 3
in 5.4 s; two bids lost 104.5, 5 in 3.0 s / 104.5, 5 in 4.2 s.

Such a what-if skips phase 2's first run before phase 2 (:data:`BIDS_FIRST_SHARE`), and
the bids phase when its start still writes every bid (proven: nothing to search).
Measured 2026-12-02 on the shipped option 4 from its plan (``benchmarks/replanning.py``;
wall time, weighted unmet optional FTE-weeks, with the first run / without): at the page's
budget of 1, two bids lost 3.7 s, 107.8 / 2.2 s, 107.8; the absence 4.1 s, 195.7 / 3.6 s,
195.7; the recruitment gap 5.5 s, 215.2 / 3.7 s, 215.2; the new PCC's priorities 4.5 s,
219.7 / 1.8 s, 219.7; at the default budget 28.9-41.3 s against 20.2-26.8 s, 99.4 /
174.3 / 190.1 / 187.1 against 100.4 / 174.4 / 190.7 / 188.1."""

LIGHT_PRESOLVE_BUDGET = 2.0
"""A what-if started from its base's plan on a budget of at most this many deterministic
seconds a phase (the what-if page's is 1) runs every solve with a lighter presolve
(:attr:`SolverSettings.light_presolve`). On such a budget the whole model's run gets 0.1
deterministic seconds and CP-SAT's full presolve spends all of it (probing, symmetry, big
linear overlaps): the run ended UNKNOWN, having searched nothing, in every one-change re-plan
measured, and so did the last phase. Measured 2026-12-03 on the shipped 2021/22 options 1
and 4, each what-if file of ``scenarios/`` from the option's plan at the page's budget of
1, the two presolves side by side (one worker; weighted unmet optional FTE-weeks, lower is
better): lighter in 11 of 12 re-plans as good or better (option 4: 1711.6 -> 1691.3 in
all, option 1: 2306.8 -> 2296.2; one worse, option 1's new PCC priorities, 325.0 ->
325.6), and faster, 15.4 -> 13.5 s (option 4) and 14.3 -> 11.3 s (option 1) for the six.
On the page itself (``benchmarks/replanning.py``, the code before and after one after the
other), the searched plans of four what-ifs showed in 7.35 / 10.74 / 6.09 / 5.29 s before
and 4.89 / 7.40 / 2.98 / 5.78 s after.
Over a larger budget the full presolve pays for itself, and plans from scratch keep it: on
the two-year scenario's windows from scratch, measured 2026-12-03, no probing and no
symmetry detection took option 1 from 95.2 s and 303.6 to 111.1 s and 303.9, and no
presolve at all to 107.0 s and 319.9. The plan's report says which presolve it had
(``light_presolve`` in its parameters)."""

WINDOWS_AFTER_WEEKS = 52
"""Horizons longer than this are improved by windows (see :data:`WINDOWS_WHOLE_SHARE`), as
is a what-if started from its base's plan over any horizon (:data:`FROM_PLAN_WHOLE_SHARE`)."""
NEIGHBOURHOOD_FEATURES = ModelFeatures(False, False, False)


DETERMINISTIC_SECONDS_PER_PHASE = 15.0
"""Default budget of phases 1 and 2 (mandatory work, optional work; the bids phase between
them gets :data:`BIDS_FIRST_SHARE` of it), in CP-SAT's deterministic time, so that
the same scenario gives the same plan on every run and machine. Measured 2026-12-01 on the
shipped 2021/22 options, work given as effort (one worker): 12-16 s an option, gaps to
CP-SAT's bound 2.8% / 8.5% / 10.0% / 16.8%; four times the budget moves option 4's plan
by 0.2 FTE-weeks delivered (its bound, not its plan, is what is weak). The gap is reported
with every plan; the speed issue (14) is to close it."""


TIE_BREAK_SECONDS = 2.0
"""Default budget of the presentation-only third phase (deterministic seconds)."""

TIE_BREAK_SHARE = TIE_BREAK_SECONDS / DETERMINISTIC_SECONDS_PER_PHASE
"""With a search budget of its own (``--search-budget``), the third phase gets this share
of it, at most :data:`TIE_BREAK_SECONDS` (:meth:`SolverSettings.for_search_budget`): the
default's 2 of 15. The phase holds unmet demand at most where it was, so it never makes a
plan worse, but a longer one sometimes finds a little more to deliver on the way.
Measured 2026-12-01 on the shipped option 4's one-change re-plans at the what-if page's
budget of 1 (one worker, idle 2-core machine): the whole re-plan took 8.2 s with a
2-second third phase, 2.8-3.5 s with 0.25 s and 2.1-2.7 s with none (the phase's
deterministic second is worth about 3 s of wall time here: CP-SAT under-counts its
cumulative propagation). The page's re-plan of all four options side by side took
6.4-10.7 s with the share against 14.7-23.9 s with 2 s (two runs each, alternating); the
shorter phase left weighted unmet work 0-2.4% higher (option 1, lost bid: 294.1 against
287.6 weighted FTE-weeks)."""


TIME_LIMIT_SECONDS = 900.0
"""Default wall-clock limit of one option's whole solve: a backstop, well above what the
deterministic budget takes on a loaded 2-core machine, so that the budget, not the
machine's load, ends the search and the same input gives the same plan. The two-year
scenario (the default since 2026-12-02, with random parts: capacity.solver.time_windows)
took 52-86 s an option on an idle 2-core machine, two side by side; before the random
parts, 20-40 s idle and 60-240 s at a load of 8 (2026-12-01), so about four times as long
under such load: up to about 350 s. The limit was 300 s until then."""


@dataclass(frozen=True)
class SolverSettings:
    """Solver parameters; the defaults give the same plan on every run.

    Parameters
    ----------
    time_limit_seconds
        Wall-clock limit for the whole solve of one option (all phases; the
        first phases use what they need and the next gets the rest).
    workers
        Search workers. 1 (the default) is deterministic.
    seed
        Random seed of the search.
    tie_break_deterministic_seconds
        Budget, in CP-SAT's deterministic time, for the third phase that keeps
        ongoing work with one person (it never changes unmet demand). 0 skips it.
    deterministic_time_limit
        Optional limit for phases 1 and 2 in CP-SAT's deterministic time (phase 2a,
        the bids, gets :data:`BIDS_FIRST_SHARE` of it on top; which, unlike wall-clock
        time, does not depend on machine load):
        a plan cut off by it is the same on every run and every machine. On large
        models the neighbourhood search gets the same budget again.
    interleaved_subsolvers
        If above 0, CP-SAT interleaves that many subsolvers on one thread
        (``interleave_search``), also deterministic. Measured worse than the plain
        one-worker search on the generated hubs, so off by default.
    features
        Which redundant constraint families the model adds (all, by default).
    light_presolve
        One round of CP-SAT's presolve without probing, symmetry detection or the search
        for big linear overlaps, for short searches that the full presolve would spend
        (:data:`LIGHT_PRESOLVE_BUDGET`; the risk study's sampled plans,
        :data:`capacity.risk.study.SAMPLE_LIGHT_PRESOLVE`). Off by default.
    linearization_level
        CP-SAT's ``linearization_level``: how much of the model goes into its LP. 2 (the
        default) chosen by measurement when the shipped options were all proven optimal:
        17.2 s in all against 20.3 s at level 1 (and 38 s against 86 s for the model's
        first, weaker version). Short searches that prove nothing do better at 1: see
        :data:`capacity.risk.study.SAMPLE_LINEARIZATION_LEVEL`.
    """

    time_limit_seconds: float = TIME_LIMIT_SECONDS
    workers: int = 1
    seed: int = 0
    tie_break_deterministic_seconds: float = TIE_BREAK_SECONDS
    deterministic_time_limit: float | None = DETERMINISTIC_SECONDS_PER_PHASE
    features: ModelFeatures = field(default_factory=ModelFeatures)
    interleaved_subsolvers: int = 0
    linearization_level: int = 2
    light_presolve: bool = False

    @classmethod
    def for_search_budget(
        cls, search_budget: float, time_limit_seconds: float = TIME_LIMIT_SECONDS, seed: int = 0
    ) -> SolverSettings:
        """Settings for a search budget a person chose (``--search-budget``, the page's):
        that budget for phases 1 and 2 (and the bids phase's share), and the last phase's
        share of it (:data:`TIE_BREAK_SHARE`). The default budget gives the default settings."""
        return cls(
            time_limit_seconds=time_limit_seconds,
            seed=seed,
            deterministic_time_limit=search_budget,
            tie_break_deterministic_seconds=round(
                min(TIE_BREAK_SECONDS, search_budget * TIE_BREAK_SHARE), 3
            ),
        )

    def apply(self, solver: cp_model.CpSolver) -> None:
        solver.parameters.max_time_in_seconds = self.time_limit_seconds
        if self.deterministic_time_limit is not None:
            solver.parameters.max_deterministic_time = self.deterministic_time_limit
        solver.parameters.num_workers = self.workers
        if self.interleaved_subsolvers:
            solver.parameters.interleave_search = True
            solver.parameters.num_workers = self.interleaved_subsolvers
        solver.parameters.random_seed = self.seed
        # Ctrl-C must abort the run (nothing written), not quietly cut the search short
        # and report a worse plan, which is what CP-SAT's own handler would do.
        solver.parameters.catch_sigint_signal = False
        solver.parameters.linearization_level = self.linearization_level
        if self.light_presolve:
            solver.parameters.cp_model_probing_level = 0
            solver.parameters.symmetry_level = 0
            solver.parameters.find_big_linear_overlap = False
            solver.parameters.max_presolve_iterations = 1


def solve(
    problem: PlanningProblem,
    settings: SolverSettings | None = None,
    start_from: Plan | None = None,
) -> Plan:
    """Plan one option: least unmet mandatory work, then the most bids written, then least
    weighted unmet optional work (:func:`~capacity.plan.objective_tiers`).

    Parameters
    ----------
    problem
        The option's planning problem.
    settings
        Solver parameters; see :class:`SolverSettings`.
    start_from
        A plan of the same option for a nearly identical scenario (a what-if one change
        away): it is first kept where it still fits and the rest placed greedily
        (:func:`~capacity.solver.greedy.repaired_plan`), and the search starts from that
        and is also improved by windows and the bids phase
        (:data:`FROM_PLAN_WHOLE_SHARE`). It changes where and how the search goes, never
        which plans are allowed.

    Returns
    -------
    Plan
        Unverified; the pipeline verifies it before anything is reported.
    """
    previous = [] if start_from is None else _placements_in(problem, start_from)
    return _solve(
        problem, settings or SolverSettings(), previous, neighbourhoods=True, trusted=False
    )


def most_bids(
    problem: PlanningProblem,
    settings: SolverSettings | None = None,
    start_from: Plan | None = None,
) -> Plan:
    """A plan that writes as many of the problem's optional bids as can be written (by
    weight) with the least unmet mandatory work: :func:`solve`'s phases 1 and 2a only,
    each on the settings' whole budget, the rest of the room filled greedily. Its report's
    ``parameters["unwritten_bids_bound"]`` is CP-SAT's bound on the weighted FTE-weeks of
    bids left unwritten. Unverified.

    ``start_from`` (a plan of the same option without the further bids) is where the
    search starts, kept where it fits; it is not a what-if's base, a change or two away,
    so the budget is shared as from scratch (not :data:`FROM_PLAN_WHOLE_SHARE`). Measured
    2026-12-03 on the shipped 2021/22 options, from plans whose people had been shuffled
    (further bids found of 7, and CP-SAT's most): with the what-if share 2-7, 6-7, 5-7 and
    6-7 in 2.0-4.2 s, which no longer showed that option 1 has less room than option 4;
    shared as from scratch 3, 5-7, 5-7 and 6-7 in 4.5-10.4 s (the figures from the shipped
    plans: :data:`capacity.pipeline.BID_ROOM_BUDGET`)."""
    previous = [] if start_from is None else _placements_in(problem, start_from)
    return _solve(
        problem,
        settings or SolverSettings(),
        previous,
        neighbourhoods=True,
        trusted=False,
        bids_only=True,
        near_start=False,
    )


def _bids_plan(
    problem: PlanningProblem,
    plan_model: PlanModel,
    values: Values,
    proven: bool,
    mandatory_bound: int,
    bids_bound: int,
    work: float,
    began: float,
) -> Plan:
    scale = plan_model.scale
    report = SolverReport(
        status=SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE,
        unmet_mandatory_fte_weeks=scale.to_fte(plan_model.unmet_value(True, values)),
        mandatory_bound_fte_weeks=scale.to_fte(mandatory_bound),
        weighted_unmet_optional=scale.weighted_to_fte(plan_model.unmet_value(False, values)),
        weighted_optional_bound=Decimal(0),
        runtime_seconds=round(time.perf_counter() - began, 3),
        deterministic_seconds=round(work, 3),
        parameters={
            "solver": "CP-SAT",
            "phases": "mandatory work, then bids",
            "unwritten_bids_bound": str(scale.weighted_to_fte(bids_bound)),
        },
    )
    return _read_plan(problem, plan_model, values, report)


def _placements_in(problem: PlanningProblem, plan: Plan) -> list[tuple[str, str, int]]:
    """The plan's placements of tasks the problem still has, on people it still has, at
    start weeks inside the horizon."""
    task_ids = {task.id for task in problem.tasks}
    staff_ids = {member.id for member in problem.staff}
    return [
        (a.task_id, a.staff_id, a.start_week)
        for a in plan.assignments
        if a.task_id in task_ids and a.staff_id in staff_ids and 0 <= a.start_week < problem.n_weeks
    ]


def _solve(
    problem: PlanningProblem,
    settings: SolverSettings,
    start_from: list[tuple[str, str, int]],
    neighbourhoods: bool,
    trusted: bool = True,
    bids_only: bool = False,
    near_start: bool = True,
) -> Plan:
    """:func:`solve`, optionally from a given plan (task id, staff id, start week), and
    with or without neighbourhood search (off for the neighbourhoods themselves, whose
    solutions are of a part of the problem and so are not logged). A ``trusted`` plan is
    one of this very problem (the neighbourhoods'); another is first checked to fit, and
    is taken to be a change or two away (a what-if's base: :data:`FROM_PLAN_WHOLE_SHARE`)
    unless ``near_start`` is false. With ``bids_only`` it stops after phase 2a
    (:func:`most_bids`)."""
    began = time.perf_counter()
    # The greedy plan is the complete first hint: CP-SAT starts from what a careful
    # manager would do, and the answer is never worse than it.
    greedy = greedy_plan(problem)
    plan_model = PlanModel(problem, settings.features)
    model, scale = plan_model.model, plan_model.scale
    watched = neighbourhoods and _solutions.isEnabledFor(logging.DEBUG)
    greedy_values = plan_model.start_values(
        [(a.task_id, a.staff_id, a.start_week) for a in greedy.assignments]
    )
    repair: Values | None = None  # a starting plan that does not fit: only a hint
    if start_from and not trusted:
        # A plan of a scenario one change away: kept where it still fits and the room
        # it leaves filled greedily, a plan that fits and, under a small budget, far
        # better than a cold start (figures in capacity.solver.greedy.repaired_plan).
        repaired = repaired_plan(problem, {t: (s, w) for t, s, w in start_from})
        start_from = [(a.task_id, a.staff_id, a.start_week) for a in repaired.assignments]
    if start_from:
        given = plan_model.start_values(start_from)
        if trusted or _fits(plan_model, given):
            greedy_values = _better(plan_model, greedy_values, given)
        else:
            repair = given
    unmet_mandatory = plan_model.unmet_expression(mandatory=True)
    unmet_optional = plan_model.unmet_expression(mandatory=False)

    deadline = began + settings.time_limit_seconds

    def remaining() -> float:
        return max(0.0, deadline - time.perf_counter())

    # Work given as effort over more than a year, or a what-if started from its base's
    # plan: each phase gives the whole model a share of its budget and then re-solves a
    # few months at a time (not inside a neighbourhood's own solve).
    from_plan = bool(start_from) and not trusted and near_start
    windows = (
        neighbourhoods
        and plan_model.has_effort
        and (problem.n_weeks > WINDOWS_AFTER_WEEKS or from_plan)
    )
    whole_share = FROM_PLAN_WHOLE_SHARE if from_plan else WINDOWS_WHOLE_SHARE
    budget = settings.deterministic_time_limit
    if from_plan and budget is not None and budget <= LIGHT_PRESOLVE_BUDGET:
        settings = replace(settings, light_presolve=True)  # reported with the plan
    phase_budget: float | None = budget  # of the phase being run

    def whole_budget() -> float | None:
        if phase_budget is None:
            return None
        return phase_budget * whole_share if windows else phase_budget

    windows_solved, windows_work = 0, 0.0

    def run(
        phase_hint: Values, share: float = 1.0, repair: Values | None = None
    ) -> tuple[cp_model.CpSolver, object, Values]:
        # ``phase_hint`` fits and is kept if nothing better is found; ``repair`` (a plan
        # that does not fit) is only where the search starts.
        set_hint(model, plan_model.complete(repair if repair is not None else phase_hint))
        solver = cp_model.CpSolver()
        settings.apply(solver)
        if (whole := whole_budget()) is not None:
            solver.parameters.max_deterministic_time = whole
        solver.parameters.max_time_in_seconds = remaining() * share
        callback = _SolutionLogger(unmet_mandatory, unmet_optional, scale) if watched else None
        status = solver.solve(model, callback)
        values = _values_or(solver, status, phase_hint)
        return solver, status, _better(plan_model, values, phase_hint)

    def by_windows(values: Values, proven: bool) -> Values:
        nonlocal windows_solved, windows_work
        if not windows or proven or remaining() <= 0:
            return values
        whole = whole_budget()
        rest = (phase_budget - whole) if phase_budget is not None and whole is not None else None
        improved, work, solved = improve_by_time_windows(
            plan_model,
            values,
            rest,
            deadline,
            settings.apply,
            lambda a, b: _better(plan_model, a, b),
            settings.seed,
            # Random parts pay over a long horizon from scratch; a what-if from its base's
            # plan changes a few months, which the windows sweep (and the parts' wall time,
            # four times their deterministic time, would slow the what-if page).
            random_parts=not from_plan,
        )
        windows_solved += solved
        windows_work += work
        return improved

    # Phase 1: deliver as much mandatory work as possible, and nothing else: that alone is
    # proven in a fraction of a second (0.10-0.19 deterministic s, 0.5-0.9 s wall, on the
    # shipped 2021/22 options' first risk samples), where with the optional work riding
    # along at a lower weight the phase never proved in its 2 deterministic seconds (5-7 s
    # wall): proving it meant proving the optional optimum too. The rest of the room is
    # then filled greedily around that mandatory work, for phase 2 to start from. Measured
    # side by side on 2026-12-03 (benchmarks/risk.py, 8 samples x 4 options, 2 workers):
    # 17.5 s a sample against 23.5 s, the options' mean unmet work 375.5 FTE-weeks in all
    # against 372.6 (each option within 3, either way: the short phase 2's luck), the same
    # mandatory work; plans whose greedy start delivers all mandatory work (the shipped
    # scenarios') do not change.
    # (When the greedy plan already delivers all of it, that is proven: skip the phase.)
    model.minimize(unmet_mandatory)
    # The neighbourhoods re-plan a few people's tasks apart; work given as effort ties its
    # stints together across people, so a problem with any is solved whole.
    large = (
        neighbourhoods
        and not plan_model.has_effort
        and plan_model.n_start_variables > NEIGHBOURHOOD_MODEL_SIZE
    )
    share = WHOLE_MODEL_SHARE if large else 1.0
    first_ran = plan_model.unmet_value(True, greedy_values) > 0
    if not first_ran:
        first_proven, first_values, first_work = True, greedy_values, 0.0
    else:
        first, first_status, first_values = run(greedy_values, share, repair)
        first_proven, first_work = first_status == cp_model.OPTIMAL, first.deterministic_time
        first_values = by_windows(first_values, first_proven)
    best_mandatory = plan_model.unmet_value(True, first_values)
    if first_proven:
        mandatory_bound = best_mandatory
    else:
        found = _found(first_status)
        mandatory_bound = max(0, math.ceil(first.best_objective_bound)) if found else 0
    if first_ran:
        first_values = _better(
            plan_model, first_values, _filled(problem, plan_model, first_values, bids=False)
        )

    # Phase 2: hold that, and deliver as much optional work as possible, by priority.
    model.add(unmet_mandatory <= best_mandatory)
    start = _better(plan_model, greedy_values, first_values)
    bids_work = 0.0
    second_repair = None if first_ran else repair  # a start that does not fit, if any
    bids_status: object = cp_model.OPTIMAL
    bids_bound = 0
    if plan_model.has_bids_to_write():
        # Phase 2a: hold that, and write as many bids as possible, by weight (proven in a
        # second or two on the shipped options). Then hold that too, and start phase 2 from
        # those bids and that mandatory work with the rest of the room filled greedily.
        unmet_bids = plan_model.unmet_bid_writing()
        model.minimize(unmet_bids)
        if budget is not None and not bids_only:
            phase_budget = budget * BIDS_FIRST_SHARE
        if from_plan and second_repair is None and plan_model.unmet_bid_value(start) == 0:
            # A what-if from its base's plan that still writes every bid: that is proven,
            # nothing to search (on the page, four solves fewer, about 0.6 s an option).
            # Proven from scratch too, but there CP-SAT's own solution of the phase, not
            # the start, is what phase 2 began from: kept so, not to move those plans.
            bid_values = start
        else:
            bid_solver, bids_status, bid_values = run(start, share, second_repair)
            second_repair = None
            bids_work = bid_solver.deterministic_time
            bids_bound = (
                max(0, math.ceil(bid_solver.best_objective_bound)) if _found(bids_status) else 0
            )
            bid_values = by_windows(bid_values, bids_status == cp_model.OPTIMAL)
        model.add(unmet_bids <= plan_model.unmet_bid_value(bid_values))
        start = _better(plan_model, bid_values, _filled(problem, plan_model, bid_values))
        if windows and not bids_only and not from_plan:
            # Over two years the windows fill the rest far better than the whole model
            # (figures in BIDS_FIRST_SHARE): a first run of phase 2 on this share. Not for
            # a what-if from its base's plan: there it costs a third more time for nothing
            # at the page's budget and under 1% of the weighted figure at the default
            # (FROM_PLAN_WHOLE_SHARE), and its share is left unspent.
            model.minimize(unmet_optional)
            pre_solver, _, start = run(start, share)
            bids_work += pre_solver.deterministic_time
            start = by_windows(start, False)
        phase_budget = budget
    if bids_only:
        return _bids_plan(
            problem,
            plan_model,
            start,
            first_proven and bids_status == cp_model.OPTIMAL,
            mandatory_bound,
            bids_bound,
            first_work + bids_work + windows_work,
            began,
        )
    model.minimize(unmet_optional)
    # The whole model gets a share of the time: enough to prove small problems optimal.
    # If it has not, re-planning a few people at a time improves the plan faster.
    second, second_status, values = run(start, share, second_repair)
    # Unmet work is never below nothing: a bound under 0 (the LP's, early) says nothing.
    optional_bound = max(0, round(second.best_objective_bound)) if _found(second_status) else 0
    # Proven optimal under the mandatory cap: no window can deliver more optional work.
    values = by_windows(values, second_status == cp_model.OPTIMAL)
    steps, neighbourhood_work = 0, 0.0
    all_proven = first_proven and bids_status == cp_model.OPTIMAL
    if large and not (all_proven and second_status == cp_model.OPTIMAL) and remaining() > 0:

        def solve_small(
            sub: PlanningProblem, work: float, seed: int, current: list[tuple[str, str, int]]
        ) -> Plan:
            sub_settings = replace(
                settings,
                time_limit_seconds=max(0.01, remaining()),
                deterministic_time_limit=work,
                seed=seed,
                tie_break_deterministic_seconds=0,
                features=NEIGHBOURHOOD_FEATURES,
            )
            return _solve(sub, sub_settings, current, neighbourhoods=False)

        def record(placed: dict[str, tuple[str, int]]) -> None:
            if watched:
                found = plan_model.start_values([(t, s, w) for t, (s, w) in placed.items()])
                _log_solution(
                    scale.to_fte(plan_model.unmet_value(True, found)),
                    scale.weighted_to_fte(plan_model.unmet_value(False, found)),
                )

        placed, steps, neighbourhood_work = improve_by_neighbourhoods(
            problem,
            _placements(plan_model, values),
            deadline,
            settings.seed,
            solve_small,
            record,
            work_budget=settings.deterministic_time_limit,
        )
        values = plan_model.start_values([(t, s, w) for t, (s, w) in placed.items()])

    # Phase 3 (presentation only): hold both, and keep owned work with its owners and
    # ongoing work with one person where that costs nothing. A moved FTE-week (many load
    # units) outweighs a handover (one), as a manager would rather hand over than move an
    # area away from its owner. A deterministic time budget keeps it reproducible.
    if settings.tie_break_deterministic_seconds > 0 and remaining() > 0:
        # Hold both figures of the plan found (phase 2 or the neighbourhoods may have
        # delivered more mandatory work than phase 1 did).
        model.add(unmet_mandatory <= plan_model.unmet_value(True, values))
        model.add(unmet_optional <= plan_model.unmet_value(False, values))
        set_hint(model, plan_model.complete(values))
        model.minimize(
            cp_model.LinearExpr.sum([plan_model.moved_from_owners(), plan_model.handovers()])
        )
        third = cp_model.CpSolver()
        settings.apply(third)
        third.parameters.max_deterministic_time = settings.tie_break_deterministic_seconds
        third.parameters.max_time_in_seconds = remaining()
        third_status = third.solve(model)
        values = _values_or(third, third_status, values)

    # Proven only if every tier is: phase 2's optimum holds the bids phase 2a found.
    proven = all_proven and second_status == cp_model.OPTIMAL
    work = first_work + bids_work + second.deterministic_time + neighbourhood_work + windows_work
    report = SolverReport(
        status=SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE,
        unmet_mandatory_fte_weeks=scale.to_fte(plan_model.unmet_value(True, values)),
        mandatory_bound_fte_weeks=scale.to_fte(mandatory_bound),
        weighted_unmet_optional=scale.weighted_to_fte(plan_model.unmet_value(False, values)),
        weighted_optional_bound=scale.weighted_to_fte(optional_bound),
        runtime_seconds=round(time.perf_counter() - began, 3),
        deterministic_seconds=round(work, 3),
        parameters={
            "solver": "CP-SAT",
            "phases": 2
            + plan_model.has_bids_to_write()
            + (settings.tie_break_deterministic_seconds > 0),
            "time_limit": "whole solve",
            "units_per_fte": str(scale.units_per_fte),
            "first_hint": "greedy plan",
            "neighbourhood_steps": steps,
            "time_windows_solved": windows_solved,
            **asdict(settings),
        },
    )
    return _read_plan(problem, plan_model, values, report)


Values = dict[cp_model.IntVar, int]


class _SolutionLogger(cp_model.CpSolverSolutionCallback):
    """Logs both objectives of each solution CP-SAT finds (see the module notes)."""

    def __init__(
        self, mandatory: cp_model.LinearExprT, optional: cp_model.LinearExprT, scale: Scale
    ):
        super().__init__()
        self.mandatory = mandatory
        self.optional = optional
        self.scale = scale

    def on_solution_callback(self) -> None:
        _log_solution(
            self.scale.to_fte(int(self.value(self.mandatory))),
            self.scale.weighted_to_fte(int(self.value(self.optional))),
        )


def _log_solution(unmet_mandatory: Decimal, weighted_optional: Decimal) -> None:
    _solutions.debug(
        "solution: %s FTE-weeks of mandatory work unmet, %s weighted FTE-weeks of optional",
        unmet_mandatory,
        weighted_optional,
        extra={
            "unmet_mandatory_fte_weeks": unmet_mandatory,
            "weighted_unmet_optional": weighted_optional,
        },
    )


def _found(status: object) -> bool:
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _values_or(solver: cp_model.CpSolver, status: object, fallback: Values) -> Values:
    """The solution's values, or ``fallback`` when the time limit allowed none."""
    if status in (cp_model.MODEL_INVALID, cp_model.INFEASIBLE):
        # Doing nothing is always feasible, so this is a bug in the model.
        raise SolverFailure(
            f"CP-SAT found the model {solver.status_name(status)}; please report this as a "
            "bug with the scenario attached"
        )
    if not _found(status):
        return fallback
    return {var: int(solver.value(var)) for var in fallback}


def _better(plan_model: PlanModel, values: Values, other: Values) -> Values:
    """The lexicographically better of two solutions (``values`` on a tie)."""

    def key(v: Values) -> tuple[int, int, int]:
        return (
            plan_model.unmet_value(True, v),
            plan_model.unmet_bid_value(v),
            plan_model.unmet_value(False, v),
        )

    return other if key(other) < key(values) else values


def _filled(
    problem: PlanningProblem, plan_model: PlanModel, values: Values, bids: bool = True
) -> Values:
    """The solution's mandatory work (and, with ``bids``, its funding bids and what goes
    with them) where it is, and the rest of the room filled greedily."""
    bundle_of = problem.links.bundle_of
    bid_bundles = {bundle_of[t.id] for t in problem.tasks if bids and writes_bid(t)}
    keep = {
        task_id: place
        for task_id, place in _placements(plan_model, values).items()
        if problem.task(task_id).mandatory or bundle_of[task_id] in bid_bundles
    }
    filled = greedy_plan(problem, keep=keep)
    return plan_model.start_values(
        [(a.task_id, a.staff_id, a.start_week) for a in filled.assignments]
    )


def _fits(plan_model: PlanModel, values: Values) -> bool:
    """Whether these start values meet every constraint of the model (each variable fixed,
    CP-SAT's presolve decides; a few milliseconds)."""
    check = plan_model.model.clone()
    check.clear_hints()
    check.clear_objective()
    for var, value in values.items():
        check.add(check.get_int_var_from_proto_index(var.index) == value)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    # A deterministic limit, so the answer does not depend on the machine's load (presolve
    # settles a model with every start fixed in well under it: 0.07 s on the two-year
    # scenario); the wall-clock limit is a backstop. Undecided counts as not fitting.
    solver.parameters.max_deterministic_time = 2.0
    solver.parameters.max_time_in_seconds = 30.0
    return solver.solve(check) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _read_plan(
    problem: PlanningProblem, plan_model: PlanModel, values: Values, report: SolverReport
) -> Plan:
    assignments, unmet = from_placements(problem, _placements(plan_model, values))
    return Plan(problem=problem, assignments=assignments, unmet=unmet, solver=report)


def _placements(plan_model: PlanModel, values: Values) -> Placements:
    """Which task each counted place of the solution goes to (see :func:`_hand_out`)."""
    placed: Placements = {}
    holder: dict[str, str] = {}  # item id -> who did its latest part
    for group in sorted(plan_model.groups, key=lambda g: g.first.earliest_start):
        places = [
            (staff_id, week)
            for (staff_id, week), var in sorted(group.starts.items())
            for _ in range(values[var])
        ]
        for task, place in _hand_out(group.tasks, places, holder):
            if place is None:
                holder.pop(task.item_id, None)
            else:
                holder[task.item_id] = place[0]
                placed[task.id] = place
    return placed


def _hand_out(
    tasks: list[Task], places: list[tuple[str, int]], holder: dict[str, str]
) -> list[tuple[Task, tuple[str, int] | None]]:
    """Give a group's chosen places to its interchangeable tasks.

    Any way is equally valid (the tasks are interchangeable), so choose the one
    a manager would: ongoing work stays with whoever did it last month, work
    delivered last month stays delivered, and otherwise the scenario's order.
    """
    remaining = list(places)
    given: dict[str, tuple[str, int]] = {}
    for task in tasks:
        place = next((p for p in remaining if p[0] == holder.get(task.item_id)), None)
        if place is not None:
            given[task.id] = place
            remaining.remove(place)
    waiting = [t for t in tasks if t.id not in given]
    for task in sorted(waiting, key=lambda t: t.item_id not in holder):
        if remaining:
            given[task.id] = remaining.pop(0)
    return [(task, given.get(task.id)) for task in tasks]
