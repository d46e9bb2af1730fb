"""The slot rules on the editor's Measurement page: picked and typed as a user would, stored in
the contract, marked when out of range, and undone."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from slamodeler.gui.editor.terms_fields import INVALID_BORDER
from tests.helpers.gui_editing import choose


def type_into(qtbot, edit, text: str) -> None:
    edit.window().activateWindow()
    QTest.mouseClick(edit, Qt.MouseButton.LeftButton)
    edit.selectAll()
    qtbot.keyClicks(edit, text) if text else qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_a_user_sets_the_slot_rules(qtbot, make_window):
    window = make_window()
    editor = window.editor
    sections = editor.sections
    sections.setCurrentIndex(
        next(i for i in range(sections.count()) if sections.tabText(i) == "Measurement")
    )
    terms = editor.measurement
    assert terms.slot_counting.combo.currentText() == "touches it at all"
    assert terms.overlaps.combo.currentText() == "the worst impact counts"
    assert terms.down_above.edit.text() == ""
    assert terms.down_above.edit.placeholderText() == "none: weights count as they are"

    choose(qtbot, terms.slot_counting.combo, "covers all of it")
    choose(qtbot, terms.overlaps.combo, "impacts add up, at most 1")
    type_into(qtbot, terms.down_above.edit, "0.05")
    measurement = editor.document.contract.measurement
    assert (measurement.slot_counting, measurement.overlaps) == ("whole", "add")
    assert measurement.down_above == Decimal("0.05")
    assert window.isWindowModified()

    type_into(qtbot, terms.down_above.edit, "5")  # a percentage, not a share
    assert "write 5% as 0.05" in terms.down_above.message.text()
    assert terms.down_above.edit.styleSheet() == INVALID_BORDER
    window.undo_action.trigger()
    assert terms.down_above.edit.text() == "0.05" and terms.down_above.message.isHidden()

    type_into(qtbot, terms.down_above.edit, "")  # emptied: no threshold
    assert editor.document.contract.measurement.down_above is None
    stack = editor.document.undo_stack
    while stack.canUndo():
        window.undo_action.trigger()
    assert terms.slot_counting.combo.currentText() == "touches it at all"
    assert terms.overlaps.combo.currentText() == "the worst impact counts"
    assert not window.isWindowModified()
