"""Incidents' availability zones in the window: chosen as a column in the import dialog,
stored with the set, and shown in the timeline's incident details."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from slamodeler.gui.workspace.import_dialog import NOT_MAPPED
from tests.helpers.gui_import import open_dialog, settle
from tests.helpers.gui_runs import pick

HISTORY = """id,start,end,impact,service,region,AZ Name,title
Z-1,2025-03-05T10:00:00Z,2025-03-05T11:00:00Z,full,ec2,us-east-1,use1-az1,az1 unreachable
Z-2,2025-03-05T10:40:00Z,2025-03-05T11:30:00Z,partial,ec2,us-east-1,use1-az2,az2 degraded
Z-3,2025-03-20T09:00:00Z,2025-03-20T09:05:00Z,full,ec2,us-east-1,,the whole region
"""


def test_a_zone_column_is_chosen_imported_and_shown_in_the_timeline(qtbot, make_window, tmp_path):
    export = tmp_path / "az export.csv"
    export.write_text(HISTORY, encoding="utf-8")
    window = make_window()
    dialog = open_dialog(qtbot, window, export)
    assert dialog.combos["zone"].currentText() == NOT_MAPPED  # "AZ Name" is no usual header
    pick(qtbot, dialog.combos["zone"], "AZ Name")
    settle(qtbot, dialog)
    assert dialog.status.text().startswith("3 of 3 row(s) usable")
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    stored = window.ws.load_incidents(window.ws.incident_set("az-export")).incidents
    assert [i.zone for i in stored] == ["use1-az1", "use1-az2", ""]

    view = window.timeline
    window.tabs.setCurrentWidget(view)
    with qtbot.waitSignal(view.drawn, timeout=10_000):
        pick(qtbot, view.incident_sets, "az-export")
    target = next(b for b in view.bars if b.incident.id == "Z-1")
    box = view.chart.getPlotItem().getViewBox()
    box.setXRange(target.incident.start - 3_600, target.incident.end + 3_600, padding=0)
    QApplication.processEvents()
    viewport = view.chart.viewport()
    point = view.chart.mapFromScene(view.scene_point(target))
    qtbot.mouseMove(viewport, point)
    qtbot.waitUntil(lambda: "zone use1-az1" in view.chart.toolTip())
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=point)
    assert "ec2, us-east-1, zone use1-az1" in view.details.toPlainText()
