"""The Fees and margins panel of the simulation's results (docs/gui.md): per tier and for the
portfolio, revenue, cost to serve, expected and P95/P99 credits, margin, margin %, the
risk-adjusted margin (less the tail charge the user sets) and the monthly fees that break even
and reach the target margin the user sets; a bar chart of margin and risk-adjusted margin per
tier.

The fees are solved by re-pricing the run's trials at candidate fees (a few dozen re-pricings per
tier): off the GUI thread, only while the panel is on screen, and coalesced (``LatestJob``), so
that edits re-priced in the simulation view do not queue fee searches nobody sees.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from slamodeler.domain.contract import Contract
from slamodeler.gui.charts.exposure_charts import chart
from slamodeler.gui.charts.reprice_worker import LatestJob
from slamodeler.gui.widgets.errors import ErrorReporter
from slamodeler.gui.widgets.table_copy import install_copy
from slamodeler.services.profitability import (
    DEFAULT_TAIL_CHARGE,
    DEFAULT_TARGET_MARGIN,
    ONE_CUSTOMER,
    Difference,
    FeeAnswer,
    Profit,
    Profitability,
    ProfitabilityRun,
    Version,
    compared,
    tier_profitability,
)
from slamodeler.services.simulation_session import SimulationRun

COLUMNS = [  # two lines each where that keeps the table narrow enough to show every column
    "Tier",
    "Revenue",
    "Cost to\nserve",
    "Expected\ncredits",
    "P95\ncredits",
    "P99\ncredits",
    "Margin",
    "Margin %",
    "Tail\ncharge",
    "Risk-adjusted\nmargin",
    "Monthly\nfee",
    "Break-even\nfee",
    "Target-margin\nfee",
]
BARS = (
    ("Margin", "#27ae60", lambda p: p.margin),
    ("Risk-adjusted margin", "#8e44ad", lambda p: p.risk_adjusted_margin),
)
OTHER_BARS = (  # the version compared with, beside each of the run's own bars
    ("Margin ({})", "#a9dfbf"),
    ("Risk-adjusted margin ({})", "#d2b4de"),
)
DIFFERENCE_COLUMNS = [
    "Tier",
    "Credits",
    "± std err",
    "Margin",
    "Risk-adjusted\nmargin",
    "Break-even\nfee",
    "Target-margin\nfee",
]
NO_COMPARISON = "nothing"
NOTHING_YET = "Press Run to see each tier's margins and the fees that break even here."


def _money(x: float) -> str:
    return "" if math.isnan(x) else f"{x:,.0f}"


def _fee(answer: FeeAnswer | None) -> str:
    if answer is None:
        return ""
    return "none" if answer.fee is None else f"{answer.fee:,.2f}"


def _signed(x: float) -> str:
    return "" if math.isnan(x) else f"{x:+,.0f}"


def difference_cells(d: Difference) -> list[str]:
    """A row of the differences' table as shown: the other version less the run's."""
    return [
        d.name,
        _signed(d.credits_mean),
        _money(d.credits_stderr),
        _signed(d.margin),
        _signed(d.risk_adjusted_margin),
        *("" if x is None else f"{x:+,.2f}" for x in (d.break_even_fee, d.target_fee)),
    ]


def profit_cells(p: Profit) -> list[str]:
    """A row of the table as shown."""
    return [
        p.name,
        *(_money(x) for x in (p.revenue, p.cost, p.credits_mean, p.p95, p.p99, p.margin)),
        "" if math.isnan(p.margin_share) else f"{p.margin_share:.1%}",
        _money(p.tail_charge),
        _money(p.risk_adjusted_margin),
        "" if p.monthly_fee is None else f"{p.monthly_fee:,.2f}",
        _fee(p.break_even),
        _fee(p.target),
    ]


def _spin(name: str, low: float, high: float, value: float, tip: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setObjectName(name)
    box.setRange(low, high)
    box.setDecimals(1)
    box.setSuffix(" %")
    box.setValue(value)
    box.setKeyboardTracking(False)  # typed digits solve once, when the number is complete
    box.setToolTip(tip)
    return box


class ProfitabilityPanel(QWidget):
    shown_result = Signal()  # the table and chart show a new result

    def __init__(self, errors: ErrorReporter):
        super().__init__()
        self.errors = errors
        self.run: SimulationRun | None = None
        self.result: Profitability | None = None
        self.solved_run: SimulationRun | None = None  # the run ``result`` was solved on
        self._stale = False  # the run or the rates changed since the last solve
        self.jobs = LatestJob(self)
        self.jobs.done.connect(self._solved)
        self.jobs.failed.connect(lambda exc: self.errors.report(exc, "solve the fees"))

        self.tail = _spin(
            "tailCharge",
            0,
            1000,
            DEFAULT_TAIL_CHARGE * 100,
            "The risk-adjusted margin is the margin less this share of (TVaR99 - mean credits)",
        )
        self.target = _spin(
            "targetMargin",
            -99,
            99,
            DEFAULT_TARGET_MARGIN * 100,
            "The target-margin fee is the monthly fee whose expected margin is this % of revenue",
        )
        for box in (self.tail, self.target):
            box.valueChanged.connect(self._settings_changed)
        self.versions: dict[str, Contract] = {}
        self.against = QComboBox()
        self.against.setObjectName("compareWith")
        self.against.setToolTip(
            "Another version of the contract, priced on the same simulated incidents"
        )
        self.against.addItem(NO_COMPARISON)
        self.against.currentTextChanged.connect(self._settings_changed)
        self.comparison: ProfitabilityRun | None = None
        self.differences = QTableWidget(0, len(DIFFERENCE_COLUMNS))
        self.differences.setObjectName("differencesTable")
        self.differences.setHorizontalHeaderLabels(DIFFERENCE_COLUMNS)
        self.differences.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.differences.verticalHeader().hide()
        self.differences.hide()
        install_copy(self.differences)
        self.status = QLabel(NOTHING_YET)
        self.status.setObjectName("profitabilityStatus")
        self.status.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("profitabilityTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        install_copy(self.table)
        # one customer's figures, for the tiers with more than one (hidden when none has)
        self.customers = QTableWidget(0, 2 + len(ONE_CUSTOMER))
        self.customers.setObjectName("perCustomerTable")
        self.customers.setHorizontalHeaderLabels(
            ["Per customer", "Customers", *(h[:1].upper() + h[1:] for h in ONE_CUSTOMER.values())]
        )
        self.customers.setToolTip(
            "Each tier's revenue, cost, expected credits and margin over its customers (alike in "
            "terms and fee), and the P95 and P99 of one customer's own credits"
        )
        self.customers.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.customers.verticalHeader().hide()
        self.customers.hide()
        install_copy(self.customers)
        self.chart = chart("marginsChart", "", "Tier", money="left")
        self.chart.addLegend(
            offset=(60, 2), colCount=2
        )  # one row, in the headroom ``_draw`` leaves
        self.chart.show_empty(NOTHING_YET)

        settings = QHBoxLayout()
        settings.addWidget(QLabel("Tail charge"))
        settings.addWidget(self.tail)
        settings.addWidget(QLabel("of TVaR99 − mean;  target margin"))
        settings.addWidget(self.target)
        settings.addStretch(1)
        # the comparison on a row of its own, so the tab stays as narrow as the window allows
        comparison = QHBoxLayout()
        comparison.addWidget(QLabel("Compare with"))
        comparison.addWidget(self.against, 1)
        # small floors, so the tab does not set one on the window's height (the splitter and
        # the window's own give the room back)
        for shown in (self.table, self.customers, self.differences, self.chart):
            shown.setMinimumHeight(24)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.customers)
        split.addWidget(self.differences)
        split.addWidget(self.chart)
        split.setSizes([200, 120, 170, 220])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(settings)
        layout.addLayout(comparison)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)

    @property
    def busy(self) -> bool:
        return self.jobs.busy

    def show_run(self, run: SimulationRun | None) -> None:
        """The run the simulation view shows now; solved when the panel is on screen."""
        self.run, self._stale = run, True
        self._solve_if_shown()

    def set_versions(self, versions: list[tuple[str, Contract]]) -> None:
        """The versions a user may compare the run with (``KEY@N (status)``, terms); the one
        chosen stays chosen while it is offered."""
        keep = self.against.currentText()
        self.versions = dict(versions)
        self.against.blockSignals(True)
        self.against.clear()
        self.against.addItems([NO_COMPARISON, *self.versions])
        self.against.setCurrentIndex(max(0, self.against.findText(keep)))
        self.against.blockSignals(False)
        if self.against.currentText() != keep:
            self._settings_changed()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._solve_if_shown()

    def _settings_changed(self) -> None:
        self._stale = True
        self._solve_if_shown()

    def _solve_if_shown(self) -> None:
        run = self.run
        if not self._stale or run is None or not self.isVisible():
            return
        self._stale = False
        if not run.trials:
            return
        tail, target = self.tail.value() / 100, self.target.value() / 100
        label = self.against.currentText()
        other = self.versions.get(label)
        self.status.setText(f"Solving the fees on {run.trials:,} trials…")

        def job() -> tuple[SimulationRun, Profitability, ProfitabilityRun | None]:
            found = tier_profitability(run, tail, target)
            if other is None:
                return run, found, None
            return run, found, compared(Version("the run shown", run, found), other, label)

        self.jobs.submit(job)

    def _solved(
        self, outcome: tuple[SimulationRun, Profitability, ProfitabilityRun | None]
    ) -> None:
        run, found, comparison = outcome
        if run is not self.run or self.jobs.busy:
            return  # a newer run or setting is on its way
        self.result, self.solved_run, self.comparison = found, run, comparison
        self._show_differences(comparison)
        rows = [*found.tiers, found.portfolio]
        self.table.setRowCount(len(rows))
        for r, p in enumerate(rows):
            notes = {11: p.break_even, 12: p.target}  # each fee's cell says how it was found
            for c, text in enumerate(profit_cells(p)):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                answer = notes.get(c)
                if answer is not None:
                    item.setToolTip(answer.note)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self._show_customers([p for p in found.tiers if p.customers > 1])
        self._draw(found, run.contract.currency, comparison)
        missing = [
            f"{p.name} ({what}): {a.note}"
            for p in found.tiers
            for what, a in (("break-even", p.break_even), ("target", p.target))
            if a is not None and a.fee is None
        ]
        compared_how = (
            f"  {comparison.against.label} less the run shown, {comparison.how}."
            if comparison is not None and comparison.against is not None
            else ""
        )
        self.status.setText(
            f"{run.contract.currency} over the horizon, all customers; fees monthly per "
            f"customer, solved on these {found.trials:,} trials to the minor unit."
            + "".join(f"  No fee: {m}." for m in missing)
            + compared_how
            + "".join(f"  Note: {n}." for n in (comparison.notes if comparison else []))
        )
        self.shown_result.emit()

    def _show_customers(self, tiers: list[Profit]) -> None:
        self.customers.setVisible(bool(tiers))
        self.customers.setRowCount(len(tiers))
        for r, p in enumerate(tiers):
            cells = [p.name, f"{p.customers:,}", *(_money(p.per_customer[k]) for k in ONE_CUSTOMER)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.customers.setItem(r, c, item)
        self.customers.resizeColumnsToContents()

    def _show_differences(self, comparison: ProfitabilityRun | None) -> None:
        self.differences.setVisible(comparison is not None)
        rows = list(comparison.differences) if comparison is not None else []
        self.differences.setRowCount(len(rows))
        for r, d in enumerate(rows):
            for c, text in enumerate(difference_cells(d)):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.differences.setItem(r, c, item)
        self.differences.resizeColumnsToContents()

    def _draw(
        self, found: Profitability, currency: str, comparison: ProfitabilityRun | None
    ) -> None:
        plot = self.chart
        plot.clear()
        plot.getPlotItem().legend.clear()
        plot.show_axes()
        plot.setLabel("left", currency)
        tiers = found.tiers
        series = [(name, color, [value(p) for p in tiers]) for name, color, value in BARS]
        if comparison is not None and comparison.against is not None:
            theirs = {p.name: p for p in comparison.against.result.tiers}
            label = comparison.against.label.split(" (")[0]
            for (name, color), (_, _, value) in zip(OTHER_BARS, BARS, strict=True):
                heights = [value(theirs[p.name]) if p.name in theirs else 0.0 for p in tiers]
                series.append((name.format(label), color, heights))
        width = 0.8 / len(series)
        xs = np.arange(len(tiers), dtype=float)
        for k, (name, color, heights) in enumerate(series):
            bars = pg.BarGraphItem(
                x=xs - 0.4 + width * (k + 0.5),
                height=heights,
                width=width * 0.9,
                brush=pg.mkBrush(color),
                pen=pg.mkPen(color),
            )
            bars.setObjectName(name)
            plot.addItem(bars)
            plot.getPlotItem().legend.addItem(bars, name)
        plot.getAxis("bottom").setTicks([[(float(i), p.name) for i, p in enumerate(tiers)]])
        plot.setXRange(-0.6, len(tiers) - 0.4, padding=0)
        shown = [h for _, _, heights in series for h in heights]
        low, high = min(0.0, *shown), max(0.0, *shown)
        room = 0.8 if len(series) <= 2 else 1.4  # for the legend's one or two rows
        plot.setYRange(low, high + room * (high - low or 1), padding=0.02)

    def result_for(self, run: SimulationRun | None) -> Profitability | None:
        """The margins and fees shown, if solved on ``run`` (for its workbook)."""
        return self.result if run is not None and run is self.solved_run else None

    def wait(self) -> None:
        """Block until no solve runs (on close)."""
        self.jobs.wait()
