"""Coalesced background jobs for live re-pricing: the latest request wins.

Edits come faster than a re-price of a large simulation finishes, and a re-price in flight cannot
be interrupted (it is one engine call). So at most one job runs, and at most one waits: a new
request replaces the waiting one, never queues behind it. A burst of edits therefore runs two
jobs, the one already in flight and the last, whatever the length of the burst.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from slamodeler.gui.widgets.worker import Worker
from slamodeler.services.background import yield_to_others


class LatestJob(QObject):
    """``submit(job)``: run it now, or after the job in flight, replacing any job still waiting.
    ``done(result)`` and ``failed(exception)`` follow on the GUI thread for every job that ran;
    ``busy`` says whether another result is still to come."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.worker = Worker(self)
        self.worker.done.connect(lambda result: self._next(self.done, result))
        self.worker.failed.connect(lambda exc: self._next(self.failed, exc))
        self._waiting: Callable[[], Any] | None = None
        self._in_flight = False  # until its outcome is delivered, not only until its thread ends

    @property
    def busy(self) -> bool:
        return self._in_flight or self._waiting is not None

    def submit(self, job: Callable[[], Any]) -> None:
        job = _below_the_gui(job)
        if self._in_flight:
            self._waiting = job
        else:
            self._in_flight = True
            self.worker.start(job)

    def drop_waiting(self) -> None:
        """Forget the waiting job (its request no longer applies); the one in flight finishes."""
        self._waiting = None

    def _next(self, signal: Any, outcome: object) -> None:
        job, self._waiting = self._waiting, None
        self._in_flight = job is not None
        if job is not None:
            self.worker.start(job)  # before the outcome is handled: ``busy`` stays true
        signal.emit(outcome)

    def wait(self) -> None:
        """Block until nothing runs (on close): the waiting job is dropped."""
        self._waiting = None
        self.worker.wait()


def _below_the_gui(job: Callable[[], Any]) -> Callable[[], Any]:
    """``job`` run below the GUI thread, as the engine's pool threads it takes its share of
    the array work beside, so that drawing goes first on a core they share."""

    def run() -> Any:
        yield_to_others()
        return job()

    return run
