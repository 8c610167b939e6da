"""Shared look of the charts: page size, colours, fonts."""

from __future__ import annotations

from capacity.domain.work import WorkKind

A4_LANDSCAPE_INCHES = (11.69, 8.27)

KIND_COLOURS = {
    WorkKind.TENDER: "#1f77b4",
    WorkKind.NEEDS_ASSESSMENT: "#17becf",
    WorkKind.BID: "#ff7f0e",
    WorkKind.IMPLEMENTATION: "#d62728",
    WorkKind.MOBILISATION: "#9467bd",
    WorkKind.REVIEW: "#2ca02c",
    WorkKind.BUSINESS_AS_USUAL: "#7f7f7f",
    WorkKind.PROJECT: "#bcbd22",
    WorkKind.SUPPORT: "#8c564b",
}

MANDATORY_COLOUR = "#b2182b"
OPTIONAL_COLOUR = "#fdb863"
COST_COLOUR = "#2166ac"
MARKER_COLOUR = "#444444"
UK_MONTH = "%b %Y"  # Apr 2021
UK_DATE = "%d %b %Y"  # 31 Jul 2021


def plain(text: str) -> str:
    """Scenario text for a chart: a '$' is shown as written, never read as mathematics."""
    return text.replace("$", r"\$")
