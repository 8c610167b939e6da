"""capacity.reports.option_changes on the small team and on options built in code."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from conftest import person, scenario

from capacity.domain import Estimate, StaffingOption
from capacity.domain.options import AddPost, ExtendPost
from capacity.domain.provenance import Provenance, ProvenanceKind
from capacity.domain.team import Induction
from capacity.finance import format_money, option_cost
from capacity.reports.option_changes import (
    option_changes_table,
    option_changes_view,
    source_text,
)


class Costed:
    """What option_changes_table reads of a result: the option's id and its cost."""

    def __init__(self, data, option_id: str) -> None:
        self.plan = type("PlanStub", (), {"option_id": option_id})()
        self.cost = option_cost(data, option_id)


def test_the_small_teams_extension_says_its_date_and_source(small_team, small_results) -> None:
    table = option_changes_table(small_team, small_results)
    extend = table[table["option_id"] == "extend"]
    posts = extend[extend["aspect"] == "Posts"].iloc[0]
    assert posts["value"] == "Project Lead: extended to 04 Jul 2021"  # by name, not the id
    assert posts["source"] == "para 24"
    lapse = table[table["option_id"] == "lapse"]
    assert lapse[lapse["aspect"] == "Posts"].iloc[0]["value"] == "No change to the base team"
    ends = lapse[lapse["aspect"] == "Dates"].iloc[0]
    assert ends["value"] == "Project Lead: post ends 31 May 2021" and ends["source"] == "para 2"
    costs = extend[extend["aspect"] == "Costs"]["value"].tolist()
    assert costs[0] == f"{format_money(small_results[1].cost.additional_in_year)} extra in 2021/22"


def test_a_new_post_lists_fte_start_gap_and_induction_each_with_its_basis() -> None:
    assumed = Provenance(ProvenanceKind.ASSUMPTION, "Four weeks to learn the job")
    recruit = person(
        "recruit",
        fte="0.6",
        start=date(2021, 4, 5),
        fte_provenance=Provenance(ProvenanceKind.SOURCE, "para 24"),
        induction=Induction(
            weeks=Estimate(Decimal(4), Decimal(4), assumed),
            capacity_share=Estimate(Decimal("0.5"), Decimal("0.5"), assumed),
        ),
    )
    gap = Estimate(Decimal(2), Decimal(6), Provenance(ProvenanceKind.SOURCE, "paras 26-27"))
    data = scenario(
        [person("lead", end=date(2021, 4, 30))],
        [],
        options=[
            StaffingOption("add", "Add a recruit", (AddPost(recruit, gap),)),
            StaffingOption("keep", "Keep the lead", (ExtendPost("lead", None),)),
        ],
    )
    table = option_changes_table(data, [Costed(data, "add"), Costed(data, "keep")])
    added = table[table["option_id"] == "add"].set_index("aspect")
    assert added.loc["FTE", "value"] == "Recruit: 0.6 FTE"
    assert added.loc["FTE", "source"] == "para 24"
    assert added.loc["Recruitment gap", "value"] == "Recruit: 2-6 weeks"
    assert added.loc["Recruitment gap", "source"] == "paras 26-27"
    induction = table[(table["option_id"] == "add") & (table["aspect"] == "Induction")]
    assert induction["value"].tolist() == ["Recruit: 4 weeks", "Recruit: at 50% capacity"]
    assert set(induction["source"]) == {"assumption: Four weeks to learn the job"}
    kept = table[table["option_id"] == "keep"]
    assert kept[kept["aspect"] == "Posts"]["value"].tolist() == ["Lead: made permanent"]


def test_the_view_puts_options_side_by_side_with_sources_in_brackets(
    small_team, small_results
) -> None:
    view = option_changes_view(option_changes_table(small_team, small_results))
    assert list(view.columns) == ["Let the temporary post lapse", "Extend the temporary post"]
    assert list(view.index) == ["Posts", "Dates", "Costs"]  # no FTE, gap or induction changed
    assert view.loc["Posts", "Extend the temporary post"] == (
        "Project Lead: extended to 04 Jul 2021 [para 24]"
    )


def test_source_text_names_the_basis_of_what_is_not_from_the_record() -> None:
    assert source_text(Provenance(ProvenanceKind.SOURCE, "para 49")) == "para 49"
    assert source_text(Provenance(ProvenanceKind.ASSUMPTION, "why")) == "assumption: why"
    assert source_text(Provenance(ProvenanceKind.DERIVED, "how")) == "derived: how"
    assert source_text(Provenance(ProvenanceKind.INPUT)) == "given, no source"
