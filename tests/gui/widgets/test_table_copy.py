"""Every table of the window and its dialogs copies what is selected, as tab-separated text with
its headers, on Ctrl+C: the test finds the tables itself (``findChildren(QTableView)``), so a
table added without copy fails it."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QStackedWidget, QTableView, QTabWidget, QWidget

from tests.helpers.gui_editing import type_into_cell
from tests.helpers.gui_import import BAD_ROWS, open_dialog, settle
from tests.helpers.gui_runs import open_chart, run_replay, run_simulation


def reveal(widget: QWidget) -> None:
    """Bring the tab (or stacked page) holding ``widget`` to the front, nested ones too."""
    child, parent = widget, widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QStackedWidget):
            tabs = parent.parentWidget()
            if isinstance(tabs, QTabWidget):
                tabs.setCurrentWidget(child)
            else:
                parent.setCurrentWidget(child)
        child, parent = parent, parent.parentWidget()


def first_cell(table: QTableView) -> QModelIndex | None:
    model = table.model()
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            if not table.isRowHidden(row) and not table.isColumnHidden(column):
                return model.index(row, column)
    return None


def copies_its_selection(qtbot, table: QTableView) -> None:
    """Click a cell, press Ctrl+C: the clipboard holds the headers, then the selected rows."""
    reveal(table)
    assert table.isVisible(), f"{table.objectName()} cannot be shown"
    QApplication.clipboard().clear()
    index = first_cell(table)
    model = table.model()
    if index is not None:
        table.scrollTo(index)
        rect = table.visualRect(index)
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    text = QApplication.clipboard().text()
    name = table.objectName() or type(table).__name__
    assert text.endswith("\n"), f"{name}: Ctrl+C copied nothing"
    lines = text.splitlines()
    if index is None:  # empty: the headers alone
        assert len(lines) == 1, f"{name}: {text!r}"
        return
    selected = table.selectionModel().selectedIndexes()
    rows = {i.row() for i in selected}
    columns = sorted({i.column() for i in selected})
    assert len(lines) == 1 + len(rows), f"{name}: {text!r}"
    assert all(line.count("\t") == len(columns) - 1 for line in lines), f"{name}: {text!r}"
    header = model.headerData(index.column(), Qt.Orientation.Horizontal)
    position = columns.index(index.column())
    assert lines[0].split("\t")[position] == str(header or "").replace(",", ""), name
    shown = str(index.data() or "")
    copied = lines[1].split("\t")[position]
    assert copied in (shown, shown.replace(",", "")), f"{name}: {copied!r} for {shown!r}"


def test_every_table_copies_its_selection(qtbot, make_window, tmp_path):
    window = make_window()
    export = tmp_path / "bad.csv"
    export.write_text(BAD_ROWS, encoding="utf-8")
    dialog = open_dialog(qtbot, window, export)
    dialog.default_impact.setCurrentText("partial")  # a row used with a note
    settle(qtbot, dialog)
    dialog_tables = dialog.findChildren(QTableView)
    names = {t.objectName() for t in dialog_tables}
    assert names >= {"importPreview", "importProblems", "importNotes"}
    for table in dialog_tables:
        if dialog.rows_tabs.indexOf(table) >= 0:
            dialog.rows_tabs.setCurrentWidget(table)
        assert table.model().rowCount() > 0
        copies_its_selection(qtbot, table)
    dialog.reject()
    window.activateWindow()  # shortcuts go to the active window
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)

    type_into_cell(qtbot, window.editor.schedule, 0, 1, "20")  # something to compare
    run_replay(qtbot, window)
    view = run_simulation(qtbot, window, 2000, seed=5)
    open_chart(qtbot, view, "Fees and margins")  # its differences show once a version is chosen
    qtbot.waitUntil(lambda: view.fees.result is not None and not view.fees.busy, timeout=20_000)
    view.fees.against.setCurrentText("three_tier_cloud@1 (draft)")  # a comparison to show
    qtbot.waitUntil(lambda: view.fees.comparison is not None and not view.fees.busy, timeout=20_000)
    window.tabs.setCurrentWidget(window.fit)
    qtbot.waitUntil(lambda: window.fit.run_button.isEnabled(), timeout=10_000)
    with qtbot.waitSignal(window.fit.finished, timeout=30_000):
        qtbot.mouseClick(window.fit.run_button, Qt.MouseButton.LeftButton)

    tables = [
        t
        for t in window.findChildren(QTableView)
        if t not in dialog_tables and not t.objectName().startswith("qt_")  # Qt's own (calendar)
    ]
    names = {t.objectName() for t in tables}
    assert {"periodTable", "durationFits", "frequencyFits", "windowsTable"} <= names
    for table in tables:
        copies_its_selection(qtbot, table)
