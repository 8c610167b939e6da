"""The answer of ``capacity size`` in words: the answer first, then a short plan.

The added post's placements, week by week, are listed only when asked
(``verbose``); by default its work is summed per work item.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from capacity.domain.years import financial_year_of
from capacity.finance import ROUNDING_RULE, format_money
from capacity.finance.option_costs import first_year
from capacity.plan import Plan, SolveStatus
from capacity.reports.figures import (
    FIGURE_ROUNDING_RULE,
    format_fte_weeks,
    plan_quality,
    short_option_name,
)
from capacity.sizing import ADDED_ID, SizingAnswer

MOST_ITEMS_SHOWN = 5
"""The added post's work items named in the short plan, largest first."""


def sizing_text(answer: SizingAnswer, verbose: bool = False) -> str:
    """The answer, the plan that shows it, its cost, and the steps tried.

    Parameters
    ----------
    answer
        What :func:`capacity.sizing.size` found.
    verbose
        Also list each block of work the added post is given (item, dates, FTE).
    """
    question = answer.question
    base = _option_name(answer)
    skills = ", ".join(sorted(answer.template.skills)) or "none"
    target = (
        "all mandatory work delivered"
        if question.target_unmet_fte_weeks is None
        else f"all mandatory work delivered and at most "
        f"{format_fte_weeks(question.target_unmet_fte_weeks)} FTE-weeks left undone"
    )
    lines = [
        f"Question: the least FTE to add to {base} (a post like {answer.template.role}, "
        f"skills: {skills}; from {answer.start:%d %b %Y}) for {target}.",
        "",
    ]
    result = answer.plan_at_answer
    if answer.added_fte is None or result is None:
        lines.append(f"No answer: even {question.max_fte} added FTE does not meet the target.")
        lines += _trials(answer)
        return "\n".join(lines)
    plan = result.plan
    lines.append(
        f"Answer: {answer.added_fte} FTE"
        + (" (the option meets the target as it is)" if answer.added_fte == 0 else "")
    )
    lines.append(f"  With it: {_figures(plan)} ({_quality(plan)}; checked again independently).")
    if answer.one_step_less is not None:
        lines.append(
            f"  With one step less ({answer.added_fte - Decimal('0.1')} FTE): "
            f"{_figures(answer.one_step_less)}, which misses the target."
        )
    lines += _latest_start(answer, plan)
    lines += _cost(answer, short_option_name(base))
    lines += _added_work(plan, answer.added_fte, verbose)
    lines += _trials(answer)
    lines.append(f"({FIGURE_ROUNDING_RULE}.)")
    return "\n".join(lines)


def _latest_start(answer: SizingAnswer, plan: Plan) -> list[str]:
    if answer.mandatory_without_recruit:
        return ["  Latest start: any; mandatory work is delivered without the added post."]
    if answer.added_fte is None or answer.added_fte == 0:
        return []
    if answer.latest_start is None:
        return ["  Latest start: mandatory work slips even with the earliest start."]
    weeks = plan.problem.week_starts
    which = "a planning week's first day" if answer.latest_start in weeks else "the earliest start"
    return [
        f"  Latest start of the added {answer.added_fte} FTE before mandatory work slips: "
        f"{answer.latest_start:%d %b %Y} ({which})."
    ]


def _cost(answer: SizingAnswer, base: str) -> list[str]:
    if answer.additional_in_year is None:
        return ["  Cost: not costed (the added post has no grade with a salary)."]
    return [
        f"  Cost over {base}: {format_money(answer.additional_in_year)} in {_in_year(answer)}, "
        f"{format_money(answer.additional_next_year or Decimal(0))} in the year after "
        f"({ROUNDING_RULE})."
    ]


def _added_work(plan: Plan, added_fte: Decimal, verbose: bool) -> list[str]:
    """What the added post does: per item (the short plan), or each block (verbose)."""
    placements = [a for a in plan.assignments if a.staff_id.startswith(f"{ADDED_ID}-")]
    if not placements:
        return [] if added_fte == 0 else ["  The added post is given no work in the plan."]
    problem = plan.problem
    by_item: dict[str, Decimal] = defaultdict(Decimal)
    for a in placements:
        by_item[a.item_id] += a.fte_weeks
    ranked = sorted(by_item.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = "; ".join(
        f"{problem.item_name(i)} {format_fte_weeks(w)}" for i, w in ranked[:MOST_ITEMS_SHOWN]
    )
    more = len(ranked) - MOST_ITEMS_SHOWN
    lines = [
        f"  The added post's work (FTE-weeks): {shown}"
        + (f"; and {more} more item{'s' if more != 1 else ''}" if more > 0 else "")
        + "."
    ]
    if not verbose:
        lines.append(
            f"  ({len(placements)} blocks of work in all; --verbose lists them, --out writes "
            "the whole plan.)"
        )
        return lines
    lines.append("  Each block of the added post's work:")
    for a in sorted(placements, key=lambda a: (a.start, a.item_id)):
        lines.append(
            f"    {problem.item_name(a.item_id)}: {a.start:%d %b %Y} to {a.end:%d %b %Y} "
            f"at {a.load_fte.normalize():f} FTE"
        )
    return lines


def _trials(answer: SizingAnswer) -> list[str]:
    lines = ["", "Steps tried (added FTE: FTE-weeks left undone (of it mandatory)):"]
    for trial in answer.trials:
        verdict = "meets the target" if trial.meets else "misses the target"
        plan = trial.plan
        lines.append(
            f"  {trial.added_fte:>4} FTE: {format_fte_weeks(plan.unmet_fte_weeks)} "
            f"({format_fte_weeks(plan.unmet_mandatory_fte_weeks)}) - {verdict}"
        )
    return lines


def _option_name(answer: SizingAnswer) -> str:
    if answer.plan_at_answer is not None:
        scenario = answer.plan_at_answer.plan.problem.scenario
    elif answer.trials:
        scenario = answer.trials[0].plan.problem.scenario
    else:
        return answer.question.base_option
    options = {o.id: o.name for o in scenario.options}
    return options.get(answer.question.base_option, answer.question.base_option)


def _in_year(answer: SizingAnswer) -> str:
    """What the in-year cost covers (:func:`capacity.finance.option_costs.first_year`)."""
    if answer.plan_at_answer is None:
        return "the horizon"
    scenario = answer.plan_at_answer.plan.problem.scenario
    start, end = first_year(scenario)
    whole = (start, end) == (scenario.horizon.start, scenario.horizon.end)
    return "the horizon" if whole else financial_year_of(start).label


def _quality(plan: Plan) -> str:
    return plan_quality(plan.solver.status is SolveStatus.OPTIMAL, plan.solver.gap)


def _figures(plan: Plan) -> str:
    mandatory = plan.unmet_mandatory_fte_weeks
    return f"{format_fte_weeks(plan.unmet_fte_weeks)} FTE-weeks left undone, " + (
        "none of it mandatory" if mandatory == 0 else f"{format_fte_weeks(mandatory)} mandatory"
    )
