"""Stored runs in the workspace browser: their context menu writes the run's exposure workbook,
recomputed from what was stored, off the GUI thread."""

from __future__ import annotations

import openpyxl

from slamodeler.services.workspace import replay_stored


def test_a_stored_runs_context_menu_exports_its_workbook(qtbot, make_window, tmp_path):
    window = make_window()
    stored = replay_stored(window.ws, "three_tier_cloud", "incidents_sample", "tester")
    window.browser.load(window.ws)
    (item,) = [i for i in window.browser.items_of("run") if i.text(0) == f"run {stored.run.id}"]
    assert "Right-click to export" in item.toolTip(0)

    target = tmp_path / "from-the-browser"
    window.run_exporter.ask_path = lambda suggested: str(target) + ".xlsx"
    menu = window.browser.run_menu(item)
    (action,) = menu.actions()
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
