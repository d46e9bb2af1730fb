"""The exposure workbook of a run stored in the workspace, from the browser's context menu.

The run is recomputed from its stored inputs (``services.export.export_run``, as `slamodeler
ws export-run` does) off the GUI thread; the workbook is written only if the result reproduces
what was stored.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from slamodeler.gui.widgets.errors import ErrorReporter
from slamodeler.gui.widgets.worker import Worker
from slamodeler.services.export import export_run
from slamodeler.services.workspaces import Workspace


def ask_workbook_path(parent: QWidget, suggested: str) -> str:
    """A file name from a save dialog ('' when the user cancels)."""
    path, _ = QFileDialog.getSaveFileName(
        parent,
        "Export the exposure workbook",
        str(Path.home() / suggested),
        "Excel workbook (*.xlsx)",
    )
    return path


def as_workbook(path: str) -> str:
    """The name given, ending in .xlsx (a name typed without it gets it)."""
    return path if Path(path).suffix.lower() == ".xlsx" else path + ".xlsx"


class RunExporter(QObject):
    """``export(ws, run_id)``: asks where, then writes in the background; ``message(text)``
    says what happened, for the status bar."""

    message = Signal(str)

    def __init__(self, parent: QWidget, errors: ErrorReporter):
        super().__init__(parent)
        self.errors = errors
        self.ask_path: Callable[[str], str] = lambda name: ask_workbook_path(parent, name)
        self.worker = Worker(self)
        self.worker.done.connect(lambda report: self.message.emit(f"Wrote {report.path}"))
        self.worker.failed.connect(lambda exc: self.errors.report(exc, "export the run"))

    def export(self, ws: Workspace, run_id: int) -> None:
        if self.worker.running:
            self.message.emit("A workbook is being written; try again when it is done.")
            return
        path = self.ask_path(f"run-{run_id}.xlsx")
        if not path:
            return
        path = as_workbook(path)
        self.message.emit(f"Recomputing run {run_id} and writing {path}…")
        self.worker.start(lambda: export_run(ws, run_id, path))
