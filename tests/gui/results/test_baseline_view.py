"""The Baseline tab, driven as a user would: choose the share and the candidate targets, press
Find target, read the suggested target, the candidates' costs and each tier's chart."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import Qt

from slamodeler.services.incident_sets import import_incidents
from slamodeler.services.workspaces import init_workspace
from tests.helpers.gui_editing import open_version
from tests.helpers.paths import SAMPLES


def _type(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


def _table(view) -> list[list[str]]:
    t = view.table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def _find(qtbot, view, share: str, targets: str) -> None:
    _type(qtbot, view.share.lineEdit(), share)
    _type(qtbot, view.targets, targets)
    with qtbot.waitSignal(view.found, timeout=20_000):
        qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    assert view.run_button.isEnabled()


def test_a_user_finds_the_target_met_in_90_percent_of_months(qtbot, make_window):
    window = make_window()
    open_version(window, "three_tier_cloud", 1)
    view = window.baseline
    window.tabs.setCurrentWidget(view)
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Baseline"
    assert view.incident_sets.currentText() == "incidents_sample"
    assert "Example Cloud Compute - Standard terms (the contract in the editor)" in (
        view.template.text()
    )
    _find(qtbot, view, "90", "99.5, 99.9")
    assert view.share.value() == 90
    tiers = [view.tiers.itemText(i) for i in range(view.tiers.count())]
    assert tiers == ["Bronze", "Silver", "Gold"]
    summary = view.summary.text()
    assert "2024-01 to 2025-01, 13 months." in summary
    assert "Suggested target: 99.6370% - met in 12 of 13 periods (92.3%); asked: 90%" in summary
    assert _table(view) == [
        ["99.5%", "1", "92.3%", "150.00 USD", "18,000.00 USD"],
        ["99.6370% (suggested)", "1", "92.3%", "150.00 USD", "18,000.00 USD"],
        ["99.9%", "7", "46.2%", "1,275.00 USD", "153,000.00 USD"],
    ]
    view.tiers.setCurrentText("Gold")
    assert _table(view)[2] == ["99.9%", "7", "46.2%", "8,400.00 USD", "210,000.00 USD"]
    bars = [i for i in view.chart.getPlotItem().items if type(i).__name__ == "BarGraphItem"]
    assert len(bars) == 1 and len(bars[0].opts["x"]) == 13


def test_without_a_contract_open_the_default_template_measures(qtbot, make_window, tmp_path):
    path = tmp_path / "only-incidents.slamws"
    opened = init_workspace(path, "tester")
    import_incidents(opened.workspace, SAMPLES / "incidents_sample.csv", "tester")
    opened.workspace.close()
    window = make_window(workspace=path)
    assert window.editor is None
    view = window.baseline
    window.tabs.setCurrentWidget(view)
    assert "Default template" in view.template.text()
    _find(qtbot, view, "90", "99.5 99.9")
    assert "Suggested target: 99.1039% - met in 12 of 13 periods (92.3%)" in view.summary.text()
    assert [row[:4] for row in _table(view)] == [
        ["99.1039% (suggested)", "1", "92.3%", "100.00 USD"],
        ["99.5%", "2", "84.6%", "350.00 USD"],
        ["99.9%", "10", "23.1%", "1,150.00 USD"],
    ]


def test_a_target_that_is_not_a_number_is_named_in_the_message(qtbot, make_window):
    window = make_window()
    view = window.baseline
    window.tabs.setCurrentWidget(view)
    _type(qtbot, view.targets, "99.9, high")
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    box = window.errors.last
    assert box is not None and box.isVisible()
    assert "Candidate targets: 'high' is not a number" in box.text()
    assert not view.worker.running
    box.close()


def test_the_baseline_on_view_is_exported_with_its_sheet(qtbot, make_window, tmp_path):
    window = make_window()
    open_version(window, "three_tier_cloud", 1)
    view = window.baseline
    window.tabs.setCurrentWidget(view)
    assert not view.export_button.isEnabled()  # nothing to write yet
    _find(qtbot, view, "90", "99.9")
    view.export_button.ask_path = lambda name: str(tmp_path / "offer")  # typed without .xlsx
    with qtbot.waitSignal(view.exported, timeout=30_000):
        qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert view.status.text() == "Wrote offer.xlsx"
    book = openpyxl.load_workbook(tmp_path / "offer.xlsx")
    assert {"Terms", "Replay", "Baseline"} <= set(book.sheetnames)
    labels = {row[0]: row[1] for row in book["Baseline"].iter_rows(values_only=True)}
    assert labels["Suggested target"].startswith("=ROUNDDOWN(")
