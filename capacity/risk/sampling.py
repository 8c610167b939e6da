"""One sample of a risk study: draws turned into a concrete scenario.

Reproducibility and common random numbers
-----------------------------------------
Every random quantity of a sample has a name (``load:vs-recommissioning``,
``win:bid-3``, ``absence:officer``, ...) and its own uniform number, drawn
from a generator seeded with ``(seed, sample index, crc32(name))`` only. So:

- a sample is the same whichever process, machine or Dask worker draws it,
  and a study is the same for any number of workers;
- the draws do not depend on the staffing option: every option is planned on
  the same sampled world (common random numbers), so differences between
  options are the options', not luck's;
- a quantity's draw does not depend on which other quantities exist, so a
  what-if that adds an item leaves every other draw of a sample unchanged.

A new post is keyed by its place among its option's new posts (``new-post-1``),
not by its id: options 3 and 4 recruit to the same need, so they share one
recruitment outcome, one own-gap draw and one absence draw.

What a sample draws
-------------------
- every range of the scenario (item loads and durations, lags, availability,
  induction, a new post's own recruitment gap), by
  :attr:`Uncertainty.range_distribution`; shares of a person on the
  :attr:`Uncertainty.share_step` grid;
- whether each bid is won (its ``win_probability``, or
  :attr:`Uncertainty.bid_win_probability` for a ``kind: bid`` without one). A
  bid is always written; a lost bid's post-award delivery (the work that comes
  ``with`` it) does not arise. Any other item with a ``win_probability`` (the
  delivery of a bid already submitted) exists only if won. Work that follows
  or goes alongside work that does not arise does not arise either;
- whether the current post-holder is appointed to the new posts (one draw for
  the sample). Appointed, the post-holder simply stays on: no recruitment gap
  (the record, paras 24 and 26: the gap is the risk of *not* appointing them)
  and no induction (they already know the job; the option's induction is for
  a new starter). Not appointed, an external recruit starts after the option's
  own recruitment gap if it gives one (above 0 weeks), else after
  :attr:`Uncertainty.external_delay_weeks` - one or the other, never both -
  and has the external induction;
- for each person (and each new post), whether a long absence happens, when
  it starts (a week of their time in post, uniformly) and how long it lasts.

The sampled scenario
--------------------
Each range is collapsed to its drawn value, as ``Estimate(low, drawn)``
planned at the ``high`` point: the range keeps its own low end, so every rule
the reader checked on the written range still holds (a drawn load above what
anyone can give - the record's 100% of an FTE for post-award work, against
0.85 available - is then unmet in that sample, exactly as with ``--point
high``, rather than refused), and the plan uses exactly the drawn value.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from capacity.domain.estimate import FTE_STEP, Estimate, PointRule
from capacity.domain.options import AddPost, StaffingOption, TeamChange
from capacity.domain.scenario import Scenario
from capacity.domain.team import Absence, Induction, StaffMember
from capacity.domain.uncertainty import Uncertainty
from capacity.domain.work import After, Outcome, WorkItem, WorkKind
from capacity.risk.distributions import happens, range_value, share_value

ABSENCE_REASON = "drawn by the risk study: a long unplanned absence (para 7)"


def uniform(seed: int, index: int, name: str) -> float:
    """The uniform number in [0, 1) of quantity ``name`` in sample ``index`` of study ``seed``."""
    return float(np.random.default_rng([seed, index, zlib.crc32(name.encode())]).random())


@dataclass(frozen=True)
class DrawnAbsence:
    person: str  # staff id, or the new post's key (new-post-1)
    start: date
    weeks: int


@dataclass(frozen=True)
class Sample:
    """One drawn world: the sampled scenario and what was drawn, in words.

    Parameters
    ----------
    index
        The sample's number in its study.
    scenario
        Every range collapsed to its draw; absent work removed; absences added.
    bids_won, bids_lost
        Ids of items with a chance of winning, by outcome.
    dropped
        Ids of work that does not arise in this sample (lost bids' delivery and
        work that depends on it).
    holder_appointed
        Whether the current post-holder filled the new posts.
    absences
        The long absences drawn.
    """

    index: int
    scenario: Scenario
    bids_won: tuple[str, ...]
    bids_lost: tuple[str, ...]
    dropped: tuple[str, ...]
    holder_appointed: bool
    absences: tuple[DrawnAbsence, ...]


def draw_sample(scenario: Scenario, seed: int, index: int) -> Sample:
    """Draw sample ``index`` of the study with ``seed`` (see the module notes)."""
    return _Sampler(scenario, seed, index).sample()


class _Sampler:
    def __init__(self, scenario: Scenario, seed: int, index: int):
        self.scenario = scenario
        self.model: Uncertainty = scenario.uncertainty
        self.seed, self.index = seed, index

    def u(self, name: str) -> float:
        return uniform(self.seed, self.index, name)

    def value(self, estimate: Estimate, name: str) -> Estimate:
        """A range (weeks) collapsed to its draw; planned at the ``high`` point."""
        if not estimate.is_range:
            return estimate
        drawn = range_value(estimate, self.u(name), self.model.range_distribution)
        return Estimate(estimate.low, drawn, estimate.provenance)

    def share(self, estimate: Estimate, name: str) -> Estimate:
        """A share of a person collapsed to its draw on the share-step grid."""
        if not estimate.is_range:
            return estimate
        model = self.model
        drawn = share_value(estimate, self.u(name), model.range_distribution, model.share_step)
        return Estimate(estimate.low, drawn, estimate.provenance)

    def effort(self, estimate: Estimate, name: str) -> Estimate:
        """A range of FTE-weeks collapsed to its draw, to the planner's step (FTE_STEP)."""
        if not estimate.is_range:
            return estimate
        drawn = range_value(estimate, self.u(name), self.model.range_distribution)
        exact = drawn.quantize(FTE_STEP, rounding=ROUND_HALF_UP)
        kept = min(estimate.high, max(estimate.low, exact))  # a low end finer than the step
        return Estimate(estimate.low, kept, estimate.provenance)

    def sample(self) -> Sample:
        scenario = self.scenario
        won, lost, absent = self._bid_outcomes()
        dropped = _with_dependents(scenario.work, absent)
        work = tuple(self._item(w) for w in scenario.work if w.id not in dropped)
        appointed = happens(self.model.holder_appointed_probability, self.u("holder-appointed"))
        absences: list[DrawnAbsence] = []
        team = tuple(self._member(m, m.id, absences) for m in scenario.team)
        options = tuple(self._option(o, appointed, absences) for o in scenario.options)
        availability = self.share(scenario.assumptions.availability, "availability")
        assumptions = replace(
            scenario.assumptions, availability=availability, point_rule=PointRule.HIGH
        )
        sampled = replace(
            scenario,
            assumptions=assumptions,
            team=team,
            work=work,
            options=options,
            what_ifs=(*scenario.what_ifs, f"risk sample {self.index} (seed {self.seed})"),
        )
        unique_absences = {(a.person, a.start, a.weeks): a for a in absences}
        return Sample(
            index=self.index,
            scenario=sampled,
            bids_won=tuple(won),
            bids_lost=tuple(lost),
            dropped=tuple(w.id for w in scenario.work if w.id in dropped),
            holder_appointed=appointed,
            absences=tuple(unique_absences.values()),
        )

    # -- work --

    def _bid_outcomes(self) -> tuple[list[str], list[str], set[str]]:
        """Won and lost items, and the work that does not arise because of the losses."""
        won: list[str] = []
        lost: list[str] = []
        absent: set[str] = set()
        for item in self.scenario.work:
            if item.outcome is not None:  # known (a back-test): not drawn
                if item.outcome is Outcome.LOST:
                    lost.append(item.id)
                    absent |= self._lost_work(item)
                else:
                    won.append(item.id)
                continue
            if item.win_probability is not None:
                chance = item.win_probability.point(PointRule.MIDPOINT)
            elif item.kind is WorkKind.BID:
                chance = self.model.bid_win_probability
            else:
                continue
            if happens(chance, self.u(f"win:{item.id}")):
                won.append(item.id)
                continue
            lost.append(item.id)
            absent |= self._lost_work(item)
        return won, lost, absent

    def _lost_work(self, item: WorkItem) -> set[str]:
        """The work that does not arise when ``item`` is lost."""
        if item.kind is WorkKind.BID:  # written anyway; only its delivery goes
            return {w.id for w in self.scenario.work if w.committed_to == item.id}
        return {item.id}

    def _item(self, item: WorkItem) -> WorkItem:
        duration = item.duration_weeks

        # Work given as effort draws its effort (FTE-weeks, to the planner's step). Left as
        # a range, it was planned at its high end in every sample (the sample's point rule):
        # the road-safety review's 17.2 FTE-weeks, 0.4 FTE over all 43 weeks of its window,
        # is one stint more than the planner's grid of whole stints holds, so statutory work
        # slipped in every sample. Its stint load and partners' share stay as written
        # (planned at their high ends): drawn lower, they could make the sample fail the
        # check that the effort's low end can fit at all, which in a sample must be unmet
        # work, never an error. (The shipped data gives no range for either.)
        if item.effort is not None:
            return replace(
                item,
                effort=self.effort(item.effort, f"effort:{item.id}"),
                after=tuple(
                    After(a.item, self.value(a.lag, f"lag:{item.id}:{a.item}")) for a in item.after
                ),
            )
        return replace(
            item,
            load=self.share(item.load, f"load:{item.id}"),
            duration_weeks=None
            if duration is None
            else self.value(duration, f"duration:{item.id}"),
            after=tuple(
                After(a.item, self.value(a.lag, f"lag:{item.id}:{a.item}")) for a in item.after
            ),
        )

    # -- people --

    def _member(
        self,
        member: StaffMember,
        key: str,
        absences: list[DrawnAbsence],
        in_post_from: date | None = None,
    ) -> StaffMember:
        induction = member.induction
        if induction is not None:
            induction = Induction(
                weeks=self.value(induction.weeks, f"induction-weeks:{key}"),
                capacity_share=self.share(induction.capacity_share, f"induction-capacity:{key}"),
                line_manager_load=induction.line_manager_load,  # not drawn: the plan's point
            )
        absence = self._absence(key, in_post_from)
        extra: tuple[Absence, ...] = ()
        if absence is not None:
            absences.append(absence)
            end = absence.start + timedelta(weeks=absence.weeks, days=-1)
            extra = (Absence(absence.start, end, ABSENCE_REASON),)
        return replace(member, induction=induction, absences=(*member.absences, *extra))

    def _absence(self, key: str, in_post_from: date | None = None) -> DrawnAbsence | None:
        """A long absence starting in a week of the horizon from ``in_post_from`` (a new
        post's first day: no one can be absent from a post before it is filled)."""
        model = self.model
        if not happens(model.absence_probability, self.u(f"absence:{key}")):
            return None
        horizon = self.scenario.horizon
        n_weeks = ((horizon.end - horizon.start).days + 1) // 7
        first = 0
        if in_post_from is not None and in_post_from > horizon.start:
            first = -(-(in_post_from - horizon.start).days // 7)  # the first week start in post
        if first >= n_weeks:
            return None  # the post is not filled within the horizon
        span = n_weeks - first
        week = first + min(span - 1, int(self.u(f"absence-start:{key}") * span))
        length = range_value(
            model.absence_weeks, self.u(f"absence-length:{key}"), model.range_distribution
        )
        weeks = max(1, int(length.quantize(Decimal(1), rounding=ROUND_HALF_UP)))
        return DrawnAbsence(key, horizon.start + timedelta(weeks=week), weeks)

    def _option(
        self, option: StaffingOption, appointed: bool, absences: list[DrawnAbsence]
    ) -> StaffingOption:
        changes: list[TeamChange] = []
        new_posts = 0
        for change in option.changes:
            if not isinstance(change, AddPost):
                changes.append(change)
                continue
            new_posts += 1
            changes.append(self._recruit(change, f"new-post-{new_posts}", appointed, absences))
        return replace(option, changes=tuple(changes))

    def _recruit(
        self, post: AddPost, key: str, appointed: bool, absences: list[DrawnAbsence]
    ) -> AddPost:
        """The new post as this sample fills it (see the module notes).

        Appointed, the post-holder starts on the post's first day, with no induction.
        Not appointed, an external recruit starts after the option's own gap if it
        has one, else after the external delay, and has the external induction.
        """
        if appointed:
            gap = Estimate.exact(0)
            member = replace(post.member, induction=None)
        else:
            model = self.model
            if post.recruitment_gap_weeks.high > 0:
                gap = self.value(post.recruitment_gap_weeks, f"gap:{key}")
            else:
                delay = range_value(
                    model.external_delay_weeks, self.u("external-delay"), model.range_distribution
                )
                gap = Estimate(Decimal(0), delay, post.recruitment_gap_weeks.provenance)
            weeks = range_value(
                model.external_induction_weeks,
                self.u("external-induction-weeks"),
                model.range_distribution,
            )
            capacity = share_value(
                model.external_induction_capacity,
                self.u("external-induction-capacity"),
                model.range_distribution,
                model.share_step,
            )
            manager_load = post.member.induction and post.member.induction.line_manager_load
            member = replace(
                post.member,
                induction=Induction(
                    Estimate.exact(weeks), Estimate.exact(capacity), manager_load or None
                ),
            )
        filled = replace(post, recruitment_gap_weeks=gap)
        member = self._member(member, key, absences, filled.start_date(PointRule.HIGH))
        return replace(filled, member=member)


def _with_dependents(work: tuple[WorkItem, ...], absent: set[str]) -> set[str]:
    """``absent`` and all work that follows, goes alongside or comes with it."""
    dropped = set(absent)
    changed = True
    while changed:
        changed = False
        for item in work:
            if item.id in dropped:
                continue
            partners = {a.item for a in item.after} | {item.alongside, item.committed_to}
            if partners & dropped:
                dropped.add(item.id)
                changed = True
    return dropped
