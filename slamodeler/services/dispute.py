"""Answer a customer's claim: our incidents and theirs replayed on one contract, reconciled
(`slamodeler dispute`, the window's Analysis > Reconcile a dispute…, the workbook's Dispute
sheet). The matching rule is the engine's (slamodeler/engine/dispute.py)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from slamodeler import __version__
from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.incidents import Incident, IncidentSet
from slamodeler.domain.results import ReplayResult
from slamodeler.engine.dispute import Dispute, Explaining, PeriodDispute, match_incidents, reconcile
from slamodeler.engine.replay import replay
from slamodeler.io.replay_report import minutes, percent
from slamodeler.io.workbook import WorkbookReport
from slamodeler.services.period_explanation import explain_period
from slamodeler.store.workspace import Workspace

DISPUTE_FORMAT = "slamodeler-dispute/v1"
PERIOD_HEADERS = (
    "tier",
    "period",
    "our min",
    "their min",
    "difference",
    "our credit",
    "their credit",
    "at stake",
)


def reconcile_sets(
    contract: Contract, ours: Sequence[Incident], theirs: Sequence[Incident]
) -> Dispute:
    """Replay both sets over the same periods (the span of both; an empty set over the other's),
    then reconcile them."""
    if not ours and not theirs:
        raise InputError("neither incident list has an incident: there is nothing to reconcile")
    alone = {id(s): replay(contract, s) for s in (ours, theirs) if s}
    first = min(r.first for r in alone.values())
    last = max(r.last for r in alone.values())

    def over_both(incidents: Sequence[Incident]) -> ReplayResult:
        r = alone.get(id(incidents))
        if r is not None and (r.first, r.last) == (first, last):
            return r
        return replay(contract, incidents, first=first, last=last)

    a, b = over_both(ours), over_both(theirs)
    return reconcile(a, b, match_incidents(ours, theirs))


def dispute_files(
    contract_path: str | Path,
    ours: str | Path,
    theirs: str | Path,
    *,
    mapping: str | Path | None = None,
    timezone: str | None = None,
) -> tuple[Contract, IncidentSet, Dispute]:
    """The dispute between two incident files (read with the same mapping and time zone); the
    contract and our set come back too, for the workbook."""
    from slamodeler.io.contract_file import load_contract
    from slamodeler.services.replay import load_incident_file

    contract = load_contract(contract_path)
    mine = load_incident_file(ours, mapping, timezone, contract=contract)
    claimed = load_incident_file(theirs, mapping, timezone, contract=contract)
    return contract, mine, reconcile_sets(contract, mine.incidents, claimed.incidents)


def dispute_stored(
    ws: Workspace, ref: str, ours: str, theirs: str
) -> tuple[Contract, IncidentSet, Dispute]:
    """The dispute between two incident sets stored in a workspace, on a stored version."""
    from slamodeler.services.incident_sets import read_incident_set
    from slamodeler.services.versions import resolve

    _, version = resolve(ws, ref)
    contract = ws.contract_of(version)
    mine, claimed = read_incident_set(ws, ours), read_incident_set(ws, theirs)
    return contract, mine, reconcile_sets(contract, mine.incidents, claimed.incidents)


def _opt_minutes(value: Decimal | None) -> float | int | None:
    return None if value is None else minutes(value)


def _money(value: Decimal) -> str:
    return f"{value:,}"


def explaining_dict(e: Explaining) -> dict[str, Any]:
    return {
        "incident": e.pair.label,
        "kind": e.pair.kind,
        "differences": list(e.pair.differences),
        "matched_by": e.pair.matched_by or None,
        "our_minutes": _opt_minutes(e.ours_minutes),
        "their_minutes": _opt_minutes(e.theirs_minutes),
    }


def period_dispute_dict(p: PeriodDispute) -> dict[str, Any]:
    return {
        "tier": p.tier,
        "period": p.period,
        "our_minutes": minutes(p.ours_minutes),
        "their_minutes": minutes(p.theirs_minutes),
        "difference_minutes": minutes(p.difference),
        "our_availability_pct": percent(p.ours.availability_pct),
        "their_availability_pct": percent(p.theirs.availability_pct),
        "our_credit": str(p.ours_credit),
        "their_credit": str(p.theirs_credit),
        "credit_at_stake": str(p.at_stake),
        "explained_by": [explaining_dict(e) for e in p.explaining],
        "our_explanation": list(explain_period(p.ours).incidents),
        "their_explanation": list(explain_period(p.theirs).incidents),
    }


def dispute_json(found: Dispute) -> dict[str, Any]:
    """The stable JSON of a dispute (docs/user-guide.md): amounts per customer, strings."""
    r = found.ours
    return {
        "format": DISPUTE_FORMAT,
        "engine_version": __version__,
        "contract": {"name": r.contract_name, "hash": r.contract_hash},
        "currency": r.currency,
        "first": r.first,
        "last": r.last,
        "disputed_incidents": [
            {
                "incident": d.label,
                "kind": d.kind,
                "differences": list(d.differences),
                "matched_by": d.matched_by or None,
            }
            for d in found.disputed
        ],
        "periods": [period_dispute_dict(p) for p in found.periods],
        "credit_at_stake": {t.tier: str(found.at_stake(t.tier)) for t in r.tiers},
    }


def period_cells(p: PeriodDispute) -> list[str]:
    return [
        p.tier,
        p.period,
        f"{p.ours_minutes.normalize():f}",
        f"{p.theirs_minutes.normalize():f}",
        f"{p.difference.normalize():+f}",
        _money(p.ours_credit),
        _money(p.theirs_credit),
        f"{p.at_stake:+,}",
    ]


def _side(value: Decimal | None) -> str:
    return "none" if value is None else f"{value.normalize():f} min"


def explaining_line(e: Explaining) -> str:
    """A disputed incident in a period, in words: what differs and each side's minutes."""
    return (
        f"{e.pair.label}: {e.pair.why}; ours {_side(e.ours_minutes)}, "
        f"theirs {_side(e.theirs_minutes)}"
    )


def dispute_heading(found: Dispute) -> str:
    r = found.ours
    n = len(found.disputed)
    return (
        f"{r.contract_name} ({r.currency}), {r.first} to {r.last}, contract "
        f"{r.contract_hash[:12]}: {n} incident(s) recorded differently, "
        f"{len(found.periods)} period row(s) in dispute; amounts per customer"
    )


def save_dispute_workbook(
    out: str | Path, contract: Contract, ours: IncidentSet, found: Dispute, label: str
) -> WorkbookReport:
    """The workbook of our replay with the Dispute sheet: the answer to a claim."""
    from slamodeler.io.workbook import WorkbookContent, write_workbook

    return write_workbook(
        out,
        WorkbookContent(
            contract,
            contract_label=label,
            replay=found.ours,
            incidents=ours.incidents,
            import_report=ours.report,
            dispute=found,
        ),
    )
