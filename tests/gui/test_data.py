"""Incident data in the window: the column-mapping import (by menu and by drop), the incident
timeline and the fit view, driven as a user would; and the service functions under them."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from slamodeler.domain.errors import InputError
from slamodeler.domain.import_mapping import ColumnMapping
from slamodeler.engine.windows import seconds_inside
from slamodeler.gui.charts.chart_axes import UtcDateAxis
from slamodeler.gui.results.timeline_view import NO_SERVICE, impact_colour
from slamodeler.gui.workspace.import_dialog import NOT_MAPPED, ImportDialog
from slamodeler.services.fit import fit_incident_set, store_fitted_scenario
from slamodeler.services.incident_preview import preview_incident_file
from slamodeler.services.incident_sets import import_incidents
from slamodeler.services.workspaces import init_workspace
from tests.helpers.gui_import import BAD_ROWS, open_dialog, settle
from tests.helpers.gui_responsiveness import assert_responsive, gui_thread_gaps
from tests.helpers.gui_runs import items, pick, run_fit, wait_for_services
from tests.helpers.paths import MAPPINGS, SAMPLES

SAMPLE = SAMPLES / "incidents_sample.csv"
CLOUD_MAPPING = MAPPINGS / "cloud_status_2018_2020.yaml"

# The sample's incidents under the tool's own headers: nothing is found without a mapping.
RENAMED = SAMPLE.read_text(encoding="utf-8").replace(
    "id,start,end,impact,cause,service,region,title",
    "Ref,Opened,Resolved,Sev,Why,Svc,Where,Text",
    1,
)


def press_import(qtbot, dialog: ImportDialog) -> None:
    """Click Import; the rows are stored in the background, the dialog closes when they are."""
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        assert not dialog.import_button.isEnabled()  # off while the rows are stored


def browser_texts(window, group: str) -> list[str]:
    browser = window.browser
    for i in range(browser.topLevelItemCount()):
        top = browser.topLevelItem(i)
        if top.text(0) == group:
            return [top.child(j).text(0) for j in range(top.childCount())]
    raise AssertionError(f"no group {group}")


def problems(dialog: ImportDialog) -> list[list[str]]:
    table = dialog.problems
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


# -- import through the dialog -------------------------------------------------------------------


def test_the_sample_imports_through_the_dialog_and_appears_in_the_browser(qtbot, make_window):
    window = make_window()
    dialog = open_dialog(qtbot, window, SAMPLE)
    preview = dialog.table
    assert preview.rowCount() == 14
    assert preview.verticalHeaderItem(0).text() == "2"  # spreadsheet row numbers
    assert preview.item(0, 0).text() == "INC-1001"
    # pre-filled with the columns the import finds by their headers
    assert {f: c.currentText() for f, c in dialog.combos.items()} == {
        "start": "start",
        "end": "end",
        "duration_minutes": NOT_MAPPED,
        "impact": "impact",
        "cause": "cause",
        "service": "service",
        "region": "region",
        "zone": NOT_MAPPED,
        "id": "id",
        "title": "title",
    }
    assert dialog.status.text().startswith("14 of 14 row(s) usable")
    assert dialog.name.text() == "incidents_sample-2"  # incidents_sample is taken

    pick(qtbot, dialog.combos["start"], NOT_MAPPED)  # without a start nothing can be read
    settle(qtbot, dialog)
    assert "choose the Start column in the drop-down" in dialog.status.text()
    assert not dialog.import_button.isEnabled()
    pick(qtbot, dialog.combos["start"], "start")
    settle(qtbot, dialog)
    assert dialog.status.text().startswith("14 of 14")

    dialog.name.clear()
    qtbot.keyClicks(dialog.name, "incidents_sample")
    assert not dialog.import_button.isEnabled()  # a name already used
    dialog.name.clear()
    qtbot.keyClicks(dialog.name, "history-2024")
    assert dialog.import_button.isEnabled()
    press_import(qtbot, dialog)

    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: "history-2024" in browser_texts(window, "Incident sets"))
    assert "history-2024" in items(window.replay.incident_sets)
    stored = window.ws.load_incidents(window.ws.incident_set("history-2024"))
    assert [i.id for i in stored.incidents][:2] == ["INC-1001", "INC-1002"]
    assert len(stored.incidents) == 14


def test_the_other_views_take_a_new_set_each_in_a_turn_of_its_own(qtbot, make_window):
    """After an import the views it goes on to choose in show the set at once; the browser and
    the baseline, portfolio, sensitivity and vendor views each in a later turn of the event
    loop, so that the GUI thread serves its events between them; a workspace closed before
    then is not read."""
    window = make_window()
    import_incidents(window.ws, SAMPLE, "tester", key="history-2025")
    window._workspace_changed()
    assert "history-2025" in items(window.replay.incident_sets)
    assert "history-2025" not in browser_texts(window, "Incident sets")  # not yet: a later turn
    assert "history-2025" not in items(window.baseline.incident_sets)
    qtbot.waitUntil(lambda: "history-2025" in items(window.baseline.incident_sets))
    assert "history-2025" in browser_texts(window, "Incident sets")

    import_incidents(window.ws, SAMPLE, "tester", key="history-2026")
    window._workspace_changed()
    old, window.ws = window.ws, None  # what closing it leaves
    old.close()
    qtbot.wait(50)  # the later turns come and leave the closed workspace alone
    assert "history-2026" not in items(window.baseline.incident_sets)
    assert "history-2026" not in browser_texts(window, "Incident sets")


def test_columns_with_other_headers_are_mapped_with_the_combos(qtbot, make_window, tmp_path):
    export = tmp_path / "itsm export.csv"
    export.write_text(RENAMED, encoding="utf-8")
    window = make_window()
    dialog = open_dialog(qtbot, window, export)
    assert all(c.currentText() == NOT_MAPPED for c in dialog.combos.values())
    # the dialog's own drop-down, not the mapping file's YAML that the command line suggests
    assert dialog.status.text().startswith(
        "No column is chosen for Start: choose the Start column in the drop-down under Columns"
    )
    assert "{start:" not in dialog.status.text()
    pick(qtbot, dialog.combos["start"], "Opened")
    settle(qtbot, dialog)
    assert dialog.status.text().startswith(
        "No column is chosen for End or Duration (minutes): choose the End or Duration "
        "(minutes) column in the drop-down"
    )
    for field, header in [
        ("start", "Opened"),
        ("end", "Resolved"),
        ("impact", "Sev"),
        ("cause", "Why"),
    ]:
        pick(qtbot, dialog.combos[field], header)
        settle(qtbot, dialog)
    assert dialog.status.text().startswith("14 of 14 row(s) usable")
    pick(qtbot, dialog.combos["service"], "Svc")
    pick(qtbot, dialog.combos["id"], "Ref")
    settle(qtbot, dialog)
    assert dialog.name.text() == "itsm-export"
    press_import(qtbot, dialog)
    stored = window.ws.load_incidents(window.ws.incident_set("itsm-export"))
    first = stored.incidents[1]
    assert (first.id, first.cause, first.service) == ("INC-1002", "maintenance", "Compute")
    assert stored.incidents[0].title == ""  # Text was left unmapped


def test_a_spreadsheet_imports_through_the_dialog_with_real_dates(qtbot, make_window, tmp_path):
    """An XLSX export: its first sheet, cells holding dates (not text) and a number of minutes;
    the zone comes from the dialog's time zone box as for a CSV."""
    import csv
    import datetime as dt

    import openpyxl

    rows = list(csv.reader(SAMPLE.read_text(encoding="utf-8").splitlines()))
    header, body = rows[0], rows[1:]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Incidents"
    sheet.append(header)
    for row in body:
        cells = list(row)
        for name in ("start", "end"):
            i = header.index(name)
            cells[i] = dt.datetime.fromisoformat(cells[i]).astimezone(dt.UTC).replace(tzinfo=None)
        sheet.append(cells)
    export = tmp_path / "incidents.xlsx"
    book.save(export)

    window = make_window()
    dialog = open_dialog(qtbot, window, export)
    assert dialog.table.rowCount() == 14
    assert dialog.combos["start"].currentText() == "start"
    assert dialog.status.text().startswith("0 of 14 row(s) usable")  # times without a zone
    assert "Choose the time zone" in "\n".join(" ".join(row) for row in problems(dialog))
    pick(qtbot, dialog.zone, "UTC")
    settle(qtbot, dialog)
    assert dialog.status.text().startswith("14 of 14 row(s) usable")
    name = dialog.name.text()
    press_import(qtbot, dialog)
    stored = window.ws.load_incidents(window.ws.incident_set(name))
    from_csv = window.ws.load_incidents(window.ws.incident_set("incidents_sample"))
    assert [(i.id, i.start, i.end) for i in stored.incidents] == [
        (i.id, i.start, i.end) for i in from_csv.incidents
    ]


def test_bad_rows_are_listed_with_row_column_reason_and_fix(qtbot, make_window, tmp_path):
    export = tmp_path / "bad.csv"
    export.write_text(BAD_ROWS, encoding="utf-8")
    window = make_window()
    dialog = open_dialog(qtbot, window, export)
    assert dialog.status.text().startswith("1 of 6 row(s) usable")
    listed = {row[0]: row for row in problems(dialog)}
    assert sorted(listed) == ["3", "4", "5", "6", "7"]
    assert listed["3"][1] == "start" and "not a date and time" in listed["3"][2]
    assert "Correct the start" in listed["3"][3]
    assert listed["4"][1:3] == ["end", "end is before start"]
    assert listed["5"][2] == "impact is empty" and "default impact" in listed["5"][3]
    assert "unknown impact label 'Sev4'" in listed["6"][2] and "impact_labels" in listed["6"][3]
    assert "no zone or offset" in listed["7"][2] and "time zone" in listed["7"][3]
    assert "--timezone" not in " ".join(listed["7"])  # the dialog's words, not the command's

    pick(qtbot, dialog.default_impact, "partial")  # row 5 becomes usable
    settle(qtbot, dialog)
    pick(qtbot, dialog.zone, "Europe/Berlin")  # and row 7
    settle(qtbot, dialog)
    assert dialog.status.text().startswith("3 of 6 row(s) usable")
    assert sorted(row[0] for row in problems(dialog)) == ["3", "4", "6"]

    press_import(qtbot, dialog)
    stored = window.ws.load_incidents(window.ws.incident_set("bad"))
    assert [i.id for i in stored.incidents] == ["B-1", "B-4", "B-6"]
    assert stored.incidents[1].impact == "partial"
    assert stored.incidents[2].start_utc.hour == 9  # 10:00 in Berlin in March (CET) is 09:00 UTC
    assert sorted(i.row for i in stored.report.rejected) == [3, 4, 6]


def test_a_row_with_more_cells_than_the_header_is_listed_with_its_fix(qtbot, make_window, tmp_path):
    export = tmp_path / "wide.csv"
    export.write_text(
        "id,start,end,impact,title\n"
        "W-1,2024-03-01T10:00:00Z,2024-03-01T11:00:00Z,full,Outage, then a recovery\n",
        encoding="utf-8",
    )
    dialog = open_dialog(qtbot, make_window(), export)
    [listed] = problems(dialog)
    assert listed[:3] == ["2", "", "6 cells where the header has 5"]
    assert "Quote the cell that holds the separator" in listed[3]


def test_a_long_list_of_unusable_rows_shows_the_first_500(qtbot, make_window, tmp_path):
    export = tmp_path / "no offsets.csv"
    rows = [f"N-{n},2024-03-01 10:{n % 60:02d},2024-03-01 11:00,full" for n in range(600)]
    export.write_text("id,start,end,impact\n" + "\n".join(rows) + "\n", encoding="utf-8")
    window = make_window()
    dialog = open_dialog(qtbot, window, export)
    assert dialog.status.text().startswith("0 of 600 row(s) usable")
    assert "The first 500 are listed." in dialog.status.text()
    assert dialog.problems.rowCount() == 500
    assert problems(dialog)[0][0] == "2" and "time zone" in problems(dialog)[0][3]
    pick(qtbot, dialog.zone, "UTC")
    settle(qtbot, dialog)
    assert dialog.status.text().startswith("600 of 600") and dialog.problems.rowCount() == 0


def test_a_file_that_cannot_be_read_says_why(qtbot, make_window, tmp_path):
    export = tmp_path / "broken.csv"
    # 0x81 is undefined in Windows-1252, and 0xE9 0x81 is not UTF-8
    export.write_bytes(b"id,start,end,impact\nX,2024-01-01T00:00Z,2024-01-01T01:00Z,caf\xe9\x81\n")
    window = make_window()
    window.import_incidents(export)
    dialog = window.import_dialog
    qtbot.waitUntil(lambda: "not readable as text" in dialog.status.text(), timeout=10_000)
    assert "not Windows-1252 (byte 0x81 at offset 62, line 2)" in dialog.status.text()
    assert "Choose the encoding the file was saved in from the Encoding drop-down" in (
        dialog.status.text()
    )
    assert "--encoding" not in dialog.status.text()
    assert dialog.encoding.currentText() == "Auto-detect"
    assert not dialog.import_button.isEnabled()


# Excel's "CSV (Comma delimited)" on a Western Windows: é is 0xE9, the en dash 0x96, the euro 0x80
CP1252_EXPORT = (
    "id,start,end,impact,service,title\r\n"
    "E-1,2024-03-01T10:00:00Z,2024-03-01T11:00:00Z,full,Z\u00fcrich,Caf\u00e9 \u2013 down\r\n"
    "E-2,2024-03-02T10:00:00Z,2024-03-02T11:00:00Z,full,Paris,Refund \u20ac 50\r\n"
).encode("cp1252")


def preview_cells(dialog: ImportDialog) -> list[str]:
    table = dialog.table
    return [
        table.item(r, c).text() for r in range(table.rowCount()) for c in range(table.columnCount())
    ]


def test_the_encoding_is_detected_shown_and_can_be_changed(qtbot, make_window, tmp_path):
    export = tmp_path / "excel.csv"
    export.write_bytes(CP1252_EXPORT)
    window = make_window()
    dialog = open_dialog(qtbot, window, export)
    assert dialog.encoding.currentText() == "Auto-detected: Windows-1252"
    assert items(dialog.encoding)[1:] == ["UTF-8", "UTF-8 with BOM", "UTF-16", "Windows-1252"]
    assert "Caf\u00e9 \u2013 down" in preview_cells(dialog)
    assert "Refund \u20ac 50" in preview_cells(dialog)
    assert dialog.status.text().startswith("2 of 2 row(s) usable")

    pick(qtbot, dialog.encoding, "UTF-8")
    qtbot.waitUntil(lambda: "not valid UTF-8" in dialog.status.text(), timeout=10_000)
    assert "byte 0xFC at offset 87, line 2" in dialog.status.text()  # the u umlaut of Zurich
    assert dialog.table.rowCount() == 0 and not dialog.import_button.isEnabled()

    pick(qtbot, dialog.encoding, "Windows-1252")
    qtbot.waitUntil(lambda: "Refund \u20ac 50" in preview_cells(dialog), timeout=10_000)
    settle(qtbot, dialog)
    assert dialog.status.text().startswith("2 of 2 row(s) usable")
    press_import(qtbot, dialog)
    stored = window.ws.load_incidents(window.ws.incident_set("excel"))
    assert [x.title for x in stored.incidents] == ["Caf\u00e9 \u2013 down", "Refund \u20ac 50"]
    assert stored.report.encoding == "Windows-1252 (chosen)"


def test_a_utf8_export_read_as_windows_1252_shows_what_that_does(qtbot, make_window, tmp_path):
    export = tmp_path / "utf8.csv"
    export.write_bytes(CP1252_EXPORT.decode("cp1252").encode("utf-8"))
    window = make_window()
    dialog = open_dialog(qtbot, window, export)
    assert dialog.encoding.currentText() == "Auto-detected: UTF-8"
    assert "Z\u00fcrich" in preview_cells(dialog)
    pick(qtbot, dialog.combos["title"], NOT_MAPPED)  # choices made before the encoding stay
    pick(qtbot, dialog.default_impact, "partial")
    settle(qtbot, dialog)
    pick(qtbot, dialog.encoding, "Windows-1252")
    qtbot.waitUntil(lambda: "Z\u00c3\u00bcrich" in preview_cells(dialog), timeout=10_000)
    settle(qtbot, dialog)
    assert dialog.encoding.itemText(0) == "Auto-detect"  # nothing detected: one was chosen
    assert dialog.combos["title"].currentText() == NOT_MAPPED
    assert dialog.combos["service"].currentText() == "service"
    assert dialog.default_impact.currentText() == "partial"


def test_rows_used_with_a_note_are_listed_with_what_was_done(qtbot, make_window, tmp_path):
    export = tmp_path / "notes.csv"
    export.write_text(
        "id,start,end,impact\n"
        "N-1,2024-03-01T10:00:00Z,2024-03-01T11:00:00Z,full\n"
        "N-2,2024-03-02T10:00:00Z,2024-03-02T10:00:00Z,full\n"
        "N-3,2024-03-03T10:00:00Z,2024-03-03T11:00:00Z,\n"
        "N-4,2024-03-04T10:00:00Z,2024-03-04T09:00:00Z,full\n",
        encoding="utf-8",
    )
    window = make_window()
    dialog = open_dialog(qtbot, window, export)
    pick(qtbot, dialog.default_impact, "partial")
    settle(qtbot, dialog)
    assert dialog.status.text().startswith("3 of 4 row(s) usable")
    assert "2 row(s) used with a note: see 'Used with a note' below." in dialog.status.text()
    tabs = dialog.rows_tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Cannot be used (1)",
        "Used with a note (2)",
    ]
    tabs.setCurrentWidget(dialog.noted)
    notes = dialog.noted
    assert [
        [notes.item(r, c).text() for c in range(notes.columnCount())]
        for r in range(notes.rowCount())
    ] == [
        ["3", "end", "zero duration: counts no downtime"],
        ["4", "impact", "impact empty: taken as partial"],
    ]

    press_import(qtbot, dialog)  # and the incident set keeps them: its tooltip in the browser
    qtbot.waitUntil(lambda: "notes" in browser_texts(window, "Incident sets"))
    group = window.browser.findItems("Incident sets", Qt.MatchFlag.MatchExactly)[0]
    item = next(
        group.child(i) for i in range(group.childCount()) if group.child(i).text(0) == "notes"
    )
    tooltip = item.toolTip(0).splitlines()
    assert f"{export}: 4 row(s) read, 3 incident(s) used" in tooltip
    assert "  1 row(s) not used: end: end is before start (rows 5)" in tooltip
    assert "  1 row(s) used, note: end: zero duration: counts no downtime (rows 3)" in tooltip
    assert "  1 row(s) used, note: impact: impact empty: taken as partial (rows 4)" in tooltip


def test_a_mapping_file_fills_the_combos_and_its_default_impact(qtbot, make_window, tmp_path):
    export = tmp_path / "status.csv"
    export.write_text(
        "start_utc,end_utc,service,title,impact\n"
        "2020-01-01T00:00:00Z,2020-01-01T01:00:00Z,Compute,first,\n",
        encoding="utf-8",
    )
    window = make_window()
    dialog = open_dialog(qtbot, window, export)
    assert dialog.status.text().startswith("0 of 1")
    dialog.use_mapping(CLOUD_MAPPING)
    qtbot.waitUntil(lambda: dialog.default_impact.currentText() == "full", timeout=10_000)
    settle(qtbot, dialog)
    assert dialog.status.text().startswith("1 of 1")


def test_dropping_an_incident_file_on_the_window_opens_the_dialog(qtbot, make_window, tmp_path):
    window = make_window()

    def drop(path: Path) -> tuple[bool, bool]:
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        where = window.rect().center()  # a QPoint: QDragEnterEvent takes no QPointF before 6.12
        enter = QDragEnterEvent(
            where,
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(window, enter)
        if not enter.isAccepted():
            return False, False
        dropped = QDropEvent(
            QPointF(where),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(window, dropped)
        return True, dropped.isAccepted()

    other = tmp_path / "notes.pdf"
    other.write_bytes(b"%PDF")
    assert drop(other) == (False, False)
    assert window.import_dialog is None

    assert drop(SAMPLE) == (True, True)
    dialog = window.import_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.file.text() == str(SAMPLE)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("14 of 14"), timeout=10_000)
    dialog.reject()


# -- the timeline --------------------------------------------------------------------------------


def test_the_timeline_shows_the_incidents_of_a_set_by_service(qtbot, make_window):
    window = make_window()
    view = window.timeline
    with qtbot.waitSignal(view.drawn, timeout=10_000):
        window.tabs.setCurrentWidget(view)
    assert view.services == ["Compute", "Object Storage"]
    assert len(view.bars) == 14
    by_id = {b.incident.id: b for b in view.bars}
    assert by_id["INC-1009"].row == 1 and by_id["INC-1001"].row == 0
    # the open contract (three_tier_cloud) excludes maintenance, force majeure and customer
    # causes, and has a weekly window on Sundays 02:00-06:00 New York time
    assert "cause 'maintenance'" in by_id["INC-1002"].excluded
    assert "cause 'force_majeure'" in by_id["INC-1010"].excluded
    assert by_id["INC-1001"].excluded == ""
    # 2024-11-03 05:30-07:30 UTC is 01:30-02:30 EDT/EST on the fall-back night: the window opens
    # at 02:00 EST = 07:00 UTC, so its last 30 minutes are inside
    assert "30.0 min inside" in by_id["INC-1013"].excluded
    assert "14 incident(s) on 2 service row(s); 5 excluded" in view.status.text()

    # the maintenance windows, then one item per look (colour, hatched or not) of the incidents
    items_drawn = [i for i in view.chart.getPlotItem().items if type(i).__name__ == "BarGraphItem"]
    looks = {(impact_colour(b.incident.impact).rgb(), bool(b.excluded)) for b in view.bars}
    assert len(items_drawn) == 1 + len(looks)
    hatched = [i for i in items_drawn[1:] if i.opts["brush"].style() == Qt.BrushStyle.BDiagPattern]
    assert sum(len(i.opts["x0"]) for i in hatched) == 5  # the excluded incidents
    assert isinstance(view.chart.getAxis("bottom"), UtcDateAxis)  # dates in UTC, ticked quickly

    # zoom onto June, then click the 25% Object Storage incident
    box = view.chart.getPlotItem().getViewBox()
    target = by_id["INC-1009"]
    box.setXRange(target.incident.start - 86_400, target.incident.end + 86_400, padding=0)
    QApplication.processEvents()
    viewport = view.chart.viewport()
    point = view.chart.mapFromScene(view.scene_point(target))
    qtbot.mouseMove(viewport, point)
    qtbot.waitUntil(lambda: "INC-1009" in view.chart.toolTip())
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=point)
    text = view.details.toPlainText()
    assert "INC-1009" in text and "25% of PUT requests failing" in text
    assert "Object Storage, us-east-1" in text and "120.0 minutes" in text
    assert "Not excluded" in text
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=QPoint(point.x(), 5))  # not on a bar
    assert "INC-1009" in view.details.toPlainText()


# -- the fit view ------------------------------------------------------------------------------


def test_the_fit_view_shows_the_aic_tables_and_stores_a_scenario(qtbot, make_window):
    window = make_window()
    window.tabs.setCurrentWidget(window.fit)
    wait_for_services(qtbot, window.fit)
    assert items(window.fit.service) == ["All services", "Compute", "Object Storage"]
    view = run_fit(qtbot, window)
    table = view.durations
    families = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert sorted(f.rstrip(" *") for f in families) == [
        "exponential",
        "gamma",
        "lognormal",
        "weibull",
    ]
    assert families[0].endswith(" *") and table.item(0, 4).text() == "0.00"  # dAIC of the best
    aics = [float(table.item(r, 3).text().replace(",", "")) for r in range(table.rowCount())]
    assert aics == sorted(aics)
    # 14 incidents in 12 months: the Poisson rate is their mean, 14 / 12
    assert view.frequency.item(0, 0).text() == "poisson *"
    assert view.frequency.item(0, 1).text() == "rate_per_month 1.167"
    assert "Dispersion test" in view.dispersion.text() and "p = " in view.dispersion.text()
    assert "14 incidents, 2024-01 to 2024-12" in view.status.text()
    assert len(view.histogram.getPlotItem().listDataItems()) == 5  # histogram and 4 densities

    view.ask_text = lambda *a: "fitted-2024"
    qtbot.mouseClick(view.use_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "fitted-2024" in browser_texts(window, "Scenarios"))
    assert "fitted-2024" in items(window.simulation.scenarios)
    scenario = window.ws.scenario_of(window.ws.scenario("fitted-2024"))
    assert scenario.name == "fitted-2024"
    assert scenario.processes[0].frequency.rate_per_month == pytest.approx(1.167)
    assert "Stored as scenario fitted-2024" in view.status.text()


def test_a_service_with_too_few_incidents_is_a_message(qtbot, make_window):
    window = make_window()
    view = run_fit(qtbot, window, "Object Storage")
    assert "2 incident(s) of service 'Object Storage'" in window.errors.last.text()
    assert not view.use_button.isEnabled()


def test_use_as_scenario_is_off_while_the_workspace_is_read_only(qtbot, held_elsewhere):
    window, release = held_elsewhere
    view = run_fit(qtbot, window)
    assert view.fit is not None  # fitting reads only
    assert not view.use_button.isEnabled()
    assert "read-only" in view.use_button.toolTip()
    release()
    qtbot.mouseClick(window.reopen_button, Qt.MouseButton.LeftButton)  # open for editing
    assert not window.ws.readonly
    assert not view.use_button.isEnabled()  # the fit was of the workspace as opened before
    run_fit(qtbot, window)
    assert view.use_button.isEnabled()


# -- a large history -----------------------------------------------------------------------------


def write_history(path: Path, count: int, years: int, seed: int = 1) -> None:
    """``count`` synthetic incidents over ``years`` from 2020: several services, causes and
    impacts (labels and shares), up to six hours long."""
    rng = random.Random(seed)
    first = int(datetime(2020, 1, 1, 12, tzinfo=UTC).timestamp())
    span = int(datetime(2020 + years, 1, 1, tzinfo=UTC).timestamp()) - first - 6 * 3600
    impacts = ["full", "partial", "degraded", "0.25", "0.6"]
    causes = ["", "", "", "maintenance", "customer", "third_party"]
    services = ["Compute", "Object Storage", "Database", "Network", ""]

    def when(seconds: int) -> str:
        return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    lines = ["id,start,end,impact,cause,service,region,title"]
    for n in range(count):
        start = first + rng.randrange(span)
        end = start + rng.randrange(60, 6 * 3600)
        lines.append(
            f"S-{n},{when(start)},{when(end)},{rng.choice(impacts)},{rng.choice(causes)},"
            f"{rng.choice(services)},us-east-1,synthetic {n}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def import_show_and_replay(qtbot, window, export: Path, incidents: int) -> None:
    """Import ``export`` through the dialog, show it on the timeline and replay it."""
    dialog = open_dialog(qtbot, window, export)
    assert dialog.status.text().startswith(f"{incidents:,} of {incidents:,} row(s) usable")
    name = dialog.name.text()
    press_import(qtbot, dialog)
    timeline = window.timeline
    if window.tabs.currentWidget() is timeline:  # the second time round: shown already
        window.tabs.setCurrentWidget(window.replay)
    with qtbot.waitSignal(timeline.drawn, timeout=60_000):
        window.tabs.setCurrentWidget(timeline)
    assert timeline.incident_sets.currentText() == name  # the set just imported
    assert len(timeline.bars) == incidents
    assert window.replay.incident_sets.currentText() == name
    with qtbot.waitSignal(window.replay.finished, timeout=60_000):
        window.tabs.setCurrentWidget(window.replay)
        qtbot.mouseClick(window.replay.run_button, Qt.MouseButton.LeftButton)
    wait_for_services(qtbot, window.fit)


def test_a_large_history_imports_and_shows_without_blocking_the_window(
    qtbot, make_window, tmp_path
):
    """20,000 incidents over five years through the import dialog, the timeline and a replay:
    a QTimer on the GUI thread never waits 100 ms between ticks. A small history goes the same
    way first, so that what a session does once (the first use of a module) is not counted."""
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    write_history(small, 200, years=5)
    write_history(large, 20_000, years=5)
    window = make_window()
    import_show_and_replay(qtbot, window, small, 200)
    with gui_thread_gaps() as gaps:
        import_show_and_replay(qtbot, window, large, 20_000)
    assert window.timeline.services == [
        "Compute", "Database", "Network", "Object Storage", NO_SERVICE,
    ]  # fmt: skip
    periods = window.replay.table
    assert periods.item(0, 0).text() == "2020-01" and periods.rowCount() >= 60
    assert_responsive(gaps)


# -- the services under them ---------------------------------------------------------------------


def test_preview_guesses_columns_as_the_import_does(tmp_path):
    preview = preview_incident_file(SAMPLE, limit=3)
    assert preview.header[:3] == ["id", "start", "end"]
    assert [n for n, _ in preview.rows] == [2, 3, 4]
    assert preview.guessed["start"] == "start" and "duration_minutes" not in preview.guessed
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(RENAMED, encoding="utf-8")
    mapped = preview_incident_file(
        renamed, ColumnMapping(columns={"start": "opened", "title": "Missing"})
    )
    assert mapped.guessed == {"start": "Opened"}  # the header as the file spells it


def test_fit_incident_set_and_store_the_scenario(tmp_path):
    ws = init_workspace(tmp_path / "w.slamws", "tester", samples=True).workspace
    try:
        incidents = ws.load_incidents(ws.incident_set("incidents_sample"))
        fit = fit_incident_set(incidents)
        assert fit.report.incidents == 14
        assert fit.durations.size == fit.report.durations.used == 14
        assert np.all(np.diff(fit.durations) >= 0)
        # INC-1008 lasted 40 seconds; INC-1010 12 hours
        assert fit.durations[0] == pytest.approx(40 / 60) and fit.durations[-1] == 720
        row, added = store_fitted_scenario(ws, fit, "fitted", "tester")
        assert added and row.source == "fitted from incident set incidents_sample"
        assert store_fitted_scenario(ws, fit, "fitted", "tester")[1] is False  # the same again
        with pytest.raises(InputError, match="2 incident\\(s\\) of service 'Object Storage'"):
            fit_incident_set(incidents, service="object storage")
    finally:
        ws.close()


def test_seconds_inside_counts_overlapping_windows_once():
    windows = [(200, 300), (0, 100), (50, 150), (300, 310)]  # [0, 150) and [200, 310)
    starts = np.array([0, 60, 120, 250, -5, 400, 305, 10])
    ends = np.array([500, 70, 210, 305, 5, 500, 306, 10])
    assert seconds_inside(starts, ends, windows).tolist() == [260, 10, 40, 55, 5, 0, 1, 0]
    assert seconds_inside(starts, ends, []).tolist() == [0] * 8
