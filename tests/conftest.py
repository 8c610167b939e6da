"""Shared builders: tiny scenarios made in code, and the shipped scenario solved once."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from capacity.domain import (
    After,
    Assumptions,
    Estimate,
    Handover,
    Horizon,
    Priority,
    Scenario,
    StaffingOption,
    StaffMember,
    WorkItem,
    WorkKind,
)
from capacity.plan import OptionResult

REPOSITORY = Path(__file__).resolve().parent.parent
SHIPPED = REPOSITORY / "scenarios" / "staffing-options-2021-22.yaml"
START = date(2021, 4, 5)  # a Monday, so every planning week has five working days


def person(
    staff_id: str,
    fte: str = "1",
    skills: tuple[str, ...] = (),
    start: date | None = None,
    end: date | None = None,
    **kwargs: object,
) -> StaffMember:
    return StaffMember(
        id=staff_id,
        name=staff_id.title(),
        role="Officer",
        fte=Decimal(fte),
        skills=frozenset(skills),
        contract_start=start,
        contract_end=end,
        **kwargs,  # type: ignore[arg-type]
    )


def item(
    item_id: str,
    load: str = "0.5",
    weeks: int | None = 2,
    release: date | None = None,
    deadline: date | None = None,
    mandatory: bool = False,
    priority: Priority = Priority.MEDIUM,
    skill: str | None = None,
    after: tuple[After, ...] = (),
    alongside: str | None = None,
    committed_to: str | None = None,
    handover: Handover = Handover.NONE,
    kind: WorkKind = WorkKind.PROJECT,
) -> WorkItem:
    return WorkItem(
        id=item_id,
        name=f"Item {item_id}",
        kind=kind,
        load=Estimate.exact(load),
        duration_weeks=None if weeks is None else Estimate.exact(weeks),
        release=release,
        deadline=deadline,
        required_skill=skill,
        mandatory=mandatory,
        priority=priority,
        after=after,
        alongside=alongside,
        committed_to=committed_to,
        handover=handover,
    )


def week(n: int) -> date:
    """Start date of week ``n`` of the test horizon."""
    return START + timedelta(weeks=n)


def scenario(
    team: list[StaffMember],
    work: list[WorkItem],
    weeks: int = 8,
    options: list[StaffingOption] | None = None,
    availability: str = "1",
    **kwargs: object,
) -> Scenario:
    return Scenario(
        name="test",
        horizon=Horizon(START, START + timedelta(weeks=weeks, days=-1)),
        assumptions=Assumptions(availability=Estimate.exact(availability)),
        team=tuple(team),
        work=tuple(work),
        options=tuple(options or [StaffingOption("base", "Base team")]),
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="session")
def shipped_scenario() -> Scenario:
    from capacity.readers import load_scenario

    return load_scenario(SHIPPED)


@dataclass(frozen=True)
class ShippedRun:
    """``capacity compare`` on the shipped data: what it printed, where it wrote, and the
    verified results it computed on the way."""

    stdout: str
    out: Path
    results: list[OptionResult]


@pytest.fixture(scope="session")
def shipped_compare(tmp_path_factory: pytest.TempPathFactory) -> ShippedRun:
    """The real ``capacity compare`` on the shipped scenario, once for the whole session.

    The four options take about 20 s to solve, so the results are captured as they pass
    through the command, and tests of the tables built from them (the README's, say)
    reuse this solve instead of making another.
    """
    from click.testing import CliRunner

    import capacity.cli

    solve_all = capacity.cli.compare_options
    captured: list[list[OptionResult]] = []

    def capture(*args: Any, **kwargs: Any) -> list[OptionResult]:
        results = solve_all(*args, **kwargs)
        captured.append(results)
        return results

    out = tmp_path_factory.mktemp("shipped") / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(capacity.cli, "compare_options", capture)
        result = CliRunner().invoke(
            capacity.cli.cli, ["compare", str(SHIPPED), "--out", str(out)], catch_exceptions=False
        )
    assert result.exit_code == 0, result.output
    assert len(captured) == 1
    return ShippedRun(result.stdout, out, captured[0])


def linked_scenario(rng: random.Random) -> Scenario:
    """A small random scenario with the links and shapes the planners must respect:
    ``alongside``, ``with`` + ``after``, ``after`` with lags, monthly handover (groups of
    interchangeable tasks), posts that start or end part-way (capacity dips), and a skill."""
    team = []
    for i in range(rng.randint(2, 4)):
        dates: dict[str, date] = {}
        draw = rng.random()
        if draw < 0.2:
            dates["end"] = week(rng.randint(3, 7))
        elif draw < 0.4:
            dates["start"] = week(rng.randint(1, 4))
        skills = ("lead",) if rng.random() < 0.5 else ()
        team.append(person(f"p{i}", fte=rng.choice(["0.5", "1", "1"]), skills=skills, **dates))
    if not any("lead" in m.skills for m in team):
        team[0] = person("p0", skills=("lead",))
    work: list[WorkItem] = []
    for i in range(rng.randint(3, 9)):
        links: dict[str, object] = {}
        draw = rng.random()
        whole = [w.id for w in work if w.handover is Handover.NONE]
        if whole and draw < 0.2:
            links["alongside"] = rng.choice(whole)
        elif whole and draw < 0.4:
            partner = rng.choice(whole)
            links["committed_to"] = partner
            links["after"] = (After(partner, Estimate.exact(rng.randint(0, 1))),)
        elif whole and draw < 0.55:
            links["after"] = (After(rng.choice(whole), Estimate.exact(rng.randint(0, 1))),)
        elif draw < 0.7:
            links["handover"] = Handover.MONTHLY
            links["weeks"] = None
        links.setdefault("weeks", rng.randint(1, 4))
        work.append(
            item(
                f"w{i}",
                load=rng.choice(["0.2", "0.3", "0.5", "0.5"]),
                mandatory=rng.random() < 0.3,
                priority=rng.choice(list(Priority)),
                skill=rng.choice([None, None, "lead"]),
                release=week(rng.randint(0, 3)),
                **links,  # type: ignore[arg-type]
            )
        )
    return scenario(team, work, weeks=rng.choice([8, 13]))
