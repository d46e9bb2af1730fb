"""The replay view: the contract in the editor replayed on a stored incident set, off the GUI
thread; expectations from the sample history (docs: the CLI prints the same numbers)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt, QTimer

from tests.helpers.gui_editing import open_version, type_into_cell
from tests.helpers.gui_runs import run_replay


def row_of(table, period: str) -> int:
    return next(r for r in range(table.rowCount()) if table.item(r, 0).text() == period)


def test_replay_shows_periods_chart_and_explanation(qtbot, make_window):
    window = make_window()
    assert window.replay.incident_sets.currentText() == "incidents_sample"
    run_replay(qtbot, window)
    view = window.replay
    assert view.tier.currentText() == "Bronze"
    table = view.table
    periods = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert periods[0] == "2024-01" and periods[-1] == "2025-01" and len(periods) == 13
    april = row_of(table, "2024-04")
    # 280 minutes down in a 43,200-minute April: 99.3519% < 99.5% -> band 1, 10% of 1,500
    assert table.item(april, 4).text() == "99.3519"
    assert table.item(april, 5).text() == "10.00"
    assert table.item(april, 6).text() == "150.00"
    assert table.currentRow() == april  # the worst period is selected and explained
    text = view.explanation.toPlainText()
    assert "Bronze, 2024-04" in text and "INC-1007" in text and "target missed" in text
    assert "(contract year 1)" in text  # the term starts 2024-01-01: its first year, said so
    assert "426,000.00 USD" in view.status.text()

    table.setCurrentCell(row_of(table, "2024-07"), 0)  # a user clicks another period
    assert "Bronze, 2024-07" in view.explanation.toPlainText()

    lines = [i for i in view.chart.getPlotItem().items if type(i).__name__ == "InfiniteLine"]
    assert 99.5 in [line.value() for line in lines]  # the target line


def test_the_run_is_listed_and_the_replay_shown_in_two_turns_of_the_event_loop(qtbot, make_window):
    """Listing the stored run in the browser, then drawing the table, chart and explanation,
    held the GUI thread 60-80 ms in one go for a long history on a busy machine: the replay is
    shown in a later turn than the run is said to be stored in: a timer due meanwhile is served
    between them. The timer is a QTimer of its own, due at once: Qt serves timers in the order
    they fall due, whatever the load (``QTimer.singleShot(0, f)``, a posted call, once came
    after the replay was shown with the test run under a sampling profiler)."""
    window = make_window()
    view = window.replay
    seen: list[tuple[bool, bool]] = []  # (shown when stored, shown when the timer fired)
    due = QTimer(view)
    due.setSingleShot(True)

    def stored(_run_id: int) -> None:
        now = view.result is not None
        due.timeout.connect(lambda: seen.append((now, view.result is not None)))
        due.start(0)

    view.stored.connect(stored)
    run_replay(qtbot, window)
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(False, False)] and view.result is not None
    assert view.run_button.isEnabled() and view.table.rowCount() == 13  # then shown in full


def test_a_band_edited_in_the_editor_changes_the_next_replay(qtbot, make_window):
    window = make_window()
    type_into_cell(qtbot, window.editor.schedule, 0, 1, "20")  # Bronze band 1: 10% -> 20%
    run_replay(qtbot, window)
    april = row_of(window.replay.table, "2024-04")
    assert window.replay.table.item(april, 6).text() == "300.00"


def test_an_invalid_contract_is_not_replayed(qtbot, make_window):
    window = make_window()
    type_into_cell(qtbot, window.editor.tiers, 0, 1, "abc")
    window.tabs.setCurrentWidget(window.replay)
    qtbot.mouseClick(window.replay.run_button, Qt.MouseButton.LeftButton)
    assert "fix them first" in window.errors.last.text()
    window.errors.last.close()
    assert window.replay.result is None


def chart_lines(view) -> list[float]:
    return sorted(
        line.value()
        for line in view.chart.getPlotItem().items
        if type(line).__name__ == "InfiniteLine"
    )


def test_the_chart_keeps_the_replayed_bands_until_the_next_replay(qtbot, make_window):
    window = make_window()
    run_replay(qtbot, window)
    view = window.replay
    april = row_of(view.table, "2024-04")
    assert chart_lines(view) == [95.0, 99.0, 99.5]  # Bronze: target 99.5, bands 99 and 95
    assert not view.stale.isVisible()

    window.tabs.setCurrentIndex(0)
    type_into_cell(qtbot, window.editor.schedule, 1, 0, "99.4")  # band 2: below 99 -> 99.4
    window.tabs.setCurrentWidget(view)
    # April (99.3519%) is now under 99.4, but the table and the lines are of the replay
    assert view.table.item(april, 5).text() == "10.00"
    assert chart_lines(view) == [95.0, 99.0, 99.5]
    assert view.stale.isVisible()
    assert view.stale.text() == "The contract changed since this replay — press Replay to update."

    window.editor.document.undo_stack.undo()  # back to the contract replayed: no note
    assert not view.stale.isVisible()
    window.editor.document.undo_stack.redo()
    assert view.stale.isVisible()

    run_replay(qtbot, window)
    assert chart_lines(view) == [95.0, 99.4, 99.5]
    assert view.table.item(row_of(view.table, "2024-04"), 5).text() == "25.00"
    assert not view.stale.isVisible()


def test_money_columns_say_they_are_per_customer(qtbot, make_window):
    window = make_window()
    run_replay(qtbot, window)
    table = window.replay.table
    headers = {
        table.horizontalHeaderItem(c).text(): table.horizontalHeaderItem(c).toolTip()
        for c in range(table.columnCount())
    }
    for name in ("Owed / cust.", "After caps / cust.", "Capped off / cust."):
        assert "per customer" in headers[name] and "all customers" in headers[name]
    assert "credits after caps for all customers" in window.replay.status.text()
    assert "Per customer: owed 150.00 USD" in window.replay.explanation.toPlainText()


def test_opening_another_contract_puts_the_replay_away(qtbot, make_window):
    window = make_window()
    run_replay(qtbot, window)
    view = window.replay
    assert view.export_button.isEnabled()
    other = next(
        i for i in window.browser.items_of("version") if i.parent().text(0) == "ec2_region_sla"
    )
    window.browser.itemClicked.emit(other, 0)
    assert window.editor.title == "ec2_region_sla@1"
    assert view.result is None and view.table.rowCount() == 0 and view.tier.count() == 0
    assert "The replay of three_tier_cloud@1 was put away" in view.status.text()
    assert not view.export_button.isEnabled()
    run_replay(qtbot, window)
    assert view.result.contract_name != "Three-tier cloud"
    assert not view.stale.isVisible()


def test_export_workbook_of_a_replay(qtbot, make_window, tmp_path):
    window = make_window()
    view = window.replay
    assert not view.export_button.isEnabled()  # nothing replayed yet
    run_replay(qtbot, window)
    asked = []
    exporter = window.results_exporter
    exporter.ask_path = lambda suggested: asked.append(suggested) or str(tmp_path / "replay")
    with qtbot.waitSignal(exporter.exported, timeout=20_000) as written:
        qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert asked == ["exposure-incidents_sample.xlsx"]
    path = Path(written.args[0])
    assert path == tmp_path / "replay.xlsx" and path.exists()
    assert window.statusBar().currentMessage() == f"Wrote {path}"

    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book["Replay"].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if "Period" in r and "Tier" in r)
    number, period = rows[header].index("Tier #"), rows[header].index("Period")
    bronze = [r[period] for r in rows[header + 1 :] if r[number] == 1]  # Tier is a formula
    shown = [view.table.item(r, 0).text() for r in range(view.table.rowCount())]
    assert bronze == shown and len(shown) == 13
    summary = [v for r in book["Summary"].iter_rows(values_only=True) for v in r if v]
    assert "three_tier_cloud@1 as in the editor when replayed" in summary
    book.close()


def test_credit_percentages_have_one_precision_and_years_are_said_in_words(qtbot, make_window):
    """Fee multiples and per-hour credits give percentages like 0.132006 or 44.8222: every cell
    shows two places (the exact figure in its tooltip). A period before the term is said to be
    so, not "contract year -1"."""
    window = make_window()
    open_version(window, "quarterly_collaboration", 1)
    run_replay(qtbot, window)
    view = window.replay
    seen = set()
    for tier in range(view.tier.count()):
        view.tier.setCurrentIndex(tier)
        for row in range(view.table.rowCount()):
            cell = view.table.item(row, 5)
            assert re.fullmatch(r"\d+\.\d\d", cell.text()), cell.text()
            assert cell.toolTip().endswith("% of the period's fee")
            seen.add(cell.text())
    assert any(not text.endswith(".00") for text in seen)  # fractional credits were there
    open_version(window, "s3_style_requests", 1)  # its term starts 2025-01-01; history 2024
    run_replay(qtbot, window)
    view.table.setCurrentCell(row_of(view.table, "2024-04"), 0)
    text = view.explanation.toPlainText()
    assert "(before the term starts)" in text and "year -" not in text and "year 0" not in text


def test_the_pane_and_the_terminal_say_the_same_lines(qtbot, tmp_path):
    """Every line the services word for a period appears in the window's explanation pane and
    in ``replay --explain``: neither front end can drop or reword a rule."""
    from PySide6.QtGui import QTextDocument

    from slamodeler.cli.tables import tier_table
    from slamodeler.gui.results.replay_view import explanation_html
    from slamodeler.services.period_explanation import explain_period
    from tests.helpers.replay_results import silver_explained

    tier = silver_explained(tmp_path)
    terminal = tier_table(tier, "USD", explain=True)
    checked = 0
    for p in tier.periods:
        page = QTextDocument()
        page.setHtml(explanation_html(p, "USD"))
        pane = " ".join(page.toPlainText().split())
        said = explain_period(p)
        for line in (*said.rules, *said.incidents, *said.sums, *said.remedies):
            assert line[1:] in pane, (p.period, line)  # the pane starts a sentence in capitals
            assert line in terminal, (p.period, line)
            checked += 1
    assert checked >= 20
