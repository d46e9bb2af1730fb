"""Compare under scenario: the two contracts of the Compare versions tab priced on the same
simulated incidents (`slamodeler compare`), in the background: the difference per tier and
portfolio, each change's share in both orders, and a histogram of the portfolio's difference."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from slamodeler.domain.contract import Contract
from slamodeler.domain.scenario import Scenario
from slamodeler.gui.charts.exposure_charts import chart
from slamodeler.gui.widgets.scenario_run_dialog import ScenarioRunDialog
from slamodeler.gui.widgets.table_copy import install_copy
from slamodeler.services.export import save_workbook
from slamodeler.services.redline import (
    DIFFERENCE_HEADERS,
    STEP_HEADERS,
    Redline,
    compare_contracts,
    difference_cells,
    redline_heading,
    step_cells,
)

HISTOGRAM_BINS = 40


def _table(name: str, headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)


class RedlineDialog(ScenarioRunDialog):
    """``base`` and ``redline`` (named by ``labels``) under a stored scenario chosen here."""

    def __init__(
        self,
        base: Contract,
        redline: Contract,
        labels: tuple[str, str],
        scenarios: Sequence[str],
        load_scenario: Callable[[str], Scenario],
        parent: QWidget | None = None,
    ):
        super().__init__("redline", "Run", "Not compared", scenarios, parent)
        self.setWindowTitle(f"Compare under scenario: {labels[1]} against {labels[0]}")
        self.base, self.redline, self.labels = base, redline, labels
        self.load_scenario = load_scenario
        self.found: Redline | None = None
        self.status.setText("Choose a scenario and press Run: both are priced on the same trials.")
        self.table = _table("redlineTable", DIFFERENCE_HEADERS)
        self.steps = _table("redlineSteps", STEP_HEADERS)
        self.steps.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        install_copy(self.table, self.steps)
        self.histogram = chart(
            "redlineHistogram", "Trials", "Redline - base, portfolio (per year)", money="bottom"
        )
        self.bars = pg.PlotDataItem(
            stepMode="center",
            fillLevel=0,
            brush=pg.mkBrush(46, 134, 193, 120),
            pen=pg.mkPen("#2e86c1"),
        )
        self.histogram.addItem(self.bars)

        split = QSplitter()
        tables = QWidget()
        inner = QVBoxLayout(tables)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.table, 1)
        self.steps_note = QLabel()
        self.steps_note.setObjectName("redlineStepsNote")
        self.steps_note.setWordWrap(True)
        inner.addWidget(self.steps_note)
        inner.addWidget(self.steps, 1)
        split.addWidget(tables)
        split.addWidget(self.histogram)
        split.setSizes([700, 400])
        layout = QVBoxLayout(self)
        layout.addLayout(self.run_row())
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        self.resize(1200, 560)

    def start(self) -> None:
        """Compare in the background; the figures of the last run stay until the new ones."""
        key = self.scenario.currentText()
        base, redline, labels, load = self.base, self.redline, self.labels, self.load_scenario
        self.begin(
            lambda request, progress, token: compare_contracts(
                base,
                redline,
                load(key),
                request,
                progress=progress,
                cancel=token,
                labels=labels,
            ),
            f"Comparing under {key}…",
        )

    def _done(self, found: Redline) -> None:
        self.found = found
        label = self.labels[1]
        self.export.offer(
            "redline.xlsx",
            lambda path: save_workbook(
                path, simulation=found.redline, redline=found, contract_label=label
            ),
        )
        self.status.setText(redline_heading(found) + self._unmatched(found))
        _fill(self.table, [difference_cells(d) for d in [*found.tiers, found.portfolio]])
        _fill(self.steps, [step_cells(s) for s in found.steps])
        self.steps_note.setText(
            "Each change's share of the portfolio's mean difference: applied to the base one at "
            "a time in the order of the list of changes, and in reverse (spread: the order effect)."
            if found.steps
            else f"One change ({found.changes[0]}): the whole difference is its own."
            if found.changes
            else "The same terms: they differ by nothing in every trial."
        )
        d = found.portfolio.per_trial
        low, high = float(d.min()), float(d.max())
        counts, edges = np.histogram(d, bins=HISTOGRAM_BINS, range=(low, max(high, low + 1.0)))
        self.bars.setData(edges, counts)

    @staticmethod
    def _unmatched(found: Redline) -> str:
        parts = [
            f" Only in the {where} (in the portfolio): {', '.join(names)}."
            for names, where in ((found.only_base, "base"), (found.only_redline, "redline"))
            if names
        ]
        return "".join(parts)
