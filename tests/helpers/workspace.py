"""Helpers for the workspace tests: files made with raw SQL (an old schema), synthetic incident
sets, the sample contracts, and a look at a workspace's bytes (to show nothing changed)."""

from __future__ import annotations

import hashlib
import sqlite3
from decimal import Decimal
from pathlib import Path

from slamodeler.domain.contract import Contract
from slamodeler.domain.incidents import ImportReport, Incident, IncidentSet
from slamodeler.io.contract_file import load_contract
from slamodeler.store.audit import GENESIS, canonical_json, entry_hash
from slamodeler.store.codec import contract_body
from slamodeler.store.migrations import TRIGGERS
from tests.helpers.paths import SAMPLES

SAMPLE = SAMPLES / "three_tier_cloud.yaml"


def sample_contract() -> Contract:
    return load_contract(SAMPLE)


def weakened(contract: Contract, target: str = "99") -> Contract:
    """The contract with its first tier's target lowered (a weakening change)."""
    tier = contract.tiers[0].model_copy(update={"target_pct": Decimal(target)})
    return contract.model_copy(update={"tiers": [tier, *contract.tiers[1:]]})


def strengthened(contract: Contract) -> Contract:
    """The first tier's fee raised and target raised: nothing weakens."""
    tier = contract.tiers[0].model_copy(
        update={"target_pct": Decimal("99.6"), "monthly_fee": Decimal("1600")}
    )
    return contract.model_copy(update={"tiers": [tier, *contract.tiers[1:]]})


def synthetic_incidents(n: int, name: str = "synthetic") -> IncidentSet:
    """``n`` incidents, one every 17 minutes from 2024-01-01 UTC, mixed labels and shares."""
    start = 1_704_067_200
    impacts: list[str | Decimal] = ["full", "partial", Decimal("0.25")]
    incidents = tuple(
        Incident(
            id=f"INC-{k}",
            start=start + 1020 * k,
            end=start + 1020 * k + 60 * (1 + k % 13),
            impact=impacts[k % 3],
            cause="maintenance" if k % 7 == 0 else "",
            service="Compute",
            region="us-east-1",
            title=f"incident {k}",
            row=k + 2,
        )
        for k in range(n)
    )
    return IncidentSet(name, incidents, ImportReport(f"{name}.csv", n, n))


def file_state(path: Path) -> tuple[str, str]:
    """SHA-256 of the workspace file and of its WAL (empty if none): what "nothing changed"
    compares."""

    def digest(p: Path) -> str:
        data = p.read_bytes() if p.exists() else b""
        return hashlib.sha256(data).hexdigest() if data else ""  # an empty WAL holds nothing

    return digest(path), digest(path.with_name(path.name + "-wal"))


def raw(path: Path) -> sqlite3.Connection:
    """The sqlite3 module, behind the application's back (autocommit)."""
    return sqlite3.connect(path, isolation_level=None)


# Schema 0 as a pre-release SLA Modeler wrote it: no scenarios, no run timings, no term changes
# per version, no triggers on versions.
V0_SCHEMA = """
CREATE TABLE meta ("key" VARCHAR NOT NULL PRIMARY KEY, value VARCHAR NOT NULL);
CREATE TABLE contract (
    id INTEGER NOT NULL PRIMARY KEY, "key" VARCHAR NOT NULL UNIQUE,
    created_at VARCHAR NOT NULL, created_by VARCHAR NOT NULL);
CREATE TABLE contract_version (
    id INTEGER NOT NULL PRIMARY KEY, contract_id INTEGER NOT NULL REFERENCES contract (id),
    number INTEGER NOT NULL, name VARCHAR NOT NULL, body TEXT NOT NULL,
    content_hash VARCHAR NOT NULL, author VARCHAR NOT NULL, created_at VARCHAR NOT NULL,
    reason VARCHAR NOT NULL, parent_id INTEGER REFERENCES contract_version (id),
    status VARCHAR NOT NULL, status_at VARCHAR, status_by VARCHAR, status_reason VARCHAR,
    UNIQUE (contract_id, number));
CREATE INDEX ix_contract_version_contract_id ON contract_version (contract_id);
CREATE TABLE incident_set (
    id INTEGER NOT NULL PRIMARY KEY, "key" VARCHAR NOT NULL UNIQUE, source VARCHAR NOT NULL,
    imported_at VARCHAR NOT NULL, author VARCHAR NOT NULL, rows_read INTEGER NOT NULL,
    used INTEGER NOT NULL, report TEXT NOT NULL, content_hash VARCHAR NOT NULL);
CREATE TABLE incident (
    id INTEGER NOT NULL PRIMARY KEY, set_id INTEGER NOT NULL REFERENCES incident_set (id),
    seq INTEGER NOT NULL, ident VARCHAR NOT NULL, start_ts INTEGER NOT NULL,
    end_ts INTEGER NOT NULL, impact VARCHAR NOT NULL, impact_is_share BOOLEAN NOT NULL,
    cause VARCHAR NOT NULL, service VARCHAR NOT NULL, region VARCHAR NOT NULL,
    title VARCHAR NOT NULL, "row" INTEGER NOT NULL);
CREATE UNIQUE INDEX ix_incident_set_seq ON incident (set_id, seq);
CREATE TABLE run (
    id INTEGER NOT NULL PRIMARY KEY, kind VARCHAR NOT NULL,
    contract_version_id INTEGER NOT NULL REFERENCES contract_version (id),
    contract_hash VARCHAR NOT NULL, incident_set_id INTEGER REFERENCES incident_set (id),
    incident_set_hash VARCHAR, options TEXT NOT NULL, seed INTEGER, trials INTEGER,
    engine_version VARCHAR NOT NULL, author VARCHAR NOT NULL, started_at VARCHAR NOT NULL,
    finished_at VARCHAR NOT NULL, result TEXT NOT NULL, result_hash VARCHAR NOT NULL);
CREATE TABLE audit (
    seq INTEGER NOT NULL PRIMARY KEY, at VARCHAR NOT NULL, actor VARCHAR NOT NULL,
    action VARCHAR NOT NULL, subject VARCHAR NOT NULL, details TEXT NOT NULL,
    prev_hash VARCHAR NOT NULL, hash VARCHAR NOT NULL);
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


def make_v0_workspace(path: Path) -> tuple[Contract, Contract]:
    """A schema-0 workspace written with raw SQL: the sample contract approved as version 1 and a
    draft version 2 that lowers a target, each with its audit entries. Returns both contracts."""
    v1, v2 = sample_contract(), weakened(sample_contract())
    db = raw(path)
    db.executescript(V0_SCHEMA)
    at = "2024-05-01T09:00:00Z"
    db.execute("INSERT INTO meta VALUES ('schema_version', '0')")
    db.execute("INSERT INTO contract VALUES (1, 'three_tier_cloud', ?, 'ana')", (at,))
    for ident, contract, parent, status in ((1, v1, None, "approved"), (2, v2, 1, "draft")):
        db.execute(
            "INSERT INTO contract_version VALUES (?, 1, ?, ?, ?, ?, 'ana', ?, 'v0', ?, ?, "
            "NULL, NULL, NULL)",
            (
                ident,
                ident,
                contract.name,
                contract_body(contract),
                contract.content_hash(),
                at,
                parent,
                status,
            ),
        )
    entries = [
        ("create workspace", "old.slamws", {"schema": 0}),
        (
            "add version",
            "three_tier_cloud@1",
            {"version_id": 1, "content_hash": v1.content_hash(), "reason": "v0"},
        ),
        (
            "approve",
            "three_tier_cloud@1",
            {"version_id": 1, "content_hash": v1.content_hash(), "reason": "signed"},
        ),
        (
            "add version",
            "three_tier_cloud@2",
            {"version_id": 2, "content_hash": v2.content_hash(), "reason": "v0"},
        ),
    ]
    prev = GENESIS
    for seq, (action, subject, details) in enumerate(entries, start=1):
        text = canonical_json(details)
        digest = entry_hash(seq, at, "ana", action, subject, text, prev)
        db.execute(
            "INSERT INTO audit VALUES (?, ?, 'ana', ?, ?, ?, ?, ?)",
            (seq, at, action, subject, text, prev, digest),
        )
        prev = digest
    db.execute("INSERT INTO meta VALUES ('audit_head', ?)", (f"{len(entries)}:{prev}",))
    db.close()
    return v1, v2


def columns(path: Path) -> dict[str, set[str]]:
    db = raw(path)
    try:
        tables = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: {r[1] for r in db.execute(f'PRAGMA table_info("{t}")')} for t in tables}
    finally:
        db.close()


def triggers(path: Path) -> set[str]:
    db = raw(path)
    try:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    finally:
        db.close()


def drop_guards(db: sqlite3.Connection) -> None:
    """What a tamperer does first: drop the triggers that refuse edits."""
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        db.execute(f'DROP TRIGGER "{name}"')


def restore_guards(db: sqlite3.Connection) -> None:
    """The triggers as the application makes them (a tamperer covering their tracks)."""
    for statement in TRIGGERS:
        db.execute(statement)


def audit_rows(path: Path) -> list[tuple]:
    db = raw(path)
    try:
        return db.execute("SELECT * FROM audit ORDER BY seq").fetchall()
    finally:
        db.close()
