"""The board pack: one PDF and one self-contained HTML page with the same content.

Contents: the comparison (table and chart), a Gantt chart and a utilisation
chart per option with its unmet work, the costs and their reconciliation with
the stated figures, and every assumption with its source.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from capacity.charts.comparison import comparison_chart
from capacity.charts.files import save_chart, svg_text
from capacity.charts.gantt import gantt_chart, gantt_subtitle
from capacity.charts.monthly_demand import monthly_demand_chart
from capacity.charts.style import A4_LANDSCAPE_INCHES, ChartSize
from capacity.charts.utilisation import utilisation_chart
from capacity.domain.scenario import Scenario
from capacity.finance import ROUNDING_RULE, Reconciliation
from capacity.plan import OptionResult
from capacity.reports.assumptions import provenance_table
from capacity.reports.comparison import comparison_view, unmet_by_item
from capacity.reports.costs import costs_table, reconciliation_table

PDF_METADATA = {"CreationDate": None, "Creator": None, "Producer": None, "Title": "Board pack"}
LINES_PER_PAGE = 44


@dataclass(frozen=True)
class BoardPack:
    """Everything in the pack, built once and written as PDF, HTML and chart files."""

    scenario: Scenario
    results: list[OptionResult]
    reconciliations: list[Reconciliation]

    @cached_property
    def charts(self) -> list[tuple[str, str, Figure]]:
        """(file stem, caption, figure) for every chart, in reading order (A4 landscape)."""
        return self.charts_at(ChartSize.A4_LANDSCAPE)

    def charts_at(self, size: ChartSize) -> list[tuple[str, str, Figure]]:
        """Every chart drawn at ``size``: the comparison, then per option its Gantt chart,
        utilisation and monthly demand against capacity."""
        charts = [
            (
                "comparison",
                "Unmet demand and additional cost",
                comparison_chart(self.results, size=size),
            )
        ]
        for result in self.results:
            option = result.plan.option_id
            gantt = gantt_chart(result.plan, subtitle=gantt_subtitle(result), size=size)
            charts += [
                (f"gantt-{option}", f"{option}: who does what, when", gantt),
                (
                    f"utilisation-{option}",
                    f"{option}: load against capacity",
                    utilisation_chart(result.plan, size=size),
                ),
                (
                    f"monthly-demand-{option}",
                    f"{option}: demand by month against capacity",
                    monthly_demand_chart(result, size=size),
                ),
            ]
        return charts

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "comparison": comparison_view(self.results),
            "costs": costs_table(self.results),
            "reconciliation": reconciliation_table(self.reconciliations),
            "assumptions": provenance_table(self.scenario).drop(columns=["file"]),
        }


def write_chart_files(pack: BoardPack, folder: Path) -> list[Path]:
    """Every chart in each size: ``gantt-option-4.png``, ``.svg`` and ``.pdf`` (A4
    landscape, 300 dpi), and ``gantt-option-4-word`` (16 cm wide) and
    ``gantt-option-4-slide`` as PNG and SVG, which is what Word and slides take."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for stem, _, figure in pack.charts:
        written += save_chart(figure, folder, stem)
    for size in (ChartSize.WORD_PORTRAIT, ChartSize.SLIDE):
        for stem, _, figure in pack.charts_at(size):
            written += save_chart(figure, folder, stem, formats=("png", "svg"), size=size)
    return written


def write_pdf(pack: BoardPack, path: Path) -> None:
    """A multi-page A4-landscape PDF."""
    tables = pack.tables()
    costs = tables["costs"].drop(columns=["option_name", "rule"]).set_index("option_id").T
    pages = [
        *_table_pages(pack.scenario.name, "Options compared", tables["comparison"], index=True),
        *(figure for _, _, figure in pack.charts),
        *_table_pages(
            "Costs",
            f"pro rata by {pack.scenario.pay.rule.value}; {ROUNDING_RULE}",
            costs,
            index=True,
        ),
        *_table_pages("Reconciliation with the stated figures", "", tables["reconciliation"]),
        *_table_pages("Assumptions and sources", "", tables["assumptions"]),
    ]
    with PdfPages(path, metadata=PDF_METADATA) as pdf:
        for page in pages:
            pdf.savefig(page)


def _table_pages(
    title: str, subtitle: str, table: pd.DataFrame, index: bool = False
) -> list[Figure]:
    """The table on as many pages as it needs; every row as tall as its longest cell."""
    if table.empty:
        return []
    shown = table.copy()
    if index:
        shown.insert(0, "", [str(i) for i in shown.index])
    widths = _column_widths(shown)
    characters = [max(8, int(w * 190)) for w in widths]  # about 190 characters across the page
    header = [_wrap(str(c), n) for c, n in zip(shown.columns, characters, strict=True)]
    rows = [
        [_wrap(str(_show(v)), n) for v, n in zip(row, characters, strict=True)]
        for row in shown.itertuples(index=False)
    ]
    chunks: list[list[list[str]]] = [[]]
    used = 0
    for row in rows:
        lines = max(cell.count("\n") + 1 for cell in row)
        if chunks[-1] and used + lines > LINES_PER_PAGE:
            chunks.append([])
            used = 0
        chunks[-1].append(row)
        used += lines
    figures = []
    for number, chunk in enumerate(chunks, start=1):
        heading = title if len(chunks) == 1 else f"{title} ({number} of {len(chunks)})"
        figures.append(_table_figure(heading, subtitle, header, chunk, widths))
    return figures


def _table_figure(
    title: str, subtitle: str, header: list[str], rows: list[list[str]], widths: list[float]
) -> Figure:
    figure = Figure(figsize=A4_LANDSCAPE_INCHES)
    figure.suptitle(title, fontsize=13, x=0.03, ha="left")
    if subtitle:
        figure.text(0.03, 0.92, subtitle, fontsize=8, color="#555555")
    ax = figure.add_axes((0.03, 0.03, 0.94, 0.86))
    ax.axis("off")
    drawn = ax.table(
        cellText=rows, colLabels=header, loc="upper left", cellLoc="left", colWidths=widths
    )
    drawn.auto_set_font_size(False)
    drawn.set_fontsize(6.5)
    line_height = 1 / (LINES_PER_PAGE + 6)
    all_rows = [header, *rows]
    for (row, _), cell in drawn.get_celld().items():
        lines = max(text.count("\n") + 1 for text in all_rows[row])
        cell.set_height(line_height * lines + 0.004)
        if row == 0:
            cell.set_facecolor("#dde6f0")
    return figure


def _column_widths(table: pd.DataFrame) -> list[float]:
    raw = [
        min(60, max([len(str(c))] + [len(str(_show(v))) for v in table[c]])) for c in table.columns
    ]
    total = sum(raw) or 1
    return [max(0.04, w / total) for w in raw]


def _show(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return value


def _wrap(text: str, width: int = 60) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def write_html(pack: BoardPack, path: Path) -> None:
    """A single self-contained HTML page: inline SVG charts and tables, no network."""
    tables = pack.tables()
    charts = {stem: (caption, svg_text(figure)) for stem, caption, figure in pack.charts}
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        f"<title>{e(pack.scenario.name)} - board pack</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{e(pack.scenario.name)}</h1>",
        f"<p>{e(pack.scenario.description)}</p>",
        "<p>Every plan below passed the independent verifier. Figures from the decision record "
        "carry their paragraph; the rest are stated assumptions (see the last section).</p>",
        "<h2>Options compared</h2>",
        tables["comparison"].to_html(classes="figures", border=0),
        _figure(*charts["comparison"], "comparison"),
    ]
    for result in pack.results:
        option = result.plan.option_id
        parts.append(f'<h2 id="{e(option)}">{e(result.plan.problem.option_name)}</h2>')
        parts.append(_figure(*charts[f"gantt-{option}"], f"gantt-{option}"))
        parts.append(_figure(*charts[f"utilisation-{option}"], f"utilisation-{option}"))
        unmet = unmet_by_item(result.plan)[
            ["item_id", "name", "mandatory", "unmet_fte_weeks", "reason"]
        ]
        parts.append("<h3>Not delivered</h3>")
        parts.append(
            unmet.to_html(index=False, classes="figures", border=0)
            if len(unmet)
            else "<p>Nothing.</p>"
        )
    parts += [
        "<h2>Costs</h2>",
        tables["costs"].to_html(index=False, classes="figures", border=0),
        "<h2>Reconciliation with the stated figures</h2>",
        tables["reconciliation"].to_html(index=False, classes="figures", border=0),
        "<h2>Assumptions and sources</h2>",
        tables["assumptions"].to_html(index=False, classes="figures", border=0),
        "</body></html>",
    ]
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def _figure(caption: str, svg: str, stem: str) -> str:
    anchor, text = html.escape(stem), html.escape(caption)
    return (
        f'<figure class="chart" id="chart-{anchor}">{svg}<figcaption>{text}</figcaption></figure>'
    )


_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; }
table.figures { border-collapse: collapse; font-size: 0.85em; margin: 1em 0; }
table.figures th, table.figures td {
  border: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top;
}
table.figures th { background: #dde6f0; }
figure.chart svg { width: 100%; height: auto; }
figcaption { font-size: 0.85em; color: #555; }
"""
