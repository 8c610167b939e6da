"""Tables of a risk study: per option, per sample, per item, per person, and its inputs.

Report functions return DataFrames; they never print or solve. The CSV tables keep
ids and shares to 0.0001; the printed view shows names, FTE-weeks to 0.1 and shares
as whole percentages, by the one rule of :mod:`capacity.reports.figures`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import pandas as pd

from capacity.domain.options import AddPost
from capacity.domain.scenario import Scenario
from capacity.reports.figures import format_fte_weeks, format_share, headed_line, option_headings
from capacity.risk.study import ItemRisk, OptionRisk, StudyResult

MOST_OFTEN_SHOWN = 3


def summary_table(risks: list[OptionRisk]) -> pd.DataFrame:
    """One row per option: ``p_mandatory_delivered``, unmet P10/P50/P90 and mean, and how
    well the sampled plans were solved (share proven optimal, mean gap)."""
    return pd.DataFrame(
        [
            {
                "option_id": r.option_id,
                "option": r.name,
                "samples": r.samples,
                "p_mandatory_delivered": round(r.mandatory_delivered_share, 4),
                "unmet_p10_fte_weeks": float(r.unmet_p10),
                "unmet_p50_fte_weeks": float(r.unmet_p50),
                "unmet_p90_fte_weeks": float(r.unmet_p90),
                "unmet_mean_fte_weeks": round(float(r.unmet_mean), 3),
                "unmet_mandatory_mean_fte_weeks": round(float(r.unmet_mandatory_mean), 3),
                "proven_optimal_share": round(r.proven_optimal_share, 4),
                "mean_gap": round(r.mean_gap, 4),
            }
            for r in risks
        ]
    )


def summary_view(risks: list[OptionRisk], people: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The printed table: a column per option (by its short name), a row per measure, in
    plain words (the percentile each "year" is, in brackets).

    Parameters
    ----------
    risks
        The options' figures over the study.
    people
        Staff id -> name, for the load rows (:func:`staff_names`); ids where missing.
    """
    names = people or {}
    present = {p for r in risks for p in r.utilisation}
    staff = [p for p in names if p in present] + sorted(present - set(names))
    rows: dict[str, list[str]] = {
        "Chance all mandatory work is delivered": [
            format_share(r.mandatory_delivered_share) for r in risks
        ],
        "Work left undone (FTE-weeks), good year (P10)": [
            format_fte_weeks(r.unmet_p10) for r in risks
        ],
        "  typical year (median, P50)": [format_fte_weeks(r.unmet_p50) for r in risks],
        "  bad year (P90)": [format_fte_weeks(r.unmet_p90) for r in risks],
        "  of it mandatory, on average": [format_fte_weeks(r.unmet_mandatory_mean) for r in risks],
    }
    for person in staff:
        rows[f"Load: {names.get(person, person)} (mean)"] = [
            format_share(r.utilisation[person]) if person in r.utilisation else "not in post"
            for r in risks
        ]
    rows["Sampled plans proven the best possible"] = [
        format_share(r.proven_optimal_share) for r in risks
    ]
    rows["  mean distance from the best possible (gap)"] = [format_share(r.mean_gap) for r in risks]
    headings = option_headings([r.name for r in risks])
    return pd.DataFrame(rows, index=headings).T


def staff_names(scenario: Scenario) -> dict[str, str]:
    """Every staff id of the scenario, the options' new posts included, with its name."""
    names = {m.id: m.name for m in scenario.team}
    return names | {
        c.member.id: c.member.name
        for o in scenario.options
        for c in o.changes
        if isinstance(c, AddPost)
    }


def most_often_text(risks: list[OptionRisk], width: int = 100) -> str:
    """The work each option most often leaves undone, by name, as wrapped lines: the
    :data:`MOST_OFTEN_SHOWN` items most often unmet, with the share of years."""
    lines = textwrap.wrap(
        "Most often left undone (the share of the sampled years in which the work arises; "
        "* mandatory):",
        width=width,
    )
    headings = option_headings([r.name for r in risks])
    for heading, risk in zip(headings, risks, strict=True):
        shown = "; ".join(_most_often(item) for item in risk.items[:MOST_OFTEN_SHOWN])
        lines.append(headed_line(heading, shown, width))
    return "\n".join(lines)


def _most_often(item: ItemRisk) -> str:
    mandatory = "*" if item.mandatory else ""
    return f"{mandatory}{item.name} {format_share(item.unmet_share)}"


def samples_table(study: StudyResult) -> pd.DataFrame:
    """One row per sample per option: what was drawn and what the option's plan leaves."""
    rows = []
    for sample in study.samples:
        for outcome in sample.outcomes:
            rows.append(
                {
                    "sample": sample.index,
                    "option_id": outcome.option_id,
                    "demand_fte_weeks": float(outcome.demand_fte_weeks),
                    "delivered_fte_weeks": float(outcome.delivered_fte_weeks),
                    "unmet_fte_weeks": float(outcome.unmet_fte_weeks),
                    "unmet_mandatory_fte_weeks": float(outcome.unmet_mandatory_fte_weeks),
                    "mandatory_delivered": outcome.mandatory_delivered,
                    "status": outcome.status.value,
                    "gap": round(float(outcome.gap), 4),
                    "bids_won": sample.bids_won,
                    "bids_lost": sample.bids_lost,
                    "holder_appointed": sample.holder_appointed,
                    "absences": sample.absences,
                    "absence_weeks": sample.absence_weeks,
                    "unmet_items": " ".join(item_id for item_id, _ in outcome.unmet_items),
                }
            )
    return pd.DataFrame(rows)


def items_table(risks: list[OptionRisk]) -> pd.DataFrame:
    """Per option, each item ever left unmet, most often unmet first.

    ``unmet_share`` is ``unmet_samples / present_samples``, the share of the samples in
    which the item arises that leave it unmet; ``mean_unmet_fte_weeks_when_arising`` is
    over the same ``present_samples``.
    """
    return pd.DataFrame(
        [
            {
                "option_id": r.option_id,
                "item_id": item.item_id,
                "name": item.name,
                "mandatory": item.mandatory,
                "unmet_share": round(item.unmet_share, 4),
                "unmet_samples": item.unmet_samples,
                "present_samples": item.present_samples,
                "mean_unmet_fte_weeks_when_arising": round(
                    float(item.mean_unmet_fte_weeks_when_arising), 3
                ),
            }
            for r in risks
            for item in r.items
        ],
        columns=[
            "option_id",
            "item_id",
            "name",
            "mandatory",
            "unmet_share",
            "unmet_samples",
            "present_samples",
            "mean_unmet_fte_weeks_when_arising",
        ],
    )


def utilisation_table(risks: list[OptionRisk]) -> pd.DataFrame:
    """Per option and person: mean utilisation over the samples in which they are in post."""
    return pd.DataFrame(
        [
            {"option_id": r.option_id, "staff_id": person, "mean_utilisation": round(float(u), 4)}
            for r in risks
            for person, u in sorted(r.utilisation.items())
        ],
        columns=["option_id", "staff_id", "mean_utilisation"],
    )


def uncertainty_table(scenario: Scenario) -> pd.DataFrame:
    """Every figure the study drew with, and where it came from."""
    return pd.DataFrame(
        [
            {"place": place, "value": value, "basis": p.kind.value, "detail": p.text}
            for place, value, p in scenario.uncertainty.figures()
        ],
        columns=["place", "value", "basis", "detail"],
    )
