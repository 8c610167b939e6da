"""Benchmark: the commands a manager runs, end to end, against a baseline, in one sitting.

Not part of the test suite (timing belongs here). Each run is a fresh Python process
(process start to exit, imports, solve, verifier and files included), one after the
other, so the machine's load is shared alike:

- ``capacity compare`` on a scenario (default: the shipped data), with the code of a
  baseline git revision (checked out in a temporary worktree) and with this working
  tree, each with the plan cache off: wall time, peak memory, and the ratio; and this
  working tree's again on one core alone (``taskset``), where it plans the options one
  after another instead of side by side: the same plans (each solve is one CP-SAT worker
  on a deterministic budget), so two cores must be faster, never slower;
- this working tree's ``capacity report``, ``export`` and ``finance`` right after its
  ``compare``, with the cache on (a folder of their own): wall time, how many options
  each had to solve (counted from the command's own progress lines), and how many CP-SAT
  solves it made in all, in every process (counted by a hook every process of the run
  loads, :data:`SOLVE_COUNTER`); then ``capacity risk`` (a small study, which the
  cache saves) and ``capacity report`` again, which puts that study in the pack without
  planning a sampled year again (:mod:`capacity.risk.saved`);

and prints each of the speed issue's targets that these runs measure as PASS or FAIL
with the figure (compare at most 10 s; at least 5 times faster than the baseline; two
cores never slower than one; no solve in the commands after ``compare``). Writes
``benchmarks/results/commands.md``.

Usage::

    python benchmarks/commands.py                        # baseline: the last commit
    python benchmarks/commands.py --baseline 86f8966     # any revision
    python benchmarks/commands.py --scenario scenarios/back-test-2020-21.yaml
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
from benchmark_tables import markdown_table, verdict_lines

RISK_SAMPLES = 2
"""The small study run between the two reports: enough to show the second report reads
it back (and solves nothing), not a study to read figures from."""

REPOSITORY = Path(__file__).resolve().parent.parent
RESULTS = REPOSITORY / "benchmarks" / "results"

# Runs the command line in this process and reports its wall time and peak memory.
RUNNER = """
import json, resource, sys, time
began = time.perf_counter()
from capacity.cli import cli
try:
    cli(sys.argv[2:], standalone_mode=False)
    code = 0
except SystemExit as exc:
    code = exc.code or 0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
with open(sys.argv[1], "w") as out:
    json.dump({"seconds": time.perf_counter() - began, "peak_mib": peak, "code": code}, out)
"""


# Loaded at start-up by every Python process of a run (as ``sitecustomize``, from a
# folder put first on PYTHONPATH), the risk study's worker processes included: appends a
# line to the file named by CAPACITY_BENCH_SOLVES for each CP-SAT solve.
SOLVE_COUNTER = """
import os
if os.environ.get("CAPACITY_BENCH_SOLVES"):
    from ortools.sat.python import cp_model

    _solve = cp_model.CpSolver.solve

    def _counted(self, *args, **kwargs):
        with open(os.environ["CAPACITY_BENCH_SOLVES"], "a") as log:
            log.write(f"{os.getpid()}\\n")
        return _solve(self, *args, **kwargs)

    cp_model.CpSolver.solve = _counted
"""


def run(
    code_root: Path, args: list[str], env: dict[str, str], folder: Path, one_core: bool = False
) -> dict[str, object]:
    """One command in a fresh process, with the package from ``code_root`` (on one core
    alone, with ``one_core``: ``taskset``, which the pipeline's count of the cores it may
    use follows)."""
    report = folder / "run.json"
    hook = folder / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SOLVE_COUNTER, encoding="utf-8")
    solves = folder / "solves.log"
    pinned = ["taskset", "-c", "0"] if one_core else []
    result = subprocess.run(
        [*pinned, sys.executable, "-c", RUNNER, str(report), *args],
        cwd=folder,
        env={
            **os.environ,
            **env,
            "PYTHONPATH": os.pathsep.join([str(hook), str(code_root)]),
            "CAPACITY_BENCH_SOLVES": str(solves),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    figures = json.loads(report.read_text())
    if figures["code"] != 0 or result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr[-2000:]}")
    # "Planning Option 1: ... the best possible plan, in 3.2 s" for a solve; "..., saved by
    # an earlier run and checked again" for a plan from the cache (capacity/cli.py)
    figures["solved"] = len(re.findall(r"^Planning .*, (?:in )?[\d.]+ s$", result.stderr, re.M))
    figures["saved"] = len(
        re.findall(r"^Planning .*, saved by an earlier run and checked again$", result.stderr, re.M)
    )
    figures["cp_sat_solves"] = len(solves.read_text().splitlines()) if solves.exists() else 0
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="HEAD", help="git revision to compare against")
    parser.add_argument(
        "--scenario",
        default=str(REPOSITORY / "scenarios" / "staffing-options-2021-22.yaml"),
        help="scenario file, given to both revisions (default: this tree's 2021/22 options, "
        "not each revision's own default, which changed to two years)",
    )
    arguments = parser.parse_args()
    scenario = [str(Path(arguments.scenario).resolve())]
    with tempfile.TemporaryDirectory(prefix="capacity-bench-") as scratch:
        root = Path(scratch)
        baseline = root / "baseline"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(baseline), arguments.baseline],
            cwd=REPOSITORY,
            check=True,
            capture_output=True,
        )
        try:
            rows = measure(root, baseline, scenario)
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(baseline)],
                cwd=REPOSITORY,
                check=False,
                capture_output=True,
            )
    write(rows, arguments)


def measure(root: Path, baseline: Path, scenario: list[str]) -> list[dict[str, object]]:
    off = {"CAPACITY_NO_CACHE": "1"}
    on = {"CAPACITY_NO_CACHE": "0", "CAPACITY_CACHE_DIR": str(root / "cache")}
    rows = []
    for name, code, env, one_core in (
        ("compare (baseline)", baseline, off, False),
        ("compare", REPOSITORY, off, False),
        ("compare, one core", REPOSITORY, off, True),
        ("compare, saving plans", REPOSITORY, on, False),
    ):
        folder = root / name.replace(" ", "-").replace(",", "")
        folder.mkdir()
        figures = run(code, ["compare", *scenario, "--out", "out"], env, folder, one_core)
        figures["comparison"] = (folder / "out" / "comparison.csv").read_text(encoding="utf-8")
        rows.append({"run": name, **figures})
        print(f"{name}: {figures['seconds']:.1f} s, {figures['peak_mib']} MiB", flush=True)
    for command, out, more, after in (
        ("report", "pack", [], "compare"),
        ("export", "plan.xlsx", [], "compare"),
        ("finance", "costs", [], "compare"),
        ("risk", "study", ["--samples", str(RISK_SAMPLES)], "compare"),
        ("report", "pack", [], "compare and risk"),
    ):
        name = " ".join([command, *more])
        folder = root / f"{name} after {after}".replace(" ", "-")
        folder.mkdir()
        figures = run(REPOSITORY, [command, *scenario, "--out", out, *more], on, folder)
        rows.append({"run": f"{name} after {after}", **figures})
        print(
            f"{name}: {figures['seconds']:.1f} s, {figures['solved']} options solved, "
            f"{figures['cp_sat_solves']} CP-SAT solves",
            flush=True,
        )
    return rows


def write(rows: list[dict[str, object]], arguments: argparse.Namespace) -> None:
    by_run = {str(row["run"]): row for row in rows}
    now, before = by_run["compare"], by_run["compare (baseline)"]
    one_core = by_run["compare, one core"]
    speedup = float(before["seconds"]) / float(now["seconds"])  # type: ignore[arg-type]
    after = [
        row
        for row in rows
        if " after compare" in str(row["run"]) and not str(row["run"]).startswith("risk")
    ]
    targets = [
        ("compare at most 10 s wall", float(now["seconds"]) <= 10, f"{now['seconds']:.1f} s"),  # type: ignore[arg-type]
        (
            f"compare at least 5x faster than {arguments.baseline}",
            speedup >= 5,
            f"{speedup:.2f}x ({before['seconds']:.1f} s -> {now['seconds']:.1f} s)",
        ),
        (
            "two cores never slower than one (compare; the same plans either way)",
            float(now["seconds"]) <= float(one_core["seconds"])  # type: ignore[arg-type]
            and now["comparison"] == one_core["comparison"],
            f"{now['seconds']:.1f} s on two cores, {one_core['seconds']:.1f} s on one; "
            + (
                "comparison.csv the same"
                if now["comparison"] == one_core["comparison"]
                else "comparison.csv DIFFERS"
            ),
        ),
        (
            "no CP-SAT solve at all in report, export, finance after compare (and report "
            "after risk)",
            all(row["cp_sat_solves"] == 0 for row in after),
            ", ".join(
                f"{row['run']}: {row['cp_sat_solves']} CP-SAT solves, {row['solved']} "
                "options planned again"
                for row in after
            ),
        ),
    ]
    table = markdown_table(
        pd.DataFrame(
            [
                {
                    "run": r["run"],
                    "wall s": f"{r['seconds']:.1f}",
                    "peak MiB": r["peak_mib"],
                    "options solved": r["solved"],
                    "options from the cache": r["saved"],
                    "CP-SAT solves": r["cp_sat_solves"],
                }
                for r in rows
            ]
        )
    )
    verdicts = "\n".join(verdict_lines(targets))
    text = (
        f"# Commands end to end ({date.today()}, {platform.node()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()})\n\n"
        f"Scenario: {arguments.scenario or 'the shipped data'}; baseline {arguments.baseline}.\n\n"
        f"{table}\n\n{verdicts}\n"
    )
    print("\n" + verdicts)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "commands.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
