"""capacity: plan a commissioning team's year under each staffing option.

The pipeline, named the same everywhere::

    scenario = load_scenario("scenarios/staffing-options-2021-22.yaml")
    plan = plan_option(scenario, "option-4")     # solve -> verify -> explain
    results = compare_options(scenario)          # every option, with costs

Only :mod:`capacity.solver` imports OR-Tools; :mod:`capacity.verifier`
re-checks every plan without it.

Importing :mod:`capacity` (or its readers or domain) loads neither OR-Tools
nor pandas nor matplotlib: the pipeline's functions are imported on first
use, so ``capacity validate`` and a notebook that only reads a scenario start
quickly.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from capacity.plan import OptionResult
from capacity.readers import load_scenario
from capacity.verifier import check_plan, verify

if TYPE_CHECKING:
    from capacity.pipeline import compare_options, plan_option

_LAZY = {"compare_options": "capacity.pipeline", "plan_option": "capacity.pipeline"}
"""Public names whose module imports the solver (so OR-Tools), loaded on first use."""

__all__ = [
    "OptionResult",
    "check_plan",
    "compare_options",
    "load_scenario",
    "plan_option",
    "verify",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value  # the next look-up is an ordinary attribute
        return value
    raise AttributeError(f"module 'capacity' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
