"""Row hashes: every column of every row a user sees, pinned by the audit chain.

An entry that writes a row records ``"rows": {"TABLE:ID": HASH}`` in its details, HASH being the
SHA-256 of the row's covered columns as SQLite holds them. The chain covers the details, so a
column edited behind the application's back (a run's seed, a version's author or status reason,
a contract's key, a scenario's name) no longer hashes as the log recorded it (``ws verify``).

COVERED names every column of the hashed tables; a test fails when a table gains a column that
is neither here nor in NOT_ROW_HASHED, so a new column cannot slip past the chain.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from slamodeler.store.audit import canonical_json, sha256

COVERED: dict[str, tuple[str, ...]] = {
    "contract": ("id", "key", "created_at", "created_by"),
    "contract_version": (
        "id",
        "contract_id",
        "number",
        "name",
        "body",
        "content_hash",
        "author",
        "created_at",
        "reason",
        "parent_id",
        "status",
        "status_at",
        "status_by",
        "status_reason",
        "changes",
        "weakening",
    ),
    "incident_set": (
        "id",
        "key",
        "source",
        "imported_at",
        "author",
        "rows_read",
        "used",
        "report",
        "content_hash",
    ),
    "scenario": (
        "id",
        "key",
        "name",
        "source",
        "body",
        "content_hash",
        "imported_at",
        "author",
    ),
    "fee_set": (
        "id",
        "key",
        "source",
        "imported_at",
        "author",
        "fees",
        "body",
        "content_hash",
    ),
    "ticket_set": (
        "id",
        "key",
        "source",
        "imported_at",
        "author",
        "rows_read",
        "used",
        "report",
        "body",
        "content_hash",
    ),
    "run": (
        "id",
        "kind",
        "contract_version_id",
        "contract_hash",
        "incident_set_id",
        "incident_set_hash",
        "scenario_id",
        "scenario_hash",
        "options",
        "seed",
        "trials",
        "engine_version",
        "author",
        "started_at",
        "finished_at",
        "seconds",
        "result",
        "result_hash",
    ),
}

# Tables without row hashes, and what covers them instead.
NOT_ROW_HASHED = {
    "audit": "each entry's own hash and the link to the one before (store/audit.py); `mac` signs "
    "the hash",
    "incident": "the incident set's content hash, over every row in order (codec.incident_set_hash)",
    "meta": "audit_head is checked against the chain; the schema version is checked on opening",
}


def row_key(table: str, ident: int | None) -> str:
    return f"{table}:{ident}"


def _digest(table: str, values: tuple[Any, ...]) -> str:
    return sha256(canonical_json([table, dict(zip(COVERED[table], values, strict=True))]))


def _select(table: str) -> str:
    columns = ", ".join(f'"{c}"' for c in COVERED[table])
    return f'SELECT {columns} FROM "{table}"'


def row_hash(conn: Connection, table: str, ident: int | None) -> str:
    """The hash of one row as stored now (inside the writer's transaction, after a flush)."""
    values = conn.exec_driver_sql(f"{_select(table)} WHERE id = ?", (ident,)).one()
    return _digest(table, tuple(values))


def row_hashes(conn: Connection, *rows: tuple[str, int | None]) -> dict[str, str]:
    """``{"TABLE:ID": HASH}`` for an audit entry's details."""
    return {row_key(t, i): row_hash(conn, t, i) for t, i in rows}


def all_row_hashes(conn: Connection) -> dict[str, str]:
    """Every hashed row in the workspace, as stored now (verify; a migration's baseline)."""
    out = {}
    for table in COVERED:
        for values in conn.exec_driver_sql(f"{_select(table)} ORDER BY id"):
            out[row_key(table, values[0])] = _digest(table, tuple(values))
    return out
