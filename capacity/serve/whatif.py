"""The what-if page's state: a what-if scenario file, ``extends:`` the base and only the changes.

The page never keeps a scenario of its own making: every state is the text of a what-if
file (:func:`what_if_text`), and the scenario shown is that file read by the same reader
as the command line (:func:`capacity.readers.scenario_yaml.read_scenario`), so a bad edit
gets the CLI's located message and ``capacity compare`` on the saved file reads exactly
what the page planned. The file is written only inside the session's own temporary
folder (:class:`Workspace`); no path that came from the browser is ever opened.
"""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from capacity.domain.scenario import Scenario
from capacity.errors import ScenarioError, shown
from capacity.readers.limits import MAX_FILE_BYTES
from capacity.readers.scenario_yaml import read_scenario, read_scenario_mapping
from capacity.readers.yaml_loader import Located, load_yaml

WHAT_IF_FILE = "what-if.yaml"
"""The name the page gives its what-if, in the workspace and as a download."""

TOP_LEVEL_ORDER = ("horizon", "assumptions", "pay", "uncertainty", "options")
"""The sections a what-if may override, in the order written (after ``scenario``,
``description`` and ``extends``; ``changes`` last)."""

_HEADER = """\
# A what-if made on the capacity what-if page (capacity serve): the scenario it extends
# and only the changes. `extends` is the base scenario's full path; edit it to a path
# relative to this file if you move either.
"""


@dataclass(frozen=True)
class WhatIf:
    """One state of the page: changes to the base scenario, as a what-if file says them.

    Parameters
    ----------
    changes
        The ``changes:`` list (drop / update / add / drop_staff / update_staff / add_staff
        entries), as plain mappings.
    overrides
        Top-level keys the what-if replaces or merges (``assumptions``, ``options``,
        ``scenario``, ...), as plain values.
    """

    changes: tuple[dict[str, Any], ...] = ()
    overrides: dict[str, Any] = field(default_factory=dict)

    @property
    def is_base(self) -> bool:
        return not self.changes and not self.overrides


@dataclass(frozen=True)
class Base:
    """The scenario ``capacity serve`` was started with: its path, its merged mapping (for
    the page's controls and the options a recruit edit copies) and the scenario itself."""

    path: Path
    raw: Located
    scenario: Scenario
    warnings: frozenset[str] = frozenset()

    @classmethod
    def read(cls, path: Path) -> Base:
        """Read the base; its own warnings are kept, so that the page shows only those a
        change brings."""
        path = path.resolve()
        said: list[str] = []
        scenario = read_scenario(path, lambda slip: said.append(str(slip)))
        return cls(path, read_scenario_mapping(path), scenario, frozenset(said))


def what_if_text(base: Base, what_if: WhatIf, planned_with: str = "") -> str:
    """The what-if as a YAML scenario file that extends ``base``; ``planned_with`` (the
    command line's solver options the page used) is said in its opening comment."""
    document: dict[str, Any] = {}
    for key in ("scenario", "description"):  # what it is, then what it extends, as by hand
        if key in what_if.overrides:
            document[key] = what_if.overrides[key]
    document["extends"] = str(base.path)
    for key in TOP_LEVEL_ORDER:
        if key in what_if.overrides:
            document[key] = what_if.overrides[key]
    for key, value in what_if.overrides.items():
        if key not in document:
            document[key] = value
    document["changes"] = list(what_if.changes)
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    said = (
        "# The figures the page showed for it come from\n"
        f"#   capacity compare FILE {planned_with}\n"
        if planned_with
        else ""
    )
    return _HEADER + said + "\n" + body


class Workspace:
    """The session's own temporary folder: the only place the page writes a scenario file.

    Reading is serialised (one file name, one reader at a time) so that a message's line
    numbers are the lines of the file the page shows and saves.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self._lock = threading.Lock()

    def build(self, base: Base, what_if: WhatIf) -> tuple[Scenario, list[str], Located]:
        """The what-if read as the command line reads it, the warnings it gave, and its
        mapping with the changes applied (what the page's controls show).

        Raises
        ------
        ScenarioError
            Located as ``capacity compare what-if.yaml`` would locate it.
        """
        if what_if.is_base:
            return base.scenario, [], base.raw
        text = what_if_text(base, what_if)
        with self._lock:
            path = self.folder / WHAT_IF_FILE
            path.write_text(text, encoding="utf-8")
            warnings: list[str] = []

            def warn(slip: ScenarioError) -> None:
                if str(slip) not in base.warnings:
                    warnings.append(self.shown(slip))

            try:
                scenario = read_scenario(path, warn)
            except ScenarioError as exc:
                raise self.relocated(exc) from None
            return scenario, warnings, read_scenario_mapping(path)

    def open_upload(self, base: Base, name: str, data: bytes) -> WhatIf:
        """A what-if file the page uploaded, read with the command line's limits and messages.

        The file must extend the base the page was started with (by its file name): its
        ``extends:`` is never followed as a path. Every other key is kept as it is.

        Raises
        ------
        ScenarioError
            Too large, not YAML, not a what-if of this base, or any problem the reader
            finds, located at the uploaded file's own lines.
        """
        file_name = _safe_name(name)
        if len(data) > MAX_FILE_BYTES:
            raise ScenarioError(
                file_name,
                "",
                # as the command line says it of a file it stopped reading at the limit
                f"is larger than that; a scenario file is limited to {MAX_FILE_BYTES:,} bytes",
            )
        with self._lock:
            folder = self.folder / "upload"
            folder.mkdir(exist_ok=True)
            path = folder / file_name
            path.write_bytes(data)
            try:
                raw = load_yaml(path)
                extends = raw.get("extends")
                if not isinstance(extends, str) or Path(extends).name != base.path.name:
                    raise raw.error(
                        "extends" if "extends" in raw else "",
                        "extends",
                        f"this page edits what-ifs of {base.path.name}; the file must say "
                        f"'extends: {base.path.name}' (it says {shown(extends)})",
                    )
                # The reader follows `extends` from this copy: point it at the base itself,
                # on the same line, so every message keeps the uploaded file's line numbers.
                lines = data.decode("utf-8").splitlines(keepends=True)
                at = (raw.line_of("extends") or 1) - 1
                if not re.match(r"^extends\s*:", lines[at]):
                    raise raw.error("extends", "extends", "write it on one line: extends: FILE")
                lines[at] = f"extends: {_quoted(str(base.path))}\n"
                path.write_text("".join(lines), encoding="utf-8")
                read_scenario(path)  # every problem, located in the uploaded file
            except ScenarioError as exc:
                raise self.relocated(exc) from None
            finally:
                path.unlink(missing_ok=True)
        overrides = {k: _plain(v) for k, v in raw.items() if k not in ("extends", "changes")}
        changes = tuple(_plain(c) for c in raw.get("changes") or [])
        return WhatIf(changes, overrides)

    def shown(self, error: ScenarioError) -> str:
        """A message as the page shows it: the workspace's folder left out of file names."""
        return str(error).replace(f"{self.folder}/upload/", "").replace(f"{self.folder}/", "")

    def relocated(self, error: ScenarioError) -> ScenarioError:
        """The error with the workspace's folder left out of its file name."""
        file = error.file.replace(f"{self.folder}/upload/", "").replace(f"{self.folder}/", "")
        relocated = ScenarioError(file, error.place, error.message, error.line)
        relocated.args = (self.shown(error),)
        return relocated


def _safe_name(name: str) -> str:
    """The uploaded file's name, for messages only: no folders, plain characters, .yaml."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(name or "upload").name).strip(".-")[:80]
    stem = stem or "upload"
    return stem if stem.lower().endswith((".yaml", ".yml")) else f"{stem}.yaml"


def _quoted(text: str) -> str:
    return yaml.safe_dump(text, default_style='"').strip().removesuffix("...").strip()


def _plain(value: Any) -> Any:
    """A loaded value as plain mappings and lists (the YAML writer knows no :class:`Located`)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return copy.copy(value)


def plain(value: Any) -> Any:
    """A part of the base's mapping as plain data, for a change to copy and edit."""
    return _plain(value)
