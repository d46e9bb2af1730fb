"""Analysis > Reconcile a dispute…: a user picks our stored incidents and the customer's claim
(tests/helpers/dispute_sets.py), reconciles them in the background, and reads the periods in
dispute and exactly the incidents that explain them; the workbook with the Dispute sheet is
the answer to export."""

from __future__ import annotations

import shutil

import openpyxl
from PySide6.QtCore import Qt

from slamodeler.services.incident_sets import import_incidents
from slamodeler.services.workspaces import open_workspace
from tests.helpers.dispute_sets import DISPUTED, write_claim
from tests.helpers.gui_editing import choose


def _window_with_claim(make_window, gui_home, seeded_workspace):
    path = gui_home / "work.slamws"
    shutil.copy(seeded_workspace, path)
    opened = open_workspace(path)
    try:
        import_incidents(opened.workspace, write_claim(gui_home), "tester", key="claim")
    finally:
        opened.workspace.close()
    return make_window()


def _reconciled(qtbot, window):
    action = window.dispute_action
    assert action.isEnabled()
    action.trigger()
    dialog = window.dispute_dialog
    qtbot.waitExposed(dialog)
    choose(qtbot, dialog.ours, "incidents_sample")
    choose(qtbot, dialog.theirs, "claim")
    qtbot.mouseClick(dialog.run, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.found is not None, timeout=30_000)
    return dialog


def _cells(table, row: int) -> list[str]:
    return [table.item(row, c).text() for c in range(table.columnCount())]


def _listed(dialog) -> list[str]:
    return [dialog.incidents.item(i).text() for i in range(dialog.incidents.count())]


def test_the_dialog_names_exactly_the_incidents_that_differ(
    qtbot, make_window, gui_home, seeded_workspace, tmp_path
):
    window = _window_with_claim(make_window, gui_home, seeded_workspace)
    dialog = _reconciled(qtbot, window)
    assert dialog.explained.text() == "Incidents the two sets record differently:"
    assert {line.split(": ")[0] for line in _listed(dialog)} == set(DISPUTED)
    status = dialog.status.text()
    assert "3 incident(s) recorded differently, 9 period row(s) in dispute" in status
    assert "Silver +400.00" in status
    rows = {tuple(_cells(dialog.table, r)[:2]): r for r in range(dialog.table.rowCount())}
    silver = rows["Silver", "2024-03"]
    assert _cells(dialog.table, silver)[2:] == ["10", "130", "+120", "0.00", "400.00", "+400.00"]
    dialog.table.selectRow(silver)
    assert dialog.explained.text() == "Incidents that explain Silver 2024-03:"
    assert _listed(dialog) == ["CLAIM-7 (row 15): only theirs; ours none, theirs 120 min"]
    dialog.table.selectRow(rows["Gold", "2024-01"])
    assert _listed(dialog) == [
        "INC-1001 (row 2): differs in end (matched by id); ours 57 min, theirs 177 min"
    ]
    assert dialog.export.isEnabled()
    dialog.export.ask_path = lambda suggested: str(tmp_path / suggested)
    with qtbot.waitSignal(dialog.export.exported, timeout=30_000):
        qtbot.mouseClick(dialog.export, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "Wrote dispute.xlsx"
    assert openpyxl.load_workbook(tmp_path / "dispute.xlsx").sheetnames[1] == "Dispute"
    dialog.close()


def test_the_same_set_twice_is_refused_in_the_dialog(qtbot, make_window):
    window = make_window()
    window.dispute_action.trigger()
    dialog = window.dispute_dialog
    qtbot.waitExposed(dialog)
    choose(qtbot, dialog.theirs, dialog.ours.currentText())
    qtbot.mouseClick(dialog.run, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "Not reconciled: choose two different incident sets."
    assert dialog.found is None and not dialog.export.isEnabled()
    dialog.close()
