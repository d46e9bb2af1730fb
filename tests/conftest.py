"""Shared fixtures. The GUI ones import Qt only when a GUI test asks for them, so the rest of the
suite never loads it (tests/test_architecture.py)."""

from __future__ import annotations

import gc
import os
import shutil
import threading
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Property tests explore new random cases on every run at a desk (that is how rare defects are
# found), but CI must give the same verdict on the same commit: .ci/run chooses the "ci" profile,
# which draws the same cases each time and keeps no database of past failures between runs.
settings.register_profile("ci", derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def seeded_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with the sample contracts, scenarios and incidents, made once per session."""
    from slamodeler.services.workspaces import init_workspace

    path = tmp_path_factory.mktemp("seed") / "samples.slamws"
    init_workspace(path, "tester", samples=True).workspace.close()
    return path


@pytest.fixture
def ws(tmp_path: Path, capsys, monkeypatch) -> Path:
    """A workspace seeded with the samples by `ws init`; the author is "ana"."""
    from tests.helpers.cli import run

    monkeypatch.setenv("SLAMODELER_AUTHOR", "ana")
    path = tmp_path / "team.slamws"
    code, out, _ = run(capsys, "ws", "init", "--ws", path, "--samples")
    assert code == 0 and "contract three_tier_cloud" in out
    return path


@pytest.fixture
def gui_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Per-user folders (default workspace, log) inside the test's own folder."""
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.setenv("SLAMODELER_AUTHOR", "tester")
    return tmp_path


@pytest.fixture
def dark_application(qapp):
    """The application in a dark palette for the test, as a desktop's dark scheme sets it."""
    from PySide6.QtGui import QPalette

    from slamodeler.gui.widgets.theme import dark_palette

    before = QPalette(qapp.palette())
    qapp.setPalette(dark_palette())
    yield
    qapp.setPalette(before)


@pytest.fixture
def held_elsewhere(make_window):
    """``(window, release)``: a window on a copy of the samples that another writer holds (as
    another process would), so it opened read-only; ``release()`` lets that writer go."""
    from slamodeler.services.workspaces import open_workspace

    first = make_window()
    path = first.ws.path
    first.close()
    holder = open_workspace(path).workspace
    released: list[bool] = []

    def release() -> None:
        if not released:
            holder.close()
            released.append(True)

    try:
        window = make_window(workspace=path)
        assert window.ws.readonly
        yield window, release
    finally:
        release()


@pytest.fixture
def settings_file(gui_home: Path) -> Path:
    return gui_home / "settings.ini"


@pytest.fixture
def make_window(qtbot, gui_home, settings_file, seeded_workspace):
    """``make_window(workspace=...)``: a shown main window on a copy of the sample workspace (or
    on ``workspace``); closed at the end without asking, its threads joined."""
    from PySide6.QtCore import QSettings

    from slamodeler.gui.app import MainWindow

    windows = []

    def make(workspace: str | Path | None = "copy", **kwargs):
        if workspace == "copy":
            workspace = gui_home / "work.slamws"
            if not workspace.exists():
                shutil.copy(seeded_workspace, workspace)
        settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
        window = MainWindow(settings, workspace=workspace, **kwargs)
        window.confirm = lambda *a: True  # no modal question during teardown
        window.ask_unsaved = lambda *a: "discard"
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=2000)
        windows.append(window)
        return window

    threads = _threads()
    yield make
    for window in windows:
        window.confirm = lambda *a: True
        window.ask_unsaved = lambda *a: "discard"
        window.close()
        window.replay.worker.wait()
    gc.enable()  # the window collects on the GUI thread (gui/collector.py); the rest need not
    assert _threads() <= threads, "a GUI test left a Python thread running"


def _threads() -> int:
    """Threads started from Python and running, except the engine's pool (engine/threads.py),
    which lives as long as the process once pricing first uses it. Qt's own threads show up as
    "dummy" entries that Python 3.11 keeps after they end; the views' workers are joined above."""
    return sum(
        not t.name.startswith("slamodeler-numpy") and not isinstance(t, threading._DummyThread)
        for t in threading.enumerate()
    )


def pytest_terminal_summary(terminalreporter) -> None:
    """The hostile-input suite's counts (tests/helpers/hostile_inputs.py), when any test tried one."""
    from tests.helpers.hostile_inputs import TALLY, summary

    if TALLY["tried"]:
        terminalreporter.write_line(summary())
