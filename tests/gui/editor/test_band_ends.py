"""A band's lower end typed into the schedule table, its inclusion picked from a drop-down: the
gap the text then leaves is warned about beside the schedule, and closes when the end is
included; all of it undoable."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

from tests.helpers.gui_editing import cell, choose_in_cell, type_into_cell

ABOVE, LOWER_END = 4, 5  # columns of the bands table


def test_a_lower_end_that_leaves_a_gap_is_warned_about_until_it_is_included(qtbot, make_window):
    window = make_window()
    editor = window.editor  # Bronze: below 99.5 -> 10%, below 99.0 -> 25%, strictly below
    assert editor.schedule_model.headerData(ABOVE, Qt.Orientation.Horizontal, 0) == (
        "Availability above %"
    )
    assert not editor.band_warnings.isVisible()

    type_into_cell(qtbot, editor.schedule, 0, ABOVE, "99.0")  # "below 99.5 and above 99.0"
    band = editor.document.contract.tiers[0].credits.bands[0]
    assert (band.above, band.lower_end) == (Decimal("99.0"), "excluded")
    assert cell(editor.schedule, 0, LOWER_END) == "excluded"
    assert editor.band_warnings.isVisible()
    assert editor.band_warnings.text() == (
        "Warning: exactly 99.0% misses the target but falls in no band: it earns no credit"
    )

    choose_in_cell(qtbot, editor.schedule, 0, LOWER_END, "included")  # "at or above 99.0"
    assert editor.document.contract.tiers[0].credits.bands[0].lower_end == "included"
    assert not editor.band_warnings.isVisible()

    type_into_cell(qtbot, editor.schedule, 0, ABOVE, "")  # no lower end again
    assert editor.document.contract.tiers[0].credits.bands[0].above is None
    stack = editor.document.undo_stack
    while stack.canUndo():
        window.undo_action.trigger()
    assert not window.isWindowModified()


def test_the_curve_drops_to_zero_in_the_gap_a_lower_end_leaves(qtbot, make_window):
    """Bronze's band 1 "below 99.5% and above 99.2%" and band 2 below 99.0%: the curve a user
    sees pays nothing between 99.2% and 99.0%, and 10% again once the end is cleared."""
    window = make_window()
    editor = window.editor
    type_into_cell(qtbot, editor.schedule, 0, ABOVE, "99.2")
    drawn = list(zip(editor.curve.line.xData, editor.curve.line.yData, strict=True))
    assert (99.2, 10.0) in drawn and (99.2, 0.0) in drawn and (99.0, 0.0) in drawn
    type_into_cell(qtbot, editor.schedule, 0, ABOVE, "")
    drawn = list(zip(editor.curve.line.xData, editor.curve.line.yData, strict=True))
    assert (99.2, 0.0) not in drawn and (99.0, 10.0) in drawn
