"""Running a study's samples on an existing Dask distributed cluster (optional extra).

``pip install 'capacity[dask]'`` installs it. The scenario is sent to the
workers once (scattered, broadcast); each task is a chunk of sample indices
run by :func:`capacity.risk.study.run_chunk`, the same function the local
workers run, so a Dask study equals a local one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from capacity.domain.scenario import Scenario
from capacity.errors import CapacityError
from capacity.solver import SolverSettings

if TYPE_CHECKING:
    from capacity.risk.study import Progress, SampleResult

CONNECT_TIMEOUT = "20s"


def run_on_dask(
    address: str,
    scenario: Scenario,
    samples: int,
    seed: int,
    settings: SolverSettings,
    option_ids: Sequence[str],
    progress: Progress,
    warm_start: bool = False,
) -> list[SampleResult]:
    """Run every sample on the cluster at ``address``; results in any order. Each chunk
    plans the options' starting plans once (see :func:`capacity.risk.study.run_chunk`)."""
    from capacity.risk.study import chunks, collect_chunks, run_indices

    client_class = require_dask()
    try:
        client = client_class(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise CapacityError(
            f"--dask: cannot reach a Dask scheduler at {address!r} ({exc})"
        ) from None
    with client:
        from distributed import as_completed

        workers = max(1, sum(client.nthreads().values()))
        shared = client.scatter(scenario, broadcast=True)
        futures = client.map(
            run_indices,
            chunks(samples, workers),
            scenario=shared,
            seed=seed,
            settings=settings,
            option_ids=list(option_ids),
            warm_start=warm_start,
            pure=False,
        )
        return collect_chunks(as_completed(futures), progress, lambda: client.cancel(futures))


def require_dask() -> Any:
    """The Dask ``Client`` class; a clear error if the optional extra is not installed."""
    try:
        from distributed import Client
    except ImportError:
        raise CapacityError(
            "--dask needs the optional Dask extra; install it with: pip install 'capacity[dask]'"
        ) from None
    return Client
