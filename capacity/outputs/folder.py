"""Writing outputs safely: all or nothing, and never over someone else's work.

Everything is written into a temporary folder (or file) beside the target and
moved into place only when complete, so an error or Ctrl-C leaves no
half-written output. A folder that ``capacity`` wrote before (it holds the
marker file) is replaced; any other non-empty folder needs ``--force``. A file
is replaced only if ``capacity`` wrote it (the caller says how to tell) or
with ``--force``. Targets are checked before any work starts
(:func:`check_folder_target`, :func:`check_file_target`), including that the
folder they go in can be written, so a bad ``--out`` fails in a second, not
after the solve. A failure while writing (a full disk) is reported in one
line and leaves nothing behind.

A run killed outright (SIGKILL, a power cut) cannot tidy up: its hidden
staging folder ``.<name>.<random suffix>`` stays beside the target. Each staging
folder's marker says which process on which machine is writing it, so the
next run on that target removes the ones whose process is gone, and only
those (:func:`remove_stale_staging`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from capacity.errors import OutputError

MARKER = ".capacity-output"
MARKER_TEXT = "Written by capacity; safe to delete.\n"
_WRITER = re.compile(r"^being written by process (\d+) on (\S+)$", re.MULTILINE)


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
    _check_writable(target)


def check_file_target(
    target: Path, force: bool = False, written_by_us: Callable[[Path], bool] | None = None
) -> None:
    """Raise :class:`OutputError` if ``target`` cannot be (re)placed as an output file."""
    target = Path(target)
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name")
    if target.exists() and not force and not (written_by_us and written_by_us(target)):
        raise OutputError(f"{target}: exists; choose another name or add --force to replace it")
    _check_writable(target)


def _check_writable(target: Path) -> None:
    """Raise :class:`OutputError` unless ``target`` can be made or replaced where it is.

    Tried, not inferred from permission bits (which say nothing of a read-only
    disk, and are not what decides for an administrator): an empty folder is
    made and removed in the nearest folder that exists on the way to ``target``.
    An existing output folder must also be writable, for its old files to be removed.
    """
    folder = target.resolve().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise OutputError(f"{target}: cannot write there ({folder} is a file, not a folder)")
    try:
        probe = tempfile.mkdtemp(prefix=f".{target.name}.check.", dir=folder)
    except OSError as exc:
        raise OutputError(
            f"{target}: cannot write in {folder} ({_reason(exc)}); choose another --out"
        ) from None
    with contextlib.suppress(OSError):  # it is empty and hidden; nothing depends on its going
        os.rmdir(probe)
    if target.is_dir() and not os.access(target, os.W_OK | os.X_OK):
        raise OutputError(f"{target}: cannot replace it (the folder is read-only)")


def mark(folder: Path) -> None:
    """Mark a folder as written by capacity (so a later run may replace it)."""
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def _mark_staging(folder: Path) -> None:
    """Mark a folder as being written, and by which process (for :func:`remove_stale_staging`)."""
    writer = f"being written by process {os.getpid()} on {socket.gethostname() or 'localhost'}"
    (folder / MARKER).write_text(f"{MARKER_TEXT}{writer}\n", encoding="utf-8")


def remove_stale_staging(target: Path) -> list[Path]:
    """Remove what runs on ``target`` that were killed outright left beside it; return what went.

    A hidden folder ``.<target name>.*`` beside ``target`` goes only if its
    marker says a capacity process on this machine was writing it and that
    process is no longer running: a folder capacity did not make, or one a run
    still going is writing, is never touched. A previous output that a killed
    run had moved aside, and not yet replaced, is put back rather than removed.
    """
    target = Path(target)
    parent = target.resolve().parent
    removed: list[Path] = []
    try:
        candidates = sorted(parent.glob(f".{glob_escape(target.name)}.*"))
    except OSError:
        return removed
    for folder in candidates:
        if not _stale(folder):
            continue
        previous = folder / target.name  # a retired output, in the middle of a replacement
        if previous.is_dir() and not target.exists() and (previous / MARKER).is_file():
            try:
                os.replace(previous, target)
            except OSError:
                continue  # leave it for a person to see, rather than lose it
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def glob_escape(name: str) -> str:
    """``name`` as a glob pattern that matches only itself."""
    return re.sub(r"([*?\[])", r"[\1]", name)


def _stale(folder: Path) -> bool:
    try:
        if folder.is_symlink() or not folder.is_dir():
            return False
        text = (folder / MARKER).read_text(encoding="utf-8")[:1000]
    except (OSError, UnicodeDecodeError):
        return False
    found = _WRITER.search(text)
    if not text.startswith(MARKER_TEXT) or found is None:
        return False
    if found.group(2) != (socket.gethostname() or "localhost"):
        return False  # another machine's process: this one cannot tell if it is running
    return not _running(int(found.group(1)))


def _running(pid: int) -> bool:
    """Whether process ``pid`` may still be running (when unsure, it may)."""
    if pid <= 0 or pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, but belongs to someone else
    return True


@contextmanager
def output_directory(target: Path, force: bool = False) -> Iterator[Path]:
    """Yield a temporary folder; on success it replaces ``target`` in one step."""
    target = Path(target)
    check_folder_target(target, force)
    parent = target.resolve().parent
    remove_stale_staging(target)
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    except OSError as exc:
        raise OutputError(f"{target}: cannot write there ({_reason(exc)})") from None
    try:
        _mark_staging(staging)
        yield staging
        mark(staging)
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; outputs are shared
        _replace(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise _write_failed(target, exc) from None
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
        raise OutputError(f"{target}: cannot write there ({_reason(exc)})") from None
    staging = Path(name)
    try:
        yield staging
        staging.chmod(0o666 & ~_umask())  # mkstemp makes it private; outputs are shared
        os.replace(staging, target)
    except OSError as exc:
        staging.unlink(missing_ok=True)
        raise _write_failed(target, exc) from None
    except BaseException:
        staging.unlink(missing_ok=True)
        raise


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if exc.errno == errno.EROFS:
        return "the disk is read-only"
    return exc.strerror or str(exc)


def _write_failed(target: Path, exc: OSError) -> OutputError:
    """Writing an output failed part-way (a full disk, a removed drive): say so, in one line."""
    return OutputError(f"{target}: could not be written ({_reason(exc)}); nothing was written")


def _replace(staging: Path, target: Path) -> None:
    """Swap ``staging`` in for ``target``, putting the old output back if that fails."""
    if not target.exists():
        os.replace(staging, target)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=staging.parent))
    try:
        _mark_staging(retired)  # so a run killed mid-swap is tidied, the old output restored
        os.replace(target, retired / target.name)
    except OSError:
        shutil.rmtree(retired, ignore_errors=True)
        raise
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
