"""Fit a scenario's ``tickets`` to a ticket export or a stored ticket set: the use case behind
``slamodeler fit --tickets FILE|KEY --contract FILE [--ws FILE]`` (docs/fitting.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from slamodeler.domain.errors import InputError
from slamodeler.engine.ticket_fit import FittedPriority, export_end, fit_tickets
from slamodeler.io.contract_file import load_contract
from slamodeler.io.ticket_import import TicketSet, import_tickets, load_ticket_mapping
from slamodeler.services.run_files import StoredTickets
from slamodeler.services.run_input_sets import run_inputs
from slamodeler.services.workspaces import open_workspace


@dataclass(frozen=True)
class TicketFit:
    tier: str
    priorities: list[FittedPriority]
    import_summary: list[str]
    notes: list[str]
    source: str  # the export's path, or "ticket set KEY"


def fit_ticket_file(
    tickets: Path,
    contract: Path | None,
    tier: str | None = None,
    mapping: Path | None = None,
    timezone: str | None = None,
    skip_bad_rows: bool = False,
    ws: Path | None = None,
) -> TicketFit:
    """Rates and miss shares per priority of a tier's response targets (by default the first
    tier with targets), from the tickets of ``tickets``: an export, read with ``mapping``, or
    with ``ws`` the key of a ticket set stored there, read when it was added."""
    if contract is None:
        raise InputError(
            "--tickets needs --contract FILE: its support targets say which tickets were late"
        )
    terms = load_contract(contract)
    supported = [t for t in terms.tiers if t.support is not None]
    try:
        chosen = terms.tier(tier) if tier is not None else next(iter(supported), None)
    except KeyError as exc:
        raise InputError(f"--tier: {exc.args[0]}") from None
    if chosen is None or chosen.support is None:
        where = "no tier has" if chosen is None else f"tier {chosen.name!r} has no"
        raise InputError(
            f"{contract}: {where} support targets (support.targets); --tickets fits the "
            "rates of the priorities a tier's targets name: add them, or choose a tier that "
            "has them with --tier NAME"
        )
    source = _source(tickets, ws)
    found = _read(source, mapping, timezone, skip_bad_rows)
    rows = found.tickets
    fitted = fit_tickets(terms, chosen, rows, export_end(rows))
    named = {p.priority for p in fitted}
    other = sorted({t.priority.strip().lower() for t in rows} - named)
    notes = [
        f"ticket priorities without a response target in tier {chosen.name}: "
        + ", ".join(repr(p) for p in other)
        + "; not fitted"
    ] * bool(other)
    named_as = source.name if isinstance(source, StoredTickets) else str(source)
    return TicketFit(chosen.name, fitted, found.report.summary_lines(), notes, named_as)


def _source(tickets: Path, ws: Path | None) -> Path | StoredTickets:
    """``tickets`` as ``replay --ws --tickets`` takes it: with a workspace, a stored ticket
    set's key or a file; else a file."""
    if ws is None:
        return tickets
    opened = open_workspace(ws, readonly=True)
    try:
        found = run_inputs(opened.workspace, tickets, None).tickets
    finally:
        opened.workspace.close()
    assert found is not None  # a name was given, so a set or a file was found
    return found


def _read(
    tickets: Path | StoredTickets,
    mapping: Path | None,
    timezone: str | None,
    skip_bad_rows: bool,
) -> TicketSet:
    if isinstance(tickets, StoredTickets):
        if mapping is not None:
            raise InputError(
                f"--tickets-mapping: {tickets.name} was read with its mapping when it was "
                "stored (`slamodeler ws add-tickets KEY FILE --tickets-mapping MAP`); leave "
                "--tickets-mapping out"
            )
        return tickets.tickets
    return import_tickets(
        tickets,
        load_ticket_mapping(mapping) if mapping is not None else None,
        "skip" if skip_bad_rows else "reject",
        timezone,
    )
