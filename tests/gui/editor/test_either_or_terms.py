"""A user gives a tier a second credit paid instead of its own (the greater of the two), sets
it per hour of downtime with a target of its own, sees a bad target refused under the field,
and takes the clause away again."""

from __future__ import annotations

from decimal import Decimal

from tests.helpers.gui_editing import choose, type_into


def test_a_user_pays_the_greater_of_the_bands_and_an_hourly_credit(qtbot, make_window):
    window = make_window()
    editor = window.editor
    terms = editor.either_or
    assert terms.pick.combo.currentText() == "only the tier's credit"
    assert not terms.per_hour.isVisible() and not terms.name.isVisible()

    choose(qtbot, terms.pick.combo, "the greater of the two")
    clause = editor.document.contract.tiers[0].either_or
    assert clause is not None and clause.pick == "greater"
    assert terms.kind.combo.currentText() == "Per hour of downtime"
    assert terms.per_hour.isVisible() and not terms.multiple.isVisible()

    type_into(qtbot, terms.per_hour.edit, "7.5")
    type_into(qtbot, terms.name.edit, "outage credit")
    type_into(qtbot, terms.target.edit, "120")
    assert "less than or equal to 100" in terms.target.message.text()
    assert not window.save_action.isEnabled()
    type_into(qtbot, terms.target.edit, "99.95")
    assert not terms.target.message.isVisible()
    clause = editor.document.contract.tiers[0].either_or
    assert clause is not None
    assert clause.credits.credit_pct_per_hour == Decimal("7.5")
    assert (clause.name, clause.target_pct) == ("outage credit", Decimal("99.95"))

    choose(qtbot, terms.kind.combo, "Multiple of the fee for the downtime")
    assert terms.multiple.isVisible() and not terms.per_hour.isVisible()
    assert terms.multiple.edit.text() == "10"

    choose(qtbot, terms.pick.combo, "the tier's credit, else the other")
    assert editor.document.contract.tiers[0].either_or.pick == "first"

    choose(qtbot, terms.pick.combo, "only the tier's credit")
    assert editor.document.contract.tiers[0].either_or is None
    assert not terms.multiple.isVisible()
    window.undo_action.trigger()
    assert terms.pick.combo.currentText() == "the tier's credit, else the other"
