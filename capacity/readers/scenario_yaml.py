"""Read a scenario YAML file (and the file it extends) into a :class:`Scenario`.

The reader only parses and locates: every rule about values lives in the
domain classes, whose :class:`InvalidValue` errors are re-raised here with
the file and line attached. The format is documented in ``docs/scenario-format.md``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from capacity.domain.estimate import FTE_STEP, Estimate, PointRule
from capacity.domain.options import AddPost, EndPost, ExtendPost, StaffingOption, TeamChange
from capacity.domain.pay import (
    Grade,
    OnCosts,
    PayAward,
    PayModel,
    ProRata,
    StatedFigure,
    StatedFigureKind,
)
from capacity.domain.provenance import INPUT, Provenance, ProvenanceEntry, ProvenanceKind
from capacity.domain.scenario import Assumptions, Horizon, Scenario
from capacity.domain.team import Absence, Induction, StaffMember
from capacity.domain.uncertainty import DEFAULT_PROVENANCE, RangeDistribution, Uncertainty
from capacity.domain.work import After, Handover, Priority, WorkItem, WorkKind
from capacity.errors import InvalidValue, ScenarioError, did_you_mean
from capacity.readers.limits import MAX_EXTENDS_CHAIN
from capacity.readers.yaml_loader import Located, load_yaml

T = TypeVar("T")

LARGEST_NUMBER = 10**9
"""No salary, FTE or percentage in a scenario comes near this; larger is a typing error."""
LONGEST_WEEKS = 5200
"""A hundred years: any longer duration is a typing error."""

WEEKS_PER_MONTH = Decimal(52) / Decimal(12)
"""A month is 52/12 weeks; durations are then rounded to whole weeks (half up)."""

TOP_KEYS = {
    "scenario",
    "description",
    "extends",
    "horizon",
    "assumptions",
    "pay",
    "team",
    "work",
    "options",
    "changes",
    "uncertainty",
}
HORIZON_KEYS = {"start", "end", "step"}
ASSUMPTION_KEYS = {"availability", "point"}
STAFF_KEYS = {
    "id",
    "name",
    "role",
    "fte",
    "skills",
    "grade",
    "contract",
    "absences",
    "induction",
    "notes",
}
CONTRACT_KEYS = {"start", "end", "source", "assumption"}
ABSENCE_KEYS = {"start", "end", "reason"}
INDUCTION_KEYS = {"weeks", "capacity"}
WORK_KEYS = {
    "id",
    "name",
    "kind",
    "load",
    "duration",
    "release",
    "deadline",
    "skill",
    "mandatory",
    "priority",
    "after",
    "alongside",
    "with",
    "handover",
    "win_probability",
    "post_award",
    "source",
    "assumption",
    "notes",
}
POST_AWARD_KEYS = {"id", "name", "load", "duration", "lag", "deadline", "skill", "priority"}
OPTION_KEYS = {"id", "name", "description", "source", "assumption", "changes"}
ADD_POST_KEYS = STAFF_KEYS | {"start", "recruitment_gap"}
CHANGE_KINDS = {"drop", "update", "add", "drop_staff", "update_staff", "add_staff"}
VALUE_KEYS = {"value", "source", "assumption"}
PAY_KEYS = {"grades", "pro_rata", "award", "on_costs", "stated"}
AWARD_KEYS = {"percent", "effective"}
ON_COST_KEYS = {"employer_ni", "pension"}
STATED_KEYS = {"figure", "option", "post", "value", "source", "assumption"}
UNCERTAINTY_KEYS = {"ranges", "share_step", "bids", "recruitment", "absence"}
UNCERTAINTY_SECTIONS = {
    "bids": {"win_probability"},
    "recruitment": {"holder_appointed", "external_delay", "external_induction"},
    "absence": {"probability", "length"},
}


def read_scenario(path: str | Path) -> Scenario:
    """Read, merge (``extends``) and validate a scenario file.

    Raises
    ------
    ScenarioError
        With the file, key path and line of the first problem found.
    """
    path = Path(path)
    raw, what_ifs = _resolve(path, seen=())
    return parse_scenario(raw, str(path), what_ifs)


def read_scenario_mapping(path: str | Path) -> Located:
    """The scenario file as one mapping, ``extends`` and ``changes`` resolved; not validated.

    This is what :func:`parse_scenario` consumes; ``capacity convert`` writes it out.
    """
    raw, _ = _resolve(Path(path), seen=())
    return raw


def parse_scenario(raw: Located, file: str, what_ifs: list[str] | None = None) -> Scenario:
    """Validate a scenario mapping (from YAML or a workbook) into a :class:`Scenario`.

    Raises
    ------
    ScenarioError
        Located through the mapping: by line for YAML, by cell for a workbook.
    """
    return _ScenarioParser(raw, file).scenario(list(what_ifs or []))


# -- extends and what-if changes, on the raw mappings ----------------------------


def _resolve(path: Path, seen: tuple[Path, ...]) -> tuple[Located, list[str]]:
    raw = load_yaml(path)
    _check_keys(raw, TOP_KEYS, "")
    if "extends" not in raw:
        if "changes" in raw:
            _fail(raw, "changes", "'changes' needs 'extends: <base scenario file>' to change")
        return raw, []
    parent_name = raw["extends"]
    if not isinstance(parent_name, str):
        _fail(raw, "extends", "must be the path of the base scenario file")
    parent = (path.parent / parent_name).resolve()
    if not parent.is_file():
        _fail(
            raw,
            "extends",
            f"extends: base scenario {parent_name!r} not found (looked for {parent})",
        )
    if parent in seen or parent == path.resolve():
        _fail(raw, "extends", f"{parent_name} extends itself (directly or through another file)")
    if len(seen) + 2 > MAX_EXTENDS_CHAIN:  # this file, its base, and the files above it
        _fail(
            raw,
            "extends",
            f"extends: {_shown(parent_name)} would make a chain of more than "
            f"{MAX_EXTENDS_CHAIN} scenario files extending one another, the limit",
        )
    for key in ("team", "work"):
        if key in raw:
            _fail(
                raw,
                key,
                f"{key}: a what-if changes the base's {key} with 'changes' "
                "(add, update, drop), not a new list",
            )
    base, what_ifs = _resolve(parent, (*seen, path.resolve()))
    merged = Located(base)
    merged.file, merged.line = base.file, base.line
    merged.key_lines = dict(base.key_lines)
    for key in ("scenario", "description", "horizon", "options"):
        if key in raw:
            if key in ("horizon", "options") and key in base:
                what_ifs.append(f"replace {key}")
            merged[key] = raw[key]
    for key in ("assumptions", "pay", "uncertainty"):  # merged key by key: the what-if's win
        if key in raw:
            section = Located({**_optional_mapping(base, key), **_mapping(raw, key)})
            section.file, section.line = raw.file, raw.line_of(key)
            section.key_lines = {**getattr(base.get(key), "key_lines", {}), **raw[key].key_lines}
            merged[key] = section
    for index, change in enumerate(_list(raw, "changes")):
        what_ifs.append(_apply_change(merged, change, f"changes[{index}]", raw))
    return merged, what_ifs


def _apply_change(merged: Located, change: Any, place: str, raw: Located) -> str:
    if not isinstance(change, Located) or len(set(change) & CHANGE_KINDS) != 1:
        _fail(raw, "changes", f"{place}: each change is one of {', '.join(sorted(CHANGE_KINDS))}")
    kind = next(k for k in change if k in CHANGE_KINDS)
    section = "team" if kind.endswith("_staff") else "work"
    entries = list(merged.get(section) or [])
    ids = [e.get("id") for e in entries if isinstance(e, dict)]
    if kind in ("add", "add_staff"):
        _check_keys(change, {kind}, place)
        if not isinstance(change[kind], Located):
            _fail(change, kind, f"{place}.{kind}: must be a mapping of the new entry's fields")
        entries.append(change[kind])
        merged[section] = entries
        added = change[kind].get("id", "?") if isinstance(change[kind], dict) else "?"
        return f"add {section} {added}"
    target = change[kind]
    if target not in ids:
        hint = did_you_mean(target, ids) if isinstance(target, str) else ""
        _fail(change, kind, f"{place}: no {section} entry {_shown(target)}{hint}")
    at = ids.index(target)
    if kind in ("drop", "drop_staff"):
        _check_keys(change, {kind}, place)
        del entries[at]
        merged[section] = entries
        return f"drop {section} {target}"
    allowed = (STAFF_KEYS if section == "team" else WORK_KEYS) - {"id"}
    _check_keys(change, allowed | {kind}, place)
    updated = copy.copy(entries[at])
    updated.key_lines = dict(entries[at].key_lines)
    for key, value in change.items():
        if key != kind:
            updated[key] = value
    entries[at] = updated
    merged[section] = entries
    fields = ", ".join(k for k in change if k != kind)
    return f"update {section} {target}: {fields}"


# -- parsing the merged mapping into domain objects ----------------------------------


class _ScenarioParser:
    def __init__(self, raw: Located, file: str):
        self.raw = raw
        self.file = file
        self.register: list[ProvenanceEntry] = []
        self.entries: dict[str, Located] = {}  # "work[id]" -> its mapping, to locate errors
        self.repeated: set[str] = set()  # labels of ids given twice (entries has the second)

    def scenario(self, what_ifs: list[str]) -> Scenario:
        raw = self.raw
        for key in ("horizon", "team", "work", "options"):
            if key not in raw:
                _fail(raw, "", f"missing '{key}'; see docs/scenario-format.md")
        horizon = self.horizon(_mapping(raw, "horizon"))
        assumptions = self.assumptions(_optional_mapping(raw, "assumptions"))
        team = tuple(self.each(raw, "team", self.staff))
        work = tuple(w for items in self.each(raw, "work", self.work_items) for w in items)
        options = tuple(self.each(raw, "options", self.option))
        pay = self.pay(_optional_mapping(raw, "pay"))
        uncertainty = self.uncertainty(_optional_mapping(raw, "uncertainty"))
        name = self.free_text(raw, "scenario", "") or Path(self.file).stem
        try:
            return Scenario(
                name=name,
                description=self.free_text(raw, "description", ""),
                source_file=self.file,
                horizon=horizon,
                assumptions=assumptions,
                team=team,
                work=work,
                options=options,
                pay=pay,
                uncertainty=uncertainty,
                provenance=tuple(self.register),
                what_ifs=tuple(what_ifs),
            )
        except InvalidValue as exc:
            raise self._locate(exc.place, exc.message) from None

    def _locate(self, place: str, message: str) -> ScenarioError:
        """The error at a key path: the field's own line (or cell) where it is known."""
        best = ""
        for known in self.entries:
            if place.startswith(known) and len(known) > len(best):
                best = known
        entry = self.entries.get(best)
        if entry is None:
            if self.raw.cells is not None:  # a workbook: at least name the sheet
                return self.raw.error(re.split(r"[.\[]", place)[0], place, message)
            return ScenarioError(self.file, place, message)
        field = place[len(best) :].lstrip(".").split(".")[0]
        return entry.error(field, place, message)

    def each(self, raw: Located, key: str, parse: Callable[[Located, str], T]) -> list[T]:
        results = []
        for index, entry in enumerate(_list(raw, key)):
            if not isinstance(entry, Located):
                _fail(raw, key, f"{key}[{index}] must be a mapping of fields, found {entry!r}")
            label = f"{key}[{entry.get('id', index)}]"
            if label not in self.entries or label not in self.repeated:
                if label in self.entries:  # a repeated id: its errors go to the second entry
                    self.repeated.add(label)
                self.entries[label] = entry
            results.append(parse(entry, label))
        return results

    # -- sections --

    def horizon(self, raw: Located) -> Horizon:
        _check_keys(raw, HORIZON_KEYS, "horizon")
        with _LocateErrors(raw, "horizon"):
            return Horizon(
                start=self.required_date(raw, "start", "horizon"),
                end=self.required_date(raw, "end", "horizon"),
                step=self.free_text(raw, "step", "horizon") or "week",
            )

    def pay(self, raw: Located) -> PayModel:
        if not isinstance(raw, Located):
            _fail(self.raw, "pay", "pay: must be a mapping with grades, pro_rata, award, ...")
        _check_keys(raw, PAY_KEYS, "pay")
        grades = self.grades(raw.get("grades") or Located())
        rule = self.choice(raw, "pro_rata", "pay", ProRata, default=ProRata.MONTHS)
        award = None
        if "award" in raw:
            award_raw = _mapping(raw, "award", "pay")
            _check_keys(award_raw, AWARD_KEYS, "pay.award")
            percent = self.number(award_raw, "percent", "pay.award")
            with _LocateErrors(award_raw, "pay.award"):
                award = PayAward(percent, self.required_date(award_raw, "effective", "pay.award"))
        on_costs = OnCosts()
        if "on_costs" in raw:
            costs_raw = _mapping(raw, "on_costs", "pay")
            _check_keys(costs_raw, ON_COST_KEYS, "pay.on_costs")
            with _LocateErrors(costs_raw, "pay.on_costs"):
                on_costs = OnCosts(
                    employer_ni_percent=self.number(costs_raw, "employer_ni", "pay.on_costs", 0),
                    pension_percent=self.number(costs_raw, "pension", "pay.on_costs", 0),
                )
        stated = []
        for index, entry in enumerate(_list(raw, "stated")):
            place = f"pay.stated[{index}]"
            if not isinstance(entry, Located):
                _fail(raw, "stated", f"{place}: must be a mapping with figure, value and source")
            _check_keys(entry, STATED_KEYS, place)
            self.entries[place] = entry
            kind = self.choice(entry, "figure", place, StatedFigureKind)
            value = self.number(entry, "value", place, register=False)
            provenance = self.provenance(entry, place)
            with _LocateErrors(entry, place):
                stated.append(
                    StatedFigure(
                        kind=kind,
                        value=value,
                        provenance=provenance,
                        option=self.optional_text(entry, "option", place),
                        post=self.optional_text(entry, "post", place),
                    )
                )
            self.register.append(ProvenanceEntry(place, f"£{value:,}", provenance, entry.file))
        return PayModel(
            grades=grades, rule=rule, award=award, on_costs=on_costs, stated=tuple(stated)
        )

    def uncertainty(self, raw: Located) -> Uncertainty:
        """The ``uncertainty:`` section; a figure left out keeps its default (and provenance)."""
        _check_keys(raw, UNCERTAINTY_KEYS, "uncertainty")
        values: dict[str, Any] = {}
        provenance = dict(DEFAULT_PROVENANCE)

        def keep(name: str, value: Any, source: Provenance) -> None:
            values[name] = value
            provenance[name] = source

        if "ranges" in raw:
            value, source, holder, at = self.sourced(raw, "ranges", "uncertainty")
            shapes = [d.value for d in RangeDistribution]
            if value not in shapes:
                _fail(
                    holder,
                    at,
                    f"uncertainty.ranges: {_shown(value)} is not one of {', '.join(shapes)}"
                    + did_you_mean(str(value), shapes),
                )
            self.register.append(ProvenanceEntry("uncertainty.ranges", value, source, holder.file))
            keep("range_distribution", RangeDistribution(value), source)
        if "share_step" in raw:
            step = self.fte(raw, "share_step", "uncertainty")
            self._single(raw, "share_step", "uncertainty", step)
            keep("share_step", step.low, step.provenance)
        sections = {}
        for section, keys in UNCERTAINTY_SECTIONS.items():
            sections[section] = _optional_mapping(raw, section, "uncertainty")
            _check_keys(sections[section], keys, f"uncertainty.{section}")
        recruitment, absence = sections["recruitment"], sections["absence"]
        for section, key, name in (
            ("bids", "win_probability", "bid_win_probability"),
            ("recruitment", "holder_appointed", "holder_appointed_probability"),
            ("absence", "probability", "absence_probability"),
        ):
            if key in sections[section]:
                chance = self.probability(sections[section], key, f"uncertainty.{section}")
                keep(name, chance.low, chance.provenance)
        if "external_delay" in recruitment:
            delay = self.duration(recruitment, "external_delay", "uncertainty.recruitment")
            keep("external_delay_weeks", delay, delay.provenance)
        if "length" in absence:
            length = self.duration(absence, "length", "uncertainty.absence")
            keep("absence_weeks", length, length.provenance)
        if "external_induction" in recruitment:
            induction = _mapping(recruitment, "external_induction", "uncertainty.recruitment")
            place = "uncertainty.recruitment.external_induction"
            _check_keys(induction, INDUCTION_KEYS, place)
            if "weeks" in induction:
                weeks = self.duration(induction, "weeks", place)
                keep("external_induction_weeks", weeks, weeks.provenance)
            if "capacity" in induction:
                share = self.fte(induction, "capacity", place)
                keep("external_induction_capacity", share, share.provenance)
        try:
            return Uncertainty(**values, provenance=provenance)
        except InvalidValue as exc:
            holder, key = _locate_path(raw, exc.place)
            raise holder.error(key, f"uncertainty.{exc.place}", exc.message) from None

    def probability(self, raw: Located, key: str, place: str) -> Estimate:
        """A chance, as 0.889 or 88.9%: one number (its provenance registered)."""
        value, provenance, holder, at = self.sourced(raw, key, place)
        where = f"{place}.{key}"
        if isinstance(value, list):
            _fail(holder, at, f"{where}: a probability is one number, not a range")
        chance = _decimal(value, holder, at, where)
        self.register.append(
            ProvenanceEntry(where, f"{chance.normalize():f}", provenance, holder.file)
        )
        return Estimate(chance, chance, provenance)

    def _single(self, raw: Located, key: str, place: str, estimate: Estimate) -> None:
        if estimate.is_range:
            _fail(raw, key, f"{place}.{key}: one number, not a range")

    def number(
        self,
        raw: Located,
        key: str,
        place: str,
        default: int | None = None,
        *,
        register: bool = True,
    ) -> Decimal:
        """A plain number (its provenance registered), e.g. a salary or a percentage."""
        if key not in raw:
            if default is not None:
                return Decimal(default)
            _fail(raw, key, f"{place}: missing '{key}'")
        value, provenance, holder, at = self.sourced(raw, key, place)
        number = _decimal(value, holder, at, f"{place}.{key}")
        if register:
            self.register.append(
                ProvenanceEntry(f"{place}.{key}", f"{number}", provenance, holder.file)
            )
        return number

    def grades(self, raw: Located) -> dict[str, Grade]:
        if not isinstance(raw, Located):
            _fail(
                self.raw,
                "pay",
                "pay.grades: must map each grade to its annual salary, e.g. F: 44194",
            )
        grades = {}
        for name in raw:
            value, provenance, holder, at = self.sourced(raw, name, "pay.grades")
            salary = _decimal(value, holder, at, f"pay.grades.{name}")
            with _LocateErrors(raw, f"pay.grades.{name}", name):
                grades[str(name)] = Grade(str(name), salary, provenance)
            self.register.append(
                ProvenanceEntry(f"pay.grades.{name}", f"£{salary:,}", provenance, holder.file)
            )
        return grades

    def assumptions(self, raw: Located) -> Assumptions:
        _check_keys(raw, ASSUMPTION_KEYS, "assumptions")
        point = raw.get("point", "midpoint")
        if point not in PointRule.__members__.values():
            _fail(
                raw,
                "point",
                f"assumptions.point must be low, midpoint or high, not {_shown(point)}",
            )
        rule = PointRule(point)
        availability = (
            self.fte(raw, "availability", "assumptions")
            if "availability" in raw
            else Estimate.exact(1)
        )
        with _LocateErrors(raw, "assumptions"):
            return Assumptions(availability=availability, point_rule=rule)

    def staff(
        self, raw: Located, place: str, *, extra_keys: frozenset[str] = frozenset()
    ) -> StaffMember:
        _check_keys(raw, STAFF_KEYS | extra_keys, place)
        contract = raw.get("contract") or Located()
        if not isinstance(contract, Located):
            _fail(raw, "contract", f"{place}.contract must be a mapping with start and/or end")
        _check_keys(contract, CONTRACT_KEYS, f"{place}.contract")
        contract_provenance = self.provenance(contract, f"{place}.contract")
        start = self.date_value(
            contract, "start", f"{place}.contract", required=False, register=False
        )
        end = self.date_value(contract, "end", f"{place}.contract", required=False, register=False)
        if start or end:
            shown = f"{start or 'open'} to {end or 'open'}"
            self.register.append(
                ProvenanceEntry(
                    f"{place}.contract", shown, contract_provenance, contract.file or raw.file
                )
            )
        fte = self.fte(raw, "fte", place)
        if fte.is_range:
            _fail(raw, "fte", f"{place}.fte: a person's FTE is one number, not a range")
        skills = raw.get("skills") or []
        if not isinstance(skills, list) or not all(isinstance(s, str) for s in skills):
            _fail(
                raw,
                "skills",
                f"{place}.skills: must be a list of words, e.g. [lead]",
                workbook=f"must be skills separated by commas, e.g. lead, officer, "
                f"not {_shown(skills)}",
            )
        absences = []
        for index, absence in enumerate(_list(raw, "absences")):
            if not isinstance(absence, Located):
                _fail(raw, "absences", f"{place}.absences[{index}] must have start and end")
            _check_keys(absence, ABSENCE_KEYS, f"{place}.absences[{index}]")
            with _LocateErrors(absence, f"{place}.absences[{index}]"):
                absences.append(
                    Absence(
                        start=self.required_date(
                            absence, "start", f"{place}.absences[{index}]", register=False
                        ),
                        end=self.required_date(
                            absence, "end", f"{place}.absences[{index}]", register=False
                        ),
                        reason=self.free_text(absence, "reason", f"{place}.absences[{index}]"),
                    )
                )
        induction = None
        if "induction" in raw:
            induction_raw = _mapping(raw, "induction", place)
            _check_keys(induction_raw, INDUCTION_KEYS, f"{place}.induction")
            weeks = self.duration(induction_raw, "weeks", f"{place}.induction")
            share = self.fte(induction_raw, "capacity", f"{place}.induction")
            with _LocateErrors(induction_raw, f"{place}.induction"):
                induction = Induction(weeks=weeks, capacity_share=share)
        with _LocateErrors(raw, place):
            return StaffMember(
                id=self.text(raw, "id", place),
                name=self.text(raw, "name", place, default=self.free_text(raw, "role", place)),
                role=self.text(raw, "role", place),
                fte=fte.low,
                skills=frozenset(skills),
                grade=self.optional_text(raw, "grade", place),
                contract_start=start,
                contract_end=end,
                absences=tuple(absences),
                induction=induction,
                fte_provenance=fte.provenance,
                contract_provenance=contract_provenance,
                notes=self.free_text(raw, "notes", place),
            )

    def work_items(self, raw: Located, place: str) -> list[WorkItem]:
        _check_keys(raw, WORK_KEYS, place)
        item_id = self.text(raw, "id", place)
        kind = self.choice(raw, "kind", place, WorkKind)
        priority = self.choice(raw, "priority", place, Priority, default=Priority.MEDIUM)
        handover = self.choice(raw, "handover", place, Handover, default=Handover.NONE)
        mandatory = raw.get("mandatory", False)
        if not isinstance(mandatory, bool):
            _fail(
                raw,
                "mandatory",
                f"{place}.mandatory: must be true or false (yes or no), not {_shown(mandatory)}",
                workbook=f"must be yes or no, not {_shown(mandatory)}",
            )
        after = self.after(raw, place)
        self.register.append(
            ProvenanceEntry(
                place, self.free_text(raw, "name", place), self.provenance(raw, place), raw.file
            )
        )
        with _LocateErrors(raw, place):
            item = WorkItem(
                id=item_id,
                name=self.text(raw, "name", place),
                kind=kind,
                load=self.fte(raw, "load", place),
                duration_weeks=self.duration(raw, "duration", place) if "duration" in raw else None,
                release=self.date_value(raw, "release", place, required=False),
                deadline=self.date_value(raw, "deadline", place, required=False),
                required_skill=self.optional_text(raw, "skill", place),
                mandatory=mandatory,
                priority=priority,
                after=after,
                alongside=self.optional_text(raw, "alongside", place),
                committed_to=self.optional_text(raw, "with", place),
                handover=handover,
                win_probability=self.fte(raw, "win_probability", place)
                if "win_probability" in raw
                else None,
                notes=self.free_text(raw, "notes", place),
            )
        items = [item]
        if "post_award" in raw:
            post_award = _mapping(raw, "post_award", place)
            items.append(self.post_award(post_award, item, f"{place}.post_award"))
        return items

    def post_award(self, raw: Located, bid: WorkItem, place: str) -> WorkItem:
        """The work a won bid brings: after the bid (plus a lag), done exactly when it is."""
        _check_keys(raw, POST_AWARD_KEYS, place)
        lag = self.duration(raw, "lag", place) if "lag" in raw else Estimate.exact(0)
        with _LocateErrors(raw, place):
            return WorkItem(
                id=self.text(raw, "id", place, default=f"{bid.id}-award"),
                name=self.text(raw, "name", place, default=f"{bid.name}: post-award delivery"),
                kind=WorkKind.IMPLEMENTATION,
                load=self.fte(raw, "load", place),
                duration_weeks=self.duration(raw, "duration", place),
                release=bid.release,
                deadline=self.date_value(raw, "deadline", place, required=False),
                required_skill=self.optional_text(raw, "skill", place),
                mandatory=bid.mandatory,
                priority=self.choice(raw, "priority", place, Priority, default=bid.priority),
                after=(After(bid.id, lag),),
                committed_to=bid.id,
            )

    def after(self, raw: Located, place: str) -> tuple[After, ...]:
        value = raw.get("after")
        if value is None:
            return ()
        entries = value if isinstance(value, list) else [value]
        result = []
        for index, entry in enumerate(entries):
            where = f"{place}.after[{index}]"
            if isinstance(entry, str):
                result.append(After(entry))
            elif isinstance(entry, Located) and "item" in entry:
                _check_keys(entry, {"item", "lag"}, where)
                lag = self.duration(entry, "lag", where) if "lag" in entry else Estimate.exact(0)
                result.append(After(str(entry["item"]), lag))
            else:
                _fail(raw, "after", f"{where} must be an item id or {{item: id, lag: 6 weeks}}")
        return tuple(result)

    def option(self, raw: Located, place: str) -> StaffingOption:
        _check_keys(raw, OPTION_KEYS, place)
        changes: list[TeamChange] = []
        for index, change in enumerate(_list(raw, "changes")):
            changes.append(self.team_change(change, f"{place}.changes[{index}]", raw))
        with _LocateErrors(raw, place):
            return StaffingOption(
                id=self.text(raw, "id", place),
                name=self.text(raw, "name", place),
                description=self.free_text(raw, "description", place).strip(),
                changes=tuple(changes),
                provenance=self.provenance(raw, place),
            )

    def team_change(self, change: Any, place: str, parent: Located) -> TeamChange:
        kinds = {"end", "extend", "add"}
        if not isinstance(change, Located) or len(set(change) & kinds) != 1:
            _fail(parent, "changes", f"{place}: each change is one of end, extend, add")
        if "add" in change:
            _check_keys(change, {"add"}, place)
            post = _mapping(change, "add", place)
            where = f"{place}.add"
            earliest = self.date_value(post, "start", where)
            gap = (
                self.duration(post, "recruitment_gap", where)
                if "recruitment_gap" in post
                else Estimate.exact(0)
            )
            member = self.staff(post, where, extra_keys=frozenset({"start", "recruitment_gap"}))
            self.entries.setdefault(f"team[{member.id}]", post)  # the base team's entry wins
            with _LocateErrors(post, where):
                return AddPost(
                    member=StaffMember(**{**member.__dict__, "contract_start": earliest}),
                    recruitment_gap_weeks=gap,
                    provenance=self.provenance(post, where),
                )
        key = "end" if "end" in change else "extend"
        _check_keys(change, {key, "on" if key == "end" else "to", "source", "assumption"}, place)
        staff_id = self.text(change, key, place)
        provenance = self.provenance(change, place)
        if key == "end":
            if change.get("on") is None:
                _fail(
                    change,
                    "on",
                    f"{place}: missing 'on' (the last day in post, e.g. 2021-07-31)",
                    workbook="empty: an 'end' change needs a date (the last day in post)",
                )
            on = self.required_date(change, "on", place, register=False)
            self.register.append(ProvenanceEntry(f"{place}.on", str(on), provenance, change.file))
            return EndPost(staff_id, on, provenance)
        to = (
            None
            if change.get("to") in (None, "permanent")
            else self.date_value(change, "to", place, register=False)
        )
        self.register.append(
            ProvenanceEntry(f"{place}.to", str(to or "permanent"), provenance, change.file)
        )
        return ExtendPost(staff_id, to, provenance)

    # -- values --

    def provenance(self, raw: Located, place: str) -> Provenance:
        has_source, has_assumption = "source" in raw, "assumption" in raw
        if has_source and has_assumption:
            _fail(raw, "source", f"{place}: give either source or assumption, not both")
        if not (has_source or has_assumption):
            return INPUT
        key = "source" if has_source else "assumption"
        text = raw[key]
        if not isinstance(text, str):
            _fail(raw, key, f"{place}.{key} must be text, e.g. 'para 14'")
        try:
            return Provenance(ProvenanceKind(key), text)
        except InvalidValue as exc:
            _fail(raw, key, f"{place}.{key}: {exc.message}")

    def sourced(self, raw: Located, key: str, place: str) -> tuple[Any, Provenance, Located, str]:
        """The value at ``key`` and its provenance (``{value:, source:|assumption:}`` or bare)."""
        value = raw[key]
        if isinstance(value, Located):
            _check_keys(value, VALUE_KEYS, f"{place}.{key}")
            if "value" not in value:
                _fail(
                    value,
                    "",
                    f"{place}.{key}: missing 'value'",
                    workbook="empty: give the value (a source or assumption alone is not one)",
                )
            return value["value"], self.provenance(value, f"{place}.{key}"), value, "value"
        return value, INPUT, raw, key

    def fte(self, raw: Located, key: str, place: str) -> Estimate:
        if key not in raw:
            _fail(raw, key, f"{place}: missing '{key}'")
        value, provenance, holder, at = self.sourced(raw, key, place)
        where = f"{place}.{key}"
        low, high = _pair(value, holder, at, where, lambda v, k: _decimal(v, holder, k, where))
        for v in (low, high):
            if v != v.quantize(FTE_STEP) and key != "win_probability":
                _fail(holder, at, f"{where}: {v} is finer than {FTE_STEP} FTE")
        with _LocateErrors(holder, where, at):
            estimate = Estimate(low, high, provenance)
        self.register.append(ProvenanceEntry(where, estimate.describe(), provenance, holder.file))
        return estimate

    def duration(self, raw: Located, key: str, place: str) -> Estimate:
        """Weeks, from ``4 weeks``, ``8 months``, ``[8 months, 9 months]`` or ``8-9 months``."""
        value, provenance, holder, at = self.sourced(raw, key, place)
        where = f"{place}.{key}"
        if isinstance(value, str) and (
            m := re.fullmatch(r"\s*([\d.]+)\s*-\s*([\d.]+)\s+(\w+)\s*", value)
        ):
            value = [f"{m[1]} {m[3]}", f"{m[2]} {m[3]}"]
        low, high = _pair(value, holder, at, where, lambda v, k: _weeks(v, holder, k, where))
        with _LocateErrors(holder, where, at):
            estimate = Estimate(low, high, provenance)
        shown = (
            value
            if isinstance(value, str)
            else "-".join(str(v) for v in value)
            if isinstance(value, list)
            else str(value)
        )
        self.register.append(ProvenanceEntry(where, shown, provenance, holder.file))
        return estimate

    def date_value(
        self, raw: Located, key: str, place: str, *, required: bool = True, register: bool = True
    ) -> date | None:
        if key not in raw or raw[key] is None:
            if required:
                _fail(raw, key, f"{place}: missing '{key}' (a date such as 2021-04-01)")
            return None
        value, provenance, holder, at = self.sourced(raw, key, place)
        if isinstance(value, datetime):
            _fail(holder, at, f"{place}.{key}: give a date without a time, e.g. {value:%Y-%m-%d}")
        if isinstance(value, date):
            result = value
        elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            try:
                result = date.fromisoformat(value.strip())
            except ValueError as exc:
                _fail(holder, at, f"{place}.{key}: {_shown(value)} is not a date ({exc})")
        else:
            _fail(
                holder, at, f"{place}.{key}: {_shown(value)} is not a date; write it as 2021-04-01"
            )
        if register:
            self.register.append(
                ProvenanceEntry(f"{place}.{key}", str(result), provenance, holder.file)
            )
        return result

    def required_date(self, raw: Located, key: str, place: str, *, register: bool = True) -> date:
        day = self.date_value(raw, key, place, register=register)
        assert day is not None  # self.date fails on a missing required date
        return day

    def text(self, raw: Located, key: str, place: str, default: str | None = None) -> str:
        if key not in raw or raw[key] is None:
            if default is not None:
                return default
            _fail(raw, key, f"{place}: missing '{key}'")
        value = raw[key]
        if not isinstance(value, (str, int)) or isinstance(value, bool) or str(value).strip() == "":
            _fail(raw, key, f"{place}.{key} must be non-empty text, not {_shown(value)}")
        return str(value)

    def free_text(self, raw: Located, key: str, place: str) -> str:
        """Optional free text such as a description or notes (``""`` if absent)."""
        value = raw.get(key)
        if value is None:
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            where = f"{place}.{key}" if place else key
            _fail(raw, key, f"{where}: must be text, not {_shown(value)}")
        return str(value)

    def optional_text(self, raw: Located, key: str, place: str) -> str | None:
        return self.text(raw, key, place) if raw.get(key) is not None else None

    def choice(self, raw: Located, key: str, place: str, enum: Any, default: Any = None) -> Any:
        if key not in raw:
            if default is None:
                _fail(
                    raw,
                    key,
                    f"{place}: missing '{key}' (one of {', '.join(e.value for e in enum)})",
                )
            return default
        value = raw[key]
        values = [e.value for e in enum]
        if value not in values:
            _fail(
                raw,
                key,
                f"{place}.{key}: {_shown(value)} is not one of {', '.join(values)}"
                + did_you_mean(str(value), values),
            )
        return enum(value)


# -- helpers --------------------------------------------------------------------------


class _LocateErrors:
    """Turn a domain :class:`InvalidValue` into a located :class:`ScenarioError`.

    ``key`` is the key whose line to report when the error does not name one.
    """

    def __init__(self, raw: Located, place: str, key: str = ""):
        self.raw, self.place, self.key = raw, place, key

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        if isinstance(exc, InvalidValue):
            key = exc.place.split(".")[0] if exc.place else self.key
            where = f"{self.place}.{exc.place}" if exc.place else self.place
            raise self.raw.error(key, where, exc.message) from None


def _locate_path(raw: Located, path: str) -> tuple[Located, str]:
    """The mapping holding the deepest key found on a dotted key path inside ``raw``, and
    that key; its :meth:`Located.error` gives the key's line (YAML) or cell (workbook)."""
    holder, found = raw, ""
    keys = path.split(".")
    for depth, key in enumerate(keys):
        if key not in holder:
            break
        found = key
        value = holder[key]
        if depth == len(keys) - 1 or not isinstance(value, Located):
            break
        holder, found = value, ""
    return holder, found


def _fail(raw: Located, key: str, message: str, *, workbook: str | None = None) -> NoReturn:
    """Raise a located error; ``message`` is ``"key.path: what is wrong"`` or just the text.

    A workbook names the cell instead of the key path; ``workbook``, if given, says
    what is wrong in a workbook's terms (yes/no, comma-separated words, an empty cell).
    """
    place, sep, text = message.partition(": ")
    if not sep or " " in place:
        place, text = "", message
    if workbook is not None and raw.cells is not None:
        text = workbook
    raise raw.error(key, place, text)


def _check_keys(raw: Located, allowed: set[str] | frozenset[str], place: str) -> None:
    for key in raw:
        if key not in allowed:
            where = f"{place}.{key}" if place else key
            _fail(raw, key, f"{where}: unknown key{did_you_mean(key, allowed)}")


def _optional_mapping(raw: Located, key: str, place: str = "") -> Located:
    """The mapping at ``key``, or an empty one if the key is absent."""
    return _mapping(raw, key, place) if raw.get(key) is not None else Located()


def _mapping(raw: Located, key: str, place: str = "") -> Located:
    """The mapping at ``key`` of the mapping at key path ``place`` (for the message)."""
    value = raw.get(key)
    if not isinstance(value, Located):
        where = f"{place}.{key}" if place else key
        _fail(raw, key, f"{where}: must be a mapping of fields (key: value), not {_shown(value)}")
    return value


def _shown(value: Any) -> str:
    """A value as a short phrase for an error message."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _list(raw: Located, key: str) -> list[Any]:
    value = raw.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        _fail(
            raw, key, f"{key}: must be a list (each entry starting with '- '), not {_shown(value)}"
        )
    return value


def _pair(
    value: Any, raw: Located, key: str, place: str, convert: Callable[[Any, str], Decimal]
) -> tuple[Decimal, Decimal]:
    """``(low, high)``; ``convert(value, key)`` reports a bad end at ``key[0]`` or ``key[1]``."""
    if isinstance(value, list):
        if len(value) != 2:
            _fail(raw, key, f"{place}: a range is [low, high], found {len(value)} values")
        return convert(value[0], f"{key}[0]"), convert(value[1], f"{key}[1]")
    one = convert(value, key)
    return one, one


def _decimal(value: Any, raw: Located, key: str, place: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        _fail(raw, key, f"{place}: {_shown(value)} is not a number")
    text = str(value).strip().rstrip("%")
    try:
        number = Decimal(text)
    except InvalidOperation:
        _fail(raw, key, f"{place}: {_shown(value)} is not a number")
    if not number.is_finite() or abs(number) > LARGEST_NUMBER:
        _fail(raw, key, f"{place}: {_shown(value)} is out of range (at most {LARGEST_NUMBER:,})")
    return number / 100 if str(value).strip().endswith("%") else number


def _weeks(value: Any, raw: Located, key: str, place: str) -> Decimal:
    if not isinstance(value, (str, int, float)):
        _fail(raw, key, f"{place}: {_shown(value)} is not a duration; write '4 weeks'")
    match = re.fullmatch(r"\s*(-?[\d.]+)\s*(weeks?|months?)\s*", str(value))
    if isinstance(value, bool) or match is None:
        _fail(
            raw, key, f"{place}: {_shown(value)} is not a duration; write '4 weeks' or '8 months'"
        )
    try:
        number = Decimal(match[1])
    except InvalidOperation:
        _fail(raw, key, f"{place}: {_shown(value)} is not a duration")
    if number < 0:
        _fail(raw, key, f"{place}: {_shown(value)} is negative")
    weeks = number * WEEKS_PER_MONTH if match[2].startswith("month") else number
    if weeks > LONGEST_WEEKS:
        _fail(raw, key, f"{place}: {_shown(value)} is longer than {LONGEST_WEEKS:,} weeks")
    return weeks
