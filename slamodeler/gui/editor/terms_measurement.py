"""The measurement terms: months, (fiscal) quarters or years and their windows, the impact weights (how much a minute of a
full, partial or degraded incident counts), the slot length and the minimum downtime. They change
how periods are measured, so a simulation is run again after them (credit terms re-price it)."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from slamodeler.gui.editor.document import ContractDocument
from slamodeler.gui.editor.models import INVALID, Index, _DocumentTable
from slamodeler.gui.editor.terms_fields import (
    ERROR_STYLE,
    TermChoice,
    TermField,
    form_group,
    listed,
    note,
    optional_text,
    whole_number,
    word_list,
)
from slamodeler.gui.editor.terms_period import PeriodTerms
from slamodeler.gui.widgets.table_copy import install_copy
from slamodeler.services.contract_edits import (
    WEIGHTS,
    Parts,
    Place,
    RenameLabel,
    Term,
    WeightPath,
    add_label,
    remove_label,
)

SLOTS = ((1, "1 minute"), (5, "5 minutes"), (15, "15 minutes"))
SLOT_COUNTING = (
    ("any", "touches it at all"),
    ("more_than_half", "covers more than half of it"),
    ("whole", "covers all of it"),
)
SERVICE_HOURS = Term("measurement", "service_hours")
OFFICE_HOURS = {
    "days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
    "start": "08:00",
    "end": "18:00",
    "holidays": [],
}
OVERLAPS = (
    ("worst", "the worst impact counts"),
    ("add", "impacts add up, at most 1"),
)


class WeightsModel(_DocumentTable):
    """One row per impact label and its weight. Renaming a label keeps its place and weight."""

    columns: ClassVar[list[tuple[str, str]]] = [
        ("label", "Impact label"),
        ("weight", "Weight (0 to 1)"),
    ]
    words: ClassVar[set[str]] = {"label"}
    refused = Signal(str)  # a rename that would give one label two weights

    def weights(self) -> dict[str, Any]:
        weights = self.document.get(WEIGHTS)
        return weights if isinstance(weights, dict) else {}

    def _items(self) -> list[Any]:
        return list(self.weights())

    def _path(self, row: int, key: str) -> Place:
        return WeightPath(self._items()[row])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        labels = self._items()
        if not index.isValid() or index.row() >= len(labels) or index.column() != 0:
            return super().data(index, role)
        label = labels[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return label
        problems = [p.message for p in self.document.problems if p.path == WEIGHTS.text]
        if label.strip() or not problems:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(INVALID)
        return "\n".join(problems) if role == Qt.ItemDataRole.ToolTipRole else None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if index.column() != 0 or role != Qt.ItemDataRole.EditRole or not index.isValid():
            return super().setData(index, value, role)
        old, new = self._items()[index.row()], str(value).strip().lower()
        if new == old:
            return False
        if new in self.weights():
            self.refused.emit(f"{new!r} has a weight already: change that row instead.")
            return False
        return self.document.apply(RenameLabel(old, new))


class WeightsEditor(QGroupBox):
    def __init__(self, document: ContractDocument):
        super().__init__("Impact weights")
        self.document = document
        self.model = WeightsModel(document)
        self.table = QTableView()
        self.table.setObjectName("weightsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(90)
        self.table.setMaximumHeight(170)
        install_copy(self.table)
        self.add = QPushButton("Add label")
        self.remove = QPushButton("Remove label")
        self.add.clicked.connect(self._add)
        self.remove.clicked.connect(self._remove)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.model.refused.connect(self._say)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.add)
        buttons.addWidget(self.remove)
        layout = QVBoxLayout(self)
        layout.addWidget(
            note(
                "A minute of an incident counts as its weight: a label (as the incident files "
                "write it) weighs what is given here, a numeric impact (a share from 0 to 1) "
                "counts as itself. Where incidents overlap, the worst weight counts. A label "
                "not listed cannot be measured; none weighs 0 unless given."
            )
        )
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        document.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.remove.setEnabled(bool(self.model.rowCount()))
        where = WEIGHTS.text
        self._say("\n".join(p.message for p in self.document.problems if p.path == where))

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _add(self) -> None:
        if self.document.apply(add_label(self.model.weights())):
            index = self.model.index(self.model.rowCount() - 1, 0)
            self.table.setCurrentIndex(index)
            self.table.edit(index)  # name it straight away

    def _remove(self) -> None:
        row = self.table.currentIndex().row()
        labels = list(self.model.weights())
        row = row if 0 <= row < len(labels) else len(labels) - 1
        if row < 0:
            return
        self.document.apply(remove_label(labels[row]))


class MeasurementTerms(QWidget):
    def __init__(self, document: ContractDocument):
        super().__init__()
        self.period_terms = PeriodTerms(document)
        self.period = self.period_terms.period
        self.slot_minutes = TermChoice(
            document, Term("measurement", "slot_minutes"), "Slot length", SLOTS
        )
        self.min_downtime = TermField(
            document,
            Term("measurement", "min_downtime_minutes"),
            "Minimum downtime",
            placeholder="0",
            parse=whole_number,
        )
        self.weights = WeightsEditor(document)
        rules = self._slot_rules(document)
        hours = self._service_hours(document)

        periods = self.period_terms.box
        counting = form_group(
            "Slots and minimum downtime",
            [
                ("Count time in slots of", self.slot_minutes),
                ("Minimum downtime\n(minutes, 0 to 1440)", self.min_downtime),
            ],
            "An incident counts for the whole slot (by the slot rules below); a run of downtime shorter "
            "than the minimum does not count at all.",
        )
        layout = QVBoxLayout(self)
        layout.addWidget(periods)
        layout.addWidget(counting)
        layout.addWidget(rules)
        layout.addWidget(hours)
        layout.addWidget(self.weights)
        layout.addWidget(
            note(
                "These terms decide how periods are measured: after changing one, run the "
                "simulation again (a credit term re-prices the last run at once)."
            )
        )
        layout.addStretch()

    def _slot_rules(self, document: ContractDocument) -> QGroupBox:
        """How incidents count in a slot (docs/measurement.md, section 4)."""
        self.slot_counting = TermChoice(
            document, Term("measurement", "slot_counting"), "Slot counting", SLOT_COUNTING
        )
        self.overlaps = TermChoice(
            document, Term("measurement", "overlaps"), "Overlapping incidents", OVERLAPS
        )
        self.down_above = TermField(
            document,
            Term("measurement", "down_above"),
            "Down above",
            placeholder="none: weights count as they are",
            parse=optional_text,
        )
        return form_group(
            "Slot rules",
            [
                ("An incident counts in a slot\nwhen it", self.slot_counting),
                ("Incidents in the same slot", self.overlaps),
                ("A slot is down in full above\n(error rate, 0 to 1)", self.down_above),
            ],
            "Atlassian and Okta count a minute as down when its error rate is above 0.05; "
            "Google Cloud does not count partial minutes; Microsoft 365 adds user-minutes.",
        )

    def _service_hours(self, document: ContractDocument) -> QGroupBox:
        """Which hours are measured (docs/measurement.md, section 4a): around the clock, or the
        service hours, which start as Monday to Friday 08:00-18:00 when switched on."""
        self.document = document
        self.in_service_hours = QCheckBox("Measure only service hours")
        self.in_service_hours.setObjectName("term_service_hours")
        self.in_service_hours.clicked.connect(self._switch_service_hours)

        def at(key: str) -> Parts:
            return Parts(("measurement", "service_hours", key))

        self.service_days = TermField(
            document, at("days"), "Service days", parse=word_list, show=listed
        )
        self.service_start = TermField(document, at("start"), "Service hours start")
        self.service_end = TermField(document, at("end"), "Service hours end")
        self.holidays = TermField(
            document,
            at("holidays"),
            "Holidays",
            placeholder="none: YYYY-MM-DD, comma-separated",
            parse=word_list,
            show=listed,
        )
        self.service_fields = (
            self.service_days,
            self.service_start,
            self.service_end,
            self.holidays,
        )
        document.changed.connect(self._refresh_service_hours)
        self._refresh_service_hours()
        return form_group(
            "Service hours",
            [
                ("", self.in_service_hours),
                ("Days (comma-separated)", self.service_days),
                ('From (local "HH:MM")', self.service_start),
                ('To (local "HH:MM", "24:00")', self.service_end),
                ("Holidays (no service)", self.holidays),
            ],
            "Downtime and the period's minutes count only these hours, in the contract's time "
            "zone; a slot counts when it starts in them, and closed hours end a downtime run.",
        )

    def _switch_service_hours(self, on: bool) -> None:
        value = dict(OFFICE_HOURS) if on else None
        said = "Service hours Mon-Fri 08:00-18:00" if on else "Measured around the clock"
        self.document.set_value(SERVICE_HOURS, value, said)

    def _refresh_service_hours(self) -> None:
        on = self.document.get(SERVICE_HOURS) is not None
        self.in_service_hours.setChecked(on)
        for field in self.service_fields:
            field.setEnabled(on)
