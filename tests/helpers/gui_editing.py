"""Driving the contract editor as a user does: typing into a table cell, picking from a
drop-down, dragging a point of the penalty curve, clicking a version in the workspace browser."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit


def type_into_cell(qtbot, view, row: int, column: int, text: str, paste: bool = False) -> None:
    """Click a cell, press F2 (edit), replace its text, press Enter: what a user does.
    ``paste``: the text is pasted (Ctrl+V from the clipboard) rather than typed, as text that no
    keyboard types is (QTest types Latin-1 only)."""
    index = view.model().index(row, column)
    view.scrollTo(index)
    rect = view.visualRect(index)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.currentIndex() == index
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editors = [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1, "F2 on the cell opened no editor"
    editor = editors[0]
    editor.setFocus()
    editor.selectAll()
    if paste:
        QApplication.clipboard().setText(text)
        qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    elif text:
        qtbot.keyClicks(editor, text)
    else:  # empty the cell
        qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # the delegate commits on the next turn of the event loop
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState, timeout=2000)


def choose_in_cell(qtbot, table, row: int, column: int, text: str) -> None:
    """F2 on a cell that is a choice opens a drop-down in it; pick ``text``."""
    index = table.model().index(row, column)
    QTest.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center()
    )
    qtbot.keyClick(table, Qt.Key.Key_F2)
    combos = [c for c in table.viewport().findChildren(QComboBox) if c.isVisible()]
    assert len(combos) == 1, "F2 on the cell opened no drop-down"
    choose(qtbot, combos[0], text)
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState, timeout=2000)


def cell(view, row: int, column: int, role=Qt.ItemDataRole.DisplayRole):
    return view.model().index(row, column).data(role)


def drag_handle(qtbot, editor, index: int, to: tuple[float, float]) -> None:
    """Press on a handle of the curve, move the mouse with the button held, release: a drag."""
    plot = editor.curve.plot
    view_box = plot.getPlotItem().getViewBox()
    viewport = plot.viewport()

    def on_screen(x: float, y: float) -> QPointF:
        return QPointF(plot.mapFromScene(view_box.mapViewToScene(QPointF(x, y))))

    def send(kind, pos: QPointF, button, buttons) -> None:
        event = QMouseEvent(
            kind, pos, viewport.mapToGlobal(pos), button, buttons, Qt.KeyboardModifier.NoModifier
        )
        QApplication.sendEvent(viewport, event)

    handle = editor.curve.handles[index]
    start, end = on_screen(handle.pos().x(), handle.pos().y()), on_screen(*to)
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    send(QEvent.Type.MouseMove, start, none, none)
    send(QEvent.Type.MouseButtonPress, start, left, left)
    for i in range(1, 11):
        send(QEvent.Type.MouseMove, start + (end - start) * (i / 10), none, left)
        qtbot.wait(2)
    send(QEvent.Type.MouseButtonRelease, end, left, none)


def choose(qtbot, combo: QComboBox, text: str) -> None:
    """Open the drop-down and click the item that reads ``text``."""
    index = combo.findText(text)
    assert index >= 0, f"{text!r} is not among {[combo.itemText(i) for i in range(combo.count())]}"
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible, timeout=2000)
    item = view.model().index(index, 0)
    view.scrollTo(item)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(item).center())
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=2000)
    assert combo.currentText() == text


def open_version(window, key: str, number: int) -> None:
    """Click the version in the workspace browser."""
    item = next(
        i
        for i in window.browser.items_of("version")
        if i.parent().text(0) == key and i.text(0) == f"version {number}"
    )
    window.browser.itemClicked.emit(item, 0)
    assert window.editor.title == f"{key}@{number}"


class Mouse:
    """The mouse on the penalty curve, as a user moves it: press on a handle, move with the
    button held (one step at a time, as a real mouse reports), release."""

    def __init__(self, qtbot, editor):
        self.qtbot, self.plot = qtbot, editor.curve.plot
        self.viewport = self.plot.viewport()
        self.handles = editor.curve.handles
        self.at = QPointF()

    def _on_screen(self, x: float, y: float) -> QPointF:
        view_box = self.plot.getPlotItem().getViewBox()
        return QPointF(self.plot.mapFromScene(view_box.mapViewToScene(QPointF(x, y))))

    def _send(self, kind, button, buttons) -> None:
        event = QMouseEvent(
            kind,
            self.at,
            self.viewport.mapToGlobal(self.at),
            button,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(self.viewport, event)

    def press(self, index: int) -> None:
        pos = self.handles[index].pos()
        self.at = self._on_screen(pos.x(), pos.y())
        none = Qt.MouseButton.NoButton
        self._send(QEvent.Type.MouseMove, none, none)
        self._send(QEvent.Type.MouseButtonPress, Qt.MouseButton.LeftButton, LEFT)

    def move_to(self, x: float, y: float, steps: int = 8) -> None:
        start, end = self.at, self._on_screen(x, y)
        for i in range(1, steps + 1):
            self.at = start + (end - start) * (i / steps)
            self._send(QEvent.Type.MouseMove, Qt.MouseButton.NoButton, LEFT)
            self.qtbot.wait(16)  # a 60 Hz mouse (pyqtgraph drops moves closer than 10 ms)

    def release(self) -> None:
        self._send(
            QEvent.Type.MouseButtonRelease, Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
        )


LEFT = Qt.MouseButton.LeftButton


def previews_of(editor) -> list:
    """Every contract the editor offers for live pricing while a point is dragged."""
    offered: list = []
    editor.previewed.connect(offered.append)
    return offered


def type_into(qtbot, edit: QLineEdit, text: str) -> None:
    """Click the field, select what is there, type, press Enter."""
    edit.window().activateWindow()
    QTest.mouseClick(edit, Qt.MouseButton.LeftButton)
    edit.selectAll()
    if text:
        qtbot.keyClicks(edit, text)
    else:
        qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def show_section(editor, name: str) -> None:
    sections = editor.sections
    sections.setCurrentIndex(
        next(i for i in range(sections.count()) if sections.tabText(i) == name)
    )
