"""Replay a contract file on an incident export: the use case behind `slamodeler replay`. The
front ends take from here what they show of a replay besides its result: percentages as shown
(``percent``), the money fields a period and a tier total, and the stable JSON and CSV
(docs/replay-output.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.import_mapping import ColumnMapping
from slamodeler.domain.incidents import IncidentSet
from slamodeler.domain.results import ReplayResult
from slamodeler.engine.replay import replay
from slamodeler.io.contract_file import load_contract
from slamodeler.io.incident_import import import_incidents, load_mapping
from slamodeler.io.replay_report import MONEY_FIELDS, percent, replay_csv, replay_json

if TYPE_CHECKING:
    from slamodeler.io.ticket_import import TicketSet

# A fee file and a ticket export are read only when given: their readers are imported then, so
# that a replay of incidents alone starts sooner (tests/cli/test_startup_imports.py).

__all__ = [
    "MONEY_FIELDS",
    "ReplayRun",
    "load_incident_file",
    "percent",
    "replay_csv",
    "replay_files",
    "replay_json",
]


@dataclass(frozen=True)
class ReplayRun:
    """A replay as the front ends show it: the contract, the incidents and the result."""

    contract: Contract
    incidents: IncidentSet
    result: ReplayResult
    tickets: TicketSet | None = None  # the support tickets replayed with the incidents, if any


def load_incident_file(
    path: str | Path,
    mapping: str | Path | ColumnMapping | None = None,
    timezone: str | None = None,
    skip_bad_rows: bool = False,
    contract: Contract | None = None,
    open_until: str | None = None,
    encoding: str | None = None,
) -> IncidentSet:
    """Import an export with a mapping file or one built in memory (the GUI's); impact labels
    the contract weighs are accepted as they are. ``encoding`` overrides the mapping's."""
    return import_incidents(
        path,
        load_mapping(mapping) if isinstance(mapping, str | Path) else mapping,
        on_bad_row="skip" if skip_bad_rows else "reject",
        timezone=timezone,
        known_labels=contract.measurement.impact_weights if contract else (),
        open_until=open_until,
        encoding=encoding,
    )


def replay_files(
    contract_path: str | Path,
    incidents_path: str | Path,
    *,
    mapping: str | Path | None = None,
    timezone: str | None = None,
    skip_bad_rows: bool = False,
    tiers: Sequence[str] | None = None,
    first: str | None = None,
    last: str | None = None,
    encoding: str | None = None,
    tickets: str | Path | None = None,
    tickets_mapping: str | Path | None = None,
    fees: str | Path | None = None,
) -> ReplayRun:
    """``tickets``: a support ticket export for the tiers' response targets (read with
    ``tickets_mapping``, ``timezone`` and ``skip_bad_rows`` as the incidents are)."""
    contract = load_contract(contract_path)
    if fees is not None:
        from slamodeler.io.fee_file import with_fee_file

        contract = with_fee_file(contract, fees)
    incidents = load_incident_file(
        incidents_path, mapping, timezone, skip_bad_rows, contract, encoding=encoding
    )
    ticket_set = None
    if tickets is not None:
        from slamodeler.io.ticket_import import import_tickets, load_ticket_mapping

        ticket_set = import_tickets(
            tickets,
            load_ticket_mapping(tickets_mapping) if tickets_mapping is not None else None,
            on_bad_row="skip" if skip_bad_rows else "reject",
            timezone=timezone,
        )
    elif tickets_mapping is not None:
        raise InputError("--tickets-mapping needs --tickets (the ticket export it maps)")
    result = replay(
        contract,
        incidents.incidents,
        first=first,
        last=last,
        tiers=tiers,
        tickets=ticket_set.tickets if ticket_set else (),
    )
    return ReplayRun(contract, incidents, result, ticket_set)
