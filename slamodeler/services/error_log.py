"""Where internal errors are logged: the user's own log folder, never a shared temporary one.

A fixed name in /tmp let another user's file crash the error handler, a planted symlink redirect
the write to any file the user can write, and two failures overwrite each other. So logs are
opened without following a symlink, with permissions for the user only; each CLI failure gets
a new file (the last ``KEEP`` are kept).
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

from slamodeler import APP_NAME

KEEP = 20  # CLI error logs kept in the folder; older ones are removed
PREFIX = "slamodeler-error-"
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # not on Windows, where symlinks need privileges


def log_folder() -> Path:
    """The per-user log folder (e.g. ~/.local/state/SLA Modeler/log)."""
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def open_private(path: Path, *, new: bool) -> io.TextIOWrapper:
    """``path`` opened for writing text by this user only, refusing a symlink in its place.
    ``new``: the file must not exist yet (else it is appended to). Raises OSError."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | NOFOLLOW | (os.O_EXCL if new else os.O_APPEND)
    fd = os.open(path, flags, 0o600)
    return os.fdopen(fd, "w" if new else "a", encoding="utf-8")


def write_error_log(details: str, folder: Path | None = None) -> Path:
    """A new log file in ``folder`` (default: :func:`log_folder`) holding ``details``, named by
    time and process so that concurrent failures never share one. Raises OSError."""
    folder = folder or log_folder()
    stem = f"{PREFIX}{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    for attempt in range(100):
        path = folder / (f"{stem}.log" if attempt == 0 else f"{stem}-{attempt}.log")
        try:
            with open_private(path, new=True) as out:
                out.write(details)
        except FileExistsError:
            continue  # this process failed twice in one second, or a name was planted
        _prune(folder, keep=path)
        return path
    raise FileExistsError(f"{folder}: every log name for this failure is taken")


def _prune(folder: Path, keep: Path) -> None:
    """Remove all but the newest ``KEEP`` error logs (never the one just written)."""
    try:
        logs = [p for p in folder.glob(f"{PREFIX}*.log") if p != keep]
        logs.sort(key=lambda p: p.lstat().st_mtime)
        for old in logs[: max(0, len(logs) - (KEEP - 1))]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # pruning is housekeeping: a log that stays is no harm
