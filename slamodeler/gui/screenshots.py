"""Render each main view at 1280x800 into PNG files (``scripts/screenshots.py`` runs it into
docs/screenshots/), on a fresh workspace seeded with the sample contracts in a temporary folder,
so the pictures are the same on every machine. Any platform: offscreen, or xcb under Xvfb.

The contract editor is shown as it opens, with an edit compared to its version, and with a
problem; every other tab of the window is shown after pressing its Run (Replay, Fit...) button,
so a tab added later is pictured too.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QPushButton, QTabWidget

from slamodeler.gui.app import MainWindow, create_application
from slamodeler.gui.worker import Worker
from slamodeler.services.workspace import init_workspace

SIZE = (1280, 800)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.replace("&", "").lower()).strip("-")


def render(out: Path) -> list[Path]:
    """Write contract-editor, compare-versions, validation, then one PNG per other tab of the
    window (replay, simulation, ...) and per further section of the editor, into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    app = create_application(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp) / "samples.slamws"
        init_workspace(workspace, "SLA Modeler (sample)", samples=True).workspace.close()
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings, workspace=workspace)
        window.confirm = lambda *a: True
        window.resize(*SIZE)
        window.show()

        def settle(ms: int = 150) -> None:
            """Let the window work for ``ms``: a local loop, as ``app.quit`` would close it."""
            loop = QEventLoop()
            QTimer.singleShot(ms, loop.quit)
            loop.exec()

        def finish() -> None:
            """Until every background job of the window is done, then until it is drawn."""
            while any(worker.running for worker in window.findChildren(Worker)):
                settle(20)
            settle(300)

        def shot(name: str) -> None:
            settle()
            path = out / f"{name}.png"
            window.grab().save(str(path))
            written.append(path)

        editor = window.editor
        assert editor is not None
        shot("contract-editor")

        # An edit in progress: Silver's second band lowered (marked as weakening in the diff).
        editor.tiers.selectRow(1)
        silver = ("tiers", 1, "credits", "bands", 1, "credit_pct")
        editor.document.set_value(silver, "20", "Silver band 2 = 20%")
        editor.tabs.setCurrentIndex(1)
        shot("compare-versions")
        editor.tabs.setCurrentIndex(0)

        editor.document.set_value(("tiers", 1, "credits", "bands", 1, "below"), "99.95")
        shot("validation")
        editor.document.undo_stack.undo()
        editor.document.undo_stack.undo()

        sections = editor.findChild(QTabWidget, "termSections")
        for index in range(1, sections.count() if sections else 0):
            sections.setCurrentIndex(index)
            shot(f"contract-{slug(sections.tabText(index))}")
        if sections:
            sections.setCurrentIndex(0)

        for index in range(1, window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            page = window.tabs.widget(index)
            settle()
            run = getattr(page, "run_button", None)
            if isinstance(run, QPushButton) and run.isEnabled():
                run.click()
                finish()
            shot(slug(window.tabs.tabText(index)))

        window.tabs.setCurrentIndex(0)  # the editor again, its exposure panel filled by the run
        editor.tiers.selectRow(1)
        shot("contract-exposure")

        window.close()
        app.processEvents()
    return written
