"""Read a scenario YAML file (and the file it extends) into a :class:`Scenario`.

This module only joins files: a what-if's ``extends:`` and ``changes:`` are
applied to its base's mapping, each value keeping the file and line it was
written on. What the merged mapping may contain is the schema's
(:mod:`capacity.schema.models`), and the rules about values are the domain's;
see ``docs/scenario-format.md``.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, NoReturn

from capacity.domain.scenario import Scenario
from capacity.errors import did_you_mean, shown
from capacity.readers.limits import MAX_EXTENDS_CHAIN
from capacity.readers.yaml_loader import Located, load_yaml
from capacity.schema.build import Warn, build_scenario
from capacity.schema.models import TOP_KEYS, Commissioning, Staff, Work

CHANGE_KINDS = {"drop", "update", "add", "drop_staff", "update_staff", "add_staff"}
"""What a what-if's ``changes:`` may do to its base's work (or, ``_staff``, its team)."""


def _keys(model: Any) -> set[str]:
    return {field.alias or name for name, field in model.model_fields.items()}


def read_scenario(path: str | Path, warn: Warn | None = None) -> Scenario:
    """Read, merge (``extends``) and validate a scenario file.

    Raises
    ------
    ScenarioError
        With the file, key path and line of every problem found.
    """
    path = Path(path)
    raw, what_ifs = _resolve(path, seen=())
    return parse_scenario(raw, str(path), what_ifs, warn)


def read_scenario_mapping(path: str | Path) -> Located:
    """The scenario file as one mapping, ``extends`` and ``changes`` resolved; not validated.

    This is what :func:`parse_scenario` consumes; ``capacity convert`` writes it out.
    """
    raw, _ = _resolve(Path(path), seen=())
    return raw


def base_file(path: str | Path) -> Path | None:
    """The scenario file a what-if ``extends`` (resolved), or ``None`` for a base scenario.

    Raises
    ------
    ScenarioError
        If the file cannot be read, as :func:`read_scenario` would say.
    """
    path = Path(path)
    if path.suffix.lower() not in (".yaml", ".yml"):  # a workbook extends nothing
        return None
    raw = load_yaml(path)
    parent = raw.get("extends") if isinstance(raw, dict) else None
    return (path.parent / parent).resolve() if isinstance(parent, str) else None


def parse_scenario(
    raw: Located, file: str, what_ifs: list[str] | None = None, warn: Warn | None = None
) -> Scenario:
    """Validate a scenario mapping (from YAML or a workbook) into a :class:`Scenario`.

    Raises
    ------
    ScenarioError
        Located through the mapping: by line for YAML, by cell for a workbook.
    """
    return build_scenario(raw, file, list(what_ifs or []), warn)


# -- extends and what-if changes, on the raw mappings ----------------------------


def _resolve(path: Path, seen: tuple[Path, ...]) -> tuple[Located, list[str]]:
    raw = load_yaml(path)
    _check_keys(raw, set(TOP_KEYS), "")
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
            f"extends: {shown(parent_name)} would make a chain of more than "
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
            base_files = {k: base[key].file_of(k) for k in getattr(base.get(key), "key_lines", {})}
            section.key_files = {**base_files, **{k: raw.file for k in raw[key]}}
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
    ids = [_entry_id(e) for e in entries if isinstance(e, dict)]
    if kind in ("add", "add_staff"):
        _check_keys(change, {kind}, place)
        if not isinstance(change[kind], Located):
            _fail(change, kind, f"{place}.{kind}: must be a mapping of the new entry's fields")
        entries.append(change[kind])
        merged[section] = entries
        added = _entry_id(change[kind]) if isinstance(change[kind], dict) else None
        added = added if isinstance(added, str) else "?"
        return f"add {section} {added}"
    target = change[kind]
    if target not in ids:
        hint = did_you_mean(target, ids) if isinstance(target, str) else ""
        _fail(change, kind, f"{place}: no {section} entry {_shown(target)}{hint}")
    at = ids.index(target)
    if kind in ("drop", "drop_staff"):
        _check_keys(change, {kind}, place)
        del entries[at]
        # Work alongside the dropped item is a share of it (a bid's second writer): it goes too.
        shares = [e for e in entries if isinstance(e, dict) and e.get("alongside") == target]
        entries = [e for e in entries if not any(e is share for share in shares)]
        merged[section] = entries
        also = ", ".join(str(_entry_id(e)) for e in shares)
        return f"drop {section} {target}" + (f" with {also} (alongside it)" if also else "")
    exercise = section == "work" and isinstance(entries[at].get("commissioning"), Located)
    allowed = _keys(Staff if section == "team" else Commissioning if exercise else Work) - {"id"}
    _check_keys(change, allowed | {kind}, place)
    if exercise:  # a commissioning entry: the change is to the exercise's own fields
        updated = copy.copy(entries[at])
        updated["commissioning"] = _updated(entries[at]["commissioning"], change, kind)
        entries[at] = updated
    else:
        entries[at] = _updated(entries[at], change, kind)
    merged[section] = entries
    fields = ", ".join(k for k in change if k != kind)
    return f"update {section} {target}: {fields}"


def _entry_id(entry: Any) -> Any:
    """A team or work entry's id; a commissioning entry's is its exercise's."""
    exercise = entry.get("commissioning")
    return exercise.get("id") if isinstance(exercise, dict) else entry.get("id")


def _updated(entry: Located, change: Located, kind: str) -> Located:
    """A copy of ``entry`` with the change's values, each blamed on the what-if's line."""
    updated = copy.copy(entry)
    updated.key_lines = dict(entry.key_lines)
    updated.key_files = dict(getattr(entry, "key_files", {}))
    for key, value in change.items():
        if key != kind:  # the what-if's value, blamed on the what-if's line
            updated[key] = value
            updated.key_lines[key] = change.key_lines[key]
            updated.key_files[key] = change.file
    return updated


def _fail(raw: Located, key: str, message: str) -> NoReturn:
    """Raise a located error; ``message`` is ``"key.path: what is wrong"`` or just the text."""
    place, sep, text = message.partition(": ")
    if not sep or " " in place:
        place, text = "", message
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
