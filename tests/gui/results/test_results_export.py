"""File > Export workbook…: the replay and the simulation on view in one workbook, as `slamodeler
export` writes them; when the contract was edited after the replay, the user chooses which one
to write (a workbook holds one contract's terms)."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from slamodeler.domain.errors import InputError
from slamodeler.gui.results import results_export
from slamodeler.gui.results.simulation_view import RESIMULATE
from slamodeler.services.export import save_workbook
from tests.helpers.gui_editing import type_into_cell
from tests.helpers.gui_runs import run_replay, run_simulation


def sheets_of(path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path, read_only=True)
    found = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    book.close()
    return found


def values(rows: list[tuple]) -> set:
    return {v for row in rows for v in row if v is not None}


def simulated(sheets: dict[str, list[tuple]]) -> bool:
    """Whether the Exposure sheet holds a simulation (else it says there is none)."""
    return not any(
        isinstance(v, str) and v.startswith("No simulation")
        for row in sheets["Exposure"]
        for v in row
    )


def replayed(sheets: dict[str, list[tuple]]) -> bool:
    return not any(
        isinstance(v, str) and v.startswith("No replayed history")
        for row in sheets["Replay"]
        for v in row
    )


def export_from_the_menu(qtbot, window, path) -> None:
    window.results_exporter.ask_path = lambda suggested: str(path)
    with qtbot.waitSignal(window.results_exporter.exported, timeout=30_000):
        window.export_action.trigger()


def test_the_replay_and_the_simulation_go_into_one_workbook(qtbot, make_window, tmp_path):
    window = make_window()
    file_menu = window.menuBar().actions()[0].menu()
    assert window.export_action in file_menu.actions()
    assert window.export_action.shortcut().toString() == "Ctrl+E"
    assert not window.export_action.isEnabled()  # nothing to write yet

    run_replay(qtbot, window)
    assert window.export_action.isEnabled()
    run_simulation(qtbot, window, 2000, seed=5)
    asked = []
    window.results_exporter.ask_path = lambda suggested: (
        asked.append(suggested) or str(tmp_path / "both")
    )
    with qtbot.waitSignal(window.results_exporter.exported, timeout=30_000) as written:
        window.export_action.trigger()
        assert not window.export_action.isEnabled()  # while the workbook is written
    assert window.export_action.isEnabled()
    assert asked == ["exposure-incidents_sample.xlsx"]
    assert written.args == [str(tmp_path / "both.xlsx")]
    assert window.statusBar().currentMessage() == f"Wrote {tmp_path / 'both.xlsx'}"

    sheets = sheets_of(tmp_path / "both.xlsx")
    assert simulated(sheets) and replayed(sheets)
    trials = next(row for row in sheets["Exposure"] if row and row[0] == "Trials")
    assert trials[1:5] == (2000, 2000, 2000, 2000)
    header = next(i for i, r in enumerate(sheets["Replay"]) if "Period" in r and "Tier" in r)
    periods = [r[sheets["Replay"][header].index("Period")] for r in sheets["Replay"][header + 1 :]]
    assert "2024-04" in periods  # the replay's periods, beside the simulation's figures
    summary = {v for row in sheets["Summary"] for v in row if v}
    assert "three_tier_cloud@1 as in the editor when replayed" in summary


def test_after_an_edit_the_user_chooses_replay_or_simulation(qtbot, make_window, tmp_path):
    window = make_window()
    run_replay(qtbot, window)
    view = run_simulation(qtbot, window, 2000, seed=5)
    window.tabs.setCurrentIndex(0)
    with qtbot.waitSignal(view.repriced, timeout=20_000):
        type_into_cell(qtbot, window.editor.schedule, 0, 1, "20")  # the simulation follows
    assert window.replay.replayed.contract != view.run_result.contract

    questions = []
    window.results_exporter.ask_which = lambda *asked: questions.append(asked) or ""
    window.results_exporter.ask_path = lambda suggested: pytest.fail("cancelled: no save dialog")
    window.export_action.trigger()
    assert questions == [(("replay",), True)]  # the replay no longer has the editor's terms

    window.results_exporter.ask_which = lambda *asked: results_export.ask_which(window, *asked)
    seen = []

    def answer() -> None:  # the question as the user sees it, answered "Replay only"
        box = QApplication.activeModalWidget()
        seen.append(box.text() + " " + box.informativeText())
        (button,) = [b for b in box.buttons() if b.text() == "Replay only"]
        button.click()

    QTimer.singleShot(0, answer)
    export_from_the_menu(qtbot, window, tmp_path / "replay.xlsx")
    assert seen == [
        f"{results_export.stale_text(('replay',))} {results_export.BOTH_DIFFER} Or write one of "
        "them now."
    ]
    sheets = sheets_of(tmp_path / "replay.xlsx")
    assert not simulated(sheets) and replayed(sheets)
    assert 0.2 not in values(sheets["Terms"])  # the terms replayed: Bronze's first band at 10%

    window.results_exporter.ask_which = lambda *asked: "simulation"
    export_from_the_menu(qtbot, window, tmp_path / "simulation.xlsx")
    sheets = sheets_of(tmp_path / "simulation.xlsx")
    assert simulated(sheets) and not replayed(sheets)
    assert 0.2 in values(sheets["Terms"])  # the terms simulated (re-priced): 20%


def test_after_a_measurement_edit_the_simulation_is_the_one_to_run_again(qtbot, make_window):
    """A measured edit is not re-priced: replayed afresh, the replay has the editor's terms and
    the simulation the old ones, so the question says to run the simulation again."""
    window = make_window()
    view = run_simulation(qtbot, window, 500, seed=5)
    window.tabs.setCurrentIndex(0)
    type_into_cell(qtbot, window.editor.tiers, 0, 4, "7")  # customers: measured otherwise
    qtbot.waitUntil(lambda: RESIMULATE in view.status.text(), timeout=10_000)
    window.replay.run()
    qtbot.waitUntil(lambda: window.replay.exportable() is not None, timeout=10_000)
    questions = []
    window.results_exporter.ask_which = lambda *asked: questions.append(asked) or ""
    window.export_action.trigger()
    assert questions == [(("simulation",), True)]


def test_nothing_to_write_while_replaying_says_so(qtbot, make_window):
    window = make_window()
    run_replay(qtbot, window)
    assert window.export_action.isEnabled()
    window.replay.run()  # again: the replay on view is being replaced
    assert window.replay.worker.running and not window.export_action.isEnabled()
    window.results_exporter.export()  # as the shortcut would, were the action on
    assert window.statusBar().currentMessage() == "Replaying; export when the replay is done."
    qtbot.waitUntil(window.export_action.isEnabled, timeout=10_000)


def test_a_workbook_refuses_a_replay_and_a_simulation_of_different_terms(
    qtbot, make_window, tmp_path
):
    window = make_window()
    run_replay(qtbot, window)
    view = run_simulation(qtbot, window, 500, seed=5)
    window.tabs.setCurrentIndex(0)
    with qtbot.waitSignal(view.repriced, timeout=20_000):
        type_into_cell(qtbot, window.editor.schedule, 0, 1, "20")
    with pytest.raises(InputError, match="different contract terms"):
        save_workbook(
            tmp_path / "x.xlsx",
            replay=window.replay.replayed,
            simulation=view.run_result,
            exposures=view.stats,
        )
    assert not (tmp_path / "x.xlsx").exists()


def answer_with(qtbot, label: str, seen: list[str]) -> None:
    """Answer the question on screen by clicking ``label``, keeping what it said."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        seen.append(box.text())
        seen.extend(b.text() for b in box.buttons())
        (button,) = [b for b in box.buttons() if b.text() == label]
        button.click()

    QTimer.singleShot(0, answer)


def test_an_edit_after_the_replay_is_said_and_replayed_before_export(qtbot, make_window, tmp_path):
    """Only a replay on view, then an edit: the workbook would show the terms replayed, not the
    ones on screen. The user is told, and "Replay again, then export" writes the edited terms."""
    window = make_window()
    run_replay(qtbot, window)
    window.tabs.setCurrentIndex(0)
    type_into_cell(qtbot, window.editor.schedule, 0, 1, "20")  # Bronze's first band: 10 -> 20%
    assert window.replay.replayed.contract != window.current_contract()
    seen: list[str] = []
    answer_with(qtbot, "Replay again, then export", seen)
    window.results_exporter.ask_path = lambda suggested: str(tmp_path / "again.xlsx")
    with qtbot.waitSignal(window.results_exporter.exported, timeout=30_000):
        qtbot.mouseClick(window.replay.export_button, Qt.MouseButton.LeftButton)
    assert seen[0] == results_export.stale_text(("replay",))
    assert "Export as computed" in seen and "Cancel" in seen
    assert window.replay.replayed.contract == window.current_contract()
    assert 0.2 in values(sheets_of(tmp_path / "again.xlsx")["Terms"])  # the terms on screen


def test_an_edit_after_the_replay_can_be_exported_as_replayed_or_cancelled(
    qtbot, make_window, tmp_path
):
    window = make_window()
    run_replay(qtbot, window)
    window.tabs.setCurrentIndex(0)
    type_into_cell(qtbot, window.editor.schedule, 0, 1, "20")
    answer_with(qtbot, "Cancel", [])
    window.results_exporter.ask_path = lambda suggested: pytest.fail("cancelled: no save dialog")
    window.export_action.trigger()
    qtbot.wait(50)
    answer_with(qtbot, "Export as computed", [])
    window.results_exporter.ask_path = lambda suggested: str(tmp_path / "as-replayed.xlsx")
    with qtbot.waitSignal(window.results_exporter.exported, timeout=30_000):
        window.export_action.trigger()
    terms = values(sheets_of(tmp_path / "as-replayed.xlsx")["Terms"])
    assert 0.2 not in terms and 0.1 in terms  # as replayed, at the user's word


def test_a_measurement_edit_after_a_simulation_offers_to_simulate_again(
    qtbot, make_window, tmp_path
):
    window = make_window()
    view = run_simulation(qtbot, window, 500, seed=5)
    window.tabs.setCurrentIndex(0)
    type_into_cell(qtbot, window.editor.tiers, 0, 4, "7")  # customers: measured otherwise
    qtbot.waitUntil(lambda: RESIMULATE in view.status.text(), timeout=10_000)
    seen: list[str] = []
    answer_with(qtbot, "Simulate again, then export", seen)
    window.results_exporter.ask_path = lambda suggested: str(tmp_path / "sim.xlsx")
    with qtbot.waitSignal(window.results_exporter.exported, timeout=60_000):
        qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert seen[0] == results_export.stale_text(("simulation",))
    assert view.run_result.contract == window.current_contract()
    assert view.run_result.contract.tiers[0].customers == 7
