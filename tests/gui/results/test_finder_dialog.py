"""Analysis > Find a term: a user picks a term of the contract in the editor, a statistic and a
budget, runs the search in the background, reads the answer with its uncertainty and sees the
statistic against the term with the budget line; a search can be cancelled, and a budget no
value meets is explained in the dialog."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import Qt

from tests.helpers.gui_editing import choose, show_section, type_into


def _open(qtbot, window):
    action = window.find_term_action
    assert action.isEnabled()
    action.trigger()
    dialog = window.finder_dialog
    qtbot.waitExposed(dialog)
    return dialog


def _ask(qtbot, dialog, term: str, statistic: str, of: str, budget: str, trials: str):
    choose(qtbot, dialog.term, term)
    choose(qtbot, dialog.statistic, statistic)
    choose(qtbot, dialog.tier, of)
    dialog.budget.lineEdit().selectAll()
    qtbot.keyClicks(dialog.budget, budget)
    choose(qtbot, dialog.scenario, "baseline")
    dialog.trials.lineEdit().selectAll()
    qtbot.keyClicks(dialog.trials, trials)
    qtbot.mouseClick(dialog.run, Qt.MouseButton.LeftButton)


def test_the_break_even_fee_is_found_with_its_interval_and_chart(qtbot, make_window, tmp_path):
    window = make_window()
    dialog = _open(qtbot, window)
    terms = [dialog.term.itemText(i) for i in range(dialog.term.count())]
    assert "Gold, band 1, credit % (tiers[Gold].credits.bands[0].credit_pct)" in terms
    _ask(qtbot, dialog, "Gold, monthly fee (tiers[Gold].monthly_fee)", "expected margin per year",
         "Gold", "0", "1000")  # fmt: skip
    assert dialog.cancel.isEnabled() or dialog.found is not None
    qtbot.waitUntil(lambda: dialog.found is not None, timeout=60_000)
    assert dialog.run.isEnabled() and not dialog.cancel.isEnabled()
    found = dialog.found
    text = dialog.answer.text()
    assert text.startswith(
        "tiers[Gold].monthly_fee: the lowest value that keeps expected margin per year of tier "
        f"Gold at least 0.00 USD is {found.answer}"
    )
    assert f"Uncertainty of the answer: {found.interval[0]} to {found.interval[1]}" in text
    assert "1,000 trials" in text
    xs, ys = dialog.curve.getOriginalDataset()  # as set: getData clips to the view not yet ranged
    assert list(xs) == sorted(xs) and list(ys) == [p.statistic for p in found.points]
    assert dialog.budget_line.isVisible() and dialog.budget_line.value() == 0
    assert dialog.answer_line.value() == float(found.answer)
    shaded = dialog.uncertainty.getRegion()
    assert dialog.uncertainty.isVisible()
    assert list(shaded) == [float(v) for v in found.interval]
    assert dialog.export.isEnabled()
    dialog.export.ask_path = lambda suggested: str(tmp_path / suggested)
    with qtbot.waitSignal(dialog.export.exported, timeout=30_000):
        qtbot.mouseClick(dialog.export, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "Wrote finder.xlsx"
    assert "Finder" in openpyxl.load_workbook(tmp_path / "finder.xlsx").sheetnames
    dialog.close()


def test_a_budget_no_value_meets_is_explained_and_a_range_is_checked(qtbot, make_window):
    window = make_window()
    dialog = _open(qtbot, window)
    type_into(qtbot, dialog.within, "5")
    _ask(qtbot, dialog, "Gold, band 1, credit % (tiers[Gold].credits.bands[0].credit_pct)",
         "P99 of credits paid per year", "Portfolio", "1", "500")  # fmt: skip
    assert dialog.status.text().startswith("Not found: --within '5': give two numbers")
    type_into(qtbot, dialog.within, "")
    qtbot.mouseClick(dialog.run, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.run.isEnabled(), timeout=60_000)
    status = dialog.status.text()
    assert status.startswith("Not found: tiers[Gold].credits.bands[0].credit_pct: no value in")
    assert "meets the budget 1.00" in status and dialog.found is None
    dialog.close()


def test_a_search_can_be_cancelled(qtbot, make_window):
    window = make_window()
    dialog = _open(qtbot, window)
    _ask(qtbot, dialog, "Gold, monthly fee (tiers[Gold].monthly_fee)", "expected margin per year",
         "Gold", "0", "400000")  # fmt: skip
    assert dialog.cancel.isEnabled()
    qtbot.mouseClick(dialog.cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.run.isEnabled(), timeout=60_000)
    assert dialog.status.text() == "Not found: cancelled." and dialog.found is None
    dialog.close()


def test_the_edits_in_the_editor_are_what_is_searched_and_an_invalid_contract_is_not(
    qtbot, make_window
):
    window = make_window()
    editor = window.editor
    show_section(editor, "Caps and claims")
    chronic = editor.caps.chronic
    type_into(qtbot, chronic.missed.edit, "4")
    type_into(qtbot, chronic.of.edit, "3")  # four misses cannot fit in three periods
    assert not window.find_term_action.isEnabled()
    type_into(qtbot, chronic.of.edit, "6")
    assert window.find_term_action.isEnabled()
    dialog = _open(qtbot, window)
    assert dialog.contract.chronic_failure is not None  # the edit, not the stored version
    terms = [dialog.term.itemText(i) for i in range(dialog.term.count())]
    assert any("(tiers[Bronze].target_pct)" in t for t in terms)
    dialog.close()
