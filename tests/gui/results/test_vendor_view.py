"""The Vendor tab, driven as a user would: choose our contract, the vendor's SLA and its
incidents, press Hold the vendor, read what we owe against what the vendor owes per period, its
scorecard and the bars; simulate under a scenario and read the annual gap; export the workbook.
A vendor's SLA in another currency is refused in the view, naming the contract and the field;
the workspace browser marks a vendor's SLA."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import Qt

from tests.helpers.cli import run
from tests.helpers.gui_editing import choose
from tests.helpers.paths import SAMPLES

OURS = SAMPLES / "three_tier_cloud.yaml"
VENDOR = SAMPLES / "vendor" / "cloud_region_sla.yaml"
INCIDENTS = SAMPLES / "vendor" / "cloud_incidents.csv"
BASELINE = SAMPLES / "scenarios" / "baseline.yaml"


def _workspace(capsys, tmp_path, vendor=VENDOR):
    ws = tmp_path / "vendor.slamws"
    for argv in (
        ("init",),
        ("import-contract", OURS, "--as", "compute"),
        ("import-contract", vendor, "--as", "cloud"),
        ("import-incidents", INCIDENTS, "--as", "cloud-history"),
        ("import-scenario", BASELINE),
    ):
        assert run(capsys, "ws", *argv, "--ws", ws, "--author", "pat")[0] == 0
    return ws


def _rows(table) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def _hold(qtbot, view) -> None:
    with qtbot.waitSignal(view.found, timeout=30_000):
        qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)


def test_a_user_holds_the_vendor_to_its_sla_and_reads_both_sides(
    qtbot, make_window, capsys, tmp_path
):
    window = make_window(workspace=_workspace(capsys, tmp_path))

    def marked(key: str) -> list[str]:
        return [i.text(1) for i in window.browser.findItems(key, Qt.MatchFlag.MatchRecursive)]

    assert (marked("cloud"), marked("compute")) == (["vendor's SLA"], [""])
    view = window.vendor
    window.tabs.setCurrentWidget(view)
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Vendor"
    assert [view.ours.itemText(i) for i in range(view.ours.count())] == ["compute"]
    assert [view.vendor.itemText(i) for i in range(view.vendor.count())] == ["cloud"]
    assert view.scenarios.currentText() == "(replay only)"
    assert not view.export_button.isEnabled()
    _hold(qtbot, view)
    rows = _rows(view.periods)
    # March: the upstream DNS outage the vendor excludes; we owe our customers for it
    assert rows[2] == ["2024-03", "32,400.00", "0.00", "32,400.00", "yes"]
    assert rows[-1] == ["Total", "172,800.00", "24,000.00", "148,800.00", ""]
    assert view.periods.item(2, 1).toolTip() == (
        "We owe: Bronze 0.00, Silver 14,400.00, Gold 18,000.00\n"
        "The vendor owes: Region 0.00 (availability 100.0000%)"
    )
    (card,) = _rows(view.scorecard)
    assert card[:4] == ["Region", "99.99", "2 of 6", "24,000.00"]
    assert card[4].startswith("worsening")
    assert "Region reaches Bronze, Silver, Gold" in view.heading.text()
    assert view.simulated.text() == ""
    bars = [i for i in view.chart.getPlotItem().items if type(i).__name__ == "BarGraphItem"]
    assert [list(b.opts["height"])[2] for b in bars] == [32400.0, 0.0]

    choose(qtbot, view.scenarios, "baseline")
    view.trials.setValue(500)
    _hold(qtbot, view)
    assert view.simulated.text().startswith("Simulated: 500 trials of 'Baseline'")
    assert "P99" in view.simulated.text()
    means = view.simulated.toolTip().splitlines()
    assert len(means) == 12 and means[0].startswith("2027-01: we owe ")

    out = tmp_path / "vendor.xlsx"
    view.export_button.ask_path = lambda name: str(out)
    with qtbot.waitSignal(view.exported, timeout=30_000):
        qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert view.status.text() == "Wrote vendor.xlsx"
    assert openpyxl.load_workbook(out).sheetnames[1] == "Vendor"


def test_a_vendor_in_another_currency_is_refused_in_the_view(qtbot, make_window, capsys, tmp_path):
    euros = tmp_path / "euro_vendor.yaml"
    euros.write_text(VENDOR.read_text().replace("currency: USD", "currency: EUR"))
    window = make_window(workspace=_workspace(capsys, tmp_path, euros))
    view = window.vendor
    window.tabs.setCurrentWidget(view)
    with qtbot.waitSignal(view.worker.failed, timeout=30_000):
        qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    assert view.heading.text().startswith(
        "Cannot hold the vendor to its SLA: cloud@1: currency is EUR, ours is USD"
    )
    assert window.errors.last is None
    assert view.run_button.isEnabled() and not view.export_button.isEnabled()


def test_the_sample_workspace_holds_its_sample_vendor_back_to_back(qtbot, make_window):
    window = make_window()  # the samples, with the provider's SLA and its incidents
    view = window.vendor
    window.tabs.setCurrentWidget(view)
    assert [view.vendor.itemText(i) for i in range(view.vendor.count())] == ["provider_sla"]
    # of ours, only three_tier_cloud has the Bronze, Silver and Gold the provider's SLA reaches
    assert view.ours.currentText() == "three_tier_cloud"
    choose(qtbot, view.ours, "ec2_region_sla")  # a choice is the user's until the vendor changes
    window.tabs.setCurrentWidget(window.replay)
    window.tabs.setCurrentWidget(view)  # shown again: the lists refilled, the choice kept
    assert view.ours.currentText() == "ec2_region_sla"
    choose(qtbot, view.ours, "three_tier_cloud")
    choose(qtbot, view.incidents, "vendor_incidents")
    _hold(qtbot, view)
    assert _rows(view.periods)[-1] == ["Total", "172,800.00", "24,000.00", "148,800.00", ""]


def test_without_a_vendors_sla_the_view_says_what_to_choose(qtbot, make_window, capsys, tmp_path):
    ws = tmp_path / "ours.slamws"
    for argv in (("init",), ("import-contract", OURS, "--as", "compute")):
        assert run(capsys, "ws", *argv, "--ws", ws, "--author", "pat")[0] == 0
    window = make_window(workspace=ws)  # no contract is received
    view = window.vendor
    window.tabs.setCurrentWidget(view)
    assert view.vendor.count() == 0
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    assert "a vendor's (a contract marked direction: received)" in view.heading.text()
