"""The Run, Cancel and progress controls of a tab that runs one cancellable job in the background
(the Portfolio and Vendor tabs), kept in one place so both behave alike."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QProgressBar, QPushButton


class Cancellable(Protocol):
    def cancel(self) -> None: ...


class BackgroundRun:
    """Mixin: a view with ``run_button``, ``cancel_button``, ``progress`` and the token of its
    running job (``cancel_token``, None when idle)."""

    run_button: QPushButton
    cancel_button: QPushButton
    progress: QProgressBar
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
