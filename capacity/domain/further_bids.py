"""Room for further funding bids: the record's case for option 4 (para 30).

Para 30 says funding applications "are often open for short periods of time, require
intense bursts of activity and without a great deal of notice", so they are "additional
unplanned work", and that option 4 "allows for maximum capacity to support these bids".
The known bids (para 15c: 7 so far) fit every option's plan; what differs is how many
more a team could take on as they come. To measure that, a scenario gains bids like its
first known bid (the same load, writing weeks, window from opening to submission, skill,
priority, win probability, and the second writer who works alongside it), one opening
every :data:`FURTHER_BID_EVERY_WEEKS` weeks through the horizon, each with its
post-award delivery as the known bid has it (where the award falls inside the horizon).
The known bids an option's plan writes are held (made mandatory, with their shares and
deliveries), the rest of the optional work gives way (it is left out, the delivery of
bids already submitted included), and the planner writes as many further bids as it can
beside the mandatory work (:func:`capacity.solver.most_bids`): that is the option's
room for further bids.

It is a test of room, not a forecast of how many bids will come: each further bid taken
on displaces other optional work the plan has.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from capacity.domain.scenario import Scenario, day_in_words
from capacity.domain.work import Owner, WorkItem, WorkKind
from capacity.domain.years import financial_year_of

FURTHER_BID_EVERY_WEEKS = 4
"""Assumption: one further bid opening every four weeks through the year. The record
gives no rate: para 11a's 9 bids in 2020/21 and para 29's "at least 4 further
opportunities in the coming weeks" beside 5 already completed put it at about one a
month, and an opening every four weeks offers more than any option can write, so the
measure is of room and not of the offer."""

FURTHER_BID_PREFIX = "further-bid-"


@dataclass(frozen=True)
class FurtherBids:
    """A scenario with further bids added (``bid_ids``), and what they are modelled on."""

    scenario: Scenario
    bid_ids: tuple[str, ...]
    like: WorkItem
    every_weeks: int


def first_known_bid(scenario: Scenario) -> WorkItem | None:
    """The bid further bids are modelled on: the first optional bid with a window and no
    known outcome; ``None`` when the scenario has none."""
    return next(
        (
            w
            for w in scenario.work
            if w.kind is WorkKind.BID
            and not w.mandatory
            and w.outcome is None
            and w.release is not None
            and w.deadline is not None
        ),
        None,
    )


def with_further_bids(
    scenario: Scenario,
    held: frozenset[str] | None = None,
    every_weeks: int = FURTHER_BID_EVERY_WEEKS,
) -> FurtherBids | None:
    """The scenario with a further bid opening every ``every_weeks`` weeks (see the
    module's docstring); ``None`` when it has no known bid to model them on.

    ``held``: the known bids a plan writes, which then become mandatory (with their
    shares and deliveries), the other known bids left out, so the further bids are
    those the team could write beside that plan's. ``None``: the known bids stay as
    they are."""
    like = first_known_bid(scenario)
    if like is None or like.release is None or like.deadline is None:
        return None
    window = like.deadline - like.release
    partners = [w for w in scenario.work if w.alongside == like.id]
    deliveries = [w for w in scenario.work if w.committed_to == like.id]
    prefix = _free_prefix(scenario)
    added: list[WorkItem] = []
    bid_ids: list[str] = []
    opening = scenario.horizon.start
    while opening + window <= scenario.horizon.end:
        bid_id = f"{prefix}{len(bid_ids) + 1}"
        delivered = _deliveries(deliveries, like, bid_id, opening, opening + window, scenario)
        if delivered is not None:
            bid_ids.append(bid_id)
            bid = _like(like, bid_id, f"Further funding bid opening {day_in_words(opening)}")
            added.append(replace(bid, release=opening, deadline=opening + window))
            for index, partner in enumerate(partners, start=1):
                share = _like(
                    partner,
                    f"{bid_id}-share-{index}",
                    f"Further funding bid opening {day_in_words(opening)} - {_part(partner, like)}",
                )
                added.append(
                    replace(
                        share,
                        alongside=bid_id,
                        release=None if partner.release is None else opening,
                        deadline=None if partner.deadline is None else opening + window,
                    )
                )
            added.extend(delivered)
        opening += timedelta(weeks=every_weeks)
    work = [
        replace(w, mandatory=True) if held is not None and w.id in held else w
        for w in scenario.work
        if held is None or w.kind is not WorkKind.BID or w.id in held
    ]
    kept = _committed_and_bids(work)
    extended = replace(scenario, work=(*(w for w in work if w.id in kept), *added))
    return FurtherBids(extended, tuple(bid_ids), like, every_weeks)


def _like(item: WorkItem, item_id: str, name: str) -> WorkItem:
    """A copy of the item under another id and name, owned by no one."""
    return replace(item, id=item_id, name=name, assigned_to=(), owner=Owner.PREFERRED, notes="")


def _free_prefix(scenario: Scenario) -> str:
    """``further-bid-``, or ``further-bid-2-`` and so on if the scenario uses it."""
    prefix, n = FURTHER_BID_PREFIX, 1
    while any(w.id.startswith(prefix) for w in scenario.work):
        n += 1
        prefix = f"{FURTHER_BID_PREFIX}{n}-"
    return prefix


SHORTEST_DELIVERY_WEEKS = 13
"""A further bid is offered only where its delivery could run this long between the
award and the end of the financial year it is awarded in (the known bids' rule:
government grants fund that year): para 12's "several months", at their fewest."""


def _deliveries(
    deliveries: list[WorkItem],
    like: WorkItem,
    bid_id: str,
    opening: date,
    submitted: date,
    scenario: Scenario,
) -> list[WorkItem] | None:
    """The further bid's deliveries, like the known bid's; ``None`` when one of them
    would not have :data:`SHORTEST_DELIVERY_WEEKS` inside the horizon."""
    made = []
    for index, delivery in enumerate(deliveries, start=1):
        lag = max((a.lag.high for a in delivery.after if a.item == like.id and a.lag), default=0)
        awarded = submitted + timedelta(weeks=int(lag))
        year_end = min(financial_year_of(awarded).end, scenario.horizon.end)
        longest = delivery.duration_weeks.high if delivery.duration_weeks else 0
        weeks = max(SHORTEST_DELIVERY_WEEKS, int(longest))
        if awarded + timedelta(weeks=weeks) > year_end:
            return None
        made.append(
            replace(
                _like(
                    delivery,
                    f"{bid_id}-delivery-{index}",
                    f"Further funding bid opening {day_in_words(opening)}: post-award delivery",
                ),
                committed_to=bid_id,
                after=tuple(
                    replace(a, item=bid_id) if a.item == like.id else a for a in delivery.after
                ),
                release=opening,
                deadline=year_end,
            )
        )
    return made


def _committed_and_bids(work: list[WorkItem]) -> set[str]:
    """Ids of the mandatory work and the bids, with what is done with them (shares
    alongside, deliveries, either way round) and what they wait for: the work that does
    not give way."""
    items = {w.id: w for w in work}
    kept = {w.id for w in work if w.mandatory or w.kind is WorkKind.BID}
    while True:
        more = {
            w.id
            for w in work
            if w.id not in kept and (w.alongside in kept or w.committed_to in kept)
        }
        for item_id in kept:
            item = items[item_id]
            more |= {a.item for a in item.after}
            more |= {link for link in (item.alongside, item.committed_to) if link}
        more -= kept
        if not more:
            return kept
        kept |= more


def _part(partner: WorkItem, like: WorkItem) -> str:
    """What the partner item is of the bid, from its name ('second writer')."""
    prefix = f"{like.name} - "
    return partner.name[len(prefix) :] if partner.name.startswith(prefix) else "share"
