"""Incident sets: imported histories, stored once and never changed."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlmodel import col, select

from slamodeler.domain.errors import InputError
from slamodeler.domain.incidents import IncidentSet
from slamodeler.store import codec
from slamodeler.store.audit import canonical_json
from slamodeler.store.row_hashes import row_hashes
from slamodeler.store.tables import IncidentSetRow
from slamodeler.store.transactions import Transactions, check_key, now


def _quoted(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


class IncidentSets(Transactions):
    """Imported histories, bulk-inserted and read back in file order."""

    def add_incident_set(self, key: str, incidents: IncidentSet, author: str) -> IncidentSetRow:
        """Store an imported history and its import report; an incident set never changes."""
        check_key(key, "incident set name")
        report = canonical_json(codec.report_data(incidents.report))
        values = [codec.incident_values(i) for i in incidents.incidents]
        digest = codec.incident_set_hash(report, values)
        with self.transaction() as s:
            if s.exec(select(IncidentSetRow).where(col(IncidentSetRow.key) == key)).first():
                raise InputError(
                    f"an incident set named {key!r} is already in {self.path.name}; stored sets "
                    "never change: import under another name (--as NAME)"
                )
            row = IncidentSetRow(
                key=key,
                source=incidents.report.source,
                imported_at=now(),
                author=author,
                rows_read=incidents.report.rows_read,
                used=len(values),
                report=report,
                content_hash=digest,
            )
            s.add(row)
            s.flush()
            columns = ("set_id", "seq", *codec.INCIDENT_COLUMNS)
            s.connection().exec_driver_sql(
                f"INSERT INTO incident ({_quoted(columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})",
                [(row.id, k, *v) for k, v in enumerate(values)],
            )
            self._audit(
                s,
                author,
                "import incidents",
                key,
                {
                    "incident_set_id": row.id,
                    "content_hash": digest,
                    "source": row.source,
                    "rows_read": row.rows_read,
                    "used": row.used,
                    "not_used": len(incidents.report.rejected),
                    "rows": row_hashes(s.connection(), ("incident_set", row.id)),
                },
            )
            return row

    def incident_sets(self) -> list[IncidentSetRow]:
        with self._reading() as s:
            return list(s.exec(select(IncidentSetRow).order_by(col(IncidentSetRow.key))))

    def incident_set(self, key: str) -> IncidentSetRow:
        with self._reading() as s:
            row = s.exec(select(IncidentSetRow).where(col(IncidentSetRow.key) == key)).first()
        if row is None:
            raise self.not_found("incident set", key, (r.key for r in self.incident_sets()))
        return row

    def _incident_values(self, set_id: int) -> list[Sequence[Any]]:
        with self._reading() as s:
            return list(
                s.connection()
                .exec_driver_sql(
                    f"SELECT {_quoted(codec.INCIDENT_COLUMNS)} FROM incident "
                    "WHERE set_id = ? ORDER BY seq",
                    (set_id,),
                )
                .fetchall()
            )

    def load_incidents(self, row: IncidentSetRow) -> IncidentSet:
        assert row.id is not None
        return IncidentSet(
            name=row.key,
            incidents=tuple(codec.incident_of(v) for v in self._incident_values(row.id)),
            report=codec.report_of(json.loads(row.report)),
        )

    def incident_set_digest(self, row: IncidentSetRow) -> str:
        """The hash of the set as stored now (compare with ``row.content_hash``)."""
        assert row.id is not None
        return codec.incident_set_hash(row.report, self._incident_values(row.id))

    def incident_set_by_id(self, ident: int) -> IncidentSetRow:
        with self._reading() as s:
            row = s.get(IncidentSetRow, ident)
        assert row is not None
        return row
