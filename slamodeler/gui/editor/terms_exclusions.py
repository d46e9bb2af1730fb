"""The exclusions: which causes of downtime are excused, the maintenance windows, the yearly
maintenance allowance and whether excused time leaves the period or counts as available."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from slamodeler.gui.editor.document import ContractDocument
from slamodeler.gui.editor.terms_fields import (
    ERROR_STYLE,
    TermChoice,
    TermField,
    form_group,
    optional_text,
)
from slamodeler.gui.editor.terms_windows import WindowsEditor
from slamodeler.services.contract_edits import CAUSES, SetCause, Term

# The cause words of the format's documentation and sample contracts; a contract may name others
# (they must match the incident files' cause column), and those are listed too.
COMMON_CAUSES = {
    "maintenance": "scheduled, up to the allowance",
    "force_majeure": "force majeure",
    "customer": "caused by the customer",
    "third_party": "a third-party dependency",
    "beta": "beta or preview features",
}
EXCLUDED_TIME = (
    ("remove", "taken out of the period"),
    ("available", "counted as available"),
)


class CausesList(QGroupBox):
    """Tick a cause to excuse the downtime it causes; type another word to add it."""

    def __init__(self, document: ContractDocument):
        super().__init__("Excluded causes")
        self.document = document
        self.list = QListWidget()
        self.list.setObjectName("causesList")
        self.list.itemChanged.connect(self._toggled)
        self.other = QLineEdit()
        self.other.setObjectName("otherCause")
        self.other.setPlaceholderText("another cause, as the incident files name it")
        self.other.returnPressed.connect(self._add_other)
        self.add_other = QPushButton("Add cause")
        self.add_other.clicked.connect(self._add_other)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        other = QHBoxLayout()
        other.addWidget(self.other, 1)
        other.addWidget(self.add_other)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(other)
        layout.addWidget(self.message)
        document.changed.connect(self.refresh)
        self.refresh()

    def causes(self) -> list[str]:
        causes = self.document.get(CAUSES)
        return [str(c) for c in causes] if isinstance(causes, list) else []

    def refresh(self) -> None:
        chosen = self.causes()
        words = [*COMMON_CAUSES, *(c for c in chosen if c not in COMMON_CAUSES)]
        self.list.blockSignals(True)
        self.list.clear()
        for word in words:
            meaning = COMMON_CAUSES.get(word)
            item = QListWidgetItem(f"{word}: {meaning}" if meaning else word)
            item.setData(Qt.ItemDataRole.UserRole, word)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            checked = word in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.setFixedHeight(self.list.sizeHintForRow(0) * len(words) + 6)
        self.list.blockSignals(False)
        problems = self.document.problems_at(CAUSES)
        self.message.setText("\n".join(problems))
        self.message.setVisible(bool(problems))

    def _set(self, word: str, excluded: bool) -> None:
        self.document.apply(SetCause(word, excluded))

    def _toggled(self, item: QListWidgetItem) -> None:
        word = item.data(Qt.ItemDataRole.UserRole)
        self._set(word, item.checkState() == Qt.CheckState.Checked)

    def _add_other(self) -> None:
        word = self.other.text().strip().lower()
        if word and word not in self.causes():
            self._set(word, True)
        self.other.clear()


class ExclusionsPanel(QWidget):
    def __init__(self, document: ContractDocument, now: Callable[[], datetime] | None = None):
        super().__init__()
        self.causes = CausesList(document)
        self.windows = WindowsEditor(document, now)
        self.allowance = TermField(
            document,
            Term("exclusions", "maintenance_allowance_minutes_per_year"),
            "Maintenance allowance",
            placeholder="no limit",
            parse=optional_text,
        )
        self.excluded_time = TermChoice(
            document, Term("exclusions", "excluded_time"), "Excluded time", EXCLUDED_TIME
        )
        rules = form_group(
            "Allowance and excluded time",
            [
                ("Maintenance allowance\n(minutes a contract year)", self.allowance),
                ("Excused time is", self.excluded_time),
            ],
            "Taken out: availability is measured over the rest of the period. Counted as "
            "available: the period keeps its length and excused minutes count as up.",
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.causes)
        layout.addWidget(self.windows)
        layout.addWidget(rules)
        layout.addStretch()
