"""Progress of a long run in plain lines, for a pipe, a log or a scheduled job.

A terminal shows a moving bar (click's). Where there is no terminal a bar prints
nothing until the end, so a risk study of an hour would look hung; instead this
writes one line every few seconds, and one at the end::

    Sampling: 120 of 1000 samples (12%), 2.0 a second, about 7m 20s left
    Sampling: 3 of 100 samples (3%), 41s each, about 1h 06m left
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

EVERY_SECONDS = 5.0
"""How often a line is written while the run goes on."""


class ProgressLines:
    """Counts work done (:meth:`update`, as click's bar is told) and writes a line every
    :data:`EVERY_SECONDS` and when the last item is done.

    Parameters
    ----------
    total
        How many items the run has.
    label, unit
        The run's name and what it counts, in words ("Sampling", "samples").
    out
        Where the lines go (standard error).
    every
        Seconds between lines.
    clock
        The time in seconds (a test passes its own).
    """

    def __init__(
        self,
        total: int,
        label: str,
        unit: str,
        out: TextIO,
        every: float = EVERY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.total = total
        self.label = label
        self.unit = unit
        self.out = out
        self.every = every
        self.clock = clock
        self.done = 0
        self.began = clock()
        self.last_line = self.began

    def update(self, n: int) -> None:
        self.done += n
        now = self.clock()
        if self.done >= self.total or now - self.last_line >= self.every:
            self.last_line = now
            self.out.write(self.line(now) + "\n")
            self.out.flush()

    def line(self, now: float) -> str:
        elapsed = max(now - self.began, 1e-9)
        rate = self.done / elapsed
        share = self.done / self.total if self.total else 1.0
        text = f"{self.label}: {self.done} of {self.total} {self.unit} ({share:.0%})"
        if self.done >= self.total:
            return f"{text}, done in {_duration(elapsed)}"
        if self.done == 0:
            return f"{text}, {_duration(elapsed)} so far"
        left = (self.total - self.done) / rate
        # Fewer than one a second reads better as the time each takes ("0.0 a second" says
        # nothing).
        pace = f"{rate:.1f} a second" if rate >= 1 else f"{_duration(1 / rate)} each"
        return f"{text}, {pace}, about {_duration(left)} left"


def _duration(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"
