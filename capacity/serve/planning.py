"""The one place the what-if page plans: only the options a change affects, in the background.

Every plan the page shows comes back from :func:`capacity.pipeline.plan_option` (solved,
verified, explained), through :func:`plan_what_if`. What makes a re-plan incremental:

- :class:`OptionPlans` is a plan cache (:class:`capacity.plan_cache.PlanCache`) keyed by
  the option's *planning problem* rather than the whole scenario. A change that leaves an
  option's problem as it was (a recruit of another option, a cost, a name) finds that
  option's plan there; it is rebuilt for the new scenario and passes the verifier again
  before use. Undo, reset and any state seen before are found the same way. It is layered
  over the user's own plan cache (:meth:`PlanCache.default`), so plans ``capacity
  compare`` saved are used too, and plans the page solves are saved for ``compare``.
- with ``base_settings`` (what ``capacity serve`` does), the base scenario - the first
  state, and any state that changes nothing - is planned as ``capacity compare`` plans it,
  at that (default) budget, and every other state from the base's plans
  (:func:`capacity.pipeline.base_plans`; ``plan_option(..., start_from=...)``): kept where
  they still fit, then a short search at the page's own budget. An option whose problem
  the change leaves as it was keeps the base's plan. The start does not depend on the
  edits that led to a state, so ``capacity compare --from-base`` on the saved what-if
  gives the page's figures. Without ``base_settings`` every state is planned from
  scratch at the page's budget, which on the shipped data gives far worse plans (option
  4 wrote none of its 7 bids at a budget of 1; figures in ``base_plans``).

:class:`PlanningWorker` runs this in one background thread, so the page stays responsive:
it reports what it is planning, and a request made while it plans supersedes the one it
is on (the options not yet planned for the old state are not planned at all).

Before it searches a state from the base's plans, the worker shows a first answer
(:func:`first_answer`): each option's base plan kept where it still fits and the rest
placed greedily, verified and explained, with no search (under a tenth of a second an
option on the shipped data). The page marks it as such and offers no downloads until the
searched plans replace it.
Measured 2026-12-02 on the shipped 2021/22 data (the page's default: the base at the
default budget, a change at a budget of 1), two options side by side on this 2-core
machine, from opening each what-if file of ``scenarios/`` (``benchmarks/replanning.py``):
the first answer shown after 0.68-0.79 s, the searched plans of every option the change
affects after 6.6-11.5 s; before there was a first answer, nothing new showed for 13-18 s.
The searched plans are what ``capacity compare --from-base`` gives for the saved what-if;
the first answer is not (on the officer's absence, option 4's kept plan writes 5 of its 7
bids, the search all 7), and each option's searched plan replaces its first answer as
soon as it is ready.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from capacity.domain.estimate import PointRule
from capacity.domain.problem import build_problem
from capacity.domain.scenario import Scenario
from capacity.domain.work import BidMode
from capacity.finance import option_cost
from capacity.pipeline import default_workers, kept_plan, plan_option
from capacity.plan import OptionResult, Plan
from capacity.plan_cache import PlanCache, canonical, start_key
from capacity.verifier import check_plan

if TYPE_CHECKING:
    from capacity.domain.problem import PlanningProblem
    from capacity.solver import SolverSettings


class OptionPlans(PlanCache):
    """Verified plans by the option's planning problem (not the whole scenario), in the
    session's folder, over the user's plan cache (``persistent``, or ``None``).

    ``solved`` lists the options this cache did not have, in the order planned.
    """

    def __init__(self, folder: Path, persistent: PlanCache | None):
        super().__init__(folder)
        self.persistent = persistent

    def key(
        self, problem: PlanningProblem, settings: SolverSettings, start_from: Plan | None = None
    ) -> str:
        """A digest of everything the solver is given: the problem without its scenario
        (and the plan the search starts from, if any)."""
        fields = {
            f.name: getattr(problem, f.name)
            for f in dataclasses.fields(problem)
            if f.name != "scenario"
        }
        parts = ["serve 1", canonical(fields), canonical(settings)]
        if start_from is not None:
            parts.append(start_key(start_from))
        text = "\n".join(parts)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def load(
        self,
        problem: PlanningProblem,
        settings: SolverSettings,
        explain: bool,
        start_from: Plan | None = None,
    ) -> Plan | None:
        plan = super().load(problem, settings, explain, start_from)
        if plan is None and self.persistent is not None:
            plan = self.persistent.load(problem, settings, explain, start_from)
            if plan is not None:
                super().store(plan, settings, start_from)
                if start_from is None:
                    self.hits.append(problem.option_id)
        return plan

    def store(self, plan: Plan, settings: SolverSettings, start_from: Plan | None = None) -> None:
        super().store(plan, settings, start_from)
        if self.persistent is not None:
            self.persistent.store(plan, settings, start_from)


@dataclass(frozen=True)
class Replan:
    """One re-plan: every option's verified, costed result, which options were solved (the
    rest were unchanged and reused), and how long it took."""

    results: list[OptionResult]
    solved: list[str]
    seconds: float
    searching: tuple[str, ...] = ()
    """In a first answer (:func:`first_answer`), the options still being searched, whose
    plans here are their base's kept where it fits (the others' are their searched plans,
    or were found with no search)."""

    @property
    def provisional(self) -> bool:
        """Whether this is a first answer: some options are still being searched."""
        return bool(self.searching)


def plan_what_if(
    scenario: Scenario,
    settings: SolverSettings,
    cache: OptionPlans,
    previous: dict[str, Plan],
    point_rule: PointRule | None = None,
    bids: BidMode = BidMode.EXPECTED,
    on_option: Callable[[str], None] | None = None,
    superseded: Callable[[], bool] = lambda: False,
    planned: dict[str, Plan] | None = None,
    on_result: Callable[[str, OptionResult], None] | None = None,
) -> Replan | None:
    """Plan every option of ``scenario``, solving only those whose problem changed.

    ``planned`` keeps the plans solved from ``previous`` by the cache's key of their
    problem (for the same ``previous`` every time: the base's), so a state seen before
    (undo, reset) or an option a change leaves alone is not solved again.

    ``previous`` holds the plan of each option each solve starts from (the base's, or
    empty: a cold start, as ``capacity compare``'s without ``--from-base``);
    ``on_option(option_id)`` is told before each option starts; ``superseded()`` is
    asked as each finishes, and ``None`` is returned as soon as it says yes (the options
    not started are not planned); ``on_result(option_id, result)`` is told each option's
    result as it is ready, in this function's thread.
    """
    planned = {} if planned is None else planned
    began = time.perf_counter()
    hits_before = Counter(cache.hits)
    unchanged: set[str] = set()  # options not solved: as their start, or planned before

    def plan_one(option_id: str) -> OptionResult:
        if on_option is not None:
            on_option(option_id)
        start = previous.get(option_id)
        problem, key, before = _planned_before(
            scenario, option_id, settings, cache, start, planned, point_rule, bids
        )
        if start is not None and (start.problem.same_as(problem) or before is not None):
            unchanged.add(option_id)
        if before is not None:
            plan = before
        else:
            plan = plan_option(
                scenario,
                option_id,
                settings,
                point_rule,
                bids=bids,
                cache=cache,
                start_from=start,
            )
            if start is not None:
                planned[key] = plan
        return OptionResult(plan, option_cost(scenario, option_id, point_rule=point_rule))

    # The options are planned side by side, one CP-SAT worker each (CP-SAT releases the
    # interpreter while it searches): each solve is the same as alone, on its own
    # deterministic budget, so the figures do not change; only the wait does.
    ids = [option.id for option in scenario.options]
    with ThreadPoolExecutor(max_workers=max(1, min(len(ids), default_workers()))) as pool:
        futures = {pool.submit(plan_one, option_id): option_id for option_id in ids}
        done: dict[str, OptionResult] = {}
        for future in as_completed(futures):
            done[futures[future]] = future.result()
            if on_result is not None:
                on_result(futures[future], done[futures[future]])
            if superseded():
                for waiting in futures:
                    waiting.cancel()
                return None
    hits = Counter(cache.hits) - hits_before
    solved = [o for o in ids if not hits[o] and o not in unchanged]
    return Replan([done[option_id] for option_id in ids], solved, time.perf_counter() - began)


def first_answer(
    scenario: Scenario,
    settings: SolverSettings,
    cache: OptionPlans,
    previous: dict[str, Plan],
    planned: dict[str, Plan],
    point_rule: PointRule | None = None,
    bids: BidMode = BidMode.EXPECTED,
) -> Replan | None:
    """What the page shows while :func:`plan_what_if` searches, in under a tenth of a
    second an option on the shipped data: each option's plan found as :func:`plan_what_if`
    finds it where it needs no search, else its start (``previous``) kept where it still
    fits and the rest placed greedily (:func:`capacity.pipeline.kept_plan`), every plan
    verified.

    ``None`` when there is nothing to show first: no option needs a search, or an option
    has no plan to start from (the base, or a page planning every state from scratch).
    """
    began = time.perf_counter()
    results, searched = [], []
    for option in scenario.options:
        start = previous.get(option.id)
        if start is None:
            return None
        problem, _, plan = _planned_before(
            scenario, option.id, settings, cache, start, planned, point_rule, bids
        )
        if plan is None:
            plan = kept_plan(scenario, option.id, start, point_rule, bids=bids)
            if not start.problem.same_as(problem):
                searched.append(option.id)
        results.append(OptionResult(plan, option_cost(scenario, option.id, point_rule=point_rule)))
    if not searched:
        return None
    return Replan(results, [], time.perf_counter() - began, tuple(searched))


def _planned_before(
    scenario: Scenario,
    option_id: str,
    settings: SolverSettings,
    cache: OptionPlans,
    start: Plan | None,
    planned: dict[str, Plan],
    point_rule: PointRule | None,
    bids: BidMode,
) -> tuple[PlanningProblem, str, Plan | None]:
    """The option's problem, its key in ``cache``, and its plan solved before from the
    same start (``planned``), checked again, if there is one."""
    problem = build_problem(scenario, option_id, point_rule, bids)
    key = cache.key(problem, settings)
    if start is None or key not in planned:
        return problem, key, None
    return problem, key, check_plan(scenario, dataclasses.replace(planned[key], problem=problem))


@dataclass
class PlanningStatus:
    """What the worker is doing, for the page's busy indicator."""

    wanted: int = 0
    shown: int = -1
    planning: str | None = None
    started: float | None = None
    error: str | None = None
    last_seconds: float | None = None
    last_solved: tuple[str, ...] = ()
    first_shown: int = -1
    """The newest state whose first answer (:func:`first_answer`) is shown."""


class PlanningWorker:
    """One background thread that plans the latest state asked for.

    ``request(version, scenario, is_base)`` asks for a state (``is_base``: it changes
    nothing of the base scenario); ``latest()`` is the newest finished re-plan and its
    version. ``on_show(version, replan)`` runs in the worker thread for each first answer
    and re-plan as it is ready, to show it (the page's session takes its figures there).
    With ``base_settings``, the base is planned at those settings and every other state
    from its plans (see the module's notes).
    """

    def __init__(
        self,
        settings: SolverSettings,
        cache: OptionPlans,
        point_rule: PointRule | None = None,
        bids: BidMode = BidMode.EXPECTED,
        on_show: Callable[[int, Replan], None] | None = None,
        log: Callable[[str], None] | None = None,
        base_settings: SolverSettings | None = None,
    ):
        self.settings, self.cache, self.point_rule, self.bids = settings, cache, point_rule, bids
        self.on_show = on_show
        self.log = log
        self.base_settings = base_settings
        self.status = PlanningStatus()
        self._wanted: tuple[int, Scenario, bool] | None = None
        self._latest: tuple[int, Replan] | None = None
        self._base_scenario: Scenario | None = None
        self._base: dict[str, Plan] = {}  # the base's plans, once planned
        self._from_base: dict[str, Plan] = {}  # plans solved from them, by problem
        self._running: list[str] = []  # the options being planned now
        self._condition = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="capacity-planning", daemon=True)
        self._thread.start()

    def request(self, version: int, scenario: Scenario, is_base: bool = False) -> None:
        with self._condition:
            if is_base and self._base_scenario is None:
                self._base_scenario = scenario
            self._wanted = (version, scenario, is_base)
            self.status.wanted = version
            self._condition.notify()

    def latest(self) -> tuple[int, Replan] | None:
        with self._condition:
            return self._latest

    def busy(self) -> bool:
        with self._condition:
            return self._wanted is not None or self.status.planning is not None

    def wait(self, version: int, timeout: float) -> bool:
        """Block until ``version`` (or a later one) is shown; for tests and scripts."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while self.status.shown < version and self.status.error is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._condition.wait(left)
            return self.status.shown >= version

    def stop(self, timeout: float | None = None) -> None:
        """Stop after the option being solved (a solve cannot be cut short safely) and wait
        for the thread, so that no solve outlives the page."""
        with self._condition:
            self._stopping = True
            self._condition.notify_all()
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._condition:
                while self._wanted is None and not self._stopping:
                    self._condition.wait()
                if self._stopping or self._wanted is None:
                    return
                version, scenario, is_base = self._wanted
                self._wanted = None
                self.status.started = time.perf_counter()
                self.status.error = None
                self.status.planning = scenario.options[0].id
                self._running = []

            def newer() -> bool:
                with self._condition:
                    return self._wanted is not None or self._stopping

            try:
                show_first = functools.partial(self._show_first, version)
                replan = self._plan(scenario, is_base, self._planning, newer, show_first)
                if replan is not None and self.on_show is not None:
                    self.on_show(version, replan)
                finished = time.perf_counter() - (self.status.started or 0)
            except Exception as exc:  # a bug: said on the page, the last good plan kept
                with self._condition:
                    self.status.planning = None
                    first = self.status.first_shown == version
                    kept = "the first answer" if first else "the last plan"
                    self.status.error = f"internal error, {kept} is kept: {exc}"
                    self._condition.notify_all()
                if self.log:
                    self.log(f"planning failed: {exc!r}")
                continue
            with self._condition:
                self.status.planning = None
                if replan is not None:
                    self._latest = (version, replan)
                    self.status.shown = version
                    self.status.last_seconds = replan.seconds
                    self.status.last_solved = tuple(replan.solved)
                self._condition.notify_all()
            if replan is not None and self.log:
                solved = ", ".join(replan.solved) or "none (all unchanged)"
                self.log(
                    f"state {version}: planned in {replan.seconds:.2f} s, shown after "
                    f"{finished:.2f} s (the charts are drawn when the page asks); solved {solved}"
                )

    def _planning(self, option_id: str, started: bool = True) -> None:
        """Say which options are being planned, side by side, as each starts and ends (the
        last said stays until the next starts, or the state is done)."""
        with self._condition:
            if started:
                self._running.append(option_id)
            elif option_id in self._running:
                self._running.remove(option_id)
            if self._running:
                self.status.planning = ", ".join(self._running)

    def _show_first(self, version: int, first: Replan) -> None:
        """Show a state's first answer (:func:`first_answer`), or the same with some
        options' searched plans in, while the others are searched."""
        if self.on_show is not None:
            self.on_show(version, first)
        with self._condition:
            self.status.first_shown = version
            self._condition.notify_all()
        if self.log:
            self.log(
                f"state {version}: shown after "
                f"{time.perf_counter() - (self.status.started or 0):.2f} s with first answers "
                f"for {', '.join(first.searching)}, still searched"
            )

    def _closing(self) -> bool:
        with self._condition:
            return self._stopping

    def _plan(
        self,
        scenario: Scenario,
        is_base: bool,
        planning: Callable[[str, bool], None],
        newer: Callable[[], bool],
        show_first: Callable[[Replan], None],
    ) -> Replan | None:
        """Plan a state: the base at the base's settings (once, and kept), any other state
        from the base's plans at the page's settings, after showing a first answer
        (:func:`first_answer`); without ``base_settings``, every state from scratch at the
        page's settings. ``planning(option_id, started)`` is told as each option starts and
        ends."""

        def started(option_id: str) -> None:
            planning(option_id, True)

        def ended(option_id: str, result: OptionResult) -> None:
            planning(option_id, False)

        if self.base_settings is not None and (not self._base or is_base):
            base = self._base_scenario if not is_base else scenario
            assert base is not None, "the base is always the first state asked for"
            # Planned to the end even if a newer state is asked for (every state needs it),
            # unless the page is closing.
            planned = plan_what_if(
                base,
                self.base_settings,
                self.cache,
                {},
                self.point_rule,
                self.bids,
                on_option=started,
                superseded=self._closing,
                on_result=ended,
            )
            if planned is None:
                return None
            self._base = {r.plan.option_id: r.plan for r in planned.results}
            if is_base:
                return planned
        try:
            first = first_answer(
                scenario,
                self.settings,
                self.cache,
                self._base,
                self._from_base,
                self.point_rule,
                self.bids,
            )
        except Exception as exc:  # only ever extra: the search goes on without it
            first = None
            if self.log:
                self.log(f"no first answer: {exc!r}")
        on_result = ended
        if first is not None and not newer():
            show_first(first)
            shown = {r.plan.option_id: r for r in first.results}
            searching = list(first.searching)

            def on_result(option_id: str, result: OptionResult) -> None:
                # Each option's searched plan in place of its first answer as it is ready.
                ended(option_id, result)
                if option_id not in searching or newer():
                    return
                searching.remove(option_id)
                shown[option_id] = result
                if searching:
                    results = [shown[option.id] for option in scenario.options]
                    show_first(Replan(results, [], first.seconds, tuple(searching)))

        return plan_what_if(
            scenario,
            self.settings,
            self.cache,
            self._base,
            self.point_rule,
            self.bids,
            on_option=started,
            superseded=newer,
            planned=self._from_base,
            on_result=on_result,
        )
