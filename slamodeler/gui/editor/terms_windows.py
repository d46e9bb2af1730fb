"""The maintenance windows: a table (drop-downs where a cell is a choice), Add / Remove, and the
next few windows as they fall in the contract's time zone, DST included, so that a user sees what
"Sunday 02:00, 240 minutes" means on the calendar."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from slamodeler.domain.errors import InputError
from slamodeler.gui.editor.document import ContractDocument
from slamodeler.gui.editor.models import WindowsModel
from slamodeler.gui.editor.terms_fields import ERROR_STYLE
from slamodeler.gui.widgets.table_copy import install_copy
from slamodeler.services.contract_edits import WINDOWS, Term, add_window, remove_window
from slamodeler.services.windows import upcoming_windows

NEW_WINDOW = {"every": "week", "day": "sunday", "start": "02:00", "minutes": 240}
Index = QModelIndex | QPersistentModelIndex


class ChoiceDelegate(QStyledItemDelegate):
    """Edits a cell with a drop-down when the model lists its choices (``choices(index)``);
    picking one commits it at once."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        choices = index.model().choices(index)  # type: ignore[attr-defined]
        if choices is None:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.addItems(choices)
        combo.activated.connect(lambda _=0: self._picked(combo))
        return combo

    def _picked(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            text = str(index.data(Qt.ItemDataRole.EditRole))
            editor.setCurrentIndex(max(editor.findText(text, Qt.MatchFlag.MatchFixedString), 0))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


def _clock(moment: datetime, since: datetime) -> str:
    return f"{moment:%H:%M}" if moment.date() == since.date() else f"{moment:%a %H:%M}"


def upcoming(windows: list[Any], timezone: str, now: datetime, count: int = 5) -> list[str]:
    """The next ``count`` windows from ``now`` (those under way included), one line each, in the
    contract's local time with UTC alongside; windows that are not valid yet are skipped."""
    try:
        found = upcoming_windows(windows, timezone, now, count)
    except InputError:
        return ["Choose a valid time zone to see when the windows fall."]
    lines = []
    for number, local_begin, local_end in found:
        utc_begin, utc_end = local_begin.astimezone(UTC), local_end.astimezone(UTC)
        lines.append(
            f"window {number}: {local_begin:%a %d %b %Y %H:%M}-{_clock(local_end, local_begin)} "
            f"{local_begin:%Z} ({utc_begin:%H:%M}-{_clock(utc_end, utc_begin)} UTC)"
        )
    return lines or ["No window in the next two months."]


class WindowsEditor(QGroupBox):
    """``now`` says from when the preview looks ahead (the clock, unless a test sets it)."""

    def __init__(self, document: ContractDocument, now: Callable[[], datetime] | None = None):
        super().__init__("Maintenance windows (local time of the contract)")
        self.document = document
        self.now = now or (lambda: datetime.now(UTC))
        self.model = WindowsModel(document)
        self.table = QTableView()
        self.table.setObjectName("windowsTable")
        self.table.setModel(self.model)
        self.table.setItemDelegate(ChoiceDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(90)
        self.table.setMaximumHeight(150)
        install_copy(self.table)
        self.add = QPushButton("Add window")
        self.remove = QPushButton("Remove window")
        self.add.clicked.connect(self._add)
        self.remove.clicked.connect(self._remove)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.preview = QLabel()
        self.preview.setObjectName("windowsPreview")
        self.preview.setWordWrap(True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.add)
        buttons.addWidget(self.remove)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(QLabel("Next windows:"))
        layout.addWidget(self.preview)
        document.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        windows = self.model._items()
        self.remove.setEnabled(bool(windows))
        where = WINDOWS.text
        problems = [p.message for p in self.document.problems if p.path == where]
        self.message.setText("\n".join(problems))
        self.message.setVisible(bool(problems))
        zone = str(self.document.get(Term("timezone"), ""))
        self.preview.setText(
            "\n".join(upcoming(windows, zone, self.now())) if windows else "No windows."
        )

    def _add(self) -> None:
        count = self.model.rowCount()
        self.document.apply(add_window(self.document.data, NEW_WINDOW))
        self.table.selectRow(count)

    def _remove(self) -> None:
        row = self.table.currentIndex().row()
        row = row if 0 <= row < self.model.rowCount() else self.model.rowCount() - 1
        if row < 0:
            return
        self.document.apply(remove_window(row))
