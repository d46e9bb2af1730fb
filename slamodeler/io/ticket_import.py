"""Import support tickets from CSV or XLSX exports, read as incidents are (the same files,
encodings, time zones and row report): every row is used, used with a note, or refused with its
column and reason."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slamodeler.domain.errors import InputError, MissingColumnError
from slamodeler.domain.incidents import ImportReport, RowIssue
from slamodeler.domain.support import Ticket
from slamodeler.domain.ticket_mapping import TicketMapping
from slamodeler.io.incident_import import (
    OnBadRow,
    RowError,
    RowParser,
    guess_columns,
    naive_times_zone,
    read_mapping,
    read_table,
)
from slamodeler.io.input_files import TICKETS

UNANSWERED = "no first response: a miss once its target has passed by the end of the replay"


@dataclass(frozen=True)
class TicketSet:
    name: str
    tickets: tuple[Ticket, ...]
    report: ImportReport


def load_ticket_mapping(path: str | Path) -> TicketMapping:
    return read_mapping(path, TicketMapping)


def import_tickets(
    path: str | Path,
    mapping: TicketMapping | None = None,
    on_bad_row: OnBadRow = "reject",
    timezone: str | None = None,
) -> TicketSet:
    """Read a ticket export. With ``reject`` any unusable row stops the import with a message
    listing the rows; with ``skip`` they are left out and listed in the report."""
    path = Path(path)
    mapping = mapping or TicketMapping()
    table = read_table(path, mapping, TICKETS)
    columns = _columns(path, table.header, mapping)
    tzinfo = naive_times_zone(timezone or mapping.timezone)
    headers = {f: table.header[i] for f, i in columns.items()}
    parser = RowParser(
        columns, mapping, tzinfo, headers, set(), delimiter=table.delimiter, width=len(table.header)
    )
    tickets: list[Ticket] = []
    issues: list[RowIssue] = []
    rows_read = blank = 0
    for row, values in table.rows:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            blank += 1
            continue
        rows_read += 1
        notes: list[tuple[str, str]] = []
        try:
            tickets.append(_ticket(parser, mapping, row, values, notes))
        except RowError as err:
            issues.append(RowIssue(row, err.column, err.reason, kept=False))
            continue
        issues.extend(RowIssue(row, column, why, kept=True) for column, why in notes)
    noted = table.encoding.describe() if table.encoding and table.encoding.unusual else None
    report = ImportReport(str(path), rows_read, len(tickets), tuple(issues), noted, blank, "ticket")
    if report.unaccounted():
        raise RuntimeError(f"{path}: the import report does not account for every row: {report}")
    if report.rejected and on_bad_row == "reject":
        lines = report.summary_lines()
        lines.append("Fix those rows, or import with --skip-bad-rows to leave them out.")
        raise InputError("\n".join(lines))
    return TicketSet(path.stem, tuple(tickets), report)


def _columns(path: Path, header: list[str], mapping: TicketMapping) -> dict[str, int]:
    columns = guess_columns(header, mapping)
    for field, name in mapping.columns.items():
        if name and field not in columns:
            raise InputError(
                f"{path}: the mapping names column {name!r} for {field}, but the header has "
                f"only: {', '.join(header)}"
            )
    missing = tuple(f for f in ("priority", "opened", "first_response") if f not in columns)
    if missing:
        raise MissingColumnError(
            f"{path}: no {' or '.join(missing)} column; name it in a ticket mapping "
            f"(columns: {{{missing[0]}: HEADER}}). Header: {', '.join(header)}",
            missing,
            header,
        )
    return columns


def _ticket(
    parser: RowParser,
    mapping: TicketMapping,
    row: int,
    values: list[Any],
    notes: list[tuple[str, str]],
) -> Ticket:
    parser.check_cells(values)
    raw = parser.cell(values, "priority")
    if raw is None:
        raise RowError(parser.header("priority"), "priority is empty")
    priority = str(raw).strip().lower()
    priority = mapping.priority_labels.get(priority, priority)
    opened = parser.time(values, "opened", notes)
    if opened is None:
        raise RowError(parser.header("opened"), "opened is empty")
    answered = parser.time(values, "first_response", notes)
    if answered is None:
        notes.append((parser.header("first_response"), UNANSWERED))
    elif answered < opened:
        raise RowError(parser.header("first_response"), "first response is before opened")
    ident = parser.cell(values, "id")
    return Ticket(
        str(ident) if ident is not None else f"row {row}", priority, opened, answered, row
    )
