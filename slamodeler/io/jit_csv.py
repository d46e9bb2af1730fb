"""The compiled CSV reader's kernels (numba), imported only through ``csv_cells``, never at
start-up: the bytes of an export cut into cells, times read, repeated cells numbered and text
cells gathered, without a Python object per cell.

Each kernel reads exactly what the ``csv`` module and the fast lane (``incident_rows``) read, or
says it cannot: ``tokenize`` reads quoted cells as RFC 4180 writes them (a delimiter, a line
break or a doubled quote inside), and gives up where the ``csv`` module's strict reading would
stop or differ: a quote never closed, text after a closing quote, a NUL, a carriage return
outside quotes that does not end a line, or a cell longer than the field size limit; the file
is then read by ``csv.reader``, which words the problem.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from slamodeler.engine.periods import FIRST_YEAR, LAST_YEAR  # a time out of them: per-cell rules

QUOTE, CR, LF, NUL = 34, 13, 10, 0
_FNV_OFFSET, _FNV_PRIME = np.uint64(14695981039346656037), np.uint64(1099511628211)


@njit(cache=True, nogil=True)
def _closing_quote(data, at):
    """Where the quoted cell whose text starts at ``at`` closes (-1: it never does), whether
    its text is all ASCII, and whether it holds a doubled quote (``""``, one quote in it)."""
    end = len(data)
    ascii_only, doubled = True, False
    i = at
    while i < end:
        byte = data[i]
        if byte == QUOTE:
            if i + 1 < end and data[i + 1] == QUOTE:
                doubled = True
                i += 2
                continue
            return i, ascii_only, doubled
        if byte >= 128:
            ascii_only = False
        i += 1
    return -1, ascii_only, doubled


@njit(cache=True, nogil=True)
def tokenize(data, begin, delimiter, width, limit, lines):
    """Each row of ``data[begin:]`` (at most ``lines``): where it starts and ends (its last line
    break left out), and where the text of its first ``width`` cells starts and ends (-1 for
    none, as on an empty line; indexed ``[column, row]``; a quoted cell's text is between its
    quotes, and a row may span lines inside them). Also whether every byte is ASCII, each row's
    columns with a doubled quote in a quoted cell (bit k for column k, bit 63 for any from 63
    on; ``unquote`` makes it one), how many cells each row has up to its last that holds text
    (0 for an empty line), and whether the ``csv`` module would read the rows as these cells
    (False: read the file with it)."""
    end = len(data)
    line_start = np.empty(lines, np.int64)
    line_end = np.empty(lines, np.int64)
    cell_start = np.full((width, lines), -1, np.int64)
    cell_end = np.full((width, lines), -1, np.int64)
    doubled = np.zeros(lines, np.uint64)
    counts = np.zeros(lines, np.int64)
    read = (line_start, line_end, cell_start, cell_end, doubled, counts)  # as far as it got
    # What each byte is: 0 text, 1 a line break, 2 the delimiter, 3 refused, 4 not ASCII,
    # 5 a quote (text but where it opens a cell).
    kinds = np.zeros(256, np.uint8)
    kinds[LF] = kinds[CR] = 1
    kinds[delimiter] = 2
    kinds[NUL] = 3
    kinds[128:] = 4
    kinds[QUOTE] = 5
    ascii_only = True
    row, col, cell, first = 0, 0, begin, begin
    used = 0  # the row's cells up to its last that holds text (``csv_header.cells_used``)
    text_start, text_end = -1, -1  # the text of a quoted cell, once closed
    i = begin
    while i <= end:
        kind = kinds[data[i]] if i < end else 1  # the end closes a last line without a break
        if kind == 0:
            i += 1
            continue
        if kind == 1 or kind == 2:
            if text_start < 0:
                text_start, text_end = cell, i
            if text_end - text_start > limit:
                return (False, ascii_only, *read)
            if text_end > text_start:
                used = col + 1
        if kind == 1:
            stop = i
            if i < end and data[i] == CR:
                if i + 1 >= end or data[i + 1] != LF:
                    return (False, ascii_only, *read)
                i += 1
            if i >= end and stop == first:  # the file ends with its last line break
                break
            if stop > first:
                counts[row] = used
                if col < width:
                    cell_start[col, row] = text_start
                    cell_end[col, row] = text_end
            line_start[row] = first
            line_end[row] = stop
            row += 1
            col = used = 0
            cell = first = i + 1
            text_start = -1
        elif kind == 2:
            if col < width:
                cell_start[col, row] = text_start
                cell_end[col, row] = text_end
            col += 1
            cell = i + 1
            text_start = -1
        elif kind == 3:
            return (False, ascii_only, *read)
        elif kind == 4:
            ascii_only = False
        elif i == cell:  # a quote opening a cell (elsewhere the csv module keeps it as text)
            close, ascii_text, twice = _closing_quote(data, i + 1)
            after = kinds[data[close + 1]] if 0 <= close < end - 1 else 1
            if close < 0 or (after != 1 and after != 2):  # never closed, or text after it
                return (False, ascii_only, *read)
            ascii_only &= ascii_text
            if twice and col < width:
                doubled[row] |= np.uint64(1) << np.uint64(min(col, 63))
            text_start, text_end = i + 1, close
            i = close
        i += 1
    return (
        True,
        ascii_only,
        line_start[:row],
        line_end[:row],
        cell_start[:, :row],
        cell_end[:, :row],
        doubled[:row],
        counts[:row],
    )


@njit(cache=True, nogil=True)
def unquote(data, starts, ends, rows):
    """Each quoted cell of ``rows`` (a column's cells by where they start and end) written with
    one quote for each doubled one, in place: its text moved left over the quotes dropped, and
    its end moved to match."""
    for row in rows:
        a = starts[row]
        if a <= 0 or data[a - 1] != QUOTE:  # not a quoted cell (columns from 63 share a bit)
            continue
        at, k, b = a, a, ends[row]
        while k < b:
            data[at] = data[k]
            at += 1
            k += 2 if data[k] == QUOTE else 1  # a quote in quotes is written twice
        ends[row] = at


@njit(cache=True, nogil=True)
def _digits(data, at, width):
    """The number written at ``data[at:at + width]``, -1 if a byte is not an ASCII digit."""
    value = 0
    for k in range(at, at + width):
        d = np.int64(data[k]) - 48
        if d < 0 or d > 9:
            return -1
        value = value * 10 + d
    return value


@njit(cache=True, nogil=True)
def utc_seconds(data, starts, ends):
    """``incident_rows.utc_seconds`` of cells given by where they start and end (-1: no cell):
    epoch seconds of each cell written ``YYYY-MM-DDTHH:MM:SSZ`` (T or a space), and which
    cells were (0 for the others)."""
    n = len(starts)
    seconds = np.zeros(n, np.int64)
    ok = np.zeros(n, np.bool_)
    for k in range(n):
        a = starts[k]
        if a < 0 or ends[k] - a != 20:
            continue
        if data[a + 4] != 45 or data[a + 7] != 45 or data[a + 13] != 58 or data[a + 16] != 58:
            continue
        if data[a + 19] != 90 or (data[a + 10] != 84 and data[a + 10] != 32):
            continue
        year, month, day = _digits(data, a, 4), _digits(data, a + 5, 2), _digits(data, a + 8, 2)
        hour, minute = _digits(data, a + 11, 2), _digits(data, a + 14, 2)
        second = _digits(data, a + 17, 2)
        if min(year, month, day, hour, minute, second) < 0 or not FIRST_YEAR <= year <= LAST_YEAR:
            continue
        if month < 1 or month > 12 or hour > 23 or minute > 59 or second > 59:
            continue
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        days_in_month = 30 if month in (4, 6, 9, 11) else 31
        if month == 2:
            days_in_month = 29 if leap else 28
        if day < 1 or day > days_in_month:
            continue
        # Days since 1970-01-01 of the proleptic Gregorian calendar (Hinnant's days_from_civil).
        y = year - 1 if month <= 2 else year
        era = y // 400
        of_era = y - era * 400
        of_year = (153 * (month + 9 if month <= 2 else month - 3) + 2) // 5 + day - 1
        of_era_days = of_era * 365 + of_era // 4 - of_era // 100 + of_year
        days = era * 146097 + of_era_days - 719468
        seconds[k] = days * 86400 + hour * 3600 + minute * 60 + second
        ok[k] = True
    return seconds, ok


@njit(cache=True, nogil=True)
def _same(data, a, b, a2, b2):
    """Whether two cells (start, end; -1 for no cell) hold the same bytes."""
    if a < 0 or a2 < 0:
        return a < 0 and a2 < 0
    if b - a != b2 - a2:
        return False
    for k in range(b - a):  # noqa: SIM110 (compiled: a plain loop)
        if data[a + k] != data[a2 + k]:
            return False
    return True


@njit(cache=True, nogil=True)
def codes(data, starts, ends, rows):
    """The cells of ``rows`` numbered in the order their bytes first appear (no cell is a value
    of its own), and for each number the index in ``rows`` of its first cell."""
    m = len(rows)
    size = 16
    while size < 2 * m:
        size *= 2
    mask = np.uint64(size - 1)
    table = np.full(size, -1, np.int64)
    first = np.empty(m, np.int64)
    out = np.empty(m, np.int32)
    count = 0
    for j in range(m):
        a, b = starts[rows[j]], ends[rows[j]]
        h = _FNV_OFFSET
        if a >= 0:
            for k in range(a, b):
                h = (h ^ np.uint64(data[k])) * _FNV_PRIME
            h = (h ^ np.uint64(b - a)) * _FNV_PRIME
        slot = h & mask
        while True:
            c = table[slot]
            if c < 0:
                table[slot] = count
                first[count] = j
                out[j] = count
                count += 1
                break
            r = rows[first[c]]
            if _same(data, a, b, starts[r], ends[r]):
                out[j] = c
                break
            slot = (slot + np.uint64(1)) & mask
    return out, first[:count]


@njit(cache=True, nogil=True)
def joined(data, starts, ends, rows):
    """The bytes of the cells of ``rows``, a NUL after each (no cell: nothing): a cell may hold
    a line break (quoted), never a NUL (``tokenize`` refuses it)."""
    total = 0
    for j in range(len(rows)):
        a = starts[rows[j]]
        total += 1 + (ends[rows[j]] - a if a >= 0 else 0)
    out = np.empty(total, np.uint8)
    at = 0
    for j in range(len(rows)):
        a, b = starts[rows[j]], ends[rows[j]]
        if a >= 0:
            out[at : at + b - a] = data[a:b]
            at += b - a
        out[at] = NUL
        at += 1
    return out
