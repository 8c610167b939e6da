"""From the validated file to the domain: the frozen dataclasses of :mod:`capacity.domain`.

Every number goes into the provenance register with its key path, the
value as written and its source or assumption. The domain classes check
their own rules; each :class:`InvalidValue` they raise is located through
the scenario mapping (:func:`capacity.schema.locate.locate`) and collected,
so that every problem is reported at once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from capacity.domain.estimate import Estimate
from capacity.domain.options import AddPost, EndPost, ExtendPost, StaffingOption, TeamChange
from capacity.domain.pay import Grade, OnCosts, PayAward, PayModel, StatedFigure
from capacity.domain.provenance import INPUT, Provenance, ProvenanceEntry, ProvenanceKind
from capacity.domain.scenario import Assumptions, Horizon, Scenario
from capacity.domain.slips import likely_slips
from capacity.domain.team import Absence, Induction, StaffMember
from capacity.domain.uncertainty import DEFAULT_PROVENANCE, Uncertainty
from capacity.domain.work import After, WorkItem, WorkKind
from capacity.errors import InvalidValue, InvalidValues, ScenarioError, ScenarioErrors
from capacity.readers.yaml_loader import Located
from capacity.schema import models
from capacity.schema.locate import locate, path_of, schema_problems
from capacity.schema.types import to_weeks, validators_of

T = TypeVar("T")

DOMAIN_NAMES = {
    "duration": "duration_weeks",
    "skill": "required_skill",
    "with": "committed_to",
    "stint": "stint_weeks",
}
"""A key of the file whose domain field has another name (the file speaks the user's words)."""
Path_ = tuple[str | int, ...]


Warn = Callable[[ScenarioError], None]
"""Told of each likely slip (:mod:`capacity.domain.slips`), located like an error."""


def build_scenario(
    raw: Located, file: str, what_ifs: list[str], warn: Warn | None = None
) -> Scenario:
    """Validate the scenario mapping against the schema, then build the domain objects.

    A value that is valid but almost certainly a slip (a recruit who starts
    after the horizon) is passed to ``warn``, located like an error.

    Raises
    ------
    ScenarioError
        Every problem found (a :class:`ScenarioErrors` when there are several),
        each located by file and line, or by sheet, row and column.
    """
    try:
        parsed = models.ScenarioFile.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioErrors.of(schema_problems(exc, raw, models.ScenarioFile)) from None
    builder = _Builder(raw, file)
    scenario = builder.scenario(parsed, what_ifs)
    if warn is not None:
        for warning in builder.warnings:
            warn(warning)
        for slip in likely_slips(scenario):
            warn(locate(raw, path_of(raw, slip.place), slip.message))
    return scenario


class _Builder:
    def __init__(self, raw: Located, file: str):
        self.raw = raw
        self.file = file
        self.register: list[ProvenanceEntry] = []
        self.problems: list[ScenarioError] = []
        self.warnings: list[ScenarioError] = []
        self.expanded: dict[Path_, dict[str, Any]] = {}
        """The work items commissioning entries stand for, by their part's key path."""

    # -- collecting and locating domain errors --

    def make(self, path: Path_, build: Callable[..., T], **fields: Any) -> T | None:
        """``build(**fields)``; a domain error is recorded against ``path`` and gives ``None``."""
        try:
            return build(**fields)
        except InvalidValue as exc:
            self.invalid(exc, path)
            return None

    def invalid(self, exc: InvalidValue, path: Path_ = ()) -> None:
        """Record a domain error whose key path is relative to ``path`` (absolute if empty)."""
        for one in exc.problems if isinstance(exc, InvalidValues) else [exc]:
            relative = path_of(_Walk(self.at(path)), one.place) if path else []
            full = [*path, *relative] if path else path_of(self.raw, one.place)
            self.problems.append(locate(self.raw, full, one.message))

    def at(self, path: Path_) -> Any:
        node: Any = self.raw
        for length in range(len(path), 0, -1):  # an item a commissioning entry stands for
            if path[:length] in self.expanded:
                node, path = self.expanded[path[:length]], path[length:]
                break
        for token in path:
            node = self.at_step(node, token)
            if node is None:
                return None
        return node

    def file_of(self, path: Path_) -> str:
        """The file the value at ``path`` was written in (a what-if's, or its base's)."""
        holder: Any = self.raw
        key = ""
        node: Any = self.raw
        for token in path:
            if isinstance(node, Located):
                holder, key = node, str(token)
            child = self.at_step(node, token)
            if child is None:
                break
            node = child
        if isinstance(node, Located):
            return node.file or self.file
        return holder.file_of(key) if isinstance(holder, Located) else self.file

    @staticmethod
    def at_step(node: Any, token: str | int) -> Any:
        if isinstance(token, int) and isinstance(node, list) and token < len(node):
            return node[token]
        if isinstance(token, str) and isinstance(node, dict):
            return node.get(token)
        return None

    def written(self, path: Path_) -> Any:
        """The value at ``path`` as written (without its source or assumption)."""
        value = self.at(path)
        if isinstance(value, dict) and "value" not in value:  # {low: 8 weeks, high: ...}
            return [value.get("low"), value.get("high")]
        return value.get("value") if isinstance(value, dict) else value

    def note(self, place: str, shown: str, provenance: Provenance, path: Path_) -> None:
        self.register.append(ProvenanceEntry(place, shown, provenance, self.file_of(path)))

    # -- values --

    def provenance(self, holder: Any, path: Path_) -> Provenance:
        """The ``source:``, ``derived:`` or ``assumption:`` of a model (``INPUT`` if none)."""
        if holder is None:
            return INPUT
        for kind in (ProvenanceKind.SOURCE, ProvenanceKind.DERIVED, ProvenanceKind.ASSUMPTION):
            text = getattr(holder, kind.value, None)
            if text is not None:
                made = self.make(path, Provenance, kind=kind, text=text)
                return made or INPUT
        return INPUT

    def estimate(
        self, sourced: Any, path: Path_, place: str, *, duration: bool = False
    ) -> Estimate | None:
        """A range or single value, registered: shown as written for a duration."""
        provenance = self.provenance(sourced, path)
        low, high = sourced.value if isinstance(sourced.value, tuple) else (sourced.value,) * 2
        made = self.make(path, Estimate, low=low, high=high, provenance=provenance)
        if made is not None:
            written = self.written(path)
            shown = (
                made.describe()
                if written is None  # a default the file does not write (a commissioning size)
                else (written if isinstance(written, str) else "-".join(str(v) for v in written))
                if duration and isinstance(written, (str, list))
                else str(written)
                if duration
                else made.describe()
            )
            self.note(place, shown, provenance, path)
        return made

    def day(self, sourced: Any, path: Path_, place: str, *, register: bool = True) -> date | None:
        if sourced is None:
            return None
        if register:
            self.note(place, str(sourced.value), self.provenance(sourced, path), path)
        return sourced.value

    def number(
        self, sourced: Any, path: Path_, place: str, show: Callable[[Decimal], str] = str
    ) -> Decimal:
        self.note(place, show(sourced.value), self.provenance(sourced, path), path)
        return sourced.value

    # -- the scenario --

    def scenario(self, parsed: models.ScenarioFile, what_ifs: list[str]) -> Scenario:
        horizon = self.horizon(parsed.horizon)
        assumptions = self.assumptions(parsed.assumptions)
        team = [self.staff(s, ("team", i), f"team[{s.id}]") for i, s in enumerate(parsed.team)]
        work: list[WorkItem | None] = []
        for i, item in enumerate(parsed.work):
            if isinstance(item, models.CommissioningEntry):
                path = ("work", i, "commissioning")
                for part, at in self.commissioning(item.commissioning, path, parsed.horizon):
                    work += self.work(part, at)
            else:
                work += self.work(item, ("work", i))
        options = [self.option(o, ("options", i)) for i, o in enumerate(parsed.options)]
        pay = self.pay(parsed.pay)
        uncertainty = self.uncertainty(parsed.uncertainty)
        if self.problems:
            raise ScenarioErrors.of(self.problems)
        assert horizon and assumptions and pay and uncertainty  # else problems were recorded
        try:
            return Scenario(
                name=parsed.scenario or Path(self.file).stem,
                description=parsed.description or "",
                source_file=self.file,
                horizon=horizon,
                assumptions=assumptions,
                team=tuple(m for m in team if m),
                work=_alongside_durations(tuple(w for w in work if w)),
                options=tuple(o for o in options if o),
                pay=pay,
                uncertainty=uncertainty,
                provenance=tuple(self.register),
                what_ifs=tuple(what_ifs),
            )
        except InvalidValue as exc:
            self.invalid(exc)
            raise ScenarioErrors.of(self.problems) from None

    def horizon(self, parsed: models.Horizon) -> Horizon | None:
        start = self.day(parsed.start, ("horizon", "start"), "horizon.start")
        end = self.day(parsed.end, ("horizon", "end"), "horizon.end")
        return self.make(("horizon",), Horizon, start=start, end=end, step=parsed.step or "week")

    def assumptions(self, parsed: models.Assumptions | None) -> Assumptions | None:
        parsed = parsed or models.Assumptions()
        availability: Estimate | None = Estimate.exact(1)
        if parsed.availability is not None:
            path = ("assumptions", "availability")
            availability = self.estimate(parsed.availability, path, "assumptions.availability")
        if availability is None:
            return None
        return self.make(
            ("assumptions",), Assumptions, availability=availability, point_rule=parsed.point
        )

    def staff(self, parsed: models.Staff, path: Path_, place: str) -> StaffMember | None:
        contract = parsed.contract or models.Contract()
        contract_provenance = self.provenance(contract, (*path, "contract"))
        if contract.start or contract.end:
            shown = f"{contract.start or 'open'} to {contract.end or 'open'}"
            self.note(f"{place}.contract", shown, contract_provenance, (*path, "contract"))
        fte = self.estimate(parsed.fte, (*path, "fte"), f"{place}.fte")
        absences = [
            self.make(
                (*path, "absences", i), Absence, start=a.start, end=a.end, reason=a.reason or ""
            )
            for i, a in enumerate(parsed.absences or [])
        ]
        induction = None
        if parsed.induction is not None:
            where = (*path, "induction")
            weeks = self.estimate(
                parsed.induction.weeks, (*where, "weeks"), f"{place}.induction.weeks", duration=True
            )
            share = self.estimate(
                parsed.induction.capacity, (*where, "capacity"), f"{place}.induction.capacity"
            )
            manager_load = self.optional(
                parsed.induction.line_manager_load,
                where,
                f"{place}.induction",
                "line_manager_load",
            )
            if weeks is None or share is None:
                return None
            if parsed.induction.line_manager_load is not None and manager_load is None:
                return None
            induction = self.make(
                where,
                Induction,
                weeks=weeks,
                capacity_share=share,
                line_manager_load=manager_load,
            )
            if induction is None:
                return None
        if fte is None or None in absences:
            return None
        return self.make(
            path,
            StaffMember,
            id=parsed.id,
            name=parsed.name or parsed.role,
            role=parsed.role,
            fte=fte.low,
            skills=frozenset(parsed.skills or []),
            grade=parsed.grade,
            contract_start=contract.start,
            contract_end=contract.end,
            absences=tuple(absences),
            induction=induction,
            fte_provenance=fte.provenance,
            contract_provenance=contract_provenance,
            notes=parsed.notes or "",
        )

    def work(self, parsed: models.Work, path: Path_) -> list[WorkItem | None]:
        place = f"work[{parsed.id}]"
        after = []
        for i, entry in enumerate(parsed.after or []):
            lag: Estimate | None = Estimate.exact(0)
            if entry.lag is not None:
                where = (*path, "after", i, "lag")
                lag = self.estimate(entry.lag, where, f"{place}.after[{i}].lag", duration=True)
            if lag is not None:
                after.append(self.make((*path, "after", i), After, item=entry.item, lag=lag))
            else:
                after.append(None)
        self.note(place, parsed.name, self.provenance(parsed, path), path)
        fields = self.values(parsed, WorkItem, path, place, skip={"after", "post_award"})
        if fields is None or None in after:
            return [None]
        fields["assigned_to"] = tuple(fields.get("assigned_to") or ())
        item = self.make(path, WorkItem, **fields, after=tuple(after))
        if parsed.post_award is None or item is None:
            return [item]
        return [item, self.post_award(parsed.post_award, item, (*path, "post_award"))]

    def values(
        self, parsed: BaseModel, into: type, path: Path_, place: str, skip: set[str]
    ) -> dict[str, Any] | None:
        """The model's fields as arguments of the domain class ``into``, by its names.

        This is what makes a new field one line of the schema (and its rule in the
        domain): a sourced range becomes a registered :class:`Estimate` (in weeks
        for a duration), a sourced date a registered date, absent free text ``""``,
        and any other value is passed as the schema gives it. ``None`` if a value
        broke a domain rule (recorded as a problem).
        """
        values: dict[str, Any] = {}
        failed = False
        for name, info in type(parsed).model_fields.items():
            key = info.alias or name
            if key in skip or key in ("source", "assumption", "derived"):
                continue
            value = getattr(parsed, name)
            if isinstance(value, models.Sourced):
                at = (*path, key)
                if isinstance(value.value, tuple):
                    weeks = to_weeks in validators_of(info.annotation)
                    value = self.estimate(value, at, f"{place}.{key}", duration=weeks)
                    failed = failed or value is None
                elif isinstance(value.value, date):
                    value = self.day(value, at, f"{place}.{key}")
            values[DOMAIN_NAMES.get(key, key)] = value
        if failed:
            return None
        defaults = {f.name: f.default for f in dataclasses.fields(into)}
        for name, value in values.items():
            if value is None and defaults.get(name) == "":  # free text left out
                values[name] = ""
        return values

    def optional(
        self, sourced: Any, path: Path_, place: str, key: str, *, duration: bool = False
    ) -> Estimate | None:
        if sourced is None:
            return None
        return self.estimate(sourced, (*path, key), f"{place}.{key}", duration=duration)

    def commissioning(
        self, parsed: models.Commissioning, path: Path_, horizon: models.Horizon
    ) -> list[tuple[models.Work, Path_]]:
        """A ``commissioning:`` entry as the work items it stands for (see
        :func:`commissioning_items`), each with the key path of its part, where its values
        are read and its errors located."""
        entries, warning = commissioning_items(parsed, self.at(path), horizon.end.value)
        if warning is not None:
            self.warnings.append(locate(self.raw, [*path, "contract_start"], warning))
        items = []
        for relative, entry in entries:
            at = (*path, *relative)
            self.expanded[at] = entry
            try:
                items.append((models.Work.model_validate(entry), at))
            except ValidationError as exc:  # the parts are checked already: a safeguard
                said = "; ".join(str(e["msg"]) for e in exc.errors())
                self.problems.append(locate(self.raw, list(at), f"is not a valid item: {said}"))
        return items

    def post_award(self, parsed: models.PostAward, bid: WorkItem, path: Path_) -> WorkItem | None:
        """The work a won bid brings: after the bid (plus a lag), done exactly when it is."""
        place = f"work[{bid.id}].post_award"
        lag = self.optional(parsed.lag, path, place, "lag", duration=True) or Estimate.exact(0)
        fields = self.values(parsed, WorkItem, path, place, skip={"lag"})
        if fields is None:
            return None
        own = {key: value for key, value in fields.items() if value is not None}
        return self.make(
            path,
            WorkItem,
            **{
                "id": f"{bid.id}-award",
                "name": f"{bid.name}: post-award delivery",
                "priority": bid.priority,
                **own,  # what the delivery gives itself; the rest comes from its bid
                "kind": WorkKind.IMPLEMENTATION,
                "release": bid.release,
                "mandatory": bid.mandatory,
                "after": (After(bid.id, lag),),
                "committed_to": bid.id,
            },
        )

    def option(self, parsed: models.Option, path: Path_) -> StaffingOption | None:
        place = f"options[{parsed.id}]"
        changes = [
            self.change(change, (*path, "changes", i), f"{place}.changes[{i}]")
            for i, change in enumerate(parsed.changes or [])
        ]
        if None in changes:
            return None
        return self.make(
            path,
            StaffingOption,
            id=parsed.id,
            name=parsed.name,
            description=(parsed.description or "").strip(),
            changes=tuple(changes),
            provenance=self.provenance(parsed, path),
        )

    def change(self, parsed: Any, path: Path_, place: str) -> TeamChange | None:
        if isinstance(parsed, models.AddChange):
            post, where, at = parsed.add, f"{place}.add", (*path, "add")
            earliest = self.day(post.start, (*at, "start"), f"{where}.start")
            gap: Estimate | None = Estimate.exact(0)
            if post.recruitment_gap is not None:
                gap = self.estimate(
                    post.recruitment_gap,
                    (*at, "recruitment_gap"),
                    f"{where}.recruitment_gap",
                    duration=True,
                )
            member = self.staff(post, at, where)
            if member is None or gap is None:
                return None
            return self.make(
                path,
                AddPost,
                member=replace(member, contract_start=earliest),
                recruitment_gap_weeks=gap,
            )
        provenance = self.provenance(parsed, path)
        if isinstance(parsed, models.EndChange):
            on = parsed.on.value
            self.note(f"{place}.on", str(on), provenance, path)
            return EndPost(parsed.end, on, provenance)
        to = parsed.to.value if parsed.to is not None else None
        self.note(f"{place}.to", str(to or "permanent"), provenance, path)
        return ExtendPost(parsed.extend, to, provenance)

    def pay(self, parsed: models.Pay | None) -> PayModel | None:
        parsed = parsed or models.Pay()
        grades = {}
        for name, sourced in (parsed.grades or {}).items():
            path = ("pay", "grades", name)
            salary = self.number(sourced, path, f"pay.grades.{name}", lambda v: f"£{v:,}")
            grade = self.make(
                path,
                Grade,
                name=name,
                annual_salary=salary,
                provenance=self.provenance(sourced, path),
            )
            if grade is not None:
                grades[name] = grade
        award = None
        if parsed.award is not None:
            at = ("pay", "award")
            percent = self.number(parsed.award.percent, (*at, "percent"), "pay.award.percent")
            effective = self.day(parsed.award.effective, (*at, "effective"), "pay.award.effective")
            award = self.make(("pay",), PayAward, percent=percent, effective=effective)
        costs = parsed.on_costs or models.OnCosts()
        percents = {}
        for key, field in (("employer_ni", "employer_ni_percent"), ("pension", "pension_percent")):
            sourced = getattr(costs, key)
            if sourced is not None:
                path = ("pay", "on_costs", key)
                percents[field] = self.number(sourced, path, f"pay.on_costs.{key}")
        on_costs = self.make(("pay",), OnCosts, **percents)
        stated = []
        for i, figure in enumerate(parsed.stated or []):
            figure_path = ("pay", "stated", i)
            provenance = self.provenance(figure, figure_path)
            made = self.make(
                figure_path,
                StatedFigure,
                kind=figure.figure,
                value=figure.value,
                provenance=provenance,
                option=figure.option,
                post=figure.post,
            )
            self.note(f"pay.stated[{i}]", f"£{figure.value:,}", provenance, figure_path)
            stated.append(made)
        if on_costs is None or None in stated:
            return None
        return PayModel(
            grades=grades,
            rule=parsed.pro_rata,
            award=award,
            on_costs=on_costs,
            stated=tuple(s for s in stated if s),
        )

    def uncertainty(self, parsed: models.Uncertainty | None) -> Uncertainty | None:
        """The ``uncertainty:`` section; a figure left out keeps its default (and provenance)."""
        parsed = parsed or models.Uncertainty()
        values: dict[str, Any] = {}
        provenance = dict(DEFAULT_PROVENANCE)
        at = ("uncertainty",)

        def keep(name: str, value: Any, basis: Provenance) -> None:
            values[name] = value
            provenance[name] = basis

        if parsed.ranges is not None:
            basis = self.provenance(parsed.ranges, (*at, "ranges"))
            shown = parsed.ranges.value.value
            self.note("uncertainty.ranges", shown, basis, (*at, "ranges"))
            keep("range_distribution", parsed.ranges.value, basis)
        if parsed.share_step is not None:
            step = self.estimate(parsed.share_step, (*at, "share_step"), "uncertainty.share_step")
            if step is not None:
                keep("share_step", step.low, step.provenance)
        sections: dict[str, BaseModel] = {
            "bids": parsed.bids or models.Bids(),
            "recruitment": parsed.recruitment or models.Recruitment(),
            "absence": parsed.absence or models.AbsenceRisk(),
        }
        for section, key, name in (
            ("bids", "win_probability", "bid_win_probability"),
            ("recruitment", "holder_appointed", "holder_appointed_probability"),
            ("absence", "probability", "absence_probability"),
        ):
            sourced = getattr(sections[section], key)
            if sourced is not None:
                path = (*at, section, key)
                place = f"uncertainty.{section}.{key}"
                chance = self.number(sourced, path, place, lambda v: f"{v.normalize():f}")
                keep(name, chance, self.provenance(sourced, path))
        recruitment = sections["recruitment"]
        assert isinstance(recruitment, models.Recruitment)
        absence = sections["absence"]
        assert isinstance(absence, models.AbsenceRisk)
        for sourced, path, name in (
            (
                recruitment.external_delay,
                (*at, "recruitment", "external_delay"),
                "external_delay_weeks",
            ),
            (absence.length, (*at, "absence", "length"), "absence_weeks"),
        ):
            if sourced is not None:
                weeks = self.estimate(sourced, path, ".".join(map(str, path)), duration=True)
                if weeks is not None:
                    keep(name, weeks, weeks.provenance)
        induction = recruitment.external_induction or models.ExternalInduction()
        where = (*at, "recruitment", "external_induction")
        if induction.weeks is not None:
            weeks = self.estimate(
                induction.weeks, (*where, "weeks"), ".".join(where) + ".weeks", duration=True
            )
            if weeks is not None:
                keep("external_induction_weeks", weeks, weeks.provenance)
        if induction.capacity is not None:
            share = self.estimate(
                induction.capacity, (*where, "capacity"), ".".join(where) + ".capacity"
            )
            if share is not None:
                keep("external_induction_capacity", share, share.provenance)
        return self.make(at, Uncertainty, **values, provenance=provenance)


COMMISSIONING: dict[str, dict[str, Any]] = {
    "tender load": {
        "value": [0.35, 0.4],
        "assumption": "Derived: para 14's 40-50% of a person for a full commissioning exercise "
        "(0.45), less the assistant's support share 0.05-0.1 (0.075, as the shipped data has it)",
    },
    "tender duration": {"value": "8 months", "source": "para 14: around 8 months"},
    "support load": {
        "value": [0.05, 0.1],
        "assumption": "The assistant's share of a tender's 40-50% (para 14): portal, documents, "
        "evaluation logistics",
    },
    "mobilisation load": {
        "value": 0.6,
        "source": "para 14: mobilising the new CLIMB service took 60% of an FTE",
    },
    "re-let mobilisation load": {
        "value": 0.3,
        "assumption": "A re-let, where the incumbent may continue: half CLIMB's 60% (para 14)",
    },
    "mobilisation duration": {
        "value": "3 months",
        "assumption": "Para 14 says a new contract needs mobilising, not for how long: its first "
        "quarter",
    },
}
"""The record's sizes of a commissioning exercise's parts, each with its basis."""


def _alongside_durations(work: tuple[WorkItem, ...]) -> tuple[WorkItem, ...]:
    """Work ``alongside`` another that gives no duration runs as long as its partner (a
    share of the same work), not for its whole window."""
    by_id = {w.id: w for w in work}
    result = []
    for item in work:
        partner = by_id.get(item.alongside or "")
        if item.duration_weeks is None and partner is not None and partner.duration_weeks:
            item = dataclasses.replace(item, duration_weeks=partner.duration_weeks)
        result.append(item)
    return tuple(result)


def commissioning_items(
    parsed: models.Commissioning, raw: Any, horizon_end: date
) -> tuple[list[tuple[tuple[str, ...], dict[str, Any]]], str | None]:
    """The work items a ``commissioning:`` entry stands for, as work entries of the file.

    The tender's lead share (``<id>-tender``, for ``lead_skill``, ending the day before
    the contract starts); a needs assessment, if given, alongside it from its first week
    (bought at the tender's start, as it informs it); the assistant's support share
    alongside (``<id>-tender-support``); and mobilisation after the tender, from the
    contract start (``<id>-mobilisation``). Each part's values as written (``raw``) over
    the record's sizes (:data:`COMMISSIONING`); a part written ``none`` is left out.

    Returns
    -------
    The (key path of the part within the entry, work entry) pairs, in that order, and a
    warning when the mobilisation starts after the horizon and is left out for now.
    """
    raw = raw if isinstance(raw, dict) else {}
    # Every part carries the exercise's priority and mandatory flag, and its source or
    # assumption (the exercise's reason to exist); a part may give its own.
    common = {
        key: raw[key] for key in ("mandatory", "priority", "source", "assumption") if key in raw
    }
    contract_start = parsed.contract_start.value
    start = parsed.contract_start
    # The tender's deadline and the mobilisation's release stand on the contract start's basis.
    basis = (
        {"source": start.source}
        if start.source
        else {"assumption": start.assumption or "The new contract's start (contract_start)"}
    )
    items: list[tuple[tuple[str, ...], dict[str, Any]]] = []

    def part(key: str) -> dict[str, Any]:
        given = raw.get(key)
        return given if isinstance(given, dict) else {}

    def entry(given: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
        own = {k: v for k, v in given.items() if k in models.Work.model_fields and k != "support"}
        return {k: v for k, v in {**common, **defaults, **own}.items() if v is not None}

    tender_id = None
    if parsed.tender != models.NONE_PART:
        tender = part("tender")
        tender_id = tender.get("id", f"{parsed.id}-tender")
        lead = entry(
            tender,
            {
                "id": tender_id,
                "name": f"{parsed.service} tender",
                "kind": WorkKind.TENDER.value,
                "load": COMMISSIONING["tender load"],
                "duration": COMMISSIONING["tender duration"],
                "deadline": {"value": contract_start - timedelta(days=1), **basis},
                "skill": parsed.lead_skill,
                "source": raw.get("source"),
                "assumption": raw.get("assumption"),
            },
        )
        items.append((("tender",), lead))
        if isinstance(parsed.needs_assessment, models.NeedsAssessmentPart):
            assessment = part("needs_assessment")
            items.append(
                (
                    ("needs_assessment",),
                    entry(
                        assessment,
                        {
                            "id": f"{parsed.id}-needs-assessment",
                            "name": f"{parsed.service} needs assessment",
                            "kind": WorkKind.NEEDS_ASSESSMENT.value,
                            "alongside": tender_id,
                            # Alongside the tender, so by its deadline too (a tighter model).
                            "deadline": lead["deadline"],
                        },
                    ),
                )
            )
        if isinstance(parsed.tender, models.TenderPart) and parsed.tender.support == "none":
            pass  # no support share
        else:
            support = tender.get("support")
            support = support if isinstance(support, dict) else {}
            items.append(
                (
                    ("tender", "support"),
                    entry(
                        support,
                        {
                            "id": f"{parsed.id}-tender-support",
                            "name": f"{parsed.service} tender - administration",
                            "kind": WorkKind.SUPPORT.value,
                            "load": COMMISSIONING["support load"],
                            "duration": lead["duration"],
                            "alongside": tender_id,
                            "deadline": lead["deadline"],
                        },
                    ),
                )
            )
    if parsed.mobilisation == models.NONE_PART:
        return items, None
    mobilisation = part("mobilisation")
    given_release = (
        parsed.mobilisation.release
        if isinstance(parsed.mobilisation, models.CommissioningPart)
        else None
    )
    starts = given_release.value if given_release is not None else contract_start
    if starts > horizon_end:
        warning = (
            f"the mobilisation of {parsed.service} starts with the contract on {starts}, after "
            f"the horizon ends ({horizon_end}): it is left out until the horizon covers it"
        )
        return items, warning
    load = COMMISSIONING["re-let mobilisation load" if parsed.relet else "mobilisation load"]
    defaults: dict[str, Any] = {
        "id": f"{parsed.id}-mobilisation",
        "name": f"{parsed.service} mobilisation",
        "kind": WorkKind.MOBILISATION.value,
        "load": load,
        "duration": COMMISSIONING["mobilisation duration"],
        "release": {"value": contract_start, **basis},
        "after": [tender_id] if tender_id else None,
    }
    items.append((("mobilisation",), entry(mobilisation, defaults)))
    return items, None


class _Walk(Located):
    """A sub-mapping treated as the top, to turn a relative key path into a path."""

    def __init__(self, node: Any):
        super().__init__(node if isinstance(node, dict) else {})
