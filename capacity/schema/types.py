"""The value types of a scenario file: numbers, FTE, durations, dates, text, ranges.

Each is an ``Annotated`` type whose validator accepts every spelling the
format allows (``0.5``, ``"50%"``, ``"8 months"``, ``[0.4, 0.5]``,
``"8-9 months"``) and turns it into one plain value; a spelling it does not
accept gives one plain-words error (``'half' is not a number``). They check
shapes only: whether a value makes sense (a load above 0, a deadline after
the release) is the domain's rule.
"""

from __future__ import annotations

import re
import typing
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from capacity.domain.estimate import FTE_STEP

LARGEST_NUMBER = 10**9
"""No salary, FTE or percentage in a scenario comes near this; larger is a typing error."""
LONGEST_WEEKS = 5200
"""A hundred years: any longer duration is a typing error."""
WEEKS_PER_MONTH = Decimal(52) / Decimal(12)
"""A month is 52/12 weeks; durations are then rounded to whole weeks (half up)."""

_RANGE_TEXT = re.compile(r"\s*(-?[\d.]+)\s*-\s*([\d.]+)\s*(%|\s+\w+)?\s*")


def shown(value: Any) -> str:
    """A value as a short phrase for an error message."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value.isoformat() if isinstance(value, date) else value)
    return text if len(text) <= 40 else text[:37] + "..."


def _error(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message)


def _given(value: Any) -> str:
    """The value as a message shows it; an empty YAML value or cell reads "nothing"."""
    return "nothing" if value is None else shown(value)


def to_number(value: Any) -> Decimal:
    """``12``, ``2.5`` or ``"88.9%"`` as an exact :class:`Decimal` (a percentage / 100)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (list, tuple)):
        raise _error("number", "must be one number, not a range")
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _error("number", f"{_given(value)} is not a number")
    text = str(value).strip()
    try:
        number = Decimal(text.rstrip("%"))
    except InvalidOperation:
        raise _error("number", f"{_given(value)} is not a number") from None
    if not number.is_finite() or abs(number) > LARGEST_NUMBER:
        raise _error(
            "number", f"{shown(value)} is out of range (at most {LARGEST_NUMBER:,})"
        ) from None
    return number / 100 if text.endswith("%") else number


def to_fte(value: Any) -> Decimal:
    """A share of a person: a number, exact to :data:`FTE_STEP`."""
    number = to_number(value)
    if number != number.quantize(FTE_STEP):
        raise _error("fte", f"{number} is finer than {FTE_STEP} FTE")
    return number


def to_count(value: Any) -> int:
    """A whole number of at least 1 (people, samples)."""
    number = to_number(value)
    if number != number.to_integral_value() or number < 1:
        raise _error("count", f"{shown(value)} is not a whole number of at least 1")
    return int(number)


def to_weeks(value: Any) -> Decimal:
    """``"4 weeks"`` or ``"8 months"`` as weeks (a month is 52/12 weeks)."""
    if isinstance(value, Decimal):
        return value
    match = re.fullmatch(r"\s*(-?[\d.]+)\s*(weeks?|months?)\s*", str(value))
    if isinstance(value, bool) or not isinstance(value, (str, int, float)) or match is None:
        raise _error(
            "duration", f"{_given(value)} is not a duration; write '4 weeks' or '8 months'"
        )
    try:
        number = Decimal(match[1])
    except InvalidOperation:
        raise _error("duration", f"{_given(value)} is not a duration") from None
    if number < 0:
        raise _error("duration", f"{shown(value)} is negative")
    weeks = number * WEEKS_PER_MONTH if match[2].startswith("month") else number
    if weeks > LONGEST_WEEKS:
        raise _error("duration", f"{shown(value)} is longer than {LONGEST_WEEKS:,} weeks")
    return weeks


def to_date(value: Any) -> date:
    """A calendar date: a YAML or Excel date, or text such as ``2021-04-01``."""
    if isinstance(value, datetime):
        raise _error("date", f"give a date without a time, e.g. {value:%Y-%m-%d}")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError as exc:
            raise _error("date", f"{_given(value)} is not a date ({exc})") from None
    raise _error("date", f"{_given(value)} is not a date; write it as 2021-04-01")


def to_text(value: Any) -> str:
    """Non-empty text (an id, a name); a number typed in a cell is its text."""
    if not isinstance(value, (str, int)) or isinstance(value, bool) or str(value).strip() == "":
        raise _error("text", f"must be non-empty text, not {shown(value)}")
    return str(value)


def to_free_text(value: Any) -> str:
    """Optional free text such as a description or notes."""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise _error("free_text", f"must be text, not {shown(value)}")
    return str(value)


def to_flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _error("flag", f"must be true or false (yes or no), not {shown(value)}")
    return value


def to_words(value: Any) -> list[str]:
    """A list of words; in a workbook cell, words separated by commas or semicolons."""
    if isinstance(value, str):
        return [word.strip() for word in re.split(r"[;,]", value) if word.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _error("words", f"must be a list of words, e.g. [lead], not {shown(value)}")
    return value


def to_provenance_text(value: Any) -> str:
    """A source or an assumption: any text that is not empty."""
    if not isinstance(value, str):
        raise _error("provenance", f"must be text, e.g. 'para 14', not {shown(value)}")
    if not value.strip():
        raise _error("provenance", "is empty; say where the figure comes from, or why")
    return value


def range_of(convert: Any) -> Any:
    """A validator of ``[low, high]`` (or ``"8-9 months"``, ``"0.4-0.5"``, one value)."""

    def validate(value: Any) -> tuple[Any, Any]:
        if isinstance(value, tuple):
            return value
        if isinstance(value, str) and (match := _RANGE_TEXT.fullmatch(value)):
            unit = match[3] or ""
            value = [f"{match[1]}{unit}", f"{match[2]}{unit}"]
        if isinstance(value, list):
            if len(value) != 2:
                raise _error("range", f"a range is [low, high], found {len(value)} values")
            return (value[0], value[1])
        return (value, value)

    return validate


def validators_of(annotation: Any) -> set[Any]:
    """Every validator function inside a type: under ``Optional``, ``Annotated``, a
    range's ends and a sourced value's ``value`` (to tell a duration from a share)."""
    found: set[Any] = set()
    for meta in getattr(annotation, "__metadata__", ()):
        if callable(getattr(meta, "func", None)):
            found.add(meta.func)
    fields = getattr(annotation, "model_fields", None)
    if isinstance(annotation, type) and fields and "value" in fields:
        found |= validators_of(fields["value"].annotation)
        for meta in fields["value"].metadata:
            if callable(getattr(meta, "func", None)):
                found.add(meta.func)
    for argument in typing.get_args(annotation):
        found |= validators_of(argument)
    return found


def one_of(choices: type) -> Any:
    """A validator of an enum's value, naming the choices (and the closest) when wrong."""
    from capacity.errors import did_you_mean

    values = [member.value for member in choices]  # type: ignore[attr-defined]

    def validate(value: Any) -> Any:
        if not isinstance(value, str) or value not in values:
            # a suggestion only for a short word: a huge value is not a typing slip
            typed = isinstance(value, str) and len(value) <= 100
            raise _error(
                "choice",
                f"{_given(value)} is not one of {', '.join(values)}"
                + (did_you_mean(value, values) if typed else ""),
            )
        return choices(value)

    return validate


Number = Annotated[Decimal, BeforeValidator(to_number)]
Fte = Annotated[Decimal, BeforeValidator(to_fte)]
Weeks = Annotated[Decimal, BeforeValidator(to_weeks)]
Day = Annotated[date, BeforeValidator(to_date)]
Text = Annotated[str, BeforeValidator(to_text)]
FreeText = Annotated[str, BeforeValidator(to_free_text)]
Flag = Annotated[bool, BeforeValidator(to_flag)]
Count = Annotated[int, BeforeValidator(to_count)]
Words = Annotated[list[str], BeforeValidator(to_words)]
ProvenanceText = Annotated[str, BeforeValidator(to_provenance_text)]
FteRange = Annotated[tuple[Fte, Fte], BeforeValidator(range_of(to_fte))]
NumberRange = Annotated[tuple[Number, Number], BeforeValidator(range_of(to_number))]
WeeksRange = Annotated[tuple[Weeks, Weeks], BeforeValidator(range_of(to_weeks))]
