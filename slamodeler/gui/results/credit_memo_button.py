"""The replay view's Credit memos… button: the memos of the replay on view, one per customer and
period with a credit, saved as CSV (as `slamodeler memos` writes them: docs/user-guide.md, Book
the credits). Small enough to write on the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

from slamodeler.domain.errors import InputError
from slamodeler.gui.widgets.errors import ErrorReporter
from slamodeler.services.credit_memos import (
    check_memos_path,
    credit_memos,
    memos_total,
    write_memos_csv,
)
from slamodeler.services.replay import ReplayRun


def ask_csv_path(parent: QWidget, suggested: str) -> str:
    """A file name from a save dialog ('' when the user cancels)."""
    path, _ = QFileDialog.getSaveFileName(
        parent, "Save the credit memos", str(Path.home() / suggested), "CSV file (*.csv)"
    )
    return path


class CreditMemoButton(QPushButton):
    """``shown()`` gives the replay on view and how the memos name its contract version (None
    while there is none); ``written(text)`` says what was saved, for the view's status line."""

    written = Signal(str)

    def __init__(self, shown: Callable[[], tuple[ReplayRun, str] | None], errors: ErrorReporter):
        super().__init__("Credit memos…")
        self.setObjectName("exportCreditMemos")
        self.setToolTip(
            "Save a credit memo for each customer and period with a credit (CSV): the rules "
            "applied, the claim deadline and the contract version with its hash"
        )
        self.shown, self.errors = shown, errors
        self.ask_path: Callable[[str], str] = lambda name: ask_csv_path(self, name)
        self.setEnabled(False)
        self.clicked.connect(self.save)

    def save(self) -> None:
        found = self.shown()
        if found is None:
            return
        run, version = found
        path = self.ask_path("credit-memos.csv")
        if not path:
            return
        if Path(path).suffix.lower() != ".csv":
            path += ".csv"
        try:
            memos = credit_memos(run.result, version)
            check_memos_path(Path(path))
            write_memos_csv(path, memos)
        except InputError as exc:
            self.errors.report(exc, "save the credit memos")
            return
        self.written.emit(
            f"Wrote {len(memos):,} credit memo(s), {memos_total(memos):,} "
            f"{run.result.currency}, to {path}"
        )
