"""Risk and sizing: many sampled worlds instead of one plan, and how much staff is enough.

- :mod:`capacity.risk.distributions` - one draw: a range, a share, a chance;
- :mod:`capacity.risk.sampling` - one sample: draws turned into a scenario;
- :mod:`capacity.risk.study` - running samples (local processes or Dask) and aggregating;
- :mod:`capacity.risk.sizing` - the least added FTE, and the latest start of a recruit.
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
