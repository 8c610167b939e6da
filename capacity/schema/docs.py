"""The field tables of ``docs/scenario-format.md``, generated from the schema.

Each table sits between ``<!-- fields: NAME -->`` and ``<!-- end fields -->``
in the document; :func:`render` rewrites them from the models' field
descriptions, so the documentation cannot drift from what the readers
accept. Run ``python -m capacity.schema.docs`` after changing the schema (a
test fails while the document is stale).
"""

from __future__ import annotations

import enum
import re
import sys
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from capacity.schema import models

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "scenario-format.md"
_BLOCK = re.compile(r"(<!-- fields: (\S+) -->\n).*?(<!-- end fields -->)", re.DOTALL)


def _nested(annotation: Any) -> type[BaseModel] | None:
    """The mapping model under ``Optional`` (not a sourced value), else ``None``."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    is_model = isinstance(annotation, type) and issubclass(annotation, BaseModel)
    return annotation if is_model and not issubclass(annotation, models.Sourced) else None


def _choices(annotation: Any) -> list[str]:
    """The values an enum field (perhaps sourced, optional or annotated) may take."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        elif isinstance(annotation, type) and issubclass(annotation, models.Sourced):
            annotation = annotation.model_fields["value"].annotation
        else:
            break
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return [str(member.value) for member in annotation]
    return []


def _rows(model: type[BaseModel], prefix: str = "", flatten: bool = False) -> list[str]:
    rows = []
    for name, info in model.model_fields.items():
        key = f"{prefix}{info.alias or name}"
        nested = _nested(info.annotation) if flatten else None
        if nested is not None:
            rows += _rows(nested, f"{key}.", flatten)
            continue
        required = "yes" if info.is_required() else "no"
        meaning = info.description or ""
        if choices := _choices(info.annotation):
            meaning += " One of " + ", ".join(f"`{c}`" for c in choices) + "."
        rows.append(f"| `{key}` | {required} | {meaning} |")
    return rows


def _workbook() -> list[str]:
    from capacity.readers.workbook_layout import SHEETS

    rows = ["| sheet | holds | columns (or settings) |", "| --- | --- | --- |"]
    for sheet in SHEETS:
        # the value columns: each number's _source and _assumption are described once, above
        names = (
            [f.column for f in sheet.fields]
            if sheet.settings
            else [c for f in sheet.fields for c in f.value_columns()]
        )
        rows.append(f"| {sheet.name} | {sheet.about} | {', '.join(f'`{n}`' for n in names)} |")
    return rows


def table(name: str) -> str:
    """The generated table called ``name`` (a section of the format, or ``workbook``)."""
    if name == "workbook":
        return "\n".join(_workbook())
    head = ["| key | required | meaning |", "| --- | --- | --- |"]
    if name == "top":
        what_ifs = [f"| `{k}` | no | {text} |" for k, text in models.WHAT_IF_KEYS.items()]
        return "\n".join([*head, *_rows(models.ScenarioFile), *what_ifs])
    sections: dict[str, tuple[type[BaseModel], bool]] = {
        "horizon": (models.Horizon, False),
        "assumptions": (models.Assumptions, False),
        "pay": (models.Pay, False),
        "team": (models.Staff, False),
        "new-post": (models.NewPost, False),
        "work": (models.Work, False),
        "post-award": (models.PostAward, False),
        "commissioning": (models.Commissioning, False),
        "commissioning-part": (models.CommissioningPart, False),
        "options": (models.Option, False),
        "uncertainty": (models.Uncertainty, True),
    }
    model, flatten = sections[name]
    rows = _rows(model, flatten=flatten)
    if name == "new-post":  # only what a new post adds to a team entry
        rows = rows[len(models.Staff.model_fields) :]
    return "\n".join([*head, *rows])


def render(text: str) -> str:
    """The document with every generated table rewritten."""
    return _BLOCK.sub(lambda m: f"{m[1]}{table(m[2])}\n{m[3]}", text)


def main() -> int:
    """Rewrite the document's tables (``--check``: exit 1 if they are stale, write nothing)."""
    text = DOCUMENT.read_text(encoding="utf-8")
    fresh = render(text)
    if "--check" in sys.argv[1:]:
        return int(fresh != text)
    DOCUMENT.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
