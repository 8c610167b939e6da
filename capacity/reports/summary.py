"""The board pack's one-page summary: each option in plain words, names and pounds.

For each option: what it costs in each year, what it delivers and leaves undone in each
financial year (committed work apart from work that depends on funding bids), the
chance that statutory (mandatory) work slips in a risk study, and the work it most
leaves undone; then one factual sentence ranking the options by what they deliver per
pound, and the key assumptions and caveats.

This module computes; it never prints, solves or lays out. The PDF, HTML and Word
writers (:mod:`capacity.outputs.board_pack`, :mod:`capacity.outputs.board_docx`) only
lay :class:`BoardSummary` out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from decimal import Decimal
from importlib import metadata
from pathlib import Path

import pandas as pd

from capacity.domain.provenance import ProvenanceKind
from capacity.domain.scenario import Scenario
from capacity.finance import ROUNDING_RULE, format_money
from capacity.plan import OptionResult, Plan
from capacity.plan_cache import canonical as canonical_text  # the one text of a value
from capacity.reports.comparison import (
    FURTHER_BIDS_ROW,
    bid_split,
    further_bids,
    further_bids_text,
    unmet_by_item,
    work_by_year,
)
from capacity.reports.costs import costs_table
from capacity.reports.figures import (
    format_fte_weeks,
    format_share,
    option_label,
    plan_quality,
    round_share,
)
from capacity.risk.study import OptionRisk, StudyResult, summarise

UNDONE_SHOWN = 3
"""Committed items named in the "most left undone" row."""


@dataclass(frozen=True)
class BoardSummary:
    """What the summary page says, ready to lay out.

    Parameters
    ----------
    title
        The paper's title (the scenario's name).
    version
        Which scenario, exactly: its file name and a fingerprint of its content, and the
        version of capacity that planned it.
    options
        A column per option (headed by its name), a row per figure, every cell text.
    ranking
        One factual sentence ranking the options by what they deliver per pound.
    risk
        What the risk line rests on: the samples and the solver budget of each.
    caveats
        The key assumptions and caveats, a sentence each.
    """

    title: str
    version: str
    options: pd.DataFrame
    ranking: str
    risk: str
    caveats: tuple[str, ...]


def board_summary(
    scenario: Scenario, results: list[OptionResult], study: StudyResult | None = None
) -> BoardSummary:
    """The summary of the options in ``results`` (and the risk study, if one was run).

    Parameters
    ----------
    scenario
        The scenario the results were planned from.
    results
        Every option's verified, costed plan, in the scenario's order.
    study
        A risk study of the same options; ``None``: the risk row says none was run.
    """
    risks = {r.option_id: r for r in summarise(study)} if study else {}
    columns = {
        option_label(result.plan.problem.option_name): _option_column(result, risks)
        for result in results
    }
    return BoardSummary(
        title=scenario.name,
        version=scenario_version(scenario),
        options=pd.DataFrame(columns),
        ranking=ranking_sentence(results),
        risk=risk_basis(study),
        caveats=caveats(scenario, results, study),
    )


def short_name(name: str) -> str:
    """``Option 4`` from ``Option 4: a permanent full-time ...``; the whole name if it has
    no short head before a colon."""
    head, colon, _ = name.partition(":")
    return head.strip() if colon and len(head) <= 20 else option_label(name)


def scenario_version(scenario: Scenario) -> str:
    """The scenario's file name and a fingerprint of everything in it, and capacity's
    version: the same input gives the same text, any change to it another fingerprint."""
    # not repr(): a set's order there follows string hashing, which changes between runs
    digest = hashlib.sha256(canonical_text(scenario).encode("utf-8")).hexdigest()[:12]
    try:
        version = metadata.version("capacity")
    except metadata.PackageNotFoundError:  # run from a source tree that is not installed
        version = "unknown"
    file = Path(scenario.source_file).name or "scenario built in code"
    return f"{file}, fingerprint {digest}; capacity {version}"


def _option_column(result: OptionResult, risks: dict[str, OptionRisk]) -> dict[str, str]:
    plan, cost = result.plan, result.cost
    column: dict[str, str] = {}
    years = [label for label, _ in cost.by_year]
    if len(years) > 1:
        for label, amount in cost.by_year:
            column[f"Additional cost {label}"] = _money(amount)
        column[f"Full-year cost after {years[-1]}"] = _money(cost.additional_after_horizon)
    else:
        label = plan.problem.scenario.horizon.year_label
        column[f"Additional cost {label} (this year)"] = _money(cost.additional_in_year)
        column["Full-year cost thereafter (next year)"] = _money(cost.additional_next_year)
    committed = work_by_year(_only(plan, bid_dependent=False))
    bid_work = work_by_year(_only(plan, bid_dependent=True))
    for label, (done, undone) in committed.items():
        column[f"Committed work {label}: delivered / left undone (FTE-weeks)"] = _pair(done, undone)
    for label, (done, undone) in bid_work.items():
        column[f"Bid-dependent work {label}: delivered / left undone (FTE-weeks)"] = _pair(
            done, undone
        )
    split = bid_split(plan)
    column["Funding bids written"] = f"{split.bids_written} of {split.bids}"
    further = further_bids(result)
    if further is not None:
        column[FURTHER_BIDS_ROW] = further_bids_text(further)
    column["Statutory work in the central plan"] = (
        "all delivered"
        if plan.mandatory_delivered
        else f"{format_fte_weeks(plan.unmet_mandatory_fte_weeks)} FTE-weeks left undone"
    )
    risk = risks.get(plan.option_id)
    column["Chance statutory work slips (risk study)"] = (
        f"{format_share(1 - risk.mandatory_delivered_share)} of {_years(risk.samples)}"
        if risk
        else "not studied"
    )
    column["Statutory work that slips most often (risk study)"] = _most_slipping(risk)
    column["Committed work most left undone"] = _most_undone(plan)
    return column


def _most_slipping(risk: OptionRisk | None) -> str:
    """The mandatory items the study's samples leave unmet most often, by name."""
    if risk is None:
        return "not studied"
    slipping = [item for item in risk.items if item.mandatory][:UNDONE_SHOWN]
    named = [f"{item.name} ({format_share(item.unmet_share)} of years)" for item in slipping]
    return "; ".join(named) or "none"


def _only(plan: Plan, bid_dependent: bool) -> Plan:
    """The plan's committed (or bid-dependent) work alone, for per-year sums."""
    problem = plan.problem
    return replace(
        plan,
        assignments=tuple(
            a for a in plan.assignments if problem.task(a.task_id).bid_dependent is bid_dependent
        ),
        unmet=tuple(
            u for u in plan.unmet if problem.task(u.task_id).bid_dependent is bid_dependent
        ),
    )


def _most_undone(plan: Plan) -> str:
    """The committed items with the most work left undone, by name."""
    unmet = unmet_by_item(_only(plan, bid_dependent=False))
    unmet = unmet.sort_values("unmet_fte_weeks", ascending=False, kind="stable")
    named = [
        f"{row.name} ({format_fte_weeks(row.unmet_fte_weeks)})"
        for row in unmet.head(UNDONE_SHOWN).itertuples()
    ]
    return "; ".join(named) or "nothing"


def ranking_sentence(results: list[OptionResult]) -> str:
    """The options in order of work delivered per pound spent on the posts being decided.

    The figure is :func:`capacity.reports.costs.costs_table`'s
    ``cost_per_delivered_fte_week`` (the in-year cost of the posts any option changes,
    over the FTE-weeks of work the plan gives those posts); lowest first. Options it
    cannot cost are said last.
    """
    costs = costs_table(results)
    costed = [
        (Decimal(str(row.cost_per_delivered_fte_week)), short_name(row.option_name))
        for row in costs.itertuples()
        if row.cost_per_delivered_fte_week is not None
        and row.cost_per_delivered_fte_week == row.cost_per_delivered_fte_week  # not NaN
    ]
    if not costed:
        return "No option's posts can be costed, so the options are not ranked by cost."
    costed.sort(key=lambda pair: pair[0])  # stable: equal costs keep the scenario's order
    listed = [f"{name} ({format_money(amount)} an FTE-week)" for amount, name in costed]
    order = listed[0] if len(listed) == 1 else ", then ".join(listed)
    uncosted = [
        short_name(row.option_name)
        for row in costs.itertuples()
        if short_name(row.option_name) not in {name for _, name in costed}
    ]
    tail = f" {', '.join(uncosted)} cannot be costed." if uncosted else ""
    return (
        "Work delivered per pound spent this year on the posts being decided, most first: "
        f"{order}.{tail}"
    )


FIRM_SAMPLES = 100
"""Below this many sampled years the risk row says its chances are a first reading only:
with 100, a chance of 10% is known to about 3 points either way (its standard error)."""


def risk_basis(study: StudyResult | None) -> str:
    """What the risk row rests on, in one sentence."""
    if study is None:
        return (
            "No risk study is in this pack: capacity risk runs one on the scenario, and "
            "capacity report then puts it here."
        )
    limit = study.settings.deterministic_time_limit
    risks = summarise(study)
    proven = sum(r.proven_optimal_share for r in risks) / len(risks) if risks else 0.0
    return (
        f"Risk study: {_years(len(study.samples))} (seed {study.seed}), each drawing "
        "the record's ranges, bid outcomes, the recruitment outcome and long absences, the "
        f"same draws for every option; each sampled plan had {limit:g} s of CP-SAT's "
        "deterministic time a phase, a budget rather than a proof "
        f"({format_share(proven)} were proven best)."
        + (
            " So few samples give a first reading only: capacity risk with "
            f"--samples {FIRM_SAMPLES} or more gives firmer chances."
            if len(study.samples) < FIRM_SAMPLES
            else ""
        )
    )


def caveats(
    scenario: Scenario, results: list[OptionResult], study: StudyResult | None
) -> tuple[str, ...]:
    """The key assumptions and caveats, a sentence each, from the scenario and the plans."""
    kinds = [entry.provenance.kind for entry in scenario.provenance]
    counted = {kind: kinds.count(kind) for kind in ProvenanceKind}
    said: list[str] = []
    all_delivered = all(r.plan.mandatory_delivered for r in results)
    said.append(
        "The central plan uses the "
        f"{scenario.assumptions.point_rule.value} of every range and counts each bid's "
        "delivery at its chance of winning"
        + (
            "; in it every option delivers all statutory work. The risk study, which draws "
            "the ranges and chances instead, shows how often that fails."
            if all_delivered
            else "."
        )
    )
    said.append(
        f"Of the scenario's {len(kinds)} figures, {counted[ProvenanceKind.SOURCE]} come from "
        f"the decision record, {counted[ProvenanceKind.DERIVED]} are worked out from it and "
        f"{counted[ProvenanceKind.ASSUMPTION]} are stated assumptions; the page of "
        "assumptions lists each with its source."
    )
    rules = sorted({r.cost.rule.value for r in results})
    said.append(
        "Costs are the extra over the base team, pro rata by "
        f"{' and '.join(rules) or 'month'}, {ROUNDING_RULE}; salary as the scenario's pay "
        "section sets it."
    )
    proven = sum(r.plan.solver.status.value == "optimal" for r in results)
    worst = max((r.plan.solver.gap for r in results), default=Decimal(0))
    said.append(
        "Every plan passed an independent check of every rule; "
        + (
            "each is proven the best possible."
            if proven == len(results)
            else f"{proven} of {len(results)} are proven the best possible, the others are "
            + (
                "good plans the solver could not bound (its bound proves nothing here)."
                if round_share(worst) >= 1
                else f"{plan_quality(False, worst, short=True)} of the best the solver could prove."
            )
        )
    )
    said.append(
        "A peak load of 100% is a full week of the time a person has, not overwork; work "
        "left undone is what does not fit in the team's time once statutory work and "
        "higher priorities are planned."
    )
    return tuple(said)


def _years(samples: int) -> str:
    return f"{samples} sampled year{'' if samples == 1 else 's'}"


def _pair(done: Decimal, undone: Decimal) -> str:
    return f"{format_fte_weeks(done)} / {format_fte_weeks(undone)}"


def _money(amount: Decimal | None) -> str:
    return "not costed" if amount is None else format_money(amount)
