"""A CSV export's header line as both CSV readers take it (``incident_import``'s ``csv.reader``
and the compiled one, ``csv_cells``): one rule, so they find the same delimiter and names."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

DELIMITERS = ",;\t"  # Excel writes ';' in some locales
STRAY_CR = "new-line character seen in unquoted field"  # csv.Error's words for a lone CR
CR_INSIDE = (
    "a carriage return (CR, U+000D) stands inside the row, but the file's lines end in LF or "
    "CRLF; delete it (a line break may stand only inside a quoted cell)"
)


def cells_used(values: Sequence[object]) -> int:
    """A CSV row's cells up to its last that holds text: cells past the header that are empty
    (a trailing delimiter, as some exports end every row) lose nothing, and shift nothing that
    is read; the compiled tokenizer counts the same (``jit_csv.tokenize``)."""
    for k in range(len(values) - 1, -1, -1):
        if values[k]:
            return k + 1
    return 0


def delimiter_of(first_line: str) -> str:
    """The delimiter the first line holds most of; on a tie the first of ``DELIMITERS``."""
    return max(DELIMITERS, key=first_line.count)


def cr_line_ends(text: str) -> bool:
    """Whether the file's lines end in a carriage return alone (classic Mac OS; Excel for Mac's
    "CSV (Macintosh)"): its first line break is one, and outside quoted cells it holds more of
    them than LFs (the line breaks inside a quoted cell may be LFs, however many; a stray CR
    in a line of a file of LF or CRLF lines is not a line end, and is refused). Counted only
    where the first line break is a lone CR: any other file is not read twice."""
    lf = text.find("\n")
    cr = text.find("\r", 0, len(text) if lf < 0 else lf)  # in the first line only
    if cr < 0 or lf == cr + 1:
        return False
    outside = text.split('"')[::2]  # a quoted cell's text between two quotes ("" doubles one)
    lone = sum(part.count("\r") - part.count("\r\n") for part in outside)
    return lone > sum(part.count("\n") for part in outside)


def csv_lines(text: str) -> io.StringIO:
    """``text`` as ``csv.reader`` reads it: lines split at each LF (a CRLF's CR the csv module
    drops), or, in a file whose lines end in CR alone, at each CR, LF or CRLF. A lone CR inside
    a line of any other file stops the reader (``STRAY_CR``)."""
    return io.StringIO(text, newline="" if cr_line_ends(text) else "\n")


def first_line(text: str) -> str:
    """The header's line (``delimiter_of`` counts in it)."""
    return text.split("\r" if cr_line_ends(text) else "\n", 1)[0]


def cell_of(line: str, at: int, delimiter: str) -> int | None:
    """Which cell (1 for the first) of a row on one line the character at ``at`` stands in
    (None if the text before it is not whole cells: a quote left open)."""
    try:
        return len(next(csv.reader([line[:at]], delimiter=delimiter), [])) or 1
    except csv.Error:
        return None


def column_names(cells: Iterable[str]) -> list[str]:
    """The header's cells as column names (``column_name``)."""
    return [column_name(cell) for cell in cells]


def column_name(cell: str) -> str:
    """A header cell as a column name: without the spaces around it and without format
    characters (Unicode Cf: zero-width spaces and joiners, byte-order marks, direction marks),
    which no spreadsheet shows, so ``service`` followed by a zero-width space, or ``id`` after a
    byte-order mark saved twice, is found as ``service`` or ``id``."""
    if not cell.isascii():  # the table imported here: an ASCII header, the usual, needs none
        import unicodedata

        cell = "".join(c for c in cell if unicodedata.category(c) != "Cf")
    return cell.strip()
