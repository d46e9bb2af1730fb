"""Writing the workbook: the path check, the build, and the atomic save."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from slamodeler.domain.errors import InputError
from slamodeler.engine.exposure import exposures
from slamodeler.io.output_files import check_output, replace_atomically
from slamodeler.io.workbook.content import WorkbookContent, WorkbookReport


def write_workbook(path: str | Path, content: WorkbookContent) -> WorkbookReport:
    """Write the workbook to ``path`` (atomically: a failed export leaves no partial file)."""
    # openpyxl, with the sheets, at the first export: not with the desktop application's start
    from slamodeler.io.workbook.builder import WorkbookBuilder
    from slamodeler.io.workbook.streams import write_package

    path = check_workbook_path(path)
    check_output(path)
    if content.simulation is not None and content.exposures is None:
        content = replace(content, exposures=exposures(content.simulation))
    builder = WorkbookBuilder(content)
    wb = builder.build()
    buffer = io.BytesIO()
    wb.save(buffer)
    replace_atomically(
        path, lambda tmp: write_package(buffer, tmp, builder.streams), str(path), "workbook"
    )
    return WorkbookReport(path, builder.replay_rows, builder.incident_count, builder.formulas)


def check_workbook_path(path: str | Path) -> Path:
    """Refuse an output path that cannot be the workbook, before any work is done."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"{path}: the workbook needs a name ending in .xlsx")
    if not path.parent.is_dir():
        raise InputError(f"{path}: the folder {path.parent} does not exist")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give a file name ending in .xlsx")
    return path
