"""The incident import's fast lane: a whole column of times checked and converted at once, and
cells that repeat (impact, cause, service, region) parsed once per distinct value, and ids and
titles that need no more than stripping taken a column at once.

It decides nothing on its own. A time is taken here only in the one form
``YYYY-MM-DDTHH:MM:SSZ`` (or with a space for the T), ASCII digits, a real date and time of day:
a form the per-cell rules (``RowParser.time``) read as the same instant. A row whose times are
both in that form and whose end is after its start is built from the values ``RowParser`` gives
for its other cells (cached by cell); every other row goes through ``RowParser.parse``, so each
problem and note is found and worded there, by row and column.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Sequence
from operator import itemgetter
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.incident_columns import Coded
from slamodeler.engine.periods import FIRST_YEAR, LAST_YEAR
from slamodeler.io.csv_header import cells_used

I64 = NDArray[np.int64]
WIDTH = 20  # len("2024-03-01T14:05:00Z")
_NOT_A_TIME = " " * WIDTH
_DIGITS = (0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18)
_SIGNS = {4: "-", 7: "-", 13: ":", 16: ":", 19: "Z"}


def utc_seconds(cells: Sequence[Any]) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Epoch seconds of each cell written ``YYYY-MM-DDTHH:MM:SSZ`` (T or a space), and which
    cells were; the others (anything else, even a valid time in another form) are left to the
    per-cell rules."""
    n = len(cells)
    try:  # the usual export: every cell text of the width (None and numbers have no len)
        joined = "".join(cells) if set(map(len, cells)) <= {WIDTH} else None
    except TypeError:
        joined = None
    if joined is None:
        joined = "".join(c if type(c) is str and len(c) == WIDTH else _NOT_A_TIME for c in cells)
    # One byte a character: any other than ASCII becomes "?", which no position takes.
    codes = np.frombuffer(joined.encode("ascii", "replace"), np.uint8).reshape(n, WIDTH)
    digit = codes - np.uint8(ord("0"))  # unsigned: codes below '0' wrap above 9
    ok = np.all(digit[:, _DIGITS] <= 9, axis=1)
    for at, sign in _SIGNS.items():
        ok &= codes[:, at] == ord(sign)
    ok &= (codes[:, 10] == ord("T")) | (codes[:, 10] == ord(" "))

    def number(at: int, width: int) -> NDArray[np.int64]:
        value = np.zeros(n, dtype=np.int64)
        for k in range(at, at + width):
            value = value * 10 + digit[:, k]
        return value

    year, month, day = number(0, 4), number(5, 2), number(8, 2)
    hour, minute, second = number(11, 2), number(14, 2), number(17, 2)
    # a year out of the periods' range is left to the per-cell rules, which name it
    ok &= (year >= FIRST_YEAR) & (year <= LAST_YEAR) & (month >= 1) & (month <= 12)
    ok &= (hour <= 23) & (minute <= 59)
    ok &= second <= 59
    months = np.where(ok, (year - 1970) * 12 + month - 1, 0).astype("datetime64[M]")
    first_day = months.astype("datetime64[D]").astype(np.int64)
    month_days = (months + 1).astype("datetime64[D]").astype(np.int64) - first_day
    ok &= (day >= 1) & (day <= month_days)
    seconds = (first_day + day - 1) * 86400 + hour * 3600 + minute * 60 + second
    return np.where(ok, seconds, 0), ok


def coded(cells: Sequence[Any], parse: Callable[[Any], Any]) -> Coded:
    """The parser's answer for each cell, computed once per distinct text cell (or empty one):
    exports repeat a few impacts, causes, services and regions over many rows. Other cells (a
    workbook's numbers) are parsed each on its own: 1, 1.0 and True are equal keys, but not the
    same cell."""
    column = Coded.of(cells)
    # A number would have become the key of an equal number (or been joined by one): each
    # distinct key shows the type of every cell equal to it.
    if set(map(type, column.values)) <= {str, type(None)}:
        return Coded(column.codes, tuple(map(parse, column.values)))
    return Coded(np.arange(len(cells), dtype=np.int32), tuple(map(parse, cells)))


def plain_texts(cells: Sequence[Any], empty: bool) -> list[str] | None:
    """The cells stripped, when that is all the per-cell rules (``incident_import.clean``) do
    to them: every cell is text, none starts with an apostrophe once stripped, and (unless
    ``empty``) none is empty; None otherwise (each cell is then read on its own)."""
    try:
        stripped = list(map(str.strip, cells))
    except TypeError:  # a workbook's number, or an empty cell
        return None
    joined = "\0" + "\0".join(stripped) + "\0"  # a cell holding \0 only makes it say None
    if "\0'" in joined or (not empty and "\0\0" in joined):
        return None
    return stripped


class CellColumns(Protocol):
    """A file's rows after the header, column by column (a column by its index in the header):
    read one by one (``RowCells``) or by the compiled CSV reader (``csv_cells.CsvCells``), the
    same cells either way."""

    n: int
    numbers: I64  # each row's number as a spreadsheet shows it
    wide: NDArray[np.bool_]  # rows with more cells than a CSV's header (none in a workbook)

    def row(self, k: int) -> tuple[int, list[Any]]:
        """Row ``k``: its number and its cells."""
        ...

    def cells(self, index: int | None, rows: I64 | None = None) -> Sequence[Any]:
        """The column's cells of ``rows`` (all if None), None where a row is short."""
        ...

    def utc_seconds(self, index: int | None) -> tuple[I64, NDArray[np.bool_]]:
        """``utc_seconds`` of the column."""
        ...

    def coded(
        self, index: int | None, parse: Callable[[Any], Any], rows: I64 | None = None
    ) -> Coded:
        """``coded`` of the column's cells of ``rows`` (all if None)."""
        ...


class RowCells:
    """Rows read one by one (``csv.reader``, a workbook), as columns; ``refused``: the numbers
    of the rows holding a cell refused when read (``cell_problem.CellProblem``), left to
    the per-cell rules, which word it; ``width``: a CSV's header's (a workbook's rows may have
    cells past the header's: no column shifts there)."""

    def __init__(
        self,
        rows: list[tuple[int, list[Any]]],
        refused: Collection[int] = (),
        width: int | None = None,
    ):
        self.rows = rows
        self.refused = refused
        self.n = len(rows)
        self.numbers: I64 = np.fromiter(map(itemgetter(0), rows), np.int64, self.n)
        self._columns = list(itertools.zip_longest(*map(itemgetter(1), rows)))
        self.wide: NDArray[np.bool_] = np.zeros(self.n, dtype=np.bool_)
        if width is not None and len(self._columns) > width:  # as long as the longest row
            longer = np.fromiter(map(len, map(itemgetter(1), rows)), np.int64, self.n) > width
            for k in np.flatnonzero(longer).tolist():  # few: a text past the header, or empties
                self.wide[k] = cells_used(rows[k][1]) > width

    def row(self, k: int) -> tuple[int, list[Any]]:
        return self.rows[k]

    def cells(self, index: int | None, rows: I64 | None = None) -> Sequence[Any]:
        if index is None or index >= len(self._columns):
            column: Sequence[Any] = (None,) * self.n
        else:
            column = self._columns[index]
        return column if rows is None else list(map(column.__getitem__, rows.tolist()))

    def utc_seconds(self, index: int | None) -> tuple[I64, NDArray[np.bool_]]:
        return utc_seconds(self.cells(index))

    def coded(
        self, index: int | None, parse: Callable[[Any], Any], rows: I64 | None = None
    ) -> Coded:
        return coded(self.cells(index, rows), parse)
