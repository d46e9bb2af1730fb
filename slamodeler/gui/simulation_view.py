"""The simulation view: the contract in the editor simulated on a stored scenario, off the GUI
thread, with progress, time left and Cancel; the exposure statistics per tier and portfolio, and
the histogram of credits paid. Edits to credit terms re-price the last run without drawing it
again (``slamodeler.engine.simulation.reprice``)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.engine.exposure import Exposure, exposures
from slamodeler.engine.simulation import CancelToken, SimulationRun, reprice, simulate
from slamodeler.gui.choices import choose, refill
from slamodeler.gui.errors import ErrorReporter
from slamodeler.gui.worker import Worker
from slamodeler.services.workspace import Workspace

DEFAULT_TRIALS = 20_000
COLUMNS = [
    "Tier",
    "Trials",
    "Mean",
    "Std err",
    "P50",
    "P90",
    "P95",
    "P99",
    "TVaR99",
    "P(breach)",
    "Margin",
]
RESIMULATE = "re-simulate to see the effect"


def money(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:,.2f}"


def stat_cells(e: Exposure) -> list[str]:
    """One row of the statistics table (currency units over the horizon)."""
    q = e.quantiles
    breach = "–" if math.isnan(e.p_any_breach) else f"{e.p_any_breach:.2%}"
    return [
        e.name,
        f"{e.trials:,}",
        money(e.mean),
        money(e.stderr),
        money(q["p50"]),
        money(q["p90"]),
        money(q["p95"]),
        money(q["p99"]),
        money(e.tvar99),
        breach,
        money(e.margin_mean),
    ]


def time_left(done: int, total: int, elapsed: float) -> str:
    if done <= 0 or elapsed <= 0:
        return "estimating time left…"
    seconds = (total - done) * elapsed / done
    if seconds < 60:
        return f"about {max(1, round(seconds))} s left"
    return f"about {seconds / 60:.1f} min left"


class SimulationView(QWidget):
    finished = Signal()  # a run ended (done, cancelled or failed)
    repriced = Signal()  # the shown result was re-priced after an edit

    def __init__(self, contract: Callable[[], Contract | None], errors: ErrorReporter):
        super().__init__()
        self.contract, self.errors = contract, errors
        self.ws: Workspace | None = None
        self.run_result: SimulationRun | None = None
        self.stats: list[Exposure] = []
        self.token: CancelToken | None = None
        self.started = 0.0
        self.worker = Worker(self)
        self.worker.done.connect(self._done)
        self.worker.failed.connect(self._failed)
        self.worker.progress.connect(self._progress)

        self.scenarios = QComboBox()
        self.scenarios.setObjectName("scenarios")
        self.trials = QSpinBox()
        self.trials.setObjectName("trials")
        self.trials.setRange(1, 10_000_000)
        self.trials.setSingleStep(10_000)
        self.trials.setGroupSeparatorShown(True)
        self.trials.setValue(DEFAULT_TRIALS)
        self.seed = QSpinBox()
        self.seed.setObjectName("seed")
        self.seed.setRange(0, 999_999_999)
        self.seed.setValue(1)
        self.run_button = QPushButton("Run")
        self.run_button.setObjectName("runSimulation")
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelSimulation")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setObjectName("simulationProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.eta = QLabel("")
        self.eta.setObjectName("timeLeft")
        self.status = QLabel("Choose a scenario and press Run.")
        self.status.setObjectName("simulationStatus")
        self.status.setWordWrap(True)
        self.shown = QComboBox()
        self.shown.setObjectName("histogramOf")
        self.shown.currentIndexChanged.connect(self._histogram)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("exposureTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.currentCellChanged.connect(lambda row, *_: self._pick_row(row))

        self.chart = pg.PlotWidget(background="w")
        self.chart.setObjectName("exposureHistogram")
        self.chart.setMenuEnabled(False)
        self.chart.showGrid(y=True, alpha=0.25)
        self.chart.setLabel("left", "Trials")
        self.chart.setLabel("bottom", "Credits paid over the horizon")
        self.chart.getPlotItem().hideButtons()

        top = QHBoxLayout()  # in short rows: the window stays as narrow as the other views
        top.addWidget(QLabel("Scenario"))
        top.addWidget(self.scenarios, 1)
        terms = QHBoxLayout()
        terms.addWidget(QLabel("Trials"))
        terms.addWidget(self.trials)
        terms.addWidget(QLabel("Seed"))
        terms.addWidget(self.seed)
        terms.addStretch(1)
        bar = QHBoxLayout()
        bar.addWidget(self.run_button)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.eta)
        pick = QHBoxLayout()
        pick.addWidget(QLabel("Histogram of"))
        pick.addWidget(self.shown, 1)
        pick.addStretch(2)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(pick)
        lower_layout.addWidget(self.chart, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setSizes([220, 460])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(terms)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)

    # -- workspace -----------------------------------------------------------------------------

    def set_workspace(self, ws: Workspace) -> None:
        self.ws = ws
        refill(self.scenarios, (row.key for row in ws.scenarios()))

    def choose_scenario(self, key: str) -> None:
        choose(self.scenarios, key)

    # -- running -------------------------------------------------------------------------------

    def run(self) -> None:
        if self.worker.running:
            return
        try:
            contract = self.contract()
            if contract is None:
                raise InputError("the contract has problems (marked in the editor): fix them first")
            if self.ws is None or not self.scenarios.currentText():
                raise InputError("choose a scenario to simulate (add one with `ws add-scenario`)")
            scenario = self.ws.scenario_of(self.ws.scenario(self.scenarios.currentText()))
        except Exception as exc:
            self.errors.report(exc, "simulate")
            return
        trials, seed = self.trials.value(), self.seed.value()
        token = CancelToken()
        report = self.worker.report_progress

        def job() -> tuple[SimulationRun, list[Exposure]]:
            result = simulate(
                contract,
                scenario,
                trials,
                seed,
                blocks_per_chunk=1,
                progress=report,
                cancel=token,
            )
            return result, exposures(result) if result.trials else []

        self.token = token
        self.started = time.monotonic()
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, trials)
        self.progress.setValue(0)
        self.eta.setText("estimating time left…")
        self.status.setText(f"Simulating {trials:,} trials (seed {seed})…")
        self.worker.start(job)

    def cancel(self) -> None:
        if self.token is not None:
            self.token.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("Cancelling…")

    def stop(self) -> None:
        """Cancel any run and wait for its thread (on close)."""
        if self.token is not None:
            self.token.cancel()
        self.worker.wait()

    def _progress(self, done: int, total: int) -> None:
        if self.token is None:
            return
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        if not self.token.cancelled:
            self.eta.setText(time_left(done, total, time.monotonic() - self.started))

    def _idle(self) -> None:
        self.token = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.eta.setText("")

    def _failed(self, exc: BaseException) -> None:
        self._idle()
        self.status.setText("The simulation failed.")
        self.errors.report(exc, "simulate")
        self.finished.emit()

    def _done(self, outcome: tuple[SimulationRun, list[Exposure]]) -> None:
        self._idle()
        result, stats = outcome
        if not result.trials:
            self.status.setText("Cancelled before any trial finished; nothing to show.")
            self.finished.emit()
            return
        self.run_result, self.stats = result, stats
        self._show()
        current = self.contract()
        if current is not None and current != result.contract:
            self.contract_changed()  # edited while it ran
        self.finished.emit()

    # -- live re-pricing -----------------------------------------------------------------------

    def contract_changed(self) -> None:
        """The editor's contract changed: re-price the last run if only credit terms moved."""
        run = self.run_result
        if run is None or self.worker.running:
            return
        contract = self.contract()
        if contract is None:
            self.notice = "the contract has problems (marked in the editor); showing the last run"
            self._status()
            return
        try:
            repriced = reprice(run, contract)
        except (InputError, KeyError, ValueError):  # measured otherwise, or another contract
            self.notice = f"The edit changes how periods are measured: {RESIMULATE}."
            self._status()
            return
        self.run_result, self.stats = repriced, exposures(repriced)
        self._show()
        self.repriced.emit()

    # -- showing -------------------------------------------------------------------------------

    notice = ""

    @property
    def partial(self) -> bool:
        return self.run_result is not None and self.run_result.cancelled

    def _status(self) -> None:
        run = self.run_result
        if run is None:
            return
        periods = run.horizon.periods
        text = (
            f"{run.contract.name}: {run.trials:,} trials (seed {run.seed}), "
            f"{periods[0].label} to {periods[-1].label}; amounts in {run.contract.currency} "
            "over the horizon, for all of a tier's customers."
        )
        if run.cancelled:
            text = (
                f"Partial result (cancelled): {run.trials:,} of {run.trials_requested:,} trials. "
                + text
            )
        if self.notice:
            text += f"  {self.notice}"
        self.status.setText(text)

    def _show(self) -> None:
        self.notice = ""
        self._status()
        self.table.setRowCount(len(self.stats))
        for row, e in enumerate(self.stats):
            for col, text in enumerate(stat_cells(e)):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, col, item)
        keep = self.shown.currentText()
        self.shown.blockSignals(True)
        self.shown.clear()
        self.shown.addItems([e.name for e in self.stats])
        index = self.shown.findText(keep)
        self.shown.setCurrentIndex(max(index, 0))
        self.shown.blockSignals(False)
        self._histogram()

    def _pick_row(self, row: int) -> None:
        if 0 <= row < self.shown.count():
            self.shown.setCurrentIndex(row)

    def shown_exposure(self) -> Exposure | None:
        index = self.shown.currentIndex()
        return self.stats[index] if 0 <= index < len(self.stats) else None

    def _histogram(self) -> None:
        self.chart.clear()
        e = self.shown_exposure()
        if e is None or not len(e.paid):
            return
        low, high = float(e.paid.min()), float(e.paid.max())
        if high <= low:
            high = low + 1.0
        counts, edges = np.histogram(e.paid, bins=60, range=(low, high))
        self.chart.plot(
            edges,
            counts,
            stepMode="center",
            fillLevel=0,
            brush=pg.mkBrush(46, 134, 193, 120),
            pen=pg.mkPen("#2e86c1"),
        )
        for label, value, color in (
            ("mean", e.mean, "#27ae60"),
            ("P95", e.quantiles["p95"], "#e67e22"),
            ("P99", e.quantiles["p99"], "#c0392b"),
        ):
            self.chart.addItem(
                pg.InfiniteLine(
                    value,
                    angle=90,
                    pen=pg.mkPen(color, width=1.5, style=Qt.PenStyle.DashLine),
                    label=f"{label} {value:,.0f}",
                    labelOpts={"position": 0.92, "color": color, "anchors": [(0, 1), (0, 1)]},
                )
            )
