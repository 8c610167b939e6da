"""The answer of ``capacity size`` in words, with the plan that proves it."""

from __future__ import annotations

from decimal import Decimal

from capacity.domain.years import financial_year_of
from capacity.finance import ROUNDING_RULE, format_money
from capacity.finance.option_costs import first_year
from capacity.plan import Plan
from capacity.sizing import ADDED_ID, SizingAnswer


def sizing_text(answer: SizingAnswer) -> str:
    """The answer, the trials that led to it, the proving plan and its cost."""
    question = answer.question
    skills = ", ".join(sorted(answer.template.skills)) or "none"
    target = (
        "all mandatory work delivered"
        if question.target_unmet_fte_weeks is None
        else f"all mandatory work delivered and unmet demand at most "
        f"{question.target_unmet_fte_weeks} FTE-weeks"
    )
    lines = [
        f"Question: the least FTE to add to {question.base_option} "
        f"(posts like {answer.template.role}, skills: {skills}; from {answer.start:%d %b %Y}) "
        f"for {target}.",
        "Tried (added FTE: unmet FTE-weeks, mandatory unmet, solver status):",
    ]
    for trial in answer.trials:
        verdict = "meets" if trial.meets else "does not meet"
        lines.append(f"  {trial.added_fte:>4} FTE: {_figures(trial.plan)} - {verdict} the target")
    if answer.added_fte is None or answer.proof is None:
        lines.append(f"No answer: even {question.max_fte} added FTE does not meet the target.")
        return "\n".join(lines)
    plan = answer.proof.plan
    lines += [
        "",
        f"Answer: {answer.added_fte} FTE"
        + (" (the option meets the target as it is)" if answer.added_fte == 0 else ""),
        f"  proof: {plan.option_id}: {_figures(plan)}; passed the independent verifier",
    ]
    if answer.one_step_less is not None:
        lines.append(
            f"  one step less ({answer.added_fte - Decimal('0.1')} FTE): "
            f"{_figures(answer.one_step_less)} - does not meet it"
        )
    for a in plan.assignments:
        if a.staff_id.startswith(f"{ADDED_ID}-"):
            lines.append(
                f"    {a.staff_id}: {a.item_id} {a.start:%d %b %Y} to {a.end:%d %b %Y} "
                f"at {a.load_fte.normalize():f} FTE"
            )
    if answer.mandatory_without_recruit:
        lines.append("Latest start: any; mandatory work is delivered without the added post.")
    elif answer.added_fte > 0:
        if answer.latest_start is None:
            lines.append("Latest start: mandatory work slips even with the earliest start.")
        else:
            weeks = plan.problem.week_starts
            which = (
                "a planning week's first day"
                if answer.latest_start in weeks
                else "the earliest start"
            )
            lines.append(
                f"Latest start of the added {answer.added_fte} FTE before mandatory work slips: "
                f"{answer.latest_start:%d %b %Y} ({which})"
            )
    if answer.additional_in_year is None:
        lines.append("Cost: not costed (the added post has no grade with a salary).")
    else:
        lines.append(
            f"Cost of the added FTE over {question.base_option}: "
            f"{format_money(answer.additional_in_year)} in {_in_year(answer)}, "
            f"{format_money(answer.additional_next_year or Decimal(0))} in the year after "
            f"({ROUNDING_RULE})."
        )
    return "\n".join(lines)


def _in_year(answer: SizingAnswer) -> str:
    """What the in-year cost covers (:func:`capacity.finance.option_costs.first_year`)."""
    if answer.proof is None:
        return "the horizon"
    scenario = answer.proof.plan.problem.scenario
    start, end = first_year(scenario)
    whole = (start, end) == (scenario.horizon.start, scenario.horizon.end)
    return "the horizon" if whole else financial_year_of(start).label


def _figures(plan: Plan) -> str:
    return (
        f"unmet {plan.unmet_fte_weeks:.1f}, mandatory {plan.unmet_mandatory_fte_weeks:.1f}, "
        f"{plan.solver.status.value}"
    )
