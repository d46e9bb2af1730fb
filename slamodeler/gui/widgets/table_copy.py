"""Copy a table to the clipboard as tab-separated text, to paste into a spreadsheet or a message.

Ctrl+C (the platform's Copy key) or "Copy" in the table's context menu copies the selected cells,
or the whole table when nothing is selected, with the column headers. Numbers are copied as a
spreadsheet parses them: thousands separators are dropped ("1,234.50" -> "1234.50").
"""

from __future__ import annotations

import re

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QTableView

GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?")


def cell_text(value: object) -> str:
    """One cell as a spreadsheet reads it: grouped numbers without separators, one line, no tab."""
    text = "" if value is None else str(value)
    text = " ".join(text.replace("\t", " ").splitlines())
    return text.replace(",", "") if GROUPED.fullmatch(text) else text


def table_text(view: QTableView) -> str:
    """The selected cells (the rows and columns they span) or, with no selection, the whole
    table; headers first, hidden rows and columns left out."""
    model: QAbstractItemModel = view.model()
    selected = view.selectionModel().selectedIndexes() if view.selectionModel() else []
    if selected:
        rows = sorted({i.row() for i in selected})
        columns = sorted({i.column() for i in selected})
        chosen = {(i.row(), i.column()) for i in selected}
    else:
        rows, columns = list(range(model.rowCount())), list(range(model.columnCount()))
        chosen = None
    rows = [r for r in rows if not view.isRowHidden(r)]
    columns = [c for c in columns if not view.isColumnHidden(c)]
    display = Qt.ItemDataRole.DisplayRole
    lines = [
        "\t".join(
            cell_text(model.headerData(c, Qt.Orientation.Horizontal, display)) for c in columns
        )
    ]
    for r in rows:
        cells = []
        for c in columns:
            wanted = chosen is None or (r, c) in chosen
            cells.append(
                cell_text(model.index(r, c, QModelIndex()).data(display)) if wanted else ""
            )
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def install_copy(*views: QTableView) -> None:
    """Give each table a Copy action: Ctrl+C while it has focus, and in its context menu."""
    for view in views:
        action = QAction("Copy", view)
        action.setObjectName("copyTable")
        action.setShortcut(QKeySequence.StandardKey.Copy)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(
            lambda _=False, v=view: QApplication.clipboard().setText(table_text(v))
        )
        view.addAction(action)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
