"""A vendor's SLA in the editor: a user marks the contract received and types which of our
tiers its tiers reach; reaching tiers while the contract is given is refused under the field;
both are undone in one step each."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit

from tests.helpers.gui_editing import choose, type_into


def test_a_user_marks_a_contract_received_and_says_which_tiers_it_reaches(qtbot, make_window):
    window = make_window()
    editor = window.editor
    direction = editor.findChild(QComboBox, "term_direction")
    reaches = editor.findChild(QLineEdit, "term_reaches")
    assert direction.currentText() == "given: we hold it to our customers"
    assert direction.isVisibleTo(window) and reaches.isVisibleTo(window)
    tier = editor.document.contract.tiers[0].name

    type_into(qtbot, reaches, f"{tier}: Gold, Silver")
    assert editor.document.contract is None
    message = reaches.parent().findChildren(type(editor.general.messages["name"]))
    assert any(
        "only a vendor's contract reaches our tiers; set direction: received" in m.text()
        for m in message
    )

    choose(qtbot, direction, "received: a vendor's SLA to us")
    terms = editor.document.contract
    assert terms.direction == "received"
    assert [(r.vendor_tier, r.our_tiers) for r in terms.reaches] == [(tier, ["Gold", "Silver"])]
    assert reaches.text() == f"{tier}: Gold, Silver"

    window.undo_action.trigger()
    assert direction.currentText() == "given: we hold it to our customers"
    window.undo_action.trigger()
    assert reaches.text() == "" and editor.document.contract.reaches == []
