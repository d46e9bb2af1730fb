"""The Sensitivity tab, driven as a user would: pick terms of the contract and the scenario, type
their ranges, run the tornado and a spider, cancel a long run, and read the table, the chart
and the messages."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import Qt

from tests.helpers.gui_editing import choose, open_version, type_into_cell

CREDIT = "tiers[Gold].credits.bands[0].credit_pct"


def _type(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


def _rows(table) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def _view(qtbot, make_window, trials: str = "2000"):
    window = make_window()
    open_version(window, "three_tier_cloud", 1)
    view = window.sensitivity
    window.tabs.setCurrentWidget(view)
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Sensitivity"
    choose(qtbot, view.scenarios, "baseline")
    _type(qtbot, view.trials.lineEdit(), trials)
    return window, view


def _add(qtbot, view, path: str, low: str, high: str) -> None:
    _type(qtbot, view.terms.lineEdit(), path)
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    row = view.ranges.rowCount() - 1
    type_into_cell(qtbot, view.ranges, row, 3, low)
    type_into_cell(qtbot, view.ranges, row, 4, high)


def test_a_user_runs_a_tornado_and_a_spider_and_exports_it(qtbot, make_window, tmp_path):
    _, view = _view(qtbot, make_window)
    assert not view.export_button.isEnabled()  # nothing to write yet
    _add(qtbot, view, "stress.frequency", "1", "1")
    _add(qtbot, view, CREDIT, "5", "20")
    _add(qtbot, view, "claims.claim_rate", "0.4", "0.9")
    assert [r[:3] for r in _rows(view.ranges)] == [
        ["stress.frequency", "scenario", "1"],
        [CREDIT, "contract", "10"],
        ["claims.claim_rate", "contract", "0.6"],
    ]
    with qtbot.waitSignal(view.found, timeout=60_000):
        qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    assert view.run_button.isEnabled() and not view.cancel_button.isEnabled()
    assert "2,000 trials, seed 1" in view.status.text()
    rows = _rows(view.table)
    assert [r[0] for r in rows] == ["claims.claim_rate", CREDIT, "stress.frequency"]
    assert rows[1][2:4] == ["5", "20"]
    assert rows[1][4].startswith("-") and rows[1][6].startswith("+")
    assert rows[2][4:] == ["+0", "0", "+0", "0", "+0", "+0"]  # at its base: no bar
    plot = view.chart.getPlotItem()
    bars = [i for i in plot.items if type(i).__name__ == "BarGraphItem"]
    assert len(bars) == 2 and [len(b.opts["y"]) for b in bars] == [3, 3]
    ticks = plot.getAxis("left")._tickLevels[0]
    assert [t[1] for t in sorted(ticks, reverse=True)] == [r[0] for r in rows]

    view.ranges.selectRow(2)
    _type(qtbot, view.steps.lineEdit(), "4")
    with qtbot.waitSignal(view.found, timeout=60_000):
        qtbot.mouseClick(view.spider_button, Qt.MouseButton.LeftButton)
    assert [r[0] for r in _rows(view.table)] == ["0.4", "0.5667", "0.7333", "0.9"]
    lines = [i for i in view.chart.getPlotItem().items if type(i).__name__ == "PlotDataItem"]
    assert len(lines) == 2 and len(lines[0].xData) == 4

    view.export_button.ask_path = lambda name: str(tmp_path / "claims")  # typed without .xlsx
    with qtbot.waitSignal(view.exported, timeout=30_000):
        qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert view.status.text() == "Wrote claims.xlsx"
    sheet = openpyxl.load_workbook(tmp_path / "claims.xlsx")["Sensitivity"]
    assert sheet["A1"].value == "Sensitivity of claims.claim_rate"
    assert [sheet.cell(r, 1).value for r in range(8, 12)] == [0.4, 0.5667, 0.7333, 0.9]


def test_a_long_run_can_be_cancelled_and_the_tab_is_ready_again(qtbot, make_window):
    _, view = _view(qtbot, make_window, trials="500000")
    _add(qtbot, view, "stress.duration", "0.5", "2")
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    assert view.cancel_button.isEnabled() and not view.run_button.isEnabled()
    qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(view.run_button.isEnabled, timeout=60_000)
    assert view.status.text() == "Cancelled; the figures shown before are kept."
    assert view.table.rowCount() == 0


def test_a_range_that_is_not_a_number_or_upside_down_is_named(qtbot, make_window):
    window, view = _view(qtbot, make_window)
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    assert view.status.text().startswith("Add at least one term to vary first")
    assert window.errors.last is None and view.run_button.isEnabled()
    _add(qtbot, view, "claims.claim_rate", "lots", "0.9")
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    box = window.errors.last
    assert box is not None and box.isVisible()
    assert "claims.claim_rate=lots:0.9: 'lots' is not a number" in box.text()
    box.close()
    type_into_cell(qtbot, view.ranges, 0, 3, "0.95")
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.errors.last is not box, timeout=5000)
    assert "claims.claim_rate: low 0.95 is above high 0.9" in window.errors.last.text()
    assert view.run_button.isEnabled() and view.table.rowCount() == 0


def test_a_term_the_contract_does_not_have_is_not_added(qtbot, make_window):
    window, view = _view(qtbot, make_window)
    _type(qtbot, view.terms.lineEdit(), "tiers[Gold].nope")
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    box = window.errors.last
    assert box is not None and box.isVisible()
    assert "tiers[Gold].nope: not a term of the contract in the editor" in box.text()
    assert view.ranges.rowCount() == 0
