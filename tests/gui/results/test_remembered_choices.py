"""The fee and ticket choices are remembered per workspace: a user chooses the Simulation view's
fee set and the Replay view's ticket set and fee file, closes the window, reopens the workspace
and finds them chosen again; another workspace keeps its own; a set or file no longer there
leaves none chosen, with a note saying which, and no error."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from slamodeler.services.run_input_sets import add_fees, add_tickets
from slamodeler.services.workspaces import open_workspace
from tests.helpers.gui_runs import pick
from tests.helpers.support_contract import TICKETS, march_fees


@pytest.fixture
def workspace(gui_home, seeded_workspace, tmp_path):
    """The sample workspace with the fee set "march" and the ticket set "desk"."""
    path = gui_home / "work.slamws"
    shutil.copy(seeded_workspace, path)
    opened = open_workspace(path, author="tester")
    add_fees(opened.workspace, march_fees(tmp_path), "tester", "march")
    add_tickets(opened.workspace, TICKETS, "tester", "desk")
    opened.workspace.close()
    return path


def shown(window) -> tuple[str, str, str]:
    """What the three drop-downs show: Simulation's fees, Replay's tickets and fees."""
    replay = window.replay.inputs
    return (
        window.simulation.fee_choice.sets.currentText(),
        replay.tickets.sets.currentText(),
        replay.fees.sets.currentText(),
    )


def test_the_choices_come_back_with_the_workspace(
    qtbot, monkeypatch, make_window, workspace, tmp_path
):
    window = make_window(workspace=workspace)
    assert shown(window) == ("none", "none", "none")
    window.tabs.setCurrentWidget(window.simulation)
    pick(qtbot, window.simulation.fee_choice.sets, "fee set march")
    window.tabs.setCurrentWidget(window.replay)
    pick(qtbot, window.replay.inputs.tickets.sets, "ticket set desk")
    fees = tmp_path / "fees.csv"  # march_fees wrote it
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(fees), ""))
    qtbot.mouseClick(window.replay.inputs.fees.choose_button, Qt.MouseButton.LeftButton)
    assert shown(window) == ("fee set march", "ticket set desk", "fees.csv")
    window.close()

    again = make_window(workspace=workspace)
    assert shown(again) == ("fee set march", "ticket set desk", "fees.csv")
    assert again.replay.inputs.note.text() == "(8 ticket(s), 1 row(s) with a note)"
    again.tabs.setCurrentWidget(again.simulation)
    assert not again.simulation.fee_choice.lost.isVisible()

    other = tmp_path / "other.slamws"  # its own choices: none yet, and march is not there
    shutil.copy(again.ws.path, other)
    again.close()
    window = make_window(workspace=other)
    pick(qtbot, window.simulation.fee_choice.sets, "none")
    window.open_workspace(workspace)
    assert shown(window) == ("fee set march", "ticket set desk", "fees.csv")
    window.open_workspace(other)
    assert window.simulation.fee_choice.sets.currentText() == "none"


def test_a_set_or_file_no_longer_there_is_let_go_with_a_note(
    qtbot, monkeypatch, make_window, workspace, seeded_workspace, tmp_path
):
    window = make_window(workspace=workspace)
    window.tabs.setCurrentWidget(window.simulation)
    pick(qtbot, window.simulation.fee_choice.sets, "fee set march")
    fees = tmp_path / "fees.csv"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(fees), ""))
    qtbot.mouseClick(window.replay.inputs.fees.choose_button, Qt.MouseButton.LeftButton)
    window.close()
    shutil.copy(seeded_workspace, workspace)  # the workspace file replaced: no fee set march
    fees.unlink()

    again = make_window(workspace=workspace)
    assert shown(again) == ("none", "none", "none")
    again.tabs.setCurrentWidget(again.simulation)
    lost = again.simulation.fee_choice.lost
    assert lost.isVisible()
    assert lost.text() == "(fee set march is not in work.slamws: none chosen)"
    assert again.errors.last is None  # no error dialog
    again.tabs.setCurrentWidget(again.replay)
    lost = again.replay.inputs.fees.lost
    assert lost.isVisible() and lost.text() == "(fees.csv is no longer there: none chosen)"
    pick(qtbot, again.replay.inputs.fees.sets, "none")
    assert not lost.isVisible()  # a choice made: the note goes
    again.close()

    third = make_window(workspace=workspace)  # let go once: nothing to say next time
    assert not third.replay.inputs.fees.lost.isVisible()
    assert shown(third) == ("none", "none", "none")
