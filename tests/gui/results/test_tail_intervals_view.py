"""The tail statistics' 95% confidence intervals in the Simulation view, as a user sees them:
the P95, P99 and TVaR99 cells' tooltips, and P95's and P99's intervals shaded on the histogram
with the note under it saying so."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from slamodeler.engine.exposure import exposures
from slamodeler.engine.simulation import simulate
from slamodeler.gui.results.simulation_view import COLUMNS
from tests.helpers.gui_runs import run_simulation, scenario_of


def shaded(plot) -> dict[str, tuple[float, float]]:
    return {
        item.objectName(): tuple(item.getRegion())
        for item in plot.getPlotItem().items
        if type(item).__name__ == "LinearRegionItem"
    }


def hover(qtbot, table, row: int, column: int) -> str:
    """Rest the mouse on a cell: the tooltip the user reads."""
    table.scrollToItem(table.item(row, column))
    rect = table.visualItemRect(table.item(row, column))
    at = rect.center()
    event = QHelpEvent(QEvent.Type.ToolTip, at, table.viewport().mapToGlobal(at))
    QApplication.sendEvent(table.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible, timeout=2_000)
    return QToolTip.text()


def test_the_tail_cells_and_the_histogram_show_their_intervals(qtbot, make_window):
    window = make_window()
    view = run_simulation(qtbot, window, 2000, seed=4)
    expected = exposures(simulate(window.current_contract(), scenario_of(window), 2000, 4))
    for row, e in enumerate(expected):
        for column, key in (("P95", "p95"), ("P99", "p99"), ("TVaR99", "tvar99")):
            low, high = e.intervals[key]
            tip = view.table.item(row, COLUMNS.index(column)).toolTip()
            assert tip == f"95% confidence interval: {low:,.2f} to {high:,.2f}"
    assert view.table.item(0, COLUMNS.index("Mean")).toolTip() == ""
    assert hover(qtbot, view.table, 2, COLUMNS.index("TVaR99")) == (
        "95% confidence interval: {:,.2f} to {:,.2f}".format(*expected[2].intervals["tvar99"])
    )

    view.shown.setCurrentIndex(view.shown.findText("Gold"))
    gold = expected[2]
    assert shaded(view.chart) == {"p95Interval": gold.intervals["p95"],
                                  "p99Interval": gold.intervals["p99"]}  # fmt: skip
    (p95_low, p95_high), (p99_low, p99_high) = gold.intervals["p95"], gold.intervals["p99"]
    assert view.charts.caps_note.text().startswith(
        f"Shaded: 95% confidence intervals of P95 {p95_low:,.0f} to {p95_high:,.0f} and P99 "
        f"{p99_low:,.0f} to {p99_high:,.0f}."
    )
    view.shown.setCurrentIndex(view.shown.findText("Bronze"))
    assert shaded(view.chart)["p99Interval"] == expected[0].intervals["p99"]
