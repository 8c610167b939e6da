"""Errors a user can act on.

Every error raised for bad input names the file, the place in it (key path
and line for YAML) and what is wrong. The command line turns these into one
line on stderr and exit status 2.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: str, candidates: Iterable[object]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or nothing."""
    close = difflib.get_close_matches(word, sorted(str(c) for c in candidates), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


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
        super().__init__(f"{place}: {message}" if place else message)
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
    """

    def __init__(self, file: str, place: str, message: str, line: int | None = None):
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
