"""Open a scenario workbook (.xlsx) and read every sheet's cells, or say clearly why not.

An .xlsx file is a zip archive of XML parts, and a damaged or hostile one can
fail in many places: the archive (not a zip, a corrupted block, a bad
checksum), a part's XML (cut off, junk, an entity declaration that would
expand to gigabytes or fetch another file), or openpyxl's reading of what it
parsed. openpyxl parses each sheet only when its rows are asked for, so
:func:`read_workbook_sheets` reads them all here, at once, and turns every such
failure into one :class:`ScenarioError` naming the file and, when known, the
sheet.

Before openpyxl sees the file, every part is unpacked (counting the bytes, so
an archive that unpacks to far more than its size is refused) and every XML
part is checked to be well-formed and to declare no document type: the
Office formats never need one, and it is how entity expansion ("billion
laughs") and external entities get in. So openpyxl only ever parses checked XML.
"""

from __future__ import annotations

import io
import posixpath
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

from capacity.errors import ScenarioError, shown
from capacity.readers.limits import (
    MAX_ENTRIES,
    MAX_TEXT_CHARACTERS,
    MAX_UNPACKED_BYTES,
    MAX_WORKBOOK_PARTS,
)
from capacity.readers.yaml_loader import read_input_bytes

WANTED = "the scenario's .xlsx workbook"
_CHUNK = 1 << 16
_BROKEN = (
    zipfile.BadZipFile,
    zlib.error,
    ElementTree.ParseError,
    expat.ExpatError,
    EOFError,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    OverflowError,
    RuntimeError,  # also what openpyxl raises for a feature it does not implement
    OSError,
)
"""What reading a damaged workbook raises, from zipfile, zlib, the XML parser and openpyxl."""
_XML_PARTS = (".xml", ".rels")
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheet"
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass(frozen=True)
class WorkbookSheet:
    """One sheet's cells, read in full.

    ``rows`` holds every row from the first down to the last one read, blank
    rows included (as empty tuples), so ``rows[n - 1]`` is row ``n``; each row
    is cut after its last filled cell. A cell has ``value`` and ``data_type``
    (``"f"`` for a formula, ``"e"`` for an error value) as openpyxl gives them.
    """

    title: str
    rows: tuple[tuple[Any, ...], ...]


class _Declared(Exception):
    """An XML part declares a document type (and so, perhaps, entities)."""


def read_workbook_sheets(path: Path, last_row: int, last_column: int) -> list[WorkbookSheet]:
    """Every sheet of the workbook at ``path``, in workbook order, its cells read eagerly.

    Parameters
    ----------
    path
        The .xlsx file; read once, with the byte cap and regular-file check of
        :func:`~capacity.readers.yaml_loader.read_input_bytes`.
    last_row, last_column
        The last row and column a sheet may use. A sheet whose recorded size
        is beyond them is refused before it is read; rows and cells up to one
        past them are read, so the caller can refuse (and locate) a stray value
        there when the recorded size is missing or wrong.

    Raises
    ------
    ScenarioError
        Not a workbook, damaged (naming the part and, when known, the sheet),
        an XML document type or entity, or past a limit of
        :mod:`capacity.readers.limits` (a sheet's size, filled rows, a cell's text).
    """
    file = str(path)
    data = read_input_bytes(path, WANTED)
    _check_archive(file, data)
    from openpyxl import load_workbook  # only when a workbook is read

    try:
        with warnings.catch_warnings():  # Excel's extensions openpyxl skips are not ours
            warnings.simplefilter("ignore")
            # Not data_only: a formula must be seen (and refused), not read as its cached
            # value, which is stale or missing when the file was not saved by Excel.
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except _BROKEN as exc:
        raise ScenarioError(
            file, "", f"is not an Excel workbook (.xlsx) that can be read ({_said(exc)})"
        ) from None
    try:
        return [_read_sheet(file, book, title, last_row, last_column) for title in book.sheetnames]
    finally:
        book.close()


def _read_sheet(file: str, book: Any, title: str, last_row: int, last_column: int) -> WorkbookSheet:
    where = f"sheet {title}"
    try:
        worksheet = book[title]
        for extent, last, what in (
            (worksheet.max_row, last_row, "rows"),
            (worksheet.max_column, last_column, "columns"),
        ):
            if extent is not None and extent > last:
                raise ScenarioError(
                    file,
                    where,
                    f"reaches {extent:,} {what}; a scenario sheet has at most {last:,} "
                    f"(delete the {what} beyond your data, even if they look empty)",
                )
        rows = list(_rows(file, title, worksheet, last_row, last_column))
    except _BROKEN as exc:
        raise ScenarioError(
            file, where, f"cannot be read: the workbook is damaged ({_said(exc)}); {_ADVICE}"
        ) from None
    return WorkbookSheet(title, tuple(rows))


def _rows(
    file: str, title: str, worksheet: Any, last_row: int, last_column: int
) -> Iterator[tuple[Any, ...]]:
    filled = 0
    rows = worksheet.iter_rows(max_row=last_row + 1, max_col=last_column + 1)
    for number, cells in enumerate(rows, start=1):
        end = len(cells)
        while end and cells[end - 1].value is None:
            end -= 1
        for index, cell in enumerate(cells[:end]):
            if isinstance(cell.value, str) and len(cell.value) > MAX_TEXT_CHARACTERS:
                raise ScenarioError(
                    file,
                    f"sheet {title}, row {number}, column {_letter(index)}",
                    f"a value of {len(cell.value):,} characters; a value is limited to "
                    f"{MAX_TEXT_CHARACTERS:,}",
                )
        if end and number > 1:
            filled += 1
            if filled > MAX_ENTRIES:
                raise ScenarioError(
                    file,
                    f"sheet {title}, row {number}",
                    f"more than {MAX_ENTRIES:,} filled rows; a scenario sheet is limited "
                    f"to {MAX_ENTRIES:,}",
                )
        yield tuple(cells[:end])


_ADVICE = "open it in Excel and save it again, or start again from `capacity template`"


def _check_archive(file: str, data: bytes) -> None:
    """Unpack every part within the limits; check every XML part is well-formed, with no DTD."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except _BROKEN as exc:
        raise ScenarioError(
            file, "", f"is not an Excel workbook (.xlsx) that can be read ({_said(exc)})"
        ) from None
    if len(parts) > MAX_WORKBOOK_PARTS:
        raise ScenarioError(
            file,
            "",
            f"holds {len(parts):,} parts; a workbook is limited to {MAX_WORKBOOK_PARTS:,}",
        )
    unpacked = 0
    with archive:
        for part in parts:
            if part.is_dir():
                continue
            try:
                unpacked = _check_part(file, archive, part, unpacked)
            except _Declared:
                raise ScenarioError(
                    file,
                    _sheet_of(archive, part.filename),
                    f"part {shown(part.filename)} declares an XML document type (<!DOCTYPE>), "
                    "which a workbook never needs and which can expand entities or read "
                    "other files; refused",
                ) from None
            except ScenarioError:
                raise
            except _BROKEN as exc:
                raise ScenarioError(
                    file,
                    _sheet_of(archive, part.filename),
                    f"the workbook is damaged: part {shown(part.filename)} "
                    f"cannot be read ({_said(exc)}); {_ADVICE}",
                ) from None


def _check_part(file: str, archive: zipfile.ZipFile, part: zipfile.ZipInfo, unpacked: int) -> int:
    """Unpack one part (checking its checksum), parse it if XML; the bytes unpacked so far."""
    parser = None
    if part.filename.lower().endswith(_XML_PARTS):
        parser = expat.ParserCreate()
        parser.StartDoctypeDeclHandler = _refuse_doctype
        parser.EntityDeclHandler = _refuse_doctype
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            unpacked += len(chunk)  # counted as unpacked: the sizes the archive states may lie
            if unpacked > MAX_UNPACKED_BYTES:
                raise ScenarioError(
                    file,
                    "",
                    f"unpacks to more than {MAX_UNPACKED_BYTES:,} bytes; a scenario "
                    f"workbook is limited to {MAX_UNPACKED_BYTES:,}",
                )
            if parser is not None:
                parser.Parse(chunk, False)
    if parser is not None:
        parser.Parse(b"", True)
    return unpacked


def _refuse_doctype(*_: object) -> None:
    raise _Declared


def _sheet_of(archive: zipfile.ZipFile, part: str) -> str:
    """``"sheet <title>"`` for a worksheet part, when the workbook's own parts say; else ``""``."""
    if not part.startswith("xl/worksheets/"):
        return ""
    try:
        for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):  # checked before parsed
            _check_part("", archive, archive.getinfo(name), 0)
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        links = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (_Declared, ScenarioError, *_BROKEN):
        return ""
    targets = {
        link.get("Id"): _part_name(link.get("Target", "")) for link in links.iter(_RELATIONSHIPS)
    }
    for sheet in book.iter(_SHEET):
        if targets.get(sheet.get(_RELATIONSHIP_ID)) == part:
            return f"sheet {sheet.get('name')}"
    return ""


def _part_name(target: str) -> str:
    """A relationship's target as a part name: absolute from the archive's root, else from xl/."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join("xl", target))


def _said(exc: BaseException) -> str:
    """What a library said about a damaged file, short, on one line."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 120 else text[:120] + "…"


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
