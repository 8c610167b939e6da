"""Risk: many sampled worlds instead of one plan.

- :mod:`capacity.risk.distributions` - one draw: a range, a share, a chance;
- :mod:`capacity.risk.sampling` - one sample: draws turned into a scenario;
- :mod:`capacity.risk.study` - running samples (local processes or Dask) and aggregating.

How much staff is enough is a deterministic search, not a risk study: it lives in
:mod:`capacity.sizing`.
"""

from capacity.risk.sampling import Sample, draw_sample
from capacity.risk.study import (
    OptionRisk,
    StudyResult,
    run_study,
    sample_settings,
    summarise,
)

__all__ = [
    "OptionRisk",
    "Sample",
    "StudyResult",
    "draw_sample",
    "run_study",
    "sample_settings",
    "summarise",
]
