"""The Simulation view's method chooser, driven as a user would: Exact is offered only where the
contract and scenario allow it (else disabled, the engine's reason its tooltip), and its result
fills the same table with the exact method's figures."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import Qt

from slamodeler.engine.exact import exact, refusal
from slamodeler.gui.results.method_choice import EXACT, MONTE_CARLO
from slamodeler.gui.results.simulation_view import stat_cells
from tests.helpers.cli import run
from tests.helpers.gui_editing import open_version
from tests.helpers.gui_runs import items, pick, run_simulation, scenario_of, table_rows
from tests.helpers.paths import SAMPLES


def exact_enabled(view) -> bool:
    return bool(view.method.model().item(1).isEnabled())


def ec2_workspace(tmp_path, capsys):
    """A workspace with the EC2-style contract, the one-process scenario and the two-process
    baseline."""
    path = tmp_path / "exact.slamws"
    for argv in (
        ("ws", "init"),
        ("ws", "import-contract", SAMPLES / "ec2_region_sla.yaml"),
        ("ws", "import-scenario", SAMPLES / "exact" / "platform_only.yaml"),
        ("ws", "import-scenario", SAMPLES / "scenarios" / "baseline.yaml"),
    ):
        code, _, err = run(capsys, *argv, "--ws", path)
        assert code == 0, err
    return path


def test_exact_is_disabled_with_the_engines_reason_where_it_cannot_compute(qtbot, make_window):
    window = make_window()
    view = window.simulation
    window.tabs.setCurrentWidget(view)
    assert items(view.method) == [MONTE_CARLO, EXACT]
    reason = refusal(window.current_contract(), scenario_of(window))
    assert reason and not exact_enabled(view)
    assert view.method.toolTip() == f"Exact is not available: {reason}"
    assert view.method.itemData(1, Qt.ItemDataRole.ToolTipRole) == view.method.toolTip()
    view.method.showPopup()  # a click on the disabled entry chooses nothing
    popup = view.method.view()
    qtbot.waitUntil(popup.isVisible)
    index = view.method.model().index(1, 0)
    qtbot.mouseClick(
        popup.viewport(), Qt.MouseButton.LeftButton, pos=popup.visualRect(index).center()
    )
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not popup.isVisible())
    assert view.method.currentText() == MONTE_CARLO


def test_an_exact_run_fills_the_table_with_the_computed_figures(
    qtbot, make_window, tmp_path, capsys
):
    window = make_window(workspace=ec2_workspace(tmp_path, capsys))
    view = window.simulation
    open_version(window, "ec2_region_sla", 1)
    window.tabs.setCurrentWidget(view)
    pick(qtbot, view.scenarios, "platform_only")
    assert exact_enabled(view) and "not available" not in view.method.toolTip()
    pick(qtbot, view.method, EXACT)
    with qtbot.waitSignal(view.finished, timeout=30_000):
        qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    computed = exact(window.current_contract(), scenario_of(window))
    expected = [stat_cells(e) for e in computed.exposures]
    for row in expected:
        row[1] = "exact"
    assert table_rows(view) == expected
    assert "computed by the exact method (no trials" in view.status.text()
    assert view.run_button.isEnabled() and view.export_button.isEnabled()
    out = tmp_path / "exact.xlsx"
    window.results_exporter.ask_path = lambda suggested: str(out)
    with qtbot.waitSignal(window.results_exporter.exported, timeout=30_000):
        qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    book = openpyxl.load_workbook(out)
    assert str(book["Exposure"]["A1"].value).startswith("Computed exposure")
    fees = view.charts.indexOf(view.fees)  # solved on trials: none here
    assert not view.charts.isTabEnabled(fees)
    assert "run Monte Carlo" in view.charts.tabToolTip(fees)
    pick(qtbot, view.scenarios, "baseline")  # two processes: Exact is withdrawn
    assert not exact_enabled(view) and view.method.currentText() == MONTE_CARLO
    assert "one process" in view.method.toolTip()
    run_simulation(qtbot, window, 2000)  # Monte Carlo again: trials counted, fees offered
    assert [row[1] for row in table_rows(view)] == ["2,000", "2,000"]
    assert view.charts.isTabEnabled(fees) and "computed" not in view.status.text()


def test_a_stored_exact_run_opens_in_the_same_table(qtbot, make_window, tmp_path, capsys):
    path = ec2_workspace(tmp_path, capsys)
    args = ("simulate", "ec2_region_sla@1", "--ws", path, "--scenario", "platform_only")
    code, _, err = run(capsys, *args, "--method", "exact")
    assert code == 0, err
    window = make_window(workspace=path)
    (item,) = [i for i in window.browser.items_of("run") if i.text(0) == "run 1"]
    (action,) = [a for a in window.browser.run_menu(item).actions() if a.objectName() == "openRun"]
    with qtbot.waitSignal(window.stored_runs.opened, timeout=30_000):
        action.trigger()
    view = window.simulation
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is view)
    assert [row[:3] for row in table_rows(view)] == [
        ["Region", "exact", "146,433.99"],
        ["portfolio", "exact", "146,433.99"],
    ]
    assert "ec2_region_sla@1 (stored run 1)" in view.status.text()
    assert "computed by the exact method" in view.status.text()
