"""One writer per workspace: an OS-level lock on ``FILE.lock`` beside the workspace.

The operating system releases the lock when the holder exits, however it exits (a kill included),
so a lock is never left behind, as long as no other process shares the open lock file: it is
opened close-on-exec (Python's default), and simulation workers are not forked from the writer
(services/worker_processes.py). The lock file stays beside a workspace; it holds the pid of the
last writer, for the message. Beside no workspace (``ws init`` failed) it is deleted, by the
writer holding it; a writer that then finds it locked a deleted file tries again.
"""

from __future__ import annotations

import contextlib
import errno
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
        self.workspace = path
        self.path = lock_path(path)
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        handle = self._locked()
        while handle is None:  # deleted by its holder (a failed `ws init`) as it was opened
            handle = self._locked()
        self._file = handle
        try:
            os.ftruncate(handle.fileno(), 0)
            os.write(handle.fileno(), str(os.getpid()).encode())  # unbuffered: nothing left to fail
        except OSError as exc:
            self.release()
            raise _cannot_write(self.workspace, self.path, exc) from None

    def _locked(self) -> IO[str] | None:
        """The lock file, locked; None if it is no longer the file at ``self.path``."""
        try:
            handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 (held until release)
        except OSError as exc:
            raise _cannot_write(self.workspace, self.path, exc) from None
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
                f"{self.workspace}: the workspace is open for writing in another process "
                f"(pid {pid}); close it there and try again (commands that only read still work)",
                f"pid {pid}",
            ) from None
        try:
            current = os.path.samestat(os.fstat(handle.fileno()), os.stat(self.path))
        except FileNotFoundError:
            current = False
        if current:
            return handle
        handle.close()
        return None

    def release(self) -> None:
        """Unlock; a lock file beside no workspace is deleted first, while still held."""
        if self._file is not None:
            try:
                if not self.workspace.exists():
                    with contextlib.suppress(OSError):  # Windows: an open file stays
                        self.path.unlink()
                _unlock(self._file)
            finally:
                self._file.close()
                self._file = None


def _cannot_write(workspace: Path, lock: Path, exc: OSError) -> InputError:
    full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
    fix = (
        "free some space on that disk and try again"
        if full
        else "open it read-only or move it to a folder you can write to"
    )
    return InputError(
        f"{workspace}: cannot write beside the workspace ({lock.name}: {exc.strerror}); {fix}"
    )


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
