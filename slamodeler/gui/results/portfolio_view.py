"""The Portfolio tab: every contract of the open workspace (its approved version, else its latest)
on the same simulated incidents of a stored scenario: each one's own tail, its contribution to
the portfolio's TVaR99 (drawn as bars beside its own TVaR99) and the diversification benefit
(services/portfolio.py)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from slamodeler.domain.errors import InputError
from slamodeler.domain.simulation_request import SimulationRequest
from slamodeler.gui.widgets.background_run import BackgroundRun
from slamodeler.gui.widgets.errors import ErrorReporter
from slamodeler.gui.widgets.table_copy import install_copy
from slamodeler.gui.widgets.theme import ThemedPlot
from slamodeler.gui.widgets.workbook_button import WorkbookButton
from slamodeler.gui.widgets.worker import Worker
from slamodeler.gui.workspace.choices import choose, refill
from slamodeler.services.portfolio import (
    MEMBER_HEADERS,
    CancelToken,
    Portfolio,
    contribution_interval,
    diversification_line,
    member_cells,
    portfolio_cells,
    portfolio_contracts,
    portfolio_heading,
    price_workspace,
    save_portfolio_workbook,
)
from slamodeler.services.workspaces import Workspace

OWN, PART = "#95a5a6", "#2e86c1"  # the contract's own TVaR99, its contribution


class PortfolioView(BackgroundRun, QWidget):
    found = Signal()  # a portfolio was priced and shown

    def __init__(self, errors: ErrorReporter):
        super().__init__()
        self.errors = errors
        self.ws: Workspace | None = None
        self.result: Portfolio | None = None
        self.cancel_token: CancelToken | None = None
        self.worker = Worker(self)
        self.worker.done.connect(self._done)
        self.worker.failed.connect(self._failed)
        self.worker.progress.connect(self._progress)

        asked = SimulationRequest()
        self.scenarios = QComboBox()
        self.scenarios.setObjectName("portfolioScenarios")
        self.trials = QSpinBox()
        self.trials.setObjectName("portfolioTrials")
        self.trials.setRange(100, 1_000_000)
        self.trials.setSingleStep(1000)
        self.trials.setGroupSeparatorShown(True)
        self.trials.setValue(asked.trials)
        self.seed = QSpinBox()
        self.seed.setObjectName("portfolioSeed")
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setValue(asked.seed)
        self.contracts = QListWidget()  # which contracts make the book: all, unless unticked
        self.contracts.setObjectName("portfolioContracts")
        self.contracts.setFlow(QListWidget.Flow.LeftToRight)
        self.contracts.setWrapping(True)
        self.contracts.setMaximumHeight(3 * self.fontMetrics().height() + 12)
        self.contracts.setToolTip(
            "The contracts priced together, each at its approved version (else its latest); "
            "untick those of another currency to price the others"
        )
        self._make_run_buttons(
            "portfolio",
            "Price the book",
            "Every contract of the workspace, at its approved version (else its latest), on the "
            "same simulated incidents",
        )
        self.status = QLabel()
        self.export_button = WorkbookButton(
            "portfolioExport",
            "The Portfolio sheet, with the exposure of the largest",
            self.status,
            errors,
        )
        self.exported = self.export_button.exported
        self.status.setObjectName("portfolioStatus")
        self.progress = QProgressBar()
        self.progress.setObjectName("portfolioProgress")
        self.progress.setVisible(False)
        self.heading = QLabel("Choose a scenario and press Price the book.")
        self.heading.setObjectName("portfolioHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.benefit = QLabel()
        self.benefit.setObjectName("portfolioBenefit")
        self.benefit.setWordWrap(True)
        self.benefit.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, len(MEMBER_HEADERS))
        self.table.setObjectName("portfolioTable")
        self.table.setHorizontalHeaderLabels([h[:1].upper() + h[1:] for h in MEMBER_HEADERS])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.resizeColumnsToContents()  # empty: each header readable in full
        install_copy(self.table)
        self.chart = ThemedPlot(axisItems={"bottom": pg.AxisItem("bottom")})
        self.chart.setObjectName("portfolioChart")
        self.chart.setMenuEnabled(False)
        self.chart.addLegend()

        top = QHBoxLayout()
        for label, widget in (
            ("Scenario", self.scenarios),
            ("Trials", self.trials),
            ("Seed", self.seed),
        ):
            top.addWidget(QLabel(label))
            top.addWidget(widget, 1 if widget is self.scenarios else 0)
        top.addWidget(self.run_button)
        actions = QHBoxLayout()  # a row of their own: the tab stays as narrow as the others
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.export_button)
        actions.addWidget(self.status, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.chart)
        split.setSizes([220, 380])
        chosen = QHBoxLayout()
        chosen.addWidget(QLabel("Contracts"))
        chosen.addWidget(self.contracts, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(chosen)
        layout.addLayout(actions)
        layout.addWidget(self.progress)
        layout.addWidget(self.heading)
        layout.addWidget(self.benefit)
        layout.addWidget(split, 1)

    def set_workspace(self, ws: Workspace) -> None:
        """The workspace's scenarios and contracts; a contract unticked stays so while the
        same workspace is open."""
        unticked = set() if ws is not self.ws else set(self.chosen_keys(False))
        self.ws = ws
        refill(self.scenarios, (row.key for row in ws.scenarios()))
        self.contracts.clear()
        try:
            found = portfolio_contracts(ws)
        except InputError:  # no contract yet: pricing says what to import
            found = []
        for label, _ in found:
            item = QListWidgetItem(label)
            key = label.rsplit("@", 1)[0]
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = key not in unticked
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.contracts.addItem(item)

    def chosen_keys(self, ticked: bool = True) -> list[str]:
        """The keys of the contracts ticked (or, with ``ticked`` False, those not)."""
        items = [self.contracts.item(i) for i in range(self.contracts.count())]
        return [
            str(i.data(Qt.ItemDataRole.UserRole))
            for i in items
            if (i.checkState() == Qt.CheckState.Checked) == ticked
        ]

    def choose_scenario(self, key: str) -> None:
        choose(self.scenarios, key)

    def start(self) -> None:
        key, ws = self.scenarios.currentText(), self.ws
        if ws is None or not key:
            self.heading.setText("Choose a scenario first (import one into the workspace).")
            return
        keys = self.chosen_keys() if self.contracts.count() else None
        request = SimulationRequest(self.trials.value(), self.seed.value())
        token = self.cancel_token = CancelToken()
        report = self.worker.report_progress

        def job() -> Portfolio:
            return price_workspace(ws, key, request, progress=report, cancel=token, keys=keys)

        self.run_button.setEnabled(False)
        self.export_button.offer(None)
        self.cancel_button.setEnabled(True)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.heading.setText(f"Pricing every contract under {key}…")
        self.worker.start(job)

    def _done(self, found: Portfolio) -> None:
        self._idle()
        self.result = found
        self.heading.setText(portfolio_heading(found))
        self.benefit.setText(diversification_line(found))
        rows = [*(member_cells(m) for m in found.members), portfolio_cells(found)]
        self.table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if c == 5 and r < len(found.members):
                    item.setToolTip(contribution_interval(found, r))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self._draw(found)
        self.export_button.offer(
            "portfolio.xlsx", lambda path: save_portfolio_workbook(path, found)
        )
        self.found.emit()

    def _failed(self, exc: BaseException) -> None:
        self._report_failure(
            exc, "Cannot price the book", "No portfolio: see the message.", "price the portfolio"
        )

    def _draw(self, found: Portfolio) -> None:
        plot = self.chart.getPlotItem()
        plot.clear()
        self.chart.setLabel("left", f"TVaR99 ({found.currency})")
        xs = list(range(len(found.members)))
        own = [m.exposure.tvar99 for m in found.members]
        part = [m.contribution for m in found.members]
        plot.addItem(
            pg.BarGraphItem(
                x=[x - 0.2 for x in xs], height=own, width=0.4, brush=OWN, name="own TVaR99"
            )
        )
        plot.addItem(
            pg.BarGraphItem(
                x=[x + 0.2 for x in xs], height=part, width=0.4, brush=PART, name="contribution"
            )
        )
        ticks = [(x, m.label.split(" (")[0]) for x, m in zip(xs, found.members, strict=True)]
        plot.getAxis("bottom").setTicks([ticks])
