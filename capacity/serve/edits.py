"""What a manager does on the what-if page, as changes to the what-if file.

Each edit the page sends (a small JSON mapping, ``{"kind": "bid", "item": "bid-3", "status":
"lost"}``) becomes entries of the what-if's ``changes:`` list or top-level keys, the way a
person would write them by hand (:mod:`capacity.readers.scenario_yaml`): one ``update:`` per
item or person, whatever was changed on it and in what order. Only the shape of an edit is
checked here; whether its values are right is the scenario reader's to say, with its
located messages.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from capacity.serve.whatif import Base, WhatIf, plain

BID_STATUSES = ("unknown", "won", "lost", "not-written")
"""What the page offers for a bid: not known (the plan's --bids mode), won, lost, or not
written at all (dropped, with its delivery and its second writer's share)."""

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


class EditRefused(ValueError):
    """An edit the page should never send (a missing field, an unknown kind): shown beside
    ``field``, and the what-if is unchanged."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def apply_edit(base: Base, what_if: WhatIf, edit: Mapping[str, Any]) -> WhatIf:
    """The what-if with ``edit`` made; the caller checks the result with the reader.

    Raises
    ------
    EditRefused
        If the edit's kind or fields are not ones the page sends.
    """
    kind = edit.get("kind")
    if not isinstance(kind, str) or kind not in EDITS:
        raise EditRefused("kind", f"unknown edit {kind!r}; one of {', '.join(sorted(EDITS))}")
    changes = [copy.deepcopy(c) for c in what_if.changes]
    overrides = copy.deepcopy(what_if.overrides)
    EDITS[kind](base, changes, overrides, edit)
    return WhatIf(tuple(changes), overrides)


# -- the edits, each on copies of the what-if's changes and overrides ---------------


def _bid(base: Base, changes: list[dict[str, Any]], overrides: dict[str, Any], edit: Any) -> None:
    """Mark a bid won, lost, not written, or back to unknown."""
    item = _id(edit, "item")
    status = _text(edit, "status")
    if status not in BID_STATUSES:
        raise EditRefused("status", f"a bid is one of {', '.join(BID_STATUSES)}")
    changes[:] = [c for c in changes if c.get("drop") != item]
    _forget(changes, "update", item, "outcome")
    if status in ("won", "lost"):
        _update(changes, "update", item, {"outcome": status})
    elif status == "not-written":
        _drop(changes, item)


def _recruit(
    base: Base, changes: list[dict[str, Any]], overrides: dict[str, Any], edit: Any
) -> None:
    """Move a recruit's earliest start and recruitment gap (the options are then the what-if's)."""
    option_id, post = _id(edit, "option"), _id(edit, "post")
    options = overrides.setdefault("options", plain(base.raw.get("options") or []))
    option = next((o for o in options if isinstance(o, dict) and o.get("id") == option_id), None)
    if option is None:
        raise EditRefused("option", f"no option {option_id!r}")
    added = [
        c["add"]
        for c in option.get("changes") or []
        if isinstance(c, dict) and isinstance(c.get("add"), dict) and c["add"].get("id") == post
    ]
    if not added:
        raise EditRefused("post", f"option {option_id} adds no post {post!r}")
    if "start" in edit:
        added[0]["start"] = _value(edit, "start")
    if "gap" in edit:
        gap = _text(edit, "gap")
        added[0]["recruitment_gap"] = _weeks(gap)


def _fte(base: Base, changes: list[dict[str, Any]], overrides: dict[str, Any], edit: Any) -> None:
    _update(changes, "update_staff", _id(edit, "staff"), {"fte": _value(edit, "fte")})


def _absence(
    base: Base, changes: list[dict[str, Any]], overrides: dict[str, Any], edit: Any
) -> None:
    """Add an absence to a person's (the base's absences are kept)."""
    staff = _id(edit, "staff")
    absence = {"start": _value(edit, "start"), "end": _value(edit, "end")}
    if str(edit.get("reason") or "").strip():
        absence["reason"] = _text(edit, "reason")
    entry = _entry(changes, "update_staff", staff)
    if entry is not None and "absences" in entry:
        entry["absences"].append(absence)
        return
    member: dict[str, Any] = next(
        (m for m in base.raw.get("team") or [] if m.get("id") == staff), {}
    )
    _update(
        changes,
        "update_staff",
        staff,
        {"absences": [*plain(member.get("absences") or []), absence]},
    )


def _availability(
    base: Base, changes: list[dict[str, Any]], overrides: dict[str, Any], edit: Any
) -> None:
    overrides.setdefault("assumptions", {})["availability"] = _value(edit, "value")


def _drop_item(
    base: Base, changes: list[dict[str, Any]], overrides: dict[str, Any], edit: Any
) -> None:
    _drop(changes, _id(edit, "item"))


def _add_item(
    base: Base, changes: list[dict[str, Any]], overrides: dict[str, Any], edit: Any
) -> None:
    """Add a work item from the page's short form (the fields a manager would fill in)."""
    entry: dict[str, Any] = {"id": _id(edit, "id"), "name": _text(edit, "name")}
    entry["kind"] = _text(edit, "work_kind")
    entry["load"] = _value(edit, "load")
    for key in ("duration", "effort", "release", "deadline", "skill", "priority"):
        if str(edit.get(key) or "").strip():
            entry[key] = _value(edit, key)
    if edit.get("mandatory"):
        entry["mandatory"] = True
    entry["assumption"] = "Added on the what-if page"
    changes.append({"add": entry})


def _resize(
    base: Base, changes: list[dict[str, Any]], overrides: dict[str, Any], edit: Any
) -> None:
    """Change an item's load, duration or effort (those given)."""
    fields = {
        key: _value(edit, key)
        for key in ("load", "duration", "effort")
        if str(edit.get(key) or "").strip()
    }
    if not fields:
        raise EditRefused("load", "give a load, a duration or an effort")
    _update(changes, "update", _id(edit, "item"), fields)


def _priority(
    base: Base, changes: list[dict[str, Any]], overrides: dict[str, Any], edit: Any
) -> None:
    _update(changes, "update", _id(edit, "item"), {"priority": _text(edit, "priority")})


def _mandatory(
    base: Base, changes: list[dict[str, Any]], overrides: dict[str, Any], edit: Any
) -> None:
    flag = edit.get("mandatory")
    if not isinstance(flag, bool):
        raise EditRefused("mandatory", "mandatory is true or false")
    _update(changes, "update", _id(edit, "item"), {"mandatory": flag})


Edit = Callable[[Base, list[dict[str, Any]], dict[str, Any], Any], None]
EDITS: dict[str, Edit] = {
    "bid": _bid,
    "recruit": _recruit,
    "fte": _fte,
    "absence": _absence,
    "availability": _availability,
    "drop": _drop_item,
    "add": _add_item,
    "resize": _resize,
    "priority": _priority,
    "mandatory": _mandatory,
}


# -- merging into the change list ----------------------------------------------------


def _entry(changes: list[dict[str, Any]], kind: str, target: str) -> dict[str, Any] | None:
    """The change that already updates ``target`` (or adds it, for work): edits merge into it."""
    for change in reversed(changes):
        if change.get(kind) == target:
            return change
        added = change.get("add" if kind == "update" else "add_staff")
        if isinstance(added, dict) and added.get("id") == target:
            return added
    return None


def _update(changes: list[dict[str, Any]], kind: str, target: str, fields: dict[str, Any]) -> None:
    entry = _entry(changes, kind, target)
    if entry is None:
        changes.append({kind: target, **fields})
    else:
        entry.update(fields)


def _forget(changes: list[dict[str, Any]], kind: str, target: str, key: str) -> None:
    """Take ``key`` out of the change to ``target`` (and the change, if nothing is left)."""
    entry = _entry(changes, kind, target)
    if entry is None:
        return
    entry.pop(key, None)
    if set(entry) == {kind}:
        changes.remove(entry)


def _drop(changes: list[dict[str, Any]], item: str) -> None:
    """Drop an item: an item the what-if added goes from the list; a base item's updates go,
    and a ``drop:`` is added."""
    added = [c for c in changes if isinstance(c.get("add"), dict) and c["add"].get("id") == item]
    changes[:] = [c for c in changes if c.get("update") != item and c not in added]
    if not added:
        changes.append({"drop": item})


# -- the edit's fields ---------------------------------------------------------------


def _id(edit: Any, key: str) -> str:
    value = _text(edit, key)
    if not _KEY.match(value):
        raise EditRefused(key, f"{value!r} is not an id")
    return value


def _text(edit: Any, key: str) -> str:
    value = edit.get(key)
    if not isinstance(value, str) or not value.strip():
        raise EditRefused(key, "give a value")
    return value.strip()


def _weeks(text: str) -> Any:
    """``8`` is 8 weeks, ``8-16`` the range 8 to 16 weeks; anything else is the reader's."""
    if re.fullmatch(r"\d+", text):
        return f"{text} weeks"
    if found := re.fullmatch(r"(\d+)\s*-\s*(\d+)", text):
        return [f"{found[1]} weeks", f"{found[2]} weeks"]
    return text


_NUMBER = r"\d+(?:\.\d+)?|\.\d+"
_RANGE = re.compile(rf"({_NUMBER})\s*-\s*({_NUMBER})(\s*[a-z]+)?")


def _value(edit: Any, key: str) -> Any:
    """A field as the YAML value a person would write: a date, a number, or the text (the
    reader says what is wrong with it, if anything)."""
    text = _text(edit, key)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    if found := _RANGE.fullmatch(text):  # a range: 0.4-0.5, or 8-16 weeks
        unit = found[3] or ""
        return [_value({"v": found[1] + unit}, "v"), _value({"v": found[2] + unit}, "v")]
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d*\.\d+", text):
        return float(text)
    return text
