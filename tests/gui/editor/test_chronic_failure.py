"""The chronic-failure clause on the Caps and claims page, set as a user types it; the simulation
view then shows the termination right's probability and the revenue at risk."""

from __future__ import annotations

from slamodeler.domain.chronic_failure import ChronicFailure
from slamodeler.engine.exposure import exposures
from slamodeler.engine.simulation import simulate
from slamodeler.gui.results.simulation_view import CHRONIC_COLUMNS, COLUMNS, stat_cells
from tests.helpers.gui_editing import show_section, type_into
from tests.helpers.gui_runs import run_simulation, scenario_of, table_rows


def headers(table) -> list[str]:
    return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]


def test_a_user_sets_the_clause_and_sees_the_termination_right_in_the_simulation(
    qtbot, make_window
):
    window = make_window()
    editor = window.editor
    show_section(editor, "Caps and claims")
    chronic = editor.caps.chronic
    assert chronic.missed.edit.text() == "" and editor.document.contract.chronic_failure is None

    type_into(qtbot, chronic.missed.edit, "4")
    type_into(qtbot, chronic.of.edit, "3")  # four misses cannot fit in three periods
    assert "at most `of`" in chronic.missed.message.text()
    assert not window.save_action.isEnabled()  # a clause that cannot hold blocks saving
    type_into(qtbot, chronic.of.edit, "6")
    assert editor.document.contract.chronic_failure == ChronicFailure(missed=4, of=6)
    assert window.save_action.isEnabled()

    view = run_simulation(qtbot, window, 1000, seed=3)
    assert headers(view.table) == COLUMNS + CHRONIC_COLUMNS
    expected = exposures(simulate(window.current_contract(), scenario_of(window), 1000, 3))
    assert table_rows(view) == [stat_cells(e, chronic=True) for e in expected]
    assert expected[-1].p_termination_right > 0  # the sample's Gold misses most months

    while editor.document.undo_stack.canUndo():
        window.undo_action.trigger()
    assert editor.document.contract.chronic_failure is None
    assert chronic.missed.edit.text() == "" and chronic.of.edit.text() == ""
    run_simulation(qtbot, window, 1000, seed=3)
    assert headers(view.table) == COLUMNS
