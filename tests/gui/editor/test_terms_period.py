"""The measurement period group: fiscal quarters and years, and windows of days (rolling or
before each claim), chosen and typed as a user would, with what the editor then shows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from slamodeler.domain.contract import Window
from tests.helpers.gui_editing import choose


def type_days(qtbot, edit, text: str) -> None:
    QTest.mouseClick(edit, Qt.MouseButton.LeftButton)
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def open_measurement(window):
    sections = window.editor.sections
    names = [sections.tabText(i) for i in range(sections.count())]
    sections.setCurrentIndex(names.index("Measurement"))
    return window.editor.measurement.period_terms


def test_fiscal_quarters_from_february(qtbot, make_window):
    window = make_window()
    terms = open_measurement(window)
    assert not terms.year_starts.isEnabled()  # months are calendar months
    choose(qtbot, terms.period.combo, "calendar quarters (Jan-Mar, Apr-Jun, ...)")
    assert terms.year_starts.isEnabled()
    choose(qtbot, terms.year_starts.combo, "February")
    assert terms.period.combo.currentText() == "fiscal quarters (Feb-Apr, ...)"
    measurement = window.editor.document.contract.measurement
    assert (measurement.period, measurement.year_starts) == ("quarter", "february")
    choose(qtbot, terms.period.combo, "fiscal years (Feb-Jan)")
    assert window.editor.document.contract.measurement.period == "year"
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert terms.period.combo.currentText() == "calendar quarters (Jan-Mar, Apr-Jun, ...)"


def test_a_rolling_window_and_a_claim_window_with_their_days(qtbot, make_window):
    window = make_window()
    terms = open_measurement(window)
    document = window.editor.document
    assert terms.window.combo.currentText() == "the period itself"
    assert not terms.window_days.isEnabled()

    choose(qtbot, terms.window.combo, "days before its end (rolling)")
    assert terms.window_days.isEnabled() and terms.window_days.edit.text() == "365"
    assert document.contract.measurement.window == Window(kind="rolling", days=365)

    type_days(qtbot, terms.window_days.edit, "0")
    assert "greater than or equal to 1" in terms.window_days.message.text()
    type_days(qtbot, terms.window_days.edit, "30")
    assert terms.window_days.message.isHidden()
    choose(qtbot, terms.window.combo, "days before each claim")
    assert document.contract.measurement.window == Window(kind="claim", days=30)

    choose(qtbot, terms.window.combo, "the period itself")
    assert document.contract.measurement.window is None and not terms.window_days.isEnabled()
    window.undo_action.trigger()
    assert terms.window.combo.currentText() == "days before each claim"
    assert terms.window_days.edit.text() == "30"
