"""Fee sets and ticket sets: a fee file or a support ticket export added to a workspace under a
key (`slamodeler ws add-fees`, `ws add-tickets`, the browser's Add…), and read back for a run
that names them (docs/workspace.md). Like incident sets, they never change once stored."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from slamodeler.domain.errors import InputError
from slamodeler.domain.incidents import ImportReport
from slamodeler.io.fee_file import read_fee_rows
from slamodeler.io.ticket_import import TicketSet, import_tickets, load_ticket_mapping
from slamodeler.services.run_files import RunFiles, StoredFees, StoredTickets
from slamodeler.services.versions import key_from
from slamodeler.store.codec import report_of
from slamodeler.store.tables import FeeSetRow, TicketSetRow
from slamodeler.store.transactions import check_key
from slamodeler.store.workspace import Workspace

T = TypeVar("T", StoredFees, StoredTickets)


def add_fees(ws: Workspace, path: str | Path, author: str, key: str | None = None) -> FeeSetRow:
    """Store a fee file's rows, each checked (the tier names are checked against the contract
    of each run that uses them)."""
    path = Path(path)
    # checked before the file is read; an empty key is refused, not taken for the file's name
    key = check_key(key if key is not None else key_from(path), "fee set name")
    rows = read_fee_rows(path)
    return ws.add_fee_set(key, rows, path.name, author)


def add_tickets(
    ws: Workspace,
    path: str | Path,
    author: str,
    key: str | None = None,
    *,
    mapping: str | Path | None = None,
    timezone: str | None = None,
    skip_bad_rows: bool = False,
) -> tuple[TicketSetRow, ImportReport]:
    """Read a ticket export as `replay --tickets` does (with its column mapping) and store the
    tickets and the import report."""
    path = Path(path)
    key = check_key(key if key is not None else key_from(path), "ticket set name")
    found = import_tickets(
        path,
        load_ticket_mapping(mapping) if mapping is not None else None,
        on_bad_row="skip" if skip_bad_rows else "reject",
        timezone=timezone,
    )
    row = ws.add_ticket_set(key, found.tickets, found.report, author)
    return row, found.report


def ticket_report(row: TicketSetRow) -> ImportReport:
    """The report stored with a ticket set: the rows left out and those used with a note."""
    return replace(report_of(json.loads(row.report)), noun="ticket")


def fee_set_keys(ws: Workspace) -> list[str]:
    return [row.key for row in ws.fee_sets()]


def ticket_set_keys(ws: Workspace) -> list[str]:
    return [row.key for row in ws.ticket_sets()]


def stored_fees(ws: Workspace, key: str) -> StoredFees:
    row = ws.fee_set(key)
    return StoredFees(row.key, row.content_hash, tuple(ws.fee_rows(row)))


def stored_tickets(ws: Workspace, key: str) -> StoredTickets:
    row = ws.ticket_set(key)
    tickets, report = ws.tickets_of(row)
    return StoredTickets(row.key, row.content_hash, TicketSet(row.key, tickets, report))


def run_inputs(ws: Workspace, tickets: str | Path | None, fees: str | Path | None) -> RunFiles:
    """What ``--tickets`` and ``--fees`` name with ``--ws``: a stored set by its key, or a file
    (read by path, its hash kept with the run). A name that is both is refused, as is one that
    is neither."""
    return RunFiles(
        None if tickets is None else _named(ws, str(tickets), "tickets", stored_tickets),
        None if fees is None else _named(ws, str(fees), "fees", stored_fees),
    )


def _named(ws: Workspace, name: str, option: str, load: Callable[[Workspace, str], T]) -> T | Path:
    what, command = (
        ("ticket set", "add-tickets") if option == "tickets" else ("fee set", "add-fees")
    )
    keys = ticket_set_keys(ws) if option == "tickets" else fee_set_keys(ws)
    path = Path(name)
    if name in keys:
        if path.exists():
            raise InputError(
                f"--{option} {name}: both a stored {what} and a file; give the file as "
                f"./{name} or with its folder, or store it under another name"
            )
        return load(ws, name)
    if path.exists():
        return path
    listed = ", ".join(keys) or "none yet"
    raise InputError(
        f"--{option} {name}: no {what} {name!r} in {ws.path.name} ({what}s: {listed}) and no "
        f"such file; `slamodeler ws list --ws {ws.path.name}` lists what is stored: add it "
        f"with `slamodeler ws {command} KEY FILE`, or give a file that exists"
    )
