"""The Simulation view asks the simulation session: its boxes start at the domain's limits and
default, and it offers a re-price after an edit exactly when the session says it may."""

from __future__ import annotations

from slamodeler.gui.results.simulation_view import RESIMULATE
from slamodeler.services import simulation_session
from slamodeler.services.simulation_session import DEFAULT_TRIALS, MAX_SCENARIO_YEARS
from tests.helpers.gui_editing import type_into_cell
from tests.helpers.gui_runs import run_simulation, table_rows


def test_the_trials_box_starts_at_the_one_default_and_years_stop_at_the_scenario_limit(
    make_window,
):
    view = make_window().simulation
    assert view.trials.value() == DEFAULT_TRIALS == 10_000
    assert view.years.maximum() == MAX_SCENARIO_YEARS


def test_the_re_price_offer_follows_the_session_s_answer(qtbot, make_window, monkeypatch):
    window = make_window()
    view = run_simulation(qtbot, window, 2000, seed=5)
    before = table_rows(view)
    asked = []

    def refuses(run, contract):
        asked.append(contract)
        return "the session says these terms need a new run"

    monkeypatch.setattr(simulation_session, "can_reprice", refuses)
    window.tabs.setCurrentIndex(0)
    type_into_cell(qtbot, window.editor.schedule, 0, 1, "20")  # band 1: 10% -> 20%: credit only
    assert asked and asked[-1] == window.current_contract()
    text = view.status.text()
    assert f"The session says these terms need a new run: {RESIMULATE}." in text
    assert not view.repricer.busy and table_rows(view) == before  # nothing re-priced

    monkeypatch.setattr(simulation_session, "can_reprice", lambda run, contract: "")
    with qtbot.waitSignal(view.repriced, timeout=10_000):
        type_into_cell(qtbot, window.editor.schedule, 0, 1, "25")
    assert RESIMULATE not in view.status.text()
    assert table_rows(view) != before
