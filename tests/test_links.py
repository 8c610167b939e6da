"""The task-link structure: worked out once per problem, the same for every planner."""

from __future__ import annotations

from conftest import item, person, scenario

from capacity.domain import After, Estimate, Handover, build_problem
from capacity.domain.links import TaskLinks


def linked_problem():
    work = [
        item("tender", weeks=3),
        item("support", load="0.1", weeks=3, alongside="tender"),
        item("bid", weeks=2),
        item("award", weeks=2, committed_to="bid", after=(After("bid", Estimate.exact(1)),)),
        item("review", weeks=1, after=(After("tender"),)),
        item("portfolio", load="0.1", weeks=None, handover=Handover.MONTHLY),
    ]
    return build_problem(scenario([person("a"), person("b")], work, weeks=12), "base")


def test_successors_predecessors_and_partners_both_ways() -> None:
    links = linked_problem().links
    assert links.predecessors["award"] == (("bid", 1),)
    assert links.predecessors["tender"] == ()
    assert links.successors["bid"] == (("award", 1),)
    assert links.successors["tender"] == (("review", 0),)
    assert links.partners["tender"] == ("support",)  # stated by the support, seen from both
    assert links.partners["support"] == ("tender",)
    assert links.partners["bid"] == ("award",)
    assert "review" not in links.partners


def test_bundles_are_the_all_or_none_groups_in_the_tasks_order() -> None:
    problem = linked_problem()
    links = problem.links
    bundles = [set(b) for b in links.bundles]
    assert {"tender", "support"} in bundles and {"bid", "award"} in bundles
    assert {"review"} in bundles  # "after" does not bundle: it may be left out alone
    order = [t.id for t in problem.tasks]
    assert sorted(t for b in links.bundles for t in b) == sorted(order)  # each task once
    for bundle in links.bundles:
        assert list(bundle) == sorted(bundle, key=order.index)
    firsts = [order.index(b[0]) for b in links.bundles]
    assert firsts == sorted(firsts)
    assert links.bundle_of["support"] == links.bundle_of["tender"]
    assert links.bundle_of["review"] != links.bundle_of["tender"]


def test_linked_means_tied_either_way() -> None:
    problem = linked_problem()
    linked = {t.id for t in problem.tasks if problem.links.linked(t.id)}
    assert linked == {"tender", "support", "bid", "award", "review"}  # not the portfolio months


def test_computed_once_per_problem() -> None:
    problem = linked_problem()
    assert problem.links is problem.links
    assert problem.links == TaskLinks.of(problem.tasks)
