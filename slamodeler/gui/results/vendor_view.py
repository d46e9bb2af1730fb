"""The Vendor tab: a vendor's SLA of the open workspace held back to back with one of our
contracts, on a stored incident set (and, with a stored scenario, simulated on one drawing):
per period the credits we owe because of the vendor against those it owes us, drawn as bars,
the gap, the vendor's scorecard and the annual gap's distribution (services/vendor.py)."""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from slamodeler.domain.simulation_request import SimulationRequest
from slamodeler.gui.widgets.background_run import BackgroundRun
from slamodeler.gui.widgets.errors import ErrorReporter
from slamodeler.gui.widgets.table_copy import install_copy
from slamodeler.gui.widgets.theme import ThemedPlot
from slamodeler.gui.widgets.workbook_button import WorkbookButton
from slamodeler.gui.widgets.worker import Worker
from slamodeler.gui.workspace.choices import refill
from slamodeler.services.vendor import (
    PERIOD_HEADERS,
    SCORE_HEADERS,
    BackToBack,
    CancelToken,
    contract_keys,
    fitting_ours,
    heading,
    period_details,
    period_rows,
    save_vendor_workbook,
    score_rows,
    simulated_lines,
    simulated_period_rows,
    vendor_workspace,
)
from slamodeler.services.workspaces import Workspace

OURS, THEIRS = "#c0392b", "#27ae60"  # credits we owe, credits the vendor owes us
REPLAY_ONLY = "(replay only)"


class VendorView(BackgroundRun, QWidget):
    found = Signal()  # a vendor was held to its SLA and shown

    def __init__(self, errors: ErrorReporter):
        super().__init__()
        self.errors = errors
        self.ws: Workspace | None = None
        self.offered_for = ""  # the vendor Ours was last fitted to
        self.result: BackToBack | None = None
        self.cancel_token: CancelToken | None = None
        self.worker = Worker(self)
        self.worker.done.connect(self._done)
        self.worker.failed.connect(self._failed)
        self.worker.progress.connect(self._progress)

        self.ours, self.vendor = QComboBox(), QComboBox()
        self.ours.setObjectName("vendorOurs")
        self.ours.setToolTip("Our contract (its latest version)")
        self.vendor.setObjectName("vendorContract")
        self.vendor.setToolTip(
            "The vendor's SLA: a contract marked direction: received, with the tiers it reaches"
        )
        self.vendor.currentTextChanged.connect(lambda _: self._offer_fitting_ours())
        self.incidents = QComboBox()
        self.incidents.setObjectName("vendorIncidents")
        self.incidents.setToolTip("The vendor's incidents")
        self.scenarios = QComboBox()
        self.scenarios.setObjectName("vendorScenarios")
        self.scenarios.setToolTip("Also simulate: the vendor's incidents drawn from a scenario")
        asked = SimulationRequest()
        self.trials = QSpinBox()
        self.trials.setObjectName("vendorTrials")
        self.trials.setRange(100, 1_000_000)
        self.trials.setSingleStep(1000)
        self.trials.setGroupSeparatorShown(True)
        self.trials.setValue(asked.trials)
        self.seed = QSpinBox()
        self.seed.setObjectName("vendorSeed")
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setValue(asked.seed)
        self._make_run_buttons(
            "vendor",
            "Hold the vendor",
            "The vendor's incidents under both contracts: what we owe because of them, what "
            "the vendor owes us, and the gap",
        )
        self.status = QLabel()
        self.status.setObjectName("vendorStatus")
        self.export_button = WorkbookButton(
            "vendorExport", "The Vendor sheet, with our side's replay", self.status, errors
        )
        self.exported = self.export_button.exported
        self.progress = QProgressBar()
        self.progress.setObjectName("vendorProgress")
        self.progress.setVisible(False)
        self.heading = QLabel("Choose our contract, the vendor's and its incidents.")
        self.heading.setObjectName("vendorHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.simulated = QLabel()
        self.simulated.setObjectName("vendorSimulated")
        self.simulated.setWordWrap(True)
        self.simulated.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.periods = _table("vendorPeriods", PERIOD_HEADERS)
        self.scorecard = _table("vendorScorecard", SCORE_HEADERS)
        _fit_rows(self.scorecard)
        self.chart = ThemedPlot(axisItems={"bottom": pg.AxisItem("bottom")})
        self.chart.setObjectName("vendorChart")
        self.chart.setMenuEnabled(False)
        self.chart.addLegend(offset=(-10, 10))  # top right: the first periods' bars show

        grid = QGridLayout()  # two pairs a row: the tab stays as narrow as the others
        pairs: tuple[tuple[str, QWidget], ...] = (
            ("Ours", self.ours),
            ("Vendor", self.vendor),
            ("Incidents", self.incidents),
            ("Scenario", self.scenarios),
            ("Trials", self.trials),
            ("Seed", self.seed),
        )
        for i, (label, widget) in enumerate(pairs):
            grid.addWidget(QLabel(label), i // 2, 2 * (i % 2))
            grid.addWidget(widget, i // 2, 2 * (i % 2) + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.addWidget(self.run_button, 0, 4)
        actions = QHBoxLayout()  # a row of their own: the tab stays as narrow as the others
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.export_button)
        actions.addWidget(self.status, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.periods)
        split.addWidget(self.chart)
        split.setSizes([260, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(actions)
        layout.addWidget(self.progress)
        layout.addWidget(self.heading)
        layout.addWidget(self.scorecard)
        layout.addWidget(self.simulated)
        layout.addWidget(split, 1)

    def showEvent(self, event: QShowEvent) -> None:
        """Contracts saved since (a version marked received in the editor) show when the tab
        does."""
        if self.ws is not None:
            self.set_workspace(self.ws)
        super().showEvent(event)

    def set_workspace(self, ws: Workspace) -> None:
        if ws is not self.ws:
            self.offered_for = ""
        self.ws = ws
        ours, theirs = contract_keys(ws)
        refill(self.ours, ours)
        with QSignalBlocker(self.vendor):  # refilled, not chosen: the user's Ours stays
            refill(self.vendor, theirs)
        refill(self.incidents, (row.key for row in ws.incident_sets()))
        refill(self.scenarios, [REPLAY_ONLY, *(row.key for row in ws.scenarios())])
        self._offer_fitting_ours()

    def _offer_fitting_ours(self) -> None:
        """Once per vendor chosen, Ours becomes a contract the vendor reaches every tier of,
        where the one shown does not have them (a choice that fits is kept, and so is the
        user's own choice afterwards)."""
        vendor = self.vendor.currentText()
        if self.ws is None or not vendor or vendor == self.offered_for:
            return
        self.offered_for = vendor
        ours = [self.ours.itemText(i) for i in range(self.ours.count())]
        fitting = fitting_ours(self.ws, self.vendor.currentText(), ours)
        if fitting and self.ours.currentText() not in fitting:
            self.ours.setCurrentText(fitting[0])

    def start(self) -> None:
        ws = self.ws
        ours, vendor = self.ours.currentText(), self.vendor.currentText()
        incidents = self.incidents.currentText()
        if ws is None or not (ours and vendor and incidents):
            self.heading.setText(
                "Choose our contract, a vendor's (a contract marked direction: received) and "
                "an incident set first."
            )
            return
        chosen = self.scenarios.currentText()
        scenario = None if chosen in ("", REPLAY_ONLY) else chosen
        request = SimulationRequest(self.trials.value(), self.seed.value())
        token = self.cancel_token = CancelToken()
        report = self.worker.report_progress

        def job() -> BackToBack:
            return vendor_workspace(
                ws, ours, vendor, incidents, scenario, request, progress=report, cancel=token
            )

        self.run_button.setEnabled(False)
        self.export_button.offer(None)
        self.cancel_button.setEnabled(scenario is not None)
        self.progress.setValue(0)
        self.progress.setVisible(scenario is not None)
        self.heading.setText(f"Holding {vendor} to its SLA…")
        self.worker.start(job)

    def _done(self, found: BackToBack) -> None:
        self._idle()
        self.result = found
        self.heading.setText(heading(found))
        _fill(self.periods, period_rows(found), {1, 2, 3}, period_details(found))
        _fill(self.scorecard, score_rows(found), {1, 3})
        _fit_rows(self.scorecard)
        self.simulated.setText("\n".join(simulated_lines(found)))
        self.simulated.setToolTip(  # per simulated period: we owe, the vendor owes, the gap
            "\n".join(
                f"{p}: we owe {ours}, the vendor owes {theirs}, gap {gap} (means)"
                for p, ours, theirs, gap in simulated_period_rows(found)
            )
        )
        self._draw(found)
        self.export_button.offer("vendor.xlsx", lambda path: save_vendor_workbook(path, found))
        self.found.emit()

    def _failed(self, exc: BaseException) -> None:
        self._report_failure(
            exc,
            "Cannot hold the vendor to its SLA",
            "No result: see the message.",
            "hold the vendor to its SLA",
        )

    def _draw(self, found: BackToBack) -> None:
        plot = self.chart.getPlotItem()
        plot.clear()
        self.chart.setLabel("left", f"Credits ({found.replayed.currency})")
        periods = found.replayed.periods
        xs = list(range(len(periods)))
        for shift, heights, brush, name in (
            (-0.2, [float(p.we_owe) for p in periods], OURS, "we owe"),
            (0.2, [float(p.vendor_owes) for p in periods], THEIRS, "the vendor owes us"),
        ):
            plot.addItem(
                pg.BarGraphItem(
                    x=[x + shift for x in xs], height=heights, width=0.4, brush=brush, name=name
                )
            )
        plot.getAxis("bottom").setTicks([[(x, p.period) for x, p in zip(xs, periods, strict=True)]])


def _table(name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.horizontalHeader().setStretchLastSection(True)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    install_copy(table)
    return table


def _fit_rows(table: QTableWidget) -> None:
    """As tall as its rows: a scorecard has a row per vendor tier."""
    rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
    table.setFixedHeight(table.horizontalHeader().height() + rows + 2 * table.frameWidth() + 2)


def _fill(
    table: QTableWidget, rows: list[list[str]], right: set[int], tips: Sequence[str] = ()
) -> None:
    """The rows, right-aligned in the ``right`` columns; ``tips``: a tooltip per row (each side
    by tier), the rows past them (the total) without."""
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if r < len(tips):
                item.setToolTip(tips[r])
            if c in right:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
