"""The simulation's results, driven as a user would: the horizon, the cap lines, the convergence
and profitability charts, live re-pricing off the GUI thread while the penalty curve is dragged,
the exposure workbook, and copying tables to the clipboard."""

from __future__ import annotations

import threading

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from slamodeler.engine.exposure import exposures
from slamodeler.engine.simulation import reprice, simulate
from slamodeler.gui import simulation_view
from slamodeler.gui.simulation_view import COLUMNS, stat_cells
from slamodeler.gui.table_copy import cell_text
from tests.test_gui_editor import drag_handle, type_into_cell
from tests.test_gui_simulation import run_simulation, scenario_of, table_rows

# The sample contract (three_tier_cloud.yaml): claim rate 0.6, a liability cap of 1,000,000 per
# customer and term (36 months from 2024-01: the sample scenarios' 2027 is all in term 1).
BRONZE_CAPS = {  # per-period 50% of 1,500 a month, 120 customers
    "per-period cap": 1500 * 0.5 * 12 * 120 * 0.6,
    "liability cap": 1_000_000 * 120 * 0.6,
}
SILVER_CAPS_TWO_YEARS = {  # 60 customers; 100% per period; 50% of 12 x 4,000 a contract year
    "per-period cap": 4000 * 24 * 60 * 0.6,
    "yearly cap": 4000 * 12 * 0.5 * 2 * 60 * 0.6,
    "liability cap": 1_000_000 * 60 * 0.6,
}


def lines_of(plot) -> dict[str, float]:
    """The labelled vertical lines of a chart: label text -> position."""
    return {
        i.label.format: i.value()
        for i in plot.getPlotItem().items
        if type(i).__name__ == "InfiniteLine" and i.label is not None
    }


def caps_on(plot) -> dict[str, float]:
    return {
        text.rsplit(" ", 1)[0]: value for text, value in lines_of(plot).items() if "cap" in text
    }


def show_series(view, name: str) -> None:
    view.shown.setCurrentIndex(view.shown.findText(name))


def open_chart(qtbot, view, title: str) -> None:
    """Click the chart's tab: only the tab on screen is drawn."""
    bar = view.charts.tabBar()
    index = next(i for i in range(bar.count()) if bar.tabText(i) == title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert view.charts.currentIndex() == index


def test_the_horizon_starts_as_the_scenarios_and_sets_the_periods_simulated(qtbot, make_window):
    window = make_window()
    view = window.simulation
    scenario = scenario_of(window)
    assert view.years.value() == scenario.years == 1
    view.years.setValue(2)
    run_simulation(qtbot, window, 2000, seed=4)
    run = view.run_result
    assert [p.label for p in run.horizon.periods][::23] == ["2027-01", "2028-12"]
    assert "2027-01 to 2028-12" in view.status.text()
    two_years = scenario.model_copy(update={"years": 2})
    expected = exposures(simulate(window.current_contract(), two_years, 2000, 4))
    assert table_rows(view) == [stat_cells(e) for e in expected]
    # Silver's yearly cap counts twice over two contract years; the liability cap once a term
    show_series(view, "Silver")
    assert caps_on(view.chart) == pytest.approx(SILVER_CAPS_TWO_YEARS)


def test_cap_lines_mean_convergence_and_profitability(qtbot, make_window):
    window = make_window()
    view = run_simulation(qtbot, window, 4000, seed=7)
    stats = exposures(simulate(window.current_contract(), scenario_of(window), 4000, 7))
    bronze, portfolio = stats[0], stats[-1]

    show_series(view, "Bronze")
    assert caps_on(view.chart) == pytest.approx(BRONZE_CAPS)
    assert "per-period cap 648,000" in lines_of(view.chart)
    note = view.charts.caps_note.text()
    assert "liability cap 72,000,000 (beyond the chart)" in note
    assert "per-period cap 648,000 (beyond the chart)" in note  # far above this scenario

    with qtbot.waitSignal(view.repriced, timeout=10_000):  # a cap of 5% a period now bites
        window.editor.document.set_value(("tiers", 0, "caps", "per_period_pct"), "5")
    capped = 1500 * 0.05 * 12 * 120 * 0.6
    assert caps_on(view.chart)["per-period cap"] == pytest.approx(capped)
    assert "per-period cap 64,800;" in view.charts.caps_note.text()  # in view
    assert view.stats[0].quantiles["p99"] <= capped
    low, high = view.chart.getPlotItem().getViewBox().viewRange()[0]
    assert low < capped < high
    window.editor.document.undo_stack.undo()
    qtbot.waitUntil(lambda: view.run_result.contract == window.current_contract())

    show_series(view, "portfolio")  # only caps every tier has: per period and liability
    assert caps_on(view.chart) == pytest.approx(
        {"per-period cap": 648_000 + 1_728_000 + 2_160_000, "liability cap": 123_000_000}
    )

    show_series(view, "Bronze")
    open_chart(qtbot, view, "Convergence")
    curves = {c.name(): c for c in view.charts.convergence.getPlotItem().listDataItems()}
    trials, mean = curves["running mean"].getOriginalDataset()
    assert trials[-1] == 4000 and mean[-1] == pytest.approx(bronze.mean)
    band = [c for c in view.charts.convergence.getPlotItem().items if "FillBetween" in str(c)]
    assert len(band) == 1
    low, high = (c.getOriginalDataset()[1][-1] for c in (band[0].curves[0], band[0].curves[1]))
    assert (low, high) == pytest.approx(
        (bronze.mean - 1.96 * bronze.stderr, bronze.mean + 1.96 * bronze.stderr), rel=1e-4
    )
    assert view.charts.convergence.getPlotItem().titleLabel.text.startswith("Bronze: mean")
    assert portfolio.name == "portfolio"

    open_chart(qtbot, view, "Profitability")
    bars = {
        b.objectName(): list(b.opts["height"])
        for b in view.charts.profitability.getPlotItem().items
        if type(b).__name__ == "BarGraphItem"
    }
    tiers = stats[:-1]
    assert bars["Revenue"][0] == 1500 * 12 * 120 and bars["Cost to serve"][0] == 700 * 12 * 120
    assert bars["Mean credits"] == pytest.approx([e.mean for e in tiers])
    assert bars["Margin"] == pytest.approx([e.revenue - e.cost - e.mean for e in tiers])
    legend = view.charts.profitability.getPlotItem().legend
    assert [label.text for _, label in legend.items] == list(bars)


def test_dragging_a_band_reprices_a_100000_trial_run_off_the_gui_thread(qtbot, make_window):
    window = make_window()
    window.resize(1280, 800)
    view = run_simulation(qtbot, window, 100_000, seed=3)
    first = view.run_result
    assert first.trials == 100_000
    window.tabs.setCurrentIndex(0)
    qtbot.wait(20)
    with qtbot.waitSignal(view.repriced, timeout=20_000):
        drag_handle(qtbot, window.editor, 1, (98.0, 40.0))
    contract = window.current_contract()
    assert (
        contract.tier("Bronze").credits.bands[1].credit_pct
        != first.contract.tier("Bronze").credits.bands[1].credit_pct
    )
    assert view.run_result.measured is first.measured  # not simulated again
    assert view.run_result.contract == contract
    expected = exposures(reprice(first, contract))
    assert table_rows(view) == [stat_cells(e) for e in expected]
    window.tabs.setCurrentWidget(view)  # the charts are drawn when they come into view
    shown = expected[view.shown.currentIndex()]
    assert lines_of(view.chart)[f"P99 {shown.quantiles['p99']:,.0f}"] == shown.quantiles["p99"]
    assert "Re-pricing" not in view.status.text()


def test_a_burst_of_edits_reprices_the_one_in_flight_and_the_last(qtbot, make_window, monkeypatch):
    """A re-price in flight cannot be interrupted: edits made meanwhile replace one another,
    and only the last is priced after it; the GUI keeps taking edits while it runs."""
    window = make_window()
    view = run_simulation(qtbot, window, 2000, seed=5)
    first = view.run_result
    gate, priced = threading.Event(), []

    def held_reprice(run, contract):
        priced.append(contract)
        if len(priced) == 1:
            assert gate.wait(20), "the test never released the first re-price"
        return reprice(run, contract)

    monkeypatch.setattr(simulation_view, "reprice", held_reprice)
    window.tabs.setCurrentIndex(0)
    schedule = window.editor.schedule
    type_into_cell(qtbot, schedule, 0, 1, "11")
    qtbot.waitUntil(lambda: len(priced) == 1, timeout=5_000)
    for credit in ("12", "13", "14"):
        type_into_cell(qtbot, schedule, 0, 1, credit)  # the GUI thread is free meanwhile
    assert "Re-pricing" in view.status.text()
    with qtbot.waitSignal(view.repriced, timeout=10_000):
        gate.set()
    last = window.current_contract()
    assert [c.tier("Bronze").credits.bands[0].credit_pct for c in priced] == [11, 14]
    assert priced[-1] == last
    assert table_rows(view) == [stat_cells(e) for e in exposures(reprice(first, last))]
    assert "Re-pricing" not in view.status.text()


def test_a_measurement_edit_while_repricing_ends_on_resimulate(qtbot, make_window, monkeypatch):
    window = make_window()
    view = run_simulation(qtbot, window, 2000, seed=5)
    gate, priced = threading.Event(), []

    def held_reprice(run, contract):
        priced.append(contract)
        assert gate.wait(20)
        return reprice(run, contract)

    monkeypatch.setattr(simulation_view, "reprice", held_reprice)
    window.tabs.setCurrentIndex(0)
    type_into_cell(qtbot, window.editor.schedule, 0, 1, "11")
    qtbot.waitUntil(lambda: len(priced) == 1, timeout=5_000)
    type_into_cell(qtbot, window.editor.tiers, 0, 4, "7")  # customers: measured otherwise
    gate.set()
    qtbot.waitUntil(lambda: not view.repricer.busy, timeout=10_000)
    qtbot.waitUntil(lambda: simulation_view.RESIMULATE in view.status.text(), timeout=5_000)
    assert len(priced) == 1


def test_export_the_workbook_of_the_result(qtbot, make_window, tmp_path):
    window = make_window()
    view = window.simulation
    assert not view.export_button.isEnabled()  # nothing to export yet
    run_simulation(qtbot, window, 2000, seed=9)
    view.ask_save_path = lambda: str(tmp_path / "exposure")  # the dialog: a name, no suffix
    with qtbot.waitSignal(view.exported, timeout=30_000) as written:
        qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    path = tmp_path / "exposure.xlsx"
    assert written.args == [str(path)] and path.exists()
    assert f"Wrote {path}" in view.status.text()
    book = openpyxl.load_workbook(path)
    assert {"Summary", "Terms", "Exposure", "Profitability"} <= set(book.sheetnames)
    sheet = book["Exposure"]
    trials = next(row for row in sheet.iter_rows(values_only=True) if row and row[0] == "Trials")
    assert trials[1:5] == (2000, 2000, 2000, 2000)

    view.ask_save_path = lambda: str(tmp_path / "missing" / "x.xlsx")
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.export_button.isEnabled(), timeout=10_000)
    box = window.errors.last
    assert box is not None and "missing" in box.text() and "does not exist" in box.text()
    assert "Traceback" not in box.text()


def copy_of(qtbot, table) -> str:
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    return QApplication.clipboard().text()


def test_copying_the_simulation_table(qtbot, make_window):
    window = make_window()
    view = run_simulation(qtbot, window, 2000, seed=2)
    view.table.clearSelection()
    whole = copy_of(qtbot, view.table).splitlines()
    assert whole[0].split("\t") == COLUMNS
    shown = table_rows(view)
    assert [line.split("\t") for line in whole[1:]] == [
        [cell.replace(",", "") if cell[:1].isdigit() else cell for cell in row] for row in shown
    ]
    assert float(whole[1].split("\t")[2]) == pytest.approx(view.stats[0].mean, abs=0.005)

    rect = view.table.visualRect(view.table.model().index(2, 0))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    selected = copy_of(qtbot, view.table).splitlines()
    assert selected == [whole[0], whole[3]]  # the header and the Gold row
    menu = [a.text() for a in view.table.actions()]
    assert menu == ["Copy"]
    assert view.table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu


def test_copying_the_replay_and_editor_tables(qtbot, make_window):
    window = make_window()
    type_into_cell(qtbot, window.editor.tiers, 0, 2, "1234.5")  # Bronze's fee
    tiers = window.editor.tiers
    tiers.clearSelection()
    text = copy_of(qtbot, tiers).splitlines()
    assert text[0].split("\t")[:2] == ["Tier", "Target %"]
    assert "Bronze" in text[1] and "1234.5" in text[1].split("\t")
    schedule = copy_of(qtbot, window.editor.schedule)
    assert schedule.splitlines()[1].split("\t")[:2] in (["99.5", "10"], ["99.50", "10"])

    window.tabs.setCurrentWidget(window.replay)
    with qtbot.waitSignal(window.replay.finished, timeout=10_000):
        qtbot.mouseClick(window.replay.run_button, Qt.MouseButton.LeftButton)
    periods = copy_of(qtbot, window.replay.table).splitlines()
    assert periods[0].split("\t")[0] == "Period"
    assert len(periods) == 2  # the worst period is selected: its row alone
    cells = periods[1].split("\t")
    assert cells[1] == "43200"  # "43,200" minutes, without the separator


@pytest.mark.parametrize(
    ("shown", "copied"),
    [
        ("1,234.50", "1234.50"),
        ("-1,234,567", "-1234567"),
        ("85.80%", "85.80%"),
        ("12,345.6%", "12345.6%"),
        ("Gold, premium", "Gold, premium"),
        ("1,23", "1,23"),
        ("two\nlines\tand a tab", "two lines and a tab"),
        (None, ""),
        (99.5, "99.5"),
    ],
)
def test_cells_are_copied_as_a_spreadsheet_reads_them(shown, copied):
    assert cell_text(shown) == copied
