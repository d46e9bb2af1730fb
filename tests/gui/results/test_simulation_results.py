"""The simulation's results, driven as a user would: the horizon, the cap lines, the convergence
and profitability charts, live re-pricing off the GUI thread while the penalty curve is dragged
(and the exposure panel under the curve following the drag), the time left, a result kept apart
from another contract's edits, the exposure workbook, and copying tables to the clipboard."""

from __future__ import annotations

import re
import threading

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from slamodeler.domain.contract import Contract
from slamodeler.engine.exposure import exposures
from slamodeler.engine.simulation import reprice, simulate
from slamodeler.gui.charts.exposure_preview import NO_SIMULATION, figure_rows
from slamodeler.gui.results import simulation_view
from slamodeler.gui.results.simulation_view import COLUMNS, stat_cells, time_left
from slamodeler.gui.widgets.table_copy import cell_text
from tests.helpers.gui_editing import Mouse, drag_handle, type_into_cell
from tests.helpers.gui_runs import open_chart, run_simulation, scenario_of, table_rows

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


def hold_the_first_reprice(monkeypatch) -> tuple[threading.Event, list]:
    """Re-pricing as the view does, the contracts priced listed, the first held in flight until
    the gate is set."""
    gate, priced = threading.Event(), []

    def held_reprice(run, contract):
        priced.append(contract)
        if len(priced) == 1:
            assert gate.wait(20), "the test never released the first re-price"
        return reprice(run, contract)

    monkeypatch.setattr(simulation_view, "reprice", held_reprice)
    return gate, priced


def hold_a_reprice(qtbot, window, monkeypatch):
    """A run of 2,000 trials, then band 1's credit typed as 11%: its re-price held in flight."""
    view = run_simulation(qtbot, window, 2000, seed=5)
    gate, priced = hold_the_first_reprice(monkeypatch)
    window.tabs.setCurrentIndex(0)
    type_into_cell(qtbot, window.editor.schedule, 0, 1, "11")
    qtbot.waitUntil(lambda: len(priced) == 1, timeout=5_000)
    return view, gate, priced


def test_a_burst_of_edits_reprices_the_one_in_flight_and_the_last(qtbot, make_window, monkeypatch):
    """A re-price in flight cannot be interrupted: edits made meanwhile replace one another,
    and only the last is priced after it; the GUI keeps taking edits while it runs."""
    window = make_window()
    view, gate, priced = hold_a_reprice(qtbot, window, monkeypatch)
    first = view.run_result
    schedule = window.editor.schedule
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
    view, gate, priced = hold_a_reprice(qtbot, window, monkeypatch)
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
    exporter = window.results_exporter
    exporter.ask_path = lambda _: str(tmp_path / "exposure")  # the dialog: a name, no suffix
    with qtbot.waitSignal(exporter.exported, timeout=30_000) as written:
        qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    path = tmp_path / "exposure.xlsx"
    assert written.args == [str(path)] and path.exists()
    assert window.statusBar().currentMessage() == f"Wrote {path}"
    book = openpyxl.load_workbook(path)
    assert {"Summary", "Terms", "Exposure", "Profitability"} <= set(book.sheetnames)
    sheet = book["Exposure"]
    trials = next(row for row in sheet.iter_rows(values_only=True) if row and row[0] == "Trials")
    assert trials[1:5] == (2000, 2000, 2000, 2000)

    exporter.ask_path = lambda _: str(tmp_path / "missing" / "x.xlsx")
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.errors.last is not None, timeout=10_000)
    assert window.statusBar().currentMessage() == "The workbook was not written."
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


def band(contract, index: int) -> tuple[float, float]:
    b = contract.tier("Bronze").credits.bands[index]
    return float(b.below), float(b.credit_pct)


def panel_rows(panel) -> list[list[str]]:
    table = panel.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def expected_rows(stats, simulated) -> list[list[str]]:
    """Bronze and the portfolio, against the run as simulated."""
    return figure_rows((stats[0], stats[-1]), (simulated[0], simulated[-1]))


def test_the_exposure_panel_follows_a_drag_while_the_mouse_is_held(qtbot, make_window):
    window = make_window()
    window.resize(1280, 800)
    view = run_simulation(qtbot, window, 100_000, seed=3)
    first, simulated = view.run_result, exposures(view.run_result)
    window.tabs.setCurrentIndex(0)
    editor = window.editor
    panel = editor.exposure
    qtbot.waitUntil(panel.isVisible, timeout=2_000)
    assert panel_rows(panel) == expected_rows(simulated, simulated)
    assert panel_rows(panel)[0][1] == "+0"
    assert panel.table.horizontalHeaderItem(0).text() == "Bronze"
    stack = editor.document.undo_stack
    committed = window.current_contract()
    assert band(committed, 1) == (99.0, 25.0)

    mouse = Mouse(qtbot, editor)
    mouse.press(1)
    mouse.move_to(98.5, 38.0)

    held = editor.curve.handles[1].pos()  # where the mouse holds the point, as the terms say it
    held = (round(held.x(), 3), round(held.y(), 1))
    # the button is still held: the last position is previewed, if not at once then shortly
    qtbot.waitUntil(lambda: band(view.run_result.contract, 1) == held, timeout=10_000)
    candidate = view.run_result.contract
    assert band(candidate, 1) == pytest.approx((98.5, 38.0), abs=0.6)
    assert stack.count() == 0 and window.current_contract() == committed  # not an edit yet
    during = exposures(reprice(first, candidate))
    assert panel_rows(panel) == expected_rows(during, simulated)
    assert panel_rows(panel) != expected_rows(simulated, simulated)
    p99 = during[0].quantiles["p99"]
    assert lines_of(panel.histogram)[f"P99 {p99:,.0f}"] == p99
    assert caps_on(panel.histogram) == pytest.approx(BRONZE_CAPS)

    with qtbot.waitSignal(view.repriced, timeout=20_000):
        mouse.move_to(98.2, 45.0)
        mouse.release()
    assert stack.count() == 1  # the whole drag is one step of Undo
    final = window.current_contract()
    assert band(final, 1) == pytest.approx((98.2, 45.0), abs=0.6)
    assert view.run_result.contract == final
    after = exposures(reprice(first, final))
    assert panel_rows(panel) == expected_rows(after, simulated)
    assert table_rows(view) == [stat_cells(e) for e in after]
    p99 = after[0].quantiles["p99"]
    assert lines_of(panel.histogram)[f"P99 {p99:,.0f}"] == p99
    assert "Re-pricing" not in view.status.text()


def test_a_preview_in_flight_never_overwrites_the_edit_that_ends_the_drag(
    qtbot, make_window, monkeypatch
):
    window = make_window()
    view = run_simulation(qtbot, window, 2000, seed=5)
    first = view.run_result
    gate, priced = hold_the_first_reprice(monkeypatch)
    window.tabs.setCurrentIndex(0)
    mouse = Mouse(qtbot, window.editor)
    mouse.press(0)
    mouse.move_to(99.6, 14.0)
    qtbot.waitUntil(lambda: len(priced) == 1, timeout=5_000)  # a preview, held in flight
    mouse.move_to(99.7, 18.0)  # more previews: each replaces the one waiting
    mouse.release()  # the edit replaces them all
    committed = window.current_contract()
    with qtbot.waitSignal(view.repriced, timeout=10_000):
        gate.set()
    assert len(priced) == 2 and priced[-1] == committed
    assert view.run_result.contract == committed
    assert not view.repricer.busy
    qtbot.wait(100)  # nothing else arrives
    assert view.run_result.contract == committed
    stats = exposures(reprice(first, committed))
    assert panel_rows(window.editor.exposure) == expected_rows(stats, exposures(first))


def hold_a_point(qtbot, editor, view, index: int, to: tuple[float, float]) -> Mouse:
    """Band ``index`` pressed and moved to ``to``, the button still held, until the view shows
    the result priced for where the point is held."""
    mouse = Mouse(qtbot, editor)
    mouse.press(index)
    mouse.move_to(*to)
    held = editor.curve.handles[index].pos()
    held = (round(held.x(), 3), round(held.y(), 1))
    qtbot.waitUntil(
        lambda: band(view.run_result.contract, index) == held and not view.repricer.busy,
        timeout=10_000,
    )
    return mouse


def test_a_drag_leaves_the_hidden_results_table_to_when_it_is_seen_or_the_edit_lands(
    qtbot, make_window
):
    """While a point is dragged on the Contract tab, the panel under the curve follows each move
    and the simulation view's table (off screen) is not filled again: it is filled with the
    figures of the terms priced last when it comes on screen, or when the edit lands, even on
    the very terms the last move priced (no re-price is then due)."""
    window = make_window()
    view = run_simulation(qtbot, window, 2000, seed=5)
    first, simulated = view.run_result, exposures(view.run_result)
    as_run = table_rows(view)
    window.tabs.setCurrentIndex(0)
    editor = window.editor
    mouse = hold_a_point(qtbot, editor, view, 0, (99.6, 14.0))
    during = exposures(reprice(first, view.run_result.contract))
    assert panel_rows(editor.exposure) == expected_rows(during, simulated)
    assert table_rows(view) == as_run  # not filled for a move

    with qtbot.waitSignal(view.repriced, timeout=10_000):
        mouse.release()  # where the last move was priced: no re-price, the table follows
    assert view.run_result.contract == window.current_contract()
    assert table_rows(view) == [stat_cells(e) for e in during]

    hold_a_point(qtbot, editor, view, 0, (99.7, 18.0))
    again = exposures(reprice(first, view.run_result.contract))
    assert table_rows(view) == [stat_cells(e) for e in during]
    window.tabs.setCurrentWidget(view)  # on screen: the figures of the terms priced last
    assert table_rows(view) == [stat_cells(e) for e in again]


def test_figures_left_behind_by_a_refused_edit_keep_their_note_when_the_view_is_seen(
    qtbot, make_window
):
    """Terms tried out while the view is off screen, then an edit that cannot be re-priced: on
    screen, the view draws the figures it holds and its status still says they are behind."""
    window = make_window()
    view = run_simulation(qtbot, window, 2000, seed=5)
    first = view.run_result
    window.tabs.setCurrentIndex(0)
    data = window.current_contract().model_dump(mode="json")
    data["tiers"][0]["credits"]["bands"][1]["credit_pct"] = "30"
    tried = view.priced(Contract.model_validate(data))
    view.preview(tried)  # as a drag offers a position
    qtbot.waitUntil(
        lambda: view.run_result.contract == tried and not view.repricer.busy, timeout=10_000
    )
    type_into_cell(qtbot, window.editor.tiers, 0, 4, "7")  # customers: measured otherwise
    assert simulation_view.RESIMULATE in view.status.text()
    window.tabs.setCurrentWidget(view)
    assert table_rows(view) == [stat_cells(e) for e in exposures(reprice(first, tried))]
    assert simulation_view.RESIMULATE in view.status.text()


def test_the_panel_fills_its_table_again_only_for_other_figures(qtbot, make_window):
    """A drag gives a status per move (``updated``); the panel's table is filled again only
    when the figures are others."""
    window = make_window()
    view = run_simulation(qtbot, window, 2000, seed=5)
    window.tabs.setCurrentIndex(0)
    panel = window.editor.exposure
    item = panel.table.item(0, 0)
    view.updated.emit()
    assert panel.table.item(0, 0) is item
    with qtbot.waitSignal(view.repriced, timeout=10_000):
        type_into_cell(qtbot, window.editor.schedule, 0, 1, "11")
    assert panel.table.item(0, 0) is not item
    assert panel.table.item(0, 0).text() == f"{view.stats[0].mean:,.0f}"


def test_the_exposure_panel_says_what_is_missing(qtbot, make_window):
    window = make_window()
    panel = window.editor.exposure
    assert panel.isVisible()
    assert panel.message.text() == NO_SIMULATION
    assert panel.table.item(0, 0) is None
    view = run_simulation(qtbot, window, 2000, seed=5)
    window.tabs.setCurrentIndex(0)
    assert panel.table.item(0, 0).text() == f"{view.stats[0].mean:,.0f}"
    type_into_cell(qtbot, window.editor.tiers, 0, 4, "7")  # customers: measured otherwise
    assert simulation_view.RESIMULATE in panel.message.text()
    assert panel.table.item(0, 0).text() == f"{view.stats[0].mean:,.0f}"  # the last figures


def test_a_run_ending_while_an_older_reprice_runs_leaves_no_repricing_status(
    qtbot, make_window, monkeypatch
):
    window = make_window()
    view, gate, _ = hold_a_reprice(qtbot, window, monkeypatch)
    run_simulation(qtbot, window, 2000, seed=6)  # simulates the edited terms
    assert view.run_result.seed == 6
    with qtbot.waitSignal(view.repricer.done, timeout=10_000):
        gate.set()
    assert not view.repricer.busy
    assert view.run_result.seed == 6  # the older run's re-price is not shown
    assert "Re-pricing" not in view.status.text()
    assert view.status.text().startswith(f"{view.run_result.contract.name}: 2,000 trials (seed 6)")


@pytest.mark.parametrize(
    ("done", "total", "elapsed", "text"),
    [
        (0, 1000, 3.0, "estimating time left…"),
        (10, 1000, 0.0, "estimating time left…"),
        (500, 1000, 10.0, "about 10 s left"),
        (999, 1000, 0.5, "about 1 s left"),
        (250, 1000, 10.0, "about 30 s left"),
        (100, 1000, 10.0, "about 1.5 min left"),
    ],
)
def test_the_time_left_is_the_trials_left_at_the_pace_so_far(done, total, elapsed, text):
    assert time_left(done, total, elapsed) == text


def test_a_run_shows_the_seconds_left(qtbot, make_window):
    window = make_window()
    view = window.simulation
    shown: list[str] = []
    view.worker.progress.connect(lambda *_: shown.append(view.eta.text()))
    run_simulation(qtbot, window, 200_000, seed=1)
    assert any(re.fullmatch(r"about \d+ s left", text) for text in shown), shown
    assert view.eta.text() == ""  # gone when the run is


def test_opening_another_contract_marks_the_result_as_the_other_contracts(qtbot, make_window):
    window = make_window()
    view = run_simulation(qtbot, window, 2000, seed=5)
    shown = table_rows(view)
    assert view.export_button.isEnabled()
    other = next(
        i for i in window.browser.items_of("version") if i.parent().text(0) == "ec2_region_sla"
    )
    window.browser.itemClicked.emit(other, 0)
    assert window.editor.title == "ec2_region_sla@1"
    assert view.status.text().startswith("This result is for three_tier_cloud@1, not the contract")
    assert not view.export_button.isEnabled()
    assert table_rows(view) == shown  # kept, neither re-priced nor cleared
    panel = window.editor.exposure
    assert "The last simulation is of three_tier_cloud@1" in panel.message.text()
    assert panel.table.item(0, 0) is None
    window.editor.document.set_value(("tiers", 0, "credits", "bands", 0, "credit_pct"), "12")
    assert not view.repricer.busy and table_rows(view) == shown

    window.ask_unsaved = lambda *a: "discard"
    back = next(
        i for i in window.browser.items_of("version") if i.parent().text(0) == "three_tier_cloud"
    )
    window.browser.itemClicked.emit(back, 0)
    assert view.current and view.export_button.isEnabled()
    assert view.status.text().startswith(view.run_result.contract.name)
    assert window.editor.exposure.table.item(0, 0).text() == f"{view.stats[0].mean:,.0f}"
