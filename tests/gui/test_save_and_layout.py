"""Redo on Ctrl+Y, the reason asked for a new version (OK only once one is typed), Save with
nothing to save, and the editor at 1280x800: every tier column in view, and the first run's
explanation beside the workspace tree rather than over the editor."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from slamodeler.gui.app import redo_keys
from slamodeler.gui.workspace.reason_dialog import HINT, ReasonDialog
from slamodeler.services.versions import history
from tests.helpers.gui_editing import type_into_cell


def versions_of(window) -> int:
    return len(history(window.ws, "three_tier_cloud")[1])


def test_ctrl_y_is_a_redo_key_where_the_platform_has_only_ctrl_shift_z():
    x11 = [QKeySequence("Ctrl+Shift+Z")]  # what xcb gives without a desktop's theme
    assert [k.toString() for k in redo_keys(x11)] == ["Ctrl+Shift+Z", "Ctrl+Y"]
    windows = [QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")]
    assert redo_keys(windows) == windows  # not twice


def test_ctrl_y_redoes_what_ctrl_z_undid(qtbot, make_window):
    window = make_window()
    document = window.editor.document
    name = document.get(("name",))
    document.set_value(("name",), "Renamed")
    window.browser.setFocus()  # away from text fields, which keep Ctrl+Z and Ctrl+Y for themselves
    qtbot.keyClick(window.browser, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert document.get(("name",)) == name
    qtbot.keyClick(window.browser, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert document.get(("name",)) == "Renamed"
    assert "Ctrl+Y" in [k.toString() for k in window.redo_action.shortcuts()]


def test_the_reason_dialog_keeps_ok_off_until_a_reason_is_typed(qtbot):
    dialog = ReasonDialog(None, "Save as new version", "Why this change?")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ok.isEnabled()
    assert dialog.hint.isVisible() and dialog.hint.text() == HINT
    qtbot.keyClicks(dialog.edit, "   ")
    assert not dialog.ok.isEnabled()  # blanks are not a reason
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter with no reason does not close it
    qtbot.keyClicks(dialog.edit, "customer asked")
    assert dialog.ok.isEnabled() and not dialog.hint.isVisible()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.reason() == "customer asked"


def test_saving_an_edit_asks_for_a_reason_that_cannot_be_left_empty(qtbot, make_window):
    window = make_window()
    type_into_cell(qtbot, window.editor.schedule, 0, 1, "15")
    seen: list[object] = []

    def answer() -> None:
        """What the user sees in the dialog, typing a reason; the dialog always closes."""
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ReasonDialog):
            seen.append(dialog)
            dialog.close()
            return
        seen.append(dialog.ok.isEnabled())
        qtbot.keyClicks(dialog.edit, "raise the first band")
        seen.append(dialog.ok.isEnabled())
        dialog.ok.click() if dialog.ok.isEnabled() else dialog.reject()

    QTimer.singleShot(0, answer)
    qtbot.keyClick(window.browser, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert seen == [False, True]
    assert window.errors.last is None
    assert versions_of(window) == 2
    assert history(window.ws, "three_tier_cloud")[1][-1].reason == "raise the first band"


def test_ctrl_s_with_no_edits_asks_nothing_and_says_why(qtbot, make_window):
    window = make_window()
    asked: list = []
    window.ask_text = lambda *a: asked.append(a) or "a reason"
    window.browser.setFocus()
    qtbot.keyClick(window.browser, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert asked == [] and versions_of(window) == 1
    assert not window.save_action.isEnabled()
    assert window.save_action.toolTip() == "No edits to save"
    window.editor.document.set_value(("name",), "Renamed")
    assert window.save_action.isEnabled()
    window.undo_action.trigger()  # back as saved: nothing to save again
    assert not window.save_action.isEnabled()


def at_1280x800(qtbot, window) -> None:
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.size() == QSize(1280, 800), timeout=2000)


def test_every_tier_column_is_in_view_at_1280x800(qtbot, make_window):
    window = make_window()
    at_1280x800(qtbot, window)
    tiers = window.editor.tiers
    header = tiers.horizontalHeader()
    last = tiers.model().columnCount() - 1
    assert tiers.model().headerData(last, Qt.Orientation.Horizontal) == "Credit\nschedule"

    def right_edge() -> int:
        return header.sectionViewportPosition(last) + header.sectionSize(last)

    qtbot.waitUntil(lambda: right_edge() <= tiers.viewport().width(), timeout=2000)
    assert header.sectionSizeFromContents(last).width() <= header.sectionSize(last)


def test_the_first_runs_explanation_leaves_the_editor_its_height(qtbot, make_window):
    first = make_window(workspace=None)  # a first run: the samples and the explanation
    at_1280x800(qtbot, first)
    plain = make_window()  # the same samples, opened again: no explanation
    at_1280x800(qtbot, plain)
    assert plain.welcome is None
    welcome = first.welcome
    assert welcome is not None and welcome.isVisible()
    assert first.dockWidgetArea(welcome) == Qt.DockWidgetArea.LeftDockWidgetArea
    qtbot.waitUntil(lambda: first.editor.height() >= 0.95 * plain.editor.height() > 0, timeout=2000)
    text = welcome.widget().layout().itemAt(0).widget()
    assert text.height() >= text.heightForWidth(text.width())  # the whole text shows
    assert first.browser.height() >= 200  # and the tree keeps room for the samples
