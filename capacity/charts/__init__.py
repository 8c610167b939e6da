"""Charts: one module per chart; each takes an optional ``ax`` and a ``size`` (A4 landscape,
Word portrait or a slide: :class:`capacity.charts.style.ChartSize`) and returns the figure."""

from capacity.charts.comparison import comparison_chart
from capacity.charts.gantt import gantt_chart
from capacity.charts.monthly_demand import monthly_demand_chart
from capacity.charts.style import ChartSize
from capacity.charts.utilisation import utilisation_chart

__all__ = [
    "ChartSize",
    "comparison_chart",
    "gantt_chart",
    "monthly_demand_chart",
    "utilisation_chart",
]
