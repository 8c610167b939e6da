"""The scenario workbook's layout: its sheets, their columns, and what each means.

One description serves both directions: the reader turns rows into the
mapping the YAML reader validates, and the writer (``capacity template`` and
``capacity convert``) turns that mapping back into rows. Column names are the
YAML keys (``contract_start`` is ``contract: {start: ...}``), so the two
formats read alike; see ``docs/scenario-format.md``.

Each number or date that may say where it came from has, besides its value
column(s), a ``_source`` and an ``_assumption`` column; a range has ``_low``
and ``_high`` columns (leave ``_high`` empty for a single value).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from capacity.domain.estimate import PointRule
from capacity.domain.pay import ProRata, StatedFigureKind
from capacity.domain.work import Handover, Priority, WorkKind


class Kind(Enum):
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
    """

    path: tuple[str, ...]
    kind: Kind
    note: str
    name: str = ""
    choices: tuple[str, ...] = ()
    bounds: tuple[float, float] | None = None
    free_choice: bool = False  # the drop-down only suggests: other values may be typed

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
    value in the columns of :data:`SETTING_COLUMNS`.
    """

    name: str
    about: str
    fields: tuple[Field, ...]
    settings: bool = False
    required: bool = False

    def columns(self) -> tuple[str, ...]:
        if self.settings:
            return SETTING_COLUMNS
        return tuple(c for f in self.fields for c in f.columns())

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.column == name)


SETTING_COLUMNS = ("setting", "value", "value_high", "source", "assumption")
"""A settings sheet's columns; ``value_high`` is the top of a range."""

YES, NO = "yes", "no"

_SOURCE = "where it comes from: 'para 14' (the paragraph of the decision record)"
_ASSUMPTION = "or, if the record does not give it, the reasoning in a sentence"
_DATE = "a date (type 2021-04-01)"
_DURATION = "a duration: '4 weeks' or '8 months' (a month is 52/12 weeks)"
_FRACTION = (0.0, 1.0)
_FREE_TEXT = "Free text for readers of the workbook; the plan does not use it."


def _id(what: str) -> Field:
    return Field(
        ("id",),
        Kind.TEXT,
        f"Short unique id of the {what}, used in outputs: letters, digits, '-', '_' or '.'.",
    )


def _provenance(what: str) -> tuple[Field, Field]:
    return (
        Field(("source",), Kind.TEXT, f"Where the {what} comes from: {_SOURCE}."),
        Field(("assumption",), Kind.TEXT, f"Or: why the {what} is assumed, in a sentence."),
    )


def _induction() -> tuple[Field, Field]:
    return (
        Field(
            ("induction", "weeks"),
            Kind.RANGE,
            f"A new starter's induction from the start date: {_DURATION}; a range in low/high.",
        ),
        Field(
            ("induction", "capacity"),
            Kind.RANGE,
            "Share of normal capacity during induction, above 0 and at most 1 (0.5 = half).",
            bounds=_FRACTION,
        ),
    )


SKILL_NOTE = (
    "The skill the work needs (one); only people with it may do it. Empty: anyone. "
    "The drop-down offers the team's skills; a new skill must also be given to someone in Team."
)

TEAM = Sheet(
    "Team",
    "The base team: the posts as they stand before any option, and (with 'option') "
    "the new posts an option adds.",
    (
        _id("post"),
        Field(("name",), Kind.TEXT, "Shown in charts. Empty: the role."),
        Field(("role",), Kind.TEXT, "The post's role, e.g. Commissioning Officer."),
        Field(
            ("fte",),
            Kind.VALUE,
            "Contracted FTE, above 0 and at most 1 (0.6 = three days a week).",
            bounds=_FRACTION,
        ),
        Field(
            ("skills",),
            Kind.WORDS,
            "Skills, separated by commas, e.g. 'lead, officer'. "
            "Work that needs a skill goes only to people who have it.",
        ),
        Field(("grade",), Kind.TEXT, "Pay grade (a grade in sheet Grades); empty: not costed."),
        Field(("contract", "start"), Kind.TEXT, f"First day in post, {_DATE}; empty: open."),
        Field(("contract", "end"), Kind.TEXT, f"Last day in post, {_DATE}; empty: open-ended."),
        Field(("contract", "source"), Kind.TEXT, f"Where the contract dates come from: {_SOURCE}."),
        Field(("contract", "assumption"), Kind.TEXT, "Or: why they are assumed, in a sentence."),
        *_induction(),
        Field(("notes",), Kind.TEXT, _FREE_TEXT),
        Field(
            (),
            Kind.TEXT,
            "Empty for the base team. An option's id (sheet Options) for a new post that "
            "option adds; it is then listed in sheet Changes as 'add'.",
            name="option",
        ),
        Field(
            ("start",),
            Kind.VALUE,
            f"New posts only: the earliest day the post could be filled, {_DATE}.",
        ),
        Field(
            ("recruitment_gap",),
            Kind.RANGE,
            f"New posts only: time from 'start' until the recruit starts, {_DURATION}.",
        ),
    ),
    required=True,
)

WORK = Sheet(
    "Work",
    "The work items: what the team must or may deliver, when, and at what load.",
    (
        _id("work item"),
        Field(("name",), Kind.TEXT, "Shown in reports."),
        Field(("kind",), Kind.TEXT, "The kind of work.", choices=tuple(k.value for k in WorkKind)),
        Field(
            ("load",),
            Kind.RANGE,
            "FTE needed every week while it runs, above 0 and at most 1 (0.4 = two days a "
            "week). A range: low in load_low, high in load_high; one value: load_low only.",
            bounds=_FRACTION,
        ),
        Field(
            ("duration",),
            Kind.RANGE,
            f"How long it runs: {_DURATION}. Empty: it runs for its whole window (ongoing work).",
        ),
        Field(("release",), Kind.VALUE, f"Earliest start, {_DATE}. Empty: the horizon's start."),
        Field(
            ("deadline",),
            Kind.VALUE,
            f"Latest finish (inclusive), {_DATE}. Empty: the horizon's end.",
        ),
        Field(("skill",), Kind.TEXT, SKILL_NOTE, free_choice=True),
        Field(
            ("mandatory",),
            Kind.FLAG,
            "yes: must be done (statutory); never traded for optional work. Empty: no.",
            choices=(YES, NO),
        ),
        Field(
            ("priority",),
            Kind.TEXT,
            "Weight of optional work: high counts twice medium, medium twice low. Empty: medium.",
            choices=tuple(p.value for p in Priority),
        ),
        Field(
            ("alongside",),
            Kind.TEXT,
            "An item id: starts the same week and is done exactly when that item is "
            "(a share of the same work, e.g. a tender's administration).",
        ),
        Field(("with",), Kind.TEXT, "An item id: done exactly when that item is."),
        Field(
            ("handover",),
            Kind.TEXT,
            "Ongoing work only (no duration): monthly or quarterly lets it pass to another "
            "person at a month (quarter) boundary, as when a post ends. Empty: none.",
            choices=tuple(h.value for h in Handover),
        ),
        Field(
            ("win_probability",),
            Kind.RANGE,
            "For bids: the chance of winning, 0 to 1 (for risk studies).",
            bounds=_FRACTION,
        ),
        *_provenance("item itself"),
        Field(("notes",), Kind.TEXT, _FREE_TEXT),
    ),
    required=True,
)

DEPENDENCIES = Sheet(
    "Dependencies",
    "Which items start only after others end (and only if those are done).",
    (
        Field((), Kind.TEXT, "The item (an id in sheet Work) that waits.", name="item"),
        Field(("item",), Kind.TEXT, "The item (an id in sheet Work) it waits for.", name="after"),
        Field(("lag",), Kind.RANGE, f"Time between the two, {_DURATION}. Empty: none."),
    ),
)

POST_AWARD = Sheet(
    "Post-award",
    "For bids: the delivery a won bid brings. It becomes an implementation item "
    "'<bid>-award' that runs after the bid (plus the lag) and is done exactly when the bid is.",
    (
        Field((), Kind.TEXT, "The bid (an id in sheet Work).", name="bid"),
        Field(("id",), Kind.TEXT, "Id of the delivery item. Empty: '<bid>-award'."),
        Field(("name",), Kind.TEXT, "Its name. Empty: '<bid name>: post-award delivery'."),
        Field(("load",), Kind.RANGE, "FTE a week, above 0 and at most 1.", bounds=_FRACTION),
        Field(("duration",), Kind.RANGE, f"How long delivery runs: {_DURATION}."),
        Field(("lag",), Kind.RANGE, f"From the bid's end to the award, {_DURATION}."),
        Field(("deadline",), Kind.VALUE, f"Latest finish, {_DATE}. Empty: the horizon's end."),
        Field(("skill",), Kind.TEXT, SKILL_NOTE, free_choice=True),
        Field(
            ("priority",),
            Kind.TEXT,
            "Empty: the bid's priority.",
            choices=tuple(p.value for p in Priority),
        ),
    ),
)

ABSENCES = Sheet(
    "Absences",
    "Planned absences (both dates inclusive).",
    (
        Field((), Kind.TEXT, "The post (an id in sheet Team).", name="staff"),
        Field(
            (),
            Kind.TEXT,
            "For a new post an option adds: that option's id. Empty: the base team.",
            name="option",
        ),
        Field(("start",), Kind.TEXT, f"First day away, {_DATE}."),
        Field(("end",), Kind.TEXT, f"Last day away, {_DATE}."),
        Field(("reason",), Kind.TEXT, "Why (free text)."),
    ),
)

OPTIONS = Sheet(
    "Options",
    "The staffing options; each changes the base team as listed in sheet Changes.",
    (
        _id("option"),
        Field(("name",), Kind.TEXT, "Shown in reports."),
        Field(("description",), Kind.TEXT, _FREE_TEXT),
        *_provenance("option"),
    ),
    required=True,
)

CHANGE_KINDS = ("end", "extend", "add")

CHANGES = Sheet(
    "Changes",
    "What each option changes in the base team, applied in the order listed.",
    (
        Field((), Kind.TEXT, "The option (an id in sheet Options).", name="option"),
        Field(
            (),
            Kind.TEXT,
            "end: the post ends on 'date'. extend: the post is extended to 'date' "
            "('permanent' or empty: no end). add: the new post of that id in sheet Team "
            "(with this option) is added.",
            name="change",
            choices=CHANGE_KINDS,
        ),
        Field((), Kind.TEXT, "The post (an id in sheet Team).", name="staff"),
        Field((), Kind.TEXT, f"end: the last day in post; extend: the new end. {_DATE}.", "date"),
        Field((), Kind.TEXT, f"end and extend: {_SOURCE}.", name="source"),
        Field((), Kind.TEXT, "Or: why, in a sentence.", name="assumption"),
    ),
)

ASSUMPTIONS = Sheet(
    "Assumptions",
    "The scenario's name, its planning period, and team-wide assumptions.",
    (
        Field(("scenario",), Kind.TEXT, "A name for reports. Empty: the file's name."),
        Field(("description",), Kind.TEXT, _FREE_TEXT),
        Field(("horizon", "start"), Kind.VALUE, f"First day of the planning period, {_DATE}."),
        Field(
            ("horizon", "end"),
            Kind.VALUE,
            f"Last day of the planning period (inclusive; at most ten years on), {_DATE}.",
        ),
        Field(("horizon", "step"), Kind.TEXT, "week (the only step supported).", choices=("week",)),
        Field(
            ("assumptions", "availability"),
            Kind.RANGE,
            "Share of contracted time actually available after leave, bank holidays and "
            "sickness, above 0 and at most 1. Empty: 1.",
            name="availability",
            bounds=_FRACTION,
        ),
        Field(
            ("assumptions", "point"),
            Kind.TEXT,
            "Which point of each range the plan uses: low, midpoint or high. Empty: midpoint.",
            name="point",
            choices=tuple(p.value for p in PointRule),
        ),
    ),
    settings=True,
    required=True,
)

FINANCE = Sheet(
    "Finance",
    "How posts are costed (grades are in sheet Grades, stated figures in Stated figures).",
    (
        Field(
            ("pay", "pro_rata"),
            Kind.TEXT,
            "months: each calendar month is 1/12 of a year, a part month its share of days. "
            "days: days in post / days in the year. Empty: months.",
            name="pro_rata",
            choices=tuple(r.value for r in ProRata),
        ),
        Field(
            ("pay", "award", "percent"),
            Kind.VALUE,
            "An annual pay award, in percent (2.5 = 2.5%).",
            name="award_percent",
            bounds=(-50.0, 100.0),
        ),
        Field(
            ("pay", "award", "effective"),
            Kind.VALUE,
            f"When the award takes effect (and again each anniversary), {_DATE}.",
            name="award_effective",
        ),
        Field(
            ("pay", "on_costs", "employer_ni"),
            Kind.VALUE,
            "Employer National Insurance, percent of salary. Empty: 0 (not costed).",
            name="employer_ni",
            bounds=(0.0, 100.0),
        ),
        Field(
            ("pay", "on_costs", "pension"),
            Kind.VALUE,
            "Employer pension contribution, percent of salary. Empty: 0 (not costed).",
            name="pension",
            bounds=(0.0, 100.0),
        ),
    ),
    settings=True,
)

GRADES = Sheet(
    "Grades",
    "Annual full-time salary by pay grade; only posts with a grade are costed.",
    (
        Field((), Kind.TEXT, "The grade's name, as in the Team sheet's grade column.", "grade"),
        Field(
            ("salary",),
            Kind.VALUE,
            "Annual full-time salary in pounds.",
            bounds=(0.0, 1e9),
        ),
    ),
)

STATED = Sheet(
    "Stated figures",
    "Costs a document states, to reconcile with the computed ones (capacity finance).",
    (
        Field(
            ("figure",),
            Kind.TEXT,
            "additional_in_year or additional_next_year (an option's extra cost; give "
            "option), or annual_cost (a post's full-year cost; give post).",
            choices=tuple(k.value for k in StatedFigureKind),
        ),
        Field(("option",), Kind.TEXT, "The option it is for (an id in sheet Options)."),
        Field(("post",), Kind.TEXT, "The post it is for (an id in sheet Team)."),
        Field(("value",), Kind.TEXT, "The figure as stated, in pounds."),
        *_provenance("figure"),
    ),
)

_DEFAULT = "Empty: the default,"

UNCERTAINTY = Sheet(
    "Uncertainty",
    "What a risk study (capacity risk) draws with; the plans themselves do not use these. "
    "Leave a value empty to keep its default (each setting's note gives it).",
    (
        Field(
            ("uncertainty", "ranges"),
            Kind.VALUE,
            "How every range is drawn: uniform (every value equally likely) or triangular "
            f"(most likely at the midpoint). {_DEFAULT} uniform.",
            name="ranges",
            choices=("uniform", "triangular"),
        ),
        Field(
            ("uncertainty", "share_step"),
            Kind.VALUE,
            f"Drawn shares of a person are rounded to this FTE step. {_DEFAULT} 0.05.",
            name="share_step",
            bounds=_FRACTION,
        ),
        Field(
            ("uncertainty", "bids", "win_probability"),
            Kind.VALUE,
            "Chance a bid without its own win_probability is won, 0 to 1. "
            f"{_DEFAULT} 0.889 (para 11a: 8 of 9 bids won).",
            name="bid_win_probability",
            bounds=_FRACTION,
        ),
        Field(
            ("uncertainty", "recruitment", "holder_appointed"),
            Kind.VALUE,
            "Chance the current post-holder is appointed to a new post (else an external "
            f"recruit starts later), 0 to 1. {_DEFAULT} 0.5.",
            name="holder_appointed",
            bounds=_FRACTION,
        ),
        Field(
            ("uncertainty", "recruitment", "external_delay"),
            Kind.RANGE,
            "Extra time before an external recruit starts, on top of the option's "
            f"recruitment_gap: {_DURATION}. {_DEFAULT} 8-16 weeks.",
            name="external_delay",
        ),
        Field(
            ("uncertainty", "recruitment", "external_induction", "weeks"),
            Kind.RANGE,
            f"An external recruit's induction: {_DURATION}. {_DEFAULT} 4-12 weeks.",
            name="external_induction_weeks",
        ),
        Field(
            ("uncertainty", "recruitment", "external_induction", "capacity"),
            Kind.RANGE,
            f"Share of normal capacity during that induction. {_DEFAULT} 0.5.",
            name="external_induction_capacity",
            bounds=_FRACTION,
        ),
        Field(
            ("uncertainty", "absence", "probability"),
            Kind.VALUE,
            f"Chance a person has one long unplanned absence in the horizon. {_DEFAULT} 0.1.",
            name="absence_probability",
            bounds=_FRACTION,
        ),
        Field(
            ("uncertainty", "absence", "length"),
            Kind.RANGE,
            f"Length of such an absence: {_DURATION}. {_DEFAULT} 2-8 weeks.",
            name="absence_length",
        ),
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
