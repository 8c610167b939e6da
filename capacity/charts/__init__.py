"""Charts: one module per chart; each takes an optional ``ax`` and returns the figure."""

from capacity.charts.gantt import gantt_chart

__all__ = ["gantt_chart"]
