"""The simulation view: the contract in the editor simulated on a stored scenario over a chosen
horizon (a start month, moved to the contract's periods by ``horizon.aligned_start`` with a note,
and years), off the GUI thread, with progress, time left and Cancel; the exposure statistics per
tier and portfolio, and their charts (``exposure_charts``); the exposure workbook of the result.

Edits to credit terms re-price the last run without drawing it again, where the simulation
session says they may (``simulation_session.can_reprice``), off the GUI thread and coalesced
(``LatestJob``): the figures follow the latest edit, never a queue of stale ones. A point of the
penalty curve being dragged is re-priced the same way (``preview``) before it becomes an edit. A
result belongs to the contract simulated: with another contract in the editor it is shown as that
contract's, and neither re-priced nor exported.

The fees chooser (none, a fee set stored in the workspace, or a fee file) gives fees of single
months that apply to the editor's contract in every path that prices it: a run by either method
(and the run stored names the fees), the re-pricing of edits, and so the export. Choosing other
fees re-prices the last run as an edit does.

A simulation of a saved version's terms that ran to the end is stored in the workspace as a run,
with its horizon, so that `ws rerun` gives it again (``simulation_session.run_version``, as
`ws simulate` stores it); the status says which, or why it was not stored. A stored run opened
from the workspace browser is shown here too (``show_stored``), as another contract's result.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
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
from slamodeler.gui.charts.exposure_charts import ExposureCharts
from slamodeler.gui.charts.reprice_worker import LatestJob
from slamodeler.gui.results.input_choice import NONE, fee_choice
from slamodeler.gui.results.layers_panel import LayersPanel
from slamodeler.gui.results.method_choice import MethodChoice
from slamodeler.gui.results.profitability_panel import ProfitabilityPanel
from slamodeler.gui.widgets.errors import ErrorReporter
from slamodeler.gui.widgets.table_copy import install_copy
from slamodeler.gui.widgets.worker import Worker
from slamodeler.gui.workspace.choices import choose, refill
from slamodeler.gui.workspace.stored_runs import kept_note, stored_note
from slamodeler.services import exact_session
from slamodeler.services import simulation_session as session
from slamodeler.services.profitability import versions_to_compare
from slamodeler.services.run_files import with_fees
from slamodeler.services.runs import Recomputed, SimulationMade
from slamodeler.services.simulation_session import (
    DEFAULT_TRIALS,
    MAX_SCENARIO_YEARS,
    MAX_TRIAL_YEARS,
    QUANTILES,
    CancelToken,
    Exposure,
    SimulationRequest,
    SimulationRun,
    exposures,
    has_chronic_failure,
    reprice,
)
from slamodeler.services.workspaces import Workspace, author_name

COLUMNS = [
    "Tier",
    "Trials",
    "Mean",
    "Std err",
    *(k.upper() for k in QUANTILES),
    "TVaR99",
    "P(breach)",
    "Margin",
]
CHRONIC_COLUMNS = ["P(termination)", "Revenue at risk"]  # with a chronic-failure clause
RESIMULATE = "re-simulate to see the effect"


def money(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:,.2f}"


def stat_cells(e: Exposure, chronic: bool = False) -> list[str]:
    """One row of the statistics table (currency units over the horizon); ``chronic``: with the
    termination right's probability and the revenue at risk (CHRONIC_COLUMNS)."""
    breach = "–" if math.isnan(e.p_any_breach) else f"{e.p_any_breach:.2%}"
    extra = [f"{e.p_termination_right:.2%}", money(e.revenue_at_risk_mean)] if chronic else []
    return [
        e.name,
        f"{e.trials:,}",
        money(e.mean),
        money(e.stderr),
        *(money(e.quantiles[k]) for k in QUANTILES),
        money(e.tvar99),
        breach,
        money(e.margin_mean),
        *extra,
    ]


TAIL_COLUMNS = {"P95": "p95", "P99": "p99", "TVaR99": "tvar99"}  # cells with an interval


def interval_tip(e: Exposure, key: str) -> str:
    """A tail cell's tooltip: its 95% confidence interval (docs/statistics.md)."""
    low, high = e.intervals[key]
    if math.isnan(low):
        return "95% confidence interval: too few trials for one"
    return f"95% confidence interval: {money(low)} to {money(high)}"


class TailCell(QTableWidgetItem):
    """A P95, P99 or TVaR99 cell, whose tooltip gives its interval: worked out when shown, as
    TVaR99's bootstrap would otherwise hold up every re-pricing of a large run."""

    def __init__(self, text: str, e: Exposure, key: str):
        super().__init__(text)
        self.exposure, self.key = e, key

    def data(self, role: int) -> object:
        if role == Qt.ItemDataRole.ToolTipRole:
            return interval_tip(self.exposure, self.key)
        return super().data(role)


def time_left(done: int, total: int, elapsed: float) -> str:
    """The progress bar's estimate: the trials left at the pace so far."""
    if done <= 0 or elapsed <= 0:
        return "estimating time left…"
    seconds = (total - done) * elapsed / done
    if seconds < 60:
        return f"about {max(1, round(seconds))} s left"
    return f"about {seconds / 60:.1f} min left"


def _spin(name: str, low: int, high: int, value: int) -> QSpinBox:
    box = QSpinBox()
    box.setObjectName(name)
    box.setRange(low, high)
    box.setValue(value)
    return box


class SimulationView(QWidget):
    finished = Signal()  # a run ended (done, cancelled or failed)
    repriced = Signal()  # after an edit, the figures shown follow the editor's latest terms again
    updated = Signal()  # the figures shown, or what the status says about them, changed
    export_requested = Signal()  # its Export button (the window's ResultsExporter writes)
    stored = Signal(int)  # a run was stored in the workspace (its id)

    def __init__(
        self,
        contract: Callable[[], Contract | None],
        errors: ErrorReporter,
        settings: QSettings | None = None,
    ):
        super().__init__()
        self.contract, self.errors = contract, errors
        self.ws: Workspace | None = None
        self.run_result: SimulationRun | None = None
        self.computed: exact_session.ExactRun | None = None  # an exact result shown instead
        self.stats: list[Exposure] = []
        self.simulated: list[Exposure] = []  # the last run's figures as simulated, before edits
        self.wanted: Contract | None = None  # the terms the figures should follow (or a preview)
        self.behind = ""  # why the figures shown do not follow the editor's terms
        self.subject: tuple[str, str] | None = None  # (workspace, contract) in the editor
        self.run_subject: tuple[str, str] | None = None  # ... when the result shown was simulated
        self.run_title = ""  # the version simulated, as the editor names it
        self.version_id: int | None = None  # the version the editor's contract was opened from
        self.author = author_name()
        self.kept = ""  # whether the result as simulated is stored (kept_note, stored_note)
        self._notes: tuple[SimulationRun | None, list[str]] = (None, [])  # a run's, once worked out
        self._running_for: tuple[tuple[str, str] | None, str] = (None, "")
        self._subject_title = ""
        self.token: CancelToken | None = None
        self.started = 0.0
        self.generation = 0  # runs started; a re-price of an older run is not shown
        self._details_behind = (
            False  # the table and charts are of an earlier result (_show_figures)
        )
        self.worker = Worker(self)
        self.worker.done.connect(self._done)
        self.worker.failed.connect(self._failed)
        self.worker.progress.connect(self._progress)
        self.repricer = LatestJob(self)
        self.repricer.done.connect(self._repriced)
        self.repricer.failed.connect(lambda exc: self.errors.report(exc, "re-price the last run"))

        self.scenarios = QComboBox()
        self.scenarios.setObjectName("scenarios")
        self.scenarios.currentTextChanged.connect(self._scenario_chosen)
        self.method = MethodChoice()
        self.fee_choice = fee_choice()
        self.fee_choice.changed.connect(self.contract_changed)
        if settings is not None:
            self.fee_choice.remember_in(settings, "simulation/fees")
        self.start = QLineEdit()
        self.start.setObjectName("start")
        self.start.setInputMask("0000-00")  # typing 202609 gives 2026-09
        self.start.setPlaceholderText("YYYY-MM")
        self.start.setMaximumWidth(self.start.fontMetrics().horizontalAdvance("00000-000") + 16)
        self.start.setToolTip(
            "The first month simulated, YYYY-MM; a quarterly contract starts at the first month "
            "of the next quarter"
        )
        self.start.textChanged.connect(self._align)
        self.start_note = QLabel("")
        self.start_note.setObjectName("startNote")
        self.start_note.hide()
        self.years = _spin("years", 1, MAX_SCENARIO_YEARS, 1)
        self.years.setToolTip("The horizon simulated, in years from the start")
        self.trials = _spin("trials", 1, MAX_TRIAL_YEARS, DEFAULT_TRIALS)
        self.trials.setSingleStep(10_000)
        self.trials.setGroupSeparatorShown(True)
        self.seed = _spin("seed", 0, 999_999_999, 1)
        self.run_button = QPushButton("Run")
        self.run_button.setObjectName("runSimulation")
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelSimulation")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.export_button = QPushButton("Export workbook…")
        self.export_button.setObjectName("exportWorkbook")
        self.export_button.setToolTip("Write the exposure workbook (.xlsx) of the figures shown")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(lambda: self.export_requested.emit())
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
        self.shown.currentIndexChanged.connect(self._show_series)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("exposureTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.currentCellChanged.connect(lambda row, *_: self._pick_row(row))
        install_copy(self.table)

        self.charts = ExposureCharts()
        self.chart = self.charts.histogram
        self.fees = ProfitabilityPanel(errors)  # margins and fees per tier, in a tab of its own
        self.charts.addTab(self.fees, "Fees and margins")
        self.layer_panel = LayersPanel()  # layers L xs R of the series shown
        self.charts.addTab(self.layer_panel, "Layers")

        top = QHBoxLayout()  # in short rows: the window stays as narrow as the other views
        top.addWidget(QLabel("Scenario"))
        top.addWidget(self.scenarios, 1)
        top.addWidget(QLabel("Method"))
        top.addWidget(self.method)
        top.addWidget(self.fee_choice)
        terms = QHBoxLayout()
        for label, box in (
            ("Start", self.start),
            ("Horizon (years)", self.years),
            ("Trials", self.trials),
        ):
            terms.addWidget(QLabel(label))
            terms.addWidget(box)
        terms.addWidget(QLabel("Seed"))
        terms.addWidget(self.seed)
        terms.addStretch(1)
        bar = QHBoxLayout()
        bar.addWidget(self.run_button)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.eta)
        bar.addWidget(self.export_button)
        pick = QHBoxLayout()
        pick.addWidget(QLabel("Histogram and convergence of"))
        pick.addWidget(self.shown, 1)
        pick.addStretch(2)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(pick)
        lower_layout.addWidget(self.charts, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setSizes([220, 460])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(terms)
        layout.addWidget(self.start_note)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)

    # -- workspace -----------------------------------------------------------------------------

    def set_workspace(self, ws: Workspace) -> None:
        if ws is not self.ws:
            self.subject = None  # another workspace: nothing in its editor was simulated here
            self._status()
        self.ws = ws
        refill(self.scenarios, (row.key for row in ws.scenarios()))
        self.fee_choice.set_workspace(ws)

    def set_subject(self, key: str | None, title: str = "", version_id: int | None = None) -> None:
        """The contract ``key`` (its version named ``title``, id ``version_id``) is now in the
        editor. A result of another contract stays on view, marked as that contract's, and is
        neither re-priced nor exported; one of this contract follows the version opened."""
        self.subject = None if key is None or self.ws is None else (str(self.ws.path), key)
        self.version_id = version_id
        self._subject_title = title
        self._update_export()
        if self.current:
            self.contract_changed()
        self._align()
        self._status()

    def priced(self, contract: Contract | None = None) -> Contract | None:
        """``contract`` (by default the editor's) with the fees chosen: the terms every path
        prices. None when there is no contract; InputError when the fees do not fit it."""
        contract = self.contract() if contract is None else contract
        return None if contract is None else with_fees(contract, self.fee_choice.value())

    def _priced_or_none(self) -> Contract | None:
        try:
            return self.priced()
        except InputError:
            return None

    @property
    def current(self) -> bool:
        """Whether the result shown is of the contract in the editor."""
        return self.run_result is not None and self.run_subject == self.subject

    def choose_scenario(self, key: str) -> None:
        choose(self.scenarios, key)

    def _scenario_chosen(self, key: str) -> None:
        """The horizon starts as the scenario's own."""
        self._offer_exact()
        if self.ws is None or not key:
            return
        try:
            scenario = self.ws.scenario_of(self.ws.scenario(key))
        except InputError:
            return  # Run says what is wrong with it
        self.start.setText(scenario.start)
        self.years.setValue(min(scenario.years, MAX_SCENARIO_YEARS))

    def start_month(self) -> str:
        return self.start.text()

    def _align(self) -> None:
        """Say how the start will move to fit the contract in the editor's periods."""
        self._offer_exact()
        contract = self.contract()
        if contract is None:
            return  # the editor marks its problems; the note stays as it was
        try:
            note = session.start_note(self.start_month(), contract)
        except InputError:
            note = "Start: type a month, YYYY-MM (e.g. 2027-01)"
        self.start_note.setText(note)
        self.start_note.setVisible(bool(note))

    def _offer_exact(self) -> None:
        """Enable the Exact method when the contract in the editor and the scenario allow it."""
        self.method.allow(
            exact_session.why_not_exact(self.ws, self.scenarios.currentText(), self.contract())
        )

    # -- running -------------------------------------------------------------------------------

    def run(self) -> None:
        if self.worker.running:
            return
        try:
            contract = self.contract()
            if contract is None:
                raise InputError("the contract has problems (marked in the editor): fix them first")
            ws, key, version_id = self.ws, self.scenarios.currentText(), self.version_id
            if ws is None or not key:
                raise InputError("choose a scenario to simulate (add one with `ws add-scenario`)")
            if version_id is None:
                raise InputError("open a contract version in the workspace browser first")
            request = SimulationRequest(
                self.trials.value(), self.seed.value(), self.years.value(), self.start_month()
            )
            session.horizon_scenario(ws, key, request)  # a broken scenario or start: said now
            fees = self.fee_choice.value()
            priced = with_fees(contract, fees)  # fees that do not fit the contract: said now
        except Exception as exc:
            self.errors.report(exc, "simulate")
            return
        if self.method.exact:
            self._compute(lambda: exact_session.compute(ws, key, request, priced))
            return
        trials, seed = request.trials, request.seed
        token = CancelToken()
        report, author = self.worker.report_progress, self.author

        def job() -> SimulationMade:  # run, and stored when the terms are a saved version's
            return session.run_version(
                ws,
                version_id,
                contract,
                key,
                author,
                request,
                progress=report,
                cancel=token,
                fees=fees,
            )

        self.generation += 1
        self.repricer.drop_waiting()
        self._running_for = (self.subject, self._subject_title)
        self.token = token
        self.started = time.monotonic()
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, trials)
        self.progress.setValue(0)
        self.eta.setText("estimating time left…")
        self.status.setText(f"Simulating {trials:,} trials (seed {seed})…")
        self.worker.start(job)

    def _compute(self, job: Callable[[], exact_session.ExactRun]) -> None:
        """Run the exact method off the GUI thread (it has no trials to count or cancel)."""
        self.generation += 1
        self.repricer.drop_waiting()
        self._running_for = (self.subject, self._subject_title)
        self.run_button.setEnabled(False)
        self.progress.setRange(0, 0)  # busy: no trials to count
        self.eta.setText("")
        self.status.setText("Computing the exact distributions…")
        self.worker.start(job)

    def cancel(self) -> None:
        if self.token is not None:
            self.token.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("Cancelling…")

    def stop(self) -> None:
        """Cancel any run and wait for every thread of the view (on close)."""
        if self.token is not None:
            self.token.cancel()
        self.worker.wait()
        self.repricer.wait()
        self.fees.wait()

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

    def _done(self, made: SimulationMade | exact_session.ExactRun) -> None:
        self._idle()
        if isinstance(made, exact_session.ExactRun):
            self.progress.setRange(0, 1)
            self.progress.setValue(1)
            self._show_computed(made, *self._running_for)
            self.finished.emit()
            return
        self.computed = None
        if made.run is not None:
            self.stored.emit(made.run.id)
        result, stats = made.simulation, made.exposures
        if not result.trials:
            self.status.setText("Cancelled before any trial finished; nothing to show or store.")
            self.finished.emit()
            return
        self.run_result, self.stats, self.simulated = result, stats, stats
        self.run_subject, self.run_title = self._running_for
        self.wanted = result.contract
        self.kept = kept_note(made.run, made.not_stored)
        self._show()
        if self.current and self._priced_or_none() != result.contract:
            self.contract_changed()  # edited (or other fees chosen) while it ran
        self.finished.emit()

    def show_stored(self, again: Recomputed) -> bool:
        """A simulation stored in the workspace, computed again from its stored inputs, shown
        as another contract's result (its terms are a version's, not the editor's). Refused
        (False) while a simulation runs: its result is on its way to the view."""
        if self.worker.running:
            return False
        if again.computed is not None:
            self._show_computed(
                again.computed,
                (str(self.ws.path) if self.ws else "", f"run {again.run.id}"),
                f"{again.ref} (stored run {again.run.id})",
            )
            return True
        if again.simulated is None:
            return False
        self.computed = None
        result, stats = again.simulated
        self.generation += 1  # a re-price of the result shown before is not shown
        self.repricer.drop_waiting()
        self.run_result, self.stats, self.simulated = result, stats, stats
        self.run_subject = (str(self.ws.path) if self.ws else "", f"run {again.run.id}")
        self.run_title = f"{again.ref} (stored run {again.run.id})"
        self.wanted = result.contract
        self.kept = stored_note(again)
        self._show()
        return True

    # -- live re-pricing -----------------------------------------------------------------------

    def contract_changed(self) -> None:
        """The editor's contract changed: re-price the last run in the background if only
        credit terms moved; the latest edit replaces any re-price still waiting."""
        self._align()
        if self.computed is not None:
            self._update_export()  # exported only while the terms and fees are those computed
            self._status()  # the computed figures do not follow edits: the status says so
        self._reprice(self.contract())

    def preview(self, contract: Contract) -> None:
        """Terms the editor tries out (a point of the penalty curve being dragged): re-priced
        as an edit is, without becoming the editor's. The edit that ends the drag follows."""
        self._reprice(contract)

    def _reprice(self, edited: Contract | None) -> None:
        run = self.run_result
        if run is None or self.worker.running or not self.current:
            return
        try:
            contract = None if edited is None else self.priced(edited)
        except InputError as exc:
            self.repricer.drop_waiting()
            self.behind = (
                f"The fees chosen do not fit the contract ({exc}); showing the last figures."
            )
            self._status()
            return
        self.wanted = contract
        refused = session.can_reprice(run, contract) if contract is not None else ""
        if contract is None or refused:
            self.repricer.drop_waiting()
            self.behind = (
                "The contract has problems (marked in the editor); showing the last figures."
                if contract is None
                else f"{refused[:1].upper()}{refused[1:]}: {RESIMULATE}."
            )
            self._status()
            return
        if contract == run.contract and not self.repricer.busy:  # back to the terms shown
            if self._details_behind:
                self._show()
            else:
                self.behind = ""
                self._status()
            if contract == self._priced_or_none():
                self.repriced.emit()
            return
        generation = self.generation

        def job() -> tuple[int, SimulationRun, list[Exposure]] | None:
            try:
                result = reprice(run, contract)
            except (InputError, KeyError, ValueError):  # measured otherwise, another contract
                return None
            return generation, result, exposures(result)

        self.repricer.submit(job)
        self._status()

    def _repriced(self, outcome: tuple[int, SimulationRun, list[Exposure]] | None) -> None:
        if outcome is None:
            if not self.repricer.busy:
                self.behind = f"The edit cannot be re-priced: {RESIMULATE}."
                self._status()
            return
        generation, result, stats = outcome
        if generation != self.generation or self.worker.running:
            if not self.worker.running:
                self._status()  # the new run is shown: only this re-price was still to come
            return  # a new simulation replaces the run it re-priced
        self.run_result, self.stats = result, stats
        if self.isVisible() or result.contract == self._priced_or_none():
            self._show()
        else:
            self._show_figures()
        if self.repricer.busy:
            return  # a newer edit is on its way
        if self.wanted != result.contract:
            self._reprice(self.wanted)  # terms that needed no re-price (or cannot have one)
            return
        if result.contract == self._priced_or_none():
            self.repriced.emit()

    # -- export --------------------------------------------------------------------------------

    def exportable(self) -> tuple[SimulationRun, list[Exposure]] | None:
        """The result and figures a workbook can be written from: those shown, if they are of
        the contract in the editor."""
        if not self.current or self.run_result is None:
            return None
        return self.run_result, self.stats

    def computed_exportable(self) -> exact_session.ExactRun | None:
        """The exact result shown, if it is of the terms in the editor (a workbook of its
        computed figures can be written from it)."""
        computed = self.computed
        if computed is None or self.run_subject != self.subject:
            return None
        return computed if self._priced_or_none() == computed.contract else None

    # -- showing -------------------------------------------------------------------------------

    @property
    def partial(self) -> bool:
        return self.run_result is not None and self.run_result.cancelled

    def _update_export(self) -> None:
        self.export_button.setEnabled(
            self.exportable() is not None or self.computed_exportable() is not None
        )

    def _status(self) -> None:
        run = self.run_result
        if self.computed is not None and not self.worker.running:
            self.status.setText(self._computed_status(self.computed))
            self.updated.emit()
            return
        if run is None or self.worker.running:  # a run in progress says so until it ends
            self.updated.emit()
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
        if not self.current:
            text = f"{self.other_contract()} {text}"
        elif self.repricer.busy:
            text += "  Re-pricing for the latest edit…"
        elif self.behind:
            text += f"  {self.behind}"
        elif self.current and self.fee_choice.shown.text() != NONE:
            text += f"  Fees of single months from {self.fee_choice.shown.text()}."
        if self.kept and self.stats is self.simulated:  # not once re-priced for an edit
            text += f"  {self.kept}"
        text += "".join(f"  Note: {note}." for note in self._run_notes(run))
        self.status.setText(text)
        self.updated.emit()

    def _run_notes(self, run: SimulationRun) -> list[str]:
        """What the run notes (a tier no process reaches, a process that reaches no tier) but
        its start moved, which has a label of its own; worked out once a run: the status is set
        again at every step of a drag."""
        if self._notes[0] is not run:
            self._notes = (run, [note for note in run.notes if note != run.start_note])
        return self._notes[1]

    def _computed_status(self, computed: exact_session.ExactRun) -> str:
        periods = computed.horizon.periods
        text = (
            f"{computed.contract.name}: computed by the exact method (no trials, no sampling "
            f"error), {periods[0].label} to {periods[-1].label}; amounts in "
            f"{computed.contract.currency} over the horizon, for all of a tier's customers."
        )
        if self.run_subject != self.subject:
            return (
                f"This result is for {self.run_title or 'another contract'}, not the contract "
                f"in the editor. {text}"
            )
        if self._priced_or_none() != computed.contract:
            text += (
                "  The terms in the editor or the fees changed since: press Run to compute them."
            )
        return text

    def other_contract(self) -> str:
        """What the status says of a result whose contract is no longer in the editor."""
        return (
            f"This result is for {self.run_title or 'another contract'}, not the contract in the "
            "editor: press Run to simulate the one in the editor. Until then these figures are "
            "neither re-priced nor exported."
        )

    def _show_computed(
        self, computed: exact_session.ExactRun, subject: tuple[str, str] | None, title: str
    ) -> None:
        """An exact result in the same table: no trials, a standard error of 0, no interval
        tooltips, no histograms (nothing was drawn); not re-priced, and exported as computed
        (the workbook says so) while the editor holds its terms."""
        self.computed, self.run_result, self.simulated = computed, None, []
        self._details_behind = False
        self.run_subject, self.run_title = subject, title
        self.stats = computed.exposures
        self.behind = ""
        self._update_export()
        self._fill_table(COLUMNS, sampled=False)
        self._pick_series()
        self.charts.clear()
        self.layer_panel.show_series(None, "")
        nothing = "The exact method draws no trials: no {} to show (run Monte Carlo for it)."
        self.charts.series.clear(nothing.format("histogram of trials"))
        self.charts.convergence.show_empty(nothing.format("running mean"))
        self._fees_tab(False)
        self._status()

    def _fees_tab(self, enabled: bool) -> None:
        """Fees and margins are solved on trials: not offered for an exact result."""
        index = self.charts.indexOf(self.fees)
        self.charts.setTabEnabled(index, enabled)
        self.charts.setTabToolTip(
            index, "" if enabled else "Fees are solved on simulated trials: run Monte Carlo"
        )

    def _fill_table(self, headers: list[str], sampled: bool, chronic: bool = False) -> None:
        """The statistics table; ``sampled``: a simulation's, whose tail cells give their
        confidence intervals (a computed result has no trials and no intervals)."""
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(self.stats))
        for row, e in enumerate(self.stats):
            cells = stat_cells(e, chronic)
            if not sampled:
                cells[1] = "exact"
            for col, text in enumerate(cells):
                key = TAIL_COLUMNS.get(headers[col]) if sampled else None
                item = QTableWidgetItem(text) if key is None else TailCell(text, e, key)
                if col:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()  # once: fitting at every cell costs ~10 ms a fill

    def _show(self) -> None:
        self.behind = ""
        self._show_details()
        self._status()

    def _show_details(self) -> None:
        """The table, charts and fees panel of the result shown."""
        self._details_behind = False
        self._update_export()
        assert self.run_result is not None
        chronic = has_chronic_failure(self.run_result)
        self._fill_table(COLUMNS + (CHRONIC_COLUMNS if chronic else []), True, chronic)
        self._pick_series()
        self._show_series()
        self.charts.show_tiers(self.stats[:-1], self.run_result.contract.currency)
        self._offer_versions()
        self._fees_tab(True)
        self.fees.show_run(self.run_result)

    def _show_figures(self) -> None:
        """A re-price of terms tried out (a point being dragged) while this view is off screen:
        its figures, which the exposure panel under the curve shows (``updated``), and the
        status. The table, charts and fees panel (most of the GUI thread's work for a re-price,
        with a query of the workspace) wait for the edit that ends the drag, or for this view to
        come on screen (``_show_details``), rather than being drawn for every move."""
        self.behind = ""
        self._details_behind = True
        self._update_export()
        self._status()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._details_behind and self.run_result is not None:
            self._show_details()  # the status stands: it may say why the figures are behind

    def _pick_series(self) -> None:
        """The series list under the table, keeping the one chosen."""
        keep = self.shown.currentText()
        self.shown.blockSignals(True)
        self.shown.clear()
        self.shown.addItems([e.name for e in self.stats])
        index = self.shown.findText(keep)
        self.shown.setCurrentIndex(max(index, 0))
        self.shown.blockSignals(False)

    def _offer_versions(self) -> None:
        """The stored versions of the contract simulated, for Fees and margins to compare."""
        subject = self.run_subject
        if self.ws is None or subject is None or subject[0] != str(self.ws.path):
            self.fees.set_versions([])
            return
        try:
            self.fees.set_versions(versions_to_compare(self.ws, subject[1]))
        except InputError:  # not stored (any more): nothing to compare with
            self.fees.set_versions([])

    def _pick_row(self, row: int) -> None:
        if 0 <= row < self.shown.count():
            self.shown.setCurrentIndex(row)

    def shown_exposure(self) -> Exposure | None:
        index = self.shown.currentIndex()
        return self.stats[index] if 0 <= index < len(self.stats) else None

    def _show_series(self) -> None:
        e, run = self.shown_exposure(), self.run_result
        self.layer_panel.show_series(e if run else None, run.contract.currency if run else "")
        if e is None or run is None:
            self.charts.clear()
            return
        self.charts.show_series(e, session.ceilings(run, e.name), run.contract.currency)
