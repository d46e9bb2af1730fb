"""The exposure panel under the penalty curve: what the tier being edited and the portfolio would
pay, as the last simulation re-priced for the terms in the editor (or for the point being
dragged) gives it, so the user sees the cost of a term while changing it without leaving the
contract. It follows every result the simulation view shows (``SimulationView.updated``)."""

from __future__ import annotations

import math
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from slamodeler.gui.charts.exposure_charts import Histogram, chart
from slamodeler.gui.results.simulation_view import RESIMULATE, SimulationView
from slamodeler.gui.widgets.table_copy import install_copy
from slamodeler.services.simulation_session import Exposure, ceilings

NO_SIMULATION = "Run a simulation to see exposure here (Simulation tab)."
FIGURES = (
    ("Mean", lambda e: e.mean),
    ("P95", lambda e: e.quantiles["p95"]),
    ("P99", lambda e: e.quantiles["p99"]),
)
CHANGE = "vs run"


def amount(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:,.0f}"


def change(value: float, simulated: float) -> str:
    """The change from the figure as simulated, signed: "+12,300", "-450", "+0"."""
    if math.isnan(value) or math.isnan(simulated):
        return "–"
    return f"{round(value - simulated):+,}"


def figure_rows(
    shown: tuple[Exposure, Exposure], simulated: tuple[Exposure, Exposure]
) -> list[list[str]]:
    """Mean, P95 and P99 of a tier and the portfolio (``shown``), each followed by its change
    from the run as simulated: one row per figure, as the panel's table shows them."""
    pairs = list(zip(shown, simulated, strict=True))
    return [
        [cell for e, s in pairs for cell in (amount(of(e)), change(of(e), of(s)))]
        for _, of in FIGURES
    ]


class ExposurePreview(QWidget):
    """``set_tier(row)`` chooses the tier; ``drawn`` is emitted once the histogram of a new
    result is drawn."""

    drawn = Signal()

    def __init__(self, view: SimulationView, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("exposurePreview")
        self.view, self.tier = view, 0
        self.message = QLabel(NO_SIMULATION)
        self.message.setObjectName("exposureMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.table = QTableWidget(len(FIGURES), 4)
        self.table.setObjectName("exposureFigures")
        self.table.setVerticalHeaderLabels([name for name, _ in FIGURES])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setToolTip(
            "Credits paid over the horizon, all of the tier's customers, and the change from "
            "the last simulation as it was run"
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        install_copy(self.table)
        self.histogram = chart("exposurePreviewHistogram", "Trials", "Credits paid", money="bottom")
        self.series = Histogram(self.histogram, labelled=False)  # the figures are beside it
        self._pending: tuple[Exposure, dict[str, Decimal]] | None = None  # to draw when shown
        self._drawn: Exposure | None = None
        self._filled: tuple[
            Exposure, ...
        ] = ()  # the figures in the table (tier, portfolio, as run)
        self.figures = QWidget()  # hidden while there is nothing to show
        figures = QHBoxLayout(self.figures)
        figures.setContentsMargins(0, 0, 0, 0)
        figures.addWidget(self.table, 3)
        figures.addWidget(self.histogram, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addWidget(self.figures, 1)
        view.updated.connect(self.refresh)
        self.refresh()

    def set_tier(self, tier: int) -> None:
        self.tier = tier
        self.refresh()

    def _series(self) -> tuple[tuple[Exposure, Exposure], tuple[Exposure, Exposure]] | None:
        """(tier, portfolio) as shown and as simulated; None when the run has no such tier."""
        stats, simulated = self.view.stats, self.view.simulated
        if not 0 <= self.tier < len(stats) - 1 or len(simulated) != len(stats):
            return None
        return (stats[self.tier], stats[-1]), (simulated[self.tier], simulated[-1])

    def refresh(self) -> None:
        view, series = self.view, self._series()
        run = view.run_result
        if run is None or series is None or not view.current:
            if run is None:
                self.message.setText(NO_SIMULATION)
            elif not view.current:
                self.message.setText(
                    f"The last simulation is of {view.run_title or 'another contract'}: run one "
                    "for this contract to see exposure here."
                )
            else:
                self.message.setText(f"The last simulation has no such tier: {RESIMULATE}.")
            self.table.clearContents()
            self.series.clear()
            self._pending = self._drawn = None
            self._filled = ()
            self.figures.hide()
            return
        self.figures.show()
        shown, simulated = series
        self.message.setText(
            view.behind
            or f"Credits paid over the horizon in {run.contract.currency}, {run.trials:,} trials "
            f"of {run.scenario.name}; {CHANGE}: the change from the simulation as run."
        )
        if not _same(self._filled, (*shown, *simulated)):
            self._fill(shown, simulated)
        if shown[0] is not self._drawn:
            self._pending = shown[0], ceilings(run, shown[0].name)
            self._draw()

    def _fill(self, shown: tuple[Exposure, Exposure], simulated: tuple[Exposure, Exposure]) -> None:
        """The table of figures; filled again only for other figures, not at every status the
        view gives (a drag gives one per move, and a fill costs as much as the figures)."""
        self.table.setHorizontalHeaderLabels([shown[0].name, CHANGE, shown[1].name, CHANGE])
        for row, cells in enumerate(figure_rows(shown, simulated)):
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self._filled = (*shown, *simulated)

    def _draw(self) -> None:
        """Draw the histogram waiting to be drawn, if the panel is on screen."""
        if self._pending is None or not self.isVisible():
            return
        (e, caps), self._pending = self._pending, None
        self.histogram.setToolTip(self.series.show(e, caps))
        self._drawn = e
        self.drawn.emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._draw()


def _same(a: tuple[Exposure, ...], b: tuple[Exposure, ...]) -> bool:
    """The same figures: the same objects (figures are never changed in place)."""
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))
