"""Benchmark: a risk study of the four options on the shipped data.

Not part of the test suite (timing belongs here). Prints and writes to
benchmarks/results/risk.md and risk.csv:

- total wall time of the study, and samples per second;
- time per sample / time of one standalone deterministic solve, where
  *per sample* is the study's wall time divided by its samples (each sample
  plans all four options, on --workers processes), and *the standalone solve*
  is planning all four options once with the default settings
  (``SolverSettings()``: one worker, proven optimal, the third phase included),
  as ``capacity compare`` does;
- how well the sampled plans were solved at the deterministic limit: the share
  proven optimal and the mean gap (the price of the limit);
- peak memory (resident set) of this process and of the largest worker.

Usage::

    python benchmarks/risk.py                 # 1000 samples
    python benchmarks/risk.py --samples 100
    python benchmarks/risk.py --quick         # 8 samples, a smoke run
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd
from benchmark_tables import markdown_table, verdict_lines

from capacity.pipeline import compare_options, default_workers
from capacity.readers import load_scenario
from capacity.reports.risk import summary_table
from capacity.risk.study import (
    DETERMINISTIC_LIMIT,
    run_study,
    sample_settings,
    summarise,
)
from capacity.solver import SolverSettings

REPOSITORY = Path(__file__).resolve().parent.parent
SHIPPED = REPOSITORY / "scenarios" / "staffing-options-2021-22.yaml"
RESULTS = REPOSITORY / "benchmarks" / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="8 samples")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--work-limit", type=float, default=DETERMINISTIC_LIMIT)
    parser.add_argument("--scenario", type=Path, default=SHIPPED)
    args = parser.parse_args()
    samples = 8 if args.quick else args.samples
    scenario = load_scenario(args.scenario)

    began = time.perf_counter()
    standalone = compare_options(scenario, SolverSettings())
    standalone_seconds = time.perf_counter() - began
    print(
        f"standalone deterministic solve of {len(standalone)} options: {standalone_seconds:.1f} s "
        f"({', '.join(f'{r.plan.solver.runtime_seconds:.1f}' for r in standalone)})",
        file=sys.stderr,
    )

    rows = {}
    studies = {}
    for warm_start in (False, True):
        name = "warm start" if warm_start else "cold start"
        done = 0

        def progress(n: int, name: str = name) -> None:
            nonlocal done
            done += n
            print(f"\r{name}: {done}/{samples} samples", end="", file=sys.stderr, flush=True)

        began = time.perf_counter()
        study = run_study(
            scenario,
            samples,
            seed=args.seed,
            workers=args.workers,
            settings=sample_settings(args.work_limit),
            on_progress=progress,
            warm_start=warm_start,
        )
        total = time.perf_counter() - began
        print(file=sys.stderr)
        risks = summarise(study)
        studies[name] = risks
        per_sample = total / samples
        solve_seconds = sum(o.runtime_seconds for s in study.samples for o in s.outcomes)
        rows[name] = {
            "samples": samples,
            "options": len(study.option_ids),
            "workers": args.workers,
            "work_limit_per_phase": args.work_limit,
            "total_seconds": round(total, 1),
            "samples_per_second": round(samples / total, 3),
            "seconds_per_sample": round(per_sample, 3),
            "solver_seconds_per_sample": round(solve_seconds / samples, 3),
            "standalone_seconds": round(standalone_seconds, 1),
            "ratio_per_sample_to_standalone": round(per_sample / standalone_seconds, 3),
            "projected_seconds_for_1000": round(per_sample * 1000),
            "proven_optimal_share": round(
                sum(r.proven_optimal_share for r in risks) / len(risks), 3
            ),
            "mean_gap": round(sum(r.mean_gap for r in risks) / len(risks), 4),
            "backstop_hits": study.backstop_hits,
        }
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    figures = pd.DataFrame(rows)
    chosen = rows["cold start"]  # the default: the targets are measured on it
    medians = sorted(float(r.unmet_p50) for r in studies["cold start"])
    smallest = min((b - a for a, b in itertools.pairwise(medians)), default=0.0)
    mean_unmet = sum(float(r.unmet_mean) for r in studies["cold start"]) / len(medians)
    gap_fte = float(chosen["mean_gap"]) * mean_unmet
    targets = [
        (
            "1000 samples x 4 options in at most 60 s",
            float(chosen["projected_seconds_for_1000"]) <= 60,
            f"{chosen['projected_seconds_for_1000']} s (from {samples} samples, "
            f"{chosen['seconds_per_sample']} s a sample)",
        ),
        (
            "at least 90% of sampled plans proven optimal",
            float(chosen["proven_optimal_share"]) >= 0.9,
            f"{float(chosen['proven_optimal_share']):.0%}",
        ),
        (
            "the study's gap at most a tenth of the smallest difference between options",
            float(chosen["proven_optimal_share"]) == 1 or gap_fte <= smallest / 10,
            f"mean gap about {gap_fte:.1f} FTE-weeks against {smallest:.1f} between the "
            "closest medians",
        ),
    ]
    verdicts = verdict_lines(targets)
    table = summary_table(studies["cold start"])
    lines = [
        "# Risk study benchmark",
        "",
        f"`python benchmarks/risk.py --samples {samples} --workers {args.workers} "
        f"--work-limit {args.work_limit}` on {args.scenario.name}, seed {args.seed}, "
        f"{date.today()}, {os.cpu_count()} cores. The same study twice, one after the "
        "other: each sample's search from scratch (cold, the default) and from the "
        "option's plan of the scenario itself (warm).",
        "",
        markdown_table(figures.reset_index(names="figure")),
        "",
        f"Peak memory: {round(peak_self)} MiB this process, {round(peak_child)} MiB the "
        "largest worker.",
        "",
        *verdicts,
        "",
        "Per sample = the study's wall time / samples (each sample plans every option). "
        "Standalone = planning every option once with the default settings, as "
        "`capacity compare` does.",
        "",
        markdown_table(table),
        "",
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "risk.md").write_text("\n".join(lines), encoding="utf-8")
    figures.to_csv(RESULTS / "risk.csv")
    table.to_csv(RESULTS / "risk-options.csv", index=False)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
