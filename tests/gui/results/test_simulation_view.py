"""The simulation view, driven as a user would: run, cancel, stay responsive, re-price live after
an edit; the numbers are the engine's for the same seed."""

from __future__ import annotations

import re
import time

from PySide6.QtCore import Qt

from slamodeler.engine.exposure import exposures
from slamodeler.engine.simulation import reprice, simulate
from slamodeler.gui.results.simulation_view import RESIMULATE, stat_cells
from tests.helpers.gui_editing import type_into_cell
from tests.helpers.gui_responsiveness import assert_responsive, gui_thread_gaps
from tests.helpers.gui_runs import run_simulation, scenario_of, start, table_rows


def marker_lines(view):
    """The mean, P95 and P99 lines of the histogram (the caps' lines are the dotted ones)."""
    items = view.chart.getPlotItem().items
    return [i for i in items if type(i).__name__ == "InfiniteLine" and "cap" not in i.label.format]


def test_a_run_shows_the_engines_statistics_and_histogram(qtbot, make_window):
    window = make_window()
    view = window.simulation
    assert view.scenarios.count() >= 1 and view.trials.value() == 10_000  # DEFAULT_TRIALS
    run_simulation(qtbot, window, 4000, seed=7)
    assert window.errors.last is None or not window.errors.last.isVisible()
    expected = exposures(simulate(window.current_contract(), scenario_of(window), 4000, 7))
    assert table_rows(view) == [stat_cells(e) for e in expected]
    assert table_rows(view)[-1][0] == "portfolio"
    assert not view.partial and "Partial" not in view.status.text()
    assert view.progress.value() == 4000
    lines = marker_lines(view)
    shown = expected[view.shown.currentIndex()]
    assert sorted(line.value() for line in lines) == sorted(
        [shown.mean, shown.quantiles["p95"], shown.quantiles["p99"]]
    )
    view.shown.setCurrentIndex(view.shown.count() - 1)  # the portfolio
    lines = marker_lines(view)
    assert expected[-1].quantiles["p99"] in [line.value() for line in lines]


def test_cancel_stops_promptly_and_shows_a_partial_result(qtbot, make_window):
    window = make_window()
    view = start(qtbot, window, 2_000_000)
    qtbot.waitUntil(lambda: view.progress.value() > 0, timeout=10_000)
    assert re.fullmatch(r"about [\d.]+ (s|min) left", view.eta.text())  # a number, not "estimating"
    with qtbot.waitSignal(view.finished, timeout=5_000):
        clicked = time.monotonic()
        qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    assert time.monotonic() - clicked < 0.5  # the engine checks between 2,000-trial blocks
    assert view.partial
    run = view.run_result
    assert 0 < run.trials < 2_000_000
    assert "Partial result" in view.status.text()
    assert table_rows(view)[0][1] == f"{run.trials:,}"
    assert view.run_button.isEnabled() and not view.cancel_button.isEnabled()


def test_the_gui_thread_stays_responsive_during_a_long_run(qtbot, make_window):
    window = make_window()
    with gui_thread_gaps() as gaps:
        run_simulation(qtbot, window, 200_000, seed=3)
    assert_responsive(gaps)
    assert window.simulation.run_result.trials == 200_000


def test_an_edited_band_reprices_the_last_run_without_simulating(qtbot, make_window):
    window = make_window()
    view = run_simulation(qtbot, window, 4000, seed=11)
    first = view.run_result
    before = table_rows(view)
    window.tabs.setCurrentIndex(0)  # back to the editor
    with qtbot.waitSignal(view.repriced, timeout=5_000):
        type_into_cell(qtbot, window.editor.schedule, 0, 1, "20")  # band 1: 10% -> 20%
    assert view.run_result.measured is first.measured  # not simulated again
    expected = exposures(reprice(first, window.current_contract()))
    assert table_rows(view) == [stat_cells(e) for e in expected]
    assert table_rows(view) != before


def test_a_measurement_change_asks_for_a_new_simulation(qtbot, make_window):
    window = make_window()
    view = run_simulation(qtbot, window, 2000, seed=5)
    before = table_rows(view)
    window.tabs.setCurrentIndex(0)
    type_into_cell(qtbot, window.editor.tiers, 0, 4, "7")  # customers: measured otherwise
    assert RESIMULATE in view.status.text()
    assert table_rows(view) == before
