"""Choosing an input a run reads beside its stored ones: a file (``FileChoice``: its name, the
full path in the tip, Choose… and ×), or a file or a set stored in the workspace
(``SetChoice``: a fee set, a ticket set, listed in a drop-down with "none" and "a file…").
The Replay view takes a ticket export and fees this way, the Simulation view fees. A
``SetChoice`` told where to remember (``remember_in``) keeps its choice per workspace in the
settings and makes it again when that workspace is opened next, in this session or the next;
a set or file no longer there leaves none chosen, with a note that says so."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QToolButton, QWidget

from slamodeler.gui.workspace.choices import SHOWN
from slamodeler.services.run_files import StoredFees, StoredTickets
from slamodeler.services.run_input_sets import (
    fee_set_keys,
    stored_fees,
    stored_tickets,
    ticket_set_keys,
)
from slamodeler.services.workspaces import Workspace

NONE = "none"
A_FILE = "a file…"
T = TypeVar("T", StoredFees, StoredTickets)
SET, FILE = "set:", "file:"  # how a remembered choice starts: a stored set's key, a file's path


def memory_key(ws: Workspace, name: str) -> str:
    """The settings key of the choice ``name`` in ``ws``: one group per workspace file, named by
    its path's hash (a path's slashes would nest groups)."""
    digest = hashlib.sha256(str(ws.path.resolve()).encode("utf-8")).hexdigest()[:16]
    return f"choices/{digest}/{name}"


class FileChoice(QWidget):
    """One optional file: its name (the full path in the tip), Choose… and ×. ``changed``
    when it is chosen or cleared."""

    changed = Signal()

    def __init__(self, label: str, name: str, title: str, file_filter: str):
        super().__init__()
        self.title, self.file_filter = title, file_filter
        self.path: Path | None = None
        self.shown = QLabel(NONE)
        self.shown.setObjectName(f"{name}File")
        self.choose_button = QToolButton()
        self.choose_button.setText("Choose…")
        self.choose_button.setObjectName(f"choose{name.capitalize()}")
        self.choose_button.setToolTip(f"Choose the {title.lower()} the run reads")
        self.clear_button = QToolButton()
        self.clear_button.setText("×")
        self.clear_button.setObjectName(f"clear{name.capitalize()}")
        self.clear_button.setToolTip(f"Run without a {title.lower()}")
        self.clear_button.setEnabled(False)
        self.choose_button.clicked.connect(self.choose)
        self.clear_button.clicked.connect(lambda: self.set_path(None))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(label))
        layout.addWidget(self.shown)
        layout.addWidget(self.choose_button)
        layout.addWidget(self.clear_button)

    def choose(self) -> None:
        start = str(self.path.parent) if self.path else ""
        chosen, _ = QFileDialog.getOpenFileName(self, self.title, start, self.file_filter)
        if chosen:
            self.set_path(Path(chosen))

    def set_path(self, path: Path | None) -> None:
        self.path = path
        self.shown.setText(path.name if path else NONE)
        self.shown.setToolTip(str(path) if path else "")
        self.clear_button.setEnabled(path is not None)
        self.changed.emit()


class SetChoice(FileChoice, Generic[T]):
    """A file or a stored set: the drop-down ``sets`` offers none, the workspace's sets of
    this kind (``keys``) and a file; ``value()`` is the file's path, the set (read by
    ``load``), or None."""

    def __init__(
        self,
        label: str,
        name: str,
        title: str,
        file_filter: str,
        what: str,
        keys: Callable[[Workspace], list[str]],
        load: Callable[[Workspace, str], T],
    ):
        super().__init__(label, name, title, file_filter)
        self.what, self._keys = what, keys
        self._load: Callable[[Workspace, str], T] = load
        self.ws: Workspace | None = None
        self.key: str | None = None  # the stored set chosen
        self.memory: tuple[QSettings, str] | None = None  # where the choice is remembered
        self.lost = QLabel("")  # a remembered choice that could not be made again, and why
        self.lost.setObjectName(f"{name}Lost")
        self.lost.setStyleSheet("color: #a15c00;")
        self.lost.hide()
        self.sets = QComboBox()
        self.sets.setObjectName(f"{name}Sets")
        self.sets.setToolTip(f"None, a {what} stored in the workspace, or a file")
        self.sets.activated.connect(self._picked)
        self.sets.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.sets.setMinimumContentsLength(SHOWN)  # a long name does not widen the window
        self.shown.hide()  # the drop-down shows the choice (``shown`` keeps it in words)
        layout = self.layout()
        assert isinstance(layout, QHBoxLayout)
        layout.insertWidget(1, self.sets)
        layout.addWidget(self.lost)
        self._fill()

    def remember_in(self, settings: QSettings, name: str) -> None:
        """Keep each choice in ``settings`` under ``name``, per workspace."""
        self.memory = (settings, name)

    def set_workspace(self, ws: Workspace) -> None:
        """The workspace whose sets are offered: the choice remembered for it is made again;
        without one, a set chosen that it lacks is let go."""
        kept = self._remembered(ws)
        self.ws = ws
        if kept is not None:
            self._recall(kept)
        elif self.key is not None and self.key not in self._keys(ws):
            self.set_path(None)
        self._fill()

    def choose_set(self, key: str) -> None:
        self.key, self.path = key, None
        self.shown.setText(f"{self.what} {key}")
        self.shown.setToolTip(f"stored in {self.ws.path.name}" if self.ws else "")
        self.clear_button.setEnabled(True)
        self._fill()
        self._remember()
        self.changed.emit()

    def set_path(self, path: Path | None) -> None:
        self.key = None
        self.path = path  # remembered before ``changed`` is emitted
        self._remember()
        super().set_path(path)
        self._fill()

    def _remember(self) -> None:
        self.lost.hide()
        if self.memory is None or self.ws is None:
            return
        settings, name = self.memory
        kept = (
            SET + self.key if self.key is not None else FILE + str(self.path) if self.path else ""
        )
        settings.setValue(memory_key(self.ws, name), kept)

    def _remembered(self, ws: Workspace) -> str | None:
        """The choice remembered for ``ws`` ("" for none), or None when nothing is."""
        if self.memory is None:
            return None
        settings, name = self.memory
        kept = settings.value(memory_key(ws, name))
        return None if kept is None else str(kept)

    def _recall(self, kept: str) -> None:
        """Make the remembered choice again, or none with a note when its set or file is gone."""
        assert self.ws is not None
        if kept.startswith(SET) and kept[len(SET) :] in self._keys(self.ws):
            self.choose_set(kept[len(SET) :])
        elif kept.startswith(FILE) and Path(kept[len(FILE) :]).is_file():
            self.set_path(Path(kept[len(FILE) :]))
        else:
            self.set_path(None)
            if kept:
                self._note_lost(kept)

    def _note_lost(self, kept: str) -> None:
        assert self.ws is not None
        if kept.startswith(SET):
            gone = f"{self.what} {kept[len(SET) :]} is not in {self.ws.path.name}"
        else:
            gone = f"{Path(kept[len(FILE) :]).name} is no longer there"
        self.lost.setText(f"({gone}: none chosen)")
        self.lost.setToolTip(
            f"The {self.what} or file chosen last time with this workspace, "
            f"{kept.split(':', 1)[1]}, could not be chosen again: choose another, or none."
        )
        self.lost.show()

    def value(self) -> Path | T | None:
        """What a run reads: the stored set (read now), the file, or nothing."""
        if self.key is not None and self.ws is not None:
            return self._load(self.ws, self.key)
        return self.path

    def _fill(self) -> None:
        keys = self._keys(self.ws) if self.ws is not None else []
        self.sets.blockSignals(True)
        self.sets.clear()
        self.sets.addItem(NONE)
        for key in keys:
            self.sets.addItem(f"{self.what} {key}", key)
            self.sets.setItemData(self.sets.count() - 1, key, Qt.ItemDataRole.ToolTipRole)
        self.sets.addItem(self.path.name if self.path else A_FILE)
        self.sets.setItemData(
            self.sets.count() - 1,
            str(self.path) if self.path else f"Choose a {self.title.lower()}",
            Qt.ItemDataRole.ToolTipRole,
        )
        if self.key is not None:
            self.sets.setCurrentIndex(max(self.sets.findData(self.key), 0))
        else:
            self.sets.setCurrentIndex(self.sets.count() - 1 if self.path else 0)
        self.sets.blockSignals(False)

    def _picked(self, index: int) -> None:
        key = self.sets.itemData(index)
        if key is not None:
            self.choose_set(str(key))
        elif index == 0:
            self.set_path(None)
        else:  # a file: the one chosen, or one to choose now (cancelled: as it was)
            if self.path is None:
                self.choose()
            self._fill()


def fee_choice(label: str = "Fees") -> SetChoice[StoredFees]:
    """None, a stored fee set or a fee file (tier,month,fee)."""
    return SetChoice(
        label, "fees", "Fee file", "Fee files (*.csv)", "fee set", fee_set_keys, stored_fees
    )


def ticket_choice() -> SetChoice[StoredTickets]:
    """None, a stored ticket set or a support ticket export."""
    return SetChoice(
        "Tickets",
        "tickets",
        "Support ticket export",
        "Ticket exports (*.csv *.tsv *.txt *.xlsx *.xlsm)",
        "ticket set",
        ticket_set_keys,
        stored_tickets,
    )
