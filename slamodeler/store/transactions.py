"""Transactions and the audit log they write: every user action is one ``BEGIN IMMEDIATE``
transaction with its audit entry in it, so a kill leaves the data and the log agreeing."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, exc
from sqlmodel import Session, col, select

from slamodeler.domain.errors import InputError
from slamodeler.store.audit import Entry, canonical_json, entry_hash
from slamodeler.store.lock import WriterLock
from slamodeler.store.signing import mac
from slamodeler.store.sqlite_file import WRITES, held_connection
from slamodeler.store.tables import AuditRow, Meta

KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def check_key(key: str, what: str) -> str:
    if not KEY.match(key):
        raise InputError(
            f"{what} {key!r}: use letters, digits, '_', '.' or '-' (starting with a letter or "
            "digit, at most 100 characters)"
        )
    return key


class Transactions:
    """The workspace's connection state, its transactions and its audit log: what every part
    of the workspace builds on."""

    def __init__(self, path: Path, engine: Engine, readonly: bool, lock: WriterLock | None):
        self.path = path
        self.readonly = readonly
        self._engine = engine
        self._writer = engine.execution_options(**{WRITES: True})
        self._lock = lock
        self._local = threading.local()  # a session per thread: the GUI reads off its thread
        self._held: sqlite3.Connection | None = None  # see hold_open
        self.migrated_from: int | None = None
        self.signing_key: bytes | None = None  # every entry written is signed with it (signing.py)

    @property
    def _session(self) -> Session | None:
        return getattr(self._local, "session", None)

    @_session.setter
    def _session(self, session: Session | None) -> None:
        self._local.session = session

    def hold_open(self) -> None:
        """Hold a connection open until ``close_held`` (sqlite_file.held_connection says why)."""
        if not self.readonly and self._held is None:
            self._held = held_connection(self.path)

    def close_held(self) -> None:
        """Close the held connection: the last one, so SQLite checkpoints the log here."""
        if self._held is not None:
            self._held.close()
            self._held = None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action: everything in it is committed together, or not at all. Nested calls
        join the enclosing transaction; one cannot begin inside a read (``_reading``), whose
        snapshot a write could not be committed over."""
        if self._session is None:
            if self.readonly:
                raise InputError(f"{self.path}: opened read-only; nothing can be changed")
        elif not self._local.writes:
            raise RuntimeError("a write transaction was begun inside a read")
        with self._session_of(self._writer) as s:
            yield s

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        """The enclosing transaction's session, or a new one for this thread until the block
        ends, reading a snapshot without the write lock (reads nested in it use the same
        connection)."""
        with self._session_of(self._engine) as s:
            yield s

    @contextmanager
    def _session_of(self, engine: Engine) -> Iterator[Session]:
        if self._session is not None:
            yield self._session
            return
        with self._translated(), Session(engine, expire_on_commit=False) as s:
            self._session = s
            self._local.writes = engine is self._writer
            try:
                with s.begin():
                    yield s
            finally:
                self._session = None

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """SQLite's refusals (locked, read-only, disk full, damaged, a trigger) as InputError."""
        try:
            yield
        except exc.IntegrityError as err:
            message = str(err.orig)
            if "cannot be changed" in message or "append-only" in message or "deleted" in message:
                raise InputError(f"{self.path}: refused: {message}") from None
            raise
        except (exc.OperationalError, exc.DatabaseError) as err:
            if isinstance(err, exc.IntegrityError | exc.ProgrammingError):
                raise
            if "locked" in str(err.orig) or "busy" in str(err.orig):
                raise InputError(
                    f"{self.path}: the workspace is busy (another process is writing to it); "
                    "try again in a moment. Nothing was changed."
                ) from None
            raise InputError(
                f"{self.path}: the workspace could not be used ({err.orig}); nothing was changed"
            ) from None

    def not_found(self, what: str, key: str, known: Iterable[str]) -> InputError:
        """No ``what`` named ``key`` in this workspace: the refusal, listing the ``known`` keys
        (``what`` in the plural by an "s")."""
        listed = ", ".join(known) or "none yet"
        return InputError(f"no {what} {key!r} in {self.path.name} ({what}s: {listed})")

    def meta(self, key: str) -> str | None:
        with self._reading() as s:
            row = s.get(Meta, key)
            return row.value if row else None

    @property
    def schema_version(self) -> int:
        return int(self.meta("schema_version") or 0)

    def _audit(
        self, s: Session, actor: str, action: str, subject: str, details: dict[str, Any]
    ) -> AuditRow:
        conn = s.connection()
        last = conn.exec_driver_sql("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").first()
        seq, prev = (last[0] + 1, last[1]) if last else (1, "0" * 64)
        at, text = now(), canonical_json(details)
        digest = entry_hash(seq, at, actor, action, subject, text, prev)
        row = AuditRow(
            seq=seq,
            at=at,
            actor=actor,
            action=action,
            subject=subject,
            details=text,
            prev_hash=prev,
            hash=digest,
            mac=mac(self.signing_key, digest) if self.signing_key else None,
        )
        s.add(row)
        head = s.get(Meta, "audit_head")
        if head is None:
            s.add(Meta(key="audit_head", value=f"{seq}:{row.hash}"))
        else:
            head.value = f"{seq}:{row.hash}"
            s.add(head)
        s.flush()
        return row

    def audit_entries(self, subject: str | None = None) -> list[Entry]:
        with self._reading() as s:
            query = select(AuditRow).order_by(col(AuditRow.seq))
            if subject is not None:
                query = query.where(
                    (col(AuditRow.subject) == subject)
                    | col(AuditRow.subject).startswith(subject + "@")
                )
            return [Entry(**r.model_dump()) for r in s.exec(query)]

    def record(self, actor: str, action: str, subject: str, details: dict[str, Any]) -> None:
        """An audit entry for an action that changes nothing else (e.g. a rerun's outcome)."""
        with self.transaction() as s:
            self._audit(s, actor, action, subject, details)
