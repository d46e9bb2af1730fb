"""File > Add fee file… and Add ticket export… (also on the browser's Fee sets and Ticket sets):
a file chosen, a name asked (the file's, made a key, by default), and the file stored in the
workspace as a set (``services.run_input_sets``: every row checked, as `ws add-fees` and
`ws add-tickets` check them; a ticket export whose columns need a mapping asks for one). A name
already taken is refused before anything is stored."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QWidget

from slamodeler.domain.errors import InputError, MissingColumnError
from slamodeler.services.run_input_sets import add_fees, add_tickets
from slamodeler.services.versions import key_from
from slamodeler.services.workspaces import Workspace

FEE_FILTER = "Fee files (*.csv)"
TICKET_FILTER = "Ticket exports (*.csv *.tsv *.txt *.xlsx *.xlsm)"
MAPPING_FILTER = "Ticket mappings (*.yaml *.yml)"


def _ask(parent: QWidget, title: str, what: str, filter_: str, folder: Path) -> tuple[Path, str]:
    """The file and the set's name the user gives; ("", "") when either is cancelled."""
    chosen, _ = QFileDialog.getOpenFileName(parent, title, str(folder), filter_)
    if not chosen:
        return Path(), ""
    path = Path(chosen)
    key, ok = QInputDialog.getText(
        parent, title, f"Name of the {what} in the workspace:", QLineEdit.EchoMode.Normal,
        key_from(path),
    )  # fmt: skip
    return (path, key.strip()) if ok and key.strip() else (Path(), "")


def _writable(ws: Workspace | None) -> Workspace:
    if ws is None or ws.readonly:
        raise InputError("the workspace is open read-only: open it for editing to add a set")
    return ws


def add_fee_file(parent: QWidget, ws: Workspace | None, author: str, folder: Path) -> str:
    """Ask for a fee file and a name and store it as a fee set; its key ('' when cancelled)."""
    ws = _writable(ws)
    path, key = _ask(parent, "Add fee file", "fee set", FEE_FILTER, folder)
    if not key:
        return ""
    return add_fees(ws, path, author, key).key


def add_ticket_export(parent: QWidget, ws: Workspace | None, author: str, folder: Path) -> str:
    """Ask for a ticket export and a name and store its tickets as a ticket set ('' when
    cancelled). An export whose columns are not named as replay guesses them asks for a ticket
    mapping (docs/contract-format.md, support) and is read with it."""
    ws = _writable(ws)
    path, key = _ask(parent, "Add ticket export", "ticket set", TICKET_FILTER, folder)
    if not key:
        return ""
    try:
        return add_tickets(ws, path, author, key)[0].key
    except MissingColumnError as exc:
        mapping, _ = QFileDialog.getOpenFileName(
            parent,
            f"{path.name} has no {' or '.join(exc.fields)} column: choose a ticket mapping",
            str(path.parent),
            MAPPING_FILTER,
        )
        if not mapping:
            raise
        return add_tickets(ws, path, author, key, mapping=mapping)[0].key
