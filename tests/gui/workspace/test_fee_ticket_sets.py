"""Fee sets and ticket sets in the desktop, as a user adds and uses them: File > Add fee file…
and the browser's Ticket sets menu store a file under the name typed; the browser lists each set
with who added it; the replay's choosers offer them, and a replay on the stored ticket set and
fee set shows Bronze's 2024-03 credit of 12% of 3,000 = 360.00 (tests/helpers/support_contract.py)
and is stored naming both sets. A fee file with a bad row is refused naming it; nothing is
added."""

from __future__ import annotations

import json
import shutil

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog

from slamodeler.services.versions import import_contract
from slamodeler.services.workspaces import open_workspace
from tests.helpers.gui_editing import open_version
from tests.helpers.gui_runs import items, pick, run_replay
from tests.helpers.support_contract import TICKETS, march_fees, support_contract


@pytest.fixture
def support_window(make_window, gui_home, seeded_workspace, tmp_path):
    workspace = gui_home / "work.slamws"
    shutil.copy(seeded_workspace, workspace)
    opened = open_workspace(workspace, author="tester")
    import_contract(opened.workspace, support_contract(tmp_path), "tester")
    opened.workspace.close()
    window = make_window(workspace=workspace)
    open_version(window, "support_cloud", 1)
    return window


def answer(monkeypatch, path, name: str) -> None:
    """The file dialog answers ``path``, the name dialog ``name``."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (name, True))


def group(browser, title: str):
    return next(g for g in browser.top_level_items() if g.text(0) == title)


def test_sets_are_added_listed_and_replayed(qtbot, monkeypatch, support_window, tmp_path):
    window = support_window
    browser = window.browser
    assert [g.text(0) for g in browser.top_level_items()] == [
        "Contracts", "Incident sets", "Scenarios", "Fee sets", "Ticket sets", "Runs"
    ]  # fmt: skip
    answer(monkeypatch, march_fees(tmp_path), "march")
    window.add_fees_action.trigger()
    (item,) = browser.items_of("fee_set")
    assert (item.text(0), item.text(1)) == ("march", "1 fee")
    assert f"added by {window.author}" in item.toolTip(0)
    assert browser.currentItem() is item

    answer(monkeypatch, TICKETS, "march-tickets")
    (action,) = browser.add_menu(group(browser, "Ticket sets")).actions()
    assert action.text() == "Add a ticket export…"
    action.trigger()
    (item,) = browser.items_of("ticket_set")
    assert (item.text(0), item.text(1)) == ("march-tickets", "8 tickets")
    assert "1 row(s) used, note: first_response: no first response" in item.toolTip(0)
    assert browser.add_menu(item).actions()[0].objectName() == "addTickets"
    assert browser.add_menu(group(browser, "Runs")) is None

    inputs = window.replay.inputs
    assert items(inputs.fees.sets) == ["none", "fee set march", "a file…"]
    assert window.simulation.fee_choice.sets.findText("fee set march") > 0
    pick(qtbot, inputs.tickets.sets, "ticket set march-tickets")
    assert inputs.note.text() == "(8 ticket(s), 1 row(s) with a note)"
    pick(qtbot, inputs.fees.sets, "fee set march")
    view = window.replay
    view.tier.setCurrentIndex(view.tier.findText("Bronze"))
    run_replay(qtbot, window)
    table = view.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "2024-03")
    assert [table.item(row, c).text() for c in (5, 6)] == ["12.00", "360.00"]
    assert "Stored as run 1." in view.status.text()
    options = json.loads(window.ws.run(1).options)
    assert options["fees"]["set"] == "march" and options["tickets"]["set"] == "march-tickets"
    browser.load(window.ws)
    (run,) = [i for i in browser.items_of("run") if i.text(0) == "run 1"]
    assert "with ticket set march-tickets and fee set march" in run.toolTip(0)


def test_a_fee_file_with_a_bad_row_is_refused_and_nothing_added(
    qtbot, monkeypatch, support_window, tmp_path
):
    window = support_window
    bad = tmp_path / "bad.csv"
    bad.write_text("tier,month,fee\nBronze,2024-03,1500\nBronze,March,1600\n", encoding="utf-8")
    answer(monkeypatch, bad, "bad")
    (action,) = window.browser.add_menu(group(window.browser, "Fee sets")).actions()
    action.trigger()
    dialog = window.errors.last
    assert dialog.text().startswith("Could not add the fee file: ")
    assert "bad.csv: row 3, month: 'March' is not a calendar month" in dialog.text()
    dialog.close()
    assert window.browser.items_of("fee_set") == []
    answer(monkeypatch, march_fees(tmp_path), "bad key!")
    window.add_fees_action.trigger()
    assert "fee set name 'bad key!'" in window.errors.last.text()
    window.errors.last.close()
    assert window.browser.items_of("fee_set") == []


def test_a_ticket_export_with_other_columns_is_added_with_a_mapping(
    qtbot, monkeypatch, support_window, tmp_path
):
    """The help desk's names for the columns: the mapping asked for reads them (cancelled:
    the refusal names the columns, and nothing is added)."""
    window = support_window
    desk = tmp_path / "desk.csv"
    lines = TICKETS.read_text(encoding="utf-8").splitlines(keepends=True)
    desk.write_text("Ticket #,Urgency,Logged,Answered\n" + "".join(lines[1:]), encoding="utf-8")
    mapping = tmp_path / "desk.yaml"
    mapping.write_text(
        "columns: {id: 'Ticket #', priority: Urgency, opened: Logged, first_response: Answered}\n",
        encoding="utf-8",
    )
    answers = iter([str(desk), ""])  # the export, then the mapping dialog cancelled
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (next(answers), ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("desk", True))
    window.add_tickets_action.trigger()
    assert "desk.csv: no opened or first_response column" in window.errors.last.text()
    window.errors.last.close()
    assert window.browser.items_of("ticket_set") == []
    titles = []

    def dialog(parent, title, *rest):
        titles.append(title)
        return (str(desk) if len(titles) == 1 else str(mapping)), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", dialog)
    window.add_tickets_action.trigger()
    assert titles[1] == "desk.csv has no opened or first_response column: choose a ticket mapping"
    (item,) = window.browser.items_of("ticket_set")
    assert (item.text(0), item.text(1)) == ("desk", "8 tickets")
