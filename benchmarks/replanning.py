"""Benchmark: one-change what-if re-plans, and two search workers against one.

Not part of the test suite (timing belongs here). In one run, one after the other so the
machine's load is shared alike:

- each option of the shipped data is planned once (the plan a what-if page already
  shows); then each one-change what-if of ``scenarios/`` is re-planned for that option
  twice: from scratch, and from the base plan (``plan_option(..., start_from=...)``,
  the incremental re-plan), each with the default settings and with a small search
  budget (the page's), diagnosis included as the page needs it. Wall time, CP-SAT's
  deterministic time, whether the result is proven optimal, the weighted unmet work and
  the funding bids written; and the base plan kept where it still fits with no search at
  all (``repaired_plan``, verified), where every re-plan from the base plan starts;
- one option solved with one worker (the default), then with two workers given the same
  wall time: the two-worker plan must be no worse.

Prints each speed-issue target these runs measure as PASS or FAIL with the figure
(a one-change re-plan at most 1 s wall and proven optimal; two workers never worse than
one), and writes ``benchmarks/results/replanning.md``.

Usage::

    python benchmarks/replanning.py
    python benchmarks/replanning.py --options option-4 --budget 1
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
from benchmark_tables import markdown_table, verdict_lines

from capacity.domain.problem import build_problem
from capacity.pipeline import plan_option
from capacity.plan import Plan
from capacity.readers import read_scenario
from capacity.reports.comparison import bid_split
from capacity.solver import SolverSettings
from capacity.solver.greedy import repaired_plan
from capacity.verifier import check_plan

REPOSITORY = Path(__file__).resolve().parent.parent
RESULTS = REPOSITORY / "benchmarks" / "results"
BASE = REPOSITORY / "scenarios" / "staffing-options-2021-22.yaml"
ONE_CHANGE = [
    "what-if-lost-bid.yaml",
    "what-if-officer-absence.yaml",
    "what-if-recruitment-gap.yaml",
    "what-if-new-pcc-priorities.yaml",
]


def timed(scenario_path: Path, option: str, settings: SolverSettings, start_from: Plan | None):
    scenario = read_scenario(scenario_path)
    began = time.perf_counter()
    plan = plan_option(scenario, option, settings, start_from=start_from)
    return plan, time.perf_counter() - began


def kept(scenario_path: Path, option: str, base_plan: Plan) -> tuple[Plan, float]:
    """The base plan kept where it still fits, the rest placed greedily, verified."""
    scenario = read_scenario(scenario_path)
    began = time.perf_counter()
    previous = {a.task_id: (a.staff_id, a.start_week) for a in base_plan.assignments}
    plan = check_plan(scenario, repaired_plan(build_problem(scenario, option), previous))
    return plan, time.perf_counter() - began


def row(option: str, what_if: str, budget: str, how: str, plan: Plan, seconds: float) -> dict:
    report = plan.solver
    return {
        "option": option,
        "what-if": what_if.removesuffix(".yaml"),
        "budget": budget,
        "start": how,
        "wall s": round(seconds, 2),
        "det s": report.deterministic_seconds,
        "proven": report.status.value == "optimal",
        "weighted unmet": str(report.weighted_unmet_optional),
        "bids": f"{bid_split(plan).bids_written} of {bid_split(plan).bids}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--options", nargs="*", default=None, help="option ids (default all)")
    parser.add_argument(
        "--budget", type=float, default=1.0, help="the page's search budget per phase"
    )
    arguments = parser.parse_args()
    base = read_scenario(BASE)
    options = arguments.options or [o.id for o in base.options]
    default = SolverSettings()
    small = SolverSettings.for_search_budget(arguments.budget)
    rows = []
    for option in options:
        base_plan, _ = timed(BASE, option, default, None)
        for what_if in ONE_CHANGE:
            path = REPOSITORY / "scenarios" / what_if
            plan, seconds = kept(path, option, base_plan)
            rows.append(row(option, what_if, "none", "base plan kept, no search", plan, seconds))
            print(*rows[-1].values(), sep=" | ", flush=True)
            for settings_name, settings in (("default", default), ("page", small)):
                for how, start in (("from scratch", None), ("from the base plan", base_plan)):
                    plan, seconds = timed(path, option, settings, start)
                    rows.append(row(option, what_if, settings_name, how, plan, seconds))
                    print(*rows[-1].values(), sep=" | ", flush=True)
    one, one_seconds = timed(BASE, options[-1], default, None)
    two_settings = replace(
        default, workers=2, deterministic_time_limit=None, time_limit_seconds=one_seconds
    )
    two, two_seconds = timed(BASE, options[-1], two_settings, None)
    write(rows, (options[-1], one, one_seconds, two, two_seconds), arguments)


def write(rows: list[dict[str, object]], workers: tuple, arguments: argparse.Namespace) -> None:
    option, one, one_seconds, two, two_seconds = workers
    incremental = [r for r in rows if r["start"] == "from the base plan"]
    fast = [r for r in incremental if float(r["wall s"]) <= 1.0 and r["proven"]]  # type: ignore[arg-type]
    slowest = max(float(r["wall s"]) for r in incremental)  # type: ignore[arg-type]

    def key(plan: Plan) -> tuple[object, object]:
        return plan.solver.unmet_mandatory_fte_weeks, plan.solver.weighted_unmet_optional

    targets = [
        (
            "one-change re-plan at most 1 s wall, proven optimal",
            len(fast) == len(incremental),
            f"{len(fast)} of {len(incremental)} re-plans; slowest {slowest:.2f} s; "
            f"{sum(bool(r['proven']) for r in incremental)} proven",
        ),
        (
            f"two workers no worse than one ({option}, the same wall time)",
            key(two) <= key(one),
            f"one worker {one.solver.weighted_unmet_optional} in {one_seconds:.1f} s, two "
            f"workers {two.solver.weighted_unmet_optional} in {two_seconds:.1f} s",
        ),
    ]
    verdicts = "\n".join(verdict_lines(targets))
    text = (
        f"# One-change re-plans ({date.today()}, {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()})\n\n"
        f"Base: the shipped data; the page's budget {arguments.budget} deterministic s a "
        "phase; weighted unmet = weighted unmet optional FTE-weeks (lower is better).\n\n"
        f"{markdown_table(pd.DataFrame(rows))}\n\n{verdicts}\n"
    )
    print("\n" + verdicts)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "replanning.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
