"""Workspace schema versions and the explicit migrations between them.

``meta.schema_version`` says which layout a file has. Opening an older file runs each migration
from its version up to SCHEMA_VERSION, all in one transaction (SQLite's DDL is transactional), so a
failed migration leaves the file as it was. A file of a newer version is refused before anything
is written to it.

History:
- 0: contracts, versions, incident sets, runs of replays, audit log (pre-release layout).
- 1: scenarios and simulation runs (``run.scenario_id``, ``run.scenario_hash``), run timings
  (``run.seconds``), the term changes of each version from its parent
  (``contract_version.changes``, ``weakening``), and triggers that refuse changes to approved
  versions.
- 2: audit entries may carry a MAC (``audit.mac``, store/signing.py); entries record the hash of
  every row they write (store/row_hashes.py). The upgrade's own audit entry records the hash of
  every row as found, so rows stored before are covered from the upgrade on.
- 3: incidents keep their availability zone (``incident.zone``, "" for none), for contracts that
  count k of n zones; a row without a zone hashes as before, so stored sets keep their hashes.
- 4: fee sets (``fee_set``) and ticket sets (``ticket_set``): fee files and support ticket
  exports stored once under a key, as incident sets are, for runs to name; nothing stored before
  changes.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

from slamodeler.store.audit import canonical_json
from slamodeler.store.codec import changes_data, contract_from_body

SCHEMA_VERSION = 4

# Guards against the application's own mistakes; someone with the sqlite3 module can drop them,
# which is what the audit chain and `ws verify` are for (it reports them missing or changed).
TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS audit_append_only_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_append_only_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS approved_version_immutable
    BEFORE UPDATE OF contract_id, number, name, body, content_hash, author, created_at, reason,
        parent_id, changes, weakening ON contract_version
    WHEN OLD.status IN ('in_review', 'approved', 'superseded')
    BEGIN SELECT RAISE(ABORT, 'a version in review or approved cannot be changed'); END""",
    """CREATE TRIGGER IF NOT EXISTS approved_version_kept BEFORE DELETE ON contract_version
    WHEN OLD.status IN ('approved', 'superseded')
    BEGIN SELECT RAISE(ABORT, 'an approved version cannot be deleted'); END""",
)


def _v0_to_v1(conn: Connection) -> None:
    conn.exec_driver_sql(
        """CREATE TABLE scenario (
        id INTEGER NOT NULL,
        "key" VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        body TEXT NOT NULL,
        content_hash VARCHAR NOT NULL,
        imported_at VARCHAR NOT NULL,
        author VARCHAR NOT NULL,
        PRIMARY KEY (id),
        UNIQUE ("key"))"""
    )
    for statement in (
        "ALTER TABLE run ADD COLUMN scenario_id INTEGER REFERENCES scenario (id)",
        "ALTER TABLE run ADD COLUMN scenario_hash VARCHAR",
        "ALTER TABLE run ADD COLUMN seconds FLOAT NOT NULL DEFAULT 0",
        "ALTER TABLE contract_version ADD COLUMN changes TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE contract_version ADD COLUMN weakening INTEGER NOT NULL DEFAULT 0",
    ):
        conn.exec_driver_sql(statement)
    # Backfill each version's changes from its parent (before the triggers freeze them).
    from slamodeler.domain.contract_diff import diff_contracts

    rows = conn.exec_driver_sql(
        "SELECT v.id, v.body, p.body FROM contract_version v "
        "JOIN contract_version p ON p.id = v.parent_id"
    ).fetchall()
    for ident, body, parent in rows:
        changes = changes_data(
            diff_contracts(
                contract_from_body(parent, f"version {ident}'s parent"),
                contract_from_body(body, f"version {ident}"),
            )
        )
        conn.exec_driver_sql(
            "UPDATE contract_version SET changes = ?, weakening = ? WHERE id = ?",
            (canonical_json(changes), sum(c["weakens"] for c in changes), ident),
        )


def _v1_to_v2(conn: Connection) -> None:
    conn.exec_driver_sql("ALTER TABLE audit ADD COLUMN mac VARCHAR")


def _v2_to_v3(conn: Connection) -> None:
    conn.exec_driver_sql("ALTER TABLE incident ADD COLUMN zone VARCHAR NOT NULL DEFAULT ''")


def _v3_to_v4(conn: Connection) -> None:
    conn.exec_driver_sql(
        """CREATE TABLE fee_set (
        id INTEGER NOT NULL,
        "key" VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        imported_at VARCHAR NOT NULL,
        author VARCHAR NOT NULL,
        fees INTEGER NOT NULL,
        body TEXT NOT NULL,
        content_hash VARCHAR NOT NULL,
        PRIMARY KEY (id),
        UNIQUE ("key"))"""
    )
    conn.exec_driver_sql(
        """CREATE TABLE ticket_set (
        id INTEGER NOT NULL,
        "key" VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        imported_at VARCHAR NOT NULL,
        author VARCHAR NOT NULL,
        rows_read INTEGER NOT NULL,
        used INTEGER NOT NULL,
        report TEXT NOT NULL,
        body TEXT NOT NULL,
        content_hash VARCHAR NOT NULL,
        PRIMARY KEY (id),
        UNIQUE ("key"))"""
    )


# MIGRATIONS[n] takes a workspace from schema n to n + 1.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    0: _v0_to_v1,
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
}


def create_triggers(conn: Connection) -> None:
    for statement in TRIGGERS:
        conn.exec_driver_sql(statement)


def _stored_form(statement: str) -> str:
    """A trigger as sqlite_master keeps it (SQLite drops ``IF NOT EXISTS``), spaces squeezed."""
    return " ".join(statement.replace(" IF NOT EXISTS", "", 1).split())


def trigger_problems(conn: Connection) -> list[str]:
    """The guard triggers missing or changed (dropped or replaced behind the application's back)."""
    found = {
        name: " ".join((sql or "").split())
        for name, sql in conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
        )
    }
    problems = []
    for statement in TRIGGERS:
        expected = _stored_form(statement)
        name = expected.split()[2]
        if name not in found:
            problems.append(f"trigger {name}: missing (dropped, so its guard no longer holds)")
        elif found[name] != expected:
            problems.append(f"trigger {name}: changed (its guard is not the one the file had)")
    return problems


def migrate(conn: Connection, found: int) -> list[int]:
    """Run the migrations from ``found`` to SCHEMA_VERSION on ``conn`` (inside the caller's
    transaction); returns the versions passed through."""
    passed = []
    for version in range(found, SCHEMA_VERSION):
        MIGRATIONS[version](conn)
        passed.append(version + 1)
    create_triggers(conn)
    conn.exec_driver_sql(
        "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),)
    )
    return passed
