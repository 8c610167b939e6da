"""Running a risk study: draw samples, plan every option on each, aggregate.

Each sample is planned for every option with the same draws (see
:mod:`capacity.risk.sampling`), through the same pipeline function as
``capacity compare`` (:func:`capacity.pipeline.plan_option`: the same solver
and the same verifier), so a sampled plan counts only once
:func:`capacity.verifier.check_plan` has passed it. Only the diagnosis of why
work is unmet is skipped: a study keeps figures, not reasons.

Same seed, same result
----------------------
A sample depends only on (scenario, seed, sample index), and the solve is
deterministic: one CP-SAT worker, a fixed seed, and a limit per phase in
CP-SAT's *deterministic* time (a count of work done, not seconds, so it cuts
the search at the same place on a busy or an idle machine). The third,
cosmetic phase is skipped: it never changes unmet demand. A wall-clock limit
on the whole solve of one option (all its phases) stays only as a generous
backstop against a runaway solve; a solve that reaches it would not be
reproducible, and the study says so
(:attr:`StudyResult.backstop_hits`). Results are put back in sample order, so
1 worker, 2 workers and a Dask cluster give identical results.

Where the time goes, and how it is amortised
--------------------------------------------
Local workers are processes started once per study (``spawn``), each handed
the scenario once (the pool's initializer), then fed chunks of sample
indices; Dask workers get the scenario once (scattered) and chunks likewise.
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from decimal import Decimal
from multiprocessing import get_context
from typing import Any

from capacity.domain.scenario import Scenario
from capacity.domain.work import BidMode
from capacity.errors import CapacityError
from capacity.pipeline import plan_option
from capacity.plan import Plan, SolveStatus
from capacity.plan_cache import plan_body
from capacity.risk.sampling import Sample, draw_sample
from capacity.solver import DETERMINISTIC_SECONDS_PER_PHASE, SolverSettings

DETERMINISTIC_LIMIT = 2.0
"""CP-SAT deterministic time per phase for a sampled plan, chosen by measurement on the
shipped data: at 0.5 the first phase often stopped before improving on the empty plan (40
samples: all mandatory work delivered in only 2-8% of them, mean gap 0.87 - the limit's
artefact, not the options'). At 2.0 the first phase does improve on it, but most sampled
plans are still cut off by the limit rather than proven optimal: benchmarks/results/risk.md
(2026-12-03, 8 samples, 4 options) measured none proven optimal and a mean gap of 33% to
CP-SAT's bound (47% before :data:`SAMPLE_LINEARIZATION_LEVEL`; 17.5% proven and a 3.3% gap
before work was given as effort). So a study's
figures are those of good plans, not proven best ones; the price is reported with every
study (share proven optimal, mean gap) and measured by benchmarks/risk.py; re-measure when
the solver model changes."""

SAMPLE_LINEARIZATION_LEVEL = 1
"""CP-SAT's ``linearization_level`` for sampled plans (the default settings use 2), by
measurement on 2026-12-03 (the first 4 samples of seed 0 x 4 shipped 2021/22 options, one
after another, one worker, 2 deterministic seconds a phase): level 1 left 1457.6 FTE-weeks
unmet in all in 160 s, level 2 1536.7 in 158 s and level 0 1658.7 in 372 s; the mean
gap to CP-SAT's bound was 29% at level 1 against 46% at level 2. At this budget nothing is
proven, and level 2's larger LP spends the budget on bounds rather than plans."""

SAMPLE_LIGHT_PRESOLVE = True
"""Sampled plans use CP-SAT's lighter presolve (:attr:`SolverSettings.light_presolve`), by
measurement on 2026-12-03 (the first 4 samples of seed 0 x 4 shipped 2021/22 options, one
after another in one process, one worker, the sample budget; full / light presolve, the
order alternating): unmet work over the four options 369.0 / 358.2, 346.7 / 302.7, 359.1 /
354.2 and 382.9 / 365.1 FTE-weeks - less in every sample - in 69.7 s against 56.1 s in all,
the gaps to CP-SAT's bound smaller in 12 of the 16 plans. On 2 deterministic seconds a phase
the full presolve's probing and symmetry detection take a share the search makes better
use of."""

BACKSTOP_SECONDS = 120.0
"""Wall-clock limit for the whole solve of one option on one sample (all its phases; see
:class:`SolverSettings`): far above what the deterministic limits take, so it never binds on
a working machine (if it does, the study reports it as not reproducible)."""


def sample_settings(
    deterministic_limit: float = DETERMINISTIC_LIMIT, backstop_seconds: float = BACKSTOP_SECONDS
) -> SolverSettings:
    """Reproducible solver settings for sampled plans (see the module notes)."""
    return SolverSettings(
        time_limit_seconds=backstop_seconds,
        workers=1,
        seed=0,
        tie_break_deterministic_seconds=0,
        deterministic_time_limit=deterministic_limit,
        linearization_level=SAMPLE_LINEARIZATION_LEVEL,
        light_presolve=SAMPLE_LIGHT_PRESOLVE,
    )


@dataclass(frozen=True)
class OptionOutcome:
    """One option's verified plan on one sample, in figures.

    ``unmet_items`` holds (item id, unmet FTE-weeks) for each item not fully
    delivered; ``utilisation`` holds (staff id, mean load over capacity) for
    each person with capacity in the horizon.
    """

    option_id: str
    demand_fte_weeks: Decimal
    delivered_fte_weeks: Decimal
    unmet_fte_weeks: Decimal
    unmet_mandatory_fte_weeks: Decimal
    status: SolveStatus
    gap: Decimal
    unmet_items: tuple[tuple[str, Decimal], ...]
    utilisation: tuple[tuple[str, Decimal], ...]
    runtime_seconds: float = field(compare=False)
    plan: bytes = field(default=b"", compare=False, repr=False)
    """The plan itself, compressed (:func:`capacity.plan_cache.plan_body` as JSON), so
    that a study can be saved and its plans checked again when read back
    (:mod:`capacity.risk.saved`); empty in a study made up by hand."""

    @property
    def mandatory_delivered(self) -> bool:
        return self.unmet_mandatory_fte_weeks == 0


@dataclass(frozen=True)
class SampleResult:
    """What one sample drew, and every option's outcome on it."""

    index: int
    bids_won: int
    bids_lost: int
    dropped: tuple[str, ...]
    holder_appointed: bool
    absence_weeks: int
    absences: int
    outcomes: tuple[OptionOutcome, ...]


@dataclass(frozen=True)
class StudyResult:
    """A whole study: its inputs and every sample's result, in sample order."""

    scenario: Scenario
    seed: int
    settings: SolverSettings
    option_ids: tuple[str, ...]
    samples: tuple[SampleResult, ...]

    def outcomes(self, option_id: str) -> list[OptionOutcome]:
        return [o for s in self.samples for o in s.outcomes if o.option_id == option_id]

    @property
    def backstop_hits(self) -> int:
        """Sampled solves stopped by the wall-clock backstop, so not reproducible.

        The backstop (``settings.time_limit_seconds``) limits the whole solve of one
        option, all phases, which is what ``runtime_seconds`` measures: a solve it cut
        off ran (within timer resolution) at least that long.
        """
        limit = self.settings.time_limit_seconds
        return sum(1 for s in self.samples for o in s.outcomes if o.runtime_seconds >= limit * 0.99)


def starting_plans(
    scenario: Scenario, settings: SolverSettings, option_ids: Sequence[str]
) -> dict[str, Plan]:
    """Each option's plan of the scenario itself with every bid won, searched as hard as
    ``capacity compare`` searches (its default budget, the study's seed and time limit):
    the plan each sample's search starts from (a sample differs from it in a few drawn
    ranges, outcomes and absences; :func:`capacity.solver.solve` keeps it where it still
    fits). Deterministic, so the study's results do not depend on which worker planned
    it."""
    # The default backstop, not the samples' short one: the budget must end the search.
    thorough = SolverSettings.for_search_budget(DETERMINISTIC_SECONDS_PER_PHASE, seed=settings.seed)
    return {
        option_id: plan_option(scenario, option_id, thorough, explain=False, bids=BidMode.WON)
        for option_id in option_ids
    }


def run_sample(
    scenario: Scenario,
    index: int,
    seed: int,
    settings: SolverSettings,
    option_ids: Sequence[str],
    start_from: Mapping[str, Plan] | None = None,
) -> SampleResult:
    """Draw sample ``index`` and plan, verify and measure every option on it (from the
    option's plan in ``start_from``, if given: see :func:`starting_plans`)."""
    sample = draw_sample(scenario, seed, index)
    outcomes = []
    for option_id in option_ids:
        # The sample has drawn each bid's outcome (lost deliveries are gone): the rest are won.
        plan = plan_option(
            sample.scenario,
            option_id,
            settings,
            explain=False,
            bids=BidMode.WON,
            start_from=(start_from or {}).get(option_id),
        )
        outcomes.append(outcome_of(plan))
    return sample_result(sample, index, outcomes)


def outcome_of(plan: Plan) -> OptionOutcome:
    """A verified sampled plan in figures (and, for saving the study, the plan itself)."""
    problem = plan.problem
    unmet: dict[str, Decimal] = {}
    for task in plan.unmet:
        unmet[task.item_id] = unmet.get(task.item_id, Decimal(0)) + task.demand_fte_weeks
    utilisation = tuple(
        (member.id, plan.utilisation(member.id)[0])
        for member in problem.staff
        if any(problem.capacity[member.id])
    )
    return OptionOutcome(
        option_id=plan.option_id,
        demand_fte_weeks=problem.total_demand_fte_weeks,
        delivered_fte_weeks=plan.delivered_fte_weeks,
        unmet_fte_weeks=plan.unmet_fte_weeks,
        unmet_mandatory_fte_weeks=plan.unmet_mandatory_fte_weeks,
        status=plan.solver.status,
        gap=plan.solver.gap,
        unmet_items=tuple(unmet.items()),
        utilisation=utilisation,
        runtime_seconds=plan.solver.runtime_seconds,
        plan=zlib.compress(json.dumps(plan_body(plan)).encode("utf-8")),
    )


def sample_result(sample: Sample, index: int, outcomes: Sequence[OptionOutcome]) -> SampleResult:
    """What sample ``index`` drew, with every option's outcome on it."""
    return SampleResult(
        index=index,
        bids_won=len(sample.bids_won),
        bids_lost=len(sample.bids_lost),
        dropped=sample.dropped,
        holder_appointed=sample.holder_appointed,
        absence_weeks=sum(a.weeks for a in sample.absences),
        absences=len(sample.absences),
        outcomes=tuple(outcomes),
    )


def run_chunk(
    scenario: Scenario,
    indices: Sequence[int],
    seed: int,
    settings: SolverSettings,
    option_ids: Sequence[str],
    warm_start: bool = False,
) -> list[SampleResult]:
    """Several samples in one call (one task for a process pool or a Dask worker), each
    starting from the options' :func:`starting_plans` (planned once per call) when
    ``warm_start``."""
    starts = starting_plans(scenario, settings, option_ids) if warm_start else None
    return [run_sample(scenario, i, seed, settings, option_ids, starts) for i in indices]


def run_indices(
    indices: Sequence[int],
    scenario: Scenario,
    seed: int,
    settings: SolverSettings,
    option_ids: Sequence[str],
    warm_start: bool = False,
) -> list[SampleResult]:
    """:func:`run_chunk` with the indices first, for ``map`` over chunks (Dask)."""
    return run_chunk(scenario, indices, seed, settings, option_ids, warm_start)


Progress = Callable[[int], None]
"""Called with the number of samples just finished."""


def run_study(
    scenario: Scenario,
    samples: int,
    seed: int = 0,
    workers: int = 1,
    settings: SolverSettings | None = None,
    option_ids: Sequence[str] | None = None,
    dask_address: str | None = None,
    on_progress: Progress | None = None,
    warm_start: bool = False,
) -> StudyResult:
    """Run ``samples`` samples of every option (or those named).

    Parameters
    ----------
    scenario
        The scenario; its ``uncertainty`` says how to draw.
    samples
        How many samples.
    seed
        The study's seed: with the scenario, it fixes every draw.
    workers
        Local worker processes (1: in this process). Ignored with ``dask_address``.
    settings
        Solver settings; default :func:`sample_settings` (reproducible).
    option_ids
        Options to plan; default all, in the scenario's order.
    dask_address
        Address of a Dask distributed scheduler to run the samples on instead.
    on_progress
        See :data:`Progress`.
    warm_start
        Start each sample's search from the options' :func:`starting_plans`. Off by
        default, by measurement (``benchmarks/risk.py``, 2026-12-03, 8 samples x 4
        options, 2 workers, the sample budget of 2 deterministic seconds a phase): from
        scratch 21.8 s a sample and a mean gap of 33% to CP-SAT's bound; from the starting
        plans 61.5 s (the starting plans are four more solves per worker) and 98%. A
        sample differs from the scenario in its drawn ranges and absences, so the
        starting plan rarely still fits, and as a mere hint it led the short search
        astray.
    """
    if samples < 1:
        raise CapacityError("a study needs at least 1 sample")
    if workers < 1:
        raise CapacityError("--workers must be at least 1")
    settings = settings or sample_settings()
    ids = tuple(option_ids or [o.id for o in scenario.options])
    for option_id in ids:
        scenario.option(option_id)  # an unknown option fails now, not in a worker
    progress = on_progress or (lambda _done: None)
    if dask_address is not None:
        from capacity.risk.cluster import run_on_dask

        results = run_on_dask(
            dask_address, scenario, samples, seed, settings, ids, progress, warm_start
        )
    elif workers == 1:
        starts = starting_plans(scenario, settings, ids) if warm_start else None
        results = []
        for index in range(samples):
            results.append(run_sample(scenario, index, seed, settings, ids, starts))
            progress(1)
    else:
        results = _run_local(scenario, samples, seed, workers, settings, ids, progress, warm_start)
    ordered = tuple(sorted(results, key=lambda r: r.index))
    return StudyResult(scenario, seed, settings, ids, ordered)


def chunks(samples: int, workers: int) -> list[list[int]]:
    """Sample indices in chunks: about four per worker, so the last ones finish together."""
    size = max(1, math.ceil(samples / (workers * 4)))
    return [list(range(start, min(samples, start + size))) for start in range(0, samples, size)]


# -- local processes: each worker holds the study's inputs from its start --------------

_WORKER_INPUTS: tuple[Scenario, int, SolverSettings, tuple[str, ...], bool] | None = None
_WORKER_STARTS: dict[str, Plan] | None = None  # the worker's starting plans, planned once


def _start_worker(
    scenario: Scenario,
    seed: int,
    settings: SolverSettings,
    option_ids: tuple[str, ...],
    warm_start: bool,
) -> None:
    global _WORKER_INPUTS, _WORKER_STARTS
    _WORKER_INPUTS = (scenario, seed, settings, option_ids, warm_start)
    _WORKER_STARTS = None


def _worker_chunk(indices: list[int]) -> list[SampleResult]:
    global _WORKER_STARTS
    assert _WORKER_INPUTS is not None, "the pool's initializer did not run"
    scenario, seed, settings, option_ids, warm_start = _WORKER_INPUTS
    if warm_start and _WORKER_STARTS is None:
        _WORKER_STARTS = starting_plans(scenario, settings, option_ids)
    return [run_sample(scenario, i, seed, settings, option_ids, _WORKER_STARTS) for i in indices]


def _run_local(
    scenario: Scenario,
    samples: int,
    seed: int,
    workers: int,
    settings: SolverSettings,
    option_ids: tuple[str, ...],
    progress: Progress,
    warm_start: bool,
) -> list[SampleResult]:
    # spawn, not fork: the parent may hold solver threads, which fork does not copy safely.
    with ProcessPoolExecutor(
        max_workers=min(workers, samples),
        mp_context=get_context("spawn"),
        initializer=_start_worker,
        initargs=(scenario, seed, settings, option_ids, warm_start),
    ) as pool:
        futures = [pool.submit(_worker_chunk, chunk) for chunk in chunks(samples, workers)]

        def cancel() -> None:
            for future in futures:
                future.cancel()

        return collect_chunks(as_completed(futures), progress, cancel)


def collect_chunks(
    finished: Iterable[Any], progress: Progress, cancel: Callable[[], None]
) -> list[SampleResult]:
    """The results of chunk futures as they finish, reporting progress; on any failure
    (or Ctrl-C) the futures not yet run are cancelled. For local and Dask futures alike."""
    results: list[SampleResult] = []
    try:
        for future in finished:
            done = future.result()
            results += done
            progress(len(done))
    except BaseException:
        cancel()
        raise
    return results


# -- aggregation -------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRisk:
    """How often, and by how much, one item is (at least partly) unmet under one option.

    Both figures are over the ``present_samples`` in which the item arises (a lost
    bid's delivery does not): ``unmet_share`` is the share of them that leave it
    unmet, ``mean_unmet_fte_weeks_when_arising`` the mean FTE-weeks left unmet in
    them (0 in those that deliver it in full).
    """

    item_id: str
    name: str
    mandatory: bool
    unmet_samples: int
    present_samples: int
    mean_unmet_fte_weeks_when_arising: Decimal

    @property
    def unmet_share(self) -> float:
        """Share of the samples in which the item arises that leave it unmet."""
        return self.unmet_samples / self.present_samples if self.present_samples else 0.0


@dataclass(frozen=True)
class OptionRisk:
    """One option over the whole study.

    Percentiles are of the samples' unmet demand (FTE-weeks), by the
    inverted empirical distribution: P90 is the least value that at least 90%
    of samples do not exceed, so "in 90% of samples unmet demand is at most
    P90" is read straight off the samples.
    """

    option_id: str
    name: str
    samples: int
    mandatory_delivered_share: float
    unmet_p10: Decimal
    unmet_p50: Decimal
    unmet_p90: Decimal
    unmet_mean: Decimal
    unmet_mandatory_mean: Decimal
    utilisation: dict[str, Decimal]
    items: tuple[ItemRisk, ...]
    """Every item ever left unmet, most often unmet first."""
    proven_optimal_share: float
    mean_gap: float


def summarise(study: StudyResult) -> list[OptionRisk]:
    """Every option's figures over the study, in the study's option order."""
    scenario = study.scenario
    names = {w.id: w.name for w in scenario.work}
    mandatory = {w.id: w.mandatory for w in scenario.work}
    present: dict[str, int] = {}
    for sample in study.samples:
        for item in scenario.work:
            if item.id not in sample.dropped:
                present[item.id] = present.get(item.id, 0) + 1
    risks = []
    for option_id in study.option_ids:
        outcomes = study.outcomes(option_id)
        n = len(outcomes)
        unmet = sorted(o.unmet_fte_weeks for o in outcomes)
        unmet_counts: dict[str, int] = {}
        unmet_totals: dict[str, Decimal] = {}
        for outcome in outcomes:
            for item_id, fte_weeks in outcome.unmet_items:
                if item_id not in names:
                    continue  # a starter's induction (the problem's own work): in the totals
                unmet_counts[item_id] = unmet_counts.get(item_id, 0) + 1
                unmet_totals[item_id] = unmet_totals.get(item_id, Decimal(0)) + fte_weeks
        items = sorted(
            (
                ItemRisk(
                    item_id=item_id,
                    name=names[item_id],
                    mandatory=mandatory[item_id],
                    unmet_samples=count,
                    present_samples=present[item_id],
                    mean_unmet_fte_weeks_when_arising=unmet_totals[item_id] / present[item_id],
                )
                for item_id, count in unmet_counts.items()
            ),
            key=lambda r: (-r.unmet_share, -r.mean_unmet_fte_weeks_when_arising, r.item_id),
        )
        risks.append(
            OptionRisk(
                option_id=option_id,
                name=scenario.option(option_id).name,
                samples=n,
                mandatory_delivered_share=sum(o.mandatory_delivered for o in outcomes) / n,
                unmet_p10=_percentile(unmet, 10),
                unmet_p50=_percentile(unmet, 50),
                unmet_p90=_percentile(unmet, 90),
                unmet_mean=sum(unmet, Decimal(0)) / n,
                unmet_mandatory_mean=sum(
                    (o.unmet_mandatory_fte_weeks for o in outcomes), Decimal(0)
                )
                / n,
                utilisation=_mean_by_person(o.utilisation for o in outcomes),
                items=tuple(items),
                proven_optimal_share=sum(o.status is SolveStatus.OPTIMAL for o in outcomes) / n,
                mean_gap=sum(float(o.gap) for o in outcomes) / n,
            )
        )
    return risks


def _percentile(ordered: list[Decimal], percent: int) -> Decimal:
    """The least sampled value that at least ``percent``% of samples do not exceed."""
    rank = max(1, math.ceil(len(ordered) * percent / 100))
    return ordered[rank - 1]


def _mean_by_person(rows: Iterable[tuple[tuple[str, Decimal], ...]]) -> dict[str, Decimal]:
    """Mean utilisation per person over the samples in which they had capacity."""
    totals: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    for row in rows:
        for staff_id, share in row:
            totals[staff_id] = totals.get(staff_id, Decimal(0)) + share
            counts[staff_id] = counts.get(staff_id, 0) + 1
    return {staff_id: totals[staff_id] / counts[staff_id] for staff_id in totals}
