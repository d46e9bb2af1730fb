"""A user gives a tier fees that vary by month and credits on a share of the fee on its scope
and caps page, sees a month written wrongly refused under the field, and takes the fees away."""

from __future__ import annotations

from decimal import Decimal

from tests.helpers.gui_editing import type_into


def test_a_user_sets_the_fees_of_single_months_and_the_affected_share(qtbot, make_window):
    window = make_window()
    editor = window.editor
    terms = editor.tier_terms
    assert terms.monthly_fees.edit.placeholderText() == "every month: the monthly fee"

    type_into(qtbot, terms.monthly_fees.edit, "2025-13: 5100")
    assert "YYYY-MM" in terms.monthly_fees.message.text()
    assert not window.save_action.isEnabled()

    type_into(qtbot, terms.monthly_fees.edit, "2025-03: 5100, 2025-04: 4800.50")
    assert not terms.monthly_fees.message.isVisible()
    type_into(qtbot, terms.affected_share.edit, "0.6")
    tier = editor.document.contract.tiers[0]
    assert tier.monthly_fees == {"2025-03": Decimal("5100"), "2025-04": Decimal("4800.50")}
    assert tier.affected_share == Decimal("0.6")
    assert terms.monthly_fees.edit.text() == "2025-03: 5100, 2025-04: 4800.50"

    type_into(qtbot, terms.affected_share.edit, "60")
    assert "less than or equal to 1" in terms.affected_share.message.text()
    type_into(qtbot, terms.affected_share.edit, "")
    type_into(qtbot, terms.monthly_fees.edit, "")
    tier = editor.document.contract.tiers[0]
    assert (tier.monthly_fees, tier.affected_share) == ({}, Decimal(1))
    window.undo_action.trigger()
    assert terms.monthly_fees.edit.text() == "2025-03: 5100, 2025-04: 4800.50"
