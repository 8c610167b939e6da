"""The scenario file's schema: one model per mapping of the format.

This is the one definition of what a scenario file may contain. The YAML
reader and the workbook reader validate against it; each field's
``description`` is what the format's documentation and the workbook's header
notes say about it. Models check keys and shapes only (``extra="forbid"``:
a misspelt key is refused); the rules about values (a load above 0, a
deadline after the release, references between entries) are the domain
classes', which :mod:`capacity.schema.build` constructs from these models.

Adding a field to a work item is one field on :class:`Work` (and, if it has a
rule, the rule in :class:`capacity.domain.work.WorkItem`).
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from capacity.domain.estimate import PointRule
from capacity.domain.pay import ProRata, StatedFigureKind
from capacity.domain.uncertainty import RangeDistribution
from capacity.domain.work import Handover, Outcome, Owner, Priority, WorkKind
from capacity.schema.types import (
    Count,
    Day,
    Flag,
    FreeText,
    Fte,
    FteRange,
    Number,
    NumberRange,
    ProvenanceText,
    Text,
    WeeksRange,
    Words,
    one_of,
    shown,
)

T = TypeVar("T")

SOURCE = (
    "Where the figure comes from: any reference a reader can follow, e.g. 'para 14' or "
    "'Business plan 2024/25'."
)
ASSUMPTION = "Or, if no document gives it: why it is assumed, in a sentence, to challenge."
DERIVED = (
    "Or, for a value worked out from figures a document gives: the working, e.g. "
    "'29,462.66 / 44,194 x 12 = 8 months (para 49)'. Give one of source, derived or assumption."
)


FREE_TEXT = "Free text for readers; the plan does not use it."
SKILL = (
    "The skill the work needs (one); only people with it may do it. Empty: anyone. "
    "A new skill must also be given to someone in the team."
)
FRACTION: dict[str, Any] = {"bounds": [0.0, 1.0]}
"""Metadata: a share or a chance, from 0 to 1 (the workbook checks it as it is typed)."""
PERCENT: dict[str, Any] = {"bounds": [0.0, 100.0]}
OPTIONS: dict[str, Any] = {"ids": "Options"}
"""Metadata: the value is an id listed in that sheet (the workbook offers them)."""
WORK: dict[str, Any] = {"ids": "Work"}
SKILLS: dict[str, Any] = {"suggest": "skills"}
"""Metadata: the workbook suggests the team's skills, and a new one may be typed."""


class Record(BaseModel):
    """A mapping of the format: unknown keys are refused, values are never coerced silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)


class Sourced(Record, Generic[T]):
    """A value with where it came from: bare (``0.4``) or ``{value: 0.4, source: para 14}``."""

    value: T = Field(description="The value itself.")
    source: ProvenanceText | None = Field(None, description=SOURCE)
    assumption: ProvenanceText | None = Field(None, description=ASSUMPTION)
    derived: ProvenanceText | None = Field(None, description=DERIVED)

    @model_validator(mode="before")
    @classmethod
    def _bare_value(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return {"value": data}
        if "value" not in data and ("low" in data or "high" in data):  # {low: 0.4, high: 0.5}
            rest = {k: v for k, v in data.items() if k not in ("low", "high")}
            return {"value": [data.get("low"), data.get("high")], **rest}
        return data

    @model_validator(mode="after")
    def _one_basis(self) -> Sourced[T]:
        if self.source is not None and self.assumption is not None:
            raise PydanticCustomError(
                "both_bases", "give either source or assumption, not both", {"key": "source"}
            )
        if self.derived is not None and (self.source, self.assumption) != (None, None):
            other = "source" if self.source is not None else "assumption"
            raise PydanticCustomError(
                "both_bases", f"give either {other} or derived, not both", {"key": "derived"}
            )
        return self


def _choice(enum: type) -> Any:
    return BeforeValidator(one_of(enum))


# -- the planning period and team-wide assumptions ---------------------------------------


class Horizon(Record):
    start: Sourced[Day] = Field(description="First day of the planning period.")
    end: Sourced[Day] = Field(
        description="Last day of the planning period (inclusive; at most ten years on)."
    )
    step: FreeText | None = Field(
        None,
        description="week (the only step supported). Week t starts 7t days after start; only "
        "whole weeks are planned, and a trailing part-week is reported as not planned.",
        json_schema_extra={"choices": ["week"]},
    )


class Assumptions(Record):
    availability: Sourced[FteRange] | None = Field(
        None,
        description="Share of contracted time available for the work, above 0 and at most 1; "
        "applied once, to capacity. Loads are shares of a person's contracted time over the "
        "period they name, leave included (the record's '40-50% of a resource over 8 months'), "
        "so with such loads availability is 1 and only absences listed by date (long "
        "sickness, parental leave) reduce capacity; below 1 is for scenarios whose loads are "
        "worked time, which leave must come out of. Each person's weekly capacity is "
        "fte x availability x working days in post that week / 5, rounded down to 0.001 FTE. "
        "Default: 1.",
    )
    point: Annotated[PointRule, _choice(PointRule)] = Field(
        PointRule.MIDPOINT,
        description="Which point of each range the plan uses: low, midpoint or high. "
        "Default: midpoint.",
    )


# -- pay ---------------------------------------------------------------------------------------


class Award(Record):
    percent: Sourced[Number] = Field(
        description="An annual pay award, in percent (2.5 = 2.5%).",
        json_schema_extra={"bounds": [-50.0, 100.0]},
    )
    effective: Sourced[Day] = Field(
        description="When the award takes effect (and again each anniversary)."
    )


class OnCosts(Record):
    employer_ni: Sourced[Number] | None = Field(
        None,
        description="Employer National Insurance, percent of salary. Default: 0 (not costed).",
        json_schema_extra=PERCENT,
    )
    pension: Sourced[Number] | None = Field(
        None,
        description="Employer pension contribution, percent of salary. Default: 0 (not costed).",
        json_schema_extra=PERCENT,
    )


class Stated(Record):
    figure: Annotated[StatedFigureKind, _choice(StatedFigureKind)] = Field(
        description="additional_in_year or additional_next_year (an option's extra cost; give "
        "option), or annual_cost (a post's full-year cost; give post)."
    )
    option: Text | None = Field(
        None, description="The option it is for (an option's id).", json_schema_extra=OPTIONS
    )
    post: Text | None = Field(
        None, description="The post it is for (a post's id).", json_schema_extra={"ids": "Team"}
    )
    value: Number = Field(description="The figure as stated, in pounds.")
    source: ProvenanceText | None = Field(None, description=SOURCE)
    assumption: ProvenanceText | None = Field(None, description=ASSUMPTION)


class Pay(Record):
    grades: dict[str, Sourced[Number]] | None = Field(
        None,
        description="Annual full-time salary by grade: `F: {value: 44194, source: para 48}`. "
        "Only posts with a grade are costed; ungraded posts are the same in every option and "
        "cancel out of the additional cost.",
    )
    pro_rata: Annotated[ProRata, _choice(ProRata)] = Field(
        ProRata.MONTHS,
        description="months: each calendar month is 1/12 of a year, a part month its share of "
        "days (as the record costs posts). days: days in post / days in the year (365 or 366). "
        "Default: months.",
    )
    award: Award | None = Field(
        None,
        description="`{percent: 2.5, effective: 2022-04-01}`: the salary rises by percent from "
        "effective and again each anniversary; a period that crosses it is costed in parts.",
    )
    on_costs: OnCosts | None = Field(
        None,
        description="`{employer_ni: 13.8, pension: 20}`: employer costs as percentages of "
        "salary. Off by default because the record's figures are bare salary.",
    )
    stated: list[Stated] | None = Field(
        None,
        description="Figures a document states, each `{figure, option or post, value, "
        "source}`; `capacity finance` recomputes each and flags any that differs by more than "
        "the tolerance.",
    )


# -- the team ----------------------------------------------------------------------------------


class Contract(Record):
    start: Day | None = Field(None, description="First day in post; empty: open.")
    end: Day | None = Field(None, description="Last day in post; empty: open-ended.")
    source: ProvenanceText | None = Field(None, description=SOURCE)
    assumption: ProvenanceText | None = Field(None, description=ASSUMPTION)


class Absence(Record):
    start: Day = Field(description="First day away.")
    end: Day = Field(description="Last day away (inclusive).")
    reason: FreeText | None = Field(None, description="Why (free text).")


class Induction(Record):
    weeks: Sourced[WeeksRange] = Field(description="Length of the induction from the start date.")
    capacity: Sourced[FteRange] = Field(
        description="Share of normal capacity during induction, above 0 and at most 1."
    )
    line_manager_load: Sourced[FteRange] | None = Field(
        None,
        description="FTE the line manager (someone with skill manage) gives each week of the "
        "induction, above 0 and at most 1: a mandatory support item 'Induction of <post>' "
        "under each option in which the post starts within the horizon. Empty: not planned.",
    )


class Staff(Record):
    id: Text = Field(description="Short unique id of the post, used in outputs.")
    name: Text | None = Field(None, description="Shown in charts. Default: the role.")
    role: Text = Field(description="The post's role, e.g. Commissioning Officer.")
    fte: Sourced[Fte] = Field(
        description="Contracted FTE, above 0 and at most 1 (0.6 = three days a week)."
    )
    skills: Words | None = Field(
        None,
        description="Skills, e.g. `[lead, officer]` (in a workbook: `lead, officer`). Work that "
        "needs a skill goes only to people who have it.",
    )
    grade: Text | None = Field(
        None,
        description="Pay grade (a grade in pay.grades); empty: not costed.",
        json_schema_extra={"ids": "Grades"},
    )
    contract: Contract | None = Field(
        None, description="`{start: date, end: date, source: ...}`; either end may be left out."
    )
    absences: list[Absence] | None = Field(None, description="Planned absences (inclusive).")
    induction: Induction | None = Field(
        None, description="`{weeks: duration, capacity: share}`: reduced capacity from the start."
    )
    notes: FreeText | None = Field(None, description=FREE_TEXT)


class NewPost(Staff):
    start: Sourced[Day] = Field(description="The earliest day the new post could be filled.")
    recruitment_gap: Sourced[WeeksRange] | None = Field(
        None, description="Time from start until the recruit starts."
    )


# -- the work ----------------------------------------------------------------------------------


class After(Record):
    item: Text = Field(description="The item it waits for.")
    lag: Sourced[WeeksRange] | None = Field(None, description="Time between the two.")


def _after_entries(value: Any) -> Any:
    entries = value if isinstance(value, list) else [value]
    result = []
    for entry in entries:
        if isinstance(entry, str):
            result.append({"item": entry})
        elif isinstance(entry, dict):
            result.append(entry)
        else:
            raise PydanticCustomError(
                "after", "must be an item id or {item: id, lag: 6 weeks}, not " + shown(entry)
            )
    return result


# Work given as effort: the same fields on a work item and on a bid's delivery.

_EFFORT_FIELD: Any = Field(
    None,
    description="Total effort in FTE-weeks (15.6 = 0.45 FTE for 8 months), to deliver "
    "anywhere in the window instead of one block of duration: it is planned in stints "
    "of load for stint weeks each, which may pause and resume, run side by side (up to "
    "max_load) and pass between people (up to max_people). The demand is the effort "
    "rounded up to whole weeks at the stint's load. Empty: one block.",
)

_STINT_FIELD: Any = Field(
    None,
    description="With effort: how long one stint of load runs, at least a week "
    "(shortened to the window if it is shorter). Empty: 4 weeks.",
)

_MAX_LOAD_FIELD: Any = Field(
    None,
    description="With effort: the most FTE the work takes in any week, everyone "
    "together, at least load (0.6: up to three 0.2 stints at once). Empty: load, one "
    "stint at a time.",
)

_MAX_PEOPLE_FIELD: Any = Field(
    None,
    description="With effort: how many people may share it (2: a second person may "
    "take stints). Empty: 1.",
)

_MIN_SHARE_FIELD: Any = Field(
    None,
    description="With effort: the least FTE-weeks a person who takes part gives (so "
    "that whoever works on it knows it). Empty: no least share.",
)


class PostAward(Record):
    id: Text | None = Field(None, description="Id of the delivery item. Default: '<bid>-award'.")
    name: Text | None = Field(None, description="Default: '<bid name>: post-award delivery'.")
    load: Sourced[FteRange] = Field(description="FTE a week, above 0 and at most 1.")
    duration: Sourced[WeeksRange] | None = Field(
        None, description="How long delivery runs, as one block (or give effort)."
    )
    lag: Sourced[WeeksRange] | None = Field(None, description="From the bid's end to the award.")
    deadline: Sourced[Day] | None = Field(None, description="Latest finish.")
    skill: Text | None = Field(None, description=SKILL, json_schema_extra=SKILLS)
    priority: Annotated[Priority, _choice(Priority)] | None = Field(
        None, description="Default: the bid's priority."
    )
    partner_share: Sourced[NumberRange] | None = Field(
        None,
        description="The part of the delivery that the team does not do itself (partners, "
        "grant-funded staff), at least 0 and below 1 (0.65 or 65%): the team's load is (1 - "
        "partner_share) x load. Empty: 0, the team does it all.",
        json_schema_extra=FRACTION,
    )
    effort: Sourced[NumberRange] | None = _EFFORT_FIELD
    stint: Sourced[WeeksRange] | None = _STINT_FIELD
    max_load: Sourced[NumberRange] | None = _MAX_LOAD_FIELD
    max_people: Count | None = _MAX_PEOPLE_FIELD
    min_share: Sourced[NumberRange] | None = _MIN_SHARE_FIELD

    @model_validator(mode="after")
    def _duration_or_effort(self) -> PostAward:
        if (self.duration is None) == (self.effort is None):
            raise PydanticCustomError(
                "post_award",
                "give the delivery's duration (one block) or its effort (FTE-weeks, in "
                "stints), one of the two",
            )
        return self


class Work(Record):
    id: Text = Field(description="Short unique id of the work item, used in outputs.")
    name: Text = Field(description="Shown in reports.")
    kind: Annotated[WorkKind, _choice(WorkKind)] = Field(description="The kind of work.")
    load: Sourced[FteRange] = Field(
        description="FTE needed every week while it runs, above 0 and at most 1 (0.4 = two "
        "days a week). A load that no one with the skill could ever give (above their FTE x "
        "availability) is refused: no plan could deliver it."
    )
    duration: Sourced[WeeksRange] | None = Field(
        None,
        description="How long it runs. Left out, the item runs for its whole window (fixed "
        "timing: ongoing work).",
    )
    release: Sourced[Day] | None = Field(
        None,
        description="Earliest start (default: the horizon's start). It starts in the first "
        "week that begins on or after this date.",
    )
    deadline: Sourced[Day] | None = Field(
        None,
        description="Latest finish, inclusive (default: the horizon's end). It must end with a "
        "week that ends on or before this date.",
    )
    skill: Text | None = Field(None, description=SKILL, json_schema_extra=SKILLS)
    mandatory: Flag = Field(
        False,
        description="yes (true): must be done (statutory); never traded for optional work. "
        "Empty: no.",
    )
    priority: Annotated[Priority, _choice(Priority)] = Field(
        Priority.MEDIUM,
        description="Weight of optional work: high counts twice medium, medium twice low. "
        "Empty: medium.",
    )
    after: Annotated[list[After], BeforeValidator(_after_entries)] | None = Field(
        None,
        description="An item id, or a list of ids or `{item: id, lag: 6 weeks}`: starts only "
        "after those end (plus the lag), and only if they are done.",
    )
    alongside: Text | None = Field(
        None,
        description="An item id: starts the same week and is done exactly when that item is "
        "(a share of the same work, e.g. a tender's administration).",
        json_schema_extra=WORK,
    )
    with_: Text | None = Field(
        None,
        alias="with",
        description="An item id: done exactly when that item is.",
        json_schema_extra=WORK,
    )
    handover: Annotated[Handover, _choice(Handover)] = Field(
        Handover.NONE,
        description="Ongoing work only (no duration): monthly or quarterly lets it pass to "
        "another person at a month (quarter) boundary, as when a post ends. Empty: none.",
    )
    win_probability: Sourced[NumberRange] | None = Field(
        None,
        description="The chance of winning (0.889 or 88.9%). On a bid, the bid is always written "
        "and only its post-award delivery depends on winning (a bid without one uses "
        "uncertainty.bids.win_probability); on any other item (the delivery of a bid already "
        "submitted) the item exists only if won. The plan (--bids expected, the default) counts "
        "a delivery at this chance x the team's share of its load, and weights a bid and its "
        "delivery by it; risk studies draw the outcome.",
        json_schema_extra=FRACTION,
    )
    partner_share: Sourced[NumberRange] | None = Field(
        None,
        description="On the delivery of a bid already submitted (an item with a "
        "win_probability that is not a bid): the part the team does not do itself, at least "
        "0 and below 1, as post_award.partner_share. Empty: 0.",
        json_schema_extra=FRACTION,
    )
    outcome: Annotated[Outcome, _choice(Outcome)] | None = Field(
        None,
        description="A bid's known outcome, won or lost (a back-test): the plan then ignores "
        "--bids for it. Empty: not known.",
    )
    assigned_to: Words | None = Field(
        None,
        description="The owners: a staff id, or a list of ids (`[officer, wmdn-lead]`), of "
        "people in the team or added by an option. The work is theirs (with skill, they must "
        "have it); each must be in post at some time in the item's window under some option. "
        "Empty: no owner.",
    )
    owner: Annotated[Owner, _choice(Owner)] = Field(
        Owner.PREFERRED,
        description="With assigned_to: fixed lets only the owners do it (the item is unmet "
        "when none of them is in post); preferred lets anyone eligible do it, but the plan "
        "keeps it with the owners unless that would leave work undone, and lists each move "
        "(moved_from_owner). Empty: preferred.",
    )
    effort: Sourced[NumberRange] | None = _EFFORT_FIELD
    stint: Sourced[WeeksRange] | None = _STINT_FIELD
    max_load: Sourced[NumberRange] | None = _MAX_LOAD_FIELD
    max_people: Count | None = _MAX_PEOPLE_FIELD
    min_share: Sourced[NumberRange] | None = _MIN_SHARE_FIELD
    partial: Flag | None = Field(
        None,
        description="With effort: yes if the part that fits counts when not all of it "
        "does; no if it counts only whole (a tender, a mobilisation). Empty: yes, except "
        "for work that comes with another item (a bid's delivery), which comes whole.",
    )
    post_award: PostAward | None = Field(
        None,
        description="For bids: the delivery a won bid brings, `{load, duration, lag, skill, "
        "deadline, priority, id, name}`. It becomes an implementation item `<id>-award` that "
        "runs after the bid plus the lag, and is done exactly when the bid is.",
    )
    source: ProvenanceText | None = Field(None, description=SOURCE)
    assumption: ProvenanceText | None = Field(None, description=ASSUMPTION)
    notes: FreeText | None = Field(None, description=FREE_TEXT)


# -- a commissioning exercise in one entry -----------------------------------------------------


NONE_PART = "none"
"""A part of a commissioning exercise written ``none``: the exercise has no such part."""


def _part_or_none(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """``none`` (or an empty value) as :data:`NONE_PART`; a mapping as the part's model."""
    if value is None or value == NONE_PART:
        return NONE_PART
    if isinstance(value, str):
        raise PydanticCustomError(
            "part", "give the part's overrides as a mapping, or none, not " + shown(value)
        )
    return handler(value)


PartOrNone = WrapValidator(_part_or_none)
"""A part of a commissioning exercise: its overrides, or ``none`` (then typed as the str)."""


class CommissioningPart(Record):
    id: Text | None = Field(None, description="Id of the item. Default: '<exercise id>-<part>'.")
    name: Text | None = Field(None, description="Shown in reports. Default: '<service> <part>'.")
    load: Sourced[FteRange] | None = Field(
        None, description="FTE a week while it runs. Default: the record's size (below)."
    )
    duration: Sourced[WeeksRange] | None = Field(
        None, description="How long it runs. Default: the record's size (below)."
    )
    release: Sourced[Day] | None = Field(None, description="Earliest start.")
    deadline: Sourced[Day] | None = Field(None, description="Latest finish, inclusive.")
    skill: Text | None = Field(None, description=SKILL, json_schema_extra=SKILLS)
    source: ProvenanceText | None = Field(None, description=SOURCE)
    assumption: ProvenanceText | None = Field(None, description=ASSUMPTION)


class NeedsAssessmentPart(CommissioningPart):
    load: Sourced[FteRange] = Field(
        description="FTE a week while it runs (the record gives no size)."
    )
    duration: Sourced[WeeksRange] = Field(description="How long it runs.")


class TenderPart(CommissioningPart):
    support: Annotated[CommissioningPart, PartOrNone] | None = Field(
        None,
        description="The assistant's support share alongside the lead's, `none`, or overrides "
        "`{id, name, load, skill}`. Default: 0.05-0.1 FTE, the tender's duration, anyone.",
    )


class Commissioning(Record):
    id: Text = Field(
        description="Short id of the exercise; its items are '<id>-needs-assessment', "
        "'<id>-tender', '<id>-tender-support' and '<id>-mobilisation' unless a part names its own."
    )
    service: Text = Field(description="The service commissioned, e.g. Victim Support.")
    contract_start: Sourced[Day] = Field(
        description="The new contract's first day: the tender ends the day before, and "
        "mobilisation starts on it."
    )
    lead_skill: Text = Field(
        description="The skill that leads the tender (one), e.g. lead.", json_schema_extra=SKILLS
    )
    mandatory: Flag = Field(False, description="yes: every part is mandatory. Empty: no.")
    priority: Annotated[Priority, _choice(Priority)] = Field(
        Priority.MEDIUM, description="Priority of every part. Empty: medium."
    )
    relet: Flag = Field(
        False,
        description="yes: a re-let of an existing service (mobilisation at half CLIMB's load). "
        "Empty: a new service.",
    )
    needs_assessment: Annotated[NeedsAssessmentPart, PartOrNone] | None = Field(
        None,
        description="`{load, duration, ...}`: a needs assessment bought at the tender's start, "
        "alongside it. Empty or `none`: no needs assessment.",
    )
    tender: Annotated[TenderPart, PartOrNone] | None = Field(
        None,
        description="Overrides of the tender's lead share, or `none`. Default: 0.35-0.4 FTE "
        "for 8 months ending the day before contract_start, for someone with lead_skill.",
    )
    mobilisation: Annotated[CommissioningPart, PartOrNone] | None = Field(
        None,
        description="Overrides of the mobilisation after the tender, or `none`. Default: from "
        "contract_start, for 3 months, 0.6 FTE for a new service and 0.3 for a re-let, anyone. "
        "A contract start after the horizon leaves it out, with a warning.",
    )
    source: ProvenanceText | None = Field(None, description=SOURCE)
    assumption: ProvenanceText | None = Field(None, description=ASSUMPTION)


class CommissioningEntry(Record):
    commissioning: Commissioning = Field(
        description="A commissioning exercise in one entry (see below)."
    )


def _work_kind(value: Any) -> str:
    return "<commissioning>" if isinstance(value, dict) and "commissioning" in value else "<work>"


WorkEntry = Annotated[
    Annotated[Work, Tag("<work>")] | Annotated[CommissioningEntry, Tag("<commissioning>")],
    Discriminator(_work_kind),
]


# -- staffing options --------------------------------------------------------------------------


class EndChange(Record):
    end: Text = Field(description="The post that ends.")
    on: Sourced[Day] = Field(description="The last day in post.")
    source: ProvenanceText | None = Field(None, description=SOURCE)
    assumption: ProvenanceText | None = Field(None, description=ASSUMPTION)


class ExtendChange(Record):
    extend: Text = Field(description="The post that is extended.")
    to: Sourced[Day] | None = Field(None, description="The new end; 'permanent': no end.")
    source: ProvenanceText | None = Field(None, description=SOURCE)
    assumption: ProvenanceText | None = Field(None, description=ASSUMPTION)

    @field_validator("to", mode="before")
    @classmethod
    def _permanent(cls, value: Any) -> Any:
        return None if value == "permanent" else value


class AddChange(Record):
    add: NewPost = Field(description="The new post: a team entry with start and recruitment_gap.")


CHANGE_KINDS = ("end", "extend", "add")


def _change_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        kinds = [k for k in CHANGE_KINDS if k in value]
        return f"<{kinds[0]}>" if len(kinds) == 1 else None
    return None


Change = Annotated[
    Annotated[EndChange, Tag("<end>")]
    | Annotated[ExtendChange, Tag("<extend>")]
    | Annotated[AddChange, Tag("<add>")],
    Discriminator(
        _change_kind,
        custom_error_type="change_kind",
        custom_error_message="each change is one of end, extend, add",
    ),
]


class Option(Record):
    id: Text = Field(description="Short unique id of the option (used for output folders).")
    name: Text = Field(description="Shown in reports.")
    description: FreeText | None = Field(None, description=FREE_TEXT)
    source: ProvenanceText | None = Field(None, description=SOURCE)
    assumption: ProvenanceText | None = Field(None, description=ASSUMPTION)
    changes: list[Change] | None = Field(
        None,
        description="Changes to the base team, applied in order: `{end: staff-id, on: date}`, "
        "`{extend: staff-id, to: date}` (`to: permanent` for no end), or `{add: {...a team "
        "entry..., start: date, recruitment_gap: duration}}`: a new post that could be filled "
        "from start, actually filled recruitment_gap later.",
    )


# -- what a risk study draws with --------------------------------------------------------------


class Bids(Record):
    win_probability: Sourced[Number] | None = Field(
        None,
        description="Chance a bid without its own win_probability is won, 0 to 1. "
        "Default: 0.889 (para 11a: 8 of 9 bids won). The plan uses it too, for such a bid "
        "under --bids expected.",
        json_schema_extra=FRACTION,
    )


class ExternalInduction(Record):
    weeks: Sourced[WeeksRange] | None = Field(
        None, description="Length of an external recruit's induction. Default: 4-12 weeks."
    )
    capacity: Sourced[FteRange] | None = Field(
        None, description="Share of normal capacity during that induction. Default: 0.5."
    )


class Recruitment(Record):
    holder_appointed: Sourced[Number] | None = Field(
        None,
        description="Chance the current post-holder is appointed to a new post (else an "
        "external recruit starts later), 0 to 1. Default: 0.5.",
        json_schema_extra=FRACTION,
    )
    external_delay: Sourced[WeeksRange] | None = Field(
        None,
        description="Otherwise an external recruit starts after the option's own "
        "recruitment_gap if it gives one (above 0 weeks), else this long after the post's "
        "first day - never both. Default: 8-16 weeks.",
    )
    external_induction: ExternalInduction | None = Field(
        None,
        description="The external recruit's induction, in place of the option's: "
        "`{weeks, capacity}`.",
    )


class AbsenceRisk(Record):
    probability: Sourced[Number] | None = Field(
        None,
        description="Chance a person has one long unplanned absence in the horizon. Default: 0.1.",
        json_schema_extra=FRACTION,
    )
    length: Sourced[WeeksRange] | None = Field(
        None,
        description="Length of such an absence; it starts in a week drawn uniformly. "
        "Default: 2-8 weeks.",
    )


class Uncertainty(Record):
    ranges: Sourced[Annotated[RangeDistribution, _choice(RangeDistribution)]] | None = Field(
        None,
        description="How every range (loads, durations, lags, availability, induction, "
        "recruitment gaps) is drawn: uniform, or triangular (most likely at the midpoint). "
        "Default: uniform.",
    )
    share_step: Sourced[Fte] | None = Field(
        None,
        description="Drawn shares of a person (loads, availability, induction capacity) are "
        "rounded to this many FTE and kept within their range. Default: 0.05.",
    )
    bids: Bids | None = Field(None, description="`{win_probability}`.")
    recruitment: Recruitment | None = Field(
        None, description="`{holder_appointed, external_delay, external_induction}`."
    )
    absence: AbsenceRisk | None = Field(None, description="`{probability, length}`.")


# -- the file ----------------------------------------------------------------------------------


class ScenarioFile(Record):
    """A whole scenario, after ``extends`` and a what-if's ``changes`` are applied."""

    scenario: FreeText | None = Field(None, description="A name for reports. Default: the file's.")
    description: FreeText | None = Field(None, description=FREE_TEXT)
    horizon: Horizon = Field(description="The planning period.")
    assumptions: Assumptions | None = Field(None, description="Team-wide assumptions.")
    pay: Pay | None = Field(
        None, description="How posts are costed, and the costs a document states (to reconcile)."
    )
    team: list[Staff] = Field(description="The base team: the posts before any option.")
    work: list[WorkEntry] = Field(
        description="The work items, and commissioning exercises given in one entry each."
    )
    options: list[Option] = Field(description="The staffing options, as changes to the base team.")
    uncertainty: Uncertainty | None = Field(
        None,
        description="How `capacity risk` draws ranges, bid outcomes, recruitment and absences "
        "(defaults from the record).",
    )


WHAT_IF_KEYS = {
    "extends": "Path (relative to this file) of a base scenario: this file is then a what-if "
    "(see below).",
    "changes": "What-if changes to the work or team (only with `extends`).",
}
"""The keys that make a file a what-if; they are applied before the schema validates."""

TOP_KEYS = (*ScenarioFile.model_fields, *WHAT_IF_KEYS)
"""Every top-level key of a file: ``extends`` and ``changes`` make it a what-if."""
