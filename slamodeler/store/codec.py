"""Domain objects to and from the workspace's stored form (canonical JSON, incident rows), and the
hashes of each. Validation on the way back is the domain's (``build``), so a body that was edited
behind the application's back and no longer validates is reported like a bad file."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from slamodeler.domain.contract import Contract, canonical_terms
from slamodeler.domain.field_names import describe
from slamodeler.domain.incidents import ImportReport, Incident, RowIssue
from slamodeler.domain.scenario import Scenario
from slamodeler.domain.validation import build
from slamodeler.store import stored_json
from slamodeler.store.audit import canonical_json, sha256

INCIDENT_COLUMNS = (
    "ident",
    "start_ts",
    "end_ts",
    "impact",
    "impact_is_share",
    "cause",
    "service",
    "region",
    "title",
    "row",
    "zone",
)


def contract_body(contract: Contract) -> str:
    """The canonical JSON that ``Contract.content_hash`` hashes: sha256(body) is that hash."""
    return canonical_json(contract.canonical_dump())


def contract_from_body(body: str, source: str) -> Contract:
    return build(Contract, stored_json.loads(body, source), source, describe)


def scenario_body(scenario: Scenario) -> str:
    """Hashes as ``io.simulation_report.scenario_hash`` does, so a run's JSON names the same hash."""
    return json.dumps(scenario.model_dump(mode="json", exclude_none=True), sort_keys=True)


def scenario_from_body(body: str, source: str) -> Scenario:
    return build(Scenario, stored_json.loads(body, source), source)


def incident_values(i: Incident) -> tuple[Any, ...]:
    """One row in INCIDENT_COLUMNS order."""
    share = isinstance(i.impact, Decimal)
    return (
        i.id,
        i.start,
        i.end,
        str(i.impact),
        share,
        i.cause,
        i.service,
        i.region,
        i.title,
        i.row,
        i.zone,
    )


def incident_of(values: Sequence[Any]) -> Incident:
    ident, start, end, impact, share, cause, service, region, title, row, zone = values
    return Incident(
        id=ident,
        start=start,
        end=end,
        impact=Decimal(impact) if share else impact,
        cause=cause,
        service=service,
        region=region,
        title=title,
        row=row,
        zone=zone,
    )


def report_data(report: ImportReport) -> dict[str, Any]:
    data: dict[str, Any] = {
        "source": report.source,
        "rows_read": report.rows_read,
        "used": report.used,
        "issues": [[i.row, i.column, i.reason, i.kept] for i in report.issues],
    }
    if report.encoding is not None:  # absent for workbooks, and in sets stored before
        data["encoding"] = report.encoding
    if report.blank_rows:  # absent in sets stored before blank rows were counted
        data["blank_rows"] = report.blank_rows
    return data


def report_of(data: dict[str, Any]) -> ImportReport:
    return ImportReport(
        source=data["source"],
        rows_read=data["rows_read"],
        used=data["used"],
        issues=tuple(RowIssue(r, c, why, bool(k)) for r, c, why, k in data["issues"]),
        encoding=data.get("encoding"),
        blank_rows=data.get("blank_rows", 0),
    )


def incident_set_hash(report_json: str, rows: Iterable[Sequence[Any]]) -> str:
    """SHA-256 over the import report and every row in order (values as INCIDENT_COLUMNS). A row
    without a zone hashes without that column, as every row did before zones were stored, so a
    set stored then keeps its hash (and the runs that name it)."""
    table = [[*r[:4], bool(r[4]), *r[5:10], *([r[10]] if r[10:] and r[10] else [])] for r in rows]
    return sha256(report_json + "\n" + canonical_json(table))


def changes_data(changes: Iterable[Any]) -> list[dict[str, Any]]:
    """TermChanges (slamodeler.domain.contract_diff) as plain JSON-able dicts."""
    return [
        {
            "path": c.path,
            "before": _plain(c.before),
            "after": _plain(c.after),
            "weakens": c.weakens,
            "why": c.why,
        }
        for c in changes
    ]


def user_changes_of(stored: Iterable[dict[str, Any]]) -> list[Any]:
    """Stored term changes (as ``changes_data`` wrote them) grouped as ``slamodeler ws diff``
    shows them: ``slamodeler.domain.contract_changes.Change``, one per change a user made."""
    from slamodeler.domain.contract_changes import user_changes
    from slamodeler.domain.contract_diff import TermChange

    def leaf(value: Any) -> Any:
        return tuple(str(v) for v in value) if isinstance(value, list) else value

    return user_changes(
        TermChange(c["path"], leaf(c["before"]), leaf(c["after"]), c["weakens"], c["why"])
        for c in stored
    )


def _plain(value: Any) -> Any:
    return json.loads(canonical_json(canonical_terms(value)))
