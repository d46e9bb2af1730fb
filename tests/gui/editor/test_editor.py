"""The contract editor, driven as a user would: type into the tables, drag the curve, undo and
redo, save a version with a reason, approve, compare."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from slamodeler.gui.editor.models import INVALID
from slamodeler.services.versions import history
from tests.helpers.gui_editing import cell, drag_handle, type_into_cell


def handle_positions(editor) -> list[tuple[float, float]]:
    return [(round(h.pos().x(), 3), round(h.pos().y(), 3)) for h in editor.curve.handles]


def test_the_sample_contract_opens_in_the_editor(make_window):
    window = make_window()
    editor = window.editor
    assert editor.title == "three_tier_cloud@1"
    assert editor.general.edits["currency"].text() == "USD"
    assert editor.general.edits["timezone"].text() == "America/New_York"
    assert [cell(editor.tiers, r, 0) for r in range(3)] == ["Bronze", "Silver", "Gold"]
    assert [cell(editor.schedule, r, 0) for r in range(3)] == ["99.5", "99.0", "95.0"] or [
        cell(editor.schedule, r, 0) for r in range(3)
    ] == ["99.5", "99", "95"]
    assert handle_positions(editor) == [(99.5, 10), (99.0, 25), (95.0, 50)]
    assert not window.isWindowModified()


def test_editing_a_band_in_the_table_moves_the_curve_and_undo_redo_follow(qtbot, make_window):
    window = make_window()
    editor = window.editor
    type_into_cell(qtbot, editor.schedule, 1, 1, "30")
    assert cell(editor.schedule, 1, 1) == "30"
    assert handle_positions(editor)[1] == (99.0, 30)
    assert 30 in list(editor.curve.line.yData)
    assert window.isWindowModified()
    assert window.undo_action.isEnabled()

    window.undo_action.trigger()
    assert cell(editor.schedule, 1, 1) in ("25", "25.0")
    assert handle_positions(editor)[1] == (99.0, 25)
    assert not window.isWindowModified()

    window.redo_action.trigger()
    assert cell(editor.schedule, 1, 1) == "30"
    assert handle_positions(editor)[1] == (99.0, 30)


def test_dragging_a_point_on_the_curve_edits_the_band_table(qtbot, make_window):
    window = make_window()
    window.resize(1280, 800)
    editor = window.editor
    qtbot.wait(20)
    drag_handle(qtbot, editor, 1, (98.0, 40.0))
    below, credit = float(cell(editor.schedule, 1, 0)), float(cell(editor.schedule, 1, 1))
    assert below == pytest.approx(98.0, abs=0.1)
    assert credit == pytest.approx(40.0, abs=1.0)
    assert editor.document.contract is not None  # still a valid schedule
    assert window.isWindowModified()
    window.undo_action.trigger()
    assert float(cell(editor.schedule, 1, 0)) == 99.0


def test_selecting_a_tier_shows_its_schedule(qtbot, make_window):
    window = make_window()
    editor = window.editor
    rect = editor.tiers.visualRect(editor.tiers_model.index(2, 0))
    QTest.mouseClick(editor.tiers.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert editor.tier == 2
    assert "Gold" in editor.schedule_box.title()
    assert handle_positions(editor)[0] == (99.99, 10)
    assert editor.curve.target.value() == pytest.approx(99.99)


def test_invalid_input_is_marked_at_the_cell_with_the_domains_message(qtbot, make_window):
    window = make_window()
    editor = window.editor
    type_into_cell(qtbot, editor.schedule, 1, 0, "99.7")  # above band 1's 99.5: out of order
    assert cell(editor.schedule, 1, 0, Qt.ItemDataRole.BackgroundRole).color() == INVALID
    message = cell(editor.schedule, 1, 0, Qt.ItemDataRole.ToolTipRole)
    worded = "Bronze, band 2, availability below %: must be lower than the band above's (each band starts below the one before)"
    assert message == worded
    assert f"• {worded}" in editor.problems.text()
    assert "tiers[0]" not in editor.problems.text()
    assert not window.save_action.isEnabled()
    assert not window.approve_action.isEnabled()

    type_into_cell(qtbot, editor.tiers, 0, 1, "abc")
    tip = cell(editor.tiers, 0, 1, Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Bronze, target %: ") and "'abc' is not a number" in tip
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert editor.document.valid and window.save_action.toolTip() == "No edits to save"


def test_a_general_term_shows_the_message_under_the_field(qtbot, make_window):
    window = make_window()
    field = window.editor.general.edits["currency"]
    field.selectAll()
    qtbot.keyClicks(field, "usd")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    message = window.editor.general.messages["currency"]
    assert not message.isHidden()
    assert "three-letter ISO 4217 code" in message.text()


def test_save_as_new_version_with_a_reason(qtbot, make_window):
    window = make_window()
    editor = window.editor
    type_into_cell(qtbot, editor.schedule, 0, 1, "15")
    window.ask_text = lambda *a: "customer asked for 15%"
    window.save_action.trigger()
    assert window.errors.last is None
    assert window.editor.title == "three_tier_cloud@2"
    assert not window.isWindowModified()
    _, versions, _ = history(window.ws, "three_tier_cloud")
    assert [(v.number, v.reason) for v in versions][-1] == (2, "customer asked for 15%")
    assert window.ws.contract_of(versions[-1]).tier("Bronze").credits.bands[0].credit_pct == 15
    texts = [i.text(0) for i in window.browser.items_of("version")]
    assert texts.count("version 2") == 1


def test_save_without_a_reason_is_refused_and_nothing_is_stored(qtbot, make_window):
    window = make_window()
    type_into_cell(qtbot, window.editor.schedule, 0, 1, "15")
    window.ask_text = lambda *a: "  "
    window.save_action.trigger()
    assert "needs a reason" in window.errors.last.text()
    window.errors.last.close()
    assert len(history(window.ws, "three_tier_cloud")[1]) == 1
    assert window.isWindowModified()  # the edits are still there


def test_approve_and_compare_a_weakening_version(qtbot, make_window):
    window = make_window()
    window.ask_text = lambda *a: "signed off"
    window.approve_action.trigger()
    assert window.version.status == "approved"
    assert not window.approve_action.isEnabled()  # approved versions stay as they are

    editor = window.editor
    type_into_cell(qtbot, editor.schedule, 0, 1, "5")  # lower credit: weakens
    editor.tabs.setCurrentIndex(1)
    diff = editor.diff
    assert diff.table.rowCount() == 1
    assert diff.table.item(0, 0).text() == "Bronze, band 1, credit %"
    assert (diff.table.item(0, 1).text(), diff.table.item(0, 2).text()) == ("10", "5")
    assert diff.table.item(0, 3).text() == "credit lowered"

    window.save_action.trigger()
    asked = []
    window.confirm = lambda title, text: asked.append(text) or True
    window.approve_action.trigger()
    assert asked and "credit lowered" in asked[0]
    statuses = [v.status for v in history(window.ws, "three_tier_cloud")[1]]
    assert statuses == ["superseded", "approved"]


def test_leaving_unsaved_edits_asks_to_save_discard_or_stay(qtbot, make_window):
    window = make_window()
    type_into_cell(qtbot, window.editor.schedule, 0, 1, "15")
    asked = []
    window.ask_unsaved = lambda title, can_save: asked.append((title, can_save)) or "cancel"
    other = next(
        i for i in window.browser.items_of("version") if i.parent().text(0) == "ec2_region_sla"
    )
    window.browser.itemClicked.emit(other, 0)
    assert asked == [("three_tier_cloud@1", True)]
    assert window.editor.title == "three_tier_cloud@1" and window.editor.document.dirty

    window.ask_unsaved = lambda *a: "save"  # saved as a new version, then on to the other
    window.ask_text = lambda *a: "raise the first band"
    window.browser.itemClicked.emit(other, 0)
    assert window.editor.title == "ec2_region_sla@1"
    versions = history(window.ws, "three_tier_cloud")[1]
    assert [v.reason for v in versions][-1] == "raise the first band"

    type_into_cell(qtbot, window.editor.schedule, 0, 1, "7")
    window.ask_unsaved = lambda *a: "discard"
    back = next(
        i for i in window.browser.items_of("version") if i.parent().text(0) == "three_tier_cloud"
    )
    window.browser.itemClicked.emit(back, 0)
    assert window.editor.title.startswith("three_tier_cloud@")


def test_closing_the_window_with_unsaved_edits_asks_first(qtbot, make_window):
    window = make_window()
    type_into_cell(qtbot, window.editor.schedule, 0, 1, "15")
    window.ask_unsaved = lambda *a: "cancel"
    window.close()
    assert window.isVisible() and window.editor.document.dirty
    window.ask_unsaved = lambda *a: "save"
    window.ask_text = lambda *a: None  # the reason is not given: the edits stay, so does the window
    window.close()
    assert window.isVisible() and window.editor.document.dirty


def test_an_added_maintenance_window_is_one_change_with_its_whole_text_in_the_tooltip(
    qtbot, make_window
):
    window = make_window()
    editor = window.editor
    editor.sections.setCurrentIndex(1)  # Exclusions
    qtbot.mouseClick(editor.exclusions.windows.add, Qt.MouseButton.LeftButton)
    bar = editor.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    diff = editor.diff
    assert diff.isVisible() and diff.table.rowCount() == 1
    row = [diff.table.item(0, c).text() for c in range(4)]
    assert row == ["Maintenance window 2 added", "", "every Sunday 02:00, 240 min", row[3]]
    assert row[3] == "maintenance window added"
    assert diff.summary.text().startswith("1 change(s); 1 weaken")
    whole = (
        "Maintenance window 2 added\nTo: every Sunday 02:00, 240 min\n"
        "Weakens a commitment: maintenance window added"
    )
    assert all(diff.table.item(0, c).toolTip() == whole for c in range(4))
    assert diff.detail.isVisible() and diff.detail.text() == whole
