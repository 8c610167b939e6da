"""Charts: one module per chart; each takes an optional ``ax`` and returns the figure."""

from capacity.charts.comparison import comparison_chart
from capacity.charts.gantt import gantt_chart
from capacity.charts.utilisation import utilisation_chart

__all__ = ["comparison_chart", "gantt_chart", "utilisation_chart"]
