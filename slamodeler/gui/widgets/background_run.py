"""The Run, Cancel and progress controls of a tab that runs one cancellable job in the background
(the Portfolio and Vendor tabs), kept in one place so both behave alike."""

from __future__ import annotations

from collections.abc import Callable
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
    start: Callable[[], None]  # the view's own: starts the job

    def _make_run_buttons(self, name: str, text: str, tip: str) -> None:
        """``run_button`` (``text``, starting the job) and ``cancel_button`` (off until a job
        runs), named ``{name}Run`` and ``{name}Cancel`` for tests and style sheets."""
        self.run_button = QPushButton(text)
        self.run_button.setObjectName(f"{name}Run")
        self.run_button.setToolTip(tip)
        self.run_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName(f"{name}Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)

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
