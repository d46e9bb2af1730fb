"""The Portfolio tab, driven as a user would: choose a scenario and the trials, press Price the
book, read each contract's share of the tail, the diversification benefit and the bars; export
the workbook; a workspace whose contracts cannot share draws is refused in the view, naming the
contract and the term; a run cancelled says so."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import Qt

from tests.helpers.cli import run
from tests.helpers.paths import SAMPLES

CONTRACT = SAMPLES / "three_tier_cloud.yaml"
BASELINE = SAMPLES / "scenarios" / "baseline.yaml"


def _book(capsys, tmp_path):
    """The sample contract approved, and a bespoke deal (Gold's fee doubled) as a draft."""
    ws = tmp_path / "book.slamws"
    deal = tmp_path / "deal.yaml"
    text = CONTRACT.read_text().replace("name: Example Cloud Compute", "name: Bespoke deal", 1)
    deal.write_text(text.replace("monthly_fee: 12000", "monthly_fee: 24000"))
    for argv in (
        ("init",),
        ("import-contract", CONTRACT),
        ("approve", "three_tier_cloud@1", "--reason", "signed"),
        ("import-contract", deal),
        ("import-scenario", BASELINE),
    ):
        assert run(capsys, "ws", *argv, "--ws", ws, "--author", "fay")[0] == 0
    return ws


def _table(view) -> list[list[str]]:
    t = view.table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def _price(qtbot, view, trials: str) -> None:
    box = view.trials.lineEdit()
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, trials)
    qtbot.keyClick(box, Qt.Key.Key_Tab)
    with qtbot.waitSignal(view.found, timeout=30_000):
        qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)


def test_a_user_prices_the_book_and_reads_each_contracts_share_of_the_tail(
    qtbot, make_window, capsys, tmp_path
):
    window = make_window(workspace=_book(capsys, tmp_path))
    view = window.portfolio
    window.tabs.setCurrentWidget(view)
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Portfolio"
    assert not view.export_button.isEnabled()
    view.scenarios.setCurrentText("baseline")
    _price(qtbot, view, "2000")
    assert view.trials.value() == 2000
    assert view.run_button.isEnabled() and not view.cancel_button.isEnabled()
    rows = _table(view)
    assert [r[0] for r in rows] == [
        "deal@1 (latest, draft)",
        "three_tier_cloud@1 (approved)",
        "portfolio",
    ]
    shares = [float(r[6].rstrip("%")) for r in rows[:2]]
    assert abs(sum(shares) - 100) < 0.2 and rows[2][6] == "100.0%"
    assert rows[2][4] == rows[2][5]  # the contributions add up to the portfolio's TVaR99
    assert "2,000 trials" in view.heading.text()
    assert view.benefit.text().startswith("Diversification benefit: ")
    assert "; 95% interval " in view.benefit.text()
    assert view.table.item(0, 5).toolTip().startswith("95% interval ")
    bars = [i for i in view.chart.getPlotItem().items if type(i).__name__ == "BarGraphItem"]
    assert len(bars) == 2 and all(len(b.opts["x"]) == 2 for b in bars)
    found = view.result
    assert list(bars[1].opts["height"]) == [m.contribution for m in found.members]

    out = tmp_path / "book.xlsx"
    view.export_button.ask_path = lambda name: str(out)
    with qtbot.waitSignal(view.exported, timeout=30_000):
        qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert view.status.text() == "Wrote book.xlsx"
    assert openpyxl.load_workbook(out).sheetnames[1] == "Portfolio"


def test_contracts_that_cannot_share_draws_are_refused_with_the_contract_named(qtbot, make_window):
    window = make_window()  # the samples: dollars, euros and three time zones
    view = window.portfolio
    window.tabs.setCurrentWidget(view)
    view.scenarios.setCurrentText("baseline")
    with qtbot.waitSignal(view.worker.failed, timeout=30_000):
        qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    assert view.heading.text().startswith(
        "Cannot price the book: quarterly_collaboration@1 (latest, draft): currency is EUR"
    )
    assert window.errors.last is None  # said in the view: the book as stored cannot be priced
    assert view.run_button.isEnabled() and not view.export_button.isEnabled()


def test_cancel_stops_the_run_and_says_nothing_was_priced(qtbot, make_window, capsys, tmp_path):
    window = make_window(workspace=_book(capsys, tmp_path))
    view = window.portfolio
    window.tabs.setCurrentWidget(view)
    view.trials.setValue(1_000_000)
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    assert view.cancel_button.isEnabled() and not view.run_button.isEnabled()
    with qtbot.waitSignal(view.worker.failed, timeout=60_000):
        qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    assert view.heading.text() == "Cancelled: nothing was priced."
    assert window.errors.last is None
    assert view.run_button.isEnabled() and view.table.rowCount() == 0


def _untick(qtbot, view, row: int) -> None:
    """A click on the tick box at the left edge of the row's item."""
    box = view.contracts.visualItemRect(view.contracts.item(row))
    at = box.center()
    at.setX(box.left() + box.height() // 2)
    qtbot.mouseClick(view.contracts.viewport(), Qt.MouseButton.LeftButton, pos=at)


def test_a_user_unticks_a_contract_and_prices_the_others(qtbot, make_window, capsys, tmp_path):
    window = make_window(workspace=_book(capsys, tmp_path))
    view = window.portfolio
    window.tabs.setCurrentWidget(view)
    listed = [view.contracts.item(i) for i in range(view.contracts.count())]
    assert [i.text() for i in listed] == [
        "deal@1 (latest, draft)",
        "three_tier_cloud@1 (approved)",
    ]
    assert all(i.checkState() == Qt.CheckState.Checked for i in listed)
    _untick(qtbot, view, 0)
    assert listed[0].checkState() == Qt.CheckState.Unchecked
    view.scenarios.setCurrentText("baseline")
    _price(qtbot, view, "500")
    assert [r[0] for r in _table(view)] == ["three_tier_cloud@1 (approved)", "portfolio"]
    assert view.heading.text().startswith("1 contract on the same simulated incidents")
    view.set_workspace(window.ws)  # the workspace shown again: the choice is kept
    assert view.chosen_keys() == ["three_tier_cloud"]
    _untick(qtbot, view, 1)
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.run_button.isEnabled(), timeout=30_000)
    assert view.heading.text() == (
        "Cannot price the book: choose at least one contract of the workspace for the portfolio"
    )
