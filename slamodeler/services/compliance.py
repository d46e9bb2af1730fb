"""A compliance report per customer and period (`slamodeler report`, the window's File > Save
compliance report…): the replay of the incident record, the customer's tier in that period,
the incidents that counted and the period's explanation, as a printable HTML page
(slamodeler/io/compliance_report.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from slamodeler import __version__
from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.incidents import Incident
from slamodeler.domain.limits import MAX_REPLAY_YEARS
from slamodeler.domain.period_words import period_words
from slamodeler.domain.results import PeriodResult, ReplayResult
from slamodeler.engine.periods import parse_label, span_fits
from slamodeler.engine.replay import replay
from slamodeler.io.compliance_report import (
    ComplianceReport,
    CountedIncident,
    TierSection,
    compliance_html,
    write_compliance_html,
)
from slamodeler.services.period_explanation import explain_period
from slamodeler.store.workspace import Workspace

__all__ = [
    "ComplianceReport",
    "compliance_html",
    "compliance_report",
    "report_files",
    "report_stored",
    "write_compliance_html",
]


def replay_through(contract: Contract, incidents: Sequence[Incident], period: str) -> ReplayResult:
    """The replay of the whole record, reaching ``period`` (caps over a year need the periods
    before it, so the report's period is never replayed alone)."""
    if not incidents:
        return replay(contract, incidents, first=period, last=period)
    result = replay(contract, incidents)
    if result.first <= period <= result.last:
        return result
    first, last = min(result.first, period), max(result.last, period)
    month = contract.measurement.first_month
    kind = contract.measurement.period
    if not span_fits(parse_label(first, kind, month), parse_label(last, kind, month)):
        raise InputError(
            f"--period {period} is too far from the incidents ({result.first} to {result.last}) "
            f"to measure: the report replays every period from the earlier to the later, at most "
            f"{MAX_REPLAY_YEARS} years; give a --period within {MAX_REPLAY_YEARS} years of the "
            "incidents"
        )
    return replay(contract, incidents, first=first, last=last)


def _period_of(result: ReplayResult, tier: str, period: str) -> PeriodResult:
    found = next(t for t in result.tiers if t.tier == tier)
    for p in found.periods:
        if p.period == period:
            return p
    raise InputError(
        f"--period {period}: not a period of the replay ({result.first} to {result.last}); "
        "give one as YYYY-MM (YYYY-Qn for a quarterly contract)"
    )


def _tiers(contract: Contract, tier: str | None) -> list[str]:
    names = [t.name for t in contract.tiers]
    if tier is None:
        return names
    if tier not in names:
        raise InputError(f"--tier {tier}: the contract has no such tier; it has {', '.join(names)}")
    return [tier]


def _local(epoch: int, zone: ZoneInfo) -> str:
    return datetime.fromtimestamp(epoch, zone).strftime("%Y-%m-%d %H:%M")


def compliance_report(
    contract: Contract,
    incidents: Sequence[Incident],
    result: ReplayResult,
    period: str,
    *,
    label: str,
    customer: str = "",
    tier: str | None = None,
    now: datetime | None = None,
) -> ComplianceReport:
    """The report of ``period`` from ``result``, a replay of ``incidents`` on ``contract``: the
    tier ``tier`` (the customer's), or every tier."""
    zone = ZoneInfo(contract.timezone)
    by_key = {(x.id, x.row): x for x in incidents}
    sections = []
    for name in _tiers(contract, tier):
        p = _period_of(result, name, period)
        counted = tuple(
            CountedIncident(
                by_key[s.id, s.row].describe if (s.id, s.row) in by_key else s.id,
                " ".join(s.title.split()),
                _local(by_key[s.id, s.row].start, zone) if (s.id, s.row) in by_key else "",
                _local(by_key[s.id, s.row].end, zone) if (s.id, s.row) in by_key else "",
                s.counted_minutes,
                s.excluded_minutes,
                s.excluded_reason,
            )
            for s in p.incidents
        )
        why = explain_period(p)
        sections.append(
            TierSection(
                name,
                contract.tier(name).target_pct,
                p,
                counted,
                (*why.rules, *why.sums, *why.remedies),
            )
        )
    return ComplianceReport(
        customer=customer,
        period=period,
        contract_name=result.contract_name,
        contract_label=label,
        contract_hash=result.contract_hash,
        currency=result.currency,
        timezone=result.timezone,
        measured=period_words(contract.measurement),
        generated=(now or datetime.now(zone)).strftime("%Y-%m-%d %H:%M %Z").strip(),
        engine_version=__version__,
        tiers=tuple(sections),
    )


def report_files(
    contract_path: str | Path,
    incidents_path: str | Path,
    period: str,
    *,
    customer: str = "",
    tier: str | None = None,
    mapping: str | Path | None = None,
    timezone: str | None = None,
) -> ComplianceReport:
    from slamodeler.io.contract_file import load_contract
    from slamodeler.services.replay import load_incident_file

    contract = load_contract(contract_path)
    _tiers(contract, tier)
    incidents = load_incident_file(incidents_path, mapping, timezone, contract=contract).incidents
    result = replay_through(contract, incidents, period)
    return compliance_report(
        contract, incidents, result, period, label=Path(contract_path).name, customer=customer,
        tier=tier,
    )  # fmt: skip


def report_stored(
    ws: Workspace,
    ref: str,
    incident_set: str,
    period: str,
    *,
    customer: str = "",
    tier: str | None = None,
) -> ComplianceReport:
    """From a stored version (its label KEY@N and its stored hash) and a stored incident set."""
    from slamodeler.services.incident_sets import read_incident_set
    from slamodeler.services.versions import resolve

    row, version = resolve(ws, ref)
    contract = ws.contract_of(version)
    _tiers(contract, tier)
    incidents = read_incident_set(ws, incident_set).incidents
    result = replay_through(contract, incidents, period)
    return compliance_report(
        contract, incidents, result, period, label=f"{row.key}@{version.number}",
        customer=customer, tier=tier,
    )  # fmt: skip
