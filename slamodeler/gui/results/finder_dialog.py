"""Find a term (Analysis menu): the value of one term of the contract in the editor that keeps
a statistic within a budget (`slamodeler find`), solved in the background on one drawing of a
stored scenario; the answer with its uncertainty, and a chart of the statistic against the term
with its 95% band, the budget line, the answer and its uncertainty shaded."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.limits import MAX_MONEY
from slamodeler.domain.scenario import Scenario
from slamodeler.gui.charts.exposure_charts import chart
from slamodeler.gui.widgets.scenario_run_dialog import ScenarioRunDialog
from slamodeler.services.export import save_workbook
from slamodeler.services.finders import (
    STATISTICS,
    Finding,
    find_contract,
    finding_lines,
    parse_within,
    term_choices,
)

PORTFOLIO = "Portfolio"


class FinderDialog(ScenarioRunDialog):
    """``contract`` (named ``label``) under a stored scenario chosen here."""

    def __init__(
        self,
        contract: Contract,
        label: str,
        scenarios: Sequence[str],
        load_scenario: Callable[[str], Scenario],
        parent: QWidget | None = None,
    ):
        super().__init__("finder", "Find", "Not found", scenarios, parent)
        self.setWindowTitle(f"Find a term: {label}")
        self.contract, self.load_scenario, self.label = contract, load_scenario, label
        self.found: Finding | None = None
        self.term = QComboBox()
        self.term.setObjectName("finderTerm")
        for path, words in term_choices(contract).items():
            self.term.addItem(f"{words} ({path})", path)
        self.statistic = QComboBox()
        self.statistic.setObjectName("finderStatistic")
        for key, words in STATISTICS.items():
            self.statistic.addItem(words, key)
        self.tier = QComboBox()
        self.tier.setObjectName("finderTier")
        self.tier.addItems([PORTFOLIO, *(t.name for t in contract.tiers)])
        self.budget = QDoubleSpinBox()
        self.budget.setObjectName("finderBudget")
        self.budget.setRange(-float(MAX_MONEY), float(MAX_MONEY))
        self.budget.setDecimals(2)
        self.budget.setGroupSeparatorShown(True)
        self.budget.setSuffix(f" {contract.currency}")
        self.within = QLineEdit()
        self.within.setObjectName("finderWithin")
        self.within.setPlaceholderText("default: 0:100 for a %, else 0 to 4x the value")
        self.status.setText(
            "Choose a term, a statistic and a budget, then Find: every value is priced on the "
            "same simulated trials."
        )
        self.answer = QLabel()
        self.answer.setObjectName("finderAnswer")
        self.answer.setWordWrap(True)
        self.plot = chart("finderChart", "Statistic (per year)", "Term", money="left")
        self.curve = pg.PlotDataItem(symbol="o", symbolSize=5, pen=pg.mkPen("#2e86c1", width=2))
        band = pg.mkPen("#2e86c1", style=Qt.PenStyle.DotLine)
        self.band_low = pg.PlotDataItem(pen=band, connect="finite")  # NaN: too few trials
        self.band_high = pg.PlotDataItem(pen=band, connect="finite")
        self.budget_line = pg.InfiniteLine(angle=0, pen=pg.mkPen("#c0392b", width=2))
        self.answer_line = pg.InfiniteLine(angle=90, pen=pg.mkPen("#27ae60", width=2))
        self.uncertainty = pg.LinearRegionItem(  # the answer's interval, shaded
            movable=False, brush=pg.mkBrush(39, 174, 96, 50), pen=pg.mkPen(None)
        )
        shown = (self.uncertainty, self.band_low, self.band_high, self.curve)
        for item in (*shown, self.budget_line, self.answer_line):
            self.plot.addItem(item)
        for item in (self.uncertainty, self.budget_line, self.answer_line):
            item.hide()

        form = QFormLayout()
        form.addRow("Term", self.term)
        form.addRow("Statistic", self.statistic)
        form.addRow("Of", self.tier)
        form.addRow("Budget", self.budget)
        form.addRow("Range of the term (LOW:HIGH)", self.within)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(self.run_row())
        layout.addWidget(self.status)
        layout.addWidget(self.answer)
        layout.addWidget(self.plot, 1)
        self.resize(900, 640)

    def start(self) -> None:
        """Find in the background; the last answer stays until the new one."""
        try:
            within = parse_within(self.within.text()) if self.within.text().strip() else None
        except InputError as exc:
            self.status.setText(f"{self.not_done}: {exc}")
            return
        key = self.scenario.currentText()
        contract, load = self.contract, self.load_scenario
        path, statistic = self.term.currentData(), self.statistic.currentData()
        budget = self.budget.value()
        tier = None if self.tier.currentText() == PORTFOLIO else self.tier.currentText()
        self.begin(
            lambda request, progress, token: find_contract(
                contract,
                load(key),
                path,
                statistic,
                budget,
                request,
                tier=tier,
                within=within,
                progress=progress,
                cancel=token,
            ),
            f"Finding {path} under {key}…",
        )

    def _progress(self, done: int, total: int) -> None:
        self.status.setText(f"Simulating: {done:,} of {total:,} trials, then pricing the values…")

    def _done(self, found: Finding) -> None:
        self.found = found
        run, label = found.run, self.label
        self.export.offer(
            None if run is None else "finder.xlsx",
            lambda path: save_workbook(path, simulation=run, finder=found, contract_label=label),
        )
        self.status.setText(" ".join(found.notes) or "Found.")
        self.answer.setText("\n".join(finding_lines(found)))
        xs = [float(p.value) for p in found.points]
        self.curve.setData(xs, [p.statistic for p in found.points])
        self.band_low.setData(xs, [p.low for p in found.points])
        self.band_high.setData(xs, [p.high for p in found.points])
        self.plot.setLabel("bottom", found.path)
        self.plot.setLabel("left", f"{STATISTICS[found.statistic]} ({found.contract.currency})")
        self.budget_line.setValue(found.budget)
        self.answer_line.setValue(float(found.answer))
        self.budget_line.show()
        self.answer_line.show()
        if found.interval is None:
            self.uncertainty.hide()
        else:
            self.uncertainty.setRegion([float(v) for v in found.interval])
            self.uncertainty.show()
