"""What a risk study draws: how ranges are sampled, and the chances of events.

A scenario's deterministic plan uses one point of each range. A risk study
(``capacity risk``) instead draws every range, each bid's outcome, the
recruitment outcome for a new post and unplanned absences, many times. This
module holds the figures that govern those draws - one small, flat,
frozen dataclass, :class:`Uncertainty`, kept on :attr:`Scenario.uncertainty`.
It lives in the domain (not in :mod:`capacity.risk`) because the scenario
carries it; the drawing itself is in :mod:`capacity.risk.distributions`.

Every default is either stated by the decision record (``source``) or an
assumption with its reasoning, and every one can be overridden in the
scenario file's ``uncertainty:`` section (docs/scenario-format.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from capacity.domain.estimate import FTE_STEP, Estimate
from capacity.domain.provenance import Provenance, ProvenanceKind
from capacity.errors import InvalidValue


class RangeDistribution(StrEnum):
    """How a ``[low, high]`` range is drawn.

    ``uniform``: every value in the range is equally likely. ``triangular``:
    most likely at the midpoint, falling to nothing at either end.
    """

    UNIFORM = "uniform"
    TRIANGULAR = "triangular"


def _source(text: str) -> Provenance:
    return Provenance(ProvenanceKind.SOURCE, text)


def _assumption(text: str) -> Provenance:
    return Provenance(ProvenanceKind.ASSUMPTION, text)


DEFAULT_PROVENANCE: dict[str, Provenance] = {
    "range_distribution": _assumption(
        "The record gives ranges (40-50%, 8-9 months, 50-100%) without a most likely value; "
        "uniform claims no more than the range itself"
    ),
    "share_step": _assumption(
        "The record states every share of a person to the nearest 5% of an FTE (paras 14, 15, "
        "22, 30), so drawn loads are too"
    ),
    "bid_win_probability": _source("para 11a: 8 of 9 funding bids won in 2020/21"),
    "holder_appointed_probability": _assumption(
        "Paras 24 (options 3-4) and 26 name both outcomes - the current post-holder appointed, "
        "or not applying or unsuccessful - without weighing them: an even chance"
    ),
    "external_delay_weeks": _assumption(
        "Paras 26-27: recruiting externally leaves a gap in resource; advertising, interviews "
        "and notice take two to four months, as in what-if-recruitment-gap.yaml"
    ),
    "external_induction_weeks": _assumption(
        "Para 26: the delay of inducting a new member of staff; one to three months for an "
        "external recruit new to the portfolio (an appointed post-holder needs none)"
    ),
    "external_induction_capacity": _assumption(
        "Half capacity while learning the portfolio, as the options assume for a new starter"
    ),
    "absence_probability": _assumption(
        "Para 7 warns that absences build a backlog but gives no rate; availability already "
        "allows for ordinary leave and sickness, so this is the rarer long spell: one chance "
        "in ten per person per year. Override with local HR figures"
    ),
    "absence_weeks": _assumption(
        "A long absence (para 7: sickness, family emergencies) of two to eight weeks"
    ),
}
"""Where each default figure comes from; keys are :class:`Uncertainty` field names."""


def _default(low: str, high: str, name: str) -> Estimate:
    return Estimate(Decimal(low), Decimal(high), DEFAULT_PROVENANCE[name])


# Estimates are frozen, so one default instance can be shared by every Uncertainty.
EXTERNAL_DELAY = _default("8", "16", "external_delay_weeks")
EXTERNAL_INDUCTION_WEEKS = _default("4", "12", "external_induction_weeks")
EXTERNAL_INDUCTION_CAPACITY = _default("0.5", "0.5", "external_induction_capacity")
ABSENCE_WEEKS = _default("2", "8", "absence_weeks")


@dataclass(frozen=True)
class Uncertainty:
    """The figures a risk study draws with; defaults from the decision record.

    Parameters
    ----------
    range_distribution
        How every ``[low, high]`` range of the scenario (loads, durations, lags,
        availability, induction, recruitment gaps) is drawn.
    share_step
        Drawn shares of a person (loads, availability, induction capacity) are
        rounded to this step (FTE), then kept within their range.
    bid_win_probability
        Chance that a bid (``kind: bid``) without its own ``win_probability`` is won.
    holder_appointed_probability
        Chance that the current post-holder is appointed to a new post: it is then
        filled on its first day, with no recruitment gap and no induction (they
        know the job). Otherwise an external recruit fills it (see below).
    external_delay_weeks
        Weeks before an external recruit starts, from the post's first day, when
        the option gives no ``recruitment_gap`` of its own (an option's own gap
        is used instead, never added to this).
    external_induction_weeks, external_induction_capacity
        An external recruit's induction: its length, and the share of normal
        capacity given during it (replacing the option's own induction).
    absence_probability
        Chance that a person has one long unplanned absence in the horizon.
    absence_weeks
        Length of such an absence; it starts in a week drawn uniformly.
    provenance
        Where each figure came from, by field name.
    """

    range_distribution: RangeDistribution = RangeDistribution.UNIFORM
    share_step: Decimal = Decimal("0.05")
    bid_win_probability: Decimal = Decimal("0.889")
    holder_appointed_probability: Decimal = Decimal("0.5")
    external_delay_weeks: Estimate = EXTERNAL_DELAY
    external_induction_weeks: Estimate = EXTERNAL_INDUCTION_WEEKS
    external_induction_capacity: Estimate = EXTERNAL_INDUCTION_CAPACITY
    absence_probability: Decimal = Decimal("0.1")
    absence_weeks: Estimate = ABSENCE_WEEKS
    provenance: dict[str, Provenance] = field(
        default_factory=lambda: dict(DEFAULT_PROVENANCE), compare=False
    )

    def __post_init__(self) -> None:
        for name in (
            "bid_win_probability",
            "holder_appointed_probability",
            "absence_probability",
        ):
            value = getattr(self, name)
            if not Decimal(0) <= value <= Decimal(1):
                raise InvalidValue(
                    PLACES[name], f"a probability is between 0 and 1 (0.5 or 50%), got {value}"
                )
        if not Decimal(0) < self.share_step <= Decimal(1):
            raise InvalidValue(
                PLACES["share_step"], f"must be above 0 and at most 1 FTE, got {self.share_step}"
            )
        if self.share_step != self.share_step.quantize(FTE_STEP):
            raise InvalidValue(
                PLACES["share_step"], f"{self.share_step} is finer than {FTE_STEP} FTE"
            )
        for name in ("external_delay_weeks", "external_induction_weeks", "absence_weeks"):
            weeks: Estimate = getattr(self, name)
            if weeks.low < 0:
                raise InvalidValue(PLACES[name], f"must be 0 weeks or more, got {weeks.describe()}")
        if self.absence_weeks.low < 1:
            raise InvalidValue(
                PLACES["absence_weeks"],
                f"an absence lasts at least 1 week, got {self.absence_weeks.describe('weeks')}",
            )
        share = self.external_induction_capacity
        if not (Decimal(0) < share.low and share.high <= Decimal(1)):
            raise InvalidValue(
                PLACES["external_induction_capacity"],
                f"must be above 0 and at most 1, got {share.describe()}",
            )

    def figures(self) -> list[tuple[str, str, Provenance]]:
        """Every figure as (key path in the file, value shown, provenance), for reports."""
        shown: dict[str, str] = {
            "range_distribution": self.range_distribution.value,
            "share_step": f"{self.share_step.normalize():f} FTE",
            "bid_win_probability": f"{self.bid_win_probability.normalize():f}",
            "holder_appointed_probability": f"{self.holder_appointed_probability.normalize():f}",
            "external_delay_weeks": self.external_delay_weeks.describe("weeks"),
            "external_induction_weeks": self.external_induction_weeks.describe("weeks"),
            "external_induction_capacity": self.external_induction_capacity.describe(),
            "absence_probability": f"{self.absence_probability.normalize():f}",
            "absence_weeks": self.absence_weeks.describe("weeks"),
        }
        return [
            (f"uncertainty.{PLACES[name]}", value, self.provenance.get(name, _NO_CLAIM))
            for name, value in shown.items()
        ]


PLACES = {
    "range_distribution": "ranges",
    "share_step": "share_step",
    "bid_win_probability": "bids.win_probability",
    "holder_appointed_probability": "recruitment.holder_appointed",
    "external_delay_weeks": "recruitment.external_delay",
    "external_induction_weeks": "recruitment.external_induction.weeks",
    "external_induction_capacity": "recruitment.external_induction.capacity",
    "absence_probability": "absence.probability",
    "absence_weeks": "absence.length",
}
"""Key path of each field in the file's ``uncertainty:`` section (for messages)."""

_NO_CLAIM = Provenance(ProvenanceKind.INPUT)
