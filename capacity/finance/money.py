"""Money as a person reads it: the one formatter for every report, chart and message.

Files meant for programs (CSV, the workbook's cells) keep money numeric; only
text meant for people goes through :func:`format_money`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from capacity.finance.pay import to_pounds

POUND = Decimal(1)


def format_money(amount: Decimal, pence: bool = True) -> str:
    """``amount`` in pounds as text: ``£1,234.56``, ``-£1,234.56``, ``£0.00``.

    The sign comes before the pound sign, thousands are separated by commas.
    Rounding happens here, once, at the edge, and nowhere before: half up (away
    from zero on a half) to the penny, by :func:`capacity.finance.pay.to_pounds`;
    or, with ``pence=False`` (chart labels and axes, where pence are noise), half
    up to the whole pound, ``£1,235``. An amount that rounds to zero is shown
    without a sign.

    Parameters
    ----------
    amount
        Pounds, unrounded or already rounded to the penny.
    pence
        Whether to show pence (the default) or whole pounds.
    """
    rounded = to_pounds(amount) if pence else amount.quantize(POUND, rounding=ROUND_HALF_UP)
    digits = f"{abs(rounded):,.2f}" if pence else f"{abs(rounded):,.0f}"
    return f"{'-' if rounded < 0 else ''}£{digits}"
