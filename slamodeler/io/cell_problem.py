"""A workbook cell that is refused when its column is read, in its own module: the CSV import
reads it (``RowParser.raw``) without loading the workbook check and its XML parser
(``xlsx_sheet_check``), which every replay of a CSV would otherwise pay at its start. A plain
class: a dataclass's generated methods cost a CSV replay's start 0.5 ms more."""

from __future__ import annotations


class CellProblem:
    """A cell whose value the reader gives is not the one a spreadsheet shows: read in its
    place, and refused (``reason``) at its row and column if the import reads that column.
    ``shown`` is what a preview shows of it."""

    __slots__ = ("reason", "shown")

    def __init__(self, reason: str, shown: str = "") -> None:
        self.reason = reason
        self.shown = shown

    def __str__(self) -> str:
        return self.shown
