"""Runs and the workspace browser: a replay or simulation made in the window is stored as
`ws replay`/`ws simulate` store it (unless its terms are no saved version's), listed under Runs,
opened again from the browser, rerun from its context menu, and its workbook exported."""

from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from slamodeler.gui.results.simulation_view import money
from slamodeler.services.runs import replay_stored, rerun, simulate_stored
from slamodeler.services.workspaces import verify
from tests.helpers.gui_editing import type_into_cell
from tests.helpers.gui_runs import run_replay, run_simulation, table_rows


def run_items(window) -> dict[str, str]:
    """The Runs group of the browser: name -> kind (its Status column)."""
    return {item.text(0): item.text(1) for item in window.browser.items_of("run")}


def run_item(window, run_id: int):
    (item,) = [i for i in window.browser.items_of("run") if i.text(0) == f"run {run_id}"]
    return item


def menu_action(window, run_id: int, name: str):
    menu = window.browser.run_menu(run_item(window, run_id))
    (action,) = [a for a in menu.actions() if a.objectName() == name]
    return action


def test_runs_made_in_the_window_are_stored_listed_and_verified(qtbot, make_window):
    window = make_window()
    assert verify(window.ws).checked["runs"] == 0
    run_replay(qtbot, window)
    assert "Stored as run 1." in window.replay.status.text()
    window.simulation.years.setValue(2)  # not the scenario's own horizon: kept with the run
    view = run_simulation(qtbot, window, 2000, seed=3)
    assert "Stored as run 2." in view.status.text()

    assert run_items(window) == {"run 1": "replay", "run 2": "simulate"}
    assert "replay three_tier_cloud@1 on incidents_sample" in run_item(window, 1).toolTip(0)
    assert verify(window.ws).checked["runs"] == 2
    stored = window.ws.run(2)
    assert (stored.trials, stored.seed, json.loads(stored.options)) == (
        2000,
        3,
        {"years": 2, "start": "2027-01"},
    )
    for run_id in (1, 2):  # as `ws rerun` runs them: the same, digit for digit
        assert rerun(window.ws, run_id, "tester").same
    assert window.browser.currentItem().text(0) == "version 1"  # the browser kept its selection


def test_a_run_of_unsaved_edits_is_shown_but_not_stored(qtbot, make_window):
    window = make_window()
    type_into_cell(qtbot, window.editor.schedule, 0, 1, "20")  # Bronze band 1: 10% -> 20%
    run_replay(qtbot, window)
    april = next(
        r
        for r in range(window.replay.table.rowCount())
        if window.replay.table.item(r, 0).text() == "2024-04"
    )
    assert window.replay.table.item(april, 6).text() == "300.00"  # the edited terms are shown
    reason = "Not stored: the contract has unsaved edits; save a version to keep runs."
    assert reason in window.replay.status.text()
    view = run_simulation(qtbot, window, 1000)
    assert reason in view.status.text()
    assert run_items(window) == {}
    assert window.ws.runs() == []

    window.editor.document.undo_stack.undo()  # back to the version's terms: stored again
    run_replay(qtbot, window)
    assert "Stored as run 1." in window.replay.status.text()


def test_a_cancelled_simulation_is_not_stored(qtbot, make_window):
    window = make_window()
    view = window.simulation
    window.tabs.setCurrentWidget(view)
    view.trials.setValue(1_000_000)  # the most over one year
    with qtbot.waitSignal(view.finished, timeout=30_000):
        qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: view.progress.value() > 0, timeout=10_000)
        qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    assert view.partial
    assert "Not stored: the simulation was cancelled" in view.status.text()
    assert window.ws.runs() == [] and run_items(window) == {}


def test_a_run_in_a_read_only_workspace_is_shown_and_says_it_is_not_stored(qtbot, held_elsewhere):
    window, release = held_elsewhere
    run_replay(qtbot, window)
    assert window.replay.table.rowCount() == 13
    assert "Not stored: the workspace is open read-only" in window.replay.status.text()
    release()
    assert window.ws.runs() == []


def test_a_stored_simulation_opens_from_the_browser_with_its_stored_figures(qtbot, make_window):
    window = make_window()
    stored = simulate_stored(
        window.ws, "three_tier_cloud", "baseline", "tester", trials=1500, seed=9, years=2
    )
    window.browser.load(window.ws)
    item = run_item(window, stored.run.id)
    browser = window.browser
    browser.scrollToItem(item)
    at = browser.visualItemRect(item).center()
    with qtbot.waitSignal(window.stored_runs.opened, timeout=30_000):
        QTest.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=at)  # as a user's
        QTest.mouseDClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=at)  # first click
    view = window.simulation
    assert window.tabs.currentWidget() is view
    data = json.loads(stored.run.result)
    rows = table_rows(view)
    expected = [*data["tiers"], {"tier": "portfolio", **data["portfolio"]}]
    assert [row[0] for row in rows] == [t["tier"] for t in expected]
    assert [row[2] for row in rows] == [money(t["mean"]) for t in expected]  # the means
    assert [row[7] for row in rows] == [money(t["p99"]) for t in expected]
    status = view.status.text()
    assert f"three_tier_cloud@1 (stored run {stored.run.id})" in status
    assert f"Stored run {stored.run.id}, computed again from its stored inputs." in status
    assert "1,500 trials (seed 9)" in status
    assert not view.export_button.isEnabled()  # not the editor's terms: exported from the browser


def test_a_stored_replay_opens_from_its_context_menu(qtbot, make_window):
    window = make_window()
    stored = replay_stored(window.ws, "three_tier_cloud", "incidents_sample", "tester")
    window.browser.load(window.ws)
    with qtbot.waitSignal(window.replay.finished, timeout=30_000):
        menu_action(window, stored.run.id, "openRun").trigger()
    assert window.tabs.currentWidget() is window.replay
    bronze = json.loads(stored.run.result)["tiers"][0]
    table = window.replay.table
    assert window.replay.tier.currentText() == "Bronze"
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == [
        p["period"] for p in bronze["periods"]
    ]
    assert [table.item(r, 7).text() for r in range(table.rowCount())] == [
        f"{Decimal(p['credit_after_caps']):,}" for p in bronze["periods"]
    ]
    assert f"Stored run {stored.run.id}" in window.replay.status.text()


def test_rerun_from_the_context_menu_reports_the_same_result(qtbot, make_window):
    window = make_window()
    run_replay(qtbot, window)
    status = window.statusBar()
    menu_action(window, 1, "rerunRun").trigger()
    qtbot.waitUntil(lambda: "run again" in status.currentMessage(), timeout=30_000)
    message = status.currentMessage()
    assert message.startswith("Run 1 (replay three_tier_cloud@1 on incidents_sample) run again")
    assert "the same result as stored, digit for digit" in message
    entries = [e for e in window.ws.audit_entries() if e.action == "rerun"]
    assert entries and entries[-1].data["same"] is True


def test_a_stored_runs_context_menu_exports_its_workbook(qtbot, make_window, tmp_path):
    window = make_window()
    stored = replay_stored(window.ws, "three_tier_cloud", "incidents_sample", "tester")
    window.browser.load(window.ws)
    item = run_item(window, stored.run.id)
    assert "right-click to rerun it or export its workbook" in item.toolTip(0)

    target = tmp_path / "from-the-browser"
    window.run_exporter.ask_path = lambda suggested: str(target) + ".xlsx"
    action = menu_action(window, stored.run.id, "exportRun")
    assert action.text() == f"Export the workbook of run {stored.run.id}…"
    action.trigger()
    written = target.with_suffix(".xlsx")
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage() == f"Wrote {written}", timeout=30000
    )
    book = openpyxl.load_workbook(written, read_only=True)
    assert "Replay" in book.sheetnames
    book.close()

    assert window.browser.run_menu(window.browser.items_of("version")[0]) is None
