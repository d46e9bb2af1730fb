"""The start-up screen: on screen before the application is imported, gone once the main window
is on screen (benchmarks/startup.py times it)."""

from __future__ import annotations

import json
import subprocess
import sys

from PySide6.QtWidgets import QApplication

from slamodeler import launcher
from slamodeler.gui.startup_screen import StartupScreen
from tests.helpers.paths import REPO

# What takes the second the screen is there for: none of it may load before the screen shows.
HEAVY = ("numpy", "pyqtgraph", "sqlalchemy", "sqlmodel", "pydantic", "slamodeler.gui.app")


def _screens() -> list[StartupScreen]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, StartupScreen)]


def test_the_screen_shows_before_anything_heavy_is_imported():
    code = (
        "import json, sys\n"
        "from slamodeler.gui.startup_screen import StartupScreen\n"
        "screen = StartupScreen.show_now()\n"
        f"loaded = sorted(m for m in {HEAVY!r} if m in sys.modules)\n"
        "print(json.dumps([screen.isVisible(), screen.message, loaded]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert json.loads(out.stdout) == [True, "Loading…", []]


def test_the_screen_closes_once_the_main_window_is_on_screen(qtbot, make_window):
    screen = StartupScreen.show_now()
    qtbot.addWidget(screen)
    screen.until_window()
    assert screen.message == "Opening the workspace…"
    window = make_window()
    qtbot.waitUntil(lambda: not screen.isVisible())
    assert window.isVisible()


def test_without_a_main_window_the_screen_closes_at_once(qtbot):
    screen = StartupScreen.show_now()
    qtbot.addWidget(screen)
    screen.until_window()
    qtbot.waitUntil(lambda: not screen.isVisible())


def test_the_launcher_shows_the_screen_while_the_application_starts(qtbot, monkeypatch):
    import slamodeler.gui.app

    seen: list[str] = []

    def application() -> int:
        seen.extend(s.message for s in _screens() if s.isVisible())
        return 7

    monkeypatch.setattr("sys.argv", ["slamodeler"])
    monkeypatch.setattr(slamodeler.gui.app, "main", application)
    assert launcher.main() == 7
    assert seen == ["Opening the workspace…"]
    assert not any(s.isVisible() for s in _screens())
