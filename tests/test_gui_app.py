"""The main window's manners: first run, last workspace, layout, shortcuts, About, errors."""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from slamodeler.gui.errors import log_path


def _tree_texts(window) -> list[str]:
    out = []
    browser = window.browser
    stack = [browser.topLevelItem(i) for i in range(browser.topLevelItemCount())]
    while stack:
        item = stack.pop(0)
        out.append(item.text(0))
        stack[:0] = [item.child(i) for i in range(item.childCount())]
    return out


def test_first_run_opens_the_default_workspace_seeded_with_the_samples(make_window, gui_home):
    window = make_window(workspace=None)
    default = gui_home / "xdg_data_home" / "SLA Modeler" / "default.slamws"
    assert default.exists()
    texts = _tree_texts(window)
    for expected in ["three_tier_cloud", "ec2_region_sla", "incidents_sample", "baseline"]:
        assert expected in texts
    assert "default.slamws" in window.windowTitle()
    assert window.editor is not None  # a contract is open, ready to edit
    assert "Created" in window.statusBar().currentMessage()


def test_the_next_start_reopens_the_last_workspace_and_the_window_layout(
    make_window, settings_file
):
    first = make_window()
    first.resize(760, 520)
    assert (first.width(), first.height()) == (760, 520)
    first.move(30, 40)
    path = first.ws.path
    first.close()
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    assert settings.value("workspace/last") == str(path)

    again = make_window(workspace=None)  # no workspace asked for: the last one
    assert again.ws.path == path
    assert (again.width(), again.height()) == (760, 520)


def test_standard_shortcuts(make_window):
    window = make_window()
    assert window.open_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
    assert window.save_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    assert window.undo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert window.redo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Redo)
    assert window.quit_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)


def test_about_box_names_the_versions(make_window):
    import PySide6

    window = make_window()
    about = window.about()
    assert about.isVisible()
    assert "SLA Modeler 0.1.0" in about.text()
    assert f"PySide6 {PySide6.__version__}" in about.text()
    about.close()


def test_bad_input_is_a_message_not_a_traceback(make_window, gui_home):
    window = make_window()
    bogus = gui_home / "not-a-workspace.slamws"
    bogus.write_text("hello", encoding="utf-8")
    window.open_workspace(bogus)
    box = window.errors.last
    assert box is not None and box.isVisible()
    assert box.text().startswith("Could not open the workspace: ")
    assert "Traceback" not in box.text() + box.informativeText()
    assert box.detailedText() == ""
    box.close()
    assert window.ws is not None and window.ws.path.name == "work.slamws"  # still open


def test_an_internal_error_shows_a_dialog_with_details_folded_and_logs_them(make_window):
    from slamodeler.gui.errors import setup_logging

    log = setup_logging()
    window = make_window()
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        window.errors.excepthook(*sys.exc_info())
    box = window.errors.last
    assert box.icon() == QMessageBox.Icon.Critical
    assert "RuntimeError: boom" in box.text()
    assert "Traceback" not in box.text()
    assert "Traceback (most recent call last)" in box.detailedText()  # folded under Details
    assert str(log_path()) in box.informativeText()
    assert "RuntimeError: boom" in log.read_text(encoding="utf-8")
    assert box.windowModality() != Qt.WindowModality.ApplicationModal or box.isVisible()
    box.close()


def test_the_screenshot_script_renders_each_main_view_at_1280x800(qtbot, gui_home):
    from PySide6.QtGui import QImage

    from slamodeler.gui.screenshots import render

    written = render(gui_home / "shots")
    assert [p.name for p in written] == [
        "contract-editor.png",
        "compare-versions.png",
        "validation.png",
        "replay.png",
    ]
    for path in written:
        image = QImage(str(path))
        assert (image.width(), image.height()) == (1280, 800)


def test_a_first_run_explains_the_window_until_dismissed(make_window, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel, QPushButton

    window = make_window(workspace=None)
    assert window.welcome is not None and window.welcome.isVisible()
    text = window.welcome.findChild(QLabel).text()
    assert "Replay" in text and "Simulation" in text and "sample contracts" in text
    qtbot.mouseClick(window.welcome.findChild(QPushButton), Qt.MouseButton.LeftButton)
    assert not window.welcome.isVisible()
    assert window.settings.value("welcome/dismissed", False, type=bool)


def test_the_explanation_is_not_shown_on_an_existing_workspace(make_window):
    window = make_window()
    assert window.welcome is None
