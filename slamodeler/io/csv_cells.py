"""A large CSV export read by the compiled reader (``jit_csv``): its cells found in the bytes,
column by column, with no Python list per row and no Python text per cell the import does not
keep.

It reads only what it can read as ``csv.reader`` does: UTF-8 (with or without a byte-order mark,
as ``decode_text`` would read it), quoted cells as RFC 4180 writes them (a delimiter, a line
break or a doubled quote inside; a quote inside an unquoted cell is text, as ``csv.reader``
takes it), no NUL, no carriage return but before a line break, no cell over the field size
limit, a header on one line; and only in memory a few times the file's size (not a header of
many more columns than the lines have cells). Anything else (a quote never closed, text after a
closing quote), numba missing or failing, or a file under ``FAST_BYTES``, and
``read_csv_cells`` gives None: the file is then read by ``csv.reader``, which words every
problem. The rows the fast lane leaves are handed to the per-cell rules as ``csv.reader`` would
give them (``row``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.incident_columns import Coded
from slamodeler.engine import compiled_kernels
from slamodeler.io.csv_header import column_names, delimiter_of
from slamodeler.io.input_files import INCIDENTS, MB, read_input
from slamodeler.io.text_encoding import TextEncoding, as_utf8

I64 = NDArray[np.int64]
# Smaller files are read with csv.reader: numba takes about 0.5 s to load (its kernels cached),
# more than it saves below this (a million rows, 89 MB, read and checked: 3.9 s against 0.7 s).
FAST_BYTES = 16 * MB
# The reader keeps where each header column's cell starts and ends on every line (two int64s):
# a header with many (empty) columns would make that many times the file; csv.reader keeps only
# the cells a line has. Above this many bytes of positions per byte of the file it declines.
CELL_BYTES_PER_FILE_BYTE = 4
SUFFIXES = (".csv", ".tsv", ".txt")


class CsvCells:
    """A CSV file's header and rows (``incident_rows.CellColumns``): each row by where it
    starts and ends in the file's bytes (``raw``), each cell of the header's columns by where
    its text starts and ends in ``data`` (-1: the row has no such cell): the file's bytes, or a
    copy with each doubled quote in a quoted cell made one."""

    def __init__(
        self,
        kernels: ModuleType,
        data: tuple[NDArray[np.uint8], NDArray[np.uint8]],
        delimiter: str,
        encoding: TextEncoding,
        lines: tuple[I64, I64],
        cells: tuple[NDArray[np.int64], NDArray[np.int64]],
        counts: I64,
    ):
        self.kernels, self.delimiter, self.encoding = kernels, delimiter, encoding
        self.raw, self.data = data
        self.line_start, self.line_end = lines
        self.cell_start, self.cell_end = cells
        self.n = len(self.line_start) - 1  # the header is line 0
        self.numbers: I64 = np.arange(2, self.n + 2, dtype=np.int64)
        self.header = column_names(self._line(0))
        self.wide: NDArray[np.bool_] = counts[1:] > len(self.header)

    def _line(self, k: int) -> list[str]:
        """Row ``k`` as ``csv.reader`` gives it (without a quote: its text split)."""
        text = self.raw[self.line_start[k] : self.line_end[k]].tobytes().decode("utf-8")
        if '"' in text:
            return next(
                csv.reader(io.StringIO(text), csv.excel, delimiter=self.delimiter, strict=True)
            )
        return text.split(self.delimiter) if text else []

    def row(self, k: int) -> tuple[int, list[Any]]:
        """Row ``k`` (after the header), numbered as a spreadsheet shows it."""
        return k + 2, self._line(k + 1)

    def _bounds(self, index: int | None) -> tuple[I64, I64]:
        if index is None:
            none = np.full(self.n, -1, dtype=np.int64)
            return none, none
        return self.cell_start[index, 1:], self.cell_end[index, 1:]

    def cells(self, index: int | None, rows: I64 | None = None) -> Sequence[Any]:
        """The column's cells of ``rows`` (all rows if None) as ``csv.reader`` gives them: text,
        None where a row is short."""
        chosen = np.arange(self.n, dtype=np.int64) if rows is None else rows
        start, end = self._bounds(index)
        if not len(chosen):
            return []
        joined = self.kernels.joined(self.data, start, end, chosen).tobytes().decode("utf-8")
        texts: list[Any] = joined.split("\0")[:-1]
        for k in np.flatnonzero(start[chosen] < 0).tolist():
            texts[k] = None
        return texts

    def utc_seconds(self, index: int | None) -> tuple[I64, NDArray[np.bool_]]:
        """``incident_rows.utc_seconds`` of the column."""
        seconds, ok = self.kernels.utc_seconds(self.data, *self._bounds(index))
        return seconds, ok

    def coded(
        self, index: int | None, parse: Callable[[Any], Any], rows: I64 | None = None
    ) -> Coded:
        """``incident_rows.coded`` of the column's cells of ``rows``: each distinct cell (the
        same bytes) parsed once, numbered in the order they first appear."""
        chosen = np.arange(self.n, dtype=np.int64) if rows is None else rows
        start, end = self._bounds(index)
        codes, first = self.kernels.codes(self.data, start, end, chosen)
        return Coded(codes, tuple(map(parse, self.cells(index, chosen[first]))))


def read_csv_cells(path: Path, encoding: str) -> CsvCells | None:
    """The incident export at ``path`` read by the compiled reader, or None where it is not
    one it reads as ``csv.reader`` does (then ``read_table`` reads it)."""
    try:
        if path.suffix.lower() not in SUFFIXES or path.stat().st_size < FAST_BYTES:
            return None
    except OSError:
        return None  # read_table says what is wrong with it
    raw = read_input(path, INCIDENTS)
    reading = as_utf8(raw, encoding)
    if reading is None or not _plain(raw):
        return None
    used, begin = reading
    first_break = raw.find(b"\n", begin)
    if first_break < 0:
        return None  # one line (or lines ending in CR alone): nothing to gain, or to read
    # Bytes not UTF-8 become U+FFFD; an ASCII delimiter is counted as often as in the bytes.
    head = raw[begin:first_break].decode("utf-8", "replace")
    delimiter = delimiter_of(head)
    width = head.count(delimiter) + 1
    lines = raw.count(b"\n", begin) + 1  # the lines, one too many if the last ends with a break
    if width * lines * 16 > CELL_BYTES_PER_FILE_BYTE * len(raw):
        return None
    kernels = compiled_kernels.compiled("csv", _load)
    if kernels is None:
        return None
    data = np.frombuffer(raw, dtype=np.uint8)
    ok, ascii_only, line_start, line_end, start, end, doubled, counts = kernels.tokenize(
        data, begin, ord(delimiter), width, csv.field_size_limit(), lines
    )
    if not ok or not len(line_start) or not (ascii_only or _utf8(raw, begin)):
        return None
    if line_end[0] > first_break:
        return None  # a quoted header cell spans lines: ``width`` counted the first line only
    text = data
    if doubled.any():
        text = data.copy()
        for column in range(width):
            rows = np.flatnonzero(doubled & np.uint64(1 << min(column, 63)))
            if len(rows):
                kernels.unquote(text, start[column], end[column], rows)
        text.flags.writeable = False  # the kernels compiled for the file's bytes read it
    return CsvCells(
        kernels, (data, text), delimiter, used, (line_start, line_end), (start, end), counts
    )


def _plain(raw: bytes) -> bool:
    """Whether ``raw`` holds no NUL (``jit_csv.tokenize`` refuses it on sight), found by bytes'
    own loop before numba is loaded. A lone carriage return the kernel finds itself: counting
    CRLFs in the bytes would cost a tenth of the read of every Windows export."""
    return b"\0" not in raw


def _utf8(raw: bytes, begin: int) -> bool:
    try:
        str(memoryview(raw)[begin:], "utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _load() -> ModuleType:
    """``jit_csv``, each kernel compiled (or loaded from its cache) on a small file."""
    from slamodeler.io import jit_csv

    data = np.frombuffer(b'a,b\n2024-01-01T00:00:00Z,"x"""\n', dtype=np.uint8)
    _, _, _, _, start, end, _, _ = jit_csv.tokenize(data, 0, ord(","), 2, 100, 3)
    rows = np.arange(2, dtype=np.int64)
    jit_csv.utc_seconds(data, start[0], end[0])
    jit_csv.codes(data, start[1], end[1], rows)
    jit_csv.joined(data, start[1], end[1], rows)
    jit_csv.unquote(data.copy(), start[1], end[1], rows)
    return jit_csv
