"""Errors a user can act on.

Every error raised for bad input names the file, the place in it (key path
and line for YAML) and what is wrong. The command line turns these into one
line on stderr and exit status 2. Whatever a message echoes from the input
passes through :func:`printable` (so a newline, a NUL, a carriage return or a
right-to-left override in a value can neither split the line nor disguise
it), and values are echoed through :func:`shown`, which shortens them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from itertools import islice
from typing import Any

SHOWN_CHARACTERS = 60
"""Characters of a text value a message echoes; a longer one is cut there, with "…"."""
SUGGESTION_CHARACTERS = 100
"""Longest word :func:`did_you_mean` compares: nothing longer is a slip of the keyboard."""
SUGGESTION_CANDIDATES = 5000
"""Most candidates :func:`did_you_mean` compares a word with."""
MESSAGE_CHARACTERS = 2000
"""Longest message: anything past it was echoed input, not explanation."""
_RUN_CHARACTERS = 300  # a run of text without a space this long can only be an echoed value
_LONG_RUN = re.compile(rf"\S{{{_RUN_CHARACTERS + 1},}}")
_LONG_QUOTED = [  # a value quoted as repr quotes it, too long to echo whole
    re.compile(rf"(?<!\w)'([^'\n]{{{SHOWN_CHARACTERS + 1},}}?)'(?!\w)"),
    re.compile(rf'(?<!\w)"([^"\n]{{{SHOWN_CHARACTERS + 1},}}?)"(?!\w)'),
]
_LONG_INDEX = re.compile(rf"\[([^\[\]]{{{SHOWN_CHARACTERS + 1},}})\]")  # work[<long id>]
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` with every character that is not printable escaped, e.g. ``\\x00``, ``\\u202e``.

    Control characters (NUL, BEL, ESC, DEL, CR, newline, ...), invisible format
    characters (right-to-left overrides, zero-width spaces) and line or
    paragraph separators are escaped as Python writes them; the rest, accents and
    all, is kept.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escaped(c) for c in text)


def _escaped(character: str) -> str:
    if character in _ESCAPES:
        return _ESCAPES[character]
    code = ord(character)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def shown(value: object, limit: int = SHOWN_CHARACTERS) -> str:
    """A value as a message echoes it: quoted like ``repr``, escaped, and short.

    Text longer than ``limit`` characters is cut with "…"; lists and mappings
    show their first few entries; a huge whole number shows its number of digits.
    Cheap whatever the size of ``value``.
    """
    return _brief(value, limit, depth=0)


def _brief(value: object, limit: int, depth: int) -> str:
    if isinstance(value, str):
        return repr(value if len(value) <= limit else value[:limit] + "…")
    if depth >= 2 and isinstance(value, (Mapping, list, tuple, set, frozenset)):
        return "[…]" if isinstance(value, (list, tuple)) else "{…}"
    if isinstance(value, Mapping):
        items = [
            f"{_brief(k, limit, depth + 1)}: {_brief(v, limit, depth + 1)}"
            for k, v in islice(value.items(), 4)
        ]
        return "{" + ", ".join(items) + (", …" if len(value) > 4 else "") + "}"
    if isinstance(value, (list, tuple, set, frozenset)):
        entries = [_brief(v, limit, depth + 1) for v in islice(value, 4)]
        more = ", …" if len(value) > 4 else ""
        return "[" + ", ".join(entries) + more + "]"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"a number of about {int(value.bit_length() * 0.30103) + 1:,} digits"
    text = printable(repr(value))
    return text if len(text) <= 2 * limit else text[: 2 * limit] + "…"


def plain_message(text: str) -> str:
    """One line of message: :func:`printable`, with echoed runs and the whole kept short.

    A safety net under :func:`shown`: every located error passes its place and
    message through it, whoever built them.
    """
    text = printable(text)
    for quoted in _LONG_QUOTED:
        text = quoted.sub(_cut_quoted, text)
    text = _LONG_INDEX.sub(lambda index: f"[{index.group(1)[:SHOWN_CHARACTERS]}…]", text)
    text = _LONG_RUN.sub(lambda run: run.group()[:SHOWN_CHARACTERS] + "…", text)
    return text if len(text) <= MESSAGE_CHARACTERS else text[:MESSAGE_CHARACTERS] + "…"


def _cut_quoted(found: re.Match[str]) -> str:
    quote = found.group()[0]
    return f"{quote}{found.group(1)[:SHOWN_CHARACTERS]}…{quote}"


def did_you_mean(word: str, candidates: Iterable[object]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or nothing.

    Cheap on any input: a word longer than :data:`SUGGESTION_CHARACTERS` gets
    no suggestion, and candidates past that length (or past the first
    :data:`SUGGESTION_CANDIDATES`) are not compared.
    """
    if len(word) > SUGGESTION_CHARACTERS:
        return ""
    names = (str(c) for c in islice(candidates, SUGGESTION_CANDIDATES) if _short(c))
    close = difflib.get_close_matches(word, sorted(set(names)), n=1)
    return f" (did you mean {shown(close[0])}?)" if close else ""


def _short(candidate: Any) -> bool:
    return not isinstance(candidate, str) or len(candidate) <= SUGGESTION_CHARACTERS


class CapacityError(Exception):
    """Base class for errors the user can fix."""


class InvalidValue(CapacityError):
    """A single value or cross-reference is wrong.

    Raised by the domain objects, which know what is wrong but not where the
    value came from; readers catch it and re-raise it as :class:`ScenarioError`
    with the file and line attached.

    Parameters
    ----------
    place
        Key path of the bad value, e.g. ``work[vs-tender].load``.
    message
        What is wrong and, where it helps, what to do.
    """

    def __init__(self, place: str, message: str):
        # Shown cleaned, kept as given: a reader matches ``place`` against its own key paths.
        super().__init__(plain_message(f"{place}: {message}" if place else message))
        self.place = place
        self.message = message


class InvalidValues(InvalidValue):
    """Several values or cross-references are wrong: every one found, not only the first.

    Raised by :meth:`capacity.domain.scenario.Scenario._validate`; ``place`` and
    ``message`` are the first problem's, ``problems`` all of them.
    """

    def __init__(self, problems: list[InvalidValue]):
        super().__init__(problems[0].place, problems[0].message)
        self.problems = problems


class ScenarioError(CapacityError):
    """Bad input, located in a file.

    Parameters
    ----------
    file
        The file the value came from.
    place
        Key path (YAML) or sheet/row/column (Excel); may be empty for a
        whole-file problem such as a syntax error.
    message
        What is wrong.
    line
        1-based line number in the file, when known.

    The attributes hold ``file``, ``place`` and ``message`` as they are shown:
    passed through :func:`printable` and :func:`plain_message`.
    """

    def __init__(self, file: str, place: str, message: str, line: int | None = None):
        file, place, message = printable(file), plain_message(place), plain_message(message)
        self.file = file
        self.place = place
        self.message = message
        self.line = line
        where = file if line is None else f"{file}:{line}"
        super().__init__(f"{where}: {place}: {message}" if place else f"{where}: {message}")


MAX_PROBLEMS_SHOWN = 20
"""A bad scenario lists this many problems, then says how many more there are."""


class ScenarioErrors(ScenarioError):
    """Every problem found in a scenario, each located; one line each when shown.

    ``file``, ``place``, ``message`` and ``line`` are the first problem's, so a
    caller that handles one :class:`ScenarioError` still sees where to start.
    """

    def __init__(self, problems: list[ScenarioError]):
        first = problems[0]
        super().__init__(first.file, first.place, first.message, first.line)
        self.problems = problems
        shown = [ScenarioError.__str__(p) for p in problems[:MAX_PROBLEMS_SHOWN]]
        if len(problems) > MAX_PROBLEMS_SHOWN:
            shown.append(f"... and {len(problems) - MAX_PROBLEMS_SHOWN} more")
        self.args = ("\n".join(shown),)

    @classmethod
    def of(cls, problems: list[ScenarioError]) -> ScenarioError:
        """The one problem itself, or all of them together."""
        return problems[0] if len(problems) == 1 else cls(problems)


class OutputError(CapacityError):
    """An output location cannot be used (exists, not writable, ...)."""

    def __init__(self, message: str):
        super().__init__(plain_message(message))


class PlanInvalid(CapacityError):
    """A plan failed independent verification; it must never be reported."""

    def __init__(self, option_id: str, violations: list[str]):
        self.option_id = option_id
        self.violations = violations
        shown = "\n  ".join(violations[:20])
        more = f"\n  ... and {len(violations) - 20} more" if len(violations) > 20 else ""
        super().__init__(f"plan for {option_id} failed verification:\n  {shown}{more}")


class SolverFailure(CapacityError):
    """The solver reported something that should be impossible (a bug, not bad input)."""


class WorkerStopped(CapacityError):
    """A helper process stopped without finishing (killed, or out of memory): not bad
    input, and nothing is written."""
