"""The Simulation view's start month and horizon, aligned to the contract's periods with a note;
a scenario made by "Use as scenario" chosen there at once, the fit's caveats kept in view."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.helpers.gui_editing import open_version
from tests.helpers.gui_runs import run_fit, run_simulation


def type_start(qtbot, view, month: str) -> None:
    """Type a month into the start box as a user would: select what is there, type the digits."""
    box = view.start
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, month.replace("-", ""))
    assert box.text() == month


def set_years(qtbot, view, years: int) -> None:
    view.years.setFocus()
    view.years.lineEdit().selectAll()
    qtbot.keyClicks(view.years, str(years))
    qtbot.keyClick(view.years, Qt.Key.Key_Tab)


def test_start_and_horizon_typed_are_the_periods_simulated(qtbot, make_window):
    window = make_window()
    view = window.simulation
    window.tabs.setCurrentWidget(view)
    type_start(qtbot, view, "2028-03")
    set_years(qtbot, view, 2)
    assert view.start_note.isHidden()  # a monthly contract starts in any month
    run_simulation(qtbot, window, 500)
    assert "2028-03 to 2030-02" in view.status.text()
    assert (view.run_result.scenario.start, view.run_result.scenario.years) == ("2028-03", 2)


def test_a_quarterly_contract_moves_the_start_and_says_so(qtbot, make_window):
    window = make_window()
    view = window.simulation
    window.tabs.setCurrentWidget(view)
    type_start(qtbot, view, "2026-09")
    assert view.start_note.isHidden()
    open_version(window, "quarterly_collaboration", 1)
    window.tabs.setCurrentWidget(view)
    note = "Start moved from 2026-09 to 2026-10: the contract measures calendar quarters"
    assert view.start_note.isVisible() and view.start_note.text() == note
    run_simulation(qtbot, window, 500)
    assert "2026-Q4 to 2027-Q3" in view.status.text()
    assert "Start moved" not in view.status.text()  # its own label says it, once
    type_start(qtbot, view, "2027-01")  # the first month of a quarter: nothing moves
    assert view.start_note.isHidden()


def test_use_as_scenario_chooses_it_for_simulation_and_keeps_the_caveats(qtbot, make_window):
    window = make_window()
    view = run_fit(qtbot, window)
    caveats = view.caveats.text()
    assert view.caveats.isVisible() and "Caveat: the first (2024-01)" in caveats
    assert caveats.startswith("Scope: what the history hit")
    view.ask_text = lambda *a: "fitted-2024"
    qtbot.mouseClick(view.use_button, Qt.MouseButton.LeftButton)
    assert window.simulation.scenarios.currentText() == "fitted-2024"
    assert view.caveats.isVisible() and view.caveats.text() == caveats  # still there
    assert "Stored as scenario fitted-2024" in view.status.text()
    stored = window.ws.scenario_of(window.ws.scenario("fitted-2024"))
    assert "Caveat: the first (2024-01)" in stored.description
    assert window.simulation.start_month() == stored.start == "2025-01"
