"""Never solve the same thing twice: plans kept on disk between commands.

``capacity compare`` solves every option; ``capacity report``, ``export`` and
``finance`` then need the same plans. With the cache they take them from a
folder instead of solving again. An entry is found by a key that covers
everything a plan depends on:

- the scenario's whole content (every value, date and source, written out in one
  canonical form: sets sorted, so the key is the same in every process);
- the option, the point of each range, the ``--bids`` mode, and the solver
  settings (seed, budgets, time limit, workers);
- for a plan searched from another (the room for further bids,
  :func:`capacity.pipeline.bid_room`), that plan's placements;
- the code: a digest of every ``capacity/**/*.py`` file, so a changed planner
  never reads a plan the old one made.

An entry holds only the plan's placements (task, person, start week), the
solver's report and the reasons for unmet work, as JSON. It is read back with
the same care as any input:

1. the JSON must parse and carry its own digest (a torn or edited file fails);
2. the plan is rebuilt from the scenario and passes the independent verifier;
3. its two objectives, worked out again from the placements, must equal the
   report's.

An entry that fails any check is deleted, and the option is solved again: a
stale or damaged entry is never reported, and a cache read is never fatal. (The
bound CP-SAT proved cannot be checked without solving. The digest shows an entry
is whole, but it is not a signature: an entry edited by hand with its digest worked
out again can claim another status or bound; its plan is still verified.)

Entries are written to a temporary file and renamed into place, so two commands
running at once never see half an entry; the folder is kept under
:data:`MAX_BYTES` by removing the least recently used entries. The folder is
the user's cache folder (``platformdirs``), or ``CAPACITY_CACHE_DIR``;
``--no-cache`` (or ``CAPACITY_NO_CACHE=1``) turns it off.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import tempfile
from dataclasses import asdict
from decimal import Decimal
from enum import Enum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from capacity.plan import Plan, SolverReport, SolveStatus, from_placements, unmet_objectives
from capacity.verifier import verify

if TYPE_CHECKING:
    from capacity.domain.problem import PlanningProblem
    from capacity.solver import SolverSettings

FORMAT = 1
"""Version of the entry layout; part of every key."""

MAX_BYTES = 50 * 1024 * 1024
"""The most the cache folder may hold; the least recently used entries go first."""

MAX_ENTRY_BYTES = 5 * 1024 * 1024
"""An entry larger than this is not read (no plan is anywhere near it)."""

FOLDER_ENV = "CAPACITY_CACHE_DIR"
OFF_ENV = "CAPACITY_NO_CACHE"

_log = logging.getLogger(__name__)


class PlanCache:
    """Verified plans on disk, by the key of what they were solved from.

    ``hits`` lists the option ids whose plan a command took from the cache, so that the
    command can say so.
    """

    def __init__(self, folder: Path, max_bytes: int = MAX_BYTES):
        self.folder = folder
        self.max_bytes = max_bytes
        self.hits: list[str] = []

    @classmethod
    def default(cls, enabled: bool = True) -> PlanCache | None:
        """The user's plan cache, or ``None`` when turned off (``--no-cache``, or the
        environment variable ``CAPACITY_NO_CACHE`` set to anything but ``0``)."""
        if not enabled or os.environ.get(OFF_ENV, "0") not in ("", "0"):
            return None
        folder = os.environ.get(FOLDER_ENV)
        if folder:
            return cls(Path(folder))
        from platformdirs import user_cache_dir

        return cls(Path(user_cache_dir("capacity", appauthor=False)) / "plans")

    def key(
        self, problem: PlanningProblem, settings: SolverSettings, start_from: Plan | None = None
    ) -> str:
        """The entry's name: a digest of everything the plan depends on (with
        ``start_from``, the plan the search started from too)."""
        parts = [
            f"format {FORMAT}",
            code_digest(),
            canonical(problem.scenario),
            problem.option_id,
            problem.point_rule.value,
            problem.bids.value,
            canonical(settings),
        ]
        if start_from is not None:
            parts.append(start_key(start_from))
        return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()

    def load(
        self,
        problem: PlanningProblem,
        settings: SolverSettings,
        explain: bool,
        start_from: Plan | None = None,
    ) -> Plan | None:
        """The saved plan for this problem and these settings (and, if given, searched from
        ``start_from``), checked again; ``None`` if there is none, or it fails a check (then
        it is deleted). With ``explain`` the entry must hold a reason for every unmet task.
        A plan of the option's own problem found here is counted in :attr:`hits`."""
        path = self._path(self.key(problem, settings, start_from))
        try:
            if path.stat().st_size > MAX_ENTRY_BYTES:
                raise ValueError("entry too large")
            entry = json.loads(path.read_text(encoding="utf-8"))
            plan = _plan_of(problem, entry, explain)
        except FileNotFoundError:
            return None
        except Exception as exc:  # a cache read is never fatal: solve again
            discard(path, exc)
            return None
        touch(path)
        if start_from is None:
            self.hits.append(problem.option_id)
        return plan

    def store(self, plan: Plan, settings: SolverSettings, start_from: Plan | None = None) -> None:
        """Save a verified plan (searched from ``start_from``, if given: it is part of the
        key). A cache that cannot be written is skipped, not fatal."""
        body = plan_body(plan)
        text = json.dumps({"body": body, "digest": digest(body)})  # key order kept
        self.write(f"{self.key(plan.problem, settings, start_from)}.json", text.encode("utf-8"))

    def write(self, name: str, content: bytes) -> None:
        """Put a file in the folder whole (a temporary file, then a rename), then trim the
        folder to :attr:`max_bytes`. A cache that cannot be written is skipped, not fatal."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "wb", dir=self.folder, prefix=".writing-", delete=False
            ) as staging:
                staging.write(content)
            os.replace(staging.name, self.folder / name)
            self._trim()
        except OSError as exc:
            _log.info("plan cache: %s not saved (%s)", name, exc)
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(staging.name)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def _trim(self) -> None:
        entries = sorted(
            [*self.folder.glob("*.json"), *self.folder.glob("study-*.json.gz")],
            key=lambda p: p.stat().st_mtime,
        )
        total = sum(p.stat().st_size for p in entries)
        for path in entries:
            if total <= self.max_bytes:
                break
            total -= path.stat().st_size
            with contextlib.suppress(OSError):
                path.unlink()


def discard(path: Path, why: Exception) -> None:
    """Delete a cache file that failed a check (logged, never fatal)."""
    _log.info("plan cache: discarding %s (%s)", path.name, why)
    with contextlib.suppress(OSError):
        path.unlink()


def touch(path: Path) -> None:
    """Mark a cache file as just used, so that the size cap keeps it longest."""
    with contextlib.suppress(OSError):
        os.utime(path)


def start_key(start_from: Plan) -> str:
    """The part of a key that names the plan a search started from: its placements."""
    return "from " + canonical(_placements(start_from))


def _placements(plan: Plan) -> list[list[object]]:
    return [[a.task_id, a.staff_id, a.start_week] for a in plan.assignments]


def plan_body(plan: Plan) -> dict[str, Any]:
    """What an entry keeps of a plan, as JSON: its placements, the solver's report and the
    reasons for unmet work; :func:`checked_plan` rebuilds the plan from it."""
    return {
        "format": FORMAT,
        "option_id": plan.option_id,
        "placements": _placements(plan),
        "solver": _report_fields(plan.solver),
        "reasons": {u.task_id: u.reason for u in plan.unmet},
    }


def _plan_of(problem: PlanningProblem, entry: Any, explain: bool) -> Plan:
    body = entry["body"]
    if entry["digest"] != digest(body):
        raise ValueError("digest does not match")
    return checked_plan(problem, body, explain)


def checked_plan(problem: PlanningProblem, body: Any, explain: bool) -> Plan:
    """The plan a :func:`plan_body` describes, rebuilt for ``problem`` and checked again:
    it must pass the independent verifier and its objectives must be the report's (with
    ``explain``, every unmet task must have a reason). Raises ``ValueError`` (or
    ``KeyError``, ``TypeError``) if it fails."""
    if body["format"] != FORMAT:
        raise ValueError("format does not match")
    if body["option_id"] != problem.option_id:
        raise ValueError("entry is for another option")
    placed = {str(t): (str(s), int(w)) for t, s, w in body["placements"]}
    if len(placed) != len(body["placements"]):
        raise ValueError("a task is placed twice")
    unknown = set(placed) - {t.id for t in problem.tasks}
    if unknown:
        raise ValueError(f"unknown tasks {sorted(unknown)[:3]}")
    report = _report_of(body["solver"])
    assignments, unmet = from_placements(problem, placed)
    plan = Plan(problem, assignments, unmet, report)
    problems = verify(problem.scenario, plan)
    if problems:
        raise ValueError(f"fails the verifier: {problems[0]}")
    if unmet_objectives(problem, placed) != (
        report.unmet_mandatory_fte_weeks,
        report.weighted_unmet_optional,
    ):
        raise ValueError("the report's objectives are not the plan's")
    reasons = {str(k): str(v) for k, v in body["reasons"].items()}
    if explain and any(not reasons.get(u.task_id) for u in unmet):
        raise ValueError("a reason is missing")
    return plan.with_reasons(reasons)


def _report_fields(report: SolverReport) -> dict[str, Any]:
    fields = asdict(report)
    fields["status"] = report.status.value
    for name, value in fields.items():
        if isinstance(value, Decimal):
            fields[name] = str(value)
    return json.loads(json.dumps(fields, default=str))


def _report_of(fields: dict[str, Any]) -> SolverReport:
    return SolverReport(
        status=SolveStatus(fields["status"]),
        unmet_mandatory_fte_weeks=Decimal(fields["unmet_mandatory_fte_weeks"]),
        mandatory_bound_fte_weeks=Decimal(fields["mandatory_bound_fte_weeks"]),
        weighted_unmet_optional=Decimal(fields["weighted_unmet_optional"]),
        weighted_optional_bound=Decimal(fields["weighted_optional_bound"]),
        runtime_seconds=float(fields["runtime_seconds"]),
        parameters=dict(fields["parameters"]),
        deterministic_seconds=float(fields["deterministic_seconds"]),
    )


def canonical(value: Any) -> str:
    """A value as text that is the same in every process (``repr`` of a set is not: its
    order follows string hashing, which changes from one run to the next)."""
    return json.dumps(_plain(value), sort_keys=True, separators=(",", ":"))


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return [type(value).__name__, fields]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)  # Decimal, date: exact in their text


def digest(body: Any) -> str:
    """A digest of a JSON body, which an entry carries to show it is whole and unedited."""
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()


@cache
def code_digest() -> str:
    """A digest of the package's source: a plan made by other code is never read back."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()
