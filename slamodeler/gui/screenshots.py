"""Render each main view at 1280x800 into PNG files (``scripts/screenshots.py`` runs it into
docs/screenshots/). Offscreen (no display needed; under Xvfb too), on a fresh workspace seeded
with the sample contracts in a temporary folder, so the pictures are the same on every machine."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from slamodeler.gui.app import MainWindow, create_application
from slamodeler.services.workspace import init_workspace

SIZE = (1280, 800)


def render(out: Path) -> list[Path]:
    """Write contract-editor, compare-versions, validation and replay PNGs into ``out``."""
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
            QTimer.singleShot(ms, app.quit)
            app.exec()

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

        window.tabs.setCurrentWidget(window.replay)
        window.replay.run()
        while window.replay.worker.running:
            settle(20)
        shot("replay")

        window.close()
        QApplication.processEvents()
    return written
