"""The replay view's Credit memos… button: disabled until a replay is on view, then saves the
memos of that replay, which add up to the total the view shows."""

from __future__ import annotations

import csv
from decimal import Decimal

from PySide6.QtCore import Qt

from tests.helpers.gui_runs import run_replay


def test_the_credit_memos_of_the_replay_on_view_are_saved(qtbot, make_window, tmp_path):
    window = make_window()
    button = window.replay.memos_button
    assert not button.isEnabled() and button.text() == "Credit memos…"
    run_replay(qtbot, window)
    assert button.isEnabled()
    assert "426,000.00 USD" in window.replay.status.text()
    button.ask_path = lambda suggested: str(tmp_path / "april")  # typed without .csv
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    saved = tmp_path / "april.csv"
    rows = list(csv.DictReader(saved.open(encoding="utf-8")))
    assert sum((Decimal(r["credit"]) for r in rows), Decimal(0)) == Decimal("426000.00")
    assert len(rows) == 740 and rows[0]["customer"] == "Bronze #1"
    assert rows[0]["contract_version"].startswith("three_tier_cloud")
    assert window.replay.status.text() == (f"Wrote 740 credit memo(s), 426,000.00 USD, to {saved}")


def test_memos_into_a_missing_folder_say_so_and_write_nothing(qtbot, make_window, tmp_path):
    window = make_window()
    run_replay(qtbot, window)
    button = window.replay.memos_button
    button.ask_path = lambda suggested: str(tmp_path / "gone" / "memos.csv")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert "does not exist" in window.errors.last.text()
    assert not (tmp_path / "gone").exists()


def test_cancelling_the_save_dialog_writes_nothing(qtbot, make_window, tmp_path):
    window = make_window()
    run_replay(qtbot, window)
    button = window.replay.memos_button
    button.ask_path = lambda suggested: ""
    before = window.replay.status.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.replay.status.text() == before and not list(tmp_path.rglob("*.csv"))
