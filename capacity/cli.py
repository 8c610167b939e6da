"""The ``capacity`` command line: thin commands over the pipeline.

Each command reads the scenario, calls one or two library functions and
writes or prints the result. Errors the user can fix become one line on
stderr and exit status 2.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import math
import re
import sys
import textwrap
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from capacity import shipped
from capacity.domain.estimate import PointRule
from capacity.domain.scenario import Scenario
from capacity.domain.work import BidMode
from capacity.errors import (
    CapacityError,
    InvalidValue,
    PlanInvalid,
    ScenarioError,
    SolverFailure,
    WorkerStopped,
)
from capacity.finance import DEFAULT_TOLERANCE, ROUNDING_RULE, ProRata
from capacity.outputs.folder import check_file_target, check_folder_target, output_directory
from capacity.pipeline import base_plans, compare_options, plan_option
from capacity.plan import OptionResult, SolveStatus
from capacity.plan_cache import PlanCache
from capacity.readers import load_scenario
from capacity.readers.scenario_yaml import base_file
from capacity.reports.figures import (
    FIGURE_ROUNDING_RULE,
    format_fte_weeks,
    option_headings,
    option_label,
    plan_quality,
)
from capacity.reports.progress import ProgressLines
from capacity.risk.study import DETERMINISTIC_LIMIT, StudyResult
from capacity.solver import DETERMINISTIC_SECONDS_PER_PHASE, TIME_LIMIT_SECONDS, SolverSettings

DEFAULT_SCENARIO = Path(shipped.SCENARIOS) / shipped.DEFAULT_SCENARIO
ONE_YEAR_SCENARIO = Path(shipped.SCENARIOS) / shipped.ONE_YEAR_SCENARIO


class InputError(click.ClickException):
    """Bad input or output location: one line, exit status 2."""

    exit_code = 2


def default_scenario() -> Path:
    """The two-year scenario: a copy in the current folder's scenarios/, else the shipped
    one (package data, so this works from any folder once capacity is installed)."""
    here = Path.cwd() / DEFAULT_SCENARIO
    return here if here.exists() else shipped.default_scenario()


def one_year_scenario() -> Path:
    """The 2021/22 scenario, found as :func:`default_scenario` is: the what-if page's."""
    here = Path.cwd() / ONE_YEAR_SCENARIO
    return here if here.exists() else shipped.one_year_scenario()


def handle_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (PlanInvalid, SolverFailure) as exc:
            raise click.ClickException(f"internal error, nothing written: {exc}") from None
        except WorkerStopped as exc:
            raise click.ClickException(str(exc)) from None
        except CapacityError as exc:
            raise InputError(str(exc)) from None

    return wrapper


def scenario_argument(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.argument(
        "scenario",
        required=False,
        type=click.Path(path_type=Path),
        metavar="[SCENARIO]",
    )(command)


def solver_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(
        [
            click.option(
                "--time-limit",
                type=click.FloatRange(min=0.1),
                callback=_finite,
                default=TIME_LIMIT_SECONDS,
                show_default=True,
                help="The most seconds the planner may spend on each option, a backstop: the "
                "search budget normally ends the search first. A plan it stops may not be the "
                "best possible, and may differ from run to run.",
            ),
            click.option(
                "--search-budget",
                type=click.FloatRange(min=0.1),
                callback=_finite,
                default=DETERMINISTIC_SECONDS_PER_PHASE,
                show_default=True,
                help="How hard the planner searches for each option, in units of work that "
                "are the same on every machine, so the same plan comes out on every run "
                "(CP-SAT deterministic seconds per phase; the last, tidying phase gets "
                "2/15 of it, at most 2).",
            ),
            click.option(
                "--point",
                type=click.Choice([p.value for p in PointRule]),
                default=None,
                help="Which point of each estimated range to plan with: low, midpoint or "
                "high [default: the scenario's].",
            ),
            click.option(
                "--seed",
                type=int,
                default=0,
                show_default=True,
                help="Fixes the planner's random choices: the same number gives the same "
                "plans (the solver's random seed).",
            ),
            click.option(
                "--bids",
                type=click.Choice([m.value for m in BidMode]),
                default=BidMode.EXPECTED.value,
                show_default=True,
                help="Bids whose outcome is not known: expected (each delivery at its chance "
                "of winning x the team's share), won (every bid won) or lost (only the "
                "writing).",
            ),
        ]
    ):
        command = option(command)
    return command


def cache_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--no-cache",
        is_flag=True,
        help="Plan every option again instead of reusing the plans an earlier command saved "
        "(a saved plan is checked again against the scenario before it is used).",
    )(command)


def base_budget_option(help_text: str) -> Callable[..., Any]:
    """``--base-budget``: the search budget of the base a what-if is planned from."""
    return click.option(
        "--base-budget",
        type=click.FloatRange(min=0.1),
        callback=_finite,
        default=DETERMINISTIC_SECONDS_PER_PHASE,
        show_default=True,
        help=help_text,
    )


def from_base_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--from-base`` and ``--base-budget``: a what-if planned from its base's plans."""
    command = base_budget_option(
        "With --from-base: the search budget the base scenario is planned with."
    )(command)
    return click.option(
        "--from-base",
        is_flag=True,
        help="For a what-if (a file with 'extends:'): plan its base scenario first, as "
        "`capacity compare BASE` would (with --base-budget), and start each option's "
        "search from the base's plan, kept where it still fits. A short --search-budget "
        "then gives good plans, whose differences from the base's are what the change "
        "does. The what-if page plans this way.",
    )(command)


def output_options(default: Path | None, help_text: str) -> Callable[..., Any]:
    """``--out DIR`` (with the command's default) and ``--force``."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        command = click.option(
            "--force", is_flag=True, help="Replace --out even if capacity did not write it."
        )(command)
        return click.option(
            "--out",
            type=click.Path(path_type=Path),
            default=default,
            show_default=default is not None,
            help=help_text,
        )(command)

    return decorate


def cost_rule_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--cost-rule",
        type=click.Choice([r.value for r in ProRata]),
        default=None,
        help="Pro-rata rule for part-year posts [default: the scenario's pay.pro_rata].",
    )(command)


def _finite(context: click.Context, parameter: click.Parameter, value: float) -> float:
    if not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a finite number")
    return value


def _finite_or_none(
    context: click.Context, parameter: click.Parameter, value: float | None
) -> float | None:
    return None if value is None else _finite(context, parameter, value)


def _settings(time_limit: float, seed: int, search_budget: float) -> SolverSettings:
    return SolverSettings.for_search_budget(search_budget, time_limit, seed)


def _read(scenario: Path | None) -> Scenario:
    return load_scenario(scenario or default_scenario(), warn=_warn)


def _warn(slip: ScenarioError) -> None:
    """A value that is valid but almost certainly a slip: said on stderr, located."""
    click.echo(f"Warning: {slip}", err=True)


CHECKED = (
    "Every plan was checked again, independently, against the scenario (capacity, dates, "
    "skills and links)"
)
CHECKED_ONE = "The plan was checked again, independently, against the scenario"
NUMBER_KINDS = {
    "source": "from a source document",
    "derived": "worked out from one",
    "assumption": "assumptions",
    "input": "given without a source",
}
"""How `validate` counts the scenario's numbers, by where each came from."""


def _with_names(text: str, names: dict[str, str]) -> str:
    """``text`` with each id it contains replaced by its name (ids not found stay)."""
    return re.sub(r"[A-Za-z0-9][\w.-]*", lambda m: names.get(m.group(0), m.group(0)), text)


def _option_legend(data: Scenario, shown: list[Any]) -> list[str]:
    """The full names of the options a table heads by their short names (``shown``: the
    options' results or risks, each with an ``option_id`` or a ``plan``)."""
    ids = {getattr(r, "option_id", None) or r.plan.option_id for r in shown}
    names = [o.name for o in data.options if o.id in ids]
    return [
        option_label(n)
        for n, h in zip(names, option_headings(names), strict=True)
        if h != option_label(n)
    ]


def _named_costs_view(view: Any, data: Scenario) -> Any:
    """The costs view with each option (column) and post decided named, not by id."""
    from capacity.reports.scenario_diff import scenario_names

    names = scenario_names(data)
    options = {o.id: o.name for o in data.options}
    headings = option_headings([options.get(str(c), str(c)) for c in view.columns])
    named = view.copy()
    named.columns = headings
    if "Posts decided" in named.index:
        named.loc["Posts decided"] = [
            _with_names(str(v), names) for v in named.loc["Posts decided"]
        ]
    return named


def _check_option(data: Scenario, option_id: str) -> None:
    """Fail fast, before any solve, on an unknown --option."""
    try:
        data.option(option_id)
    except InvalidValue as exc:
        raise InputError(f"{data.source_file}: --option: {exc.message}") from None


def _every_option(
    data: Scenario,
    settings: SolverSettings,
    point: str | None,
    bids: str,
    no_cache: bool,
    cost_rule: ProRata | None = None,
    base_budget: float | None = None,
    room_for_bids: bool = False,
) -> list[OptionResult]:
    """Every option planned (or taken from the plan cache) and costed, a line each;
    with ``base_budget``, from the plans of the what-if's base (``--from-base``); with
    ``room_for_bids``, and the room each has for further bids."""
    cache = PlanCache.default(enabled=not no_cache)
    rule = PointRule(point) if point else None
    start_from = None
    if base_budget is not None:
        base_path = base_file(data.source_file)
        if base_path is None:
            raise InputError(
                f"{data.source_file}: --from-base: this scenario does not extend a base "
                "scenario (it has no 'extends:'); plan it without --from-base"
            )
        base = load_scenario(base_path)
        click.echo(f"Base scenario: {base.name} ({base_path})", err=True)
        base_settings = _settings(settings.time_limit_seconds, settings.seed, base_budget)
        start_from = base_plans(
            base, data, base_settings, rule, BidMode(bids), cache, _progress_with(cache, base)
        )
        if cache is not None:
            cache.hits.clear()  # the base's; the lines below say the what-if's own
        click.echo(f"Scenario: {data.name}, each option from the base's plan", err=True)
    return compare_options(
        data,
        settings,
        rule,
        cost_rule,
        on_progress=_progress_with(cache, data),
        bids=BidMode(bids),
        cache=cache,
        start_from=start_from,
        room_for_bids=room_for_bids,
    )


def _progress_with(
    cache: PlanCache | None, data: Scenario
) -> Callable[[str, OptionResult | None], None]:
    """A line per option on the terminal: planning it, then how good the plan is (or that
    an earlier command's plan was used)."""
    names = {o.id: o.name for o in data.options}

    def progress(option_id: str, result: OptionResult | None) -> None:
        if result is None:
            click.echo(f"Planning {names.get(option_id, option_id)} ...", err=True, nl=False)
            return
        solver = result.plan.solver
        quality = plan_quality(solver.status is SolveStatus.OPTIMAL, solver.gap)
        if cache is not None and option_id in cache.hits:
            click.echo(f" {quality}, saved by an earlier run and checked again", err=True)
            return
        click.echo(f" {quality}, in {solver.runtime_seconds:.1f} s", err=True)

    return progress


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="capacity")
def cli() -> None:
    """Plan a commissioning team's years under each staffing option.

    Shares the known work out among the staff, week by week (with a
    constraint solver, CP-SAT), checks every plan again independently, and
    reports the work left undone, who is loaded when, and what each option
    costs.

    Given no SCENARIO, a command plans the shipped staffing options over two
    financial years, 2021/22 and 2022/23 (scenarios/two-years-2021-23.yaml);
    scenarios/staffing-options-2021-22.yaml is 2021/22 alone.
    """


@cli.command()
@scenario_argument
@output_options(
    Path("capacity-output"),
    "Folder for comparison.csv, assumptions.csv and one subfolder per option.",
)
@cost_rule_option
@solver_options
@from_base_options
@cache_option
@handle_errors
def compare(
    scenario: Path | None,
    out: Path,
    force: bool,
    cost_rule: str | None,
    time_limit: float,
    search_budget: float,
    point: str | None,
    seed: int,
    bids: str,
    from_base: bool,
    base_budget: float,
    no_cache: bool,
) -> None:
    """Compare every staffing option side by side.

    SCENARIO defaults to the shipped options over 2021/22 and 2022/23
    (scenarios/two-years-2021-23.yaml; about 4 minutes on 2 cores). Beside each
    option's plan it finds how many further funding bids the option has room for
    (para 30; not with --from-base).

    Example:

        capacity compare

        capacity compare scenarios/staffing-options-2021-22.yaml --out one-year

        capacity compare scenarios/what-if-recruitment-gap.yaml --out gap-study

        capacity compare my-what-if.yaml --from-base --search-budget 1
    """
    from capacity.outputs.plan_files import write_comparison_files
    from capacity.reports.comparison import comparison_view, option_legend, unmet_text
    from capacity.reports.owners import moved_from_owner_text

    data = _read(scenario)
    check_folder_target(out, force)  # before the solve, not after
    click.echo(f"Scenario: {data.name} ({data.source_file})", err=True)
    if base_budget != DETERMINISTIC_SECONDS_PER_PHASE and not from_base:
        click.echo("Warning: --base-budget is used only with --from-base; ignored", err=True)
    settings = _settings(time_limit, seed, search_budget)
    rule = ProRata(cost_rule) if cost_rule else None
    results = _every_option(
        data,
        settings,
        point,
        bids,
        no_cache,
        rule,
        base_budget if from_base else None,
        # The what-if page's figures, which leave it out (a quarter of a minute an option).
        room_for_bids=not from_base,
    )
    with output_directory(out, force) as folder:
        write_comparison_files(data, results, folder)
    click.echo()
    click.echo(comparison_view(results).to_string())
    for line in option_legend(results):
        click.echo(f"  {line}")
    click.echo()
    click.echo(unmet_text(results))
    moves = [
        f"  {result.plan.problem.option_name}: {line}"
        for result in results
        for line in moved_from_owner_text(result.plan)
    ]
    if moves:
        click.echo()
        click.echo("Owned work the plan moves from its owner (see moved_from_owner.csv):")
        click.echo("\n".join(moves))
    click.echo()
    note = (
        "Costs: extra over the base team (as the scenario lists it, before any option), "
        f"pro rata by {cost_rule or data.pay.rule.value}, {ROUNDING_RULE}; "
        f"{FIGURE_ROUNDING_RULE}. `capacity finance` reconciles them with the record."
    )
    click.echo(textwrap.fill(note, width=100))
    click.echo(f"{CHECKED}.")
    click.echo(f"Wrote {out}/")


@cli.command()
@scenario_argument
@click.option(
    "--option",
    "option_id",
    required=True,
    help="Which staffing option, by its id (e.g. option-4; `capacity validate` lists them).",
)
@output_options(None, "Folder for the plan's files [default: capacity-output/OPTION].")
@solver_options
@cache_option
@handle_errors
def plan(
    scenario: Path | None,
    option_id: str,
    out: Path | None,
    force: bool,
    time_limit: float,
    search_budget: float,
    point: str | None,
    seed: int,
    bids: str,
    no_cache: bool,
) -> None:
    """Plan one staffing option and write its schedule, capacity, unmet work and Gantt chart.

    Example:

        capacity plan --option option-4 --out option-4-plan
    """
    from capacity.finance import option_cost
    from capacity.outputs.plan_files import write_plan_files
    from capacity.reports.owners import moved_from_owner_text

    data = _read(scenario)
    cache = PlanCache.default(enabled=not no_cache)
    progress = _progress_with(cache, data)
    _check_option(data, option_id)
    target = out or Path("capacity-output") / option_id
    check_folder_target(target, force)
    progress(option_id, None)
    point_rule = PointRule(point) if point else None
    result = OptionResult(
        plan_option(
            data,
            option_id,
            _settings(time_limit, seed, search_budget),
            point_rule,
            bids=BidMode(bids),
            cache=cache,
        ),
        option_cost(data, option_id, point_rule=point_rule),
    )
    progress(option_id, result)
    with output_directory(target, force) as folder:
        write_plan_files(result, folder)
    plan_ = result.plan
    click.echo(
        f"{plan_.problem.option_name}: delivered {format_fte_weeks(plan_.delivered_fte_weeks)} "
        f"FTE-weeks, unmet {format_fte_weeks(plan_.unmet_fte_weeks)} (mandatory "
        f"{format_fte_weeks(plan_.unmet_mandatory_fte_weeks)}). {CHECKED_ONE}. Wrote {target}/"
    )
    for line in moved_from_owner_text(plan_):
        click.echo(f"  {line}")


@cli.command()
@scenario_argument
@handle_errors
def validate(scenario: Path | None) -> None:
    """Check a scenario file and summarise it, without solving.

    Example:

        capacity validate scenarios/what-if-lost-bid.yaml
    """
    data = _read(scenario)
    kinds: dict[str, int] = {}
    for entry in data.provenance:
        kinds[entry.provenance.kind.value] = kinds.get(entry.provenance.kind.value, 0) + 1
    horizon = data.horizon
    mandatory = sum(item.mandatory for item in data.work)
    click.echo(f"{data.source_file}: valid")
    click.echo(f"  {data.name}")
    click.echo(f"  Planning period: {horizon.start:%d %b %Y} to {horizon.end:%d %b %Y}")
    click.echo(f"  Staff ({len(data.team)}): " + "; ".join(m.name for m in data.team))
    click.echo(f"  Work: {len(data.work)} items, {mandatory} of them mandatory")
    click.echo(f"  Options ({len(data.options)}):")
    for option in data.options:
        click.echo(f"    {option.name}  [--option {option.id}]")
    click.echo(
        "  Numbers: "
        + ", ".join(f"{kinds[k]} {NUMBER_KINDS[k]}" for k in NUMBER_KINDS if k in kinds)
    )
    from capacity.reports.scenario_diff import scenario_names

    names = scenario_names(data)
    for change in data.what_ifs:
        click.echo(f"  What-if: {_with_names(change, names)}")
    if data.what_ifs:
        click.echo("  (capacity diff BASE WHAT-IF lists every change, field by field)")


@cli.command()
@click.argument("before", type=click.Path(path_type=Path))
@click.argument("after", type=click.Path(path_type=Path))
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(path_type=Path),
    help="Also write the differences as CSV (with the ids of staff, options and work).",
)
@click.option("--force", is_flag=True, help="Replace the --csv file if it exists.")
@handle_errors
def diff(before: Path, after: Path, csv_path: Path | None, force: bool) -> None:
    """Say what differs between two scenario files: staff, options, costs, work and
    assumptions, field by field, by name.

    BEFORE and AFTER are YAML scenarios or scenario workbooks (.xlsx), in any mix;
    a what-if is compared as the planner reads it, with its changes applied. Nothing
    is solved.

    Example:

        capacity diff scenarios/staffing-options-2021-22.yaml scenarios/what-if-lost-bid.yaml

        capacity diff options-v1.xlsx options-v2.xlsx --csv changes.csv
    """
    from capacity.reports.scenario_diff import scenario_diff, scenario_diff_text

    base, changed = _read(before), _read(after)
    if csv_path:
        check_file_target(csv_path, force)
    table = scenario_diff(base, changed)
    click.echo(f"From: {base.name} ({before})")
    click.echo(f"To:   {changed.name} ({after})")
    click.echo()
    click.echo(scenario_diff_text(table))
    if csv_path:
        from capacity.outputs.folder import output_file

        with output_file(csv_path, force) as staging:
            table.to_csv(staging, index=False)
        click.echo(f"Wrote {csv_path}")


@cli.command()
@scenario_argument
@click.option(
    "--csv", "csv_path", type=click.Path(path_type=Path), help="Also write the table as CSV."
)
@click.option("--force", is_flag=True, help="Replace the --csv file if it exists.")
@handle_errors
def assumptions(scenario: Path | None, csv_path: Path | None, force: bool) -> None:
    """List every number in the scenario with its source paragraph or assumption.

    Example:

        capacity assumptions --csv assumptions.csv
    """
    import pandas as pd

    from capacity.reports.assumptions import provenance_table
    from capacity.reports.scenario_diff import place_subject

    data = _read(scenario)
    table = provenance_table(data)
    shown = pd.DataFrame(
        {
            "about": [place_subject(p, data) or p.split(".")[0] for p in table["place"]],
            "place": table["place"],
            "value": table["value"],
            "basis": table["basis"],
            "detail": table["detail"].str.slice(0, 60),
        }
    )
    shown["about"] = shown["about"].str.slice(0, 40)
    widths = {c: max([len(c), *(len(str(v)) for v in shown[c])]) for c in shown.columns}
    left = {c: (lambda v, w=widths[c]: f"{v!s:<{w}}") for c in shown.columns}
    click.echo(shown.to_string(index=False, formatters=left, justify="left"))
    if csv_path:
        from capacity.outputs.folder import output_file

        with output_file(csv_path, force) as staging:
            table.to_csv(staging, index=False)


@cli.command()
@scenario_argument
@output_options(
    Path("capacity-finance"), "Folder for costs.csv, start-dates.csv and reconciliation.csv."
)
@cost_rule_option
@click.option(
    "--tolerance",
    type=click.FloatRange(min=0),
    callback=_finite,
    default=float(DEFAULT_TOLERANCE),
    show_default=True,
    help="Pounds: a stated figure further than this from the computed one is flagged.",
)
@solver_options
@cache_option
@handle_errors
def finance(
    scenario: Path | None,
    out: Path,
    force: bool,
    cost_rule: str | None,
    tolerance: float,
    time_limit: float,
    search_budget: float,
    point: str | None,
    seed: int,
    bids: str,
    no_cache: bool,
) -> None:
    """Cost each option, and reconcile the costs the record states with the computed ones.

    Plans every option first (for the cost per FTE-week of work delivered).

    Example:

        capacity finance

        capacity finance --cost-rule days --tolerance 0.01
    """
    from capacity.finance import reconcile, start_date_costs
    from capacity.reports.costs import (
        costs_table,
        costs_view,
        pay_model_text,
        reconciliation_table,
        reconciliation_text,
        start_date_table,
        start_date_view,
    )

    data = _read(scenario)
    check_folder_target(out, force)
    rule = ProRata(cost_rule) if cost_rule else data.pay.rule
    settings = _settings(time_limit, seed, search_budget)
    results = _every_option(data, settings, point, bids, no_cache, rule)
    costs = costs_table(results)
    point_rule = PointRule(point) if point else None
    starts = start_date_table(start_date_costs(data, cost_rule=rule, point_rule=point_rule))
    reconciliation = reconciliation_table(
        reconcile(data, Decimal(str(tolerance)), rule, point_rule)
    )
    with output_directory(out, force) as folder:
        costs.to_csv(folder / "costs.csv", index=False)
        starts.to_csv(folder / "start-dates.csv", index=False)
        reconciliation.to_csv(folder / "reconciliation.csv", index=False)
    click.echo()
    click.echo(pay_model_text(data, rule))
    click.echo()
    click.echo(_named_costs_view(costs_view(costs), data).to_string())
    for line in _option_legend(data, results):
        click.echo(f"  {line}")
    if not starts.empty:
        click.echo()
        click.echo("In-year cost by the new post's start date (an empty post costs nothing):")
        click.echo(start_date_view(starts).to_string(index=False))
    if not reconciliation.empty:
        click.echo()
        click.echo(reconciliation_text(reconciliation, tolerance))
    click.echo()
    click.echo(f"Wrote {out}/")


@cli.command()
@scenario_argument
@output_options(Path("capacity-plan.xlsx"), "The workbook to write (.xlsx).")
@solver_options
@cache_option
@handle_errors
def export(
    scenario: Path | None,
    out: Path,
    force: bool,
    time_limit: float,
    search_budget: float,
    point: str | None,
    seed: int,
    bids: str,
    no_cache: bool,
) -> None:
    """Write the Excel workbook: Summary, Schedule per option, Unmet, Utilisation, Costs,
    Reconciliation and Assumptions.

    Example:

        capacity export --out plan.xlsx
    """
    from capacity.finance import reconcile
    from capacity.outputs.folder import output_file
    from capacity.outputs.workbook import write_workbook, written_by_capacity

    if out.suffix.lower() != ".xlsx":
        raise InputError(f"{out}: the workbook's name must end in .xlsx")
    data = _read(scenario)
    check_file_target(out, force, written_by_capacity)
    settings = _settings(time_limit, seed, search_budget)
    results = _every_option(data, settings, point, bids, no_cache)
    with output_file(out, force, written_by_capacity) as staging:
        write_workbook(data, results, reconcile(data), staging)
    click.echo(f"{CHECKED}. Wrote {out}")


def _say_checking(samples: int) -> None:
    click.echo(f"Checking a saved risk study of {samples} sampled years again ...", err=True)


def _saved_study_line(study: StudyResult) -> str:
    return (
        f"Risk study: {len(study.samples)} sampled years (seed {study.seed}), saved by an "
        "earlier run and checked again."
    )


@cli.command()
@scenario_argument
@output_options(
    Path("board-pack"),
    "Folder for the board pack (PDF, HTML, Word, workbook and charts).",
)
@click.option(
    "--samples",
    type=click.IntRange(min=0),
    default=None,
    help="The risk study the summary's chance that statutory work slips comes from: run "
    "one of this many random what-if years now, planned as capacity risk plans them "
    f"({DETERMINISTIC_LIMIT:g} CP-SAT deterministic seconds a phase), or 0 for none "
    "[default: the largest study capacity risk saved for this scenario, checked again; "
    "none if it saved none].",
)
@click.option(
    "--date",
    "paper_date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The date the paper states, YYYY-MM-DD [default: today].",
)
@solver_options
@cache_option
@handle_errors
def report(
    scenario: Path | None,
    out: Path,
    force: bool,
    samples: int | None,
    paper_date: datetime | None,
    time_limit: float,
    search_budget: float,
    point: str | None,
    seed: int,
    bids: str,
    no_cache: bool,
) -> None:
    """Write the board pack: board-pack.pdf, board-pack.html (one self-contained page),
    board-pack.docx, capacity-plan.xlsx and every chart as PNG, SVG and PDF; each opens
    on a one-page summary with the chance that statutory work slips, from the risk study
    capacity risk saved for the scenario (checked again; the pack says so if there is
    none).

    It plans nothing that capacity compare and capacity risk have already planned: run
    those first and the report only reads, checks and draws.

    Example:

        capacity compare && capacity risk --samples 100 && capacity report --out board-pack

        capacity report --samples 20 --date 2021-04-22 --out board-pack
    """
    from capacity.finance import reconcile
    from capacity.outputs.board_folder import write_board_folder
    from capacity.outputs.board_pack import BoardPack
    from capacity.pipeline import default_workers
    from capacity.risk.saved import largest_study, run_or_read_study
    from capacity.risk.study import sample_settings

    data = _read(scenario)
    check_folder_target(out, force)
    settings = _settings(time_limit, seed, search_budget)
    results = _every_option(data, settings, point, bids, no_cache, room_for_bids=True)
    reconciliations = reconcile(data)
    cache = PlanCache.default(not no_cache)
    study = None
    if samples is None and cache is None:
        click.echo(
            "Saved plans and studies are not read (--no-cache), so the pack has no chance "
            "that statutory work slips: give --samples N to run a risk study with it.",
            err=True,
        )
    elif samples is None and cache is not None:
        study = largest_study(cache, data, _say_checking)
        if study is None:
            click.echo(
                "No risk study is saved for this scenario, so the pack has no chance that "
                "statutory work slips: run capacity risk on it (or give --samples), then this "
                "report again.",
                err=True,
            )
        else:
            click.echo(_saved_study_line(study), err=True)
    elif samples:
        shown = ProgressLines(samples, "Sampling", "samples", sys.stderr)
        study, saved = run_or_read_study(
            cache,
            data,
            samples,
            seed,
            min(samples, default_workers()),
            sample_settings(),
            on_progress=shown.update,
            on_checking=_say_checking,
        )
        if saved:
            click.echo(_saved_study_line(study), err=True)
    when = (paper_date or datetime.now()).date()
    pack = BoardPack(data, results, reconciliations, study, when)
    with output_directory(out, force) as folder:
        click.echo("Drawing charts and writing the pack ...", err=True)
        write_board_folder(pack, folder)
    files = sorted(p for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))
    for path in files:
        click.echo(f"  {path}  ({path.stat().st_size:,} bytes)")
    click.echo(f"Every plan passed the independent verifier. Wrote {out}/")


@cli.command()
@scenario_argument
@click.option(
    "--samples",
    type=click.IntRange(min=1),
    default=100,
    show_default=True,
    help="How many random what-if years to plan (samples).",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Fixes the random what-ifs: the same number gives the same result, on any number "
    "of workers (the study's random seed).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="How many years to plan at once on this computer [default: one per core it may use].",
)
@click.option(
    "--dask",
    "dask_address",
    metavar="ADDRESS",
    default=None,
    help="Plan the years on other computers, through the Dask scheduler at ADDRESS "
    "(needs: pip install 'capacity[dask]').",
)
@click.option(
    "--option",
    "option_ids",
    multiple=True,
    help="Only this option (repeat for more) [default: all].",
)
@click.option(
    "--work-limit",
    type=click.FloatRange(min=0.01),
    callback=_finite,
    default=DETERMINISTIC_LIMIT,
    show_default=True,
    help="How hard the planner searches in each sampled year, in units of work that are "
    "the same on every machine (CP-SAT deterministic seconds per phase).",
)
@output_options(
    Path("capacity-risk"),
    "Folder for summary.csv, samples.csv, items.csv, utilisation.csv, uncertainty.csv and charts.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Plan every sampled year again instead of reading back the same study an earlier "
    "run saved (a saved study's plans are checked again against their years before use).",
)
@handle_errors
def risk(
    scenario: Path | None,
    samples: int,
    seed: int,
    workers: int | None,
    dask_address: str | None,
    option_ids: tuple[str, ...],
    work_limit: float,
    out: Path,
    force: bool,
    no_cache: bool,
) -> None:
    """Plan every option on many sampled years: ranges drawn, bids won or lost, the
    recruitment outcome and long absences; the same draws for every option.

    Prints, per option, the chance that all mandatory work is delivered, the work left
    undone in a good, a typical and a bad year (P10, P50, P90), how loaded each person is
    on average, and the work most often left undone. How things
    are drawn is the scenario's `uncertainty:` section (docs/scenario-format.md). It has
    no --bids: each sample draws every bid's outcome itself (a known `outcome:` is kept),
    and a won bid's delivery is the team's share of it.

    Example:

        capacity risk --samples 200 --seed 1 --out risk-study

        capacity risk scenarios/what-if-recruitment-gap.yaml --samples 50 --option option-4

        capacity risk --samples 1000 --dask tcp://scheduler:8786
    """
    from capacity.outputs.risk_files import write_risk_files
    from capacity.pipeline import default_workers
    from capacity.reports.risk import most_often_text, staff_names, summary_view
    from capacity.risk.cluster import require_dask
    from capacity.risk.saved import run_or_read_study
    from capacity.risk.study import sample_settings as risk_settings
    from capacity.risk.study import summarise

    if dask_address is not None:
        require_dask()
    data = _read(scenario)
    for option_id in option_ids:
        _check_option(data, option_id)
    check_folder_target(out, force)
    settings = risk_settings(work_limit)
    where = (
        f"Dask at {dask_address}" if dask_address else f"{workers or default_workers()} worker(s)"
    )
    click.echo(
        f"Scenario: {data.name} ({data.source_file}); {samples} samples on {where}", err=True
    )
    bar: Any
    shown: Any
    # A moving bar on a terminal; in a pipe or a scheduled job, a line every few seconds.
    if sys.stderr.isatty():
        shown = click.progressbar(length=samples, label="Sampling", file=sys.stderr)
    else:
        shown = contextlib.nullcontext(ProgressLines(samples, "Sampling", "samples", sys.stderr))
    with shown as bar:
        study, saved = run_or_read_study(
            PlanCache.default(not no_cache),
            data,
            samples,
            seed,
            workers or default_workers(),
            settings,
            list(option_ids) or None,
            dask_address,
            on_progress=bar.update,
            on_checking=_say_checking,
        )
    if saved:
        click.echo(_saved_study_line(study), err=True)
    risks = summarise(study)
    with output_directory(out, force) as folder:
        write_risk_files(study, risks, folder)
    click.echo()
    click.echo(summary_view(risks, staff_names(data)).to_string())
    for line in _option_legend(data, risks):
        click.echo(f"  {line}")
    click.echo()
    click.echo(most_often_text(risks))
    click.echo()
    note = (
        f"{samples} sampled years, the same years for every option. Good year (P10): 1 "
        "sampled year in 10 leaves this much undone or less; bad year (P90): 9 in 10 do. "
        "Work that arises only in some years (a bid's delivery) counts the years it "
        "arises in. Each year is planned with the same search effort "
        f"({settings.deterministic_time_limit} CP-SAT deterministic seconds per phase, "
        "1 worker) and checked again, independently, against that year. "
        f"{FIGURE_ROUNDING_RULE}."
    )
    click.echo(textwrap.fill(note, width=100, break_on_hyphens=False))
    if study.backstop_hits:
        click.echo(
            f"Warning: {study.backstop_hits} sampled years ran out of time before their search "
            "effort was spent (the wall-clock backstop); those may differ on a rerun.",
            err=True,
        )
    click.echo(f"Wrote {out}/")


@cli.command()
@scenario_argument
@click.option(
    "--option", "base_option", default=None, help="Option to add staff to [default: the first]."
)
@click.option(
    "--target",
    type=click.FloatRange(min=0),
    callback=_finite_or_none,
    default=None,
    help="The most work (FTE-weeks) that may be left undone [default: no limit; only "
    "mandatory work must be delivered].",
)
@click.option(
    "--start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="First day of the added post [default: when the options' new post starts].",
)
@click.option("--lead/--no-lead", default=False, help="Whether the added post can lead tenders.")
@click.option(
    "--max-fte",
    type=click.FloatRange(min=0.1, max=20),
    default=3.0,
    show_default=True,
    help="Give up above this much added FTE.",
)
@click.option(
    "--scan",
    is_flag=True,
    help="Try every 0.1 FTE step from zero, instead of halving the range each time "
    "(slower; every step is shown).",
)
@click.option(
    "--verbose",
    is_flag=True,
    help="Also list what the added post does, week by week, in the plan that shows the answer.",
)
@output_options(None, "Also write the files of the plan that shows the answer to this folder.")
@solver_options
@handle_errors
def size(
    scenario: Path | None,
    base_option: str | None,
    target: float | None,
    start: Any,
    lead: bool,
    max_fte: float,
    scan: bool,
    verbose: bool,
    out: Path | None,
    force: bool,
    time_limit: float,
    search_budget: float,
    point: str | None,
    seed: int,
    bids: str,
) -> None:
    """Find the least FTE to add (in 0.1 steps) for all mandatory work to be delivered and
    the work left undone to stay within --target, and the latest start (a planning week) of
    that recruit before mandatory work slips. Prints the answer, a short summary of the
    plan that shows it works (checked again independently) and its cost. Exit status 1
    when no step up to --max-fte meets the target.

    Example:

        capacity size scenarios/staffing-options-2021-22.yaml --option option-1 --target 75

        capacity size --option option-1 --target 75 --verbose

        capacity size --option option-1 --lead --start 2021-09-01 --target 60 --out sized
    """
    from capacity.outputs.plan_files import write_plan_files
    from capacity.reports.sizing import sizing_text
    from capacity.sizing import SizingQuestion, check_question
    from capacity.sizing import size as size_staff

    data = _read(scenario)
    point_rule = PointRule(point) if point else None
    option_id = base_option or data.options[0].id
    _check_option(data, option_id)
    if out is not None:
        check_folder_target(out, force)
    question = SizingQuestion(
        base_option=option_id,
        target_unmet_fte_weeks=None if target is None else Decimal(str(target)),
        start=start.date() if start else None,
        lead=lead,
        max_fte=Decimal(str(max_fte)).quantize(Decimal("0.1")),
        scan=scan,
    )
    check_question(data, question, point_rule)  # before the first word of progress
    click.echo(f"Scenario: {data.name} ({data.source_file}); sizing ...", err=True)
    settings = dataclasses.replace(
        _settings(time_limit, seed, search_budget), tie_break_deterministic_seconds=0
    )
    answer = size_staff(data, question, settings, point_rule, BidMode(bids))
    click.echo(sizing_text(answer, verbose=verbose))
    if answer.plan_at_answer is None:
        raise click.ClickException(
            f"no answer: even {question.max_fte} added FTE does not meet the target; "
            "raise --max-fte or --target"
        )
    if out is not None:
        with output_directory(out, force) as folder:
            write_plan_files(answer.plan_at_answer, folder)
        click.echo(f"Wrote {out}/")


@cli.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace WORKBOOK if it exists.")
@handle_errors
def template(workbook: Path, force: bool) -> None:
    """Write a scenario workbook to fill in: Team, Work, Options, Assumptions, Finance and
    the sheets they refer to, with example rows to replace.

    Each heading has a note saying what goes in the column; drop-downs offer
    the kinds of work, priorities and skills. Every number has a _source (a
    paragraph of the decision record) or an _assumption (why) column. Any
    command that takes a scenario reads the filled-in workbook.

    Example:

        capacity template team.xlsx

        capacity compare team.xlsx --out team-comparison
    """
    from capacity.outputs.scenario_files import WORKBOOK_SUFFIX, write_template

    if workbook.suffix.lower() != WORKBOOK_SUFFIX:
        raise InputError(f"{workbook}: the workbook's name must end in .xlsx")
    write_template(workbook, force)
    click.echo(f"Wrote {workbook}: replace the example rows with your team, work and options.")


@cli.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("target", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace TARGET if it exists.")
@handle_errors
def convert(source: Path, target: Path, force: bool) -> None:
    """Convert a YAML scenario to a scenario workbook, or a workbook to YAML.

    The direction follows the suffixes (.yaml or .yml, and .xlsx). A what-if
    is written whole, with the scenario it extends and its changes applied;
    every number keeps its source or assumption. SOURCE is checked first:
    nothing is written for a bad one.

    Example:

        capacity convert scenarios/staffing-options-2021-22.yaml options.xlsx

        capacity convert options.xlsx options.yaml
    """
    from capacity.outputs.scenario_files import convert_scenario

    scenario = convert_scenario(source, target, force, warn=_warn)
    click.echo(
        f"Wrote {target}: {scenario.name} ({len(scenario.team)} staff, "
        f"{len(scenario.work)} work items, {len(scenario.options)} options)"
    )


def main() -> None:
    """Console entry point: click's errors as usual, and a clear word on Ctrl-C."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("\nInterrupted; nothing was written.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)


@cli.command()
@scenario_argument
@click.option(
    "--host",
    default=None,
    help="Address to listen on [default: 127.0.0.1, this machine only]. Anything else lets "
    "other machines reach the page (the token still guards it): a warning is printed.",
)
@click.option(
    "--port",
    type=click.IntRange(min=0, max=65535),
    default=0,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@click.option("--no-browser", is_flag=True, help="Print the address; do not open a browser.")
@base_budget_option(
    "The search budget the base scenario (the first state) is planned with, as "
    "`capacity compare` plans it; every change is then planned from the base's plans "
    "with --search-budget."
)
@solver_options
@cache_option
@handle_errors
def serve(
    scenario: Path | None,
    host: str | None,
    port: int,
    no_browser: bool,
    base_budget: float,
    time_limit: float,
    search_budget: float,
    point: str | None,
    seed: int,
    bids: str,
    no_cache: bool,
) -> None:
    """Open the what-if page: the options side by side, changed with the mouse.

    Mark bids won, lost or not written, move a recruit's start, change people's FTE,
    absences and availability, drop, add or resize work and change its priority; each
    change re-plans only the options it affects. The what-if is saved as a what-if
    scenario file that `capacity compare` reads. Local only: everything is served from
    this machine, and the printed address carries a token for this run.

    The base scenario is planned as `capacity compare` plans it (and its saved plans are
    used); each change is then planned from the base's plans, kept where they still fit,
    with a short search (--search-budget is 1 here). The saved what-if says the options
    to give `capacity compare` for the page's figures (`--from-base ...`).

    SCENARIO defaults to the shipped options over 2021/22 alone
    (scenarios/staffing-options-2021-22.yaml), so that a change shows in seconds; give
    it scenarios/two-years-2021-23.yaml for both years.

    Example:

        capacity serve

        capacity serve scenarios/what-if-lost-bid.yaml --no-browser --search-budget 15
    """
    from capacity.serve.server import LOCAL_HOST
    from capacity.serve.server import serve as serve_page

    if host is not None and host != LOCAL_HOST:
        click.echo(
            f"Warning: listening on {host}, not only this machine: anyone who can reach it "
            "and has the printed address (with its token) can drive the page.",
            err=True,
        )
    path = scenario or one_year_scenario()
    serve_page(
        path,
        _settings(time_limit, seed, search_budget),
        host or LOCAL_HOST,
        port,
        not no_browser,
        PointRule(point) if point else None,
        BidMode(bids),
        PlanCache.default(enabled=not no_cache),
        lambda line: click.echo(line, err=True),
        _settings(time_limit, seed, base_budget),
    )


# The page plans with a small budget of its own: a manager tries one change after another.
PAGE_SEARCH_BUDGET = 1.0
next(p for p in serve.params if p.name == "search_budget").default = PAGE_SEARCH_BUDGET
