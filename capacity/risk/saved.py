"""Risk studies kept on disk, so that a study is run once and read many times.

``capacity risk`` saves the study it ran; ``capacity report`` puts the largest study
saved for its scenario in the board pack instead of sampling again, and ``capacity
risk`` asked for the same study again reads it back. A study is kept in the plan cache's
folder (:mod:`capacity.plan_cache`: the same ``--no-cache``, ``CAPACITY_CACHE_DIR`` and
size cap), as one file per study:

- its name carries a digest of the scenario (its whole content, in the plan cache's
  canonical form) and the code (every ``capacity/**/*.py`` file), which the report
  looks studies up by; the number of samples; and a digest of the study's own settings
  (samples, seed, options, the search effort a sample was planned with);
- it holds every sampled plan (placements and solver report, gzip-compressed JSON) and
  a digest of all of it, not the figures: those are worked out again from the plans.

Reading a study back is checking it: each sample is drawn again from the scenario and
the seed, each plan rebuilt on its sample and passed through the independent verifier
(:func:`capacity.plan_cache.checked_plan`), and every figure the study reports is worked
out again from the plans (:func:`capacity.risk.study.outcome_of`). A file that fails any
check (torn, damaged, or for other inputs) is deleted and the study is not used; reading
a study back is never fatal. Checking costs about 35 ms a plan on this project's 2-core
machine (drawing the sample, building the option's problem, the verifier): about 14 s
for 100 samples of four options over two years, against about 50 minutes to plan them.

The digest shows that a file is whole; it is not a signature. A file edited by hand with
its digest worked out again can claim a solver status or bound that nothing can check
without solving again (as with a saved plan, :mod:`capacity.plan_cache`); its plans are
still rebuilt and verified, so no plan that breaks a rule, and no figure that is not the
plans', is ever reported.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import logging
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from capacity.domain.problem import build_problem
from capacity.domain.scenario import Scenario
from capacity.domain.work import BidMode
from capacity.plan_cache import (
    MAX_BYTES,
    PlanCache,
    canonical,
    checked_plan,
    code_digest,
    digest,
    discard,
    touch,
)
from capacity.risk.sampling import draw_sample
from capacity.risk.study import (
    Progress,
    StudyResult,
    outcome_of,
    run_study,
    sample_result,
    sample_settings,
)
from capacity.solver import SolverSettings

FORMAT = 1
"""Version of the file layout; part of every name."""

PREFIX = "study-"

LARGEST_SHARE = 0.5
"""A study larger than this share of the cache's size cap is not saved: saving it would
push out every saved plan (a plan of the shipped two-year data is about 16 kB of JSON;
1000 sampled years of four options compress to about 6 MB, under the cap's half)."""

Checking = Callable[[int], None]
"""Called with a saved study's number of samples just before they are checked again."""

_log = logging.getLogger(__name__)


def save_study(cache: PlanCache, study: StudyResult) -> None:
    """Save a study (every outcome must carry its plan: one that ``run_study`` made).
    A study is not saved if it was run with settings other than :func:`sample_settings`'s
    (it could not be read back the same) or would fill more than :data:`LARGEST_SHARE` of
    the cache."""
    settings = study.settings
    limit = settings.deterministic_time_limit
    if limit is None or settings != sample_settings(limit, settings.time_limit_seconds):
        return
    body = {
        "format": FORMAT,
        "seed": study.seed,
        "option_ids": list(study.option_ids),
        "work_limit": limit,
        "backstop_seconds": settings.time_limit_seconds,
        "samples": [
            {
                "index": result.index,
                "plans": [json.loads(zlib.decompress(o.plan)) for o in result.outcomes],
            }
            for result in study.samples
        ],
    }
    text = json.dumps({"body": body, "digest": digest(body)})
    content = gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)
    if len(content) > cache.max_bytes * LARGEST_SHARE:
        _log.info("plan cache: a study of %d bytes is too large to keep", len(content))
        return
    name = _name(study.scenario, len(study.samples), study.seed, settings, study.option_ids)
    cache.write(name, content)


def load_study(
    cache: PlanCache,
    scenario: Scenario,
    samples: int,
    seed: int,
    settings: SolverSettings,
    option_ids: Sequence[str],
    on_checking: Checking | None = None,
) -> StudyResult | None:
    """The saved study of exactly these inputs, checked again; ``None`` if there is none
    or it fails a check."""
    path = cache.folder / _name(scenario, samples, seed, settings, option_ids)
    return _read(path, scenario, on_checking)


def largest_study(
    cache: PlanCache, scenario: Scenario, on_checking: Checking | None = None
) -> StudyResult | None:
    """The saved study of this scenario (and this code) with the most samples, of every
    option the scenario has, checked again; ``None`` if there is none. Among studies of
    the same size, the one saved last."""
    every = {o.id for o in scenario.options}
    found = []
    for path in cache.folder.glob(f"{PREFIX}{_scenario_digest(scenario)}-*.json.gz"):
        with contextlib.suppress(OSError, ValueError):
            found.append((int(path.name.split("-")[2]), path.stat().st_mtime, path))
    for _samples, _saved, path in sorted(found, reverse=True):
        study = _read(path, scenario, on_checking, every)
        if study is not None:
            return study
    return None


def run_or_read_study(
    cache: PlanCache | None,
    scenario: Scenario,
    samples: int,
    seed: int,
    workers: int,
    settings: SolverSettings,
    option_ids: Sequence[str] | None = None,
    dask_address: str | None = None,
    on_progress: Progress | None = None,
    on_checking: Checking | None = None,
) -> tuple[StudyResult, bool]:
    """The study of these inputs read back from ``cache`` if it is saved there (and
    passes every check), else run (:func:`capacity.risk.study.run_study`) and saved
    there; and whether it was read back. ``on_progress`` hears of samples planned (all of
    them at once, for a study read back)."""
    ids = tuple(option_ids or [o.id for o in scenario.options])
    if cache is not None:
        found = load_study(cache, scenario, samples, seed, settings, ids, on_checking)
        if found is not None:
            if on_progress is not None:
                on_progress(samples)
            return found, True
    study = run_study(
        scenario, samples, seed, workers, settings, ids, dask_address, on_progress=on_progress
    )
    if cache is not None:
        save_study(cache, study)
    return study, False


def _read(
    path: Path,
    scenario: Scenario,
    on_checking: Checking | None = None,
    options: set[str] | None = None,
) -> StudyResult | None:
    """The study saved at ``path``, checked again (and ``None`` if it is not of every one
    of ``options``); a file that fails a check is deleted. A cache read is never fatal:
    any failure only means the study is not used."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ValueError("larger than the whole cache may be")
        entry = json.loads(gzip.decompress(path.read_bytes()))
        body = entry["body"]
        if entry["digest"] != digest(body) or body["format"] != FORMAT:
            raise ValueError("digest or format does not match")
        settings = sample_settings(float(body["work_limit"]), float(body["backstop_seconds"]))
        option_ids = tuple(str(o) for o in body["option_ids"])
        seed, samples = int(body["seed"]), len(body["samples"])
        # What the body says it is must be what its name says, before anything is rebuilt.
        if path.name != _name(scenario, samples, seed, settings, option_ids):
            raise ValueError("saved under another name")
        if options is not None and set(option_ids) != options:
            return None  # a study of some options only: kept, but not this one
        if on_checking is not None:
            on_checking(samples)
        study = _checked_study(body, scenario, seed, settings, option_ids)
    except FileNotFoundError:
        return None
    except Exception as exc:  # see the docstring: any failure only means not used
        discard(path, exc)
        return None
    touch(path)
    return study


def _checked_study(
    body: Any,
    scenario: Scenario,
    seed: int,
    settings: SolverSettings,
    option_ids: tuple[str, ...],
) -> StudyResult:
    results = []
    for number, saved in enumerate(body["samples"]):
        if int(saved["index"]) != number or len(saved["plans"]) != len(option_ids):
            raise ValueError(f"sample {number} is missing or out of order")
        sample = draw_sample(scenario, seed, number)
        outcomes = []
        for option_id, plan_body in zip(option_ids, saved["plans"], strict=True):
            problem = build_problem(sample.scenario, option_id, bids=BidMode.WON)
            outcomes.append(outcome_of(checked_plan(problem, plan_body, explain=False)))
        results.append(sample_result(sample, number, outcomes))
    if not results:
        raise ValueError("no samples")
    return StudyResult(scenario, seed, settings, option_ids, tuple(results))


def _name(
    scenario: Scenario,
    samples: int,
    seed: int,
    settings: SolverSettings,
    option_ids: Sequence[str],
) -> str:
    own = "\n".join([str(samples), str(seed), canonical(settings), canonical(list(option_ids))])
    own_digest = hashlib.sha256(own.encode("utf-8")).hexdigest()[:32]
    return f"{PREFIX}{_scenario_digest(scenario)}-{samples}-{own_digest}.json.gz"


def _scenario_digest(scenario: Scenario) -> str:
    text = "\n".join([f"study format {FORMAT}", code_digest(), canonical(scenario)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
