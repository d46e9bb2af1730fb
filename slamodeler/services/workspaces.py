"""Workspaces: open, create and seed one, who writes, where the default one lives, and the audit
head and verification (docs/workspace.md). Shared by the CLI (``slamodeler ws ...``) and the GUI.

The open ``Workspace`` (the store's) is handed to the front ends as their handle on the file:
they read through it (its contracts, versions, incident sets and runs, as rows), and every change
goes through the services (``versions``, ``incident_sets``, ``runs``), each one transaction with
its audit entry. The rows are plain records detached from any session (``store/tables.py``), so
handing them out lets no front end write SQL; wrapping each would copy every field again.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

from slamodeler import APP_NAME
from slamodeler.domain.errors import InputError
from slamodeler.services.incident_sets import import_incidents, import_scenario
from slamodeler.services.versions import import_contract
from slamodeler.store import signing
from slamodeler.store.audit import Entry
from slamodeler.store.lock import WorkspaceLocked
from slamodeler.store.tables import (
    ContractRow,
    ContractVersionRow,
    FeeSetRow,
    IncidentSetRow,
    RunRow,
    ScenarioRow,
    TicketSetRow,
)
from slamodeler.store.workspace import SUFFIX, VerifyReport, Workspace

DEFAULT_FILE = "default" + SUFFIX
SAMPLES = Path(__file__).resolve().parents[2] / "sample_contracts"
SAMPLE_AUTHOR = "SLA Modeler (sample)"

__all__ = ["SUFFIX", "VerifyReport", "Workspace"]


# -- where, who --------------------------------------------------------------------------------


def default_path() -> Path:
    """``default.slamws`` in the per-user data folder (e.g. ~/.local/share/SLA Modeler)."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DEFAULT_FILE


def author_name(given: str | None = None) -> str:
    """``--author``, else $SLAMODELER_AUTHOR, else the login name."""
    if given and given.strip():
        return given.strip()
    if os.environ.get("SLAMODELER_AUTHOR", "").strip():
        return os.environ["SLAMODELER_AUTHOR"].strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


@dataclass(frozen=True)
class Opened:
    workspace: Workspace
    created: bool  # the default workspace was made just now
    seeded: list[str]  # what it was seeded with
    locked_by: str | None = None  # who writes to it, so it was opened read-only ("pid 42")


def open_workspace(
    path: str | Path | None,
    *,
    readonly: bool = False,
    author: str | None = None,
    readonly_if_locked: bool = False,
    key_file: str | Path | None = None,
) -> Opened:
    """Open ``path``; with no path, the default workspace, created and seeded with the sample
    contracts, scenarios and incidents the first time. With ``readonly_if_locked``, a workspace
    that another process writes to is opened read-only (``locked_by`` says who) instead of
    refused. The signing key (``key_file``, else $SLAMODELER_SIGNING_KEY) signs every entry
    written, and ``verify`` checks the signatures with it."""
    key = signing.key_from(key_file)
    target = Path(path) if path is not None else default_path()
    if path is not None or target.exists():
        try:
            return Opened(Workspace.open(target, readonly=readonly, signing_key=key), False, [])
        except WorkspaceLocked as locked:
            if not readonly_if_locked:
                raise
            ws = Workspace.open(target, readonly=True, signing_key=key)
            return Opened(ws, False, [], locked.holder)
    ws = Workspace.create(target, author_name(author), signing_key=key)
    try:
        seeded = seed_samples(ws, author_name(author))
    except BaseException:
        ws.close()
        raise
    if readonly:
        ws.close()
        ws = Workspace.open(target, readonly=True, signing_key=key)
    return Opened(ws, True, seeded)


def init_workspace(
    path: str | Path, author: str, samples: bool = False, key_file: str | Path | None = None
) -> Opened:
    ws = Workspace.create(path, author, signing_key=signing.key_from(key_file))
    try:
        seeded = seed_samples(ws, author) if samples else []
    except BaseException:
        ws.close()
        raise
    return Opened(ws, True, seeded)


def seed_samples(ws: Workspace, author: str) -> list[str]:
    """The sample contracts (as drafts), scenarios and incident history shipped beside the
    package, with the sample vendor's SLA and its incidents (the Vendor tab's example), in one
    transaction. Nothing when they are not there (an installed wheel)."""
    if not SAMPLES.is_dir():
        return []
    seeded = []
    with ws.transaction():
        for path in sorted(SAMPLES.glob("*.yaml")):
            done = import_contract(ws, path, SAMPLE_AUTHOR, "sample contract")
            seeded.append(f"contract {done.key}")
        vendor = SAMPLES / "vendor"
        if vendor.is_dir():  # keys that sort between the samples: the app opens the last contract, replay the first set
            done = import_contract(
                ws,
                vendor / "cloud_region_sla.yaml",
                SAMPLE_AUTHOR,
                "sample vendor SLA",
                "provider_sla",
            )
            seeded.append(f"contract {done.key}")
        for path in sorted((SAMPLES / "scenarios").glob("*.yaml")):
            row, _ = import_scenario(ws, path, SAMPLE_AUTHOR)
            seeded.append(f"scenario {row.key}")
        for incidents, key in (
            (SAMPLES / "incidents_sample.csv", None),
            (vendor / "cloud_incidents.csv", "vendor_incidents"),
        ):
            if incidents.is_file():
                set_row, _ = import_incidents(ws, incidents, SAMPLE_AUTHOR, key=key)
                seeded.append(f"incident set {set_row.key}")
    return seeded


@dataclass(frozen=True)
class Listing:
    contracts: list[tuple[ContractRow, list[ContractVersionRow]]]
    incident_sets: list[IncidentSetRow]
    scenarios: list[ScenarioRow]
    runs: list[RunRow]
    fee_sets: list[FeeSetRow]
    ticket_sets: list[TicketSetRow]


def listing(ws: Workspace) -> Listing:
    return Listing(
        ws.contracts(),
        ws.incident_sets(),
        ws.scenarios(),
        ws.runs(),
        ws.fee_sets(),
        ws.ticket_sets(),
    )


def head(ws: Workspace, at: int | None = None) -> Entry:
    """The audit entry whose hash pins the history up to it: the last, or entry ``at``."""
    entries = ws.audit_entries()
    if at is None:
        return entries[-1]
    for e in entries:
        if e.seq == at:
            return e
    raise InputError(
        f"--at {at}: {ws.path.name} has audit entries 1 to {entries[-1].seq}; give one of those"
    )


def head_label(entry: Entry) -> str:
    """``SEQ:HASH``, as `ws verify --expect-head` takes it."""
    return f"{entry.seq}:{entry.hash}"


def keygen(path: str | Path) -> Path:
    """A new signing key file (0600) for ``--key-file``; kept outside the workspace."""
    return signing.write_key(path)


def verify(ws: Workspace, expect_head: str | None = None) -> VerifyReport:
    """With the signing key the workspace was opened with, the signatures are checked too."""
    return ws.verify(expect_head, ws.signing_key)
