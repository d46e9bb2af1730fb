"""Runs stored in the workspace, from the browser: open one (computed again from its stored
inputs, ``services.runs.recompute``, and shown in the Replay or Simulation view) or rerun it
(compared with what was stored, digit for digit, as `slamodeler ws rerun` does), off the GUI
thread. What the views say about whether the run they show is stored is worded here too.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from slamodeler.gui.widgets.errors import ErrorReporter
from slamodeler.gui.widgets.worker import Worker
from slamodeler.services.runs import Recomputed, Rerun, RunRow, recompute, rerun
from slamodeler.services.workspaces import Workspace


def kept_note(run: RunRow | None, not_stored: str) -> str:
    """What the status of a run just made says: the run it was stored as, or why it was not."""
    return f"Stored as run {run.id}." if run is not None else f"Not stored: {not_stored}."


def stored_note(again: Recomputed) -> str:
    """What the status of a stored run opened again says."""
    note = f"Stored run {again.run.id}, computed again from its stored inputs."
    if not again.reproduces:
        note += (
            " It no longer gives the stored result: rerun it (right-click it in the workspace) "
            "to see where it differs."
        )
    return note


def rerun_message(outcome: Rerun) -> str:
    """The status bar's line after a rerun: the same result, or where it differs."""
    head = f"Run {outcome.run.id} ({outcome.label}) run again:"
    if outcome.same:
        return f"{head} the same result as stored, digit for digit."
    return f"{head} a different result from the one stored: " + "; ".join(outcome.differences)


class StoredRuns(QObject):
    """``open(ws, run_id)``: ``opened(Recomputed)`` follows; ``rerun(ws, run_id)``: ``rerun_done
    (Rerun)`` follows. ``message(text)`` says what happens, for the status bar."""

    opened = Signal(object)
    rerun_done = Signal(object)
    message = Signal(str)

    def __init__(self, parent: QObject, errors: ErrorReporter, author: str):
        super().__init__(parent)
        self.errors, self.author = errors, author
        self.opener = Worker(self)
        self.opener.done.connect(self._opened)
        self.opener.failed.connect(lambda exc: self._failed(exc, "open the stored run"))
        self.rerunner = Worker(self)
        self.rerunner.done.connect(self._rerun)
        self.rerunner.failed.connect(lambda exc: self._failed(exc, "rerun the stored run"))

    def open(self, ws: Workspace, run_id: int) -> None:
        if self.opener.running:
            self.message.emit("A stored run is being opened; try again when it is shown.")
            return
        self.message.emit(f"Computing run {run_id} again from its stored inputs…")
        self.opener.start(lambda: recompute(ws, run_id))

    def rerun(self, ws: Workspace, run_id: int) -> None:
        if self.rerunner.running:
            self.message.emit("A stored run is being rerun; try again when it is done.")
            return
        self.message.emit(f"Running run {run_id} again to compare it with the stored result…")
        author = self.author
        self.rerunner.start(lambda: rerun(ws, run_id, author))

    def _opened(self, again: Recomputed) -> None:
        self.message.emit(f"Opened run {again.run.id}: {again.label}")
        self.opened.emit(again)

    def _rerun(self, outcome: Rerun) -> None:
        self.message.emit(rerun_message(outcome))
        self.rerun_done.emit(outcome)

    def _failed(self, exc: BaseException, doing: str) -> None:
        self.message.emit("")
        self.errors.report(exc, doing)
