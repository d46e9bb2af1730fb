"""The import dialog (File > Import incidents…) opened on a file and waited for, and a file of
rows it must refuse."""

from __future__ import annotations

from pathlib import Path

from slamodeler.gui.workspace.import_dialog import ImportDialog

BAD_ROWS = """id,start,end,impact,title
B-1,2024-03-01T10:00:00Z,2024-03-01T11:00:00Z,full,fine
B-2,03/01/2024 10:00,2024-03-01T11:00:00Z,full,US date
B-3,2024-03-02T10:00:00Z,2024-03-02T09:00:00Z,full,ends before it starts
B-4,2024-03-03T10:00:00Z,2024-03-03T11:00:00Z,,no impact
B-5,2024-03-04T10:00:00Z,2024-03-04T11:00:00Z,Sev4,a label of its own
B-6,2024-03-05 10:00,2024-03-05 11:00,partial,no offset
"""


def open_dialog(qtbot, window, path: Path) -> ImportDialog:
    """File > Import incidents… with ``path`` chosen; returns the dialog once it has checked."""
    window.import_incidents(path)
    dialog = window.import_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(
        lambda: dialog.preview is not None and not dialog.checker.running, timeout=10_000
    )
    settle(qtbot, dialog)
    return dialog


def settle(qtbot, dialog: ImportDialog) -> None:
    """Wait until the count of usable rows follows the mapping on screen."""
    qtbot.waitUntil(
        lambda: (
            not dialog.checker.running
            and not dialog._recheck
            and "Checking" not in dialog.status.text()
        ),
        timeout=10_000,
    )
