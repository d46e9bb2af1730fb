"""The Sensitivity tab: which term moves the exposure most. The user picks terms of the contract
in the editor and of a stored scenario, sets each one's low and high value, and runs a tornado
(every term moved alone) or a spider of the selected term, in the background and cancellable;
the chart and the table show the change of the mean and P99 of credits paid per year."""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHBoxLayout,
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
from slamodeler.domain.limits import DEFAULT_TRIALS, MAX_TRIAL_YEARS
from slamodeler.domain.scenario import Scenario
from slamodeler.domain.simulation_request import SimulationRequest
from slamodeler.gui.widgets.errors import ErrorReporter
from slamodeler.gui.widgets.table_copy import install_copy
from slamodeler.gui.widgets.theme import ThemedPlot
from slamodeler.gui.widgets.workbook_button import WorkbookButton
from slamodeler.gui.widgets.worker import Worker
from slamodeler.gui.workspace.choices import refill
from slamodeler.services.export import save_workbook
from slamodeler.services.sensitivity import (
    BAR_HEADERS,
    MAX_SPIDER_STEPS,
    POINT_HEADERS,
    CancelToken,
    Sensitivity,
    Spider,
    TermRange,
    bar_cells,
    parse_range,
    point_cells,
    sensitivity_heading,
    sensitivity_of,
    spider_heading,
    spider_of,
    terms_to_vary,
    value_text,
)
from slamodeler.services.workspaces import Workspace

RANGE_COLUMNS = ["Term", "Of", "Base", "Low", "High"]
ALL_TIERS = "All tiers"
LOW_COLOUR, HIGH_COLOUR = "#2e86c1", "#c0392b"


def _spin(name: str, low: int, high: int, value: int) -> QSpinBox:
    box = QSpinBox()
    box.setObjectName(name)
    box.setRange(low, high)
    box.setValue(value)
    return box


class SensitivityView(QWidget):
    found = Signal()  # a tornado or spider was worked out and shown

    def __init__(self, contract: Callable[[], Contract | None], errors: ErrorReporter):
        super().__init__()
        self.contract, self.errors = contract, errors
        self.ws: Workspace | None = None
        self.result: Sensitivity | Spider | None = None
        self.token: CancelToken | None = None
        self.worker = Worker(self)
        self.worker.done.connect(self._done)
        self.worker.failed.connect(self._failed)
        self.worker.progress.connect(self._progress)

        self.scenarios = QComboBox()
        self.scenarios.setObjectName("sensitivityScenarios")
        self.scenarios.currentTextChanged.connect(lambda _: self._fill_terms())
        self.trials = _spin("sensitivityTrials", 1, MAX_TRIAL_YEARS, DEFAULT_TRIALS)
        self.trials.setSingleStep(10_000)
        self.trials.setGroupSeparatorShown(True)
        self.seed = _spin("sensitivitySeed", 0, 999_999_999, 1)
        self.tiers = QComboBox()
        self.tiers.setObjectName("sensitivityTiers")
        self.order = QComboBox()
        self.order.setObjectName("sensitivityOrder")
        self.order.addItems(["mean", "P99"])
        self.order.setToolTip("Order the bars by how far they move the mean, or the P99")
        self.terms = QComboBox()
        self.terms.setObjectName("sensitivityTerms")
        self.terms.setEditable(True)  # type a path, completed from the list, or pick it
        self.terms.setSizeAdjustPolicy(  # long paths do not widen the window
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.terms.setMinimumContentsLength(24)
        self.terms.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.terms.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.terms.setToolTip(
            "A term of the contract in the editor, or of the scenario, by its path: type part "
            "of it (Gold, claim_rate, median) or pick it from the list"
        )
        self.add_button = QPushButton("Add term")
        self.add_button.setObjectName("sensitivityAdd")
        self.add_button.clicked.connect(self.add_term)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setObjectName("sensitivityRemove")
        self.remove_button.clicked.connect(self.remove_term)
        self.ranges = QTableWidget(0, len(RANGE_COLUMNS))
        self.ranges.setObjectName("sensitivityRanges")
        self.ranges.setHorizontalHeaderLabels(RANGE_COLUMNS)
        self.ranges.horizontalHeader().setStretchLastSection(True)
        self.ranges.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.ranges.setToolTip("Double-click Low or High to set the range a term moves over")
        install_copy(self.ranges)
        self.steps = _spin("sensitivitySteps", 2, MAX_SPIDER_STEPS, 5)
        self.steps.setToolTip("Values across the selected term's range, for a spider")
        self.run_button = QPushButton("Run tornado")
        self.run_button.setObjectName("sensitivityRun")
        self.run_button.clicked.connect(lambda: self.run(spider=False))
        self.spider_button = QPushButton("Spider of selected")
        self.spider_button.setObjectName("sensitivitySpider")
        self.spider_button.clicked.connect(lambda: self.run(spider=True))
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("sensitivityCancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setObjectName("sensitivityProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel("Add the terms to vary, set their ranges and press Run tornado.")
        self.status.setObjectName("sensitivityStatus")
        self.status.setWordWrap(True)
        self.export_button = WorkbookButton(
            "sensitivityExport",
            "The base's exposure workbook with a Sensitivity sheet of the figures shown (.xlsx)",
            self.status,
            errors,
        )
        self.exported = self.export_button.exported
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, len(BAR_HEADERS))
        self.table.setObjectName("sensitivityTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        install_copy(self.table)
        self.chart = ThemedPlot()
        self.chart.setObjectName("sensitivityChart")
        self.chart.setMenuEnabled(False)
        self.chart.show_empty("The tornado of the terms' changes will be drawn here.")

        # in short rows: the window stays as narrow as the other views let it be
        top = QHBoxLayout()
        top.addWidget(QLabel("Scenario"))
        top.addWidget(self.scenarios, 1)
        top.addWidget(QLabel("Credits of"))
        top.addWidget(self.tiers)
        run_terms = QHBoxLayout()
        for label, widget in (
            ("Trials", self.trials),
            ("Seed", self.seed),
            ("Order by", self.order),
        ):
            run_terms.addWidget(QLabel(label))
            run_terms.addWidget(widget)
        run_terms.addStretch(1)
        pick = QHBoxLayout()
        pick.addWidget(QLabel("Term"))
        pick.addWidget(self.terms, 1)
        pick.addWidget(self.add_button)
        pick.addWidget(self.remove_button)
        bar = QHBoxLayout()
        bar.addWidget(self.run_button)
        bar.addWidget(QLabel("Steps"))
        bar.addWidget(self.steps)
        bar.addWidget(self.spider_button)
        bar.addWidget(self.cancel_button)
        bar.addStretch(1)
        done = QHBoxLayout()
        done.addWidget(self.progress, 1)
        done.addWidget(self.export_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.ranges)
        split.addWidget(self.table)
        split.addWidget(self.chart)
        split.setSizes([150, 150, 360])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(run_terms)
        layout.addLayout(pick)
        layout.addLayout(bar)
        layout.addLayout(done)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)

    # -- inputs --------------------------------------------------------------------------------

    def set_workspace(self, ws: Workspace) -> None:
        self.ws = ws
        refill(self.scenarios, (row.key for row in ws.scenarios()))
        self._fill_terms()

    def showEvent(self, event: QShowEvent) -> None:
        """The contract may have been opened or edited while the tab was hidden."""
        super().showEvent(event)
        self._fill_terms()

    def _scenario(self) -> Scenario | None:
        key = self.scenarios.currentText()
        if self.ws is None or not key:
            return None
        return self.ws.scenario_of(self.ws.scenario(key))

    def _fill_terms(self) -> None:
        """The terms to pick from: the editor's contract's, then the scenario's."""
        contract, scenario = self.contract(), self._scenario()
        kept = self.terms.currentText()
        self.terms.clear()
        self.tiers.clear()
        self.tiers.addItem(ALL_TIERS)
        if contract is None or scenario is None:
            return
        self.tiers.addItems([t.name for t in contract.tiers])
        for path, side, value in terms_to_vary(contract, scenario):
            self.terms.addItem(path, (side, value))
            self.terms.setItemData(
                self.terms.count() - 1,
                f"{side} term, {value_text(value)} now",
                Qt.ItemDataRole.ToolTipRole,
            )
        if kept:
            self.terms.setCurrentText(kept)

    def add_term(self) -> None:
        """A row for the picked term, its range 20% either side of its value to start with."""
        path = self.terms.currentText().strip()
        index = self.terms.findText(path)
        if index < 0:
            where = "the contract in the editor" if self.contract() else "no contract (open one)"
            self.errors.report(
                InputError(
                    f"{path or 'Term'}: not a term of {where} or of the scenario; type part of "
                    "a path and pick it from the list"
                ),
                "add the term",
            )
            return
        side, value = self.terms.itemData(index)
        if path in self.paths():
            return
        base = float(value)
        low, high = sorted((base * 0.8, base * 1.2))
        row = self.ranges.rowCount()
        self.ranges.insertRow(row)
        for col, text in enumerate([path, side, value_text(value), f"{low:.6g}", f"{high:.6g}"]):
            item = QTableWidgetItem(text)
            if col < 3:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.ranges.setItem(row, col, item)
        self.ranges.resizeColumnToContents(0)
        self.ranges.selectRow(row)

    def remove_term(self) -> None:
        rows = sorted({i.row() for i in self.ranges.selectedIndexes()}, reverse=True)
        for row in rows:
            self.ranges.removeRow(row)

    def _cell(self, row: int, col: int) -> str:
        item = self.ranges.item(row, col)
        return "" if item is None else item.text().strip()

    def paths(self) -> list[str]:
        return [self._cell(r, 0) for r in range(self.ranges.rowCount())]

    def _range(self, row: int) -> TermRange:
        cells = [self._cell(row, c) for c in (0, 3, 4)]
        return parse_range(f"{cells[0]}={cells[1]}:{cells[2]}", "Range of")

    # -- running -------------------------------------------------------------------------------

    def run(self, spider: bool) -> None:
        if self.worker.running:
            return
        if not self.ranges.rowCount():  # a first press: say what to do, as the status line
            self.status.setText(
                "Add at least one term to vary first: type part of its path in Term (Gold, "
                "claim_rate, median) and press Add term."
            )
            return
        try:
            contract, scenario = self.contract(), self._scenario()
            if contract is None:
                raise InputError("open a contract without problems in the editor first")
            if scenario is None:
                raise InputError("choose a scenario (add one with `ws add-scenario`)")
            if spider:
                rows = sorted({i.row() for i in self.ranges.selectedIndexes()})
                if len(rows) != 1:
                    raise InputError("select one term in the table for its spider")
                ranges = [self._range(rows[0])]
            else:
                ranges = [self._range(r) for r in range(self.ranges.rowCount())]
        except InputError as exc:
            self.errors.report(exc, "run the sensitivity")
            return
        request = SimulationRequest(self.trials.value(), self.seed.value())
        tier = self.tiers.currentText()
        tiers = None if tier in ("", ALL_TIERS) else [tier]
        order = "p99" if self.order.currentText() == "P99" else "mean"
        token = CancelToken()
        steps = self.steps.value()
        report = self.worker.report_progress

        def job() -> Sensitivity | Spider:
            if spider:
                return spider_of(
                    contract, scenario, ranges[0], steps, request,
                    tiers=tiers, progress=report, cancel=token,
                )  # fmt: skip
            return sensitivity_of(
                contract, scenario, ranges, request,
                tiers=tiers, order=order, progress=report, cancel=token,
            )  # fmt: skip

        self.token = token
        self._busy(True)
        what = f"a spider of {ranges[0].path}" if spider else f"a tornado of {len(ranges)} term(s)"
        self.status.setText(f"Working out {what} on {request.trials:,} trials…")
        self.worker.start(job)

    def cancel(self) -> None:
        if self.token is not None:
            self.token.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("Cancelling…")

    def stop(self) -> None:
        """Cancel any run and wait for it and any workbook being written (on close)."""
        if self.token is not None:
            self.token.cancel()
        self.worker.wait()
        self.export_button.writer.wait()

    def _busy(self, busy: bool) -> None:
        self.run_button.setEnabled(not busy)
        self.spider_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        if busy:
            self.progress.setRange(0, 1)
            self.progress.setValue(0)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _failed(self, exc: BaseException) -> None:
        cancelled = self.token is not None and self.token.cancelled
        self.token = None
        self._busy(False)
        if cancelled:
            self.status.setText("Cancelled; the figures shown before are kept.")
            return
        self.status.setText("No sensitivity: see the message.")
        self.errors.report(exc, "run the sensitivity")

    def _done(self, found: Sensitivity | Spider) -> None:
        self.token = None
        self._busy(False)
        self.result = found
        kind = "spider" if isinstance(found, Spider) else "tornado"
        self.export_button.offer(
            f"sensitivity-{kind}.xlsx",
            lambda path: save_workbook(path, simulation=found.base, sensitivity=found),
        )
        if isinstance(found, Spider):
            self._show_spider(found)
        else:
            self._show_tornado(found)
        self.found.emit()

    # -- results -------------------------------------------------------------------------------

    def _fill_table(self, headers: list[str], rows: list[list[str]]) -> None:
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c > 0 or headers is POINT_HEADERS:  # numbers right, a term's path left
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()

    def _start_drawing(self) -> pg.PlotItem:
        """A clear chart that fits what is drawn next, its numbers written out (no SI prefix)."""
        self.chart.start_drawing()
        plot = self.chart.getPlotItem()
        for name in ("left", "bottom"):
            plot.getAxis(name).enableAutoSIPrefix(False)
        plot.enableAutoRange()
        return plot

    def _show_tornado(self, found: Sensitivity) -> None:
        self.status.setText(sensitivity_heading(found))
        self._fill_table(BAR_HEADERS, [bar_cells(b) for b in found.bars])
        plot = self._start_drawing()
        n = len(found.bars)
        ys = [n - 1 - i for i in range(n)]  # the widest bar on top
        for side, colour in (("low", LOW_COLOUR), ("high", HIGH_COLOUR)):
            changes = [getattr(b, side).mean_change for b in found.bars]
            plot.addItem(
                pg.BarGraphItem(
                    x0=[min(c, 0.0) for c in changes],
                    width=[abs(c) for c in changes],
                    y=ys,
                    height=0.6,
                    brush=colour,
                )
            )
        plot.addItem(pg.InfiniteLine(pos=0, angle=90, pen=pg.mkPen("#888888")))
        plot.getAxis("left").setTicks([[(y, b.path) for y, b in zip(ys, found.bars, strict=True)]])
        plot.setLabel(
            "bottom",
            f"Change of the mean credits per year ({found.base.contract.currency}): "
            "blue at the low value, red at the high value",
        )
        plot.setLabel("left", "")
        plot.setYRange(-0.5, n - 0.5, padding=0.05)

    def _show_spider(self, found: Spider) -> None:
        self.status.setText(spider_heading(found))
        self._fill_table(POINT_HEADERS, [point_cells(p) for p in found.points])
        plot = self._start_drawing()
        xs = [float(p.value) for p in found.points]
        for values, colour in (
            ([p.mean for p in found.points], LOW_COLOUR),
            ([p.p99 for p in found.points], HIGH_COLOUR),
        ):
            plot.plot(xs, values, pen=pg.mkPen(colour, width=2), symbol="o", symbolBrush=colour)
        plot.addItem(pg.InfiniteLine(pos=float(found.base_value), angle=90, label="base"))
        plot.getAxis("left").setTicks(None)
        plot.setLabel("bottom", found.path)
        plot.setLabel(
            "left", f"Credits per year ({found.base.contract.currency}): mean blue, P99 red"
        )
