"""Work items: what the team must or may deliver, when and at what load."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from capacity.domain.estimate import Estimate, PointRule
from capacity.domain.provenance import check_id
from capacity.errors import InvalidValue


class WorkKind(StrEnum):
    TENDER = "tender"
    NEEDS_ASSESSMENT = "needs assessment"
    BID = "bid"
    IMPLEMENTATION = "implementation"
    MOBILISATION = "mobilisation"
    REVIEW = "review"
    BUSINESS_AS_USUAL = "business as usual"
    PROJECT = "project"
    SUPPORT = "support"


class Priority(StrEnum):
    """Priority of optional work; each level counts twice the one below."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def weight(self) -> int:
        return {"high": 4, "medium": 2, "low": 1}[self.value]


class Outcome(StrEnum):
    """The known result of a bid (a back-test's year is over): it overrides ``--bids``."""

    WON = "won"
    LOST = "lost"


class BidMode(StrEnum):
    """How the deterministic plan treats bids whose outcome is not known.

    ``expected``: each bid's delivery is its expected demand, win probability x the
    team's share of the delivery (the mean of the risk study's samples); ``won``: every
    bid is won (the stretch case); ``lost``: every bid is lost, only the writing remains
    (the floor). See :func:`capacity.domain.problem.build_problem`.
    """

    EXPECTED = "expected"
    WON = "won"
    LOST = "lost"


class Handover(StrEnum):
    """Whether ongoing work may pass between people, and how often.

    ``none``: one person does the whole item. ``monthly`` / ``quarterly``:
    the item is split at calendar month (or financial quarter) boundaries
    and each part may go to a different person, as portfolio work does when
    a post ends.
    """

    NONE = "none"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


class Owner(StrEnum):
    """How firmly owned work (``assigned_to``) stays with its owners.

    ``fixed``: only the owners may do it. ``preferred``: anyone eligible may,
    but the plan keeps it with the owners where that costs no delivered work,
    and reports each move.
    """

    FIXED = "fixed"
    PREFERRED = "preferred"


@dataclass(frozen=True)
class After:
    """Precedence: may start only ``lag`` weeks after ``item`` ends, and only if it is done."""

    item: str
    lag: Estimate = field(default_factory=lambda: Estimate.exact(0))

    def __post_init__(self) -> None:
        if self.lag.low < 0:
            raise InvalidValue("after.lag", f"must be 0 or more weeks, got {self.lag.describe()}")

    def lag_weeks(self, rule: PointRule) -> int:
        return self.lag.weeks_point(rule, minimum=0)


@dataclass(frozen=True)
class WorkItem:
    """One piece of work.

    Parameters
    ----------
    id, name
        Unique id and the name shown in reports.
    kind
        The kind of work.
    load
        FTE needed each week while the item runs, in (0, 1].
    duration_weeks
        How long it runs; ``None`` means the whole window (fixed timing).
    release, deadline
        Earliest start and latest finish (inclusive); ``None`` means the
        horizon's start or end.
    required_skill
        Only staff with this skill may do it.
    mandatory
        Mandatory work is never traded for optional work.
    priority
        Weight of optional work in the objective.
    after
        Items that must finish first (with a lag); this item needs them done.
    alongside
        Starts in the same week as this item, and is done if and only if it
        is (a share of the same piece of work, e.g. the assistant's support
        share of a tender).
    committed_to
        Done if and only if this item is done, e.g. the post-award
        implementation of a bid: a won bid must be delivered.
    handover
        Whether ongoing work may pass between people (see :class:`Handover`).
    win_probability
        For bids, the chance of winning; on any other item (the delivery of a bid
        already submitted) the item exists only if won. Scales the delivery's load
        and the bid's weight (see :class:`BidMode`) and drives risk studies.
    partner_share
        For the delivery of a bid, the part that the team does not do itself
        (partners, grant-funded staff), in [0, 1): the team's load is ``1 -
        partner_share`` of ``load``.
    outcome
        The bid's known outcome, if any (a back-test): it overrides ``--bids``.
        For bids, the chance of winning (used by risk studies).
    assigned_to
        The owners: staff ids of the people whose work this is (a portfolio
        area's lead); empty: no owner.
    owner
        Whether only the owners may do it (see :class:`Owner`).
    """

    id: str
    name: str
    kind: WorkKind
    load: Estimate
    duration_weeks: Estimate | None = None
    release: date | None = None
    deadline: date | None = None
    required_skill: str | None = None
    mandatory: bool = False
    priority: Priority = Priority.MEDIUM
    after: tuple[After, ...] = ()
    alongside: str | None = None
    committed_to: str | None = None
    handover: Handover = Handover.NONE
    win_probability: Estimate | None = None
    partner_share: Estimate | None = None
    outcome: Outcome | None = None
    assigned_to: tuple[str, ...] = ()
    owner: Owner = Owner.PREFERRED
    notes: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        check_id(self.id)
        if self.load.low <= 0 or self.load.high > 1:
            raise InvalidValue(
                "load", f"must be above 0 and at most 1 FTE, got {self.load.describe()}"
            )
        if self.duration_weeks is not None and self.duration_weeks.low <= 0:
            raise InvalidValue("duration", "must be longer than zero")
        if self.release and self.deadline and self.deadline < self.release:
            raise InvalidValue(
                "deadline", f"deadline {self.deadline} is before release {self.release}"
            )
        if self.handover is not Handover.NONE and self.duration_weeks is not None:
            raise InvalidValue(
                "handover",
                "only ongoing work (no duration: it runs for its whole window) is handed over",
            )
        if self.win_probability is not None and not (
            Decimal(0) <= self.win_probability.low <= self.win_probability.high <= Decimal(1)
        ):
            raise InvalidValue(
                "win_probability", f"must be between 0 and 1, got {self.win_probability.describe()}"
            )
        share = self.partner_share
        if share is not None and not Decimal(0) <= share.low <= share.high < Decimal(1):
            raise InvalidValue(
                "partner_share",
                "must be at least 0 and below 1 (1 would leave the team nothing to deliver: "
                f"drop post_award instead), got {share.describe()}",
            )
        if share is not None and self.kind is WorkKind.BID:
            raise InvalidValue(
                "partner_share",
                "is the part of a bid's delivery done by partners: give it under post_award",
            )
        if share is not None and self.win_probability is None and self.committed_to is None:
            raise InvalidValue(
                "partner_share",
                "only the delivery of a bid has a partner share (an item with a "
                "win_probability, or a bid's post_award)",
            )
        if (
            self.outcome is not None
            and self.kind is not WorkKind.BID
            and (self.win_probability is None)
        ):
            raise InvalidValue(
                "outcome",
                "only a bid, or the delivery of a bid already submitted (an item with a "
                "win_probability), has an outcome",
            )
        if self.handover is not Handover.NONE and (
            self.after or self.alongside or self.committed_to
        ):
            raise InvalidValue(
                "handover",
                "ongoing work handed over between people cannot also follow, run alongside "
                "or come with another item; drop 'handover' or the dependency",
            )
        if len(set(self.assigned_to)) != len(self.assigned_to):
            raise InvalidValue("assigned_to", "names the same person twice")
        if self.owner is Owner.FIXED and not self.assigned_to:
            raise InvalidValue(
                "owner", "'fixed' keeps the work with its owners, but assigned_to names none"
            )
        depends = [a.item for a in self.after] + [
            x for x in (self.alongside, self.committed_to) if x
        ]
        if self.id in depends:
            raise InvalidValue("after", f"{self.id} cannot depend on itself")
