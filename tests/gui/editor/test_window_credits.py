"""Per-incident credits under a rolling window, set as a user sets them: no refusal beside the
clause, the contract saves, and the replay's explanation of a window's row says its credits are
its billing period's (docs/measurement.md, section 1b)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.helpers.gui_editing import choose, show_section, type_into
from tests.helpers.gui_runs import run_replay


def test_a_user_sets_per_incident_credits_under_a_rolling_window_and_sees_no_refusal(
    qtbot, make_window
):
    window = make_window()
    editor = window.editor
    show_section(editor, "Measurement")
    choose(qtbot, editor.measurement.period_terms.window.combo, "days before its end (rolling)")
    show_section(editor, "Tiers")
    rect = editor.tiers.visualRect(editor.tiers_model.index(0, 0))
    QTest.mouseClick(editor.tiers.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    fields = editor.incident_credits
    type_into(qtbot, fields.longer_than.edit, "30")
    type_into(qtbot, fields.credit.edit, "5")

    assert fields.message.isHidden()
    assert window.save_action.isEnabled()
    terms = editor.document.contract
    assert terms.measurement.window is not None and terms.measurement.window.kind == "rolling"
    assert terms.tiers[0].incident_credits is not None

    run_replay(qtbot, window)
    view = window.replay
    earned = [p for p in view.result.tiers[0].periods if p.incident_credits]
    assert earned, "the sample's incidents longer than 30 minutes earn credits"
    row = next(
        r
        for r in range(view.table.rowCount())
        if view.table.item(r, 0) and view.table.item(r, 0).text() == earned[0].period
    )
    view.table.setCurrentCell(row, 0)
    shown = view.explanation.toPlainText()
    assert f"those of the billing period {earned[0].period}" in shown
