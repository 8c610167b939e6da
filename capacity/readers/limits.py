"""How large a scenario may be: every input limit, stated once.

A real team's scenario is a few kilobytes: tens of staff, tens to hundreds of
work items, values of a line or a paragraph, lists of a few entries nesting
about ten levels deep. Each limit below is far beyond that, and near where a
larger input would make reading, solving or charting slow or unbounded (an
editor's runaway paste, a generated file gone wrong, a hostile file). An
input past any limit is refused before it is parsed further, with a message
naming the limit; nothing is solved or written.

The readers enforce them: :mod:`capacity.readers.yaml_loader` for YAML files
(also the files they extend) and :mod:`capacity.readers.workbook_file` for
workbooks.
"""

from __future__ import annotations

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Bytes in one scenario file (YAML or workbook), however the file system reports its size."""

MAX_UNPACKED_BYTES = 50 * 1024 * 1024
"""Bytes a workbook may unpack to, all its parts together (an .xlsx file is a zip archive)."""

MAX_WORKBOOK_PARTS = 1000
"""Parts (files inside the archive) of one workbook; Excel writes about twenty."""

MAX_TEXT_CHARACTERS = 10_000
"""Characters in any single value or key (a name, an id, a note, a cell): about two pages."""

MAX_ENTRIES = 2000
"""Entries in one list (team, work, options, changes, ...) or filled rows in one workbook
sheet. The largest synthetic benchmark hub has 400 work items."""

MAX_VALUES = 200_000
"""Values in one YAML file, counting every use of an alias as a copy of what it names
(so a file of nested aliases, the "billion laughs", is refused rather than expanded)."""

MAX_NESTING = 30
"""Levels of lists and mappings inside one another; a scenario uses about ten."""

MAX_EXTENDS_CHAIN = 20
"""Scenario files in one chain of ``extends:`` (a what-if of a what-if of a base ...)."""
