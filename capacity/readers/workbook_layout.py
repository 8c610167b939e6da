"""The scenario workbook's layout, derived from the schema: its sheets, columns and notes.

Each sheet lists the fields of one schema model (:mod:`capacity.schema.models`):
a column's name is the field's key (``contract_start`` is ``contract:
{start: ...}``), its header note the field's description plus what its type
accepts, its drop-down the field's choices (an enum) or the ids of another
sheet (metadata ``ids``), its number check the metadata ``bounds``. Only what
joins rows across sheets (``option``, ``bid``, ``item``) and the settings
sheets' names are written here. The reader turns rows into the mapping the
schema validates, and the writer (``capacity template`` and ``capacity
convert``) turns that mapping back into rows; see ``docs/scenario-format.md``.

Each number or date that may say where it came from has, besides its value
column(s), a ``_source`` and an ``_assumption`` column; a range has ``_low``
and ``_high`` columns (leave ``_high`` empty for a single value).
"""

from __future__ import annotations

import enum
import types
import typing
from dataclasses import dataclass, replace
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from capacity.schema import models
from capacity.schema.types import to_date, to_weeks


class Kind(enum.Enum):
    """How a field's value sits in its cell(s)."""

    TEXT = "text"  # one cell, as it is (text, a number or a date without a source)
    FLAG = "flag"  # one cell, yes or no
    WORDS = "words"  # one cell, a comma-separated list
    VALUE = "value"  # a value cell, then _source and _assumption
    RANGE = "range"  # _low and _high cells, then _source and _assumption


@dataclass(frozen=True)
class Field:
    """One field of a sheet: where it goes in the scenario mapping and how it is shown.

    Parameters
    ----------
    path
        Keys from the row's mapping down to the value, e.g. ``("contract", "start")``.
        Empty for a column that only joins rows across sheets (``option``, ``bid``).
    kind
        How the value sits in its cells.
    note
        The header's note: what the column means, in the manager's words.
    name
        The column (or, for a range, the stem of its columns); default: the path
        joined with ``_``.
    choices
        Values offered by a drop-down.
    bounds
        Lowest and highest number accepted on entry (Excel checks these as you type).
    ids
        The sheet whose first column lists the values this column may take (a
        drop-down of the workbook's own ids).
    free_choice
        The drop-down only suggests (the scenario's skills): other values may be typed.
    """

    path: tuple[str, ...]
    kind: Kind
    note: str
    name: str = ""
    choices: tuple[str, ...] = ()
    bounds: tuple[float, float] | None = None
    free_choice: bool = False
    ids: str = ""

    @property
    def column(self) -> str:
        return self.name or "_".join(self.path)

    def value_columns(self) -> tuple[str, ...]:
        if self.kind is Kind.RANGE:
            return (f"{self.column}_low", f"{self.column}_high")
        return (self.column,)

    def columns(self) -> tuple[str, ...]:
        if self.kind in (Kind.VALUE, Kind.RANGE):
            return (*self.value_columns(), f"{self.column}_source", f"{self.column}_assumption")
        return self.value_columns()

    def setting_columns(self) -> tuple[str, ...]:
        """Where :meth:`columns` sit on a settings sheet: ``availability_low`` is ``value``."""
        if self.kind is Kind.RANGE:
            return SETTING_COLUMNS[1:]
        if self.kind is Kind.VALUE:
            return ("value", "source", "assumption")
        return ("value",)


@dataclass(frozen=True)
class Sheet:
    """A sheet of the workbook.

    A table sheet has one row per entry and a column per field. A settings
    sheet has one row per field, named in its ``setting`` column, with the
    value in the columns of :data:`SETTING_COLUMNS`. A table's columns after
    the first ``shown`` are grouped (Excel's outline), folded away until wanted.
    """

    name: str
    about: str
    fields: tuple[Field, ...]
    settings: bool = False
    required: bool = False
    shown: int = 0

    def columns(self) -> tuple[str, ...]:
        if self.settings:
            return SETTING_COLUMNS
        return tuple(c for f in self.fields for c in f.columns())

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.column == name)

    def grouped_columns(self) -> tuple[str, ...]:
        """The columns folded away: all but the values of the first :attr:`shown` fields
        (their sources and assumptions are folded too, beside them)."""
        if not self.shown:
            return ()
        first = {c for f in self.fields[: self.shown] for c in f.value_columns()}
        return tuple(c for c in self.columns() if c not in first)


SETTING_COLUMNS = ("setting", "value", "value_high", "source", "assumption")
DERIVED_PREFIX = "derived: "
"""A value worked out from the record has no column of its own: its working goes in the
assumption column after this prefix, and reads back as ``derived:``."""
"""A settings sheet's columns; ``value_high`` is the top of a range."""

YES, NO = "yes", "no"

_DATE = "A date (type 2021-04-01)."
_DURATION = "A duration: '4 weeks' or '8 months' (a month is 52/12 weeks)."


# -- fields from the schema -----------------------------------------------------------------


def _parts(annotation: Any) -> tuple[Any, list[Any]]:
    """The type under ``Optional`` and ``Annotated``, and the metadata found on the way."""
    metadata: list[Any] = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            metadata += list(annotation.__metadata__)
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        else:
            return annotation, metadata


def _validators(metadata: list[Any]) -> set[Any]:
    return {getattr(m, "func", None) for m in metadata}


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _field(info: FieldInfo, key: str, path: tuple[str, ...], name: str) -> Field | None:
    """The workbook field for one schema field, or ``None`` for a list (another sheet)."""
    annotation, metadata = _parts(info.annotation)
    metadata += info.metadata
    extra: dict[str, Any] = (
        info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    )
    kind = Kind.TEXT
    if _is_model(annotation) and issubclass(annotation, models.Sourced):
        value = annotation.model_fields["value"]
        annotation, metadata = _parts(value.annotation)
        metadata += value.metadata
        kind = Kind.RANGE if typing.get_origin(annotation) is tuple else Kind.VALUE
        if kind is Kind.RANGE:
            annotation, inner = _parts(typing.get_args(annotation)[0])
            metadata += inner
    elif annotation is bool:
        kind = Kind.FLAG
        extra = {**extra, "choices": (YES, NO)}
    elif typing.get_origin(annotation) is list and annotation == list[str]:
        kind = Kind.WORDS
    elif typing.get_origin(annotation) in (list, dict) or _is_model(annotation):
        return None
    note = (info.description or "").replace("`", "")  # the docs' code marks, not a cell's
    validators = _validators(metadata)
    if to_date in validators:
        note = f"{note} {_DATE}"
    if to_weeks in validators:
        note = f"{note} {_DURATION}"
    choices = tuple(extra.get("choices", ()))
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        choices = tuple(str(member.value) for member in annotation)
    bounds = extra.get("bounds")
    if bounds is None and any("fte" in getattr(v, "__name__", "") for v in validators):
        bounds = (0.0, 1.0)
    return Field(
        (*path, key),
        kind,
        note,
        name=name,
        choices=choices,
        bounds=(float(bounds[0]), float(bounds[1])) if bounds else None,
        free_choice="suggest" in extra,
        ids=str(extra.get("ids", "")),
    )


def fields_of(
    model: type[BaseModel],
    *,
    path: tuple[str, ...] = (),
    names: dict[str, str] | None = None,
    skip: tuple[str, ...] = (),
    prefix: str = "",
) -> tuple[Field, ...]:
    """The workbook fields of a model, nested mappings flattened (``contract_start``).

    ``names`` renames columns (by key path joined with ``.``); ``prefix`` starts
    each column name (a settings sheet drops its section's own name).
    """
    names = names or {}
    result: list[Field] = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key in skip:
            continue
        dotted = ".".join((*path, key))
        annotation, _ = _parts(info.annotation)
        if _is_model(annotation) and not issubclass(annotation, models.Sourced):
            nested = names.get(dotted, f"{prefix}{key}_")
            result += fields_of(annotation, path=(*path, key), names=names, prefix=nested)
            continue
        one = _field(info, key, path, names.get(dotted, f"{prefix}{key}"))
        if one is not None:
            result.append(one)
    return tuple(result)


def _join(name: str, note: str, ids: str = "", choices: tuple[str, ...] = ()) -> Field:
    """A column that joins a row to an entry of another sheet (not a key of the entry)."""
    return Field((), Kind.TEXT, note, name=name, ids=ids, choices=choices)


def _first(fields: tuple[Field, ...], first: tuple[str, ...]) -> tuple[Field, ...]:
    """The fields with those named in ``first`` moved to the front, in that order."""
    by_name = {f.column: f for f in fields}
    return (*(by_name[n] for n in first), *(f for f in fields if f.column not in first))


# -- the sheets -------------------------------------------------------------------------------

_POST = "The post (an id in sheet Team)."

TEAM = Sheet(
    "Team",
    "The team: the posts as they stand before any option and, with an option's id in "
    "column 'option', each new post that option adds (entered once, here).",
    _first(
        (
            *fields_of(models.NewPost, skip=("absences",)),
            _join(
                "option",
                "Empty for the base team. For a new post: the id of the option (sheet Options) "
                "that adds it; fill in 'start' and, if recruiting takes time, "
                "'recruitment_gap'.",
                ids="Options",
            ),
        ),
        (
            "id",
            "name",
            "role",
            "fte",
            "skills",
            "grade",
            "contract_start",
            "contract_end",
            "option",
            "start",
            "recruitment_gap",
        ),
    ),
    required=True,
    shown=11,
)

WORK = Sheet(
    "Work",
    "The work items: what the team must or may deliver, when, and at what load.",
    _first(
        fields_of(models.Work, skip=("after", "post_award")),
        ("id", "name", "kind", "load", "duration", "release", "deadline", "skill", "mandatory"),
    ),
    required=True,
    shown=9,
)

DEPENDENCIES = Sheet(
    "Dependencies",
    "Which items start only after others end (and only if those are done).",
    (
        _join("item", "The item (an id in sheet Work) that waits.", ids="Work"),
        *(
            replace(f, ids="Work") if f.column == "after" else f
            for f in fields_of(models.After, names={"item": "after"})
        ),
    ),
)

POST_AWARD = Sheet(
    "Post-award",
    "For bids: the delivery a won bid brings. It becomes an implementation item "
    "'<bid>-award' that runs after the bid (plus the lag) and is done exactly when the bid is.",
    (_join("bid", "The bid (an id in sheet Work).", ids="Work"), *fields_of(models.PostAward)),
)

ABSENCES = Sheet(
    "Absences",
    "Planned absences (both dates inclusive).",
    (
        _join("staff", _POST, ids="Team"),
        _join(
            "option",
            "For a new post an option adds: that option's id. Empty: the base team.",
            ids="Options",
        ),
        *fields_of(models.Absence),
    ),
)

OPTIONS = Sheet(
    "Options",
    "The staffing options; each changes the base team as listed in sheet Changes, and adds "
    "the new posts listed for it in sheet Team.",
    fields_of(models.Option),
    required=True,
)

CHANGE_KINDS = ("end", "extend", "add")

CHANGES = Sheet(
    "Changes",
    "How each option ends or extends posts of the base team, applied in the order listed. "
    "A new post is a row of sheet Team (with the option's id); list it here as 'add' only "
    "to place it among the option's other changes.",
    (
        _join("option", "The option (an id in sheet Options).", ids="Options"),
        _join(
            "change",
            "end: the post ends on 'date'. extend: the post is extended to 'date' "
            "('permanent' or empty: no end). add (rarely needed): the new post of that id "
            "in sheet Team, at this place among the option's changes.",
            choices=CHANGE_KINDS,
        ),
        _join("staff", _POST, ids="Team"),
        _join("date", f"end: the last day in post; extend: the new end. {_DATE}"),
        _join("source", f"end and extend: {models.SOURCE}"),
        _join("assumption", f"end and extend: {models.ASSUMPTION}"),
    ),
)

_SECTIONS = ("horizon", "assumptions", "pay", "team", "work", "options", "uncertainty")
"""The top-level keys that have sheets of their own."""

ASSUMPTIONS = Sheet(
    "Assumptions",
    "The scenario's name, its planning period, and team-wide assumptions.",
    (
        *fields_of(models.ScenarioFile, skip=_SECTIONS),
        *fields_of(models.Horizon, path=("horizon",), prefix="horizon_"),
        *fields_of(models.Assumptions, path=("assumptions",)),
    ),
    settings=True,
    required=True,
)

FINANCE = Sheet(
    "Finance",
    "How posts are costed (grades are in sheet Grades, stated figures in Stated figures).",
    fields_of(
        models.Pay,
        path=("pay",),
        skip=("grades", "stated"),
        names={"pay.on_costs": ""},
    ),
    settings=True,
)

GRADES = Sheet(
    "Grades",
    "Annual full-time salary by pay grade; only posts with a grade are costed.",
    (
        _join("grade", "The grade's name, as in the Team sheet's grade column."),
        Field(("salary",), Kind.VALUE, "Annual full-time salary in pounds.", bounds=(0.0, 1e9)),
    ),
)

STATED = Sheet(
    "Stated figures",
    "Costs a document states, to reconcile with the computed ones (capacity finance).",
    fields_of(models.Stated),
)

UNCERTAINTY = Sheet(
    "Uncertainty",
    "What a risk study (capacity risk) draws with; the plans use only bid_win_probability "
    "(a bid's chance under --bids expected). "
    "Leave a value empty to keep its default (each setting's note gives it).",
    fields_of(
        models.Uncertainty,
        path=("uncertainty",),
        names={
            "uncertainty.bids": "bid_",
            "uncertainty.recruitment": "",
            "uncertainty.absence": "absence_",
        },
    ),
    settings=True,
)

SHEETS = (
    TEAM,
    WORK,
    OPTIONS,
    ASSUMPTIONS,
    FINANCE,
    GRADES,
    STATED,
    CHANGES,
    ABSENCES,
    DEPENDENCIES,
    POST_AWARD,
    UNCERTAINTY,
)
"""Every sheet, in the order the workbook shows them."""
