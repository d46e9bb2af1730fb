"""The workspace browser: contracts with their versions and status, incident sets, scenarios and
runs, read through ``slamodeler.services.workspace.listing``."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from slamodeler.services.workspace import Workspace, listing, run_label

KIND = Qt.ItemDataRole.UserRole
IDENT = Qt.ItemDataRole.UserRole + 1


class WorkspaceBrowser(QTreeWidget):
    """``version_chosen(version_id)`` and ``incident_set_chosen(key)`` on selection."""

    version_chosen = Signal(int)
    incident_set_chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("workspaceBrowser")
        self.setHeaderLabels(["Workspace", "Status"])
        self.setColumnWidth(0, 210)
        self.itemActivated.connect(self._chosen)
        self.itemClicked.connect(self._chosen)

    def load(self, ws: Workspace) -> None:
        self.clear()
        found = listing(ws)
        groups = {}
        for title in ("Contracts", "Incident sets", "Scenarios", "Runs"):
            item = QTreeWidgetItem(self, [title])
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
            groups[title] = item
        for contract, versions in found.contracts:
            parent = QTreeWidgetItem(groups["Contracts"], [contract.key, ""])
            parent.setToolTip(0, versions[-1].name if versions else contract.key)
            parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for v in versions:
                item = QTreeWidgetItem(parent, [f"version {v.number}", v.status.replace("_", " ")])
                item.setData(0, KIND, "version")
                item.setData(0, IDENT, v.id)
                item.setToolTip(0, f"{v.reason} ({v.author}, {v.created_at})")
            parent.setExpanded(True)
        for row in found.incident_sets:
            item = QTreeWidgetItem(groups["Incident sets"], [row.key, f"{row.used} incidents"])
            item.setData(0, KIND, "incident_set")
            item.setData(0, IDENT, row.key)
            item.setToolTip(0, f"from {row.source}, imported {row.imported_at}")
        for row in found.scenarios:
            item = QTreeWidgetItem(groups["Scenarios"], [row.key, ""])
            item.setToolTip(0, row.name)
        for run in found.runs:
            item = QTreeWidgetItem(groups["Runs"], [f"run {run.id}", run.kind])
            item.setToolTip(0, run_label(ws, run))
        for group in groups.values():
            group.setExpanded(True)
            if group.text(0) in ("Scenarios", "Runs"):
                group.setExpanded(group.childCount() <= 6)

    def items_of(self, kind: str) -> list[QTreeWidgetItem]:
        out = []
        stack = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            if item.data(0, KIND) == kind:
                out.append(item)
            stack[:0] = [item.child(i) for i in range(item.childCount())]
        return out

    def _chosen(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        kind = item.data(0, KIND)
        if kind == "version":
            self.version_chosen.emit(int(item.data(0, IDENT)))
        elif kind == "incident_set":
            self.incident_set_chosen.emit(str(item.data(0, IDENT)))
