"""A CSV export's header line as both CSV readers take it (``incident_import``'s ``csv.reader``
and the compiled one, ``csv_cells``): one rule, so they find the same delimiter and names."""

from __future__ import annotations

from collections.abc import Iterable

DELIMITERS = ",;\t"  # Excel writes ';' in some locales


def delimiter_of(first_line: str) -> str:
    """The delimiter the first line holds most of; on a tie the first of ``DELIMITERS``."""
    return max(DELIMITERS, key=first_line.count)


def column_names(cells: Iterable[str]) -> list[str]:
    """The header's cells as column names: without the spaces around them."""
    return [cell.strip() for cell in cells]
