"""The Fees and margins tab of the simulation's results, driven as a user would: the table and
the bars of margin and risk-adjusted margin per tier, and the tail charge and target margin
typed in, each solved again on the same trials."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import Qt

from slamodeler.engine.profitability import profitability
from slamodeler.engine.simulation import simulate
from slamodeler.gui.results.profitability_panel import COLUMNS, difference_cells, profit_cells
from slamodeler.io.workbook.profitability_sheet import RISK_HEADING as HEADING
from slamodeler.services.profitability import Version, compared
from slamodeler.services.versions import import_contract
from tests.helpers.gui_runs import items, open_chart, pick, run_simulation, scenario_of
from tests.helpers.paths import SAMPLES


def shown(panel) -> list[list[str]]:
    table = panel.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def type_percent(qtbot, box, text: str) -> None:
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), text)
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)


def bars_of(panel) -> dict[str, list[float]]:
    return {
        b.objectName(): list(b.opts["height"])
        for b in panel.chart.getPlotItem().items
        if type(b).__name__ == "BarGraphItem"
    }


def test_the_tab_shows_margins_and_fees_and_follows_the_rates_typed(qtbot, make_window):
    window = make_window()
    view = run_simulation(qtbot, window, 1500, seed=3)
    panel = view.fees
    assert panel.table.rowCount() == 0  # solved only once the tab is opened
    open_chart(qtbot, view, "Fees and margins")
    qtbot.waitUntil(lambda: panel.table.rowCount() == 4 and not panel.busy, timeout=20_000)

    run = simulate(window.current_contract(), scenario_of(window), 1500, 3)
    expected = profitability(run)
    assert [panel.table.horizontalHeaderItem(c).text() for c in range(len(COLUMNS))] == COLUMNS
    assert shown(panel) == [profit_cells(p) for p in [*expected.tiers, expected.portfolio]]
    bronze = shown(panel)[0]
    assert bronze[:3] == ["Bronze", "2,160,000", "1,008,000"]
    assert bronze[10] == "1,500.00" and bronze[11] == f"{expected.tiers[0].break_even.fee:,.2f}"
    assert panel.table.item(0, 11).toolTip().startswith("gives break")
    per = panel.customers  # one customer of each tier with several (all three here)
    assert per.isVisible() and per.rowCount() == 3
    bronze_one = [per.item(0, c).text() for c in range(per.columnCount())]
    assert bronze_one[:4] == ["Bronze", "120", "18,000", "8,400"]  # 2,160,000 and 1,008,000 / 120
    assert bronze_one[-1] == f"{expected.tiers[0].margin / 120:,.0f}"
    assert bronze_one[5] == f"{expected.tiers[0].customer_p95:,.0f}"
    bars = bars_of(panel)
    assert bars["Margin"] == [p.margin for p in expected.tiers]
    assert bars["Risk-adjusted margin"] == [p.risk_adjusted_margin for p in expected.tiers]
    legend = panel.chart.getPlotItem().legend
    assert [label.text for _, label in legend.items] == ["Margin", "Risk-adjusted margin"]
    assert "solved on these 1,500 trials" in panel.status.text()

    type_percent(qtbot, panel.tail, "25")
    again = profitability(run, tail_rate=0.25)
    qtbot.waitUntil(lambda: shown(panel)[0][8] == profit_cells(again.tiers[0])[8], timeout=20_000)
    qtbot.waitUntil(lambda: not panel.busy)
    assert shown(panel) == [profit_cells(p) for p in [*again.tiers, again.portfolio]]

    type_percent(qtbot, panel.target, "45")
    target = profitability(run, tail_rate=0.25, target_margin=0.45)
    gold = profit_cells(target.tiers[2])
    qtbot.waitUntil(lambda: shown(panel)[2] == gold, timeout=20_000)
    assert float(gold[12].replace(",", "")) > float(shown(panel)[2][11].replace(",", ""))


def test_the_workbook_holds_the_fees_once_the_tab_has_solved_them(qtbot, make_window, tmp_path):
    window = make_window()
    view = run_simulation(qtbot, window, 1000, seed=2)
    exporter = window.results_exporter
    exporter.ask_path = lambda _: str(tmp_path / "before.xlsx")
    with qtbot.waitSignal(exporter.exported, timeout=30_000):
        qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    sheet = openpyxl.load_workbook(tmp_path / "before.xlsx")["Profitability"]
    assert HEADING not in [c.value for c in sheet["A"]]  # not solved: not in the workbook

    open_chart(qtbot, view, "Fees and margins")
    qtbot.waitUntil(lambda: view.fees.result is not None and not view.fees.busy, timeout=20_000)
    exporter.ask_path = lambda _: str(tmp_path / "after.xlsx")
    with qtbot.waitSignal(exporter.exported, timeout=30_000):
        qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    sheet = openpyxl.load_workbook(tmp_path / "after.xlsx")["Profitability"]
    row = [c.value for c in sheet["A"]].index(HEADING) + 5  # Bronze's row
    bronze = view.fees.result.tiers[0]
    assert sheet.cell(row, 14).value == float(bronze.break_even.fee)
    assert shown(view.fees)[0][11] == f"{bronze.break_even.fee:,.2f}"


def test_another_version_is_compared_on_the_same_draws(qtbot, make_window, tmp_path):
    """Gold's 10% band raised to 12% in version 2: chosen in Compare with, its differences are
    those of the service on the run shown, with a paired standard error, and its bars stand
    beside the run's."""
    window = make_window()
    redline = tmp_path / "three_tier_cloud.yaml"
    text = (SAMPLES / "three_tier_cloud.yaml").read_text()
    redline.write_text(
        text.replace("{below: 99.99, credit_pct: 10}", "{below: 99.99, credit_pct: 12}")
    )
    import_contract(window.ws, redline, "ana")
    view = run_simulation(qtbot, window, 1200, seed=5)
    open_chart(qtbot, view, "Fees and margins")
    panel = view.fees
    qtbot.waitUntil(lambda: panel.result is not None and not panel.busy, timeout=20_000)
    assert not panel.differences.isVisible()
    assert items(panel.against) == [
        "nothing", "three_tier_cloud@2 (draft)", "three_tier_cloud@1 (draft)",
    ]  # fmt: skip

    pick(qtbot, panel.against, "three_tier_cloud@2 (draft)")
    qtbot.waitUntil(lambda: panel.comparison is not None and not panel.busy, timeout=20_000)
    assert panel.differences.isVisible()
    run = view.run_result
    other = window.ws.contract_of(window.ws.version("three_tier_cloud", 2))
    expected = compared(Version("x", run, profitability(run)), other, "v2")
    rows = [
        [panel.differences.item(r, c).text() for c in range(panel.differences.columnCount())]
        for r in range(panel.differences.rowCount())
    ]
    assert rows == [difference_cells(d) for d in expected.differences]
    assert rows[0][1:4] == ["+0", "0", "+0"] and rows[2][1].startswith("+")  # Gold pays more
    assert "three_tier_cloud@2 (draft) less the run shown, re-priced on the same" in (
        panel.status.text()
    )
    bars = bars_of(panel)
    assert bars["Margin (three_tier_cloud@2)"] == [p.margin for p in expected.against.result.tiers]
    assert len(bars) == 4

    pick(qtbot, panel.against, "nothing")
    qtbot.waitUntil(lambda: panel.comparison is None and not panel.busy, timeout=20_000)
    assert not panel.differences.isVisible() and len(bars_of(panel)) == 2
