"""A user sets a tier's k-of-n zone rule on its scope page, sees a rule that cannot work refused
under the field, and takes the rule away by emptying the number."""

from __future__ import annotations

from slamodeler.domain.contract import ZoneQuorum
from tests.helpers.gui_editing import type_into


def test_a_user_makes_the_region_down_only_while_two_zones_are(qtbot, make_window):
    window = make_window()
    editor = window.editor
    terms = editor.tier_terms
    assert terms.zones_needed.edit.text() == ""
    assert terms.zones_needed.edit.placeholderText() == "zones do not count"

    type_into(qtbot, terms.zones_of.edit, "use1-az1, use1-az2")
    type_into(qtbot, terms.zones_needed.edit, "3")
    assert "3 of 2 zones can never be down" in terms.zones_needed.message.text()
    assert not window.save_action.isEnabled()

    type_into(qtbot, terms.zones_needed.edit, "2")
    assert not terms.zones_needed.message.isVisible()
    assert editor.document.contract.tiers[0].scope.zones == ZoneQuorum(
        at_least=2, of=["use1-az1", "use1-az2"]
    )
    assert terms.zones_of.edit.text() == "use1-az1, use1-az2"

    type_into(qtbot, terms.zones_needed.edit, "")
    assert editor.document.contract.tiers[0].scope.zones is None
    assert terms.zones_of.edit.text() == ""
    window.undo_action.trigger()
    assert terms.zones_needed.edit.text() == "2"
