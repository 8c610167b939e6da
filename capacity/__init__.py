"""capacity: plan a commissioning team's year under each staffing option.

The pipeline, named the same everywhere::

    scenario = load_scenario("scenarios/staffing-options-2021-22.yaml")
    plan = plan_option(scenario, "option-4")     # solve -> verify -> explain
    results = compare_options(scenario)          # every option, with costs

Only :mod:`capacity.solver` imports OR-Tools; :mod:`capacity.verifier`
re-checks every plan without it.
"""

from capacity.pipeline import OptionResult, compare_options, plan_option
from capacity.readers import load_scenario
from capacity.verifier import check_plan, verify

__all__ = [
    "OptionResult",
    "check_plan",
    "compare_options",
    "load_scenario",
    "plan_option",
    "verify",
]
