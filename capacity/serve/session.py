"""One run of ``capacity serve``: the base scenario, the what-if's history, the planner.

The history is a list of states, each a what-if (:class:`~capacity.serve.whatif.WhatIf`)
with the scenario the reader built from it; undo goes back one, reset goes back to the
base (and can itself be undone). Every new state gets a version number and is handed to
the planning worker; what the page shows is the newest first answer or re-plan the
worker has given (:class:`Shown`), its charts drawn once each when the page asks.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from capacity.charts.gantt import gantt_subtitle
from capacity.domain.estimate import Estimate, PointRule
from capacity.domain.options import AddPost
from capacity.domain.scenario import Scenario
from capacity.domain.work import BidMode, WorkKind
from capacity.plan_cache import PlanCache
from capacity.reports.scenario_diff import scenario_diff
from capacity.serve.edits import apply_edit
from capacity.serve.planning import OptionPlans, PlanningWorker, Replan
from capacity.serve.views import (
    ChartDrawer,
    Charts,
    Comparison,
    OptionView,
    comparison,
    option_view,
)
from capacity.serve.whatif import Base, WhatIf, Workspace, what_if_text
from capacity.solver import SolverSettings

CHARTS_KEPT = 48
"""Options' drawn charts kept for states shown again (undo, reset): a dozen states of four."""


@dataclass(frozen=True)
class State:
    """A what-if, the scenario read from it, the reader's warnings and its merged mapping."""

    what_if: WhatIf
    scenario: Scenario
    warnings: list[str]
    raw: Mapping[str, Any]


ChartKey = tuple[str, str]
"""What an option's charts show: its problem's key and its plan (:func:`_seen`)."""


@dataclass(frozen=True)
class Shown:
    """A re-plan or a first answer as the page shows it (its charts are drawn apart)."""

    version: int
    state: State
    replan: Replan
    comparison: Comparison
    options: list[OptionView]
    serial: int = 0
    """Counts what the page has shown: a first answer and the searched plans of the same
    state differ in it, so a chart asked for is drawn for what is on the page."""
    chart_keys: tuple[ChartKey, ...] = ()
    """Each option's :data:`ChartKey`, in the order of ``options``."""


@dataclass
class Session:
    """The page's one session: see the module's docstring."""

    base: Base
    workspace: Workspace
    worker: PlanningWorker
    history: list[State] = field(default_factory=list)
    version: int = 0
    shown: Shown | None = None
    _states: dict[int, State] = field(default_factory=dict)
    _drawn: dict[ChartKey, Charts] = field(default_factory=dict)  # oldest first
    _drawing: dict[ChartKey, threading.Lock] = field(default_factory=dict)  # being drawn
    _drawer: ChartDrawer = field(default_factory=ChartDrawer)
    _lock: threading.RLock = field(default_factory=threading.RLock)

    @classmethod
    def start(
        cls,
        scenario: Path,
        folder: Path,
        settings: SolverSettings,
        point_rule: PointRule | None = None,
        bids: BidMode = BidMode.EXPECTED,
        persistent: PlanCache | None = None,
        log: Callable[[str], None] | None = None,
        base_settings: SolverSettings | None = None,
    ) -> Session:
        """Read the base scenario (a :class:`ScenarioError` if it is bad) and plan it
        (``base_settings``: see :mod:`capacity.serve.planning`)."""
        base = Base.read(scenario)
        cache = OptionPlans(folder / "plans", persistent)
        holder: list[Session] = []
        worker = PlanningWorker(
            settings,
            cache,
            point_rule,
            bids,
            lambda v, r: holder[0]._show(v, r),
            log,
            base_settings,
        )
        session = cls(base, Workspace(folder), worker)
        holder.append(session)
        session._push(State(WhatIf(), base.scenario, [], base.raw))
        return session

    def close(self) -> None:
        """Stop planning (after the option being solved) and drawing."""
        self.worker.stop()
        self._drawer.close()

    @property
    def current(self) -> State:
        return self.history[-1]

    def edit(self, edit: Mapping[str, Any]) -> int:
        """Make an edit; the new state's version.

        Raises
        ------
        EditRefused, ScenarioError
            The edit is refused and the state is as it was.
        """
        with self._lock:
            what_if = apply_edit(self.base, self.current.what_if, edit)
            return self._push(self._state_of(what_if))

    def undo(self) -> int:
        """Go back one state; with nothing to undo, the current state's version (no new
        state, nothing planned)."""
        with self._lock:
            if len(self.history) <= 1:
                return self.version
            self.history.pop()
            return self._push(None)

    def reset(self) -> int:
        with self._lock:
            return self._push(self.history[0])

    def open(self, name: str, data: bytes) -> int:
        """Open an uploaded what-if file (see :meth:`Workspace.open_upload`)."""
        with self._lock:
            what_if = self.workspace.open_upload(self.base, name, data)
            return self._push(self._state_of(what_if))

    def what_if_text(self, state: State | None = None) -> str:
        """The what-if file, saying the solver options it was planned with."""
        settings = self.worker.settings
        options = [f"--time-limit {settings.time_limit_seconds:g}"]
        if settings.deterministic_time_limit is not None:
            options.insert(0, f"--search-budget {settings.deterministic_time_limit:g}")
        base = self.worker.base_settings
        if base is not None and base.deterministic_time_limit is not None:
            options.insert(0, f"--from-base --base-budget {base.deterministic_time_limit:g}")
        if settings.seed:
            options.append(f"--seed {settings.seed}")
        if self.worker.point_rule is not None:
            options.append(f"--point {self.worker.point_rule.value}")
        if self.worker.bids is not BidMode.EXPECTED:
            options.append(f"--bids {self.worker.bids.value}")
        return what_if_text(self.base, (state or self.current).what_if, " ".join(options))

    def _state_of(self, what_if: WhatIf) -> State:
        return State(what_if, *self.workspace.build(self.base, what_if))

    def _push(self, state: State | None) -> int:
        """Make ``state`` current (``None``: the one already at the top) and plan it."""
        if state is not None:
            self.history.append(state)
        self.version += 1
        self._states[self.version] = self.current
        self.worker.request(self.version, self.current.scenario, self.current.what_if.is_base)
        return self.version

    def _show(self, version: int, replan: Replan) -> None:
        """Show a re-plan or a first answer (in the worker's thread): its figures at once;
        the charts are drawn when the page asks (:meth:`charts`), once for each plan."""
        state = self._states[version]
        views = [option_view(r) for r in replan.results]
        keys = tuple(self._chart_key(r) for r in replan.results)
        table = comparison(replan.results)
        with self._lock:
            serial = 1 + (self.shown.serial if self.shown else 0)
            self.shown = Shown(version, state, replan, table, views, serial, keys)
            if not replan.provisional:
                self._states = {v: s for v, s in self._states.items() if v >= version}

    def option_views(self) -> list[OptionView]:
        """The options as shown now, with the charts drawn for them so far (undo, reset
        and an option a change leaves alone find theirs already drawn)."""
        with self._lock:
            if self.shown is None:
                return []
            return [
                dataclasses.replace(view, charts=self._drawn.get(key))
                for view, key in zip(self.shown.options, self.shown.chart_keys, strict=True)
            ]

    def charts(self, serial: int, option_id: str) -> Charts | None:
        """The charts of an option as the page shows it now (``serial``: :attr:`Shown.serial`),
        drawn once and kept for states shown again; ``None`` if the page has moved on."""
        with self._lock:
            shown = self.shown
            if shown is None or shown.serial != serial:
                return None
            ids = [r.plan.option_id for r in shown.replan.results]
            if option_id not in ids:
                return None
            index = ids.index(option_id)
            key = shown.chart_keys[index]
            gate = self._drawing.setdefault(key, threading.Lock())
        with gate:  # a second request for the same charts waits for the first
            with self._lock:
                found = self._drawn.pop(key, None)
                moved_on = self.shown is not shown  # while this request waited
            if found is None and moved_on:
                with self._lock:
                    self._drawing.pop(key, None)
                return None  # not drawn: a second of the interpreter the new state needs
            if found is None:
                found = self._drawer.draw(shown.replan.results[index])  # about a second
            with self._lock:
                self._drawn[key] = found  # the most recently shown last
                while len(self._drawn) > CHARTS_KEPT:
                    del self._drawn[next(iter(self._drawn))]
                self._drawing.pop(key, None)
        return found

    def _chart_key(self, result: Any) -> ChartKey:
        return (self.worker.cache.key(result.plan.problem, self.worker.settings), _seen(result))


def _seen(result: Any) -> str:
    """What an option's charts show besides its problem: the plan, and the subtitle (cost)."""
    plan = result.plan
    placed = [(a.task_id, a.staff_id, a.start_week) for a in plan.assignments]
    return repr((gantt_subtitle(result), placed, [(u.task_id, u.reason) for u in plan.unmet]))


# -- what the page's controls show, from the current state ----------------------------


def controls(session: Session) -> dict[str, Any]:
    """The current state's values for the page's controls."""
    state = session.current
    scenario = state.scenario
    work = {w.id: w for w in scenario.work}
    bids = []
    for item in session.base.scenario.work:
        if item.kind is not WorkKind.BID:
            continue
        now = work.get(item.id)
        status = "not-written" if now is None else (now.outcome.value if now.outcome else "unknown")
        bids.append({"id": item.id, "name": item.name, "status": status})
    recruits = _recruits(scenario)
    staff = [
        {
            "id": m.id,
            "name": m.name,
            "fte": f"{m.fte.normalize():f}",
            "absences": [
                f"{a.start} to {a.end}" + (f" ({a.reason})" if a.reason else "") for a in m.absences
            ],
        }
        for m in scenario.team
    ]
    items = []
    for entry in state.raw.get("work") or []:
        exercise = entry.get("commissioning")
        fields = exercise if isinstance(exercise, Mapping) else entry
        items.append(
            {
                "id": fields.get("id"),
                "name": fields.get("name") or f"{fields.get('service')} (commissioning)",
                "kind": "commissioning" if exercise else str(fields.get("kind")),
                "priority": str(fields.get("priority") or "medium"),
                "mandatory": bool(fields.get("mandatory")),
                "resizable": not exercise,
                "load": _raw_value(fields.get("load")),
                "duration": _raw_value(fields.get("duration")),
                "effort": _raw_value(fields.get("effort")),
            }
        )
    availability = scenario.assumptions.availability
    return {
        "bids": bids,
        "recruits": recruits,
        "staff": staff,
        "work": items,
        "availability": _range(availability),
        "changes": _changes(session.base.scenario, scenario),
        "warnings": state.warnings,
        "can_undo": len(session.history) > 1,
        "what_if": session.what_if_text(),
    }


CHANGES_LISTED = 40
"""At most this many of the what-if's changes are listed on the page (then how many more)."""


def _changes(base: Scenario, scenario: Scenario) -> list[str]:
    """What the what-if changes, by name with the values before and after: the rows of
    ``capacity diff`` but for the title and descriptions, which change no figure."""
    said = []
    for row in scenario_diff(base, scenario).itertuples():
        if (row.area == "Scenario" and row.what == "title") or row.what == "description":
            continue
        subject = f"{row.name}: " if row.name else ""
        if row.what == "added":
            said.append(f"{subject}added ({row.after})")
        elif row.what == "removed":
            said.append(f"{subject}removed")
        else:
            before, after = row.before or "not set", row.after or "not set"
            said.append(f"{subject}{row.what} {before} \u2192 {after}")
    if len(said) > CHANGES_LISTED:
        said[CHANGES_LISTED:] = [f"and {len(said) - CHANGES_LISTED} more"]
    return said


def _recruits(scenario: Scenario) -> list[dict[str, str]]:
    """Each option's new posts: when each could first be filled, and the recruitment gap."""
    recruits = []
    for option in scenario.options:
        for change in option.changes:
            if isinstance(change, AddPost):
                recruits.append(
                    {
                        "option": option.id,
                        "post": change.member.id,
                        "name": change.member.name,
                        "start": str(change.member.contract_start),
                        "gap": _weeks(change.recruitment_gap_weeks),
                    }
                )
    return recruits


def _weeks(estimate: Estimate) -> str:
    low, high = (f"{v.normalize():f}" for v in (estimate.low, estimate.high))
    return low if low == high else f"{low}-{high}"


def _range(estimate: Estimate) -> str:
    return _weeks(estimate)


def _raw_value(value: Any) -> str:
    if isinstance(value, Mapping):
        value = value.get("value")
    if isinstance(value, list) and len(value) == 2:
        return f"{value[0]}-{value[1]}"
    return "" if value is None else str(value)
