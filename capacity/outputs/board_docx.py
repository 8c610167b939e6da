"""The board pack as a Word document (``board-pack.docx``), for papers that go in Word.

The same :class:`~capacity.outputs.board_pack.BoardPack` as the PDF and the HTML page,
laid out for A4 portrait: a title, the scenario's name and version and the paper's date,
the one-page summary with its caveats box and the glossary, then the options compared,
what each option assumes, per option its charts (16 cm wide, each with a description for
screen readers) and what it leaves undone, the costs, the reconciliation and the
assumptions. The footer carries the page number (a Word field, so Word counts pages).
"""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from pathlib import Path

import matplotlib
import pandas as pd
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from matplotlib.figure import Figure

from capacity.charts.style import WORD_WIDTH_CM, ChartSize
from capacity.finance import ROUNDING_RULE
from capacity.outputs.board_pack import NUMBER, OPTION_CHARTS, BoardPack
from capacity.outputs.workbook import FIXED_TIMESTAMP, make_reproducible
from capacity.reports.figures import option_label
from capacity.reports.glossary import GLOSSARY

PICTURE_DPI = 200
TABLE_FONT = Pt(8)
BOX_SHADING = "F3F6FA"
HEADING_SHADING = "DDE6F0"


def write_docx(pack: BoardPack, path: Path) -> None:
    """Write ``board-pack.docx``: the summary first; the same bytes for the same pack."""
    document = Document()
    _page_setup(document, pack)
    summary = pack.summary
    pages = pack.pages()
    captions = pack.chart_captions()
    charts = {
        stem: (captions[stem], figure)
        for stem, _, figure in pack.charts_at(ChartSize.WORD_PORTRAIT)
    }
    alt = pack.chart_descriptions()

    document.add_heading(summary.title, level=0)
    when = f"{pack.paper_date:%d %B %Y}" if pack.paper_date else "undated"
    document.add_paragraph(f"{summary.version}. {when}.")
    document.add_heading("Summary", level=1)
    _table(document, summary.options, index=True)
    document.add_paragraph(summary.ranking).runs[0].italic = True
    document.add_heading("Key assumptions and caveats", level=2)
    box = document.add_table(rows=1, cols=1)
    box.style = "Table Grid"
    cell = box.cell(0, 0)
    _shade(cell, BOX_SHADING)
    texts = [*summary.caveats, summary.risk]
    cell.paragraphs[0].text = texts[0]
    for text in texts[1:]:
        cell.add_paragraph(text)
    for paragraph in cell.paragraphs:
        paragraph.style = document.styles["List Bullet"]
        for run in paragraph.runs:
            run.font.size = TABLE_FONT
    document.add_heading("Glossary", level=2)
    _table(document, pd.DataFrame(list(GLOSSARY), columns=["Term", "Meaning"]))

    document.add_page_break()
    document.add_heading("Options compared", level=1)
    _table(document, pages["comparison"], index=True)
    _picture(document, *charts["comparison"], alt["comparison"])
    document.add_heading("What each option assumes", level=1)
    document.add_paragraph(
        "Each change from the base team, with its source paragraph or the assumption it rests on."
    )
    _table(document, pages["option changes"], index=True)
    for result in pack.results:
        option = result.plan.option_id
        document.add_page_break()
        document.add_heading(option_label(result.plan.problem.option_name), level=1)
        for kind in OPTION_CHARTS:
            stem = f"{kind}-{option}"
            _picture(document, *charts[stem], alt[stem])
        document.add_heading("Not delivered, and why", level=2)
        unmet = pack.not_delivered(result)
        if len(unmet):
            _table(document, unmet)
        else:
            document.add_paragraph("Nothing.")
    document.add_page_break()
    document.add_heading("Costs", level=1)
    document.add_paragraph(f"Pro rata by {pack.scenario.pay.rule.value}; {ROUNDING_RULE}.")
    _table(document, pages["costs"], index=True)
    document.add_heading("Reconciliation with the stated figures", level=1)
    if len(pages["reconciliation"]):
        _table(document, pages["reconciliation"])
    else:
        document.add_paragraph("The scenario states no costs to reconcile.")
    document.add_heading("Assumptions and sources", level=1)
    _table(document, pages["assumptions"])

    properties = document.core_properties
    properties.title = f"{pack.scenario.name} - board pack"
    properties.author = "capacity"
    properties.last_modified_by = "capacity"
    properties.revision = 1
    properties.created = FIXED_TIMESTAMP
    properties.modified = FIXED_TIMESTAMP
    properties.last_printed = datetime(2000, 1, 1)
    document.save(str(path))
    make_reproducible(path)


def _page_setup(document: DocumentObject, pack: BoardPack) -> None:
    """A4 portrait, 2.5 cm margins (16 cm of text, the charts' width), and the footer:
    the scenario, its version, the date and "Page N of M" as Word fields."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    margin = Cm((21 - WORD_WIDTH_CM) / 2)
    section.left_margin = section.right_margin = margin
    section.top_margin = section.bottom_margin = Cm(2)
    document.styles["Normal"].font.size = Pt(10)
    footer = section.footer.paragraphs[0]
    footer.text = f"{pack.footer()}    Page "
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size = Pt(7)


def _field(paragraph: Paragraph, code: str) -> None:
    """A Word field (``PAGE``, ``NUMPAGES``) at the end of ``paragraph``."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, separate, shown, end):
        run._r.append(element)


def _table(document: DocumentObject, table: pd.DataFrame, index: bool = False) -> Table:
    """A table with a shaded heading row that repeats on each page, numbers right-aligned."""
    headings = ([""] if index else []) + [str(c) for c in table.columns]
    drawn = document.add_table(rows=1, cols=len(headings))
    drawn.style = "Table Grid"
    drawn.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(drawn.rows[0].cells, headings, strict=True):
        cell.text = text
        _shade(cell, HEADING_SHADING)
        for run in cell.paragraphs[0].runs:
            run.bold = True
            run.font.size = TABLE_FONT
    header = drawn.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    for label, row in table.iterrows():
        values = ([str(label).strip()] if index else []) + [
            "" if v is None or (isinstance(v, float) and v != v) else str(v) for v in row
        ]
        cells = drawn.add_row().cells
        for number, (cell, text) in enumerate(zip(cells, values, strict=True)):
            cell.text = text
            paragraph = cell.paragraphs[0]
            if NUMBER.match(text.replace("\n", " ")):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for run in paragraph.runs:
                run.font.size = TABLE_FONT
                run.bold = index and number == 0
    return drawn


def _shade(cell: object, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)  # type: ignore[attr-defined]


def _picture(document: DocumentObject, caption: str, figure: Figure, description: str) -> None:
    """The chart, 16 cm wide, with its description (what a screen reader says) and caption."""
    buffer = BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "capacity"}):
        figure.savefig(buffer, format="png", dpi=PICTURE_DPI, metadata={"Software": None})
    buffer.seek(0)
    shape = document.add_picture(buffer, width=Cm(WORD_WIDTH_CM))
    properties = shape._inline.docPr
    properties.set("descr", description)
    properties.set("title", caption)
    document.add_paragraph(caption, style="Caption")
