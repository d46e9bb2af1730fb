"""One writer per workspace: an OS-level lock on ``FILE.lock`` beside the workspace.

The operating system releases the lock when the holder exits, however it exits (a kill included),
so a lock is never left behind. The lock file itself stays (deleting it would let two writers
lock two different files); it holds the pid of the last writer, for the message.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

from slamodeler.domain.errors import InputError


class WorkspaceLocked(InputError):
    """Another process holds the writer lock; ``holder`` says which (``pid N``)."""

    def __init__(self, message: str, holder: str):
        super().__init__(message)
        self.holder = holder


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


class WriterLock:
    def __init__(self, path: Path):
        self.path = lock_path(path)
        self._file: IO[str] | None = None

    def acquire(self, workspace: Path) -> None:
        try:
            handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 (held until release)
        except OSError as exc:
            raise InputError(
                f"{workspace}: cannot write beside the workspace ({self.path.name}: "
                f"{exc.strerror}); open it read-only or move it to a folder you can write to"
            ) from None
        try:
            _lock(handle)
        except OSError:
            try:
                handle.seek(0)
                pid = handle.read().strip() or "unknown"
            except OSError:  # Windows: the holder's locked byte cannot be read
                pid = "unknown"
            handle.close()
            raise WorkspaceLocked(
                f"{workspace}: the workspace is open for writing in another process (pid {pid}); "
                "close it there and try again (commands that only read still work)",
                f"pid {pid}",
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            try:
                _unlock(self._file)
            finally:
                self._file.close()
                self._file = None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
