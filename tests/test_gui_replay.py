"""The replay view: the contract in the editor replayed on a stored incident set, off the GUI
thread; expectations from the sample history (docs: the CLI prints the same numbers)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.test_gui_editor import type_into_cell


def run_replay(qtbot, window) -> None:
    window.tabs.setCurrentWidget(window.replay)
    with qtbot.waitSignal(window.replay.finished, timeout=10_000):
        qtbot.mouseClick(window.replay.run_button, Qt.MouseButton.LeftButton)


def row_of(table, period: str) -> int:
    return next(r for r in range(table.rowCount()) if table.item(r, 0).text() == period)


def test_replay_shows_periods_chart_and_explanation(qtbot, make_window):
    window = make_window()
    assert window.replay.incident_sets.currentText() == "incidents_sample"
    run_replay(qtbot, window)
    view = window.replay
    assert view.tier.currentText() == "Bronze"
    table = view.table
    periods = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert periods[0] == "2024-01" and periods[-1] == "2025-01" and len(periods) == 13
    april = row_of(table, "2024-04")
    # 280 minutes down in a 43,200-minute April: 99.3519% < 99.5% -> band 1, 10% of 1,500
    assert table.item(april, 4).text() == "99.3519"
    assert table.item(april, 5).text() == "10"
    assert table.item(april, 6).text() == "150.00"
    assert table.currentRow() == april  # the worst period is selected and explained
    text = view.explanation.toPlainText()
    assert "Bronze, 2024-04" in text and "INC-1007" in text and "target missed" in text
    assert "426,000.00 USD" in view.status.text()

    table.setCurrentCell(row_of(table, "2024-07"), 0)  # a user clicks another period
    assert "Bronze, 2024-07" in view.explanation.toPlainText()

    lines = [i for i in view.chart.getPlotItem().items if type(i).__name__ == "InfiniteLine"]
    assert 99.5 in [line.value() for line in lines]  # the target line


def test_a_band_edited_in_the_editor_changes_the_next_replay(qtbot, make_window):
    window = make_window()
    type_into_cell(qtbot, window.editor.schedule, 0, 1, "20")  # Bronze band 1: 10% -> 20%
    run_replay(qtbot, window)
    april = row_of(window.replay.table, "2024-04")
    assert window.replay.table.item(april, 6).text() == "300.00"


def test_an_invalid_contract_is_not_replayed(qtbot, make_window):
    window = make_window()
    type_into_cell(qtbot, window.editor.tiers, 0, 1, "abc")
    window.tabs.setCurrentWidget(window.replay)
    qtbot.mouseClick(window.replay.run_button, Qt.MouseButton.LeftButton)
    assert "fix them first" in window.errors.last.text()
    window.errors.last.close()
    assert window.replay.result is None
