"""Shared builders: tiny scenarios made in code, plans built by hand (no solver) for the
tests of reports and charts, and the shipped scenario solved once for the whole session.

Tests mirror modules: ``tests/test_<package>_<module>.py`` tests ``capacity/<package>/
<module>.py`` (``test_reports_costs.py`` tests ``capacity.reports.costs``).
"""

from __future__ import annotations

import fcntl
import os
import pickle
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from capacity.domain import (
    After,
    Assumptions,
    Estimate,
    Handover,
    Horizon,
    Priority,
    Scenario,
    StaffingOption,
    StaffMember,
    WorkItem,
    WorkKind,
)
from capacity.domain.work import BidMode
from capacity.plan import OptionResult

if TYPE_CHECKING:
    from capacity.domain.estimate import PointRule
    from capacity.finance import ProRata
    from capacity.plan import Plan
    from capacity.solver import SolverSettings

# The commands keep solved plans in the user's cache folder (capacity/plan_cache.py). The
# tests must neither read plans an earlier run left there nor leave any: the cache is off
# for the suite, and tests/test_plan_cache.py turns it on in a folder of its own.
os.environ["CAPACITY_NO_CACHE"] = "1"

REPOSITORY = Path(__file__).resolve().parent.parent
SHIPPED = REPOSITORY / "scenarios" / "staffing-options-2021-22.yaml"
START = date(2021, 4, 5)  # a Monday, so every planning week has five working days


def person(
    staff_id: str,
    fte: str = "1",
    skills: tuple[str, ...] = (),
    start: date | None = None,
    end: date | None = None,
    **kwargs: object,
) -> StaffMember:
    return StaffMember(
        id=staff_id,
        name=staff_id.title(),
        role="Officer",
        fte=Decimal(fte),
        skills=frozenset(skills),
        contract_start=start,
        contract_end=end,
        **kwargs,  # type: ignore[arg-type]
    )


def item(
    item_id: str,
    load: str = "0.5",
    weeks: int | None = 2,
    release: date | None = None,
    deadline: date | None = None,
    mandatory: bool = False,
    priority: Priority = Priority.MEDIUM,
    skill: str | None = None,
    after: tuple[After, ...] = (),
    alongside: str | None = None,
    committed_to: str | None = None,
    handover: Handover = Handover.NONE,
    kind: WorkKind = WorkKind.PROJECT,
) -> WorkItem:
    return WorkItem(
        id=item_id,
        name=f"Item {item_id}",
        kind=kind,
        load=Estimate.exact(load),
        duration_weeks=None if weeks is None else Estimate.exact(weeks),
        release=release,
        deadline=deadline,
        required_skill=skill,
        mandatory=mandatory,
        priority=priority,
        after=after,
        alongside=alongside,
        committed_to=committed_to,
        handover=handover,
    )


def week(n: int) -> date:
    """Start date of week ``n`` of the test horizon."""
    return START + timedelta(weeks=n)


def scenario(
    team: list[StaffMember],
    work: list[WorkItem],
    weeks: int = 8,
    options: list[StaffingOption] | None = None,
    availability: str = "1",
    **kwargs: object,
) -> Scenario:
    return Scenario(
        name="test",
        horizon=Horizon(START, START + timedelta(weeks=weeks, days=-1)),
        assumptions=Assumptions(availability=Estimate.exact(availability)),
        team=tuple(team),
        work=tuple(work),
        options=tuple(options or [StaffingOption("base", "Base team")]),
        **kwargs,  # type: ignore[arg-type]
    )


SMALL_TEAM = REPOSITORY / "tests" / "data" / "small-team.yaml"

# Hand-built plans of tests/data/small-team.yaml (a lead, and a 0.6 FTE temporary post
# that ends on 31 May unless extended; a mandatory 8-week tender only the lead may lead,
# monthly business as usual, and a bid with its award): who does what from which week.
# Under "lapse" the tender is left undone, so a mandatory item is unmet, and so is June's
# business as usual (an ongoing item part delivered). The bid and its award are left
# undone in both.
SMALL_TEAM_PLANS: dict[str, dict[str, tuple[str, int]]] = {
    "lapse": {"bau@2021-04": ("lead", 0), "bau@2021-05": ("lead", 4)},
    "extend": {
        "statutory-tender": ("lead", 0),
        "bau@2021-04": ("temp", 0),
        "bau@2021-05": ("temp", 4),
        "bau@2021-06": ("temp", 9),
    },
}
HAND_BUILT_REASON = "left undone in this hand-built plan"


def hand_built_plan(scenario: Scenario, option_id: str, placed: dict[str, tuple[str, int]]) -> Plan:
    """A verified plan of ``option_id`` that places each task as ``placed`` says (task id
    -> staff id and start week) and leaves the rest unmet: no solver involved."""
    from capacity.domain.problem import build_problem
    from capacity.plan import Plan, SolverReport, SolveStatus, from_placements
    from capacity.verifier import check_plan

    problem = build_problem(scenario, option_id)
    assignments, unmet = from_placements(problem, placed)
    mandatory = sum((u.demand_fte_weeks for u in unmet if u.mandatory), Decimal(0))
    optional = sum(
        (u.demand_fte_weeks * problem.task(u.task_id).weight for u in unmet if not u.mandatory),
        Decimal(0),
    )
    report = SolverReport(
        status=SolveStatus.FEASIBLE,
        unmet_mandatory_fte_weeks=mandatory,
        mandatory_bound_fte_weeks=Decimal(0),
        weighted_unmet_optional=optional,
        weighted_optional_bound=Decimal(0),
        runtime_seconds=0.0,
    )
    plan = Plan(problem, assignments, unmet, report)
    check_plan(scenario, plan)  # a hand-built plan is still a valid plan
    return plan.with_reasons({u.task_id: HAND_BUILT_REASON for u in unmet})


def first_fit_plan(scenario: Scenario, option_id: str) -> Plan:
    """A verified plan made without the solver: each task, in the problem's order, goes to
    the first person (with its skill) and the earliest start where it fits in the
    capacity left. Not a good plan, but a real one, in milliseconds, for tests of what is
    drawn or tabled from a plan. Ignores links between tasks: use it on scenarios without."""
    from capacity.domain.problem import build_problem

    problem = build_problem(scenario, option_id)
    booked = {m.id: [Decimal(0)] * problem.n_weeks for m in problem.staff}
    placed: dict[str, tuple[str, int]] = {}
    for task in problem.tasks:
        assert not (task.after or task.alongside or task.committed_to), task.id
        for member in problem.staff:
            if task.required_skill and task.required_skill not in member.skills:
                continue
            capacity, load = problem.capacity[member.id], booked[member.id]
            start = next(
                (
                    start
                    for start in range(task.earliest_start, task.latest_end - task.duration + 1)
                    if all(
                        load[week] + task.load <= capacity[week]
                        for week in range(start, start + task.duration)
                    )
                ),
                None,
            )
            if start is not None:
                placed[task.id] = (member.id, start)
                for week in range(start, start + task.duration):
                    load[week] += task.load
                break
    return hand_built_plan(scenario, option_id, placed)


@pytest.fixture(scope="session")
def small_team() -> Scenario:
    from capacity.readers import load_scenario

    return load_scenario(SMALL_TEAM)


@pytest.fixture(scope="session")
def small_results(small_team: Scenario) -> list[OptionResult]:
    """Verified, costed hand-built plans of the small team's two options, in the
    scenario's order (see ``SMALL_TEAM_PLANS``): built in milliseconds."""
    from capacity.finance import option_cost

    return [
        OptionResult(
            hand_built_plan(small_team, option.id, SMALL_TEAM_PLANS[option.id]),
            option_cost(small_team, option.id),
        )
        for option in small_team.options
    ]


@pytest.fixture(scope="session")
def shipped_scenario() -> Scenario:
    from capacity.readers import load_scenario

    return load_scenario(SHIPPED)


@dataclass(frozen=True)
class ShippedRun:
    """``capacity compare`` on the shipped data: what it printed, where it wrote, the
    verified results it computed on the way, and what they were computed from."""

    stdout: str
    out: Path
    results: list[OptionResult]
    solved_with: tuple[Scenario, SolverSettings | None, PointRule | None]


@pytest.fixture(scope="session")
def shipped_compare(tmp_path_factory: pytest.TempPathFactory) -> ShippedRun:
    """The real ``capacity compare`` on the shipped scenario, once for the whole session.

    This is the suite's one end-to-end solve of the shipped data (the four options take
    about 20 s), so the results are captured as they pass through the command, and tests
    of what is built from them (the README, ``finance``, the reports) reuse this solve
    instead of making another.

    Under pytest-xdist (.ci/run spreads the suite over the cores) the workers share one
    solve: the first worker to need it solves, under a lock, and leaves the run pickled
    in the folder the workers' temporary folders share; the others wait for the lock and
    read it.
    """
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return _run_shipped_compare(tmp_path_factory.mktemp("shipped") / "out")
    shared = tmp_path_factory.getbasetemp().parent / "shipped-compare"  # this run's only
    shared.mkdir(exist_ok=True)
    saved = shared / "run.pickle"
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if saved.exists():
            run: ShippedRun = pickle.loads(saved.read_bytes())
            return run
        run = _run_shipped_compare(shared / "out")
        saved.write_bytes(pickle.dumps(run))
        return run


def _run_shipped_compare(out: Path) -> ShippedRun:
    from click.testing import CliRunner

    import capacity.cli

    solve_all = capacity.cli.compare_options
    captured: list[tuple[tuple[Scenario, SolverSettings | None, PointRule | None], Any]] = []

    def capture(
        scenario: Scenario,
        settings: SolverSettings | None = None,
        point_rule: PointRule | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> list[OptionResult]:
        results = solve_all(scenario, settings, point_rule, *args, **kwargs)
        captured.append(((scenario, settings, point_rule), results))
        return results

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(capacity.cli, "compare_options", capture)
        result = CliRunner().invoke(
            capacity.cli.cli, ["compare", str(SHIPPED), "--out", str(out)], catch_exceptions=False
        )
    assert result.exit_code == 0, result.output
    assert len(captured) == 1
    solved_with, results = captured[0]
    return ShippedRun(result.stdout, out, results, solved_with)


@pytest.fixture(scope="session")
def shipped_results(shipped_compare: ShippedRun) -> list[OptionResult]:
    """The four verified, costed plans of the shipped scenario, from the session's solve."""
    return shipped_compare.results


@dataclass
class ReusedSolves:
    """What the commands run under :func:`solved_shipped` asked for: the option ids of
    each plan taken from the session's solve, and how many times the solver ran."""

    reused: list[str]
    solved: int = 0


@pytest.fixture
def solved_shipped(monkeypatch: pytest.MonkeyPatch, shipped_compare: ShippedRun) -> ReusedSolves:
    """Commands run in this test take the session's plans of the shipped scenario instead
    of solving it again, wherever the plans would be the same.

    ``compare_options`` and ``plan_option``, as the command line calls them, are replaced
    by stand-ins that return the session's plan when asked for the same scenario, solver
    settings and point of ranges, and call the real function otherwise. Costs are not
    reused: they are computed again with the cost rule the command asks for (they take
    milliseconds and do not depend on the plan).
    """
    import capacity.cli
    from capacity.finance import option_cost

    real_compare, real_plan = capacity.cli.compare_options, capacity.cli.plan_option
    by_option = {result.plan.option_id: result for result in shipped_compare.results}
    record = ReusedSolves(reused=[])

    solved_bids = shipped_compare.results[0].plan.problem.bids

    def same_solve(
        scenario: Scenario,
        settings: SolverSettings | None,
        point_rule: PointRule | None,
        bids: BidMode = BidMode.EXPECTED,
    ) -> bool:
        same = (scenario, settings, point_rule) == shipped_compare.solved_with
        return same and bids is solved_bids

    def compare_options(
        scenario: Scenario,
        settings: SolverSettings | None = None,
        point_rule: PointRule | None = None,
        cost_rule: ProRata | None = None,
        option_ids: list[str] | None = None,
        on_progress: Callable[[str, OptionResult | None], None] | None = None,
        bids: BidMode = BidMode.EXPECTED,
        cache: Any = None,  # where plans are kept changes no plan (off in the suite)
        start_from: Any = None,
        room_for_bids: bool = False,  # the session's compare found each option's room
        **other: Any,
    ) -> list[OptionResult]:
        if other or start_from or not same_solve(scenario, settings, point_rule, bids):
            # An argument this stand-in does not know about may change the plans: solve.
            record.solved += 1
            return real_compare(
                scenario,
                settings,
                point_rule,
                cost_rule,
                option_ids,
                on_progress,
                bids=bids,
                cache=cache,
                start_from=start_from,
                room_for_bids=room_for_bids,
                **other,
            )
        results = []
        for option_id in option_ids or [o.id for o in scenario.options]:
            if on_progress:
                on_progress(option_id, None)
            cost = option_cost(scenario, option_id, cost_rule, point_rule=point_rule)
            result = replace(by_option[option_id], cost=cost)
            if not room_for_bids:
                result = replace(result, bid_room=None)
            record.reused.append(option_id)
            results.append(result)
            if on_progress:
                on_progress(option_id, result)
        return results

    def plan_option(
        scenario: Scenario,
        option_id: str,
        settings: SolverSettings | None = None,
        point_rule: PointRule | None = None,
        bids: BidMode = BidMode.EXPECTED,
        cache: Any = None,
        **other: Any,
    ) -> Plan:
        if other or not same_solve(scenario, settings, point_rule, bids):
            record.solved += 1
            return real_plan(
                scenario, option_id, settings, point_rule, bids=bids, cache=cache, **other
            )
        record.reused.append(option_id)
        return by_option[option_id].plan

    monkeypatch.setattr(capacity.cli, "compare_options", compare_options)
    monkeypatch.setattr(capacity.cli, "plan_option", plan_option)
    return record


# The test files whose tests use the session's solve of the shipped data.
SHIPPED_SOLVE_FILES = frozenset({"test_shipped.py", "test_readme.py"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Refuse a test that needs the shipped solve but is not marked ``slow`` (so that
    ``pytest -m "not slow"`` never solves the shipped scenario), or is not in one of
    ``SHIPPED_SOLVE_FILES`` (so that pytest-xdist runs them all in one worker)."""
    shipped = [i for i in items if "shipped_compare" in getattr(i, "fixturenames", ())]
    unmarked = [item.nodeid for item in shipped if item.get_closest_marker("slow") is None]
    if unmarked:
        raise pytest.UsageError(
            "these tests use the shipped solve (shipped_compare) but are not marked slow: "
            + ", ".join(unmarked)
        )
    elsewhere = [item.nodeid for item in shipped if item.path.name not in SHIPPED_SOLVE_FILES]
    if elsewhere:
        raise pytest.UsageError(
            "these tests use the shipped solve (shipped_compare) from a file not in "
            "conftest.SHIPPED_SOLVE_FILES: " + ", ".join(elsewhere)
        )


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: only called when it is installed
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """With ``--dist loadfile`` (as .ci/run runs), hand the files that use the shipped
    solve to one worker as one unit, so no worker waits for another's solve."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class ShippedSolveInOneWorker(LoadFileScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            file = super()._split_scope(nodeid)
            return "shipped-solve" if Path(file).name in SHIPPED_SOLVE_FILES else file

        def _assign_work_unit(self, node: Any) -> None:
            # The shipped solve is the longest unit: start it first, so that the other
            # worker works through the rest meanwhile instead of waiting for it at the end.
            if "shipped-solve" in self.workqueue:
                self.workqueue.move_to_end("shipped-solve", last=False)
            super()._assign_work_unit(node)

    return ShippedSolveInOneWorker(config, log)


def linked_scenario(rng: random.Random) -> Scenario:
    """A small random scenario with the links and shapes the planners must respect:
    ``alongside``, ``with`` + ``after``, ``after`` with lags, monthly handover (groups of
    interchangeable tasks), posts that start or end part-way (capacity dips), and a skill."""
    team = []
    for i in range(rng.randint(2, 4)):
        dates: dict[str, date] = {}
        draw = rng.random()
        if draw < 0.2:
            dates["end"] = week(rng.randint(3, 7))
        elif draw < 0.4:
            dates["start"] = week(rng.randint(1, 4))
        skills = ("lead",) if rng.random() < 0.5 else ()
        team.append(person(f"p{i}", fte=rng.choice(["0.5", "1", "1"]), skills=skills, **dates))
    if not any("lead" in m.skills for m in team):
        team[0] = person("p0", skills=("lead",))
    work: list[WorkItem] = []
    for i in range(rng.randint(3, 9)):
        links: dict[str, object] = {}
        draw = rng.random()
        whole = [w.id for w in work if w.handover is Handover.NONE]
        if whole and draw < 0.2:
            links["alongside"] = rng.choice(whole)
        elif whole and draw < 0.4:
            partner = rng.choice(whole)
            links["committed_to"] = partner
            links["after"] = (After(partner, Estimate.exact(rng.randint(0, 1))),)
        elif whole and draw < 0.55:
            links["after"] = (After(rng.choice(whole), Estimate.exact(rng.randint(0, 1))),)
        elif draw < 0.7:
            links["handover"] = Handover.MONTHLY
            links["weeks"] = None
        links.setdefault("weeks", rng.randint(1, 4))
        work.append(
            item(
                f"w{i}",
                load=rng.choice(["0.2", "0.3", "0.5", "0.5"]),
                mandatory=rng.random() < 0.3,
                priority=rng.choice(list(Priority)),
                skill=rng.choice([None, None, "lead"]),
                release=week(rng.randint(0, 3)),
                **links,  # type: ignore[arg-type]
            )
        )
    return scenario(team, work, weeks=rng.choice([8, 13]))


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The plan cache turned on (the suite runs with it off), in a folder of the test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("CAPACITY_NO_CACHE", "0")
    monkeypatch.setenv("CAPACITY_CACHE_DIR", str(folder))
    return folder


def counted_calls(monkeypatch: pytest.MonkeyPatch, step: str) -> list[str]:
    """The option ids the pipeline's ``step`` (``solve``, ``most_bids``: each takes a
    problem, settings and a plan to start from) is called with from now on, in order."""
    import capacity.pipeline

    calls: list[str] = []
    real = getattr(capacity.pipeline, step)

    def counted(problem, settings=None, start_from=None):  # type: ignore[no-untyped-def]
        calls.append(problem.option_id)
        return real(problem, settings, start_from)

    monkeypatch.setattr(capacity.pipeline, step, counted)
    return calls


@pytest.fixture
def solves(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The option ids CP-SAT is asked to solve in this process, through the one pipeline
    (a risk study's samples too, with ``--workers 1``)."""
    return counted_calls(monkeypatch, "solve")
