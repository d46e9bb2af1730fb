"""Run a plain function off the GUI thread, with its result (or error) delivered back on it.

The function gets nothing Qt: progress and cancellation come in as the engine's plain callable
and ``CancelToken`` when the caller passes them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

_running = [0]  # jobs started and not yet ended, over every worker
_running_lock = threading.Lock()


def jobs_running() -> bool:
    """Whether any worker's job is running (the collector waits for none before a sweep)."""
    return _running[0] > 0


def _count_job(step: int) -> None:
    with _running_lock:
        _running[0] += step


class _Thread(QThread):
    ended = Signal(object)  # itself, as the job returns

    def __init__(self, job: Callable[[], Any], parent: QObject | None = None):
        super().__init__(parent)
        self.job = job
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        _count_job(1)
        try:
            self.result = self.job()
        except BaseException as exc:  # delivered to the GUI thread, shown there
            self.error = exc
        finally:
            _count_job(-1)
        self.ended.emit(self)


class Worker(QObject):
    """One job at a time: ``start(job)``; ``done(result)`` or ``failed(exception)`` follow on the
    GUI thread. ``progress(done, total)`` may be emitted from the job's thread (queued)."""

    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._thread: _Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def start(self, job: Callable[[], Any]) -> None:
        if self.running:
            raise RuntimeError("a job is already running")
        thread = _Thread(job)
        # to a method of the worker, so a job ending after the worker is gone calls nothing
        thread.ended.connect(self._finished)
        self._thread = thread
        thread.start()

    def report_progress(self, done: int, total: int) -> None:
        """A plain callable for the engine: thread-safe (the signal is queued to the GUI)."""
        self.progress.emit(done, total)

    def _finished(self, thread: _Thread) -> None:
        thread.wait()
        if self._thread is thread:
            self._thread = None
        thread.deleteLater()
        if thread.error is not None:
            self.failed.emit(thread.error)
        else:
            self.done.emit(thread.result)

    def wait(self, ms: int = 10_000) -> bool:
        """Block until the running job ends (on close and in tests)."""
        thread = self._thread
        return thread is None or thread.wait(ms)
