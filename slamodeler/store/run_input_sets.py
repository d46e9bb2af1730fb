"""Fee sets and ticket sets: a fee file's rows and a support ticket export's tickets, stored once
under a key and never changed, so that a run names exactly the fees and tickets it read."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any, TypeVar

from sqlmodel import col, select

from slamodeler.domain.errors import InputError
from slamodeler.domain.incidents import ImportReport
from slamodeler.domain.support import Ticket
from slamodeler.io.fee_file import FeeRow
from slamodeler.store import codec
from slamodeler.store.audit import canonical_json, sha256
from slamodeler.store.row_hashes import row_hashes
from slamodeler.store.tables import FeeSetRow, TicketSetRow
from slamodeler.store.transactions import Transactions, check_key, now

_Set = FeeSetRow | TicketSetRow
S = TypeVar("S", FeeSetRow, TicketSetRow)


def fee_body(rows: Sequence[FeeRow]) -> str:
    """The canonical JSON of a fee file's rows (fees as written decimals: exact)."""
    return canonical_json([[r.row, r.tier, r.month, str(r.fee)] for r in rows])


def ticket_body(tickets: Sequence[Ticket]) -> str:
    return canonical_json([[t.id, t.priority, t.opened, t.first_response, t.row] for t in tickets])


def ticket_set_hash(report: str, body: str) -> str:
    return sha256(report + "\n" + body)


class RunInputSets(Transactions):
    """Stored fee sets and ticket sets; each is added once under its key."""

    def add_fee_set(self, key: str, rows: Sequence[FeeRow], source: str, author: str) -> FeeSetRow:
        check_key(key, "fee set name")
        body = fee_body(rows)
        row = FeeSetRow(
            key=key,
            source=source,
            imported_at=now(),
            author=author,
            fees=len(rows),
            body=body,
            content_hash=sha256(body),
        )
        return self._add(row, "fee set", "add fees", {"fees": row.fees})

    def add_ticket_set(
        self, key: str, tickets: Sequence[Ticket], report: ImportReport, author: str
    ) -> TicketSetRow:
        check_key(key, "ticket set name")
        report_json = canonical_json(codec.report_data(report))
        body = ticket_body(tickets)
        row = TicketSetRow(
            key=key,
            source=report.source,
            imported_at=now(),
            author=author,
            rows_read=report.rows_read,
            used=len(tickets),
            report=report_json,
            body=body,
            content_hash=ticket_set_hash(report_json, body),
        )
        details = {"rows_read": row.rows_read, "used": row.used, "not_used": len(report.rejected)}
        return self._add(row, "ticket set", "add tickets", details)

    def _add(self, row: Any, what: str, action: str, details: dict[str, Any]) -> Any:
        table = type(row)
        with self.transaction() as s:
            if s.exec(select(table).where(col(table.key) == row.key)).first():
                raise InputError(
                    f"a {what} named {row.key!r} is already in {self.path.name}; stored sets "
                    "never change: add it under another name"
                )
            s.add(row)
            s.flush()
            kind = table.__tablename__
            self._audit(
                s,
                row.author,
                action,
                row.key,
                {
                    f"{kind}_id": row.id,
                    "content_hash": row.content_hash,
                    "source": row.source,
                    **details,
                    "rows": row_hashes(s.connection(), (kind, row.id)),
                },
            )
            return row

    def fee_sets(self) -> list[FeeSetRow]:
        return self._sets(FeeSetRow)

    def ticket_sets(self) -> list[TicketSetRow]:
        return self._sets(TicketSetRow)

    def fee_set(self, key: str) -> FeeSetRow:
        return self._set(FeeSetRow, "fee set", key)

    def ticket_set(self, key: str) -> TicketSetRow:
        return self._set(TicketSetRow, "ticket set", key)

    def _sets(self, table: type[S]) -> list[S]:
        with self._reading() as s:
            return list(s.exec(select(table).order_by(col(table.key))))

    def _set(self, table: type[S], what: str, key: str) -> S:
        with self._reading() as s:
            row = s.exec(select(table).where(col(table.key) == key)).first()
        if row is None:
            raise self.not_found(what, key, (r.key for r in self._sets(table)))
        return row

    @staticmethod
    def fee_rows(row: FeeSetRow) -> list[FeeRow]:
        return [
            FeeRow(n, tier, month, Decimal(fee)) for n, tier, month, fee in json.loads(row.body)
        ]

    @staticmethod
    def tickets_of(row: TicketSetRow) -> tuple[tuple[Ticket, ...], ImportReport]:
        tickets = tuple(Ticket(*values) for values in json.loads(row.body))
        return tickets, replace(codec.report_of(json.loads(row.report)), noun="ticket")

    @staticmethod
    def set_digest(row: _Set) -> str:
        """The hash of a fee or ticket set as stored now (compare with ``row.content_hash``)."""
        if isinstance(row, FeeSetRow):
            return sha256(row.body)
        return ticket_set_hash(row.report, row.body)
