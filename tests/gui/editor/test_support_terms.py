"""A user sets a tier's support response targets on the Tiers page: types one line per priority,
sees a target that cannot work refused under the field, counts the time in service hours, and
takes the targets away by emptying the lines (undo brings them back)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.helpers.gui_editing import choose


def type_lines(qtbot, terms, text: str) -> None:
    """Replace the targets' lines as a user does (select all, type), then leave with Tab."""
    box = terms.targets.text
    box.setFocus()
    QTest.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(box, Qt.Key.Key_Delete)
    for n, line in enumerate(text.split("\n")):
        if n:
            QTest.keyClick(box, Qt.Key.Key_Return)
        QTest.keyClicks(box, line)
    QTest.keyClick(box, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: not box.hasFocus())


def test_a_user_sets_support_targets_per_priority(qtbot, make_window):
    window = make_window()
    editor = window.editor
    terms = editor.support_terms
    tier = editor.document.contract.tiers[0]
    assert terms.title() == f"Support response targets of {tier.name}"
    assert terms.targets.text.toPlainText() == ""
    assert terms.targets.text.placeholderText() == "none; e.g. P1, 15, 5%, 10%"
    assert terms.clock.combo.currentText() == ""

    type_lines(qtbot, terms, "P1, 15, 5%, 10%\nP2, 60, 100")
    support = editor.document.contract.tiers[0].support
    assert support is not None and support.clock == "around_the_clock"
    p1, p2 = support.targets
    assert (p1.priority, p1.respond_within_minutes, p1.credit_pct) == ("p1", 15, Decimal(5))
    assert p1.max_pct_per_period == Decimal(10)
    assert (p2.priority, p2.respond_within_minutes, p2.credit_amount) == ("p2", 60, Decimal(100))
    assert terms.targets.text.toPlainText() == "P1, 15, 5%, 10%\nP2, 60, 100"
    assert terms.clock.combo.currentText() == "around the clock"
    assert window.isWindowModified()

    type_lines(qtbot, terms, "P1, 15, 5%\nP1, 60, 5%")
    assert "priority 'p1' has two targets" in terms.targets.message.text()
    assert not window.save_action.isEnabled()
    type_lines(qtbot, terms, "P1, 15, 5%")
    assert not terms.targets.message.isVisible()

    choose(qtbot, terms.clock.combo, "in service hours")  # the contract has no service hours
    assert "needs measurement.service_hours" in terms.clock.message.text()
    choose(qtbot, terms.clock.combo, "around the clock")
    assert editor.document.valid

    type_lines(qtbot, terms, "")
    assert editor.document.contract.tiers[0].support is None
    window.undo_action.trigger()
    assert terms.targets.text.toPlainText() == "P1, 15, 5%"
