"""The Simulation view's fees chooser, driven as a user would: none, a fee set stored in the
workspace, or a fee file, applied to the editor's contract when it simulates, when it re-prices
the last run, by the exact method and in the export. Bronze's fee doubled (1,500 -> 3,000) in
every month of the horizon doubles each of its trials' credits: its mean, P95 and P99 shown are
twice those before, and a fee of 0 pays nothing."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from slamodeler.gui.results.method_choice import EXACT
from slamodeler.gui.results.simulation_view import COLUMNS, money
from slamodeler.services.incident_sets import import_scenario
from slamodeler.services.run_input_sets import add_fees
from slamodeler.services.versions import import_contract
from slamodeler.services.workspaces import init_workspace, open_workspace
from tests.helpers.gui_editing import open_version
from tests.helpers.gui_runs import items, pick, run_simulation, table_rows
from tests.helpers.paths import SAMPLES

YEAR = [f"2027-{m:02d}" for m in range(1, 13)]  # the baseline scenario's horizon


def fee_file(folder, name: str, tier: str, fee: int):
    path = folder / name
    rows = "".join(f"{tier},{month},{fee}\n" for month in YEAR)
    path.write_text("tier,month,fee\n" + rows, encoding="utf-8")
    return path


@pytest.fixture
def fee_window(make_window, gui_home, seeded_workspace, tmp_path):
    """The sample workspace with the fee sets "double" (Bronze at 3,000 in 2027) and
    "platinum" (a tier the contract lacks), three_tier_cloud@1 in the editor."""
    workspace = gui_home / "work.slamws"
    shutil.copy(seeded_workspace, workspace)
    opened = open_workspace(workspace, author="tester")
    add_fees(opened.workspace, fee_file(tmp_path, "double.csv", "Bronze", 3000), "tester")
    add_fees(opened.workspace, fee_file(tmp_path, "platinum.csv", "Platinum", 10), "tester")
    opened.workspace.close()
    window = make_window(workspace=workspace)
    open_version(window, "three_tier_cloud", 1)
    return window


def bronze(view) -> list[str]:
    return next(row for row in table_rows(view) if row[0] == "Bronze")


def tail(row: list[str]) -> list[str]:
    """The mean, P95 and P99 cells of a row."""
    return [row[COLUMNS.index(name)] for name in ("Mean", "P95", "P99")]


def doubled(view, before) -> list[str]:
    """Bronze's mean, P95 and P99 cells as they must read with its fee doubled."""
    e = next(e for e in before if e.name == "Bronze")
    return [money(2 * e.mean), money(2 * e.quantiles["p95"]), money(2 * e.quantiles["p99"])]


def test_a_fee_set_reprices_the_last_run_and_a_run_stores_it(qtbot, fee_window):
    window, view = fee_window, fee_window.simulation
    assert items(view.fee_choice.sets) == ["none", "fee set double", "fee set platinum", "a file…"]
    assert view.fee_choice.sets.currentText() == "none"
    run_simulation(qtbot, window, 4000, seed=7)
    first, shown = view.run_result, bronze(view)
    before = view.stats
    with qtbot.waitSignal(view.repriced, timeout=10_000):
        pick(qtbot, view.fee_choice.sets, "fee set double")
    assert view.fee_choice.sets.currentText() == "fee set double"
    assert "Fees of single months from fee set double." in view.status.text()
    assert view.run_result.measured is first.measured  # re-priced, not simulated again
    assert tail(bronze(view)) == doubled(view, before)  # mean, P95, P99
    assert bronze(view)[2] != shown[2]
    with qtbot.waitSignal(view.repriced, timeout=10_000):
        qtbot.mouseClick(view.fee_choice.clear_button, Qt.MouseButton.LeftButton)
    assert bronze(view) == shown and view.fee_choice.sets.currentText() == "none"
    assert "Fees of single months" not in view.status.text()

    pick(qtbot, view.fee_choice.sets, "fee set double")
    run_simulation(qtbot, window, 4000, seed=7)
    assert tail(bronze(view)) == doubled(view, before)
    assert "Stored as run 2." in view.status.text()
    options = json.loads(window.ws.run(2).options)
    assert options["fees"] == {
        "set": "double",
        "sha256": window.ws.fee_set("double").content_hash,
    }


def test_fees_that_do_not_fit_the_contract_are_said(qtbot, fee_window):
    window, view = fee_window, fee_window.simulation
    run_simulation(qtbot, window, 2000, seed=3)
    shown = table_rows(view)
    pick(qtbot, view.fee_choice.sets, "fee set platinum")
    assert "The fees chosen do not fit the contract (fee set platinum: row 2, tier: no tier " \
        "named 'Platinum'" in view.status.text()  # fmt: skip
    assert table_rows(view) == shown  # the last figures stay
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    dialog = window.errors.last
    assert "fee set platinum: row 2, tier: no tier named 'Platinum'" in dialog.text()
    dialog.close()


def test_a_fee_file_applies_to_the_exact_method_and_its_export(
    qtbot, monkeypatch, make_window, gui_home, tmp_path
):
    """The EC2-style Region tier (25,000 a month) under the one-process scenario, by the exact
    method: a fee file setting its 2027 fees to 0 makes every figure 0 (no fee, no credit); one
    doubling them doubles the mean; the workbook exported is of the priced terms."""
    workspace = gui_home / "exact.slamws"
    opened = init_workspace(workspace, "tester")
    import_contract(opened.workspace, SAMPLES / "ec2_region_sla.yaml", "tester")
    import_scenario(opened.workspace, SAMPLES / "exact" / "platform_only.yaml", "tester")
    opened.workspace.close()
    window = make_window(workspace=workspace)
    view = window.simulation
    open_version(window, "ec2_region_sla", 1)
    window.tabs.setCurrentWidget(view)
    pick(qtbot, view.scenarios, "platform_only")
    pick(qtbot, view.method, EXACT)

    def compute() -> list[str]:
        with qtbot.waitSignal(view.finished, timeout=30_000):
            qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
        return next(row for row in table_rows(view) if row[0] == "Region")

    plain = compute()
    mean = view.stats[0].mean
    assert mean > 0
    free = fee_file(tmp_path, "free.csv", "Region", 0)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(free), ""))
    qtbot.mouseClick(view.fee_choice.choose_button, Qt.MouseButton.LeftButton)
    assert view.fee_choice.sets.currentText() == "free.csv"
    assert "the fees changed since: press Run" in view.status.text()
    assert not view.export_button.isEnabled()  # the figures shown are not of these fees
    assert compute()[2:6] == ["0.00"] * 4  # mean, std err, P50, P90
    assert view.export_button.isEnabled()

    double = fee_file(tmp_path, "double.csv", "Region", 50_000)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(double), ""))
    qtbot.mouseClick(view.fee_choice.choose_button, Qt.MouseButton.LeftButton)
    assert compute()[2] == money(2 * mean) != plain[2]
    out = tmp_path / "exact.xlsx"
    window.results_exporter.ask_path = lambda suggested: str(out)
    with qtbot.waitSignal(window.results_exporter.exported, timeout=30_000):
        qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    sheet = openpyxl.load_workbook(out)["Exposure"]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert pytest.approx(2 * mean) in [v for v in values if isinstance(v, float)]
