"""The claims on the Caps and claims page: the minimum credit rule a user picks is the
contract's, is undone in one step, and is what a replay of the edited terms applies."""

from __future__ import annotations

from slamodeler.gui.editor.terms_caps import CapsAndClaims
from tests.helpers.gui_editing import choose, show_section, type_into


def test_a_user_picks_more_than_the_minimum(qtbot, make_window):
    window = make_window()
    editor = window.editor
    show_section(editor, "Caps and claims")
    caps: CapsAndClaims = editor.caps
    combo = caps.min_credit_rule.combo
    assert combo.currentText() == "at least the minimum"
    assert combo.isVisibleTo(window)

    choose(qtbot, combo, "more than the minimum")
    type_into(qtbot, caps.min_credit.edit, "2")
    claims = editor.document.contract.claims
    assert (claims.min_credit_rule, str(claims.min_credit)) == ("more_than", "2")

    window.undo_action.trigger()
    assert caps.min_credit.edit.text() == "1"
    window.undo_action.trigger()
    assert editor.document.contract.claims.min_credit_rule == "at_least"
    assert combo.currentText() == "at least the minimum"
    window.redo_action.trigger()
    assert combo.currentText() == "more than the minimum"


def test_a_user_gives_the_claim_rate_a_spread(qtbot, make_window):
    window = make_window()
    editor = window.editor
    show_section(editor, "Caps and claims")
    caps: CapsAndClaims = editor.caps
    assert caps.claim_rate_sd.edit.placeholderText() == "fixed"

    type_into(qtbot, caps.claim_rate_sd.edit, "0.49")  # more than a share of mean 0.6 can spread
    assert "sqrt(0.6 x (1 - 0.6)) = 0.4899" in caps.claim_rate_sd.message.text()
    type_into(qtbot, caps.claim_rate_sd.edit, "0.2")
    assert not caps.claim_rate_sd.message.isVisible()
    assert str(editor.document.contract.claims.claim_rate_sd) == "0.2"

    type_into(qtbot, caps.claim_rate_sd.edit, "")
    assert editor.document.contract.claims.claim_rate_sd is None


def test_a_user_sets_a_claim_deadline_and_a_share_made_late(qtbot, make_window):
    window = make_window()
    editor = window.editor
    show_section(editor, "Caps and claims")
    caps: CapsAndClaims = editor.caps
    assert caps.claim_deadline_days.edit.placeholderText() == "none"

    type_into(qtbot, caps.late_share.edit, "0.2")  # a share late, but no deadline to miss
    assert "set claim_deadline_days" in caps.late_share.message.text()
    type_into(qtbot, caps.claim_deadline_days.edit, "30")
    assert not caps.late_share.message.isVisible()
    claims = editor.document.contract.claims
    assert (claims.claim_deadline_days, str(claims.late_share)) == (30, "0.2")

    window.undo_action.trigger()
    assert caps.claim_deadline_days.edit.text() == ""
    assert "set claim_deadline_days" in caps.late_share.message.text()
    window.redo_action.trigger()
    assert caps.claim_deadline_days.edit.text() == "30"
    assert editor.document.contract.claims.claim_deadline_days == 30
