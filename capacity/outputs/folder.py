"""Writing outputs safely: all or nothing, and never over someone else's work.

Everything is written into a temporary folder (or file) beside the target and
moved into place only when complete, so an error or Ctrl-C leaves no
half-written output. A folder that ``capacity`` wrote before (it holds the
marker file) is replaced; any other non-empty folder needs ``--force``. A file
is replaced only if ``capacity`` wrote it (the caller says how to tell) or
with ``--force``. Targets are checked before any work starts
(:func:`check_folder_target`, :func:`check_file_target`), so a bad ``--out``
fails in a second, not after the solve.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from capacity.errors import OutputError

MARKER = ".capacity-output"


def check_folder_target(target: Path, force: bool = False) -> None:
    """Raise :class:`OutputError` if ``target`` cannot be (re)placed as an output folder."""
    target = Path(target)
    resolved = target.resolve()
    if resolved == Path.cwd().resolve() or resolved in Path.cwd().resolve().parents:
        raise OutputError(f"{target}: is the current folder (or holds it); give a new folder")
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).exists() and not force:
        raise OutputError(
            f"{target}: folder exists and was not written by capacity; "
            "choose another --out or add --force to replace it"
        )


def check_file_target(
    target: Path, force: bool = False, written_by_us: Callable[[Path], bool] | None = None
) -> None:
    """Raise :class:`OutputError` if ``target`` cannot be (re)placed as an output file."""
    target = Path(target)
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name")
    if target.exists() and not force and not (written_by_us and written_by_us(target)):
        raise OutputError(f"{target}: exists; choose another name or add --force to replace it")


def mark(folder: Path) -> None:
    """Mark a folder as written by capacity (so a later run may replace it)."""
    (folder / MARKER).write_text("Written by capacity; safe to delete.\n", encoding="utf-8")


@contextmanager
def output_directory(target: Path, force: bool = False) -> Iterator[Path]:
    """Yield a temporary folder; on success it replaces ``target`` in one step."""
    target = Path(target)
    check_folder_target(target, force)
    parent = target.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    except OSError as exc:
        raise OutputError(f"{target}: cannot write there ({exc.strerror})") from None
    try:
        yield staging
        mark(staging)
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; outputs are shared
        _replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


@contextmanager
def output_file(
    target: Path, force: bool = False, written_by_us: Callable[[Path], bool] | None = None
) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` in one step."""
    target = Path(target)
    check_file_target(target, force, written_by_us)
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
        staging.chmod(0o666 & ~_umask())  # mkstemp makes it private; outputs are shared
        os.replace(staging, target)
    except BaseException:
        staging.unlink(missing_ok=True)
        raise


def _replace(staging: Path, target: Path) -> None:
    """Swap ``staging`` in for ``target``, putting the old output back if that fails."""
    if not target.exists():
        os.replace(staging, target)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=staging.parent))
    os.replace(target, retired / target.name)
    try:
        os.replace(staging, target)
    except OSError as exc:
        os.replace(retired / target.name, target)
        shutil.rmtree(retired, ignore_errors=True)
        raise OutputError(f"{target}: could not be replaced ({exc.strerror})") from None
    shutil.rmtree(retired, ignore_errors=True)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
