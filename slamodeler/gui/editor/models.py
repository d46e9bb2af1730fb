"""Qt table models over the contract document's plain data: the tiers, the selected tier's
credit schedule (bands or curve points) and the maintenance windows. Cells the domain rejects are
tinted, with its message as the tooltip; edits go through the document, so they are undoable."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from slamodeler.domain.contract import RECURRENCES, WEEKDAYS, usual_day
from slamodeler.domain.schedule_points import SCHEDULE_LISTS
from slamodeler.gui.editor.document import ContractDocument
from slamodeler.gui.widgets.theme import TINT_TEXT
from slamodeler.services.contract_edits import (
    WINDOWS,
    BandField,
    Place,
    ScheduleList,
    TierField,
    WindowPath,
)

INVALID = QColor(255, 205, 205)
Index = QModelIndex | QPersistentModelIndex


class _DocumentTable(QAbstractTableModel):
    columns: ClassVar[list[tuple[str, str]]] = []  # (key, header)
    read_only: ClassVar[set[str]] = set()
    words: ClassVar[set[str]] = {"name"}  # columns of words, aligned left; the rest are numbers

    def __init__(self, document: ContractDocument):
        super().__init__()
        self.document = document
        self._rows = self._count()
        document.changed.connect(self.refresh)

    # subclasses
    def _items(self) -> list[Any]:
        raise NotImplementedError

    def _path(self, row: int, key: str) -> Place:
        raise NotImplementedError

    def _count(self) -> int:
        return len(self._items())

    def refresh(self) -> None:
        count = self._count()
        if count != self._rows:
            self.beginResetModel()
            self._rows = count
            self.endResetModel()
        elif count:
            self.dataChanged.emit(self.index(0, 0), self.index(count - 1, len(self.columns) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section][1]
        if role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.columns[index.column()][0] not in self.read_only:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._rows:
            return None
        key = self.columns[index.column()][0]
        path = self._path(index.row(), key)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            value = self.document.get(path)
            return "" if value is None else str(value)
        problems = self.document.problems_at(path)
        if role == Qt.ItemDataRole.BackgroundRole and problems:
            return QBrush(INVALID)
        if role == Qt.ItemDataRole.ForegroundRole and problems:
            return TINT_TEXT
        if role == Qt.ItemDataRole.ToolTipRole and problems:
            return "\n".join(self.document.problems_at(path, worded=True))
        if role == Qt.ItemDataRole.TextAlignmentRole and key not in self.words:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        key, header = self.columns[index.column()]
        text = str(value).strip()
        self.document.set_value(
            self._path(index.row(), key),
            self._value(key, text),
            f"{header} of row {index.row() + 1} = {text}",
        )
        return True

    def _value(self, key: str, text: str) -> Any:
        """What the typed text is stored as (the document keeps what the file would say)."""
        return text

    def choices(self, index: Index) -> list[str] | None:
        """The values a cell may take, when it is a choice (a drop-down edits it)."""
        return None


class TiersModel(_DocumentTable):
    columns: ClassVar[list[tuple[str, str]]] = [
        ("name", "Tier"),
        ("target_pct", "Target %"),
        ("monthly_fee", "Monthly fee"),
        ("cost_to_serve_monthly", "Cost to serve"),
        ("customers", "Customers"),
        ("kind", "Credit schedule"),
    ]
    read_only: ClassVar[set[str]] = {"kind"}
    # headers on two lines, so every column fits the editor's half of a 1280-pixel window
    two_lines: ClassVar[dict[str, str]] = {
        "monthly_fee": "Monthly\nfee",
        "cost_to_serve_monthly": "Cost to\nserve",
        "kind": "Credit\nschedule",
    }

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        header = super().headerData(section, orientation, role)
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.two_lines.get(self.columns[section][0], header)
        return header

    def _items(self) -> list[Any]:
        tiers = self.document.data.get("tiers")
        return tiers if isinstance(tiers, list) else []

    def _path(self, row: int, key: str) -> Place:
        return TierField(row, "credits", "kind") if key == "kind" else TierField(row, key)


THRESHOLD_HEADERS = {"bands": "Availability below %", "linear": "Availability %"}
# a band's other keys: whom to escalate to, and its ends when the text states them (blank: none)
BAND_END_COLUMNS = [
    ("escalation", "Escalation"),
    ("upper_end", "Upper end"),
    ("above", "Availability above %"),
    ("lower_end", "Lower end"),
]


class ScheduleModel(_DocumentTable):
    """The bands (or curve points) of one tier; ``tier`` is set by the tiers table's selection.
    Bands also say whom to escalate to; an empty escalation is none."""

    words: ClassVar[set[str]] = {"escalation", "upper_end", "lower_end"}

    def __init__(self, document: ContractDocument):
        self.tier = 0
        super().__init__(document)
        self._kind = self.kind

    @property
    def kind(self) -> str | None:
        return self.document.get(TierField(self.tier, "credits", "kind"))

    @property
    def columns(self) -> list[tuple[str, str]]:  # type: ignore[override]
        kind = self.kind if self.kind in SCHEDULE_LISTS else "bands"
        x, header = SCHEDULE_LISTS[kind][1], THRESHOLD_HEADERS[kind]
        band_only = BAND_END_COLUMNS if self.kind == "bands" else []
        return [(x, header), ("credit_pct", "Credit % of fee"), *band_only]

    def set_tier(self, tier: int) -> None:
        self.beginResetModel()
        self.tier = tier
        self._rows = self._count()
        self._kind = self.kind
        self.endResetModel()

    def refresh(self) -> None:
        if self.kind != self._kind:  # other columns: start again
            self.set_tier(self.tier)
        else:
            super().refresh()

    def _value(self, key: str, text: str) -> Any:
        if key == "lower_end":
            return text or "excluded"
        return (text or None) if key in ("escalation", "above", "upper_end") else text

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A stated lower end shows its inclusion even when the file leaves it to the default."""
        shown = super().data(index, role)
        if shown == "" and self.columns[index.column()][0] == "lower_end":
            above = self.document.get(self._path(index.row(), "above"))
            return "" if above is None else "excluded"
        return shown

    def choices(self, index: Index) -> list[str] | None:
        """A band's ends are included or excluded; the upper end may be left to the boundary."""
        key = self.columns[index.column()][0]
        if key == "upper_end":
            return ["", "included", "excluded"]
        return ["excluded", "included"] if key == "lower_end" else None

    def list_place(self) -> ScheduleList | None:
        """Where the bands (or points) are; None for a schedule of neither."""
        kind = self.kind
        if kind == "bands":
            return ScheduleList(self.tier, "bands")
        return ScheduleList(self.tier, "points") if kind == "linear" else None

    def _items(self) -> list[Any]:
        where = self.list_place()
        items = self.document.get(where) if where else None
        return items if isinstance(items, list) else []

    def _path(self, row: int, key: str) -> Place:
        where = self.list_place()
        assert where is not None
        return BandField(where.tier, row, key, where.items)


class WindowsModel(_DocumentTable):
    """The recurring maintenance windows: how each recurs, on which day, from when, how long."""

    columns: ClassVar[list[tuple[str, str]]] = [
        ("every", "Every"),
        ("day", "Day"),
        ("start", "Start (local)"),
        ("minutes", "Minutes"),
    ]
    words: ClassVar[set[str]] = {"every", "day"}

    def _items(self) -> list[Any]:
        windows = self.document.get(WINDOWS)
        return windows if isinstance(windows, list) else []

    def _path(self, row: int, key: str) -> Place:
        return WindowPath(row, key)

    def choices(self, index: Index) -> list[str] | None:
        key = self.columns[index.column()][0]
        if key == "every":
            return list(RECURRENCES)
        if key == "day" and self.document.get(self._path(index.row(), "every")) == "week":
            return list(WEEKDAYS)
        return None

    def _value(self, key: str, text: str) -> Any:
        if key in ("day", "minutes"):
            return int(text) if text.isdigit() else (text or None)
        return text

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        key = self.columns[index.column()][0] if index.isValid() else ""
        if key != "every" or role != Qt.ItemDataRole.EditRole:
            return super().setData(index, value, role)
        row, every = index.row(), str(value).strip()
        window = dict(self._items()[row], every=every)
        window["day"] = usual_day(every, window.get("day"))
        self.document.set_value(WindowPath(row), window, f"Window {row + 1} every {every}")
        return True
