"""Incident sets and scenarios: import them into a workspace, read them back (docs/workspace.md).
Both are stored once and never changed, so that a run names exactly what it ran on; they are
handed out as the store's rows (``IncidentSetRow``, ``ScenarioRow``; see ``workspaces``)."""

from __future__ import annotations

import json
from pathlib import Path

from slamodeler.domain.import_mapping import ColumnMapping
from slamodeler.domain.incidents import ImportReport, IncidentSet
from slamodeler.io.scenario_file import load_scenario
from slamodeler.services.replay import load_incident_file
from slamodeler.services.versions import key_from, resolve
from slamodeler.store.codec import report_of
from slamodeler.store.tables import IncidentSetRow, ScenarioRow
from slamodeler.store.workspace import Workspace


def import_incidents(
    ws: Workspace,
    path: str | Path,
    author: str,
    *,
    key: str | None = None,
    mapping: str | Path | ColumnMapping | None = None,
    timezone: str | None = None,
    skip_bad_rows: bool = False,
    contract_ref: str | None = None,
    encoding: str | None = None,
) -> tuple[IncidentSetRow, ImportReport]:
    """Read an export as `slamodeler replay` does and store it, with its import report, as an
    incident set that never changes. ``contract_ref``: also accept the impact labels that
    contract weighs."""
    contract = ws.contract_of(resolve(ws, contract_ref)[1]) if contract_ref else None
    incidents = load_incident_file(
        path, mapping, timezone, skip_bad_rows, contract, encoding=encoding
    )
    return store_incidents(ws, incidents, author, key if key is not None else key_from(Path(path)))


def store_incidents(
    ws: Workspace, incidents: IncidentSet, author: str, key: str
) -> tuple[IncidentSetRow, ImportReport]:
    """Store an export read already (the GUI reads it off its thread while the mapping is
    chosen) as the incident set ``key``, with its import report."""
    row = ws.add_incident_set(key, incidents, author)
    return row, incidents.report


def read_incident_set(ws: Workspace, key: str) -> IncidentSet:
    """A stored incident set by name (the GUI reads it off its thread: large sets take time)."""
    return ws.load_incidents(ws.incident_set(key))


def import_scenario(
    ws: Workspace, path: str | Path, author: str, key: str | None = None
) -> tuple[ScenarioRow, bool]:
    """A scenario file, with any empirical durations file read into it, so the stored scenario
    stands alone."""
    scenario = load_scenario(path)
    return ws.add_scenario(
        key if key is not None else key_from(Path(path)), scenario, Path(path).name, author
    )


def import_report(row: IncidentSetRow) -> ImportReport:
    """The report stored with an incident set: the rows left out and those used with a note."""
    return report_of(json.loads(row.report))
