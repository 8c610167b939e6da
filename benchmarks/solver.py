"""Solver benchmark: our CP-SAT model against a greedy planner, PyJobShop and lower bounds.

Run from the repository root, after ``pip install '.[benchmark]'``::

    python benchmarks/solver.py            # every instance, 60 s per solver run
    python benchmarks/solver.py --quick    # the shipped options and the small hub: ~2 min
    python benchmarks/solver.py --ablation # which redundant constraints pay their way

Every competitor runs in this one process on the same instances, one after
the other, with the same CP-SAT parameters (workers, seed, time limit). Every
plan - ours, greedy, PyJobShop's - must pass the verifier before its figures
count. Timing lives here, never in the unit tests.

Figures per instance and competitor: unmet mandatory demand and
priority-weighted unmet optional demand (the planner's two objectives, in
FTE-weeks), the best bound on them, the gap, time to the best solution and
to the proof. Then the ratios ours/PyJobShop (time to reach the same
objective) and ours/greedy (weighted unmet demand), and the peak resident
memory. Results go to ``benchmarks/results/solver.csv`` and ``solver.md``.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import resource
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import pandas as pd
from benchmark_tables import markdown_table

from capacity.domain.problem import PlanningProblem, build_problem
from capacity.plan import Plan
from capacity.readers import load_scenario
from capacity.solver import SolverSettings, solve
from capacity.solver.cpsat import ModelFeatures
from capacity.solver.greedy import greedy_plan
from capacity.verifier import check_plan
from capacity_bench.generator import HubSize, write_hub_scenario
from capacity_bench.lower_bound import UnmetBound, unmet_lower_bound
from capacity_bench.progress import Trajectory

ROOT = Path(__file__).resolve().parent.parent
BOUNDS = {
    "flow": "LP bound, flow (HiGHS)",
    "time-indexed": "LP bound, time-indexed (HiGHS)",
    "per-person": "per-person bound at the time-indexed LP's duals (HiGHS, CP-SAT)",
}
"""The lower bounds compared (capacity_bench.lower_bound), as the tables name them."""
SHIPPED = ROOT / "scenarios" / "staffing-options-2021-22.yaml"
RESULTS = ROOT / "benchmarks" / "results"
DEFAULT_SIZES = "small,medium,large"
LARGE_GAP_TARGET_PERCENT = 5.0
"""Issue 14: the large hub's gap against the best bound, at most this, within the time limit."""
LARGE_BETTER_THAN_GREEDY = Decimal("0.017")
"""Issue 14: the large hub's plan better than greedy's by more than this (what it found)."""

HUBS = {
    "small": HubSize(staff=8, items=60, weeks=52, seed=1),
    "medium": HubSize(staff=15, items=150, weeks=104, seed=1),
    "large": HubSize(staff=30, items=400, weeks=156, seed=1),
}


@dataclass(frozen=True)
class Instance:
    name: str
    scenario_path: Path
    option_id: str


@dataclass(frozen=True)
class Run:
    """One competitor on one instance."""

    instance: str
    competitor: str
    plan: Plan
    seconds: float
    trajectory: Trajectory | None
    proven: bool
    peak_rss_mib: int = 0  # the process's peak so far, read as this run ended

    def __post_init__(self) -> None:
        object.__setattr__(self, "peak_rss_mib", _peak_rss_mib())

    def key(self) -> tuple[Decimal, Decimal]:
        report = self.plan.solver
        return report.unmet_mandatory_fte_weeks, report.weighted_unmet_optional


def main() -> int:
    arguments = _arguments()
    settings = SolverSettings(
        time_limit_seconds=arguments.time_limit,
        workers=arguments.workers,
        seed=0,
        tie_break_deterministic_seconds=0,  # presentation only: not part of the race
        deterministic_time_limit=arguments.deterministic,
    )
    with tempfile.TemporaryDirectory() as folder:
        instances = _instances(arguments, Path(folder))
        if arguments.ablation:
            table = _ablation(instances, settings)
            print(table.to_string(index=False))
            _write(table, "solver-ablation", arguments, settings, [])
            return 0
        rows, checks = [], []
        for instance in instances:
            rows.extend(_compare(instance, settings, arguments, checks))
            print(pd.DataFrame(rows[-5:]).to_string(index=False), flush=True)
    table = pd.DataFrame(rows)
    print()
    print(table.to_string(index=False))
    print()
    print("\n".join(checks))
    # A run of some hubs only (``--sizes large``) is kept beside the full one, not over it.
    sizes = "small" if arguments.quick else arguments.sizes
    stem = "solver" if sizes in ("small", DEFAULT_SIZES) else f"solver-{sizes.replace(',', '-')}"
    _write(table, stem, arguments, settings, checks)
    return 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="shipped options + small hub only")
    parser.add_argument("--ablation", action="store_true", help="measure each model feature")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per solver run")
    parser.add_argument("--workers", type=int, default=1, help="CP-SAT workers for both")
    parser.add_argument(
        "--sizes", default=DEFAULT_SIZES, help="generated hubs to run (comma separated)"
    )
    parser.add_argument("--no-pyjobshop", action="store_true", help="skip the peer")
    parser.add_argument(
        "--deterministic",
        type=float,
        default=None,
        metavar="SECONDS",
        help="also limit each solver phase to this much CP-SAT deterministic time, so runs "
        "cut short are reproducible (give a generous --time-limit with it)",
    )
    return parser.parse_args()


def _instances(arguments: argparse.Namespace, folder: Path) -> list[Instance]:
    shipped = load_scenario(SHIPPED)
    options = [o.id for o in shipped.options]
    instances = [Instance(f"shipped {o}", SHIPPED, o) for o in options]
    sizes = ["small"] if arguments.quick else arguments.sizes.split(",")
    for size in sizes:
        hub = HUBS[size]
        path = write_hub_scenario(hub, folder / f"{hub.label}.yaml")
        instances.append(Instance(f"{size} {hub.label}", path, "current"))
    return instances


def _compare(
    instance: Instance,
    settings: SolverSettings,
    arguments: argparse.Namespace,
    checks: list[str],
) -> list[dict[str, object]]:
    scenario = load_scenario(instance.scenario_path)
    problem = build_problem(scenario, instance.option_id)
    runs = [_greedy(instance, problem), _ours(instance, problem, settings)]
    peer = None if arguments.no_pyjobshop else _peer(instance, problem, settings)
    if peer is not None:
        runs.append(peer)
    elif not arguments.no_pyjobshop:
        # Work given as effort (the shipped data since the work-model issue) is beyond it.
        checks.append(f"{instance.name}: PyJobShop cannot express it (see above): not compared")
    for run in runs:
        check_plan(scenario, run.plan)  # every plan, every competitor
    ours, greedy = runs[1], runs[0]
    level = ours.plan.solver.unmet_mandatory_fte_weeks
    bounds = {}
    for relaxation in BOUNDS:
        started = time.perf_counter()
        bounds[relaxation] = (
            unmet_lower_bound(problem, mandatory_level=level, relaxation=relaxation),
            time.perf_counter() - started,
        )
    bound = _best_bound(
        ours,
        max(b.unmet_mandatory_fte_weeks for b, _ in bounds.values()),
        max(b.weighted_unmet_optional for b, _ in bounds.values()),
    )
    rows = [_row(instance, run, bound) for run in runs]
    for relaxation, (lp, seconds) in bounds.items():
        rows.append(
            {
                "instance": instance.name,
                "competitor": BOUNDS[relaxation],
                "unmet_mandatory": lp.unmet_mandatory_fte_weeks,
                "weighted_unmet": lp.weighted_unmet_optional,
                "bound_mandatory": lp.unmet_mandatory_fte_weeks,
                "bound_weighted": lp.weighted_unmet_optional,
                "time_to_proof_s": round(seconds, 2),
                "peak_rss_mib": _peak_rss_mib(),
            }
        )
    ours_row = rows[1]
    ours_row["ratio_vs_greedy_unmet"] = _ratio(
        ours.plan.solver.weighted_unmet_optional, greedy.plan.solver.weighted_unmet_optional
    )
    checks.append(
        f"{instance.name}: ours never worse than greedy: "
        f"{'PASS' if ours.key() <= greedy.key() else 'FAIL'}"
    )
    if peer is not None:
        target = max(ours.key(), peer.key())  # an objective both reached
        assert ours.trajectory is not None and peer.trajectory is not None
        ours_time = _time_to(ours, target)
        peer_time = _time_to(peer, target)
        ours_row["ratio_vs_pyjobshop_time"] = (
            round(ours_time / peer_time, 3) if ours_time and peer_time else None
        )
        if peer.proven:
            same = ours.key() == peer.key()
            checks.append(
                f"{instance.name}: equal to PyJobShop's proven optimum: "
                f"{'PASS' if same else 'FAIL'}"
            )
        if ours.proven and peer.proven:
            half = ours.seconds <= peer.seconds / 2
            checks.append(
                f"{instance.name}: time to proof {ours.seconds:.1f} s vs PyJobShop "
                f"{peer.seconds:.1f} s (target at most half): {'PASS' if half else 'FAIL'}"
            )
        elif not ours.proven:
            checks.append(f"{instance.name}: ours not proven optimal within the time limit")
        else:
            checks.append(
                f"{instance.name}: ours proven in {ours.seconds:.1f} s, PyJobShop not proven"
                f" in {arguments.time_limit:.0f} s: PASS"
            )
    gap = ours_row["gap"]
    checks.append(
        f"{instance.name}: our gap {gap}; peak memory of the process when our solve ended "
        f"{ours.peak_rss_mib} MiB"
    )
    if instance.name.startswith("large"):
        # Issue 14's targets: a gap of at most 5% against the best bound, named; and a plan
        # better than greedy's by more than the 1.7% the issue found.
        within = ours.seconds <= arguments.time_limit * 1.05
        small_gap = float(str(gap).rstrip("%")) <= LARGE_GAP_TARGET_PERCENT
        checks.append(
            f"{instance.name}: gap at most {LARGE_GAP_TARGET_PERCENT:g}% within "
            f"{arguments.time_limit:.0f} s: {'PASS' if within and small_gap else 'FAIL'} "
            f"({gap}; {_bound_source(ours, bounds)})"
        )
        ours_weighted = ours.plan.solver.weighted_unmet_optional
        greedy_weighted = greedy.plan.solver.weighted_unmet_optional
        better = 1 - ours_weighted / greedy_weighted if greedy_weighted else Decimal(0)
        beats = ours.key() <= greedy.key() and better > LARGE_BETTER_THAN_GREEDY
        checks.append(
            f"{instance.name}: better than greedy by more than {LARGE_BETTER_THAN_GREEDY:.1%}: "
            f"{'PASS' if beats else 'FAIL'}"
            f" ({float(better):.1%}: {ours_weighted:.1f} against {greedy_weighted:.1f} weighted "
            "unmet FTE-weeks)"
        )
        checks.append(
            f"{instance.name}: within 2 GiB: "
            f"{'PASS' if ours.peak_rss_mib <= 2048 else 'FAIL'} ({ours.peak_rss_mib} MiB)"
        )
    return rows


def _greedy(instance: Instance, problem: PlanningProblem) -> Run:
    started = time.perf_counter()
    plan = greedy_plan(problem)
    return Run(instance.name, "greedy", plan, time.perf_counter() - started, None, False)


def _ours(instance: Instance, problem: PlanningProblem, settings: SolverSettings) -> Run:
    with Trajectory().listening() as trajectory:
        plan = solve(problem, settings)
    proven = plan.solver.status == "optimal"
    return Run(
        instance.name, "capacity (CP-SAT)", plan, plan.solver.runtime_seconds, trajectory, proven
    )


def _peer(instance: Instance, problem: PlanningProblem, settings: SolverSettings) -> Run | None:
    """PyJobShop's run, or ``None`` (said on the terminal) when it cannot express the instance."""
    from capacity_bench.pyjobshop_peer import NotExpressible, pyjobshop_plan

    try:
        run = pyjobshop_plan(problem, settings)
    except NotExpressible as declined:
        print(f"{instance.name}: PyJobShop not run: {declined}", flush=True)
        return None
    seconds = run.plan.solver.runtime_seconds
    return Run(instance.name, "PyJobShop (CP-SAT)", run.plan, seconds, run.trajectory, run.proven)


def _bound_source(ours: Run, bounds: dict[str, tuple[UnmetBound, float]]) -> str:
    """Where the best bound on weighted unmet optional work came from, and what it cost."""
    own = ours.plan.solver.weighted_optional_bound
    relaxation, (lp, seconds) = max(
        bounds.items(), key=lambda entry: entry[1][0].weighted_unmet_optional
    )
    if own >= lp.weighted_unmet_optional:
        return f"bound {own:.1f} from CP-SAT's own search"
    return (
        f"bound {lp.weighted_unmet_optional:.1f} from the {BOUNDS[relaxation]}, "
        f"{seconds:.0f} s on top of the solve; CP-SAT's own {own:.1f}"
    )


def _best_bound(ours: Run, lp_mandatory: Decimal, lp_optional: Decimal) -> tuple[Decimal, Decimal]:
    report = ours.plan.solver
    mandatory = max(report.mandatory_bound_fte_weeks, lp_mandatory)
    if mandatory < report.unmet_mandatory_fte_weeks:
        return mandatory, Decimal(0)  # the second objective has no bound until the first is proven
    return mandatory, max(report.weighted_optional_bound, lp_optional)


def _row(instance: Instance, run: Run, bound: tuple[Decimal, Decimal]) -> dict[str, object]:
    report = run.plan.solver
    best = (
        run.trajectory.improvements[-1].seconds
        if run.trajectory and run.trajectory.improvements
        else run.seconds
    )
    return {
        "instance": instance.name,
        "competitor": run.competitor,
        "unmet_mandatory": report.unmet_mandatory_fte_weeks,
        "weighted_unmet": report.weighted_unmet_optional,
        "bound_mandatory": bound[0],
        "bound_weighted": bound[1],
        "gap": _gap(run.key(), bound),
        "time_to_best_s": round(best, 2),
        "time_to_proof_s": round(run.seconds, 2) if run.proven else None,
        "deterministic_s": report.deterministic_seconds or None,
        "peak_rss_mib": run.peak_rss_mib,
    }


def _gap(value: tuple[Decimal, Decimal], bound: tuple[Decimal, Decimal]) -> str:
    """(objective - bound) / objective, of the first objective not closed."""
    for objective, low in zip(value, bound, strict=True):
        if objective > low:
            return f"{float((objective - low) / objective):.2%}"
    return "0.00%"


def _time_to(run: Run, target: tuple[Decimal, Decimal]) -> float | None:
    assert run.trajectory is not None
    return run.trajectory.time_to_reach(*target)


def _ratio(ours: Decimal, other: Decimal) -> float | None:
    return round(float(ours / other), 3) if other else None


def _peak_rss_mib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # Linux: KiB


def _ablation(instances: list[Instance], settings: SolverSettings) -> pd.DataFrame:
    variants = {
        "all": ModelFeatures(),
        "none": ModelFeatures(False, False, False),
        "no person cumulative": ModelFeatures(False, True, True),
        "no skill pools": ModelFeatures(True, False, True),
        "no symmetry breaking": ModelFeatures(True, True, False),
    }
    rows = []
    for instance in instances:
        problem = build_problem(load_scenario(instance.scenario_path), instance.option_id)
        for name, features in variants.items():
            plan = solve(problem, replace(settings, features=features))
            report = plan.solver
            rows.append(
                {
                    "instance": instance.name,
                    "variant": name,
                    "status": str(report.status),
                    "unmet_mandatory": report.unmet_mandatory_fte_weeks,
                    "weighted_unmet": report.weighted_unmet_optional,
                    "gap": f"{float(report.gap):.2%}",
                    "seconds": report.runtime_seconds,
                    "deterministic_s": report.deterministic_seconds,
                }
            )
            print(rows[-1], flush=True)
    return pd.DataFrame(rows)


def _write(
    table: pd.DataFrame,
    stem: str,
    arguments: argparse.Namespace,
    settings: SolverSettings,
    checks: list[str],
) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    table.to_csv(RESULTS / f"{stem}.csv", index=False)
    versions = ", ".join(
        f"{name} {_version(name)}" for name in ("ortools", "pyjobshop", "scipy", "pandas")
    )
    mode = f"{settings.workers} worker(s), seed {settings.seed}, " + (
        f"deterministic limit {settings.deterministic_time_limit} s per phase (and the same "
        f"again for our neighbourhood search), wall-clock backstop "
        f"{settings.time_limit_seconds:.0f} s: reproducible unless the backstop is reached"
        if settings.deterministic_time_limit is not None
        else f"wall-clock limit {settings.time_limit_seconds:.0f} s per run: runs proven "
        "optimal within it are reproducible (one worker, fixed seed); runs cut off by it "
        "are not, since where the search stops depends on the machine"
    )
    lines = [
        f"# Solver benchmark ({_run_kind(arguments)})",
        "",
        f"- Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
        f"- Python {platform.python_version()}; {versions}",
        f"- Mode: {mode}",
        f"- Command: `python benchmarks/{Path(sys.argv[0]).name} {' '.join(sys.argv[1:])}`",
        f"- Run on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        markdown_table(table),
        "",
        *[f"- {check}" for check in checks],
        "",
    ]
    (RESULTS / f"{stem}.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"\nWrote {RESULTS / (stem + '.csv')} and {stem}.md")


def _run_kind(arguments: argparse.Namespace) -> str:
    if arguments.quick:
        return "quick"
    if arguments.sizes == DEFAULT_SIZES and not arguments.no_pyjobshop:
        return "full"
    peer = ", without PyJobShop" if arguments.no_pyjobshop else ""
    hubs = "hubs" if "," in arguments.sizes else "hub"
    return f"the shipped options and the {arguments.sizes.replace(',', ', ')} {hubs}{peer}"


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


if __name__ == "__main__":
    sys.exit(main())
