"""Options side by side: delivered and unmet work, who is loaded, what it costs."""

from __future__ import annotations

import math
import textwrap
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from capacity.domain.work import BidMode, WorkKind
from capacity.domain.years import financial_years, spread_over_years
from capacity.finance import format_money
from capacity.plan import OptionResult, Plan, SolveStatus
from capacity.reports.figures import (
    format_count,
    format_fte_weeks,
    format_share,
    headed_line,
    option_headings,
    option_label,
    plan_quality,
)

BIDS_SHOWN = {
    BidMode.EXPECTED: "bids at their expected outcome",
    BidMode.WON: "every bid won",
    BidMode.LOST: "every bid lost",
}


@dataclass(frozen=True)
class BidSplit:
    """A plan's work in two parts: committed work, and the work that depends on bids
    (bid writing and the delivery of bids), in FTE-weeks; and the bids written.

    ``bids_written`` of ``bids`` counts the funding bids (``kind: bid`` items) whose
    writing the plan delivers in full; ``by_year`` the same per financial year of the
    horizon, (label, written, bids), a bid counting in the year its window opens.
    """

    committed_delivered: Decimal
    committed_unmet: Decimal
    bid_delivered: Decimal
    bid_unmet: Decimal
    bids_written: int
    bids: int
    by_year: tuple[tuple[str, int, int], ...] = ()


def bid_split(plan: Plan) -> BidSplit:
    """Delivered and unmet FTE-weeks of committed and of bid-dependent work, and how many
    of the funding bids the plan writes (see :class:`BidSplit`)."""
    problem = plan.problem
    unmet = {u.task_id for u in plan.unmet}
    totals = {(b, d): Decimal(0) for b in (False, True) for d in (False, True)}
    bid_items: dict[str, bool] = {}
    opens: dict[str, int] = {}
    for task in problem.tasks:
        done = task.id not in unmet
        totals[task.bid_dependent, done] += task.demand_fte_weeks
        if task.kind is WorkKind.BID:
            bid_items[task.item_id] = bid_items.get(task.item_id, True) and done
            opens[task.item_id] = min(
                opens.get(task.item_id, task.earliest_start), task.earliest_start
            )
    horizon, weeks = problem.scenario.horizon, problem.week_starts
    by_year = []
    for year in financial_years(horizon.start, horizon.end):
        bids = [i for i in bid_items if year.contains(weeks[min(opens[i], len(weeks) - 1)])]
        by_year.append((year.label, sum(bid_items[i] for i in bids), len(bids)))
    return BidSplit(
        committed_delivered=totals[False, True],
        committed_unmet=totals[False, False],
        bid_delivered=totals[True, True],
        bid_unmet=totals[True, False],
        bids_written=sum(bid_items.values()),
        bids=len(bid_items),
        by_year=tuple(by_year),
    )


@dataclass(frozen=True)
class BidRoom:
    """How many further bids an option has room for (para 30; see
    :mod:`capacity.domain.further_bids`): at least ``room`` and at most ``most`` of the
    ``offered`` further bids, beside the bids its plan writes (``most`` from CP-SAT's
    bound; equal when proven). ``by_year`` as (label, room, offered) per financial year
    the bids open in."""

    room: int
    most: int
    offered: int
    by_year: tuple[tuple[str, int, int], ...]

    @property
    def proven(self) -> bool:
        return self.room == self.most


def further_bids(result: OptionResult) -> BidRoom | None:
    """The option's room for further bids, from its :attr:`OptionResult.bid_room` plan
    (``None`` when it has none): the bids that plan writes that its scenario adds, and at
    most as many as CP-SAT's bound on the bids left unwritten allows."""
    room = result.bid_room
    if room is None:
        return None
    known = {w.id for w in result.plan.problem.scenario.work}
    offered = [
        w for w in room.problem.scenario.work if w.kind is WorkKind.BID and w.id not in known
    ]
    written = {a.item_id for a in room.assignments}
    horizon = room.problem.scenario.horizon
    by_year = []
    for year in financial_years(horizon.start, horizon.end):
        opening = [w for w in offered if w.release is not None and year.contains(w.release)]
        by_year.append((year.label, sum(w.id in written for w in opening), len(opening)))
    found = sum(w.id in written for w in offered)
    return BidRoom(
        room=found,
        most=found if room.solver.status is SolveStatus.OPTIMAL else _most(room, offered),
        offered=len(offered),
        by_year=tuple(by_year),
    )


def _most(room: Plan, offered: list) -> int:
    """The most further bids any plan could write: the offer, less as many bids as CP-SAT's
    bound on the weighted FTE-weeks of bids left unwritten says must be (each counted at
    the largest a further bid weighs)."""
    ids = {w.id for w in offered}
    sizes = [t.demand_fte_weeks * t.weight for t in room.problem.tasks if t.item_id in ids]
    bound = Decimal(str(room.solver.parameters.get("unwritten_bids_bound", "0")))
    if not sizes or bound <= 0:
        return len(offered)
    unwritten = math.ceil((bound - Decimal("0.001")) / max(sizes))
    return max(0, len(offered) - unwritten)


FURTHER_BIDS_ROW = "Room for further bids (para 30)"


def further_bids_text(further: BidRoom) -> str:
    """``3 of 7``, or ``3-4 of 7`` when the planner has not proven how many."""
    count = str(further.room) if further.proven else f"{further.room}-{further.most}"
    return f"{count} of {further.offered}"


def unmet_by_item(plan: Plan) -> pd.DataFrame:
    """Unmet work per work item (a part-delivered ongoing item shows the part unmet).

    Columns: ``item_id, name, mandatory, unmet_fte_weeks, demand_fte_weeks, parts_unmet,
    parts, reason`` (the reason of the first unmet part).
    """
    problem = plan.problem
    demand: dict[str, Decimal] = defaultdict(Decimal)
    parts: dict[str, int] = defaultdict(int)
    for task in problem.tasks:
        demand[task.item_id] += task.demand_fte_weeks
        parts[task.item_id] += 1
    rows: dict[str, dict[str, object]] = {}
    for u in plan.unmet:
        row = rows.setdefault(
            u.item_id,
            {
                "item_id": u.item_id,
                "name": problem.item_name(u.item_id),
                "mandatory": u.mandatory,
                "unmet_fte_weeks": Decimal(0),
                "demand_fte_weeks": demand[u.item_id],
                "parts_unmet": 0,
                "parts": parts[u.item_id],
                "reason": u.reason,
            },
        )
        row["unmet_fte_weeks"] += u.demand_fte_weeks  # type: ignore[operator]
        row["parts_unmet"] += 1  # type: ignore[operator]
    columns = [
        "item_id",
        "name",
        "mandatory",
        "unmet_fte_weeks",
        "demand_fte_weeks",
        "parts_unmet",
        "parts",
        "reason",
    ]
    table = pd.DataFrame(list(rows.values()), columns=columns)
    return table.sort_values(
        ["mandatory", "unmet_fte_weeks"], ascending=[False, False], kind="stable"
    )


def work_by_year(plan: Plan) -> dict[str, tuple[Decimal, Decimal]]:
    """Delivered and unmet FTE-weeks per financial year of the horizon: label -> (delivered,
    unmet).

    Delivered work counts in the weeks it is booked; an unmet task's demand is spread
    evenly over its window's weeks (where it could have been done). A week across 31 March
    is shared by its working days (:func:`capacity.domain.years.week_shares`).
    """
    problem = plan.problem
    horizon = problem.scenario.horizon
    delivered = {fy.label: Decimal(0) for fy in financial_years(horizon.start, horizon.end)}
    unmet = dict(delivered)
    weeks = problem.week_starts
    for a in plan.assignments:
        for label, fte_weeks in spread_over_years(
            weeks, a.start_week, a.end_week, a.load_fte
        ).items():
            delivered[label] = delivered.get(label, Decimal(0)) + fte_weeks
    for u in plan.unmet:
        task = problem.task(u.task_id)
        first, end = task.earliest_start, min(task.latest_end, len(weeks))
        if end <= first:  # no window at all: the task's demand sits where its window opens
            first, end = min(first, len(weeks) - 1), min(first, len(weeks) - 1) + 1
        # the window's weeks in each year first, divided once: exact when it falls in one year
        for label, window_weeks in spread_over_years(weeks, first, end, Decimal(1)).items():
            share = u.demand_fte_weeks * window_weeks / (end - first)
            unmet[label] = unmet.get(label, Decimal(0)) + share
    return {label: (delivered[label], unmet.get(label, Decimal(0))) for label in delivered}


def comparison_table(results: list[OptionResult]) -> pd.DataFrame:
    """One row per option, every figure the printed comparison shows (for ``comparison.csv``)."""
    rows = []
    for result in results:
        plan, cost = result.plan, result.cost
        unmet = unmet_by_item(plan)
        row: dict[str, object] = {
            "option_id": plan.option_id,
            "option_name": plan.problem.option_name,
            "solver_status": plan.solver.status.value,
            "demand_fte_weeks": plan.problem.total_demand_fte_weeks,
            "delivered_fte_weeks": plan.delivered_fte_weeks,
            "unmet_fte_weeks": plan.unmet_fte_weeks,
            "unmet_mandatory_fte_weeks": plan.unmet_mandatory_fte_weeks,
            "mandatory_delivered": plan.mandatory_delivered,
            **_split_columns(plan),
            **_further_columns(result),
            "unmet_items": ";".join(unmet["item_id"]),
            "unmet_mandatory_items": ";".join(unmet.loc[unmet["mandatory"], "item_id"]),
            "additional_cost_in_year": cost.additional_in_year,
            "additional_cost_next_year": cost.additional_next_year,
            **{f"additional_cost_{_key(label)}": amount for label, amount in cost.by_year},
            "cost_rule": f"pro rata by {cost.rule.value}; rounded to the penny, half up",
        }
        for label, (done, undone) in work_by_year(plan).items():
            row[f"delivered_fte_weeks_{_key(label)}"] = round(done, 2)
            row[f"unmet_fte_weeks_{_key(label)}"] = round(undone, 2)
        for member in plan.problem.staff:
            mean, peak = plan.utilisation(member.id)
            row[f"utilisation_mean_{member.id}"] = round(mean, 3)
            row[f"utilisation_peak_{member.id}"] = round(peak, 3)
        rows.append(row)
    return pd.DataFrame(rows)


def comparison_view(results: list[OptionResult]) -> pd.DataFrame:
    """The printed comparison: one column per option (headed by its short name, see
    :func:`capacity.reports.figures.option_headings`), one row per figure, as text.

    People and work are shown by name; figures by the one rule of
    :mod:`capacity.reports.figures`.
    """
    columns: dict[str, dict[str, str]] = {}
    staff: dict[str, str] = {}  # id -> name, in the order the options list them
    for result in results:
        for member in result.plan.problem.staff:
            staff.setdefault(member.id, member.name)
    headings = option_headings([r.plan.problem.option_name for r in results])
    for heading, result in zip(headings, results, strict=True):
        plan, cost = result.plan, result.cost
        unmet = unmet_by_item(plan)
        mandatory = unmet[unmet["mandatory"]]
        by_year = work_by_year(plan)
        several = len(by_year) > 1  # one financial year: its total is the year's figure
        column: dict[str, str] = {}
        if several:
            for label, amount in cost.by_year:
                column[f"Additional cost {label}"] = _money(amount)
            column["Additional cost, total"] = _money(cost.additional_over_horizon)
            column["Full-year cost thereafter"] = _money(cost.additional_after_horizon)
        else:
            horizon = plan.problem.scenario.horizon
            column[f"Additional cost {horizon.year_label}"] = _money(cost.additional_in_year)
            column["Full-year cost thereafter"] = _money(cost.additional_next_year)
        column["Delivered (FTE-weeks)"] = format_fte_weeks(plan.delivered_fte_weeks)
        if several:
            for label, (done, _) in by_year.items():
                column[f"  in {label}"] = format_fte_weeks(done)
        column["Unmet (FTE-weeks)"] = format_fte_weeks(plan.unmet_fte_weeks)
        column["  of which mandatory"] = format_fte_weeks(plan.unmet_mandatory_fte_weeks)
        if several:
            for label, (_, undone) in by_year.items():
                column[f"  unmet in {label}"] = format_fte_weeks(undone)
        column |= _split_rows(plan)
        column |= _further_rows(result)
        column |= {
            "Work items not (fully) delivered": _items_in_pieces(unmet),
            "Mandatory work delivered": "yes"
            if plan.mandatory_delivered
            else f"NO ({'; '.join(mandatory['name'])})",
        }
        people = {m.id: m for m in plan.problem.staff}
        for staff_id, name in staff.items():
            label = f"Load: {name} (mean / peak)"
            if staff_id in people and sum(plan.problem.capacity[staff_id]) > 0:
                mean, peak = plan.utilisation(staff_id)
                column[label] = f"{format_share(mean)} / {format_share(peak)}"
            else:
                column[label] = "not in post"
        column["Best possible plan?"] = _plan_quality(plan)
        columns[heading] = column
    return pd.DataFrame(columns)


def _items_in_pieces(unmet: pd.DataFrame) -> str:
    """``28 in 46 pieces``: the items, and the pieces (months, stages, stints) of them
    that the plan leaves undone, as unmet.csv and the workbook's Unmet sheet list them."""
    items, pieces = len(unmet), int(unmet["parts_unmet"].sum())
    return str(items) if items == pieces else f"{items} in {format_count(pieces, 'piece')}"


def _plan_quality(plan: Plan) -> str:
    """Whether the plan is proven the best possible, or how far from it it may be."""
    if plan.solver.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return plan_quality(plan.solver.status is SolveStatus.OPTIMAL, plan.solver.gap, short=True)
    return "no plan found"


def option_legend(results: list[OptionResult]) -> list[str]:
    """``Option 4: a permanent full-time ...`` for each option whose column heading is
    shorter than its name (nothing when the headings are the names)."""
    names = [option_label(r.plan.problem.option_name) for r in results]
    return [
        name for name, heading in zip(names, option_headings(names), strict=True) if name != heading
    ]


def _split_columns(plan: Plan) -> dict[str, object]:
    split = bid_split(plan)
    return {
        "bids_mode": plan.problem.bids.value,
        "committed_delivered_fte_weeks": split.committed_delivered,
        "committed_unmet_fte_weeks": split.committed_unmet,
        "bid_dependent_delivered_fte_weeks": split.bid_delivered,
        "bid_dependent_unmet_fte_weeks": split.bid_unmet,
        "bids_written": split.bids_written,
        "bids_known": split.bids,
        **{
            f"{column}_{_key(label)}": value
            for label, written, known in split.by_year
            for column, value in (("bids_written", written), ("bids_known", known))
        },
    }


def _split_rows(plan: Plan) -> dict[str, str]:
    split = bid_split(plan)
    return {
        "Committed work delivered / unmet": (
            f"{format_fte_weeks(split.committed_delivered)} / "
            f"{format_fte_weeks(split.committed_unmet)}"
        ),
        f"Bid-dependent work delivered / unmet ({BIDS_SHOWN[plan.problem.bids]})": (
            f"{format_fte_weeks(split.bid_delivered)} / {format_fte_weeks(split.bid_unmet)}"
        ),
        "Funding bids written": f"{split.bids_written} of {split.bids}",
        **(
            {
                f"  bids of {label}": f"{written} of {known}"
                for label, written, known in split.by_year
            }
            if len(split.by_year) > 1
            else {}
        ),
    }


def _further_columns(result: OptionResult) -> dict[str, object]:
    further = further_bids(result)
    if further is None:
        return {}
    return {
        "further_bids_offered": further.offered,
        "further_bids_room": further.room,
        "further_bids_room_most": further.most,
        **{
            f"{column}_{_key(label)}": value
            for label, room, offered in further.by_year
            for column, value in (("further_bids_room", room), ("further_bids_offered", offered))
        },
    }


def _further_rows(result: OptionResult) -> dict[str, str]:
    further = further_bids(result)
    if further is None:
        return {}
    rows = {FURTHER_BIDS_ROW: further_bids_text(further)}
    if len(further.by_year) > 1:
        rows |= {
            f"  further bids {label}": f"{room} of {offered}"
            for label, room, offered in further.by_year
        }
    return rows


def _key(label: str) -> str:
    """``2021/22`` as a column-name part: ``2021_22``."""
    return label.replace("/", "_")


def _money(amount: Decimal | None) -> str:
    return "not costed" if amount is None else format_money(amount)


def unmet_text(results: list[OptionResult], width: int = 100) -> str:
    """What each option leaves undone, by name, as wrapped lines (``*`` marks mandatory
    work; an item left partly undone says how many of its pieces)."""
    heading = (
        "Not delivered, by option (FTE-weeks unmet; * mandatory; a piece is a month, stage or "
        "stint of an item; unmet.csv lists each piece and why):"
    )
    lines = textwrap.wrap(heading, width=width)
    headings = option_headings([r.plan.problem.option_name for r in results])
    for heading, result in zip(headings, results, strict=True):
        unmet = unmet_by_item(result.plan)
        items = "; ".join(
            f"{'*' if row.mandatory else ''}{row.name} {format_fte_weeks(row.unmet_fte_weeks)}"
            + (f" ({row.parts_unmet} of {row.parts} pieces)" if row.parts_unmet < row.parts else "")
            for row in unmet.itertuples()
        )
        lines.append(headed_line(heading, items, width))
    return "\n".join(lines)


def comparison_change(baseline: list[OptionResult], changed: list[OptionResult]) -> pd.DataFrame:
    """How a what-if moves the comparison: each option of ``changed`` against the same
    option in ``baseline``, before, after and the change.

    One row per option in ``changed`` (which may be a subset, e.g. only the options a
    what-if touches). Columns: ``option_id``, then ``unmet_fte_weeks``,
    ``unmet_mandatory_fte_weeks`` and ``additional_cost_in_year``, each as ``_before``,
    ``_after`` and ``_change``; and ``mandatory_delivered_before`` and ``_after``.
    A cost the scenario cannot give (no grade) is blank, and so is its change.

    Raises
    ------
    KeyError
        If an option of ``changed`` is not in ``baseline``.
    """
    before = {result.plan.option_id: result for result in baseline}
    figures: dict[str, Callable[[OptionResult], Decimal | None]] = {
        "unmet_fte_weeks": lambda r: r.plan.unmet_fte_weeks,
        "unmet_mandatory_fte_weeks": lambda r: r.plan.unmet_mandatory_fte_weeks,
        "additional_cost_in_year": lambda r: r.cost.additional_in_year,
    }
    rows = []
    for result in changed:
        option_id = result.plan.option_id
        if option_id not in before:
            raise KeyError(f"option {option_id!r} is not in the baseline comparison")
        row: dict[str, object] = {"option_id": option_id}
        for name, figure in figures.items():
            old, new = figure(before[option_id]), figure(result)
            row[f"{name}_before"] = old
            row[f"{name}_after"] = new
            row[f"{name}_change"] = None if old is None or new is None else new - old
        row["mandatory_delivered_before"] = before[option_id].plan.mandatory_delivered
        row["mandatory_delivered_after"] = result.plan.mandatory_delivered
        rows.append(row)
    return pd.DataFrame(rows)
