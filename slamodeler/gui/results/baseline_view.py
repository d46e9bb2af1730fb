"""The Baseline tab: a stored incident set measured by the contract in the editor (or the default
template when none is open), the target met in a chosen share of periods, and what each candidate
target would have cost. Each period's availability is drawn with the suggested target as a line.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.gui.widgets.errors import ErrorReporter
from slamodeler.gui.widgets.table_copy import install_copy
from slamodeler.gui.widgets.theme import ThemedPlot
from slamodeler.gui.widgets.workbook_button import WorkbookButton
from slamodeler.gui.widgets.worker import Worker
from slamodeler.gui.workspace.choices import choose, refill
from slamodeler.services.baseline import (
    DEFAULT_TARGETS,
    BaselineRun,
    TierBaseline,
    baseline_of,
    default_template,
    parse_targets,
    save_baseline_workbook,
    tier_summary,
)
from slamodeler.services.incident_sets import read_incident_set
from slamodeler.services.workspaces import Workspace

COLUMNS = ["Target", "Periods missed", "Met", "Credits per customer", "All customers"]


class BaselineView(QWidget):
    found = Signal()  # a baseline was worked out and shown

    def __init__(self, contract: Callable[[], Contract | None], errors: ErrorReporter):
        super().__init__()
        self.contract, self.errors = contract, errors
        self.ws: Workspace | None = None
        self.run: BaselineRun | None = None
        self.worker = Worker(self)
        self.worker.done.connect(self._done)
        self.worker.failed.connect(self._failed)

        self.incident_sets = QComboBox()
        self.incident_sets.setObjectName("baselineIncidentSets")
        self.share = QDoubleSpinBox()
        self.share.setObjectName("baselineShare")
        self.share.setRange(1, 100)
        self.share.setDecimals(1)
        self.share.setSuffix(" % of periods")
        self.share.setValue(95)
        self.targets = QLineEdit(", ".join(str(t) for t in DEFAULT_TARGETS))
        self.targets.setObjectName("baselineTargets")
        self.targets.setToolTip("Candidate targets in percent, separated by commas or spaces")
        self.run_button = QPushButton("Find target")
        self.run_button.setObjectName("baselineFind")
        self.run_button.clicked.connect(self.start)
        self.status = QLabel()
        self.export_button = WorkbookButton(
            "baselineExport",
            "The replay of the template with a Baseline sheet (.xlsx)",
            self.status,
            errors,
        )
        self.exported = self.export_button.exported
        self.status.setObjectName("baselineStatus")
        self.tiers = QComboBox()
        self.tiers.setObjectName("baselineTiers")
        self.tiers.currentTextChanged.connect(self._show_tier)
        self.template = QLabel()
        self.template.setObjectName("baselineTemplate")
        self.template.setWordWrap(True)
        self.summary = QLabel("Choose an incident set and press Find target.")
        self.summary.setObjectName("baselineSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("baselineCandidates")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        install_copy(self.table)
        self.chart = ThemedPlot(axisItems={"bottom": pg.AxisItem("bottom")})
        self.chart.setObjectName("baselineChart")
        self.chart.setMenuEnabled(False)
        self.chart.setLabel("left", "Availability %")
        self.chart.setLabel("bottom", "Period")

        top = QHBoxLayout()
        for label, widget in (
            ("Incident set", self.incident_sets),
            ("Met in", self.share),
            ("Candidate targets", self.targets),
        ):
            top.addWidget(QLabel(label))
            top.addWidget(widget, 1 if widget is self.targets else 0)
        top.addWidget(self.run_button)
        tier_row = QHBoxLayout()
        tier_row.addWidget(QLabel("Tier"))
        tier_row.addWidget(self.tiers)
        tier_row.addWidget(self.template, 1)
        tier_row.addWidget(self.status)
        tier_row.addWidget(self.export_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.chart)
        split.setSizes([220, 380])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(tier_row)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        self.contract_changed()

    def set_workspace(self, ws: Workspace) -> None:
        self.ws = ws
        refill(self.incident_sets, (row.key for row in ws.incident_sets()))

    def choose_incident_set(self, key: str) -> None:
        choose(self.incident_sets, key)

    def contract_changed(self) -> None:
        """Say which terms will measure the history (the editor's, or the default template)."""
        terms = self.contract()
        self.template.setText(
            f"Measured by {terms.name} (the contract in the editor)"
            if terms is not None
            else f"Measured by the {default_template().name}: open a contract to use its terms"
        )

    def showEvent(self, event: QShowEvent) -> None:
        """The contract may have been opened, edited or closed while the tab was hidden."""
        super().showEvent(event)
        self.contract_changed()

    def start(self) -> None:
        key, ws = self.incident_sets.currentText(), self.ws
        if ws is None or not key:
            self.summary.setText("Choose an incident set first (import one with File > Import).")
            return
        try:
            targets = parse_targets(
                self.targets.text().replace(",", " ").split(), "Candidate targets"
            )
        except InputError as exc:
            self.errors.report(exc, "read the candidate targets")
            return
        share = Fraction(round(self.share.value() * 10), 1000)
        terms = self.contract()
        contract, label = (
            (terms, "the contract in the editor")
            if terms is not None
            else (default_template(), "default template")
        )

        def job() -> BaselineRun:
            incidents = read_incident_set(ws, key)
            return baseline_of(contract, label, incidents, share, targets)

        self.run_button.setEnabled(False)
        self.export_button.offer(None)
        self.summary.setText(f"Measuring {key}…")
        self.worker.start(job)

    def _done(self, run: BaselineRun) -> None:
        self.run_button.setEnabled(True)
        self.run = run
        self.tiers.blockSignals(True)
        self.tiers.clear()
        self.tiers.addItems([t.tier for t in run.result.tiers])
        self.tiers.blockSignals(False)
        self._show_tier()
        self.export_button.offer(
            f"baseline-{run.incidents.name}.xlsx",
            lambda path: save_baseline_workbook(path, run),
        )
        self.found.emit()

    def _failed(self, exc: BaseException) -> None:
        self.run_button.setEnabled(True)
        self.summary.setText("No baseline: see the message.")
        self.errors.report(exc, "find the baseline")

    def _tier(self) -> TierBaseline | None:
        if self.run is None:
            return None
        name = self.tiers.currentText()
        return next((t for t in self.run.result.tiers if t.tier == name), None)

    def _show_tier(self) -> None:
        tier = self._tier()
        if tier is None or self.run is None:
            return
        result = self.run.result
        self.summary.setText(
            f"{result.first} to {result.last}, {len(tier.periods)} {result.period_kind}s.\n"
            + "\n".join(line.strip() for line in tier_summary(tier))
        )
        self.table.setRowCount(len(tier.candidates))
        for r, c in enumerate(tier.candidates):
            cells = [
                f"{c.target_pct}%" + (" (suggested)" if c.suggested else ""),
                str(len(c.missed)),
                f"{float(c.met_share):.1%}",
                f"{c.credit_per_customer:,} {result.currency}",
                f"{c.credit_all_customers:,} {result.currency}",
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, col, item)
        self.table.resizeColumnsToContents()
        self._draw(tier)

    def _draw(self, tier: TierBaseline) -> None:
        plot = self.chart.getPlotItem()
        plot.clear()
        values = [float(p.availability_pct) for p in tier.periods]
        xs = list(range(len(values)))
        floor = min([*values, float(tier.suggested_percent)])
        base = max(0.0, floor - (100 - floor) * 0.1)
        plot.addItem(pg.BarGraphItem(x=xs, height=[v - base for v in values], y0=base, width=0.8))
        line = pg.InfiniteLine(
            pos=float(tier.suggested_percent),
            angle=0,
            pen=pg.mkPen("#c0392b", width=2),
            label=f"suggested {tier.suggested_percent}%",
            labelOpts={"position": 0.1},
        )
        plot.addItem(line)
        step = max(1, len(xs) // 12)
        plot.getAxis("bottom").setTicks([[(x, tier.periods[x].period) for x in xs[::step]]])
        plot.setYRange(base, 100, padding=0.02)
