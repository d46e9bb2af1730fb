"""A tour of the whole window as a user meets it, on whatever display Qt has: every tab and
sub-tab shown and painted before and after a replay, a fit and a simulation (each run once with
every chart tab of its view on screen when it ends), at 1280x800 and 1920x1080, in the light and
the dark palette. It also takes the pictures in docs/screenshots (``scripts/screenshots.py``).

Offscreen tests construct views without painting the ones not on screen; a crash in a paint
reached a user that way. So the tour runs on a real X server (xcb under Xvfb,
tests/gui/test_real_display.py) in a process of its own, ``python -m slamodeler.gui.tour``: a
crash is a failed exit, not a dead test runner. It fails on a crash, on any Python exception
reaching the event loop, on an error dialog, and on a Qt warning, and lists what it saw.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QEventLoop, QMessageLogContext, QSettings, QTimer, QtMsgType
from PySide6.QtCore import qInstallMessageHandler as install_message_handler
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QPushButton, QTabWidget, QWidget

from slamodeler.gui.app import MainWindow, create_application
from slamodeler.gui.widgets.theme import dark_palette
from slamodeler.gui.widgets.worker import Worker
from slamodeler.services.workspaces import init_workspace

DOCS_SIZE = (1280, 800)
SIZES = (DOCS_SIZE, (1920, 1080))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.replace("&", "").lower()).strip("-")


class Problems:
    """What went wrong on the tour: Qt warnings, exceptions that reached the event loop, error
    dialogs shown."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.where = "opening the window"

    def qt_message(self, kind: QtMsgType, _context: QMessageLogContext, text: str) -> None:
        if kind != QtMsgType.QtDebugMsg and kind != QtMsgType.QtInfoMsg:
            self.seen.append(f"{self.where}: Qt {kind.name}: {text}")

    def excepthook(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        import traceback

        details = "".join(traceback.format_exception(kind, exc, tb))
        self.seen.append(f"{self.where}: exception reached the event loop:\n{details}")


class Tour:
    """The window on a fresh sample workspace, and the ways to walk it."""

    def __init__(
        self, window: MainWindow, problems: Problems, shots: Path | None, every: Path | None
    ):
        self.window, self.problems, self.shots, self.every = window, problems, shots, every
        self.views = 0  # views painted
        self.written: list[Path] = []

    def settle(self, ms: int = 120) -> None:
        """Let the window work (and paint) for ``ms`` in a local loop."""
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()
        box = self.window.errors.last
        if box is not None and box.isVisible():
            self.problems.seen.append(f"{self.problems.where}: error dialog: {box.text()}")
            box.close()

    def finish(self, limit: float = 120.0) -> None:
        """Until every background job of the window is done, then until it is drawn."""
        deadline = time.monotonic() + limit
        while any(w.running for w in self.window.findChildren(Worker)):
            if time.monotonic() > deadline:
                self.problems.seen.append(f"{self.problems.where}: still busy after {limit} s")
                return
            self.settle(20)
        self.settle(300)

    def paint(self, name: str = "") -> None:
        """Paint the window as it is; keep the picture as ``name`` when taking pictures."""
        self.settle()
        image = self.window.grab()
        self.views += 1
        if self.every is not None:
            image.save(str(self.every / f"{self.views:03d}-{slug(self.problems.where)}.png"))
        if name and self.shots is not None:
            path = self.shots / f"{name}.png"
            image.save(str(path))
            self.written.append(path)

    def walk(self, root: QWidget | None = None) -> None:
        """Show and paint every tab below ``root`` (the window), sub-tabs inside their tab; each
        tab widget is left on the tab it was on."""
        root = root or self.window
        for tabs in _tab_widgets_in(root):
            before = tabs.currentIndex()
            for index in range(tabs.count()):
                if not tabs.isTabEnabled(index):
                    continue
                tabs.setCurrentIndex(index)
                where = self.problems.where
                self.problems.where = f"{where} > {tabs.tabText(index)}"
                self.paint()
                self.walk(tabs.widget(index))
                self.problems.where = where
            tabs.setCurrentIndex(before)

    @contextmanager
    def at(self, where: str) -> Iterator[None]:
        self.problems.where = where
        yield
        self.problems.where = f"after {where}"

    def run_each(self) -> None:
        """Press Run on every view that has one, once with each of its chart tabs on screen
        when the run ends (a chart tab open while results arrive once crashed), and walk the
        window after each."""
        window = self.window
        for index in range(window.tabs.count()):
            page = window.tabs.widget(index)
            run = getattr(page, "run_button", None)
            if page is None or not isinstance(run, QPushButton):
                continue
            inner = _tab_widgets_in(page)
            shown: list[tuple[QTabWidget | None, int]] = [
                (tabs, i) for tabs in inner for i in range(tabs.count())
            ] or [(None, 0)]
            for tabs, i in shown:
                name = window.tabs.tabText(index)
                label = f"{name} run" + (f" with {tabs.tabText(i)} open" if tabs else "")
                with self.at(label):
                    window.tabs.setCurrentIndex(index)
                    if tabs is not None:
                        tabs.setCurrentIndex(i)
                    self.settle()
                    if not run.isEnabled():
                        self.problems.seen.append(f"{label}: the {run.text()} button is off")
                        continue
                    run.click()
                    self.finish()
                    self.paint()
            for tabs in inner:
                tabs.setCurrentIndex(0)
            window.tabs.setCurrentIndex(index)
            self.paint(slug(window.tabs.tabText(index)))
            with self.at(f"the window after the {window.tabs.tabText(index)} run"):
                self.walk()


def _tab_widgets_in(root: QWidget) -> list[QTabWidget]:
    """The tab widgets inside ``root`` that are not inside another tab widget inside it."""
    found = []
    for tabs in root.findChildren(QTabWidget):
        parent = tabs.parentWidget()
        while parent is not None and parent is not root and not isinstance(parent, QTabWidget):
            parent = parent.parentWidget()
        if parent is root:
            found.append(tabs)
    return found


def docs_pictures(tour: Tour) -> None:
    """The editor as it opens, with an edit compared to its version, with a problem, and each
    further section of its terms."""
    editor = tour.window.editor
    assert editor is not None
    tour.paint("contract-editor")
    editor.tiers.selectRow(1)  # Silver's second band lowered: a weakening change in the diff
    silver = ("tiers", 1, "credits", "bands", 1, "credit_pct")
    editor.document.set_value(silver, "20", "Silver band 2 = 20%")
    editor.tabs.setCurrentIndex(1)
    tour.paint("compare-versions")
    editor.tabs.setCurrentIndex(0)
    editor.document.set_value(("tiers", 1, "credits", "bands", 1, "below"), "99.95")
    tour.paint("validation")
    editor.document.undo_stack.undo()
    editor.document.undo_stack.undo()
    sections = editor.findChild(QTabWidget, "termSections")
    if sections is None:
        return
    for index in range(1, sections.count()):
        sections.setCurrentIndex(index)
        tour.paint(f"contract-{slug(sections.tabText(index))}")
    sections.setCurrentIndex(0)


def tour(shots: Path | None = None, every: Path | None = None) -> tuple[Problems, Tour]:
    """Walk the window; ``shots``: the folder for the docs' pictures (taken at 1280x800 in the
    light palette); ``every``: a folder for a picture of every view painted."""
    problems = Problems()
    app = create_application(sys.argv[:1])
    install_message_handler(problems.qt_message)
    sys.excepthook = problems.excepthook
    light = QPalette(app.palette())
    for folder in (shots, every):
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp) / "samples.slamws"
        init_workspace(workspace, "SLA Modeler (sample)", samples=True).workspace.close()
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings, workspace=workspace)
        window.confirm = lambda *a: True  # type: ignore[method-assign]  # no modal questions
        window.ask_unsaved = lambda *a: "discard"  # type: ignore[method-assign]
        window.resize(*DOCS_SIZE)
        window.show()
        walker = Tour(window, problems, shots, every)
        walker.finish()
        steps: list[tuple[str, Callable[[], None]]] = [
            ("the window as it opens", walker.walk),
            ("the editor's pictures", lambda: docs_pictures(walker)),
            ("runs", walker.run_each),
        ]
        for where, step in steps:
            with walker.at(where):
                step()
        for index in range(1, window.tabs.count()):  # the views without a Run of their own
            if not isinstance(getattr(window.tabs.widget(index), "run_button", None), QPushButton):
                window.tabs.setCurrentIndex(index)
                walker.paint(slug(window.tabs.tabText(index)))
        window.tabs.setCurrentIndex(0)  # the editor again, its exposure panel filled by the run
        window.editor.tiers.selectRow(1)  # type: ignore[union-attr]
        walker.paint("contract-exposure")
        for size in SIZES[1:]:
            with walker.at(f"the window at {size[0]}x{size[1]}"):
                window.resize(*size)
                walker.walk()
        with walker.at("the window in the dark palette"):
            app.setPalette(dark_palette())
            walker.walk()
            window.resize(*DOCS_SIZE)
            walker.walk()
        app.setPalette(light)
        walker.settle()
        window.close()
        app.processEvents()
    return problems, walker


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shots", type=Path, help="write the docs' pictures into this folder")
    parser.add_argument("--every", type=Path, help="a picture of every view into this folder")
    args = parser.parse_args(argv)
    problems, walker = tour(args.shots, args.every)
    for path in walker.written:
        print(f"wrote {path}")
    print(f"painted {walker.views} views on {QApplication.platformName()}")
    for problem in problems.seen:
        print(problem, file=sys.stderr)
    print(f"{len(problems.seen)} problem(s)")
    return 1 if problems.seen else 0


if __name__ == "__main__":
    raise SystemExit(main())
