"""The board pack: one PDF and one self-contained HTML page with the same content.

Contents, in reading order: a one-page summary with the glossary
(:mod:`capacity.reports.summary`, :mod:`capacity.reports.glossary`); the options
compared; what each option assumes, side by side; the comparison chart; per option a
Gantt chart, a utilisation chart, its demand by month and what it leaves undone, and why;
the costs and their reconciliation with the stated figures; and every assumption with
its source. The Word
document (:mod:`capacity.outputs.board_docx`) lays out the same :class:`BoardPack`.

This module lays out; the reports compute. Every page carries the scenario's name and
version, the paper's date and the page number.
"""

from __future__ import annotations

import base64
import html
import re
import textwrap
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from capacity.charts.comparison import comparison_chart
from capacity.charts.files import CHART_FORMATS, save_chart, svg_text
from capacity.charts.gantt import gantt_chart, gantt_subtitle
from capacity.charts.monthly_demand import monthly_demand_chart
from capacity.charts.style import A4_LANDSCAPE_INCHES, ChartSize
from capacity.charts.utilisation import utilisation_chart
from capacity.domain.scenario import Scenario
from capacity.finance import ROUNDING_RULE, Reconciliation
from capacity.plan import OptionResult
from capacity.reports.assumptions import provenance_table
from capacity.reports.comparison import comparison_view, unmet_by_item
from capacity.reports.costs import costs_table, costs_view, pounds, reconciliation_table
from capacity.reports.figures import format_fte_weeks, option_label
from capacity.reports.glossary import GLOSSARY
from capacity.reports.option_changes import option_changes_table, option_changes_view
from capacity.reports.summary import BoardSummary, board_summary, short_name
from capacity.risk.study import StudyResult

OPTION_CHARTS = ("gantt", "utilisation", "monthly-demand")
"""Each option's charts, in reading order (their stems: ``gantt-option-4``)."""
PDF_METADATA = {"CreationDate": None, "Creator": None, "Producer": None, "Title": "Board pack"}
LINES_PER_PAGE = 40
NUMBER = re.compile(r"^[-−]?£?[\d,.]+%?( ?/ ?[-−]?£?[\d,.]+%?)?$|^[\d.]+% of \d+ sampled years?$")
"""Cells shown right-aligned: amounts, FTE-weeks, shares and pairs of them."""
CHARACTERS_AT_6_5_POINTS = 195  # across the table, less the cells' padding
TABLE_WIDTH = 0.96  # of the axes: matplotlib keeps 0.02 clear on each side of a table
TABLE_GAP = 0.02  # of the axes, above a table placed at its upper left
BOLD_WIDTH = 1.15  # a bold heading's letters against the cells' regular ones
ROW_PADDING = 0.006  # of the axes, added to every row's lines
CELL_PAD = 0.003  # of the axes, between a cell's border and its text
_PDF_TEXT: Any = {"pdf.fonttype": 42}  # TrueType, not Type 3: text that can be searched


@dataclass(frozen=True)
class BoardPack:
    """Everything in the pack, built once and written as PDF, HTML, Word and chart files.

    Parameters
    ----------
    scenario, results, reconciliations
        The scenario, every option's verified and costed plan, and the reconciliation of
        the costs with the figures the scenario states.
    study
        A risk study of the same options, for the summary's risk line (``None``: none run).
    paper_date
        The date the paper states (``None``: no date shown).
    """

    scenario: Scenario
    results: list[OptionResult]
    reconciliations: list[Reconciliation]
    study: StudyResult | None = None
    paper_date: date | None = None

    @cached_property
    def charts(self) -> list[tuple[str, str, Figure]]:
        """(file stem, caption, figure) for every chart, in reading order (A4 landscape)."""
        return self.charts_at(ChartSize.A4_LANDSCAPE)

    @cached_property
    def _drawn(self) -> dict[ChartSize, list[tuple[str, str, Figure]]]:
        return {}

    def charts_at(self, size: ChartSize) -> list[tuple[str, str, Figure]]:
        """Every chart drawn at ``size``: the comparison, then per option its Gantt chart,
        utilisation and monthly demand against capacity. Drawn once a size (the Word
        document and the chart files share them)."""
        if size not in self._drawn:
            self._drawn[size] = self._draw(size)
        return self._drawn[size]

    def _draw(self, size: ChartSize) -> list[tuple[str, str, Figure]]:
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

    @cached_property
    def summary(self) -> BoardSummary:
        """The first page: :func:`capacity.reports.summary.board_summary`."""
        return board_summary(self.scenario, self.results, self.study)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The reports' own tables (ids and raw column names, as in the CSVs)."""
        return {
            "comparison": comparison_view(self.results),
            "costs": costs_table(self.results),
            "reconciliation": reconciliation_table(self.reconciliations),
            "assumptions": provenance_table(self.scenario).drop(columns=["file"]),
        }

    def pages(self) -> dict[str, pd.DataFrame]:
        """The same tables as a reader sees them: names, readable headings, pounds."""
        tables = self.tables()
        names = {r.plan.option_id: option_label(r.plan.problem.option_name) for r in self.results}
        people = {m.id: m.name for r in self.results for m in r.plan.problem.staff}
        # The comparison already names people and heads options "Option 1" ...; the pack
        # heads them by name, and leaves how good each plan is to the summary's caveats.
        comparison = tables["comparison"].drop(index=["Best possible plan?"], errors="ignore")
        comparison.columns = [names[r.plan.option_id] for r in self.results]
        costs = costs_view(tables["costs"]).rename(columns=names)
        years = [
            c for c in tables["costs"].columns if re.fullmatch(r"additional_cost_\d{4}_\d{2}", c)
        ]
        if len(years) > 1:  # a horizon over several financial years: each year's cost too
            by_year = pd.DataFrame(
                [[pounds(v) for v in tables["costs"][c]] for c in years],
                index=[f"Additional cost {c[-7:-3]}/{c[-2:]}" for c in years],
                columns=costs.columns,
            )
            costs = pd.concat([by_year, costs])
        if "Posts decided" in costs.index:
            for column in costs.columns:
                ids = str(costs.at["Posts decided", column]).split(",")
                costs.at["Posts decided", column] = ", ".join(
                    people.get(p.strip(), p.strip()) for p in ids if p.strip()
                )
        reconciliation = tables["reconciliation"].copy()
        # "option-2: additional in year" as "Option 2: additional in year", by name
        shown_as = {
            **people,
            **{r.plan.option_id: short_name(r.plan.problem.option_name) for r in self.results},
        }
        reconciliation["figure"] = [
            f"{shown_as.get(head, head)}{colon}{rest}"
            for head, colon, rest in (str(f).partition(":") for f in reconciliation["figure"])
        ]
        for column in ("stated", "computed", "difference"):
            reconciliation[column] = reconciliation[column].map(pounds)
        reconciliation.columns = [
            "Figure",
            "Source",
            "Stated",
            "Computed",
            "Difference",
            "Check",
            "Explanation",
        ]
        assumptions = tables["assumptions"].set_axis(
            ["Where in the scenario", "Value", "Basis", "Source, working or reasoning"], axis=1
        )
        return {
            "comparison": comparison,
            "option changes": option_changes_view(
                option_changes_table(self.scenario, self.results)
            ),
            "costs": costs,
            "reconciliation": reconciliation,
            "assumptions": assumptions,
        }

    def not_delivered(self, result: OptionResult) -> pd.DataFrame:
        """What one option leaves undone, and why: a row per item, by name."""
        unmet = unmet_by_item(result.plan)
        return pd.DataFrame(
            {
                "Work": unmet["name"],
                "Mandatory": ["yes" if m else "no" for m in unmet["mandatory"]],
                "Left undone (FTE-weeks)": [format_fte_weeks(v) for v in unmet["unmet_fte_weeks"]],
                "Of (FTE-weeks)": [format_fte_weeks(v) for v in unmet["demand_fte_weeks"]],
                "Why": unmet["reason"],
            }
        )

    def chart_descriptions(self) -> dict[str, str]:
        """Alt text for every chart: what it shows, and the figure it is there to show."""
        said = {
            "comparison": "Bar chart of each option's unmet demand in FTE-weeks (mandatory "
            "work in red at the bottom) beside its additional cost in pounds: "
            + "; ".join(
                f"{option_label(r.plan.problem.option_name)} leaves "
                f"{format_fte_weeks(r.plan.unmet_fte_weeks)} FTE-weeks undone"
                for r in self.results
            )
            + "."
        }
        for r in self.results:
            name, plan = option_label(r.plan.problem.option_name), r.plan
            mandatory = (
                "all mandatory work delivered"
                if plan.mandatory_delivered
                else (
                    f"{format_fte_weeks(plan.unmet_mandatory_fte_weeks)} FTE-weeks of "
                    "mandatory work undone"
                )
            )
            said[f"gantt-{plan.option_id}"] = (
                f"Gantt chart of {name}: a lane per person with their work as bars, week by "
                f"week, and a hatched lane of the work not delivered "
                f"({format_fte_weeks(plan.unmet_fte_weeks)} FTE-weeks; {mandatory})."
            )
            said[f"utilisation-{plan.option_id}"] = (
                f"Heat map of {name}: each person's booked load against their capacity, "
                "month by month, with the percentage in each cell."
            )
            said[f"monthly-demand-{plan.option_id}"] = (
                f"Stacked bars of {name}, one per calendar month: the FTE the month's work "
                "asks for (planned committed work by kind, the planned delivery of bids, and "
                "work not delivered) against the team's available FTE, drawn as a line."
            )
        return said

    def chart_captions(self) -> dict[str, str]:
        """A caption for every chart, naming the option (the charts' own name its id)."""
        captions = {"comparison": "Unmet demand and additional cost, by option"}
        for r in self.results:
            name, option = option_label(r.plan.problem.option_name), r.plan.option_id
            captions[f"gantt-{option}"] = f"{name}: who does what, when"
            captions[f"utilisation-{option}"] = f"{name}: load against capacity"
            captions[f"monthly-demand-{option}"] = f"{name}: demand by month against capacity"
        return captions

    def footer(self) -> str:
        """The line on every page: the scenario, its version and the paper's date."""
        when = f"{self.paper_date:%d %B %Y}" if self.paper_date else "undated"
        return f"{self.scenario.name} - {self.summary.version} - {when}"


CHART_FILE_SIZES = (ChartSize.A4_LANDSCAPE, ChartSize.WORD_PORTRAIT, ChartSize.SLIDE)


def write_chart_files(
    pack: BoardPack, folder: Path, sizes: tuple[ChartSize, ...] = CHART_FILE_SIZES
) -> list[Path]:
    """Every chart in each size: ``gantt-option-4.png``, ``.svg`` and ``.pdf`` (A4
    landscape, 300 dpi), and ``gantt-option-4-word`` (16 cm wide) and
    ``gantt-option-4-slide`` as PNG and SVG, which is what Word and slides take (or
    only the ``sizes`` given)."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for size in sizes:
        formats = CHART_FORMATS if size is ChartSize.A4_LANDSCAPE else ("png", "svg")
        for stem, _, figure in pack.charts_at(size):
            written += save_chart(figure, folder, stem, formats=formats, size=size)
    return written


# -- PDF ---------------------------------------------------------------------------------


def write_pdf(pack: BoardPack, path: Path) -> None:
    """A multi-page A4-landscape PDF: the summary first, a footer and page number on each."""
    pages = pack.pages()
    rule = f"pro rata by {pack.scenario.pay.rule.value}; {ROUNDING_RULE}"
    charts = {stem: figure for stem, _, figure in pack.charts}
    figures: list[Figure] = [_summary_page(pack)]
    figures += _table_pages("Options compared", "", pages["comparison"], index=True)
    figures += _table_pages(
        "What each option assumes",
        "Each change from the base team, with its source paragraph or the assumption it rests on.",
        pages["option changes"],
        index=True,
    )
    figures.append(charts["comparison"])
    for result in pack.results:
        option = result.plan.option_id
        figures += [charts[f"{kind}-{option}"] for kind in OPTION_CHARTS]
        unmet = pack.not_delivered(result)
        name = option_label(result.plan.problem.option_name)
        figures += _table_pages(f"{name}: not delivered, and why", "", unmet) or [
            _text_page(f"{name}: not delivered, and why", "Everything is delivered.")
        ]
    figures += _table_pages("Costs", rule, pages["costs"], index=True)
    figures += _table_pages("Reconciliation with the stated figures", "", pages["reconciliation"])
    figures += _table_pages("Assumptions and sources", "", pages["assumptions"])
    with matplotlib.rc_context(_PDF_TEXT), PdfPages(path, metadata=PDF_METADATA) as pdf:
        for number, figure in enumerate(figures, start=1):
            # The footer goes on for this page only: the charts are saved as files later.
            footer = figure.text(0.03, 0.012, pack.footer(), fontsize=7, color="#444444")
            page = figure.text(
                0.97, 0.012, f"Page {number} of {len(figures)}", fontsize=7, ha="right"
            )
            pdf.savefig(figure)
            footer.remove()
            page.remove()


SUMMARY_SCALES = (1.0, 0.92, 0.85, 0.78, 0.72)
"""Type sizes tried for the summary page, largest first: the first that fits one page."""


def _summary_page(pack: BoardPack) -> Figure:
    """Page 1: title, the options in figures, the ranking, the caveats box and the glossary,
    in the largest type that fits the page (a longer horizon has more rows)."""
    for scale in SUMMARY_SCALES:
        figure, bottom = _summary_figure(pack.summary, scale)
        if bottom >= SUMMARY_BOTTOM:
            break
    return figure


SUMMARY_BOTTOM = 0.035  # of the page: the footer is below


def _summary_figure(summary: BoardSummary, scale: float) -> tuple[Figure, float]:
    """The summary page in type ``scale`` times the largest, and how low its text reaches."""
    figure = Figure(figsize=A4_LANDSCAPE_INCHES)
    figure.text(0.03, 0.955, summary.title, fontsize=14, weight="bold", va="top")
    figure.text(
        0.03,
        0.915,
        f"Summary for the board - {summary.version}",
        fontsize=8,
        color="#444444",
        va="top",
    )
    # The table from the top; the ranking, the caveats box and the glossary below it.
    top, bottom = 0.89, 0.04
    ax = figure.add_axes((0.03, bottom, 0.94, top - bottom))
    ax.axis("off")
    table_font, text_font, ranking_font = 7.5 * scale, 6.8 * scale, 8 * scale
    used = _draw_table(
        ax, summary.options, index=True, font=table_font, lines_per_axes=int(56 / scale)
    )
    y = top - (used + TABLE_GAP) * (top - bottom) - 0.025
    ranking = _wrap(summary.ranking, int(190 / scale))
    figure.text(0.03, y, ranking, fontsize=ranking_font, va="top", style="italic")
    y -= _text_height(ranking, ranking_font) + 0.02
    caveats = "\n".join(
        _wrap(f"- {text}", int(112 / scale)) for text in (*summary.caveats, summary.risk)
    )
    glossary = "\n".join(_wrap(f"{term}: {meaning}", int(72 / scale)) for term, meaning in GLOSSARY)
    height = max(_text_height(caveats, text_font), _text_height(glossary, text_font)) + 0.05
    box = FancyBboxPatch(
        (0.03, y - height),
        0.55,
        height,
        boxstyle="round,pad=0.005",
        transform=figure.transFigure,
        facecolor="#f3f6fa",
        edgecolor="#8aa2bd",
    )
    figure.patches.append(box)
    figure.text(0.04, y - 0.012, "Key assumptions and caveats", fontsize=9, weight="bold", va="top")
    figure.text(0.04, y - 0.04, caveats, fontsize=text_font, va="top", linespacing=1.3)
    figure.text(0.61, y - 0.012, "Glossary", fontsize=9, weight="bold", va="top")
    figure.text(0.61, y - 0.04, glossary, fontsize=text_font, va="top", linespacing=1.3)
    return figure, y - height


def _text_height(text: str, points: float, spacing: float = 1.3) -> float:
    """Height of ``text``'s lines on an A4-landscape page, as a share of the page."""
    return (text.count("\n") + 1) * points * spacing / 72 / A4_LANDSCAPE_INCHES[1]


def _text_page(title: str, text: str) -> Figure:
    figure = Figure(figsize=A4_LANDSCAPE_INCHES)
    figure.suptitle(title, fontsize=13, x=0.03, ha="left")
    figure.text(0.03, 0.88, text, fontsize=9)
    return figure


def _table_pages(
    title: str, subtitle: str, table: pd.DataFrame, index: bool = False
) -> list[Figure]:
    """The table on as many pages as it needs; every row as tall as its longest cell."""
    if table.empty:
        return []
    shown = _with_index(table) if index else table
    characters = _characters(shown)
    rows = [
        [_wrap(str(_show(v)), n) for v, n in zip(row, characters, strict=True)]
        for row in shown.itertuples(index=False)
    ]
    # a row takes its lines and its padding; the heading row (up to 3 lines) comes first
    padding = ROW_PADDING * (LINES_PER_PAGE + 6)
    room = LINES_PER_PAGE - 3 - padding
    chunks: list[list[int]] = [[]]
    used = 0.0
    for number, row in enumerate(rows):
        lines = max(cell.count("\n") + 1 for cell in row) + padding
        if chunks[-1] and used + lines > room:
            chunks.append([])
            used = 0.0
        chunks[-1].append(number)
        used += lines
    figures = []
    for number, chunk in enumerate(chunks, start=1):
        heading = title if len(chunks) == 1 else f"{title} ({number} of {len(chunks)})"
        figure = Figure(figsize=A4_LANDSCAPE_INCHES)
        figure.suptitle(heading, fontsize=13, x=0.03, ha="left")
        if subtitle:
            figure.text(0.03, 0.915, _wrap(subtitle, 190), fontsize=8, color="#444444")
        ax = figure.add_axes((0.03, 0.05, 0.94, 0.85))
        ax.axis("off")
        _draw_table(
            ax,
            shown.iloc[chunk],
            index=False,
            font=6.5,
            lines_per_axes=LINES_PER_PAGE + 6,
            characters=characters,  # the whole table's: every page wraps as it was counted
        )
        figures.append(figure)
    return figures


def _with_index(table: pd.DataFrame) -> pd.DataFrame:
    shown = table.copy()
    shown.insert(0, "", [str(i).strip() for i in shown.index])
    return shown.reset_index(drop=True)


def _draw_table(
    ax: object,
    table: pd.DataFrame,
    index: bool,
    font: float,
    lines_per_axes: int,
    characters: list[int] | None = None,
) -> float:
    """A table on ``ax``: a shaded heading row, numbers right-aligned, rows as tall as
    their longest cell. Returns the share of the axes' height it takes."""
    shown = _with_index(table) if index else table
    characters = characters or _characters(shown, across=int(CHARACTERS_AT_6_5_POINTS * 6.5 / font))
    widths = [TABLE_WIDTH * n / sum(characters) for n in characters]
    # bold headings are wider than the cells' text: wrapped shorter
    header = [
        _wrap(str(c), max(int(n * 0.85), *(len(word) for word in f"{c} x".split())))
        for c, n in zip(shown.columns, characters, strict=True)
    ]
    rows = [
        [_wrap(str(_show(v)), n) for v, n in zip(row, characters, strict=True)]
        for row in shown.itertuples(index=False)
    ]
    drawn = ax.table(  # type: ignore[attr-defined]
        cellText=rows, colLabels=header, loc="upper left", cellLoc="left", colWidths=widths
    )
    drawn.auto_set_font_size(False)
    drawn.set_fontsize(font)
    line_height = 1 / lines_per_axes
    all_rows = [header, *rows]
    for (row, column), cell in drawn.get_celld().items():
        lines = max(text.count("\n") + 1 for text in all_rows[row])
        cell.set_height(line_height * lines + ROW_PADDING)
        cell.set_edgecolor("#bbbbbb")
        cell.PAD = CELL_PAD / widths[column]  # a share of the cell: the same gap in every one
        if row == 0:
            cell.set_facecolor("#dde6f0")
            cell.get_text().set_weight("bold")
        elif NUMBER.match(all_rows[row][column].replace("\n", " ")):
            cell._loc = "right"  # matplotlib places the text by the cell's own alignment
            cell.get_text().set_horizontalalignment("right")
    return sum(
        line_height * max(text.count("\n") + 1 for text in row) + ROW_PADDING for row in all_rows
    )


def _characters(table: pd.DataFrame, across: int = 0) -> list[int]:
    """Characters across each column: ``across`` the page, shared by content."""
    across = across or CHARACTERS_AT_6_5_POINTS
    raw = [_column_weight(str(c), [len(str(_show(v))) for v in table[c]]) for c in table.columns]
    total = sum(raw) or 1
    # never narrower than the column's longest word, which would be broken in two
    words = [
        max(
            *(len(word) for v in table[c] for word in f"{_show(v)} x".split()),
            *(int(len(word) * BOLD_WIDTH) + 1 for word in f"{c} x".split()),
        )
        for c in table.columns
    ]
    return [
        max(10, min(word, 30) + 1, int(across * w / total))
        for w, word in zip(raw, words, strict=True)
    ]


def _column_weight(heading: str, lengths: list[int]) -> int:
    """How much of the page's width a column asks for: its longest cell, but a column of
    long text (reasons, sources) by its typical cell, so short columns are not padded out
    and long text is not squeezed."""
    if not lengths:
        return max(len(heading) // 2, 6)
    typical = int(1.5 * sum(lengths) / len(lengths))
    return min(120, max(len(heading) // 2, 6, min(max(lengths), typical)))


def _show(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return value


def _wrap(text: str, width: int = 60) -> str:
    """Each line of ``text`` wrapped at ``width`` characters (its own line breaks kept)."""
    return "\n".join(
        "\n".join(textwrap.wrap(line, width, break_on_hyphens=False)) or line
        for line in text.split("\n")
    )


# -- HTML --------------------------------------------------------------------------------


def write_html(pack: BoardPack, path: Path) -> None:
    """A single self-contained HTML page: the summary first, charts as images with alt text
    (SVG inside the page), tables with headings and right-aligned numbers, no network."""
    pages = pack.pages()
    summary = pack.summary
    captions = pack.chart_captions()
    charts = {stem: (captions[stem], figure) for stem, _, figure in pack.charts}
    alt = pack.chart_descriptions()
    e = html.escape
    when = f"{pack.paper_date:%d %B %Y}" if pack.paper_date else "undated"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(pack.scenario.name)} - board pack</title>",
        f"<style>{_CSS}</style></head><body>",
        "<header>",
        f"<h1>{e(summary.title)}</h1>",
        f'<p class="meta">{e(summary.version)} - {e(when)}</p>',
        "</header>",
        "<main>",
        '<section id="summary"><h2>Summary</h2>',
        f"<p>{e(pack.scenario.description)}</p>" if pack.scenario.description else "",
        _html_table(summary.options, "Each option in figures", index=True),
        f'<p class="ranking">{e(summary.ranking)}</p>',
        '<aside class="caveats"><h3>Key assumptions and caveats</h3><ul>',
        *(f"<li>{e(text)}</li>" for text in (*summary.caveats, summary.risk)),
        "</ul></aside>",
        '<h3 id="glossary">Glossary</h3><dl>',
        *(f"<dt>{e(term)}</dt><dd>{e(meaning)}</dd>" for term, meaning in GLOSSARY),
        "</dl></section>",
        '<section id="compared"><h2>Options compared</h2>',
        _html_table(pages["comparison"], "Options compared", index=True),
        _html_figure("comparison", *charts["comparison"], alt["comparison"]),
        "</section>",
        '<section id="assumed"><h2>What each option assumes</h2>',
        "<p>Each change from the base team, with its source paragraph or the assumption it "
        "rests on.</p>",
        _html_table(pages["option changes"], "What each option assumes", index=True),
        "</section>",
    ]
    for result in pack.results:
        option = result.plan.option_id
        parts.append(
            f'<section id="{e(option)}"><h2>{e(option_label(result.plan.problem.option_name))}</h2>'
        )
        for kind in OPTION_CHARTS:
            stem = f"{kind}-{option}"
            parts.append(_html_figure(stem, *charts[stem], alt[stem]))
        unmet = pack.not_delivered(result)
        parts.append("<h3>Not delivered, and why</h3>")
        parts.append(
            _html_table(unmet, "Not delivered, and why") if len(unmet) else "<p>Nothing.</p>"
        )
        parts.append("</section>")
    parts += [
        '<section id="costs"><h2>Costs</h2>',
        f"<p>Pro rata by {e(pack.scenario.pay.rule.value)}; {e(ROUNDING_RULE)}.</p>",
        _html_table(pages["costs"], "Costs", index=True),
        "</section>",
        '<section id="reconciliation"><h2>Reconciliation with the stated figures</h2>',
        _html_table(pages["reconciliation"], "Reconciliation")
        if len(pages["reconciliation"])
        else "<p>The scenario states no costs to reconcile.</p>",
        "</section>",
        '<section id="assumptions"><h2>Assumptions and sources</h2>',
        _html_table(pages["assumptions"], "Assumptions and sources"),
        "</section>",
        "</main>",
        f"<footer><p>{e(pack.footer())}</p></footer>",
        "</body></html>",
    ]
    path.write_text("\n".join(p for p in parts if p) + "\n", encoding="utf-8")


def _html_table(table: pd.DataFrame, caption: str, index: bool = False) -> str:
    """A table with a caption, column headings (and row headings), numbers right-aligned."""
    e = html.escape
    head = ['<th scope="col"></th>'] if index else []
    head += [f'<th scope="col">{e(str(c))}</th>' for c in table.columns]
    rows = []
    for label, row in table.iterrows():
        cells = [f'<th scope="row">{e(str(label).strip())}</th>'] if index else []
        for value in row:
            text = str(_show(value))
            numeric = ' class="num"' if NUMBER.match(text) else ""
            cells.append(f"<td{numeric}>{e(text).replace(chr(10), '<br>')}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<table class="figures"><caption>{e(caption)}</caption>'
        f"<thead><tr>{''.join(head)}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _html_figure(stem: str, caption: str, figure: Figure, alt: str) -> str:
    """The chart as an image inside the page (SVG as a data URI), with its alt text."""
    svg = base64.b64encode(svg_text(figure).encode("utf-8")).decode("ascii")
    anchor, text = html.escape(stem), html.escape(caption)
    return (
        f'<figure class="chart" id="chart-{anchor}">'
        f'<img src="data:image/svg+xml;base64,{svg}" alt="{html.escape(alt)}">'
        f"<figcaption>{text}</figcaption></figure>"
    )


_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1200px; color: #222;
  padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } .meta { color: #444; font-size: 0.9em; }
h2 { border-bottom: 1px solid #ccc; margin-top: 2em; }
table.figures { border-collapse: collapse; font-size: 0.85em; margin: 1em 0; }
table.figures caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
table.figures th, table.figures td {
  border: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top;
}
table.figures thead th { background: #dde6f0; }
table.figures td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.ranking { font-style: italic; }
aside.caveats { background: #f3f6fa; border: 1px solid #8aa2bd; border-radius: 4px;
  padding: 0.2em 1em; margin: 1em 0; }
dl dt { font-weight: bold; } dl dd { margin: 0 0 0.5em 1.5em; }
figure.chart img { width: 100%; height: auto; }
figcaption { font-size: 0.85em; color: #444; }
footer { margin-top: 3em; color: #444; font-size: 0.85em; border-top: 1px solid #ccc; }
"""
