"""Sizing: the least added FTE and the latest start, each with a verified proof."""

from __future__ import annotations

from decimal import Decimal

from click.testing import CliRunner
from conftest import REPOSITORY, item, person, scenario, week

from capacity.cli import cli
from capacity.domain import Estimate, StaffingOption
from capacity.domain.options import AddPost
from capacity.pipeline import plan_option
from capacity.risk.sizing import STEP, SizingQuestion, size, sized_scenario
from capacity.verifier import verify

SMALL = REPOSITORY / "tests" / "data" / "small-team.yaml"


def officer_needed() -> object:
    """A manager who cannot do officer work; a mandatory officer item of 0.5 FTE for 3 weeks
    and an optional one of 0.3 FTE for 7 weeks, both by the end of week 7 (so they overlap).
    The options' new post is an officer."""
    recruit = person("recruit", "1", skills=("officer",), start=week(0))
    return scenario(
        [person("manager", skills=("lead",))],
        [
            item("statutory", "0.5", weeks=3, deadline=week(8), mandatory=True, skill="officer"),
            item("optional", "0.3", weeks=7, deadline=week(8), skill="officer"),
        ],
        weeks=10,
        options=[
            StaffingOption("base", "As is"),
            StaffingOption("recruit", "Recruit", changes=(AddPost(recruit, Estimate.exact(0)),)),
        ],
    )


def test_the_answer_is_verified_and_one_step_less_misses_the_target() -> None:
    data = officer_needed()
    answer = size(data, SizingQuestion("base", target_unmet_fte_weeks=Decimal(0)))
    assert answer.added_fte == Decimal("0.8")  # 0.5 and 0.3 at once, one officer
    assert answer.proof is not None and answer.one_step_less is not None
    proof = answer.proof.plan
    sized, _ = sized_scenario(data, data.option("base"), answer.template, Decimal("0.8"), week(0))
    assert verify(sized, proof) == []
    assert proof.mandatory_delivered and proof.unmet_fte_weeks == 0
    assert answer.one_step_less.unmet_fte_weeks > 0
    less, option_id = sized_scenario(
        data, data.option("base"), answer.template, Decimal("0.7"), week(0)
    )
    assert plan_option(less, option_id).unmet_fte_weeks > 0  # and independently so


def test_mandatory_only_needs_less_and_the_latest_start_is_proven() -> None:
    data = officer_needed()
    answer = size(data, SizingQuestion("base"))
    assert answer.added_fte == Decimal("0.5")
    assert answer.latest_start == week(5)  # 3 weeks of work must end by the end of week 7
    assert answer.latest_start_plan is not None and answer.latest_start_plan.mandatory_delivered
    later, option_id = sized_scenario(
        data, data.option("base"), answer.template, Decimal("0.5"), week(6)
    )
    assert not plan_option(later, option_id).mandatory_delivered


def test_bisection_agrees_with_a_scan_of_every_step() -> None:
    data = officer_needed()
    for target in (None, Decimal(0), Decimal("1.2")):
        bisected = size(data, SizingQuestion("base", target_unmet_fte_weeks=target))
        scanned = size(data, SizingQuestion("base", target_unmet_fte_weeks=target, scan=True))
        assert bisected.added_fte == scanned.added_fte, target


def test_no_answer_within_the_limit_says_so() -> None:
    data = officer_needed()
    answer = size(data, SizingQuestion("base", target_unmet_fte_weeks=Decimal(0), max_fte=STEP))
    assert answer.added_fte is None and answer.proof is None


def test_size_command_prints_the_answer_and_its_cost() -> None:
    result = CliRunner().invoke(
        cli,
        ["size", str(REPOSITORY / "tests" / "data" / "small-team.yaml"), "--target", "1"],
    )
    assert result.exit_code == 0, result.output
    assert "Answer: 0.6 FTE" in result.output
    assert "passed the independent verifier" in result.output
    assert "one step less (0.5 FTE)" in result.output
