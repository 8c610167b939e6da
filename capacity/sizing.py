"""``capacity size``: the least staff to add, and the latest a recruit may start.

The questions
-------------
1. The smallest added FTE, in steps of 0.1 (more than 1 FTE is several posts:
   1.3 is a full-time post and a 0.3 post), added to a base option from a given
   date, with or without the lead skill, for which all mandatory work is
   delivered and unmet demand is at most a target.
2. For that added FTE, the latest planning week (a week of the horizon, from its
   first day) in which the recruit may start before mandatory (statutory,
   hard-deadline) work slips.

Each answer comes with the verified plan that proves it, and the plan one step
less (which does not meet the target).

Why bisection is sound here, and where it is not
-------------------------------------------------
More staff never hurts: a plan for a smaller team is still valid when a post
grows or starts earlier (the post only gains capacity; nothing else changes),
so the *optimal* unmet mandatory demand never rises as FTE is added or the
start moves earlier. Bisection is therefore sound for "mandatory work
delivered" whenever the solves are proven optimal (each plan's status says;
the default time limit proves the shipped options optimal). Total unmet
demand is different: the solver minimises *priority-weighted* unmet optional
work, so a larger team may deliver a high-priority item in place of two
larger low-priority ones and leave more FTE-weeks unmet. With a target on
unmet demand the bisection's answer is confirmed at its boundary (the answer
meets the target, one step less does not); ``scan=True`` tries every step
from zero instead, and finds the least FTE that meets it even then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from capacity.domain.estimate import Estimate, PointRule
from capacity.domain.options import AddPost, StaffingOption
from capacity.domain.provenance import Provenance, ProvenanceKind
from capacity.domain.scenario import Scenario
from capacity.domain.team import LEAD, StaffMember
from capacity.domain.work import BidMode
from capacity.errors import CapacityError
from capacity.finance import OptionCost, option_cost
from capacity.pipeline import plan_option
from capacity.plan import OptionResult, Plan
from capacity.solver import SolverSettings

STEP = Decimal("0.1")
ADDED_ID = "added"
SIZED = Provenance(ProvenanceKind.ASSUMPTION, "The post capacity size adds to answer the question")


@dataclass(frozen=True)
class SizingQuestion:
    """What to size.

    Parameters
    ----------
    base_option
        The option the FTE is added to.
    target_unmet_fte_weeks
        Unmet demand must be at most this; ``None``: only mandatory work counts.
    start
        The added post's first day (default: that of the first post any option
        adds, else the horizon's start).
    lead
        Whether the added post can lead a commissioning exercise.
    max_fte
        Give up above this.
    scan
        Try every step from zero, not bisection (see the module notes).
    """

    base_option: str
    target_unmet_fte_weeks: Decimal | None = None
    start: date | None = None
    lead: bool = False
    max_fte: Decimal = Decimal(3)
    scan: bool = False


@dataclass(frozen=True)
class Trial:
    added_fte: Decimal
    plan: Plan
    meets: bool


@dataclass(frozen=True)
class SizingAnswer:
    """The least added FTE that meets the target (``None`` if none up to ``max_fte``).

    ``plan_at_answer`` is the verified plan at the answer; ``one_step_less`` the plan
    with 0.1 FTE less (``None`` when the answer is 0). ``latest_start`` is the
    latest start (a week's first day) at which mandatory work is still
    delivered with the answer's FTE, ``None`` if it never is; ``latest_start_plan``
    proves it; it is the first day of a planning week (``problem.week_starts``),
    or ``start`` itself when that is not one and no later week start will do.
    ``additional_*`` is the answer's cost over the base option (``None`` when
    the added post has no grade or the scenario no salaries).
    """

    question: SizingQuestion
    template: StaffMember
    start: date
    added_fte: Decimal | None
    plan_at_answer: OptionResult | None
    one_step_less: Plan | None
    trials: tuple[Trial, ...]
    latest_start: date | None
    latest_start_plan: Plan | None
    additional_in_year: Decimal | None
    additional_next_year: Decimal | None
    mandatory_without_recruit: bool = False


def check_question(
    scenario: Scenario, question: SizingQuestion, point_rule: PointRule | None = None
) -> date:
    """Refuse a question that cannot be answered; else the added post's first day
    (``point_rule`` places the options' new post, the default start).

    Raises
    ------
    CapacityError
        An unknown base option, ``max_fte`` not above 0, or a start outside the horizon.
    """
    scenario.option(question.base_option)
    if question.max_fte <= 0:
        raise CapacityError("--max-fte must be above 0")
    start = question.start or _default_start(scenario, point_rule)
    if not scenario.horizon.contains(start):
        raise CapacityError(
            f"--start {start} is outside the horizon "
            f"{scenario.horizon.start} to {scenario.horizon.end}"
        )
    return start


def size(
    scenario: Scenario,
    question: SizingQuestion,
    settings: SolverSettings | None = None,
    point_rule: PointRule | None = None,
    bids: BidMode = BidMode.EXPECTED,
) -> SizingAnswer:
    """Answer both sizing questions (see the module notes).

    ``point_rule`` is the point of each range to plan and cost with (default: the
    scenario's), and ``bids`` how bids are treated, as for
    :func:`capacity.pipeline.plan_option`.
    """
    start = check_question(scenario, question, point_rule)
    base = scenario.option(question.base_option)
    template = template_post(scenario, question)
    trials: dict[Decimal, Trial] = {}  # at ``start``, for the report
    solved: dict[tuple[Decimal, date], Trial] = {}

    def trial(fte: Decimal, first_day: date = start) -> Trial:
        if (fte, first_day) in solved:
            return solved[(fte, first_day)]
        sized, option_id = sized_scenario(scenario, base, template, fte, first_day)
        plan = plan_option(sized, option_id, settings, point_rule, bids=bids)
        target = question.target_unmet_fte_weeks
        meets = plan.mandatory_delivered and (target is None or plan.unmet_fte_weeks <= target)
        found = solved[(fte, first_day)] = Trial(fte, plan, meets)
        if first_day == start:
            trials[fte] = found
        return found

    steps = int(question.max_fte / STEP)
    answer_step = _least_passing(lambda k: trial(k * STEP).meets, steps, question.scan)
    if answer_step is None:
        return SizingAnswer(
            question, template, start, None, None, None, _ordered(trials), None, None, None, None
        )
    added = answer_step * STEP
    proof = trial(added)
    less = trial(added - STEP).plan if answer_step > 0 else None
    sized, option_id = sized_scenario(scenario, base, template, added, start)
    cost = option_cost(sized, option_id, point_rule=point_rule)
    base_cost = option_cost(scenario, base.id, point_rule=point_rule)
    latest, latest_plan = (None, None)
    without = trial(Decimal(0)).plan.mandatory_delivered
    if added > 0 and not without:
        latest, latest_plan = _latest_start(
            proof.plan.problem.week_starts, lambda day: trial(added, day), start
        )
    return SizingAnswer(
        question=question,
        template=template,
        start=start,
        added_fte=added,
        plan_at_answer=OptionResult(proof.plan, cost),
        one_step_less=less,
        trials=_ordered(trials),
        latest_start=latest,
        latest_start_plan=latest_plan,
        additional_in_year=_difference(cost, base_cost, "in_year"),
        additional_next_year=_difference(cost, base_cost, "next_year"),
        mandatory_without_recruit=without,
    )


def sized_scenario(
    scenario: Scenario,
    base: StaffingOption,
    template: StaffMember,
    fte: Decimal,
    start: date,
) -> tuple[Scenario, str]:
    """The scenario with one more option: ``base`` plus ``fte`` in posts like ``template``."""
    if fte == 0:
        return scenario, base.id
    posts = []
    remaining, number = fte, 0
    while remaining > 0:
        number += 1
        share = min(Decimal(1), remaining)
        remaining -= share
        member = replace(
            template,
            id=f"{ADDED_ID}-{number}",
            name=f"Added {template.role} {number} ({share.normalize():f} FTE)",
            fte=share,
            contract_start=start,
            contract_end=None,
            absences=(),
            fte_provenance=SIZED,
            contract_provenance=SIZED,
        )
        posts.append(AddPost(member, Estimate.exact(0), SIZED))
    option_id = f"{base.id}-plus-{fte.normalize():f}-fte"
    option = StaffingOption(
        id=option_id,
        name=f"{base.name}, plus {fte.normalize():f} FTE from {start:%d %b %Y}",
        changes=(*base.changes, *posts),
        provenance=SIZED,
    )
    return replace(scenario, options=(*scenario.options, option)), option_id


def _least_passing(passes: Callable[[int], bool], steps: int, scan: bool) -> int | None:
    """The least ``k`` in 0..steps with ``passes(k)``; bisection assumes it is monotone."""
    if scan:
        return next((k for k in range(steps + 1) if passes(k)), None)
    if passes(0):
        return 0
    if not passes(steps):
        return None
    return _first_passing(passes, 0, steps)


def _first_passing(passes: Callable[[int], bool], low: int, high: int) -> int:
    """The least ``k`` in (low, high] with ``passes(k)``, by bisection, given that
    ``passes(low)`` is false, ``passes(high)`` true and ``passes`` monotone between."""
    while high - low > 1:
        middle = (low + high) // 2
        if passes(middle):
            high = middle
        else:
            low = middle
    return high


def _latest_start(
    week_starts: tuple[date, ...], trial: Callable[[date], Trial], earliest: date
) -> tuple[date | None, Plan | None]:
    """The latest planning week start (or ``earliest`` itself) from ``earliest`` at which
    mandatory work is still delivered."""
    days = [earliest, *(day for day in week_starts if day > earliest)]

    def delivered(k: int) -> bool:
        return trial(days[k]).plan.mandatory_delivered

    # Mandatory delivery only gets harder as the start moves later: bisect for the last pass.
    if not delivered(0):
        return None, None
    last = len(days) - 1
    if delivered(last):
        return days[last], trial(days[last]).plan
    latest = _first_passing(lambda k: not delivered(k), 0, last) - 1
    return days[latest], trial(days[latest]).plan


def template_post(scenario: Scenario, question: SizingQuestion) -> StaffMember:
    """The post to add: like the first post any option adds (role, grade, skills,
    induction), else a post with every skill in the team but the lead skill."""
    added = [c.member for o in scenario.options for c in o.changes if isinstance(c, AddPost)]
    if added:
        template = added[0]
    else:
        skills = frozenset(s for m in scenario.team for s in m.skills) - {LEAD}
        template = StaffMember(
            id=ADDED_ID, name="Added post", role="Added post", fte=Decimal(1), skills=skills
        )
    skills = template.skills | {LEAD} if question.lead else template.skills - {LEAD}
    return replace(template, skills=frozenset(skills))


def _default_start(scenario: Scenario, point_rule: PointRule | None) -> date:
    rule = point_rule or scenario.assumptions.point_rule
    for option in scenario.options:
        for change in option.changes:
            if isinstance(change, AddPost):
                return change.start_date(rule)
    return scenario.horizon.start


def _difference(cost: OptionCost, base: OptionCost, which: str) -> Decimal | None:
    mine = getattr(cost, f"additional_{which}")
    theirs = getattr(base, f"additional_{which}")
    if mine is None or theirs is None:
        return None
    return Decimal(mine - theirs)


def _ordered(trials: dict[Decimal, Trial]) -> tuple[Trial, ...]:
    return tuple(trials[k] for k in sorted(trials))


__all__ = [
    "SizingAnswer",
    "SizingQuestion",
    "check_question",
    "size",
    "sized_scenario",
    "template_post",
]
