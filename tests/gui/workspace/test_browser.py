"""The workspace browser: a long name never hides the Status column (in either palette), and the
version in the editor stays the selected item after a save or an approval."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from slamodeler.services.incident_sets import read_incident_set, store_incidents
from slamodeler.services.workspaces import open_workspace
from tests.helpers.gui_editing import type_into_cell

LONG = "github-incident-history-exported-from-the-status-page-" + "x" * 46  # 100, the most


def window_with_a_long_name(make_window, gui_home, seeded_workspace):
    """The window at 1280x800 on a workspace holding an incident set with a long name."""
    path = gui_home / "long.slamws"
    shutil.copy(seeded_workspace, path)
    with open_workspace(path).workspace as ws:
        incidents = read_incident_set(ws, "incidents_sample")
        store_incidents(ws, incidents, "tester", LONG)
    window = make_window(workspace=path)
    window.replay.choose_incident_set(LONG)
    window.resize(1280, 800)
    QApplication.processEvents()
    (item,) = [i for i in window.browser.items_of("incident_set") if i.text(0) == LONG]
    return window, item


def status_in_view(browser) -> bool:
    header = browser.header()
    left = header.sectionViewportPosition(1)
    return left >= 0 and left + header.sectionSize(1) <= browser.viewport().width()


def test_a_long_name_leaves_the_status_column_in_view(
    qtbot, make_window, gui_home, seeded_workspace
):
    window, item = window_with_a_long_name(make_window, gui_home, seeded_workspace)
    browser = window.browser
    assert window.size().width() == 1280  # the views' lists did not widen the window
    assert window.replay.incident_sets.currentText() == LONG
    assert (
        window.replay.incident_sets.itemData(
            window.replay.incident_sets.currentIndex(), Qt.ItemDataRole.ToolTipRole
        )
        == LONG
    )
    assert browser.viewport().width() >= 200  # nor squeezed the browser
    assert status_in_view(browser)
    assert browser.horizontalScrollBar().maximum() == 0  # nothing to scroll to
    status = browser.visualItemRect(item)
    assert status.right() <= browser.viewport().width()
    assert browser.header().sectionSize(1) >= browser.fontMetrics().horizontalAdvance("approved")
    assert LONG in item.toolTip(0)  # the name in full, where the row cuts it


def test_the_status_column_reads_on_a_dark_palette(
    qtbot,
    make_window,
    gui_home,
    seeded_workspace,
    dark_application,
):
    window, item = window_with_a_long_name(make_window, gui_home, seeded_workspace)
    browser = window.browser
    assert status_in_view(browser)
    (version,) = [i for i in browser.items_of("version") if i.parent().text(0) == "ec2_region_sla"]
    browser.setCurrentItem(item)  # another row selected: the version's row is drawn plainly
    header = browser.header()
    row = browser.visualItemRect(version)
    image = browser.viewport().grab().toImage()
    x0 = header.sectionViewportPosition(1)
    light = [
        QColor(image.pixel(x, y)).lightness()
        for x in range(x0, x0 + header.sectionSize(1))
        for y in range(row.top(), row.bottom())
    ]
    assert min(light) < 60  # the dark base
    assert max(light) > 170  # the status written in light text on it


def test_save_selects_the_new_version_and_approve_keeps_it(qtbot, make_window):
    window = make_window()
    browser = window.browser
    assert browser.currentItem().text(0) == "version 1"
    type_into_cell(qtbot, window.editor.schedule, 0, 1, "15")
    window.ask_text = lambda *a: "customer asked for 15%"
    window.save_action.trigger()
    current = browser.currentItem()
    assert (current.parent().text(0), current.text(0)) == ("three_tier_cloud", "version 2")
    assert current.data(0, 0x0101) == window.version_id  # IDENT
    assert current.isSelected()

    window.ask_text = lambda *a: "signed off"
    window.approve_action.trigger()
    current = browser.currentItem()
    assert (current.parent().text(0), current.text(0), current.text(1)) == (
        "three_tier_cloud",
        "version 2",
        "approved",
    )
    assert current.isSelected()
