"""Filling a table whose columns size to their contents, without sizing them at every cell.

A QHeaderView in ResizeToContents mode measures its columns again whenever a cell changes; filled
cell by cell on screen, a table of a few hundred rows then takes seconds. Inside ``sized_once``
the columns keep their width, and are measured once at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtWidgets import QHeaderView, QTableView


@contextmanager
def sized_once(table: QTableView) -> Iterator[None]:
    header = table.horizontalHeader()
    modes = [header.sectionResizeMode(i) for i in range(header.count())]
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    try:
        yield
    finally:
        for i, mode in enumerate(modes):
            header.setSectionResizeMode(i, mode)
