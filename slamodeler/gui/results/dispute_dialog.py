"""Reconcile a dispute (Analysis menu): the contract in the editor replayed on two stored
incident sets, ours and the customer's claim (`slamodeler dispute`), in the background; the
periods where they disagree in a table, the incidents that explain the selected period (every
disputed incident when none is selected), and the workbook with its Dispute sheet to send as
the answer to the claim."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.incidents import IncidentSet
from slamodeler.gui.widgets.table_copy import install_copy
from slamodeler.gui.widgets.workbook_button import WorkbookButton
from slamodeler.gui.widgets.worker import Worker
from slamodeler.services.dispute import (
    PERIOD_HEADERS,
    Dispute,
    dispute_heading,
    explaining_line,
    period_cells,
    reconcile_sets,
    save_dispute_workbook,
)

RIGHT = set(range(2, len(PERIOD_HEADERS)))


class DisputeDialog(QDialog):
    """``contract`` (named ``label``) on two of the stored ``sets`` (read with ``load_set``)."""

    def __init__(
        self,
        contract: Contract,
        label: str,
        sets: Sequence[str],
        load_set: Callable[[str], IncidentSet],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(f"Reconcile a dispute: {label}")
        self.contract, self.label, self.load_set = contract, label, load_set
        self.found: Dispute | None = None
        self.ours = QComboBox()
        self.ours.setObjectName("disputeOurs")
        self.theirs = QComboBox()
        self.theirs.setObjectName("disputeTheirs")
        for box in (self.ours, self.theirs):
            box.addItems(list(sets))
        if len(sets) > 1:
            self.theirs.setCurrentIndex(len(sets) - 1)
        self.run = QPushButton("Reconcile")
        self.run.setObjectName("disputeRun")
        self.run.setDefault(True)
        self.status = QLabel(
            "Choose our incident set and the customer's claim (import it first with File > "
            "Import incidents…), then Reconcile."
        )
        self.status.setObjectName("disputeStatus")
        self.status.setWordWrap(True)
        self.export = WorkbookButton(
            "disputeExport", "Our replay's workbook with the Dispute sheet: the answer", self.status
        )
        self.table = QTableWidget(0, len(PERIOD_HEADERS))
        self.table.setObjectName("disputeTable")
        self.table.setHorizontalHeaderLabels([h.capitalize() for h in PERIOD_HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.itemSelectionChanged.connect(self._explain)
        install_copy(self.table)
        self.explained = QLabel()
        self.explained.setObjectName("disputeExplainedBy")
        self.incidents = QListWidget()
        self.incidents.setObjectName("disputeIncidents")
        self.worker = Worker(self)
        self.worker.done.connect(self._done)
        self.worker.failed.connect(self._failed)
        self.run.clicked.connect(self.start)

        row = QHBoxLayout()
        for text, widget in (("Our incidents", self.ours), ("Their claim", self.theirs)):
            row.addWidget(QLabel(text))
            row.addWidget(widget)
        row.addWidget(self.run)
        row.addStretch()
        row.addWidget(self.export)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.explained)
        layout.addWidget(self.incidents, 1)
        self.resize(1000, 620)

    def start(self) -> None:
        """Replay both sets in the background; the last answer stays until the new one."""
        if self.worker.running:
            return
        ours, theirs = self.ours.currentText(), self.theirs.currentText()
        if not ours or not theirs:
            self.status.setText("Not reconciled: no incident set is stored; import one first.")
            return
        if ours == theirs:
            self.status.setText("Not reconciled: choose two different incident sets.")
            return
        contract, load = self.contract, self.load_set

        def job() -> tuple[IncidentSet, Dispute]:
            mine = load(ours)
            return mine, reconcile_sets(contract, mine.incidents, load(theirs).incidents)

        self.run.setEnabled(False)
        self.status.setText(f"Replaying {ours} and {theirs}…")
        self.worker.start(job)

    def _failed(self, exc: BaseException) -> None:
        self.run.setEnabled(True)
        if not isinstance(exc, InputError):
            raise exc
        self.status.setText(f"Not reconciled: {exc}")

    def _done(self, result: tuple[IncidentSet, Dispute]) -> None:
        self.run.setEnabled(True)
        mine, found = result
        self.found = found
        contract, label = self.contract, self.label
        self.export.offer(
            "dispute.xlsx",
            lambda path: save_dispute_workbook(path, contract, mine, found, label),
        )
        at_stake = ", ".join(f"{t.tier} {found.at_stake(t.tier):+,}" for t in found.ours.tiers)
        self.status.setText(
            f"{dispute_heading(found)}. Credit at stake per customer ({found.ours.currency}): "
            f"{at_stake}."
        )
        self.table.clearSelection()
        self.table.setRowCount(len(found.periods))
        for r, p in enumerate(found.periods):
            for c, text in enumerate(period_cells(p)):
                self.table.setItem(r, c, _cell(text, c in RIGHT))
        self.table.resizeColumnsToContents()
        self._explain()

    def _explain(self) -> None:
        """The incidents behind the selected period, or every disputed one."""
        found = self.found
        if found is None:
            return
        rows = self.table.selectionModel().selectedRows()
        self.incidents.clear()
        if rows:
            p = found.periods[rows[0].row()]
            self.explained.setText(f"Incidents that explain {p.tier} {p.period}:")
            self.incidents.addItems([explaining_line(e) for e in p.explaining])
        else:
            self.explained.setText("Incidents the two sets record differently:")
            self.incidents.addItems([f"{d.label}: {d.why}" for d in found.disputed])

    def done(self, result: int) -> None:
        """Closing waits for a replay in flight."""
        self.worker.wait()
        super().done(result)


def _cell(text: str, right: bool) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item
