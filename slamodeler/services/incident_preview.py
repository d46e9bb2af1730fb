"""A first look at an incident export before it is imported: its header, its first rows and the
columns the import would take for each field (the GUI's column-mapping dialog shows them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slamodeler.domain.import_mapping import ColumnMapping
from slamodeler.io.incident_import import guess_columns, load_mapping, read_preview
from slamodeler.io.text_encoding import TextEncoding

PREVIEW_ROWS = 20


@dataclass(frozen=True)
class IncidentPreview:
    path: Path
    header: list[str]
    rows: list[tuple[int, list[Any]]]  # (spreadsheet row number, cells)
    guessed: dict[str, str]  # field -> header the import would use, without a mapping file
    encoding: TextEncoding | None = None  # a CSV's, detected or as chosen in the mapping


def preview_incident_file(
    path: str | Path, mapping: ColumnMapping | None = None, limit: int = PREVIEW_ROWS
) -> IncidentPreview:
    """Read with the mapping's sheet and encoding. Bad files raise InputError with the
    import's own message."""
    path = Path(path)
    table, rows = read_preview(path, limit, mapping)
    header = table.header
    found = guess_columns(header, mapping)
    guessed = {f: header[i] for f, i in found.items()}
    return IncidentPreview(path, header, rows, guessed, table.encoding)


def read_mapping(path: str | Path) -> ColumnMapping:
    """A column-mapping file, for the dialog to start from: its columns, zone and default impact
    fill the drop-downs (bad files raise InputError naming the file and field)."""
    return load_mapping(path)
