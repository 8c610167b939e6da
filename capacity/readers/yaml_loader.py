"""Safe YAML loading that remembers where each mapping and key came from.

Only ``yaml.SafeLoader`` is used: no Python objects are ever constructed
from a scenario file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from capacity.errors import ScenarioError

MAX_INPUT_BYTES = 5 * 1024 * 1024
"""Larger scenario files are refused rather than parsed (a real team's fits in kilobytes)."""


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
        pass

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Located:
        own_keys = [k for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge"]
        seen: set[object] = set()
        for key_node in own_keys:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value in seen:
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
                    file, "", f"keys must be text, found {key!r}", key_node.start_mark.line + 1
                )
            mapping[key] = loader.construct_object(value_node, deep=True)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping

    def construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
        try:
            return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
        except ValueError as exc:
            raise ScenarioError(
                file, "", f"{node.value!r} is not a date ({exc})", node.start_mark.line + 1
            ) from None

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    Loader.add_constructor("tag:yaml.org,2002:timestamp", construct_timestamp)
    return Loader


def check_input_file(path: Path, wanted: str) -> None:
    """Refuse, before reading it, a scenario path that is missing, a folder or too large.

    ``wanted`` is what the format expects, for the folder's message, e.g.
    ``"the scenario's .yaml file"``.
    """
    file = str(path)
    if not path.exists():
        raise ScenarioError(file, "", "no such file")
    if path.is_dir():
        raise ScenarioError(file, "", f"is a folder; give {wanted}")
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise ScenarioError(
            file, "", f"is {size:,} bytes; a scenario is limited to {MAX_INPUT_BYTES:,}"
        )


def load_yaml(path: Path) -> Located:
    """Read one YAML file whose top level is a mapping.

    Raises
    ------
    ScenarioError
        Missing file, a directory, too large, not YAML, or not a mapping.
    """
    file = str(path)
    check_input_file(path, "the scenario's .yaml file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            file, "", f"is not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    try:
        data = yaml.load(text, Loader=_make_loader(file))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "not valid YAML"
        raise ScenarioError(file, "", f"not valid YAML: {problem}", line) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(file, "", f"not valid YAML: {exc}") from None
    except RecursionError:
        raise ScenarioError(file, "", "nested too deeply to be a scenario") from None
    if data is None:
        raise ScenarioError(file, "", "is empty; a scenario needs horizon, team, work and options")
    if not isinstance(data, Located):
        raise ScenarioError(
            file, "", f"must be a YAML mapping (key: value), found {type(data).__name__}"
        )
    return data
