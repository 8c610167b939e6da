"""Writing outputs safely: all or nothing, and never over someone else's folder.

Everything is written into a temporary folder beside the target and moved
into place only when complete, so an error or Ctrl-C leaves no half-written
output. A folder that ``capacity`` wrote before (it holds the marker file)
is replaced; any other non-empty folder needs ``--force``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from capacity.errors import OutputError

MARKER = ".capacity-output"


@contextmanager
def output_directory(target: Path, force: bool = False) -> Iterator[Path]:
    """Yield a temporary folder; on success it replaces ``target`` in one step.

    Raises
    ------
    OutputError
        ``target`` is a file, or a non-empty folder not written by capacity
        (and ``force`` is off), or its parent cannot be written.
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).exists() and not force:
        raise OutputError(
            f"{target}: folder exists and was not written by capacity; "
            "choose another --out or add --force to replace it"
        )
    parent = target.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    except OSError as exc:
        raise OutputError(f"{target}: cannot write there ({exc.strerror})") from None
    try:
        yield staging
        (staging / MARKER).write_text("Written by capacity; safe to delete.\n", encoding="utf-8")
        if target.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=parent))
            os.replace(target, retired / target.name)
            os.replace(staging, target)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


@contextmanager
def output_file(target: Path, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` in one step.

    Raises
    ------
    OutputError
        ``target`` is a folder, or exists and ``force`` is off.
    """
    target = Path(target)
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name")
    if target.exists() and not force:
        raise OutputError(f"{target}: exists; choose another --out or add --force to replace it")
    parent = target.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=parent)
        os.close(handle)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write there ({exc.strerror})") from None
    staging = Path(name)
    try:
        yield staging
        os.replace(staging, target)
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
