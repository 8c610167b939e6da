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
    effort
        Work given as total effort, FTE-weeks, to deliver inside the window (instead
        of one block of ``duration``): it is planned in stints of ``load`` for
        ``stint_weeks`` each, which may pause and resume, run side by side and pass
        between people (see :class:`EffortRule`). ``None``: one block.
    stint_weeks
        How long one stint runs (default :data:`DEFAULT_STINT_WEEKS`).
    max_load
        The most FTE the item may take in any week, everyone together (default
        ``load``: one stint at a time).
    max_people
        How many people may share it (default 1).
    min_share
        The least effort, FTE-weeks, that a person who takes part gives (of a bid's
        delivery: scaled by the team's share, as the effort is).
    partial
        Whether part of the effort counts when not all of it fits (default yes;
        the delivery of a bid comes whole, as the bid does).
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
    effort: Estimate | None = None
    stint_weeks: Estimate | None = None
    max_load: Estimate | None = None
    max_people: int | None = None
    min_share: Estimate | None = None
    partial: bool | None = None
    notes: str = field(default="", compare=False)

    @property
    def by_effort(self) -> bool:
        """Whether the item is given as total effort, planned in stints."""
        return self.effort is not None

    @property
    def whole(self) -> bool:
        """Whether an effort item counts only when all of it is delivered."""
        if self.partial is not None:
            return not self.partial
        return self.committed_to is not None

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
        self._check_effort()
        depends = [a.item for a in self.after] + [
            x for x in (self.alongside, self.committed_to) if x
        ]
        if self.id in depends:
            raise InvalidValue("after", f"{self.id} cannot depend on itself")

    def _check_effort(self) -> None:
        effort_only = {
            "stint": self.stint_weeks,
            "max_load": self.max_load,
            "max_people": self.max_people,
            "min_share": self.min_share,
            "partial": self.partial,
        }
        if self.effort is None:
            for key, value in effort_only.items():
                if value is not None:
                    raise InvalidValue(
                        key, "applies only to work given as effort; give effort (FTE-weeks)"
                    )
            return
        if self.effort.low <= 0:
            raise InvalidValue("effort", f"must be above 0 FTE-weeks, got {self.effort.describe()}")
        if self.duration_weeks is not None:
            raise InvalidValue(
                "duration",
                "give effort (work spread over the window in stints) or duration (one block), "
                "not both",
            )
        if self.handover is not Handover.NONE:
            raise InvalidValue(
                "handover", "work given as effort already passes between people; drop handover"
            )
        if self.alongside is not None:
            raise InvalidValue(
                "alongside",
                "work given as effort has no start week to share; give it a duration, or drop "
                "alongside",
            )
        if self.stint_weeks is not None and self.stint_weeks.low < 1:
            raise InvalidValue("stint", "must be at least one week")
        if self.max_load is not None and self.max_load.low < self.load.high:
            raise InvalidValue(
                "max_load",
                f"{self.max_load.describe()} FTE is below the load of one stint "
                f"({self.load.describe()}): no stint could ever run",
            )
        if self.max_people is not None and self.max_people < 1:
            raise InvalidValue("max_people", f"must be at least 1, got {self.max_people}")
        if self.min_share is not None and self.min_share.low < 0:
            raise InvalidValue(
                "min_share", f"must be 0 or more FTE-weeks, got {self.min_share.describe()}"
            )
        if self.min_share is not None and self.min_share.high > self.effort.low:
            raise InvalidValue(
                "min_share",
                f"{self.min_share.describe()} FTE-weeks is more than the whole effort "
                f"({self.effort.describe()}): no one could give it",
            )
        if self.partial and self.committed_to is not None:
            raise InvalidValue(
                "partial",
                f"work that comes with {self.committed_to} is done exactly when it is, so it "
                "comes whole; drop partial",
            )


DEFAULT_STINT_WEEKS = 4
"""Weeks of one stint of effort work, when the item does not say (assumption: about a
month, the span over which a manager plans "a day a week on this"; a stint may start
in any week)."""


@dataclass(frozen=True)
class EffortRule:
    """How the stints of one item given as effort may be shared out (on each stint task).

    ``max_at_once``: stints of the item that may run in the same week (``max_load`` /
    ``load``, rounded down); ``max_people``: people who may take part; ``min_share``:
    the least FTE-weeks a person who takes part gives; ``whole``: all stints or none;
    ``stints``: how many the item has; stints lie on a grid of ``step`` weeks from
    ``first_week`` or back from ``end_week`` (see :meth:`may_start`).
    """

    item_id: str
    stints: int
    max_at_once: int
    max_people: int
    min_share: Decimal = Decimal(0)
    whole: bool = False
    first_week: int = 0
    end_week: int = 0
    step: int = 1

    def may_start(self, week: int, duration: int) -> bool:
        """Whether a stint of ``duration`` weeks may start in ``week``: stints lie on a grid
        of whole stints counted from the window's first week, or from its last (a manager
        plans "a day a week this month"; the grid keeps the planner's choices few, and
        counting from both ends leaves no week of the window out of reach)."""
        from_start = week - self.first_week
        from_end = self.end_week - (week + duration)
        return (from_start >= 0 and from_start % self.step == 0) or (
            from_end >= 0 and from_end % self.step == 0
        )
