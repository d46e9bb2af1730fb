"""A CSV export's header line as both CSV readers take it (``incident_import``'s ``csv.reader``
and the compiled one, ``csv_cells``): one rule, so they find the same delimiter and names."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

DELIMITERS = ",;\t"  # Excel writes ';' in some locales


def delimiter_of(first_line: str) -> str:
    """The delimiter the first line holds most of; on a tie the first of ``DELIMITERS``."""
    return max(DELIMITERS, key=first_line.count)


def column_names(cells: Iterable[str]) -> list[str]:
    """The header's cells as column names (``column_name``)."""
    return [column_name(cell) for cell in cells]


def column_name(cell: str) -> str:
    """A header cell as a column name: without the spaces around it and without format
    characters (Unicode Cf: zero-width spaces and joiners, byte-order marks, direction marks),
    which no spreadsheet shows, so ``service`` followed by a zero-width space, or ``id`` after a
    byte-order mark saved twice, is found as ``service`` or ``id``."""
    if not cell.isascii():
        cell = "".join(c for c in cell if unicodedata.category(c) != "Cf")
    return cell.strip()
