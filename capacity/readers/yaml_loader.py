"""Safe YAML loading that remembers where each mapping and key came from.

Only ``yaml.SafeLoader`` is used: no Python objects are ever constructed
from a scenario file. Input is read with a byte cap, only from a regular
file, and checked against :mod:`capacity.readers.limits` while it is
composed (values, aliases expanded, nesting, list entries, text length), so
a hostile or runaway file is refused at its line before it is built. Every
problem, whatever part of the YAML library finds it, becomes one located
:class:`ScenarioError`.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from capacity.errors import ScenarioError, shown
from capacity.readers.limits import (
    MAX_ENTRIES,
    MAX_FILE_BYTES,
    MAX_NESTING,
    MAX_TEXT_CHARACTERS,
    MAX_VALUES,
)

MAX_INPUT_BYTES = MAX_FILE_BYTES
"""Larger scenario files are refused rather than parsed (see :mod:`capacity.readers.limits`)."""

_NOT_IN_YAML = yaml.reader.Reader.NON_PRINTABLE  # the characters YAML itself refuses
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # line breaks as YAML counts them
_CONTROL_NAMES = {
    0x00: "NUL, the null character",
    0x07: "BEL, the bell",
    0x08: "a backspace",
    0x0B: "a vertical tab",
    0x0C: "a form feed",
    0x1B: "ESC, the escape character",
    0x7F: "DEL, the delete character",
}
_TAG_MEANINGS = {"int": "a whole number", "float": "a number", "bool": "true or false"}
_MISREAD = (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError)
"""What the YAML library's constructors raise for a tagged value they cannot build."""


class Located(dict[str, Any]):
    """A scenario mapping that knows where it came from.

    From YAML: its file and, for each key, its line. From a workbook
    (``cells`` is set): for each key, its cell, e.g. ``sheet Work, row 7,
    column load_high``, and ``cell`` for the mapping as a whole.
    """

    file: str = ""
    line: int | None = None
    key_lines: dict[str, int]
    key_files: dict[str, str]
    cell: str = ""
    cells: dict[str, str] | None = None

    def file_of(self, key: str) -> str:
        """The file ``key`` was written in: a what-if's ``update:`` changes a base entry's key."""
        return getattr(self, "key_files", {}).get(key, self.file)

    def line_of(self, key: str) -> int | None:
        lines = getattr(self, "key_lines", {})
        if key not in lines and key.endswith("]"):  # "value[1]": one end of a range
            key = key[: key.index("[")]
        return lines.get(key, self.line)

    def cell_of(self, key: str) -> str:
        return (self.cells or {}).get(key, self.cell)

    def error(self, key: str, place: str, message: str) -> ScenarioError:
        """A :class:`ScenarioError` for the value at ``key`` (``""``: the whole mapping).

        ``place`` is the key path, reported for YAML (with the line); a
        workbook reports the cell instead, which says more to its reader.
        """
        file = self.file_of(key.split("[")[0]) or "<scenario>"
        if self.cells is not None:
            return ScenarioError(file, self.cell_of(key), message)
        return ScenarioError(file, place, message, self.line_of(key))


def _make_loader(file: str) -> type[yaml.SafeLoader]:
    class Loader(yaml.SafeLoader):
        """A safe loader that keeps to the input limits while it composes."""

        def __init__(self, stream: str):
            super().__init__(stream)
            self.values = 0  # nodes so far, an alias counting as a copy of its value
            self.aliases = 0
            self.depth = 0
            self.composing: set[str] = set()  # anchors whose value is still being read
            self.expanded: dict[int, int] = {}  # id(node) -> its size with aliases expanded

        def compose_node(self, parent: Node | None, index: Any) -> Node | None:
            event = self.peek_event()
            line = event.start_mark.line + 1
            if isinstance(index, int) and index >= MAX_ENTRIES:
                raise ScenarioError(
                    file,
                    "",
                    f"a list of more than {MAX_ENTRIES:,} entries; a scenario list is limited "
                    f"to {MAX_ENTRIES:,}",
                    line,
                )
            if isinstance(event, yaml.AliasEvent):
                node = self._alias(event, line)
                if index is None and isinstance(parent, MappingNode):  # used as a key
                    _refuse_key(file, node, line)
                return node
            if isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_TEXT_CHARACTERS:
                what = "a key" if index is None else "a value"
                raise ScenarioError(
                    file,
                    index.value if isinstance(index, ScalarNode) else "",
                    f"{what} of {len(event.value):,} characters; a value is limited to "
                    f"{MAX_TEXT_CHARACTERS:,}",
                    line,
                )
            self._count(1, line)
            if self.depth >= MAX_NESTING:
                raise ScenarioError(
                    file,
                    "",
                    f"nested too deeply to be a scenario (lists and mappings more than "
                    f"{MAX_NESTING} levels inside one another)",
                    line,
                )
            anchor = event.anchor if not isinstance(event, yaml.ScalarEvent) else None
            if anchor is not None:
                self.composing.add(anchor)
            self.depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1
                self.composing.discard(anchor or "")

        def _alias(self, event: yaml.AliasEvent, line: int) -> Node:
            anchor = event.anchor or ""
            if anchor in self.composing:
                raise ScenarioError(
                    file,
                    "",
                    f"the alias *{anchor} is inside the value it names (&{anchor}), "
                    "so the value would never end",
                    line,
                )
            # the named node, or "undefined alias"
            node = super().compose_node(None, None)  # type: ignore[arg-type]
            assert node is not None  # an alias always names a node
            self.aliases += 1
            self._count(self._size(node), line)
            return node

        def _count(self, values: int, line: int) -> None:
            self.values += values
            if self.values > MAX_VALUES:
                expanded = " once its aliases (*name) are expanded" if self.aliases else ""
                raise ScenarioError(
                    file,
                    "",
                    f"holds more than {MAX_VALUES:,} values{expanded}; a scenario is "
                    f"limited to {MAX_VALUES:,}",
                    line,
                )

        def _size(self, node: Node) -> int:
            """How many nodes ``node`` stands for, aliases inside it expanded (memoised)."""
            sizes = self.expanded
            pending: list[tuple[Node, bool]] = [(node, False)]
            while pending:
                current, children_done = pending.pop()
                if id(current) in sizes:
                    continue
                children = _children(current)
                if children_done:
                    sizes[id(current)] = 1 + sum(sizes[id(c)] for c in children)
                else:
                    pending.append((current, True))
                    pending.extend((c, False) for c in children if id(c) not in sizes)
            return sizes[id(node)]

        def construct_object(self, node: Node, deep: bool = False) -> Any:
            try:
                return super().construct_object(node, deep)
            except _MISREAD:
                implicit = isinstance(node, ScalarNode) and node.tag == self.resolve(
                    ScalarNode, node.value, (True, False)
                )
                raise _misread(file, node, implicit) from None

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Located:
        own_keys = [k for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge"]
        seen: set[str] = set()
        for key_node in own_keys:
            _refuse_key(file, key_node, key_node.start_mark.line + 1)
            if key_node.value in seen:
                raise ScenarioError(
                    file,
                    key_node.value,
                    "key appears twice in one mapping",
                    key_node.start_mark.line + 1,
                )
            seen.add(key_node.value)
        loader.flatten_mapping(node)  # resolves YAML merge keys (<<: *anchor); own keys win
        mapping = Located()
        mapping.file = file
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, bool):  # YAML 1.1 reads a bare `on:` or `yes:` key as a boolean
                key = key_node.value
            if not isinstance(key, str):
                raise ScenarioError(
                    file,
                    "",
                    f"keys must be text, found {shown(key)}",
                    key_node.start_mark.line + 1,
                )
            mapping[key] = loader.construct_object(value_node, deep=True)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping

    def construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
        try:
            return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
        except ValueError as exc:
            raise ScenarioError(
                file, "", f"{shown(node.value)} is not a date ({exc})", node.start_mark.line + 1
            ) from None

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    Loader.add_constructor("tag:yaml.org,2002:timestamp", construct_timestamp)
    return Loader


def _refuse_key(file: str, key: Node, line: int) -> None:
    """Refuse a list or mapping used as a key (``*listed : 1``, ``? [a, b]: true``)."""
    if isinstance(key, ScalarNode):
        return
    found = "a list" if isinstance(key, SequenceNode) else "a mapping"
    raise ScenarioError(
        file,
        "",
        f"keys must be text, found {found} used as a key "
        "(an alias *name, or [...] or {...}, before a colon)",
        line,
    )


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _misread(file: str, node: Node, implicit: bool) -> ScenarioError:
    """A value the YAML library could not build: a tag that does not fit (``!!int "abc"``),
    or a plain value beyond what it can build (a whole number of 5,000 digits)."""
    tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
    meaning = _TAG_MEANINGS.get(tag.removeprefix("!!"), f"readable as {tag}")
    value = shown(node.value) if isinstance(node, ScalarNode) else "this value"
    if implicit:
        message = f"{value} cannot be read as {meaning}"
    else:
        message = f"{value} is tagged {tag} but is not {meaning}; correct it or remove the tag"
    return ScenarioError(file, "", message, node.start_mark.line + 1)


def _kind_of(mode: int) -> str | None:
    """What a path that is not a regular file is, in words; ``None`` for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def _refuse_kind(file: str, kind: str, wanted: str) -> ScenarioError:
    if kind == "folder":
        return ScenarioError(file, "", f"is a folder; give {wanted}")
    return ScenarioError(file, "", f"is a {kind}, not a file; give {wanted}")


def _too_large(file: str, size: int | None) -> ScenarioError:
    what = f"is {size:,} bytes" if size is not None else "is larger than that"
    return ScenarioError(
        file, "", f"{what}; a scenario file is limited to {MAX_FILE_BYTES:,} bytes"
    )


def check_input_file(path: Path, wanted: str) -> None:
    """Refuse, before reading it, a scenario path that is missing, not a regular file, or too large.

    ``wanted`` is what the format expects, for the message, e.g.
    ``"the scenario's .yaml file"``. A link is followed: what it names is checked.
    """
    file = str(path)
    try:
        status = os.stat(path)
    except FileNotFoundError:
        raise ScenarioError(file, "", "no such file") from None
    except OSError as exc:
        raise ScenarioError(file, "", f"cannot be read ({exc.strerror})") from None
    kind = _kind_of(status.st_mode)
    if kind is not None:
        raise _refuse_kind(file, kind, wanted)
    if status.st_size > MAX_FILE_BYTES:
        raise _too_large(file, status.st_size)


def read_input_bytes(path: Path, wanted: str) -> bytes:
    """The bytes of a scenario file, read only if it is a regular file, and never past the limit.

    The file is opened without waiting (a named pipe would otherwise wait for a
    writer for ever) and checked once open, so what is read is what was
    checked; it is read up to :data:`~capacity.readers.limits.MAX_FILE_BYTES`
    whatever its recorded size (``/proc`` files and some links report 0).

    Raises
    ------
    ScenarioError
        Missing, unreadable, not a regular file, or too large.
    """
    file = str(path)
    check_input_file(path, wanted)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        raise ScenarioError(file, "", "no such file") from None
    except OSError as exc:
        raise ScenarioError(file, "", f"cannot be read ({exc.strerror})") from None
    with os.fdopen(descriptor, "rb") as stream:
        kind = _kind_of(os.fstat(descriptor).st_mode)  # the file opened, not the name checked
        if kind is not None:
            raise _refuse_kind(file, kind, wanted)
        try:
            data = stream.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise ScenarioError(file, "", f"cannot be read ({exc.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(file, None)
    return data


def load_yaml(path: Path) -> Located:
    """Read one YAML file whose top level is a mapping.

    Raises
    ------
    ScenarioError
        Missing file, not a regular file, too large, not UTF-8, a character
        YAML does not allow, not YAML, past a limit of
        :mod:`capacity.readers.limits`, or not a mapping.
    """
    file = str(path)
    data = read_input_bytes(path, "the scenario's .yaml file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            file,
            "",
            f"is not UTF-8 text ({exc.reason} at byte {exc.start:,}); save it as UTF-8",
            data.count(b"\n", 0, exc.start) + 1,
        ) from None
    _refuse_unreadable_characters(file, text)
    loader = _make_loader(file)(text)
    try:
        document = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "not valid YAML"
        raise ScenarioError(file, "", f"not valid YAML: {problem}", line) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(file, "", f"not valid YAML: {exc}") from None
    except RecursionError:
        raise ScenarioError(file, "", "nested too deeply to be a scenario") from None
    finally:
        loader.dispose()
    if document is None:
        raise ScenarioError(file, "", "is empty; a scenario needs horizon, team, work and options")
    if not isinstance(document, Located):
        raise ScenarioError(
            file, "", f"must be a YAML mapping (key: value), found {type(document).__name__}"
        )
    return document


def _refuse_unreadable_characters(file: str, text: str) -> None:
    """Refuse, at its line and column, the first character YAML does not allow.

    The YAML library checks the whole text before reading it and reports only
    a position in it; people need the line and column, and the character named.
    """
    found = _NOT_IN_YAML.search(text)
    if found is None:
        return
    at = found.start()
    breaks = list(_LINE_BREAK.finditer(text, 0, at))
    line_start = breaks[-1].end() if breaks else 0
    character = found.group()
    code = ord(character)
    if unicodedata.category(character) == "Cc":
        name = _CONTROL_NAMES.get(code, "a control character")
        what = f"{name} (U+{code:04X})"
    else:
        what = f"the character U+{code:04X} ({unicodedata.name(character, 'unassigned')})"
    raise ScenarioError(
        file,
        f"column {at - line_start + 1}",
        f"{what} is not allowed in a scenario file; delete it "
        "(it is invisible in most editors, often pasted in with copied text)",
        len(breaks) + 1,
    )
