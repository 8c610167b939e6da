"""Where a problem is: from a key path to the file's line, or the workbook's cell.

A schema error (pydantic) gives its location as a path of keys and list
indexes; a domain error gives a key path such as ``work[vs-tender].load``.
:func:`locate` maps either, through the scenario mapping as read (each
mapping remembers its file and each key's line, or each key's cell), to a
:class:`ScenarioError` naming the file, the line (or sheet, row and column)
and the key path a person reads (``work[vs-tender].load``, with ids rather
than list positions).
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from capacity.errors import ScenarioError, did_you_mean
from capacity.readers.yaml_loader import Located
from capacity.schema.types import shown

Path = Sequence[str | int]

_WORKBOOK_WORDING = {
    "flag": "must be yes or no, not {value}",
    "words": "must be skills separated by commas, e.g. lead, officer, not {value}",
}
"""What is wrong, said in a workbook's terms, where a cell differs from a YAML value."""

_MISSING = {
    "value": (
        "missing 'value'",
        "empty: give the value (a source or assumption alone is not one)",
    ),
    "on": (
        "missing 'on' (the last day in post, e.g. 2021-07-31)",
        "empty: an 'end' change needs a date (the last day in post)",
    ),
}
"""Missing keys that deserve more than "missing 'key'": (YAML wording, workbook wording)."""


def locate(raw: Located, path: Path, message: str) -> ScenarioError:
    """The error ``message`` about the value at ``path`` in the scenario mapping ``raw``.

    ``path`` is keys and list indexes from the top; a key that is absent (a
    missing field) is reported at the mapping that lacks it. Tokens in angle
    brackets (a pydantic union's tag) are skipped.
    """
    holder, key, node = raw, "", raw
    parts: list[str] = []
    previous: str | int | None = None
    for token in path:
        if isinstance(token, str) and token.startswith("<"):
            continue
        if isinstance(token, int):
            if not isinstance(node, list) or not 0 <= token < len(node):
                break
            element = node[token]
            if isinstance(element, Located):
                label = element.get("id")
                parts.append(f"[{label if isinstance(label, str) else token}]")
                holder, key, node = element, "", element
            else:  # one end of a range
                key, node = f"{key}[{token}]", element
                break
        elif isinstance(node, Located) and token in node:
            if not (token == "value" and isinstance(previous, str)):
                parts.append(f".{token}" if parts else token)
            holder, key, node = node, token, node[token]
        elif not isinstance(node, Located) and token == "value":
            pass  # a bare value stands for {value: ...}
        else:
            if isinstance(node, Located):
                holder, key = node, token  # a missing key: blame its mapping
            break
        previous = token
    return holder.error(key, "".join(parts), message)


def path_of(raw: Located, place: str) -> list[str | int]:
    """A domain error's key path (``options[option-2].changes[0]``) as a path in ``raw``.

    ``[id]`` picks the entry with that id (the last one, which repeats it, if
    two share it); a post an option adds is found in that option's changes.
    """
    path: list[str | int] = []
    node: Any = raw
    for name, selector in re.findall(r"([^.\[\]]+)|\[([^\]]*)\]", place):
        if name:
            path.append(name)
            node = node.get(name) if isinstance(node, dict) else None
            continue
        entries = node if isinstance(node, list) else []
        ids = [e.get("id") if isinstance(e, dict) else None for e in entries]
        if selector in ids:
            index = len(ids) - 1 - ids[::-1].index(selector)
        elif selector.isdigit() and int(selector) < len(entries):
            index = int(selector)
        else:
            found = (_added_post if path == ["team"] else _post_award)(raw, selector)
            if path not in (["team"], ["work"]) or found is None:
                return path
            path, node = found, raw
            for token in found:  # on from the entry found, for the rest of the key path
                node = node[token]
            continue
        path.append(index)
        node = entries[index]
    return path


def _post_award(raw: Located, item_id: str) -> list[str | int] | None:
    for index, item in enumerate(raw.get("work") or []):
        delivery = item.get("post_award") if isinstance(item, dict) else None
        if isinstance(delivery, dict) and delivery.get("id", f"{item.get('id')}-award") == item_id:
            return ["work", index, "post_award"]
        exercise = item.get("commissioning") if isinstance(item, dict) else None
        if isinstance(exercise, dict) and str(item_id).startswith(f"{exercise.get('id')}-"):
            return ["work", index, "commissioning"]  # one of the items the entry stands for
    return None


def _added_post(raw: Located, post_id: str) -> list[str | int] | None:
    for o, option in enumerate(raw.get("options") or []):
        changes = option.get("changes") if isinstance(option, dict) else None
        for c, change in enumerate(changes if isinstance(changes, list) else []):
            post = change.get("add") if isinstance(change, dict) else None
            if isinstance(post, dict) and post.get("id") == post_id:
                return ["options", o, "changes", c, "add"]
    return None


def schema_problems(
    error: ValidationError, raw: Located, model: type[BaseModel]
) -> list[ScenarioError]:
    """Every problem pydantic found, each located and said in plain words, once.

    A misspelt key is one problem, not two: "unknown key 'laod' (did you mean
    'load'?)" is reported, and "missing 'load'" in the same mapping is not.
    """
    found = error.errors(include_url=False)
    meant: set[tuple[str | int, ...]] = set()
    for one in found:
        if one["type"] == "extra_forbidden":
            loc = list(one["loc"])
            close = difflib.get_close_matches(str(loc[-1]), _fields_at(model, loc[:-1]), n=1)
            meant.update((*loc[:-1], word) for word in close)
    problems: list[ScenarioError] = []
    for one in found:
        loc = list(one["loc"])
        if one["type"] == "missing" and tuple(loc) in meant:
            continue
        context = one.get("ctx") or {}
        if "key" in context:  # a check on a whole mapping that blames one of its keys
            loc.append(context["key"])
        problem = locate(raw, loc, _message(one, loc, raw, model))
        if str(problem) not in {str(p) for p in problems}:  # both ends of one bad value
            problems.append(problem)
    return problems


def _message(found: Any, loc: list[str | int], raw: Located, model: type[BaseModel]) -> str:
    kind, value = found["type"], found.get("input")
    in_workbook = raw.cells is not None
    last = next((t for t in reversed(loc) if isinstance(t, str) and not t.startswith("<")), "")
    if kind == "missing":
        if last in _MISSING:
            return _MISSING[last][1 if in_workbook else 0]
        top = len([t for t in loc if not str(t).startswith("<")]) == 1
        return f"missing '{last}'" + ("; see docs/scenario-format.md" if top else "")
    if kind == "extra_forbidden":
        return "unknown key" + did_you_mean(last, _fields_at(model, loc[:-1]))
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"must be a mapping of fields (key: value), not {shown(value)}"
    if kind in ("list_type", "tuple_type"):
        return f"must be a list (each entry starting with '- '), not {shown(value)}"
    if in_workbook and kind in _WORKBOOK_WORDING:
        return _WORKBOOK_WORDING[kind].format(value=shown(value))
    message: str = found["msg"]
    return message.removeprefix("Value error, ")


def _fields_at(model: Any, loc: Sequence[str | int]) -> list[str]:
    """The keys the mapping at ``loc`` may have, from the models (for "did you mean")."""
    annotation: Any = model
    for token in loc:
        annotation = _unwrap(annotation, token)
        if annotation is None:
            return []
    annotation = _unwrap(annotation, None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [f.alias or name for name, f in annotation.model_fields.items()]
    return []


def _unwrap(annotation: Any, token: str | int | None) -> Any:
    """The type one step down ``token`` (a key or an index) from ``annotation``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            if isinstance(token, str) and token.startswith("<"):
                tagged = [a for a in options if _tag(a) == token]
                options = tagged or options
            annotation = options[0]
            if isinstance(token, str) and token.startswith("<"):
                return _unwrap(annotation, None)
        else:
            break
    if token is None:
        return annotation
    if isinstance(token, str) and token.startswith("<"):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, tuple) and isinstance(token, int):
        return typing.get_args(annotation)[0]
    if origin is dict:
        return typing.get_args(annotation)[1]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, field in annotation.model_fields.items():
            if token in (name, field.alias):
                return field.annotation
    return None


def _tag(annotation: Any) -> str | None:
    for meta in getattr(annotation, "__metadata__", ()):
        if hasattr(meta, "tag"):
            return str(meta.tag)
    return None
