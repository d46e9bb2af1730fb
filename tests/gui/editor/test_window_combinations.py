"""Terms that a measured window once refused, set together as a user would: service hours with
a rolling or claim window, and fees by month with a claim window. The editor keeps both and
shows no problem (the contract can say them: docs/measurement.md, sections 4a and 9a)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from slamodeler.domain.contract import Window
from tests.helpers.gui_editing import choose, show_section, type_into


def no_problem_shown(window) -> bool:
    editor = window.editor
    return not editor.problems_area.isVisibleTo(editor) and window.save_action.isEnabled()


def test_a_user_measures_service_hours_over_a_window(qtbot, make_window):
    window = make_window()
    editor = window.editor
    show_section(editor, "Measurement")
    QTest.mouseClick(editor.measurement.in_service_hours, Qt.MouseButton.LeftButton)
    period = editor.measurement.period_terms
    for kind, shown in (("rolling", "days before its end (rolling)"),
                        ("claim", "days before each claim")):  # fmt: skip
        choose(qtbot, period.window.combo, shown)
        measurement = editor.document.contract.measurement
        assert measurement.window == Window(kind=kind, days=measurement.window.days)
        assert measurement.service_hours is not None
        assert editor.measurement.in_service_hours.isChecked()
        assert no_problem_shown(window), editor.problems.text()


def test_a_user_gives_fees_by_month_to_a_claim_window(qtbot, make_window):
    window = make_window()
    editor = window.editor
    type_into(qtbot, editor.tier_terms.monthly_fees.edit, "2025-02: 1200, 2025-03: 1500")
    show_section(editor, "Measurement")
    choose(qtbot, editor.measurement.period_terms.window.combo, "days before each claim")
    contract = editor.document.contract
    assert contract.measurement.window is not None and contract.measurement.window.kind == "claim"
    assert contract.tiers[0].monthly_fees == {"2025-02": Decimal(1200), "2025-03": Decimal(1500)}
    assert editor.tier_terms.monthly_fees.message.isHidden()
    assert no_problem_shown(window), editor.problems.text()
