"""Per-incident credits on the Tiers page, set as a user types them: the selected tier's
clause is stored, follows the tier selected, undoes, and the replay's explanation names the
incidents that earned a credit."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.helpers.gui_editing import choose, show_section, type_into
from tests.helpers.gui_runs import run_replay


def select_tier(editor, row: int) -> None:
    rect = editor.tiers.visualRect(editor.tiers_model.index(row, 0))
    QTest.mouseClick(editor.tiers.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_user_sets_per_incident_credits_and_sees_them_in_the_replay(qtbot, make_window):
    window = make_window()
    editor = window.editor
    show_section(editor, "Tiers")
    select_tier(editor, 0)
    fields = editor.incident_credits
    name = editor.document.contract.tiers[0].name
    assert fields.title() == f"Per-incident credits of {name}"
    assert fields.credit.edit.text() == "" and fields.longer_than.edit.text() == ""

    type_into(qtbot, fields.longer_than.edit, "30")  # nothing to pay yet: said, saving blocked
    assert "credit_pct" in fields.longer_than.message.text() + fields.credit.message.text()
    assert not window.save_action.isEnabled()
    type_into(qtbot, fields.credit.edit, "5")
    type_into(qtbot, fields.per_hour.edit, "2")
    choose(qtbot, fields.hours.combo, "whole hours only")
    # the sample's maintenance allowance goes with the clause (maintenance is not an incident)
    assert editor.document.contract.exclusions.maintenance_allowance_minutes_per_year
    assert fields.message.isHidden()
    # a measured window goes with the clause (tests/gui/editor/test_window_credits.py)
    show_section(editor, "Measurement")
    period = editor.measurement.period_terms
    choose(qtbot, period.window.combo, "days before each claim")
    assert fields.message.isHidden()
    choose(qtbot, period.window.combo, "days before its end (rolling)")
    assert fields.message.isHidden()
    assert editor.document.contract.measurement.window is not None
    assert window.save_action.isEnabled()
    choose(qtbot, period.window.combo, "the period itself")
    assert fields.message.isHidden()
    clause = editor.document.contract.tiers[0].incident_credits
    assert clause is not None
    assert (clause.longer_than_minutes, clause.credit_pct, clause.hours) == (
        30,
        Decimal("5"),
        "whole",
    )
    assert window.save_action.isEnabled()

    select_tier(editor, 1)  # another tier: its own (none)
    assert fields.credit.edit.text() == ""
    select_tier(editor, 0)
    assert (
        fields.credit.edit.text() == "5" and fields.hours.combo.currentText() == "whole hours only"
    )

    run_replay(qtbot, window)
    view = window.replay
    tier = view.result.tiers[0]
    earned = [p for p in tier.periods if p.incident_credits]
    assert earned, "the sample's incidents longer than 30 minutes earn credits"
    row = next(
        r
        for r in range(view.table.rowCount())
        if view.table.item(r, 0) and view.table.item(r, 0).text() == earned[0].period
    )
    view.table.setCurrentCell(row, 0)
    assert "Per-incident credits" in view.explanation.toPlainText()

    while editor.document.undo_stack.canUndo():
        window.undo_action.trigger()
    assert editor.document.contract.tiers[0].incident_credits is None
    assert fields.credit.edit.text() == ""
