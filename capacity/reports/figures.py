"""Figures as a person reads them: the one rounding rule for FTE-weeks and shares.

The rule, stated once: **a displayed figure is rounded once, half up (a half goes
away from zero), by** ``Decimal.quantize`` -- FTE-weeks to one decimal place,
shares (loads, chances) to a whole percent. 31.85 shows as 31.9 and 124.15 as
124.2. A weekly load in FTE (0.45 FTE) is an input, shown as written.

Python's own ``f"{x:.1f}"`` rounds a ``Decimal`` half to even (31.85 -> 31.8, but
124.15 -> 124.2) and a ``float`` by its binary value, so every terminal table,
the workbook and the reports go through these functions instead. A ``float`` is
read by its shortest decimal form (``str(0.1)`` is ``"0.1"``), so 31.85 typed as
a float rounds like 31.85 typed as a ``Decimal``.

Files meant for programs (CSV) keep their figures unrounded or rounded as they
say; money has its own rule in :mod:`capacity.finance.money`.
"""

from __future__ import annotations

import re
import textwrap
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

FIGURE_ROUNDING_RULE = "FTE-weeks rounded to 0.1 and shares to 1%, half up"
"""The rule in words, for footnotes under tables."""

TENTH = Decimal("0.1")
WHOLE = Decimal(1)

Number = Decimal | float | int | Fraction


def _exact(value: Number) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, float):
        return Decimal(str(value))  # the float's shortest decimal form, not its binary value
    return Decimal(value)


def _no_negative_zero(rounded: Decimal) -> Decimal:
    return rounded.copy_abs() if rounded.is_zero() else rounded


def round_fte_weeks(value: Number) -> Decimal:
    """``value`` rounded to one decimal place, half up: ``31.85 -> 31.9``, ``124.15 -> 124.2``.

    Parameters
    ----------
    value
        FTE-weeks, unrounded.
    """
    return _no_negative_zero(_exact(value).quantize(TENTH, rounding=ROUND_HALF_UP))


def format_fte_weeks(value: Number) -> str:
    """FTE-weeks as text, one decimal place, half up: ``"31.9"``, ``"1,240.5"``.

    Thousands are separated by commas; a value that rounds to zero has no sign.
    The unit is left to the heading or sentence around it.

    Parameters
    ----------
    value
        FTE-weeks, unrounded.
    """
    return f"{round_fte_weeks(value):,.1f}"


def round_share(value: Number) -> Decimal:
    """A share (0.625 is 62.5%) rounded to a whole percent, half up, as a share: ``0.63``."""
    percent = _exact(value) * 100
    return _no_negative_zero(percent.quantize(WHOLE, rounding=ROUND_HALF_UP)) / 100


def format_share(value: Number) -> str:
    """A share as a whole percent, half up: ``0.625 -> "63%"``, ``0.125 -> "13%"``.

    Parameters
    ----------
    value
        A fraction, 1 for all (100%).
    """
    percent = _no_negative_zero((_exact(value) * 100).quantize(WHOLE, rounding=ROUND_HALF_UP))
    return f"{percent:,.0f}%"


def format_count(count: int, singular: str, plural: str | None = None) -> str:
    """``3 items``, ``1 item``: a count with its noun, so a count never stands alone."""
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


RECOMMENDED = re.compile(r"\s*\(recommended\)", re.IGNORECASE)
"""How a scenario marks the option its paper recommends: ``(recommended)`` in the name."""


def option_label(name: str) -> str:
    """An option's name as a reader sees it: ``(recommended)`` said to be the paper's view,
    never the tool's."""
    return RECOMMENDED.sub(" (recommended in the paper)", name).strip()


def short_option_name(name: str) -> str:
    """An option's name as a column heading: the part before a colon (``"Option 4"`` of
    ``"Option 4: a permanent full-time Commissioning Officer"``), else the whole name."""
    head, colon, _ = name.partition(":")
    return head.strip() if colon and head.strip() else option_label(name)


def option_headings(names: list[str]) -> list[str]:
    """Column headings for options named ``names``: each short name, or every full name if
    two short names would be the same."""
    short = [short_option_name(n) for n in names]
    return short if len(set(short)) == len(short) else [option_label(n) for n in names]


def plan_quality(proven: bool, gap: Decimal, short: bool = False) -> str:
    """How good a plan is, in words, by the one rounding rule: ``the best possible plan``;
    ``a plan within 3% of the best possible`` (``within 1%`` for a gap that rounds to
    0%); or, when the search found no bound worth the name (a gap that rounds to 100%),
    ``a plan not proven (no useful bound)`` rather than "within 100%". ``short``: the
    same for a table cell (``yes, proven``, ``within 3%``, ``not proven (no useful
    bound)``)."""
    shown = round_share(gap)
    if proven:
        return "yes, proven" if short else "the best possible plan"
    if shown >= 1:
        return "not proven (no useful bound)" if short else "a plan not proven (no useful bound)"
    within = f"within {format_share(max(gap, Decimal('0.01')))}"
    return within if short else f"a plan {within} of the best possible"


def headed_line(heading: str, text: str, width: int) -> str:
    """``  Option 4: text ...`` wrapped to ``width``, its next lines indented under the text
    (``nothing`` when there is no text): a list per option under a terminal table."""
    return textwrap.fill(
        text or "nothing",
        width=width,
        initial_indent=f"  {heading}: ",
        subsequent_indent=" " * (len(heading) + 4),
        break_on_hyphens=False,
    )
