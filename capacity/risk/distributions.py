"""Drawing one value: a range, a share of a person, a chance.

Every draw takes a uniform number ``u`` in [0, 1) that the caller took from
the sample's own random stream (see :mod:`capacity.risk.sampling`), so the
mapping from ``u`` to a value is pure and testable: the same ``u`` always
gives the same value.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from capacity.domain.estimate import FTE_STEP, Estimate
from capacity.domain.uncertainty import RangeDistribution


def range_value(estimate: Estimate, u: float, shape: RangeDistribution) -> Decimal:
    """The value at quantile ``u`` of the range (the point itself when it is not a range).

    ``uniform``: ``low + u (high - low)``. ``triangular``: the inverse of a
    symmetric triangular distribution on [low, high], peaked at the midpoint.
    """
    if not estimate.is_range:
        return estimate.low
    if shape is RangeDistribution.TRIANGULAR:
        # Symmetric triangle: F^-1(u) = low + w sqrt(u / 2) below the middle, mirrored above.
        share = math.sqrt(u / 2) if u < 0.5 else 1 - math.sqrt((1 - u) / 2)
    else:
        share = u
    value = estimate.low + (estimate.high - estimate.low) * Decimal(repr(share))
    return min(estimate.high, max(estimate.low, value))


def share_value(estimate: Estimate, u: float, shape: RangeDistribution, step: Decimal) -> Decimal:
    """A share of a person (a load, availability, induction capacity) drawn from its range.

    Rounded half up to a multiple of ``step`` and then kept within the range
    (so a range whose ends are on the step never yields a value outside it),
    and exact to :data:`~capacity.domain.estimate.FTE_STEP`.
    """
    if not estimate.is_range:
        return estimate.low
    value = range_value(estimate, u, shape)
    stepped = (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    kept = min(estimate.high, max(estimate.low, stepped))
    return kept.quantize(FTE_STEP, rounding=ROUND_HALF_UP)


def happens(probability: Decimal, u: float) -> bool:
    """An event of the given probability: ``u < p`` (so p = 0 never, p = 1 always)."""
    return Decimal(repr(u)) < probability
