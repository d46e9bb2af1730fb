"""The workspace browser: contracts with their versions and status, incident sets, scenarios, fee
sets, ticket sets and runs, read through ``slamodeler.services.workspaces.listing``, with a find field above it that
filters the tree as you type. The Fee sets and Ticket sets groups' context menus add a file as
a set (``add_fees_requested``, ``add_tickets_requested``).

The names take the width the Status column leaves them and are cut in the middle when longer
(in full in their tooltips), so a long name never pushes the Status column out of view. Loading
again (after a save, an approval, a run) keeps the item selected and the groups opened or
closed as they were."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from slamodeler.services.incident_sets import import_report
from slamodeler.services.run_input_sets import ticket_report
from slamodeler.services.runs import run_label
from slamodeler.services.vendor import received
from slamodeler.services.workspaces import Workspace, listing

KIND = Qt.ItemDataRole.UserRole
IDENT = Qt.ItemDataRole.UserRole + 1
VENDOR, VENDOR_TIP = "vendor's SLA", "direction: received: a vendor's SLA held back to back"
LISTED_ROWS = 12  # row numbers shown per reason in an incident set's import report
GROUPS = ("Contracts", "Incident sets", "Scenarios", "Fee sets", "Ticket sets", "Runs")


def children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    """``item``'s children (``child(i)`` is None only for an index out of range)."""
    return [child for i in range(item.childCount()) if (child := item.child(i)) is not None]


def counted(n: int, noun: str) -> str:
    """``1 fee``, ``12 fees``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


class WorkspaceBrowser(QTreeWidget):
    """``version_chosen(version_id)`` and ``incident_set_chosen(key)`` on selection;
    ``run_open_requested(run_id)`` when a run is activated (double-click, Enter) or opened from
    its context menu, which also has ``run_rerun_requested`` and ``run_export_requested``."""

    version_chosen = Signal(int)
    incident_set_chosen = Signal(str)
    run_open_requested = Signal(int)
    run_rerun_requested = Signal(int)
    run_export_requested = Signal(int)
    add_fees_requested = Signal()
    add_tickets_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("workspaceBrowser")
        self.setHeaderLabels(["Workspace", "Status"])
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keeps a name's end (-2024, @3)
        self.itemActivated.connect(self._activated)
        self.itemClicked.connect(self._chosen)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.filter_text = ""

    def load(self, ws: Workspace) -> None:
        """Fill the tree from ``ws``, keeping the current item and the groups' state."""
        current = self.currentItem()
        kept = (current.data(0, KIND), current.data(0, IDENT)) if current is not None else None
        opened = {group.text(0): group.isExpanded() for group in self.top_level_items()}
        self.clear()
        found = listing(ws)
        groups = {}
        for title in GROUPS:
            item = QTreeWidgetItem(self, [title])
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
            groups[title] = item
        for contract, versions in found.contracts:
            vendor = bool(versions) and received(versions[-1])  # a vendor's SLA to us
            parent = QTreeWidgetItem(groups["Contracts"], [contract.key, VENDOR if vendor else ""])
            parent.setToolTip(
                0, f"{contract.key}: {versions[-1].name}" if versions else contract.key
            )
            parent.setToolTip(1, VENDOR_TIP if vendor else "")
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
            report = import_report(row).summary_lines(limit=LISTED_ROWS)
            item.setToolTip(
                0, "\n".join([row.key, f"from {row.source}, imported {row.imported_at}", *report])
            )
        for scenario in found.scenarios:
            item = QTreeWidgetItem(groups["Scenarios"], [scenario.key, ""])
            item.setToolTip(0, f"{scenario.key}: {scenario.name}")
        for fees in found.fee_sets:
            item = QTreeWidgetItem(groups["Fee sets"], [fees.key, counted(fees.fees, "fee")])
            item.setData(0, KIND, "fee_set")
            item.setData(0, IDENT, fees.key)
            item.setToolTip(
                0, f"{fees.key}\nfrom {fees.source}, added by {fees.author}, {fees.imported_at}"
            )
        for tickets in found.ticket_sets:
            item = QTreeWidgetItem(
                groups["Ticket sets"], [tickets.key, counted(tickets.used, "ticket")]
            )
            item.setData(0, KIND, "ticket_set")
            item.setData(0, IDENT, tickets.key)
            report = ticket_report(tickets).summary_lines(limit=LISTED_ROWS)
            item.setToolTip(
                0,
                "\n".join(
                    [
                        tickets.key,
                        f"from {tickets.source}, added by {tickets.author}, {tickets.imported_at}",
                        *report,
                    ]
                ),
            )
        for run in found.runs:
            item = QTreeWidgetItem(groups["Runs"], [f"run {run.id}", run.kind])
            item.setData(0, KIND, "run")
            item.setData(0, IDENT, run.id)
            item.setToolTip(
                0,
                f"{run_label(ws, run)}\nDouble-click to open it; right-click to rerun it or "
                "export its workbook.",
            )
        for title, group in groups.items():
            if title in opened:
                group.setExpanded(opened[title])
            else:
                group.setExpanded(
                    title in ("Contracts", "Incident sets") or group.childCount() <= 6
                )
        self.set_filter(self.filter_text)
        if kept is not None and kept[0] is not None:
            self.select(*kept)

    def select(self, kind: str, ident: object) -> bool:
        """Make the item ``kind``/``ident`` (a version's id, a run's...) current and show it."""
        for item in self.items_of(kind):
            if item.data(0, IDENT) == ident:
                self.setCurrentItem(item)
                self.scrollToItem(item)
                return True
        return False

    def set_filter(self, text: str) -> int:
        """Show only the items whose text (or tooltip) holds ``text``, case-insensitively, with
        their parents, and everything under a match (a contract's versions, a group's items).
        Return how many items match."""
        self.filter_text = text
        needle = text.strip().casefold()
        return sum(self._filter(group, needle) for group in self.top_level_items())

    def _filter(self, item: QTreeWidgetItem, needle: str, shown: bool = False) -> int:
        haystack = " ".join([item.text(0), item.text(1), item.toolTip(0)]).casefold()
        matches = bool(needle) and needle in haystack
        found = int(matches) + sum(
            self._filter(child, needle, shown or matches) for child in children(item)
        )
        item.setHidden(bool(needle) and not (shown or found))
        if needle and found > int(matches):
            item.setExpanded(True)
        return found

    def top_level_items(self) -> list[QTreeWidgetItem]:
        """The groups (``topLevelItem(i)`` is None only for an index out of range)."""
        count = self.topLevelItemCount()
        return [item for i in range(count) if (item := self.topLevelItem(i)) is not None]

    def items_of(self, kind: str) -> list[QTreeWidgetItem]:
        out = []
        stack = self.top_level_items()
        while stack:
            item = stack.pop(0)
            if item.data(0, KIND) == kind:
                out.append(item)
            stack[:0] = children(item)
        return out

    def add_menu(self, item: QTreeWidgetItem) -> QMenu | None:
        """The context menu of the Fee sets or Ticket sets group or one of its sets: add a file
        as a set (None for other items)."""
        group = item.parent() or item
        wanted = {"Fee sets": ("addFees", "Add a fee file…", self.add_fees_requested),
                  "Ticket sets": ("addTickets", "Add a ticket export…",
                                  self.add_tickets_requested)}.get(group.text(0))  # fmt: skip
        if wanted is None or group.parent() is not None:
            return None
        name, text, signal = wanted
        menu = QMenu(self)
        action = menu.addAction(text)
        action.setObjectName(name)
        action.triggered.connect(lambda _=False: signal.emit())
        return menu

    def run_menu(self, item: QTreeWidgetItem) -> QMenu | None:
        """The context menu of a stored run (None for other items)."""
        if item.data(0, KIND) != "run":
            return None
        run_id = int(item.data(0, IDENT))
        menu = QMenu(self)
        for name, text, signal in (
            ("openRun", "Open", self.run_open_requested),
            ("rerunRun", "Rerun (compare with the stored result)", self.run_rerun_requested),
            ("exportRun", f"Export the workbook of run {run_id}…", self.run_export_requested),
        ):
            action = menu.addAction(text)
            action.setObjectName(name)
            action.triggered.connect(lambda _=False, s=signal: s.emit(run_id))
        return menu

    def _context_menu(self, at: QPoint) -> None:
        item = self.itemAt(at)
        menu = (self.run_menu(item) or self.add_menu(item)) if item is not None else None
        if menu is not None:
            menu.exec(self.viewport().mapToGlobal(at))

    def _activated(self, item: QTreeWidgetItem, column: int = 0) -> None:
        """Double-click or Enter: a run opens; anything else is chosen as by a click."""
        if item.data(0, KIND) == "run":
            self.run_open_requested.emit(int(item.data(0, IDENT)))
        else:
            self._chosen(item, column)

    def _chosen(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        kind = item.data(0, KIND)
        if kind == "version":
            self.version_chosen.emit(int(item.data(0, IDENT)))
        elif kind == "incident_set":
            self.incident_set_chosen.emit(str(item.data(0, IDENT)))


class FindField(QLineEdit):
    """The browser's filter: Escape clears it."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class BrowserPanel(QWidget):
    """The find field over the browser, and a line saying when nothing matches."""

    def __init__(self, browser: WorkspaceBrowser):
        super().__init__()
        self.browser = browser
        self.find_field = FindField()
        self.find_field.setObjectName("browserFind")
        self.find_field.setPlaceholderText("Find in the workspace (Ctrl+F)")
        self.find_field.setClearButtonEnabled(True)
        self.find_field.textChanged.connect(self._filter)
        self.nothing = QLabel()
        self.nothing.setObjectName("browserNoMatch")
        self.nothing.setWordWrap(True)
        self.nothing.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.find_field)
        layout.addWidget(self.nothing)
        layout.addWidget(browser)

    def _filter(self, text: str) -> None:
        found = self.browser.set_filter(text)
        self.nothing.setText(
            f"Nothing in the workspace matches \u201c{text.strip()}\u201d (Escape clears)."
        )
        self.nothing.setVisible(bool(text.strip()) and not found)
