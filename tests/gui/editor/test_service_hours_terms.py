"""Service hours on the editor's Measurement page and a fee multiple's share of scheduled
availability on the schedule form: switched on, typed and picked as a user would, stored in the
contract, marked when wrong, and undone."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from slamodeler.gui.editor.terms_fields import INVALID_BORDER
from tests.helpers.gui_editing import choose, show_section, type_into


def test_a_user_measures_only_service_hours(qtbot, make_window):
    window = make_window()
    editor = window.editor
    show_section(editor, "Measurement")
    terms = editor.measurement
    assert not terms.in_service_hours.isChecked()
    assert not terms.service_start.edit.isEnabled()

    QTest.mouseClick(terms.in_service_hours, Qt.MouseButton.LeftButton)
    hours = editor.document.contract.measurement.service_hours
    assert hours is not None and (hours.start, hours.end) == ("08:00", "18:00")
    assert terms.service_days.edit.text() == "monday, tuesday, wednesday, thursday, friday"
    assert terms.service_start.edit.isEnabled()

    type_into(qtbot, terms.service_days.edit, "Monday, Tuesday, Wednesday")
    type_into(qtbot, terms.service_end.edit, "24:00")
    type_into(qtbot, terms.holidays.edit, "2025-12-25, 2025-12-26")
    hours = editor.document.contract.measurement.service_hours
    assert hours is not None
    assert (hours.days, hours.end) == (["monday", "tuesday", "wednesday"], "24:00")
    assert hours.holidays == [date(2025, 12, 25), date(2025, 12, 26)]
    assert window.isWindowModified()

    type_into(qtbot, terms.service_start.edit, "19:00")
    type_into(qtbot, terms.service_end.edit, "18:00")  # before the start
    assert "must be after start (19:00)" in terms.service_end.message.text()
    assert terms.service_end.edit.styleSheet() == INVALID_BORDER
    window.undo_action.trigger()
    assert terms.service_end.edit.text() == "24:00" and terms.service_end.message.isHidden()

    QTest.mouseClick(terms.in_service_hours, Qt.MouseButton.LeftButton)  # around the clock
    assert editor.document.contract.measurement.service_hours is None
    assert not terms.holidays.edit.isEnabled()
    stack = editor.document.undo_stack
    while stack.canUndo():
        window.undo_action.trigger()
    assert not terms.in_service_hours.isChecked()
    assert not window.isWindowModified()


def test_a_user_takes_a_fee_multiple_of_scheduled_availability(qtbot, make_window):
    window = make_window()
    editor = window.editor
    terms = editor.schedule_terms
    choose(qtbot, terms.kind.combo, "Multiple of the fee for the downtime")
    assert terms.share_of.isVisibleTo(editor)
    assert terms.share_of.combo.currentText() == "the period's minutes"
    choose(qtbot, terms.share_of.combo, "scheduled availability (less excluded time)")
    assert editor.document.contract.tiers[0].credits.share_of == "scheduled"
    window.undo_action.trigger()
    assert terms.share_of.combo.currentText() == "the period's minutes"
    choose(qtbot, terms.kind.combo, "Per hour of downtime")
    assert not terms.share_of.isVisibleTo(editor)
