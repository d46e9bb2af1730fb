"""The Run, Cancel and progress controls of a tab that runs one cancellable job in the background
(the Portfolio and Vendor tabs), kept in one place so both behave alike."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton

from slamodeler.domain.errors import InputError
from slamodeler.gui.widgets.errors import ErrorReporter


class Cancellable(Protocol):
    def cancel(self) -> None: ...

    @property
    def cancelled(self) -> bool: ...


class BackgroundRun:
    """Mixin: a view with ``run_button``, ``cancel_button``, ``progress``, a ``heading`` that
    says how the job went, an error reporter and the token of its running job (``cancel_token``,
    None when idle)."""

    run_button: QPushButton
    cancel_button: QPushButton
    progress: QProgressBar
    heading: QLabel
    errors: ErrorReporter
    cancel_token: Cancellable | None

    def cancel(self) -> None:
        if self.cancel_token is not None:
            self.cancel_token.cancel()

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _idle(self) -> None:
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setVisible(False)

    def _report_failure(self, exc: BaseException, refused: str, failed: str, doing: str) -> None:
        """A cancelled job priced nothing; bad terms or inputs are said in the heading
        (``refused: why``); anything else is reported as an error while ``doing``."""
        self._idle()
        if self.cancel_token is not None and self.cancel_token.cancelled:
            self.heading.setText("Cancelled: nothing was priced.")
        elif isinstance(exc, InputError):
            self.heading.setText(f"{refused}: {exc}")
        else:
            self.heading.setText(failed)
            self.errors.report(exc, doing)
