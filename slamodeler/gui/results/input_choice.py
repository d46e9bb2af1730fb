"""Choosing an input a run reads beside its stored ones: a file (``FileChoice``: its name, the
full path in the tip, Choose… and ×), or a file or a set stored in the workspace
(``SetChoice``: a fee set, a ticket set, listed in a drop-down with "none" and "a file…").
The Replay view takes a ticket export and fees this way, the Simulation view fees."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import Qt, Signal
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
        self._fill()

    def set_workspace(self, ws: Workspace) -> None:
        """The workspace whose sets are offered; a set chosen that it lacks is let go."""
        self.ws = ws
        if self.key is not None and self.key not in self._keys(ws):
            self.set_path(None)
        self._fill()

    def choose_set(self, key: str) -> None:
        self.key, self.path = key, None
        self.shown.setText(f"{self.what} {key}")
        self.shown.setToolTip(f"stored in {self.ws.path.name}" if self.ws else "")
        self.clear_button.setEnabled(True)
        self._fill()
        self.changed.emit()

    def set_path(self, path: Path | None) -> None:
        self.key = None
        super().set_path(path)
        self._fill()

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
