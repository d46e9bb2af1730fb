"""The Export workbook… button of a view's own analysis (a baseline, a portfolio, a finder's
answer, a redline): off until there is something to write, it asks where, writes in the
background and says what happened on the view's status line. One button for every such view,
so each writes, reports and fails alike."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton

from slamodeler.gui.widgets.errors import ErrorReporter
from slamodeler.gui.widgets.worker import Worker
from slamodeler.gui.workspace.run_export import as_workbook, ask_workbook_path
from slamodeler.services.export import WorkbookReport

Write = Callable[[str], WorkbookReport]


class WorkbookButton(QPushButton):
    exported = Signal(str)  # the path written

    def __init__(self, name: str, tip: str, status: QLabel, errors: ErrorReporter | None = None):
        super().__init__("Export workbook…")
        self.setObjectName(name)
        self.setToolTip(tip)
        self.setEnabled(False)
        self.status, self.errors = status, errors
        self.ask_path: Callable[[str], str] = lambda suggested: ask_workbook_path(self, suggested)
        self.writer = Worker(self)
        self.writer.done.connect(self._written)
        self.writer.failed.connect(self._not_written)
        self._job: tuple[str, Write] | None = None
        self.clicked.connect(self.export)

    def offer(self, suggested: str | None, write: Write | None = None) -> None:
        """What the button writes from now on (``write`` to the path chosen, the save dialog
        suggesting ``suggested``); None: nothing, and the button is off."""
        self._job = None if suggested is None or write is None else (suggested, write)
        self.setEnabled(self._job is not None and not self.writer.running)

    def export(self) -> None:
        if self._job is None or self.writer.running:
            return
        suggested, write = self._job
        path = self.ask_path(suggested)
        if not path:
            return
        path = as_workbook(path)
        self.setEnabled(False)
        self.status.setText(f"Writing {path}…")
        self.writer.start(lambda: write(path))

    def _written(self, report: WorkbookReport) -> None:
        self.setEnabled(self._job is not None)
        self.status.setText(f"Wrote {report.path.name}")
        self.exported.emit(str(report.path))

    def _not_written(self, exc: BaseException) -> None:
        self.setEnabled(self._job is not None)
        if self.errors is None:  # a dialog: its status line says why
            self.status.setText(f"The workbook was not written: {exc}")
            return
        self.status.setText("The workbook was not written.")
        self.errors.report(exc, "export the workbook")
