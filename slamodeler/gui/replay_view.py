"""The replay view: the contract in the editor replayed on a stored incident set, off the GUI
thread; the per-period table, the availability chart with the target and band thresholds, and
the explanation of the selected period."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from html import escape

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.results import PeriodResult, ReplayResult, TierReplay
from slamodeler.engine.replay import replay
from slamodeler.gui.choices import choose, refill
from slamodeler.gui.errors import ErrorReporter
from slamodeler.gui.table_copy import install_copy
from slamodeler.gui.worker import Worker
from slamodeler.io.replay_report import pct
from slamodeler.services.workspace import Workspace

MISSED = QColor(255, 225, 225)
COLUMNS = [
    "Period",
    "Minutes",
    "Excluded",
    "Downtime",
    "Availability %",
    "Credit %",
    "Owed",
    "After caps",
    "Capped off",
    "Rule",
]


def _pct(value: Fraction, places: int = 4) -> str:
    return f"{pct(value):.{places}f}"


def period_cells(p: PeriodResult) -> list[str]:
    return [
        p.period,
        f"{p.period_minutes:,.0f}",
        f"{p.excluded_minutes:,.1f}",
        f"{p.downtime_minutes:,.1f}",
        _pct(p.availability_pct),
        f"{pct(p.credit_pct):g}",
        f"{p.credit_owed:,}",
        f"{p.credit_after_caps:,}",
        f"{p.capped_off:,}",
        p.rule,
    ]


def explanation_html(p: PeriodResult, currency: str) -> str:
    """What produced this period's credit: incidents, exclusions, band, caps."""
    lines = [
        f"<h3>{escape(p.tier)}, {escape(p.period)}</h3>",
        f"<p>{escape(p.start)} to {escape(p.end)} (contract year {p.contract_year}): "
        f"{p.period_minutes:,.0f} minutes, {p.excluded_minutes:,.1f} excluded, "
        f"{p.downtime_minutes:,.1f} minutes of downtime counted.</p>",
        f"<p>Availability <b>{_pct(p.availability_pct)}%</b>: "
        f"{'target met' if p.met_target else '<b>target missed</b>'}. {escape(p.rule)}; "
        f"credit {pct(p.credit_pct):g}% of the fee.</p>",
    ]
    if p.excluded_by_reason:
        reasons = ", ".join(f"{escape(k)}: {v:,} min" for k, v in p.excluded_by_reason.items())
        lines.append(f"<p>Excluded: {reasons}.</p>")
    if p.below_minimum_minutes:
        lines.append(
            f"<p>{p.below_minimum_minutes:,.1f} minutes were shorter than the minimum downtime "
            "and did not count.</p>"
        )
    incidents = p.incidents
    if incidents:
        lines.append("<p><b>Incidents</b></p><ul>")
        for s in incidents:
            parts = [f"{s.counted_minutes:,.1f} min counted"]
            if s.excluded_minutes:
                parts.append(
                    f"{s.excluded_minutes:,.1f} min excluded ({escape(s.excluded_reason or '')})"
                )
            if s.below_minimum_minutes:
                parts.append(f"{s.below_minimum_minutes:,.1f} min below the minimum")
            lines.append(
                f"<li>{escape(s.id)} (row {s.row}) {escape(s.title)}: {'; '.join(parts)}</li>"
            )
        lines.append("</ul>")
    else:
        lines.append("<p>No incident touched this period.</p>")
    money = [
        f"owed {p.credit_owed:,} {currency}",
        f"after caps {p.credit_after_caps:,}",
    ]
    for name, value in (
        ("period cap", p.capped_by_period),
        ("yearly cap", p.capped_by_year),
        ("liability cap", p.capped_by_liability),
    ):
        if value:
            money.append(f"{name} removed {value:,}")
    if p.below_min_credit:
        money.append(f"{p.below_min_credit:,} under the minimum credit")
    money.append(f"expected paid {p.expected_paid:,}")
    lines.append("<p>Per customer: " + ", ".join(money) + ".</p>")
    if p.escalation:
        lines.append(f"<p>Escalation: {escape(p.escalation)}</p>")
    return "".join(lines)


class ReplayView(QWidget):
    finished = Signal()

    def __init__(self, contract: Callable[[], Contract | None], errors: ErrorReporter):
        super().__init__()
        self.contract, self.errors = contract, errors
        self.ws: Workspace | None = None
        self.result: ReplayResult | None = None
        self.worker = Worker(self)
        self.worker.done.connect(self._done)
        self.worker.failed.connect(self._failed)

        self.incident_sets = QComboBox()
        self.incident_sets.setObjectName("incidentSets")
        self.run_button = QPushButton("Replay")
        self.run_button.setObjectName("runReplay")
        self.run_button.clicked.connect(self.run)
        self.tier = QComboBox()
        self.tier.setObjectName("replayTier")
        self.tier.currentIndexChanged.connect(self._show_tier)
        self.status = QLabel("Choose an incident set and press Replay.")
        self.status.setObjectName("replayStatus")
        self.status.setWordWrap(True)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("periodTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.currentCellChanged.connect(lambda row, *_: self._explain(row))
        install_copy(self.table)

        self.chart = pg.PlotWidget(background="w")
        self.chart.setObjectName("availabilityChart")
        self.chart.setMenuEnabled(False)
        self.chart.showGrid(y=True, alpha=0.25)
        self.chart.setLabel("left", "Availability (%)")
        self.chart.getPlotItem().hideButtons()
        self.explanation = QTextBrowser()
        self.explanation.setObjectName("explanation")

        top = QHBoxLayout()
        top.addWidget(QLabel("Incident set"))
        top.addWidget(self.incident_sets, 1)
        top.addWidget(self.run_button)
        top.addSpacing(20)
        top.addWidget(QLabel("Tier"))
        top.addWidget(self.tier, 1)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.table)
        lower.addWidget(self.explanation)
        lower.setSizes([880, 300])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.chart)
        split.addWidget(lower)
        split.setSizes([260, 420])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)

    def set_workspace(self, ws: Workspace) -> None:
        self.ws = ws
        refill(self.incident_sets, (row.key for row in ws.incident_sets()))

    def choose_incident_set(self, key: str) -> None:
        choose(self.incident_sets, key)

    def run(self) -> None:
        try:
            contract = self.contract()
            if contract is None:
                raise InputError("the contract has problems (marked in the editor): fix them first")
            if self.ws is None or not self.incident_sets.currentText():
                raise InputError(
                    "choose an incident set to replay (import one with `ws import-incidents`)"
                )
            incidents = self.ws.load_incidents(
                self.ws.incident_set(self.incident_sets.currentText())
            )
        except Exception as exc:
            self.errors.report(exc, "replay")
            return
        self.run_button.setEnabled(False)
        self.status.setText("Replaying…")
        self.worker.start(lambda: replay(contract, incidents.incidents))

    def _failed(self, exc: BaseException) -> None:
        self.run_button.setEnabled(True)
        self.status.setText("The replay failed.")
        self.errors.report(exc, "replay")
        self.finished.emit()

    def _done(self, result: ReplayResult) -> None:
        self.run_button.setEnabled(True)
        self.result = result
        owed = sum((t.total("credit_after_caps") * t.customers for t in result.tiers), Decimal(0))
        self.status.setText(
            f"{result.contract_name}: {result.first} to {result.last}, "
            f"{len(result.tiers)} tier(s); credits after caps for all customers "
            f"{owed:,} {result.currency}." + ("".join(f"  Note: {n}" for n in result.notes))
        )
        keep = self.tier.currentText()
        self.tier.blockSignals(True)
        self.tier.clear()
        self.tier.addItems([t.tier for t in result.tiers])
        self.tier.blockSignals(False)
        index = self.tier.findText(keep)
        self.tier.setCurrentIndex(max(index, 0))
        self._show_tier()
        self.finished.emit()

    def tier_result(self) -> TierReplay | None:
        if self.result is None or not 0 <= self.tier.currentIndex() < len(self.result.tiers):
            return None
        return self.result.tiers[self.tier.currentIndex()]

    def _show_tier(self) -> None:
        tier = self.tier_result()
        if tier is None:
            return
        self.table.setRowCount(len(tier.periods))
        for row, p in enumerate(tier.periods):
            for col, text in enumerate(period_cells(p)):
                item = QTableWidgetItem(text)
                if col and col < 9:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if not p.met_target:
                    item.setBackground(QBrush(MISSED))
                self.table.setItem(row, col, item)
        self._chart(tier)
        worst = min(
            range(len(tier.periods)), key=lambda i: tier.periods[i].availability_pct, default=0
        )
        self.table.setCurrentCell(worst, 0)
        self._explain(worst)

    def _chart(self, tier: TierReplay) -> None:
        self.chart.clear()
        xs = list(range(len(tier.periods)))
        ys = [float(p.availability_pct) for p in tier.periods]
        brushes = [pg.mkBrush("#2e86c1" if p.met_target else "#c0392b") for p in tier.periods]
        self.chart.plot(xs, ys, pen=pg.mkPen("#85c1e9", width=1.5))
        self.chart.addItem(pg.ScatterPlotItem(xs, ys, size=8, brush=brushes, pen=None))
        target = float(tier.target_pct)
        self.chart.addItem(
            pg.InfiniteLine(
                target,
                angle=0,
                pen=pg.mkPen("#c0392b", width=1.5, style=Qt.PenStyle.DashLine),
                label=f"target {target:g}%",
                labelOpts={"position": 0.03, "color": "#c0392b", "anchors": [(0, 1), (0, 1)]},
            )
        )
        contract = self.contract()
        thresholds: list[float] = []
        if contract is not None:
            try:
                credits = contract.tier(tier.tier).credits
                thresholds = [float(b.below) for b in getattr(credits, "bands", [])]
            except KeyError:
                pass
        for value in thresholds:
            if value != target:
                self.chart.addItem(
                    pg.InfiniteLine(
                        value, angle=0, pen=pg.mkPen("#aaaaaa", style=Qt.PenStyle.DotLine)
                    )
                )
        axis = self.chart.getAxis("bottom")
        step = max(1, len(xs) // 12)
        axis.setTicks([[(i, tier.periods[i].period) for i in xs[::step]]])
        low = min([*ys, target, *thresholds]) if ys else target
        self.chart.setYRange(
            max(0.0, low - (100 - low) * 0.15), 100 + (100 - low) * 0.05, padding=0
        )
        self.chart.setXRange(-0.5, max(len(xs) - 0.5, 0.5), padding=0)

    def _explain(self, row: int) -> None:
        tier = self.tier_result()
        if tier is None or not 0 <= row < len(tier.periods) or self.result is None:
            self.explanation.clear()
            return
        self.explanation.setHtml(explanation_html(tier.periods[row], self.result.currency))
