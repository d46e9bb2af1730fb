"""The contract editor: general terms, the tiers table, the selected tier's credit schedule as a
table and as a draggable curve (kept in sync through the document), the problems the domain
finds, and the term-by-term comparison with any stored version."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import available_timezones

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from slamodeler.domain.contract import Contract
from slamodeler.domain.contract_diff import _show, diff_contracts
from slamodeler.gui.curve import CurvePlot
from slamodeler.gui.document import ContractDocument
from slamodeler.gui.models import ScheduleModel, TiersModel

WEAKENS = QColor(255, 229, 204)
ERROR_STYLE = "color: #b03a2e;"


class GeneralTerms(QGroupBox):
    """Name, currency and time zone; each field shows the domain's message under it."""

    FIELDS = (("name", "Name"), ("currency", "Currency"), ("timezone", "Time zone"))

    def __init__(self, document: ContractDocument):
        super().__init__("General terms")
        self.document = document
        form = QFormLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        self.messages: dict[str, QLabel] = {}
        for key, label in self.FIELDS:
            if key == "timezone":
                combo = QComboBox()
                combo.setEditable(True)
                combo.addItems(sorted(available_timezones()))
                combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
                combo.setMinimumContentsLength(14)
                combo.setSizeAdjustPolicy(
                    QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
                )
                edit = combo.lineEdit()
                combo.activated.connect(lambda _=0, k=key: self._commit(k))
                widget: QWidget = combo
                self.timezone_combo = combo
            else:
                edit = QLineEdit()
                widget = edit
            edit.setObjectName(f"term_{key}")
            edit.editingFinished.connect(lambda k=key: self._commit(k))
            message = QLabel()
            message.setStyleSheet(ERROR_STYLE)
            message.setWordWrap(True)
            message.hide()
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(widget)
            box.addWidget(message)
            form.addRow(label, box)
            self.edits[key], self.messages[key] = edit, message
        document.changed.connect(self.refresh)
        self.refresh()

    def _commit(self, key: str) -> None:
        text = self.edits[key].text().strip()
        self.document.set_value((key,), text, f"{key.capitalize()} = {text}")

    def refresh(self) -> None:
        for key, edit in self.edits.items():
            value = str(self.document.get((key,), "") or "")
            if edit.text() != value:
                edit.setText(value)
            problems = self.document.problems_at((key,))
            self.messages[key].setText("\n".join(problems))
            self.messages[key].setVisible(bool(problems))
            edit.setStyleSheet("border: 1px solid #c0392b;" if problems else "")


class DiffView(QWidget):
    """Two versions (or a version and the edits in the editor) side by side, term by term, the
    changes that weaken a commitment to customers tinted with the reason."""

    def __init__(
        self,
        versions: list[Any],
        load: Callable[[Any], Contract],
        current: Callable[[], Contract | None],
    ):
        super().__init__()
        self.versions, self.load, self.current = versions, load, current
        self.older, self.newer = QComboBox(), QComboBox()
        self.older.setObjectName("diffFrom")
        self.newer.setObjectName("diffTo")
        for v in versions:
            self.older.addItem(f"version {v.number} ({v.status})", v)
            self.newer.addItem(f"version {v.number} ({v.status})", v)
        self.newer.addItem("the edits in the editor", "current")
        self.newer.setCurrentIndex(self.newer.count() - 1)
        self.older.setCurrentIndex(len(versions) - 1)
        self.summary = QLabel()
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("diffTable")
        self.table.setHorizontalHeaderLabels(["Term", "From", "To", "Weakens a commitment"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("Compare"))
        top.addWidget(self.older)
        top.addWidget(QLabel("with"))
        top.addWidget(self.newer)
        top.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        self.older.currentIndexChanged.connect(self.refresh)
        self.newer.currentIndexChanged.connect(self.refresh)

    def _contract(self, combo: QComboBox) -> Contract | None:
        data = combo.currentData()
        return self.current() if data == "current" else self.load(data)

    def refresh(self) -> None:
        old, new = self._contract(self.older), self._contract(self.newer)
        if old is None or new is None:
            self.table.setRowCount(0)
            self.summary.setText("The edits are not valid yet: fix the marked terms to compare.")
            return
        changes = diff_contracts(old, new)
        weakening = sum(c.weakens for c in changes)
        self.summary.setText(
            f"{len(changes)} term(s) differ; {weakening} weaken a commitment to customers."
            if changes
            else "The same terms."
        )
        self.table.setRowCount(len(changes))
        for row, change in enumerate(changes):
            cells = [change.path, _show(change.before), _show(change.after), change.why]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if change.weakens:
                    item.setBackground(QBrush(WEAKENS))
                self.table.setItem(row, col, item)


class ContractEditor(QWidget):
    """Edits one document; ``title`` names the version it started from."""

    dirty_changed = Signal(bool)

    def __init__(
        self,
        document: ContractDocument,
        title: str,
        versions: list[Any],
        load: Callable[[Any], Contract],
    ):
        super().__init__()
        self.document, self.title = document, title
        document.setParent(self)  # the document goes when its editor does
        self.general = GeneralTerms(document)

        self.tiers_model = TiersModel(document)
        self.tiers = QTableView()
        self.tiers.setObjectName("tiersTable")
        self.tiers.setModel(self.tiers_model)
        self.tiers.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tiers.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tiers.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tiers.horizontalHeader().setStretchLastSection(True)
        self.tiers.verticalHeader().hide()

        self.schedule_model = ScheduleModel(document)
        self.schedule = QTableView()
        self.schedule.setObjectName("scheduleTable")
        self.schedule.setModel(self.schedule_model)
        self.schedule.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.schedule_note = QLabel()
        self.schedule_note.setWordWrap(True)
        self.add_band = QPushButton("Add band")
        self.remove_band = QPushButton("Remove band")
        self.add_band.clicked.connect(self._add_band)
        self.remove_band.clicked.connect(self._remove_band)
        self.curve = CurvePlot(document)
        self.curve.handle_moved.connect(self._dragged)

        self.problems = QLabel()
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(ERROR_STYLE)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.general)
        tiers_box = QGroupBox("Tiers (double-click a cell to edit)")
        QVBoxLayout(tiers_box).addWidget(self.tiers)
        left_layout.addWidget(tiers_box, 1)
        left_layout.addWidget(self.problems)

        self.schedule_box = QGroupBox("Credit schedule")
        right_layout = QVBoxLayout(self.schedule_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.schedule_note, 1)
        buttons.addWidget(self.add_band)
        buttons.addWidget(self.remove_band)
        right_layout.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.schedule)
        split.addWidget(self.curve)
        split.setSizes([160, 340])
        right_layout.addWidget(split)

        terms = QSplitter(Qt.Orientation.Horizontal)
        terms.addWidget(left)
        terms.addWidget(self.schedule_box)
        terms.setSizes([560, 700])

        self.diff = DiffView(versions, load, lambda: self.document.contract)
        self.tabs = QTabWidget()
        self.tabs.addTab(terms, "Terms")
        self.tabs.addTab(self.diff, "Compare versions")
        self.tabs.currentChanged.connect(lambda i: self.diff.refresh() if i == 1 else None)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.tiers.selectionModel().currentRowChanged.connect(
            lambda cur, _: self.select_tier(cur.row())
        )
        document.changed.connect(self.refresh)
        self.tiers.selectionModel().setCurrentIndex(
            self.tiers_model.index(0, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.refresh()

    @property
    def tier(self) -> int:
        return self.schedule_model.tier

    def select_tier(self, row: int) -> None:
        if row < 0:
            return
        self.schedule_model.set_tier(row)
        self.curve.set_tier(row)
        self.refresh()

    def refresh(self) -> None:
        name = self.document.get(("tiers", self.tier, "name"), "")
        kind = self.schedule_model.kind
        self.schedule_box.setTitle(f"Credit schedule of {name}")
        editable = self.schedule_model.list_path() is not None
        self.add_band.setEnabled(editable)
        self.remove_band.setEnabled(editable and self.schedule_model.rowCount() > 1)
        self.schedule_note.setText(
            {
                "bands": "Steps: the lowest band hit gives the credit. Drag a point on the curve.",
                "linear": "Straight lines between the points. Drag a point on the curve.",
            }.get(kind or "", f"A {kind} schedule: edit it in the contract file for now.")
        )
        problems = self.document.problems
        self.problems.setText(
            "" if not problems else "Not valid yet:\n" + "\n".join(f"• {p}" for p in problems)
        )
        self.diff.refresh() if self.tabs.currentIndex() == 1 else None

    # -- schedule edits --------------------------------------------------------------------------

    def _dragged(self, index: int, x: float, y: float) -> None:
        path = self.schedule_model.list_path()
        if path is None:
            return
        key = self.schedule_model.columns[0][0]
        after = _copy(self.document.data)
        item = _at(after, (*path, index))
        item[key] = _tidy(min(max(x, 0.0), 100.0), 3)
        item["credit_pct"] = _tidy(max(y, 0.0), 1)
        if item == _at(self.document.data, (*path, index)):
            self.curve.refresh()
            return
        self.document.push(after, f"Drag point {index + 1} to {item[key]}% / {item['credit_pct']}%")

    def _add_band(self) -> None:
        path = self.schedule_model.list_path()
        if path is None:
            return
        after = _copy(self.document.data)
        items = _at(after, path)
        key = self.schedule_model.columns[0][0]
        last = items[-1]
        try:
            below = _tidy(float(last[key]) - 1.0, 3)
            credit = _tidy(float(last["credit_pct"]) + 10.0, 1)
        except (TypeError, ValueError):
            below, credit = "0", "0"
        items.append({key: below, "credit_pct": credit})
        self.document.push(after, "Add band")

    def _remove_band(self) -> None:
        path = self.schedule_model.list_path()
        rows = self.schedule.selectionModel().selectedRows() or [self.schedule.currentIndex()]
        row = rows[0].row() if rows and rows[0].isValid() else self.schedule_model.rowCount() - 1
        if path is None or self.schedule_model.rowCount() < 2:
            return
        after = _copy(self.document.data)
        del _at(after, path)[row]
        self.document.push(after, f"Remove band {row + 1}")


def _copy(data: dict[str, Any]) -> dict[str, Any]:
    import copy

    return copy.deepcopy(data)


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _tidy(value: float, places: int) -> str:
    """A dragged number, rounded to what a contract would say: 99.9, not 99.90123."""
    text = f"{round(value, places):.{places}f}".rstrip("0").rstrip(".")
    return text or "0"
