"""Compare under scenario, from the Compare versions tab: a user edits a credit, asks what it
costs under a stored scenario, and reads the difference per tier and in all, each change's share
and the histogram of the difference."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import Qt

from tests.helpers.gui_editing import choose, show_section, type_into, type_into_cell


def _rows(table) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def _compare(qtbot, window, trials: str):
    editor = window.editor
    editor.tabs.setCurrentIndex(1)
    diff = editor.diff
    assert diff.under_scenario.isEnabled()
    qtbot.mouseClick(diff.under_scenario, Qt.MouseButton.LeftButton)
    dialog = diff.redline_dialog
    qtbot.waitExposed(dialog)
    choose(qtbot, dialog.scenario, "baseline")
    dialog.trials.lineEdit().selectAll()
    qtbot.keyClicks(dialog.trials, trials)
    qtbot.mouseClick(dialog.run, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=60_000)
    return dialog


def test_an_edited_credit_is_priced_on_the_same_trials(qtbot, make_window):
    window = make_window()
    type_into_cell(qtbot, window.editor.schedule, 0, 1, "20")  # Bronze's first band: 10 -> 20
    show_section(window.editor, "Caps and claims")
    type_into(qtbot, window.editor.caps.claim_rate.edit, "0.5")
    dialog = _compare(qtbot, window, "2000")
    assert dialog.run.isEnabled() and not dialog.cancel.isEnabled()
    status = dialog.status.text()
    assert "the edits in the editor against version 1" in status
    assert "2,000 trials" in status and "re-priced" in status
    rows = _rows(dialog.table)
    assert [r[0] for r in rows] == ["Bronze", "Silver", "Gold", "portfolio"]
    found = dialog.found
    assert rows[3][3] == f"{found.portfolio.mean:,.0f}"
    # a lower claim rate costs less for Silver and Gold in every trial that pays anything
    assert rows[1][3].startswith("-") and rows[1][9] == "0.0%"
    steps = _rows(dialog.steps)
    assert [s[0] for s in steps] == ["Bronze, band 1, credit %: 10 -> 20", "Claim rate: 0.6 -> 0.5"]
    assert float(steps[0][1].replace(",", "")) > 0  # the higher band costs, in the diff's order
    assert dialog.steps_note.text().startswith("Each change's share")
    xs, counts = dialog.bars.getOriginalDataset()  # as set, not as clipped for the view
    assert counts.sum() == 2000 and len(xs) == len(counts) + 1
    dialog.close()


def test_a_comparison_is_exported_with_its_redline_sheet(qtbot, make_window, tmp_path):
    window = make_window()
    type_into_cell(qtbot, window.editor.schedule, 0, 1, "20")
    dialog = _compare(qtbot, window, "500")
    button = dialog.export
    assert button.isEnabled() and button.text() == "Export workbook…"
    button.ask_path = lambda suggested: str(tmp_path / "redline")  # typed without .xlsx
    with qtbot.waitSignal(button.exported, timeout=30_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "Wrote redline.xlsx"
    assert "Redline" in openpyxl.load_workbook(tmp_path / "redline.xlsx").sheetnames
    dialog.close()


def test_the_same_terms_compare_to_zero_in_every_trial(qtbot, make_window):
    window = make_window()
    dialog = _compare(qtbot, window, "500")
    rows = _rows(dialog.table)
    assert all(r[3] == "0" and r[9] == "0.0%" and r[10] == "0.0%" for r in rows)
    assert dialog.steps.rowCount() == 0
    assert dialog.steps_note.text() == "The same terms: they differ by nothing in every trial."
    dialog.close()
