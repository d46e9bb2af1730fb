"""The Simulation view's Layers tab, driven as a user would: type a retention and a limit, add
the layer, read the figures; they are the engine's for the series shown and follow it."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt

from slamodeler.domain.layers import Layer
from slamodeler.engine.exposure import exposures
from slamodeler.engine.layers import layer_figures
from slamodeler.engine.simulation import simulate
from slamodeler.gui.results.layers_panel import NO_TRIALS
from slamodeler.gui.results.method_choice import EXACT
from tests.helpers.cli import run
from tests.helpers.gui_editing import open_version
from tests.helpers.gui_runs import pick, run_simulation, scenario_of
from tests.helpers.paths import SAMPLES


def type_amount(qtbot, box, text: str) -> None:
    box.selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Tab)


def row_texts(table, row: int) -> list[str]:
    return [table.item(row, c).text() for c in range(table.columnCount())]


def test_a_layer_typed_in_shows_the_engines_figures_for_the_series(qtbot, make_window):
    window = make_window()
    view = window.simulation
    panel = view.layer_panel
    assert panel.note.text() == NO_TRIALS and not panel.add_button.isEnabled()
    run_simulation(qtbot, window, 2000, seed=7)
    view.charts.setCurrentWidget(panel)
    view.shown.setCurrentIndex(view.shown.count() - 1)  # the portfolio
    type_amount(qtbot, panel.retention, "300000")
    type_amount(qtbot, panel.limit, "100000")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.unlimited, Qt.MouseButton.LeftButton)
    assert not panel.limit.isEnabled()
    type_amount(qtbot, panel.retention, "400000")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)

    found = exposures(simulate(window.current_contract(), scenario_of(window), 2000, 7))
    portfolio = found[-1].paid
    first = layer_figures(portfolio, Layer(300_000, 100_000))
    assert 0 < first.p_attach < 1  # a layer inside the distribution: the figures mean something
    assert row_texts(panel.table, 0) == [
        "100,000 xs 300,000",
        f"{first.expected:,.2f} ± {first.expected_se:,.2f} USD",
        f"{first.p_attach:.2%} ± {first.p_attach_se:.2%}",
        f"{first.p_exhaust:.2%} ± {first.p_exhaust_se:.2%}",
    ]
    top = layer_figures(portfolio, Layer(400_000, math.inf))
    assert row_texts(panel.table, 1)[0] == "unlimited xs 400,000"
    assert row_texts(panel.table, 1)[3] == "never"
    assert row_texts(panel.table, 1)[1].startswith(f"{top.expected:,.2f} ±")
    assert "portfolio's credits" in panel.note.text() and "2,000 trials" in panel.note.text()

    view.shown.setCurrentIndex(0)  # Bronze: the same layers over its trials
    bronze = layer_figures(found[0].paid, Layer(300_000, 100_000))
    assert row_texts(panel.table, 0)[1].startswith(f"{bronze.expected:,.2f} ±")
    assert "Bronze's credits" in panel.note.text()

    panel.table.setCurrentCell(0, 0)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert panel.table.rowCount() == 1 and row_texts(panel.table, 0)[0] == "unlimited xs 400,000"


def test_after_an_exact_run_the_layers_tab_asks_for_trials(qtbot, make_window, tmp_path, capsys):
    path = tmp_path / "exact.slamws"
    for argv in (
        ("ws", "init"),
        ("ws", "import-contract", SAMPLES / "ec2_region_sla.yaml"),
        ("ws", "import-scenario", SAMPLES / "exact" / "platform_only.yaml"),
    ):
        assert run(capsys, *argv, "--ws", path)[0] == 0
    window = make_window(workspace=path)
    view, panel = window.simulation, window.simulation.layer_panel
    open_version(window, "ec2_region_sla", 1)
    window.tabs.setCurrentWidget(view)
    pick(qtbot, view.scenarios, "platform_only")
    run_simulation(qtbot, window, 500)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert panel.table.rowCount() == 1
    pick(qtbot, view.method, EXACT)
    with qtbot.waitSignal(view.finished, timeout=30_000):
        qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    assert panel.note.text() == NO_TRIALS
    assert panel.table.rowCount() == 0 and not panel.add_button.isEnabled()
