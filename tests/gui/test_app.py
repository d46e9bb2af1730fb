"""The main window's manners: first run, last workspace, layout, shortcuts, About, errors."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from slamodeler.gui.widgets.errors import log_path


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


def test_the_panes_stay_where_the_user_left_them(make_window, qtbot):
    from PySide6.QtWidgets import QSplitter

    first = make_window()
    first.resize(1200, 800)
    first.tabs.setCurrentWidget(first.replay)
    replay_split = first.replay.findChildren(QSplitter)[0]
    schedule_split = first.editor.schedule_split
    qtbot.waitUntil(lambda: sum(replay_split.sizes()) > 0)
    replay_split.setSizes([300, sum(replay_split.sizes()) - 300])
    schedule_split.setSizes([60, 400, 140])  # the editor's panes, as dragged
    left_replay, left_schedule = replay_split.sizes(), schedule_split.sizes()
    first.close()

    again = make_window(workspace=None)
    again.resize(1200, 800)
    again.tabs.setCurrentWidget(again.replay)
    qtbot.waitUntil(lambda: again.replay.findChildren(QSplitter)[0].sizes() == left_replay)
    assert again.editor.schedule_split.sizes() == left_schedule


def test_standard_shortcuts(make_window):
    window = make_window()
    standard = QKeySequence.StandardKey
    for action, key in [
        (window.new_action, standard.New),
        (window.open_action, standard.Open),
        (window.save_action, standard.Save),
        (window.undo_action, standard.Undo),
        (window.redo_action, standard.Redo),
        (window.find_action, standard.Find),
    ]:
        assert action.shortcut() == QKeySequence(key), action.text()
    quit_keys = QKeySequence.keyBindings(standard.Quit) or [QKeySequence("Ctrl+Q")]
    assert window.quit_action.shortcuts() == quit_keys


def press(qtbot, window, action) -> None:
    """The action's shortcut pressed in the window, away from any text field (which keeps
    Ctrl+Z for itself)."""
    window.browser.setFocus()
    keys = action.shortcut()[0]
    qtbot.keyClick(window.browser, keys.key(), keys.keyboardModifiers())


def test_the_shortcuts_trigger_their_actions(make_window, qtbot, gui_home):
    window = make_window()
    document = window.editor.document
    name = document.get(("name",))
    document.set_value(("name",), "Renamed")
    press(qtbot, window, window.undo_action)
    assert document.get(("name",)) == name
    press(qtbot, window, window.redo_action)
    assert document.get(("name",)) == "Renamed"

    asked = []
    window.ask_text = lambda *a: asked.append(a) or None  # the reason dialog, cancelled
    press(qtbot, window, window.save_action)
    assert asked and asked[0][0] == "Save as new version"

    press(qtbot, window, window.find_action)
    assert window.browser_panel.find_field.hasFocus()

    target = gui_home / "fresh"
    window.ask_new_workspace = lambda: (target, True)
    press(qtbot, window, window.new_action)  # the edits are discarded (confirm says yes in tests)
    assert window.ws.path == gui_home / "fresh.slamws"
    assert "three_tier_cloud" in _tree_texts(window)
    assert "fresh.slamws" in window.windowTitle()

    press(qtbot, window, window.quit_action)
    assert not window.isVisible()


def test_a_new_workspace_can_start_empty(make_window, gui_home):
    window = make_window()
    window.ask_new_workspace = lambda: (gui_home / "empty.slamws", False)
    window.new_action.trigger()
    assert window.ws.path.name == "empty.slamws"
    assert window.browser.items_of("version") == []
    assert window.editor is None
    assert "empty" in window.statusBar().currentMessage()

    window.new_action.trigger()  # the same file again: refused, the workspace stays open
    box = window.errors.last
    assert "already exists" in box.text()
    box.close()
    assert window.ws.path.name == "empty.slamws"


def visible_texts(window) -> list[str]:
    browser = window.browser
    out = []
    stack = [browser.topLevelItem(i) for i in range(browser.topLevelItemCount())]
    while stack:
        item = stack.pop(0)
        if item.isHidden():
            continue
        out.append(item.text(0))
        stack[:0] = [item.child(i) for i in range(item.childCount())]
    return out


def test_find_filters_the_workspace_browser_as_you_type(make_window, qtbot):
    window = make_window()
    everything = visible_texts(window)
    press(qtbot, window, window.find_action)
    find = window.browser_panel.find_field
    qtbot.keyClicks(find, "EC2")
    shown = visible_texts(window)
    assert shown[:2] == ["Contracts", "ec2_region_sla"]
    assert "version 1" in shown  # a matching contract keeps its versions
    assert "three_tier_cloud" not in shown and "Scenarios" not in shown

    find.clear()
    qtbot.keyClicks(find, "bad")  # a scenario: its group is shown around it
    assert visible_texts(window) == ["Scenarios", "bad_year"]

    qtbot.keyClicks(find, "-no-such-thing")
    assert visible_texts(window) == []
    assert window.browser_panel.nothing.isVisible()
    assert "bad-no-such-thing" in window.browser_panel.nothing.text()

    qtbot.keyClick(find, Qt.Key.Key_Escape)
    assert find.text() == ""
    assert visible_texts(window) == everything
    assert not window.browser_panel.nothing.isVisible()


def test_the_filter_stays_when_the_browser_is_reloaded(make_window, qtbot):
    window = make_window()
    qtbot.keyClicks(window.browser_panel.find_field, "incidents")
    window.browser.load(window.ws)
    assert visible_texts(window) == ["Incident sets", "incidents_sample", "vendor_incidents"]


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


def internal_error_in(window) -> QMessageBox:
    """An exception reaching the window's hook, as one escaping a slot would; its dialog."""
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        window.errors.excepthook(*sys.exc_info())
    return window.errors.last


def test_an_internal_error_shows_a_dialog_with_details_folded_and_logs_them(make_window):
    from slamodeler.gui.widgets.errors import setup_logging

    log = setup_logging()
    box = internal_error_in(make_window())
    assert box.icon() == QMessageBox.Icon.Critical
    assert "RuntimeError: boom" in box.text()
    assert "Traceback" not in box.text()
    assert "Traceback (most recent call last)" in box.detailedText()  # folded under Details
    assert str(log_path()) in box.informativeText()
    assert "RuntimeError: boom" in log.read_text(encoding="utf-8")
    assert box.windowModality() != Qt.WindowModality.ApplicationModal or box.isVisible()
    box.close()


def test_an_internal_error_does_not_claim_a_log_it_could_not_write(make_window, tmp_path):
    """A symlink planted at the log's name is refused (nothing logged): the dialog says so
    rather than pointing to a file that does not hold the details."""
    from slamodeler.gui.widgets.errors import setup_logging

    target = tmp_path / "victim.txt"
    target.write_text("untouched", encoding="utf-8")
    log_path().parent.mkdir(parents=True, exist_ok=True)
    log_path().symlink_to(target)
    setup_logging()
    box = internal_error_in(make_window())
    assert f"could not be written to {log_path()}" in box.informativeText()
    assert "were written to" not in box.informativeText()
    assert target.read_text(encoding="utf-8") == "untouched"
    box.close()


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


def recent_names(window) -> list[str]:
    return [Path(a.data()).name for a in window.recent_menu.entries()]


def test_open_recent_lists_the_last_workspaces_across_windows(
    make_window, gui_home, seeded_workspace
):
    copies = [gui_home / f"{name}.slamws" for name in "abc"]
    for path in copies:
        shutil.copy(seeded_workspace, path)
    first = make_window(workspace=copies[0])
    first.open_workspace(copies[1])
    assert recent_names(first) == ["b.slamws", "a.slamws"]
    first.close()

    second = make_window(workspace=copies[2])  # a new window, the same settings file
    assert recent_names(second) == ["c.slamws", "b.slamws", "a.slamws"]
    assert second.recent_menu.entries()[1].text().startswith("&2 b.slamws")
    second.recent_menu.entries()[2].trigger()  # File > Open Recent > a
    assert second.ws.path.name == "a.slamws"
    assert recent_names(second) == ["a.slamws", "c.slamws", "b.slamws"]

    copies[1].unlink()  # b is gone: dropped when the menu is next shown, with a message
    second.recent_menu.aboutToShow.emit()
    assert recent_names(second) == ["a.slamws", "c.slamws"]
    assert "b.slamws" in second.statusBar().currentMessage()

    stale = second.recent_menu.entries()[1]  # c vanishes after the menu was shown
    copies[2].unlink()
    stale.trigger()
    assert "c.slamws no longer exists" in second.errors.last.text()
    second.errors.last.close()
    assert recent_names(second) == ["a.slamws"]
    assert second.ws.path.name == "a.slamws"

    second.recent_menu.clear_action.trigger()
    assert recent_names(second) == []
    assert not second.recent_menu.clear_action.isEnabled()


def test_open_recent_keeps_the_last_eight(make_window, gui_home):
    window = make_window()
    for n in range(10):
        path = gui_home / f"w{n}.slamws"
        path.touch()
        window.recent.add(path)
    window.recent_menu.rebuild()
    assert recent_names(window) == [f"w{n}.slamws" for n in range(9, 1, -1)]


def test_a_workspace_locked_by_another_process_opens_read_only(make_window, gui_home, qtbot):
    import os

    from slamodeler.services.workspaces import open_workspace

    window = make_window()
    path = window.ws.path
    window.close()  # the lock is free again
    holder = open_workspace(path).workspace  # another writer (its own lock file handle)
    try:
        window = make_window(workspace=path)
        assert window.ws.readonly
        assert window.readonly_bar.isVisible()
        banner = window.banner.text()
        assert f"pid {os.getpid()}" in banner and "work.slamws" in banner
        assert "(read-only)" in window.windowTitle()
        assert window.editor is not None  # it can still be looked at
        assert not window.save_action.isEnabled()
        assert not window.approve_action.isEnabled()
        assert all(not action.isEnabled() for action in window.writing_actions)
        window.editor.document.set_value(("name",), "What if")  # edits stay in the editor
        assert not window.save_action.isEnabled()
        window.editor.document.undo_stack.undo()

        window.reopen_button.click()  # still held: still read-only
        assert window.ws.readonly and window.readonly_bar.isVisible()
    finally:
        holder.close()
    qtbot.mouseClick(window.reopen_button, Qt.MouseButton.LeftButton)
    assert not window.ws.readonly
    assert not window.readonly_bar.isVisible()
    assert "(read-only)" not in window.windowTitle()
    window.editor.document.set_value(("name",), "What if")
    assert window.save_action.isEnabled()
    assert all(action.isEnabled() for action in window.writing_actions)


def all_actions(window) -> list:
    """Every action of the menus (submenus included, the recent files left out) and toolbar."""
    from PySide6.QtWidgets import QMenu, QToolBar

    submenus = {menu.menuAction(): menu for menu in window.findChildren(QMenu)}
    recent = set(window.recent_menu.entries())
    found, menus = [], [submenus[action] for action in window.menuBar().actions()]
    while menus:
        for action in menus.pop().actions():
            if action in submenus:
                menus.append(submenus[action])
            if not action.isSeparator() and action not in recent:
                found.append(action)
    for toolbar in window.findChildren(QToolBar):
        found += [a for a in toolbar.actions() if not a.isSeparator()]
    return found


def test_every_action_and_the_window_have_an_icon_sharp_at_high_dpi(make_window):
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImage

    from slamodeler.gui.widgets.icons import resources_dir

    window = make_window()
    actions = all_actions(window)
    assert len(set(actions)) >= 12
    missing = [a.text() for a in actions if a.icon().isNull()]
    assert missing == []
    assert {16, 256} <= {s.width() for s in window.windowIcon().availableSizes()}

    at_2x = window.open_action.icon().pixmap(QSize(24, 24), 2.0)
    assert (at_2x.width(), at_2x.devicePixelRatio()) == (48, 2.0)  # drawn at 48 px, not scaled
    drawn = resources_dir() / "icons" / "actions" / "open-24@2x.png"
    premultiplied = QImage.Format.Format_ARGB32_Premultiplied
    file_image = QImage(str(drawn)).convertToFormat(premultiplied)
    assert at_2x.toImage().convertToFormat(premultiplied) == file_image


def drawn_from(icon, folder: str, name: str) -> bool:
    """Whether the icon, as shown at 24 px, is resources/icons/FOLDER/NAME-24.png."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImage

    from slamodeler.gui.widgets.icons import resources_dir

    premultiplied = QImage.Format.Format_ARGB32_Premultiplied
    shown = icon.pixmap(QSize(24, 24), 1.0).toImage().convertToFormat(premultiplied)
    path = resources_dir() / "icons" / folder / f"{name}-24.png"
    return shown == QImage(str(path)).convertToFormat(premultiplied)


def test_a_dark_palette_is_recognised():
    from PySide6.QtGui import QColor, QGuiApplication, QPalette

    from slamodeler.gui.widgets.icons import palette_is_dark

    dark = QPalette(QGuiApplication.palette())
    dark.setColor(QPalette.ColorRole.Window, QColor(40, 40, 40))
    assert palette_is_dark(dark)  # offscreen has no colour scheme: the palette decides
    assert not palette_is_dark(QPalette(QColor(239, 239, 239)))


def test_a_switch_to_dark_at_run_time_switches_to_the_dark_action_icons(
    make_window, monkeypatch, gui_home, seeded_workspace
):
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtGui import QGuiApplication

    from slamodeler.gui.widgets import icons

    window = make_window()
    assert drawn_from(window.save_action.icon(), "actions", "save")
    hints = QGuiApplication.styleHints()
    monkeypatch.setattr(icons, "palette_is_dark", lambda: True)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # the system turns dark
    assert drawn_from(window.save_action.icon(), "actions-dark", "save")
    assert drawn_from(window.undo_action.icon(), "actions-dark", "undo")
    assert drawn_from(window.recent_menu.menuAction().icon(), "actions-dark", "open")
    later = make_window(workspace=shutil.copy(seeded_workspace, gui_home / "later.slamws"))
    assert drawn_from(later.open_action.icon(), "actions-dark", "open")  # a new window too

    monkeypatch.setattr(icons, "palette_is_dark", lambda: False)
    # the palette changing without a colour scheme (a desktop without one, another style):
    # what the window receives when the application's palette changes
    QCoreApplication.sendEvent(window, QEvent(QEvent.Type.PaletteChange))
    assert drawn_from(window.save_action.icon(), "actions", "save")


LONG_SESSION = """
import slamodeler.gui
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

class Emitter(QObject):
    fired = Signal()

app = QApplication([])
action, emitter = QAction("x"), Emitter()
for _ in range(300_000):  # each takes a reference to None, True or False in PySide6 6.12
    action.setEnabled(True)
    emitter.fired.emit()
print("still running")
"""


def test_a_long_session_of_calls_into_qt_does_not_abort_the_interpreter():
    import os
    import subprocess

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", LONG_SESSION], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert "still running" in done.stdout
