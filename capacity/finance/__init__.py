"""Cost rules: pay pro rata, option costs, reconciliation with stated figures."""

from capacity.domain.pay import ProRata
from capacity.finance.money import format_money
from capacity.finance.option_costs import OptionCost, option_cost
from capacity.finance.pay import ROUNDING_RULE, post_cost, to_pounds
from capacity.finance.reconciliation import DEFAULT_TOLERANCE, Reconciliation, reconcile
from capacity.finance.recruitment import StartDateCost, start_date_costs

__all__ = [
    "DEFAULT_TOLERANCE",
    "ROUNDING_RULE",
    "OptionCost",
    "ProRata",
    "Reconciliation",
    "StartDateCost",
    "format_money",
    "option_cost",
    "post_cost",
    "reconcile",
    "start_date_costs",
    "to_pounds",
]
