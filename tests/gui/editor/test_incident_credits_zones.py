"""A user sets per-incident credits on a tier that counts k of n zones: the editor takes both
(no message beside the clause, saving allowed) and the replay's explanation says which minutes
counted."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from slamodeler.domain.contract import ZoneQuorum
from tests.helpers.gui_editing import show_section, type_into
from tests.helpers.gui_runs import run_replay


def test_a_user_sets_per_incident_credits_under_two_zones_down(qtbot, make_window):
    window = make_window()
    editor = window.editor
    show_section(editor, "Tiers")
    rect = editor.tiers.visualRect(editor.tiers_model.index(0, 0))
    QTest.mouseClick(editor.tiers.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    type_into(qtbot, editor.tier_terms.zones_needed.edit, "2")
    fields = editor.incident_credits
    type_into(qtbot, fields.credit.edit, "5")
    type_into(qtbot, fields.per_hour.edit, "2")
    assert fields.message.isHidden()
    assert window.save_action.isEnabled()
    tier = editor.document.contract.tiers[0]
    assert tier.scope.zones == ZoneQuorum(at_least=2)
    assert tier.incident_credits is not None

    run_replay(qtbot, window)
    view = window.replay
    earned = [p for p in view.result.tiers[0].periods if p.incident_credits]
    assert earned, "the sample's incidents name no zone, so each takes the region down"
    row = next(
        r
        for r in range(view.table.rowCount())
        if view.table.item(r, 0) and view.table.item(r, 0).text() == earned[0].period
    )
    view.table.setCurrentCell(row, 0)
    assert "minutes with 2 or more zones down" in view.explanation.toPlainText()
