"""A dialog that runs one analysis under a stored scenario in the background: the scenario,
trials and seed to choose, Run and Cancel, and a status line (Compare under scenario, Find a
term). Subclasses lay the row out with their own inputs and show the result in ``_done``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from slamodeler.domain.errors import InputError
from slamodeler.gui.widgets.workbook_button import WorkbookButton
from slamodeler.gui.widgets.worker import Worker
from slamodeler.services.simulation_session import CancelToken, Progress, SimulationRequest

Job = Callable[[SimulationRequest, Progress, CancelToken], Any]


class ScenarioRunDialog(QDialog):
    """Widgets named ``<prefix>Scenario``, ``<prefix>Trials``, ``<prefix>Seed``,
    ``<prefix>Run``, ``<prefix>Cancel`` and ``<prefix>Status``; ``not_done``: how the status
    line starts when the analysis fails ("Not compared")."""

    def __init__(
        self,
        prefix: str,
        run_text: str,
        not_done: str,
        scenarios: Sequence[str],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.not_done = not_done
        self.scenario = QComboBox()
        self.scenario.setObjectName(f"{prefix}Scenario")
        self.scenario.addItems(list(scenarios))
        asked = SimulationRequest()
        self.trials = QSpinBox()
        self.trials.setObjectName(f"{prefix}Trials")
        self.trials.setRange(100, 1_000_000)
        self.trials.setSingleStep(1000)
        self.trials.setGroupSeparatorShown(True)
        self.trials.setValue(asked.trials)
        self.seed = QSpinBox()
        self.seed.setObjectName(f"{prefix}Seed")
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setValue(asked.seed)
        self.run = QPushButton(run_text)
        self.run.setObjectName(f"{prefix}Run")
        self.run.setDefault(True)
        self.cancel = QPushButton("Cancel")
        self.cancel.setObjectName(f"{prefix}Cancel")
        self.cancel.setEnabled(False)
        self.status = QLabel()
        self.status.setObjectName(f"{prefix}Status")
        self.status.setWordWrap(True)
        self.export = WorkbookButton(
            f"{prefix}Export", "The exposure workbook with this analysis's sheet", self.status
        )
        self.worker = Worker(self)
        self.worker.done.connect(self._finished)
        self.worker.failed.connect(self._failed)
        self.worker.progress.connect(self._progress)
        self.token: CancelToken | None = None
        self.run.clicked.connect(self.start)
        self.cancel.clicked.connect(self._cancel)

    def run_row(self) -> QHBoxLayout:
        """Scenario, trials, seed, Run and Cancel in a row."""
        row = QHBoxLayout()
        for label, widget in (
            ("Scenario", self.scenario),
            ("Trials", self.trials),
            ("Seed", self.seed),
        ):
            row.addWidget(QLabel(label))
            row.addWidget(widget)
        row.addWidget(self.run)
        row.addWidget(self.cancel)
        row.addStretch()
        row.addWidget(self.export)
        return row

    def start(self) -> None:
        """Subclasses gather their inputs and call ``begin``."""
        raise NotImplementedError

    def begin(self, job: Job, doing: str) -> None:
        """Run ``job`` in the background under the chosen scenario's trials and seed; the
        last result stays until the new one. Nothing runs without a stored scenario."""
        if self.worker.running:
            return
        if not self.scenario.currentText():
            self.status.setText("No scenario is stored: add one (Fit, or `ws import-scenario`).")
            return
        request = SimulationRequest(self.trials.value(), self.seed.value())
        token = self.token = CancelToken()
        progress = self.worker.report_progress
        self.run.setEnabled(False)
        self.cancel.setEnabled(True)
        self.status.setText(doing)
        self.worker.start(lambda: job(request, progress, token))

    def _cancel(self) -> None:
        if self.token is not None:
            self.token.cancel()

    def _progress(self, done: int, total: int) -> None:
        self.status.setText(f"Simulating: {done:,} of {total:,} trials…")

    def _ended(self) -> None:
        self.run.setEnabled(True)
        self.cancel.setEnabled(False)

    def _failed(self, exc: BaseException) -> None:
        self._ended()
        if not isinstance(exc, InputError):
            raise exc
        cancelled = self.token is not None and self.token.cancelled
        self.status.setText(
            f"{self.not_done}: cancelled." if cancelled else f"{self.not_done}: {exc}"
        )

    def _finished(self, result: object) -> None:
        self._ended()
        self._done(result)

    def _done(self, result: Any) -> None:
        raise NotImplementedError

    def done(self, result: int) -> None:
        """Closing stops the analysis after the blocks in flight."""
        self._cancel()
        self.worker.wait()
        super().done(result)
