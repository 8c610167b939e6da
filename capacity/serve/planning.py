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
- with ``warm_start``, an option whose problem did change is solved from the previous plan
  of the same option (``plan_option(..., start_from=...)``). It is off by default: under
  the page's small search budget a solve is cut off by the budget whether it starts warm
  or cold (on the shipped data, loaded machine: the first plan took 40 s cold, each change
  to the work 31-68 s warm), and a warm start makes the plan depend on the path of edits
  that led to it, so ``capacity compare`` on the saved what-if, which starts cold, would
  not give the page's figures (measured after twelve edits: three options of four differed).

:class:`PlanningWorker` runs this in one background thread, so the page stays responsive:
it reports what it is planning, and a request made while it plans supersedes the one it
is on (the options not yet planned for the old state are not planned at all).
"""

from __future__ import annotations

import dataclasses
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
from capacity.domain.scenario import Scenario
from capacity.domain.work import BidMode
from capacity.finance import option_cost
from capacity.pipeline import default_workers, plan_option
from capacity.plan import OptionResult, Plan
from capacity.plan_cache import PlanCache, _canonical

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

    def key(self, problem: PlanningProblem, settings: SolverSettings) -> str:
        """A digest of everything the solver is given: the problem without its scenario."""
        fields = {
            f.name: getattr(problem, f.name)
            for f in dataclasses.fields(problem)
            if f.name != "scenario"
        }
        text = "\n".join(["serve 1", _canonical(fields), _canonical(settings)])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def load(
        self, problem: PlanningProblem, settings: SolverSettings, explain: bool
    ) -> Plan | None:
        plan = super().load(problem, settings, explain)
        if plan is None and self.persistent is not None:
            plan = self.persistent.load(problem, settings, explain)
            if plan is not None:
                super().store(plan, settings)
                self.hits.append(problem.option_id)
        return plan

    def store(self, plan: Plan, settings: SolverSettings) -> None:
        super().store(plan, settings)
        if self.persistent is not None:
            self.persistent.store(plan, settings)


@dataclass(frozen=True)
class Replan:
    """One re-plan: every option's verified, costed result, which options were solved (the
    rest were unchanged and reused), and how long it took."""

    results: list[OptionResult]
    solved: list[str]
    seconds: float


def plan_what_if(
    scenario: Scenario,
    settings: SolverSettings,
    cache: OptionPlans,
    previous: dict[str, Plan],
    point_rule: PointRule | None = None,
    bids: BidMode = BidMode.EXPECTED,
    on_option: Callable[[str], None] | None = None,
    superseded: Callable[[], bool] = lambda: False,
) -> Replan | None:
    """Plan every option of ``scenario``, solving only those whose problem changed.

    ``previous`` holds the plan of each option each solve starts from (empty: a cold
    start, as ``capacity compare``'s); ``on_option(option_id)`` is told before each
    option starts; ``superseded()`` is asked as each finishes, and ``None`` is returned as
    soon as it says yes (the options not started are not planned).
    """
    began = time.perf_counter()
    hits_before = Counter(cache.hits)

    def plan_one(option_id: str) -> OptionResult:
        if on_option is not None:
            on_option(option_id)
        plan = plan_option(
            scenario,
            option_id,
            settings,
            point_rule,
            bids=bids,
            cache=cache,
            start_from=previous.get(option_id),
        )
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
            if superseded():
                for waiting in futures:
                    waiting.cancel()
                return None
    hits = Counter(cache.hits) - hits_before
    solved = [option_id for option_id in ids if not hits[option_id]]
    return Replan([done[option_id] for option_id in ids], solved, time.perf_counter() - began)


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


class PlanningWorker:
    """One background thread that plans the latest state asked for.

    ``request(version, scenario)`` asks for a state; ``latest()`` is the newest finished
    re-plan and its version. ``on_done(version, replan)`` runs in the worker thread before
    the re-plan is shown (the page draws its charts there).
    """

    def __init__(
        self,
        settings: SolverSettings,
        cache: OptionPlans,
        point_rule: PointRule | None = None,
        bids: BidMode = BidMode.EXPECTED,
        on_done: Callable[[int, Replan], None] | None = None,
        log: Callable[[str], None] | None = None,
        warm_start: bool = False,
    ):
        self.settings, self.cache, self.point_rule, self.bids = settings, cache, point_rule, bids
        self.on_done = on_done
        self.log = log
        self.warm_start = warm_start
        self.status = PlanningStatus()
        self._wanted: tuple[int, Scenario] | None = None
        self._latest: tuple[int, Replan] | None = None
        self._previous: dict[str, Plan] = {}
        self._condition = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="capacity-planning", daemon=True)
        self._thread.start()

    def request(self, version: int, scenario: Scenario) -> None:
        with self._condition:
            self._wanted = (version, scenario)
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
                version, scenario = self._wanted
                self._wanted = None
                self.status.started = time.perf_counter()
                self.status.error = None
                self.status.planning = scenario.options[0].id

            def newer() -> bool:
                with self._condition:
                    return self._wanted is not None or self._stopping

            def planning(option_id: str) -> None:
                with self._condition:
                    self.status.planning = option_id

            try:
                replan = plan_what_if(
                    scenario,
                    self.settings,
                    self.cache,
                    self._previous,
                    self.point_rule,
                    self.bids,
                    on_option=planning,
                    superseded=newer,
                )
                if replan is not None and self.on_done is not None:
                    self.on_done(version, replan)
                finished = time.perf_counter() - (self.status.started or 0)
            except Exception as exc:  # a bug: said on the page, the last good plan kept
                with self._condition:
                    self.status.planning = None
                    self.status.error = f"internal error, the last plan is kept: {exc}"
                    self._condition.notify_all()
                if self.log:
                    self.log(f"planning failed: {exc!r}")
                continue
            with self._condition:
                self.status.planning = None
                if replan is not None:
                    if self.warm_start:
                        self._previous = {r.plan.option_id: r.plan for r in replan.results}
                    self._latest = (version, replan)
                    self.status.shown = version
                    self.status.last_seconds = replan.seconds
                    self.status.last_solved = tuple(replan.solved)
                self._condition.notify_all()
            if replan is not None and self.log:
                solved = ", ".join(replan.solved) or "none (all unchanged)"
                self.log(
                    f"state {version}: planned in {replan.seconds:.2f} s, shown after "
                    f"{finished:.2f} s (charts drawn); solved {solved}"
                )
