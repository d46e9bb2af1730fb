"""A user replays with a support ticket export and a fee file chosen beside the incident set:
the period table and explanation show the ticket credits, the fee file changes the money, each
file is cleared with its × and remembered for the next session; a ticket export the replay
would refuse is reported and not taken. The numbers are the CLI's (`slamodeler replay
CONTRACT incidents_sample.csv --tickets tickets_sample.csv [--fees FEES] --tier Bronze`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from slamodeler.services.versions import import_contract
from slamodeler.services.workspaces import open_workspace
from tests.helpers.gui_editing import open_version
from tests.helpers.gui_runs import run_replay
from tests.helpers.support_contract import TICKETS, march_fees, support_contract


@pytest.fixture
def support_window(make_window, gui_home, seeded_workspace, tmp_path):
    """The sample workspace with three_tier_cloud's Bronze given response targets, stored as
    a contract of its own and open in the editor."""
    workspace = gui_home / "work.slamws"
    shutil.copy(seeded_workspace, workspace)
    contract = support_contract(tmp_path)
    opened = open_workspace(workspace, author="tester")
    import_contract(opened.workspace, contract, "tester")
    opened.workspace.close()

    def make():
        window = make_window(workspace=workspace)
        open_version(window, "support_cloud", 1)
        return window

    return make


def pick(qtbot, monkeypatch, button, path: Path | str) -> None:
    """Press the chooser's button; the file dialog answers ``path`` ('' = cancelled)."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def march(window) -> list[str]:
    """Bronze's 2024-03 row as shown, after selecting it."""
    view = window.replay
    view.tier.setCurrentIndex(view.tier.findText("Bronze"))
    table = view.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "2024-03")
    table.setCurrentCell(row, 0)
    return [table.item(row, c).text() for c in range(table.columnCount())]


def test_ticket_credits_and_a_fee_file_in_the_replay(qtbot, monkeypatch, support_window, tmp_path):
    window = support_window()
    inputs = window.replay.inputs
    assert inputs.tickets.shown.text() == "none" and not inputs.tickets.clear_button.isEnabled()
    run_replay(qtbot, window)
    assert march(window)[5:7] == ["0.00", "0.00"]  # no tickets: March met, no credit

    pick(qtbot, monkeypatch, inputs.tickets.choose_button, TICKETS)
    assert inputs.tickets.shown.text() == "tickets_sample.csv"
    assert inputs.note.text() == "(8 ticket(s), 1 row(s) with a note)"
    assert "no first response" in inputs.note.toolTip()
    stale = window.replay.stale
    assert stale.isVisible()  # the replay shown read no tickets
    assert stale.text().startswith("The ticket export or fee file chosen is not the one")
    run_replay(qtbot, window)
    assert not stale.isVisible()
    cells = march(window)
    assert cells[5:7] == ["12.00", "180.00"]  # 5% + 2% + 5% of the 1,500 fee
    assert cells[9] == "no band hit + support: 3 response(s) late"
    assert "Stored as run 2." in window.replay.status.text()  # the version's terms: kept
    text = window.replay.explanation.toPlainText()
    assert "3 of 6 ticket(s) missed their response target: +12% of the fee" in text
    assert "T-102 (row 3) P1 (within 15 min): answered in 45 min, 30 min late: 5%" in text
    assert "T-107 (row 8) P1 (within 15 min): no response by the end of the replay" in text

    fees = march_fees(tmp_path)
    pick(qtbot, monkeypatch, inputs.fees.choose_button, fees)
    assert inputs.fees.shown.text() == "fees.csv"
    run_replay(qtbot, window)
    assert march(window)[5:7] == ["12.00", "360.00"]  # 12% of March's 3,000
    assert not window.replay.stale.isVisible()  # the fees are not an edit of the contract

    qtbot.mouseClick(inputs.fees.clear_button, Qt.MouseButton.LeftButton)
    assert inputs.fees.shown.text() == "none" and window.replay.stale.isVisible()
    run_replay(qtbot, window)
    assert march(window)[5:7] == ["12.00", "180.00"]


def test_the_files_are_remembered_and_cleared(qtbot, monkeypatch, support_window, tmp_path):
    window = support_window()
    inputs = window.replay.inputs
    pick(qtbot, monkeypatch, inputs.tickets.choose_button, TICKETS)
    fees = march_fees(tmp_path)
    pick(qtbot, monkeypatch, inputs.fees.choose_button, fees)
    window.close()

    again = support_window().replay.inputs
    assert again.tickets.shown.text() == "tickets_sample.csv"
    assert again.fees.shown.text() == "fees.csv"
    qtbot.mouseClick(again.tickets.clear_button, Qt.MouseButton.LeftButton)
    assert again.tickets.shown.text() == "none" and again.note.text() == ""
    pick(qtbot, monkeypatch, again.fees.choose_button, "")  # cancelled: the file stays
    assert again.fees.shown.text() == "fees.csv"


def test_a_ticket_export_the_replay_would_refuse_is_not_taken(
    qtbot, monkeypatch, support_window, tmp_path
):
    window = support_window()
    inputs = window.replay.inputs
    bad = tmp_path / "bad_tickets.csv"
    bad.write_text(
        "ticket,priority,opened,first_response\nT-1,P1,yesterday,2024-03-04T09:12:00Z\n",
        encoding="utf-8",
    )
    pick(qtbot, monkeypatch, inputs.tickets.choose_button, bad)
    dialog = window.errors.last
    assert dialog.text().startswith("Could not read the ticket export: ")
    said = dialog.informativeText()
    assert "opened: 'yesterday' is not a date and time" in said and "(rows 2)" in said
    assert said.endswith("Fix those rows in the export and choose it again.")
    dialog.close()
    assert inputs.tickets.shown.text() == "none" and inputs.tickets.path is None

    bad.write_text("who,when\nT-1,2024-03-04T09:12:00Z\n", encoding="utf-8")
    pick(qtbot, monkeypatch, inputs.tickets.choose_button, bad)
    assert window.errors.last.text() == (
        "Could not read the ticket export: bad_tickets.csv has no priority or opened or "
        "first_response column: name the export's columns ticket, priority, opened, "
        "first_response and choose it again. Its header: who, when"
    )
    window.errors.last.close()
    assert inputs.tickets.path is None


def test_a_fee_file_naming_another_tier_is_reported(qtbot, monkeypatch, support_window, tmp_path):
    window = support_window()
    fees = tmp_path / "fees.csv"
    fees.write_text("tier,month,fee\nPlatinum,2024-03,3000\n", encoding="utf-8")
    pick(qtbot, monkeypatch, window.replay.inputs.fees.choose_button, fees)
    run_replay(qtbot, window)
    text = window.errors.last.text()
    assert "row 2, tier: no tier named 'Platinum'" in text
    window.errors.last.close()


def test_a_stored_run_with_files_opens_with_their_credits(
    qtbot, monkeypatch, support_window, tmp_path
):
    """Run 1 read the tickets and a fee file; opened from the browser with neither chosen, it
    shows their credits, and the note says the choice differs."""
    window = support_window()
    inputs = window.replay.inputs
    pick(qtbot, monkeypatch, inputs.tickets.choose_button, TICKETS)
    pick(qtbot, monkeypatch, inputs.fees.choose_button, march_fees(tmp_path))
    run_replay(qtbot, window)
    assert "Stored as run 1." in window.replay.status.text()
    qtbot.mouseClick(inputs.tickets.clear_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(inputs.fees.clear_button, Qt.MouseButton.LeftButton)
    window.browser.load(window.ws)
    (item,) = [i for i in window.browser.items_of("run") if i.text(0) == "run 1"]
    assert "with tickets_sample.csv and fees.csv" in item.toolTip(0)
    (action,) = [a for a in window.browser.run_menu(item).actions() if a.objectName() == "openRun"]
    with qtbot.waitSignal(window.replay.finished, timeout=30_000):
        action.trigger()
    assert march(window)[5:7] == ["12.00", "360.00"]
    assert "T-102 (row 3)" in window.replay.explanation.toPlainText()
    assert window.replay.stale.text().startswith("The ticket export or fee file chosen is not")
    assert window.replay.stale.isVisible()
