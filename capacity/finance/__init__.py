"""Cost rules: pay pro rata and the cost of each staffing option."""

from capacity.finance.option_costs import OptionCost, option_cost
from capacity.finance.pay import ProRata, post_cost, to_pounds

__all__ = ["OptionCost", "ProRata", "option_cost", "post_cost", "to_pounds"]
