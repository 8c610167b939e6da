"""Today's time-indexed CP-SAT model against a plain interval model, side by side.

Run from the repository root (one solver process at a time; about 1-2 minutes an
instance)::

    python benchmarks/interval_model.py              # all nine instances
    python benchmarks/interval_model.py --only option-1 as-it-was

Per instance: today's ``solve`` with 15 deterministic seconds a phase (two phases, no
tie-break phase) and :func:`capacity_bench.interval_model.interval_plan` with 30
deterministic seconds in one weighted solve, greedy hint for both, one worker, seed 0.
Both plans must pass the verifier before their figures count. Wall-clock limits are set
high (600 s) so that only deterministic time cuts either search.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from capacity.domain.problem import build_problem
from capacity.readers import load_scenario
from capacity.solver import SolverSettings, solve
from capacity.verifier import verify
from capacity_bench.interval_model import interval_plan

ROOT = Path(__file__).resolve().parent.parent
INSTANCES = (
    [
        ("scenarios/staffing-options-2021-22.yaml", o)
        for o in ("option-1", "option-2", "option-3", "option-4")
    ]
    + [("scenarios/back-test-2020-21.yaml", "as-it-was")]
    + [
        ("scenarios/two-years-2021-23.yaml", o)
        for o in ("option-1", "option-2", "option-3", "option-4")
    ]
)
COLUMNS = (
    "instance",
    "ti_unmet_mand",
    "ti_wopt",
    "ti_bound",
    "ti_status",
    "ti_wall",
    "ti_det",
    "ti_deliv",
    "iv_unmet_mand",
    "iv_wopt",
    "iv_bound",
    "iv_status",
    "iv_wall",
    "iv_det",
    "iv_deliv",
    "wall_iv/ti",
)


def run(path: str, option_id: str) -> list[str]:
    scenario = load_scenario(ROOT / path)
    options = [o.id for o in scenario.options]
    if option_id not in options:
        raise SystemExit(f"{path} has no option {option_id}: {options}")
    problem = build_problem(scenario, option_id)
    began = time.perf_counter()
    today = solve(
        problem,
        SolverSettings(
            deterministic_time_limit=15, tie_break_deterministic_seconds=0, time_limit_seconds=600
        ),
    )
    today_wall = time.perf_counter() - began
    assert verify(scenario, today) == [], verify(scenario, today)[:5]
    began = time.perf_counter()
    interval, _ = interval_plan(problem, 30, hint=True)
    interval_wall = time.perf_counter() - began
    assert verify(scenario, interval) == [], verify(scenario, interval)[:5]
    name = f"{Path(path).stem.split('-')[0]}:{option_id}"
    row = [name]
    for plan, wall in ((today, today_wall), (interval, interval_wall)):
        r = plan.solver
        row += [
            f"{r.unmet_mandatory_fte_weeks:.2f}",
            f"{r.weighted_unmet_optional:.2f}",
            f"{r.weighted_optional_bound:.2f}",
            r.status.value,
            f"{wall:.1f}",
            f"{r.deterministic_seconds:.1f}",
            f"{plan.delivered_fte_weeks:.2f}",
        ]
    row.append(f"{interval_wall / today_wall:.2f}")
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="option ids (or scenario:option) to run")
    args = parser.parse_args()
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for path, option_id in INSTANCES:
        key = f"{Path(path).stem.split('-')[0]}:{option_id}"
        if args.only and option_id not in args.only and key not in args.only:
            continue
        print("| " + " | ".join(run(path, option_id)) + " |", flush=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
