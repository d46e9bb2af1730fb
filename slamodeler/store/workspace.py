"""The workspace: one SQLite file (``.slamws``) holding contracts and their versions, incident
sets, scenarios, runs and the audit log (docs/workspace.md).

Safety, as the file is opened:
- the file is checked before anything is written to it: an SQLite header, a size that matches the
  header (not truncated), SQLite's quick check, our ``meta`` table, a schema this version knows;
- a writer takes ``FILE.lock`` (slamodeler/store/lock.py): one writer at a time; readers open the
  file read-only (``mode=ro``) and need no lock;
- WAL journal, ``synchronous=FULL``, foreign keys on, a busy timeout; every user action is one
  ``BEGIN IMMEDIATE`` transaction with its audit entry in it, so a kill leaves the last committed
  state and the audit log agreeing with the data.

Change-control rules live here, at the lowest level, so that every front end gets them:
a version in review or approved is never changed (triggers refuse it too); approving needs a
reason, supersedes the version approved before, and refuses to weaken it unless told to.
"""

from __future__ import annotations

import json
import os
import re
import stat
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.pool import NullPool
from sqlmodel import Session, SQLModel, col, select

from slamodeler import __version__
from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.incidents import IncidentSet
from slamodeler.domain.scenario import Scenario
from slamodeler.store import codec
from slamodeler.store.audit import Entry, canonical_json, chain_problems, entry_hash, sha256
from slamodeler.store.lock import WriterLock
from slamodeler.store.migrations import SCHEMA_VERSION, create_triggers, migrate
from slamodeler.store.tables import (
    APPROVED,
    DRAFT,
    FROZEN,
    IN_REVIEW,
    SUPERSEDED,
    AuditRow,
    ContractRow,
    ContractVersionRow,
    IncidentSetRow,
    Meta,
    RunRow,
    ScenarioRow,
)

SUFFIX = ".slamws"
SQLITE_MAGIC = b"SQLite format 3\x00"
KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
GENESIS_ACTION = "create workspace"


def _quoted(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def check_key(key: str, what: str) -> str:
    if not KEY.match(key):
        raise InputError(
            f"{what} {key!r}: use letters, digits, '_', '.' or '-' (starting with a letter or "
            "digit, at most 100 characters)"
        )
    return key


@dataclass(frozen=True)
class VerifyReport:
    path: Path
    entries: int
    head: str | None  # hash of the last audit entry
    checked: dict[str, int]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_file(path: Path) -> None:
    """Refuse what is not a whole SQLite file, before SQLite touches it."""
    if not path.exists():
        raise InputError(
            f"{path}: no such workspace; create one with `slamodeler ws init --ws {path}`"
        )
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a workspace file")
    try:
        with path.open("rb") as handle:
            head = handle.read(100)
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    if not head.startswith(SQLITE_MAGIC):
        raise InputError(
            f"{path}: not an SLA Modeler workspace (not an SQLite file); workspaces are "
            f"created with `slamodeler ws init` and end in {SUFFIX}"
        )
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    header_valid = head[24:28] == head[92:96]
    if (
        len(head) < 100
        or page_size < 512
        or size % page_size
        or (header_valid and size < pages * page_size)
    ):
        raise InputError(
            f"{path}: the workspace file is truncated or damaged ({size:,} bytes); "
            "restore it from a backup"
        )


def _writable(path: Path) -> bool:
    """Write permission as the file's mode says it (root may write anything, but should not
    write to a file someone made read-only)."""
    mode = path.stat().st_mode
    return bool(mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) and os.access(path, os.W_OK)


def _engine(path: Path, readonly: bool) -> Engine:
    if readonly:
        url = f"sqlite+pysqlite:///file:{path}?mode=ro&uri=true"
    else:
        url = f"sqlite+pysqlite:///{path}"
    engine = create_engine(url, poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _connect(dbapi: Any, _record: Any) -> None:
        dbapi.isolation_level = None  # transactions are begun explicitly, below
        cursor = dbapi.cursor()
        cursor.execute("PRAGMA busy_timeout = 5000")
        cursor.execute("PRAGMA foreign_keys = ON")
        if readonly:
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

    return engine


class Workspace:
    """Open with ``Workspace.open(path)`` (or ``create``); close, or use as a context manager."""

    def __init__(self, path: Path, engine: Engine, readonly: bool, lock: WriterLock | None):
        self.path = path
        self.readonly = readonly
        self._engine = engine
        self._lock = lock
        self._session: Session | None = None
        self.migrated_from: int | None = None

    # -- opening and closing -------------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, actor: str) -> Workspace:
        path = Path(path)
        if path.exists():
            raise InputError(f"{path}: already exists; open it, or choose another file name")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{path.parent}: cannot create the folder ({exc.strerror})") from None
        lock = WriterLock(path)
        lock.acquire(path)
        created = False
        try:
            if path.exists():  # created by another process between the check and the lock
                raise InputError(f"{path}: already exists; open it, or choose another file name")
            created = True
            ws = cls(path, _engine(path, False), False, lock)
            with ws.transaction() as s:
                conn = s.connection()
                SQLModel.metadata.create_all(conn)
                create_triggers(conn)
                s.add(Meta(key="schema_version", value=str(SCHEMA_VERSION)))
                s.add(Meta(key="created_at", value=now()))
                s.add(Meta(key="created_by_engine", value=__version__))
                ws._audit(s, actor, GENESIS_ACTION, path.name, {"schema": SCHEMA_VERSION})
            return ws
        except BaseException:
            if created:
                for leftover in (path, *(path.with_name(path.name + x) for x in ("-wal", "-shm"))):
                    leftover.unlink(missing_ok=True)
            lock.release()
            raise

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False) -> Workspace:
        """Open an existing workspace; an older schema is migrated first (that needs write
        access, even for a read-only open). Bad files raise InputError and are left as they were."""
        path = Path(path)
        _check_file(path)
        found = cls._probe(path)
        if found > SCHEMA_VERSION:
            raise InputError(
                f"{path}: made by a newer SLA Modeler (workspace schema {found}; this version, "
                f"{__version__}, reads up to schema {SCHEMA_VERSION}); open it with a newer "
                "SLA Modeler. The file was not changed."
            )
        migrated_from = None
        if found < SCHEMA_VERSION:
            if not _writable(path):
                raise InputError(
                    f"{path}: made by an older SLA Modeler (schema {found}) and read-only, so it "
                    "cannot be upgraded; make it writable (or copy it) and open it again"
                )
            ws = cls._open(path, readonly=False)
            try:
                ws._migrate(found)
            finally:
                ws.close()
            migrated_from = found
        ws = cls._open(path, readonly=readonly)
        ws.migrated_from = migrated_from
        return ws

    @classmethod
    def _probe(cls, path: Path) -> int:
        """Schema version, read through a read-only connection (nothing is written)."""
        engine = _engine(path, readonly=True)
        try:
            with engine.connect() as conn:
                check = conn.exec_driver_sql("PRAGMA quick_check").scalar()
                if check != "ok":
                    raise InputError(
                        f"{path}: the workspace file is damaged ({check}); restore it from a backup"
                    )
                has_meta = conn.exec_driver_sql(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
                ).scalar()
                value = (
                    conn.exec_driver_sql(
                        "SELECT value FROM meta WHERE key = 'schema_version'"
                    ).scalar()
                    if has_meta
                    else None
                )
        except exc.DBAPIError as err:
            raise InputError(
                f"{path}: not a usable SLA Modeler workspace ({err.orig}); restore it from a backup"
            ) from None
        finally:
            engine.dispose()
        if value is None or not str(value).isdecimal():
            raise InputError(
                f"{path}: an SQLite file, but not an SLA Modeler workspace (no schema version); "
                "workspaces are created with `slamodeler ws init`"
            )
        return int(value)

    @classmethod
    def _open(cls, path: Path, readonly: bool) -> Workspace:
        lock = None
        if not readonly:
            if not _writable(path):
                raise InputError(
                    f"{path}: the workspace file is read-only; make it writable to change it "
                    "(commands that only read still work). Nothing was changed."
                )
            lock = WriterLock(path)
            lock.acquire(path)
        try:
            return cls(path, _engine(path, readonly), readonly, lock)
        except BaseException:
            if lock:
                lock.release()
            raise

    def _migrate(self, found: int) -> None:
        with self.transaction() as s:
            passed = migrate(s.connection(), found)
            self._audit(
                s,
                "slamodeler",
                "migrate schema",
                self.path.name,
                {"from": found, "to": SCHEMA_VERSION, "through": passed},
            )

    def close(self) -> None:
        self._engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- transactions --------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action: everything in it is committed together, or not at all. Nested calls
        join the enclosing transaction."""
        if self._session is not None:
            yield self._session
            return
        if self.readonly:
            raise InputError(f"{self.path}: opened read-only; nothing can be changed")
        with self._translated(), Session(self._engine, expire_on_commit=False) as s:
            self._session = s
            try:
                with s.begin():
                    yield s
            finally:
                self._session = None

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        if self._session is not None:
            yield self._session
            return
        with self._translated(), Session(self._engine, expire_on_commit=False) as s:
            self._session = s  # reads nested in this one use the same connection
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

    def meta(self, key: str) -> str | None:
        with self._reading() as s:
            row = s.get(Meta, key)
            return row.value if row else None

    @property
    def schema_version(self) -> int:
        return int(self.meta("schema_version") or 0)

    # -- the audit log -------------------------------------------------------------------------

    def _audit(
        self, s: Session, actor: str, action: str, subject: str, details: dict[str, Any]
    ) -> AuditRow:
        conn = s.connection()
        last = conn.exec_driver_sql("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").first()
        seq, prev = (last[0] + 1, last[1]) if last else (1, "0" * 64)
        at, text = now(), canonical_json(details)
        row = AuditRow(
            seq=seq,
            at=at,
            actor=actor,
            action=action,
            subject=subject,
            details=text,
            prev_hash=prev,
            hash=entry_hash(seq, at, actor, action, subject, text, prev),
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

    # -- contracts -----------------------------------------------------------------------------

    def contracts(self) -> list[tuple[ContractRow, list[ContractVersionRow]]]:
        with self._reading() as s:
            rows = s.exec(select(ContractRow).order_by(col(ContractRow.key))).all()
            versions = s.exec(
                select(ContractVersionRow).order_by(
                    col(ContractVersionRow.contract_id), col(ContractVersionRow.number)
                )
            ).all()
        return [(r, [v for v in versions if v.contract_id == r.id]) for r in rows]

    def find_contract(self, name: str) -> ContractRow | None:
        """By key, or by the contract's name in its latest version (case-insensitive)."""
        with self._reading() as s:
            row = s.exec(select(ContractRow).where(col(ContractRow.key) == name)).first()
            if row is not None:
                return row
            wanted = name.strip().lower()
            for contract, versions in self.contracts():
                if versions and versions[-1].name.strip().lower() == wanted:
                    return contract
        return None

    def contract(self, name: str) -> ContractRow:
        row = self.find_contract(name)
        if row is None:
            known = ", ".join(c.key for c, _ in self.contracts()) or "none yet"
            raise InputError(f"no contract {name!r} in {self.path.name} (contracts: {known})")
        return row

    def versions(self, name: str) -> list[ContractVersionRow]:
        contract = self.contract(name)
        with self._reading() as s:
            return list(
                s.exec(
                    select(ContractVersionRow)
                    .where(col(ContractVersionRow.contract_id) == contract.id)
                    .order_by(col(ContractVersionRow.number))
                )
            )

    def version(self, name: str, which: str | int = "latest") -> ContractVersionRow:
        """``which``: a version number, ``latest`` or ``approved``."""
        versions = self.versions(name)
        key = self.contract(name).key
        if which == "latest":
            return versions[-1]
        if which == "approved":
            approved = [v for v in versions if v.status == APPROVED]
            if not approved:
                raise InputError(f"{key} has no approved version yet (see `slamodeler ws history`)")
            return approved[-1]
        try:
            number = int(which)
        except ValueError:
            raise InputError(
                f"{key}@{which}: give a version number, `latest` or `approved`"
            ) from None
        for v in versions:
            if v.number == number:
                return v
        raise InputError(f"{key} has no version {number} (versions 1 to {versions[-1].number})")

    def version_by_id(self, ident: int) -> tuple[ContractRow, ContractVersionRow]:
        with self._reading() as s:
            version = s.get(ContractVersionRow, ident)
            if version is None:
                raise InputError(f"no contract version with id {ident} in {self.path.name}")
            contract = s.get(ContractRow, version.contract_id)
            assert contract is not None
            return contract, version

    def contract_of(self, version: ContractVersionRow) -> Contract:
        return codec.contract_from_body(version.body, f"{self.path.name}: version {version.id}")

    def add_version(
        self,
        key: str,
        contract: Contract,
        author: str,
        reason: str,
        parent: ContractVersionRow | None = None,
    ) -> tuple[ContractVersionRow, bool]:
        """A new draft of contract ``key`` (created if new), from ``parent`` (default: the latest
        version). Returns the version and whether one was added: the same terms as the parent
        add nothing."""
        body = codec.contract_body(contract)
        digest = sha256(body)
        assert digest == contract.content_hash(), "stored body must hash as the contract does"
        with self.transaction() as s:
            row = s.exec(select(ContractRow).where(col(ContractRow.key) == key)).first()
            if row is None:
                check_key(key, "contract key")
                row = ContractRow(key=key, created_at=now(), created_by=author)
                s.add(row)
                s.flush()
                latest = None
            else:
                latest = s.exec(
                    select(ContractVersionRow)
                    .where(col(ContractVersionRow.contract_id) == row.id)
                    .order_by(col(ContractVersionRow.number).desc())
                ).first()
            parent = parent or latest
            if parent is not None and parent.content_hash == digest:
                return parent, False
            changes = self._changes(parent, contract) if parent else []
            assert row.id is not None
            version = ContractVersionRow(
                contract_id=row.id,
                number=(latest.number + 1) if latest else 1,
                name=contract.name,
                body=body,
                content_hash=digest,
                author=author,
                created_at=now(),
                reason=reason,
                parent_id=parent.id if parent else None,
                status=DRAFT,
                changes=canonical_json(changes),
                weakening=sum(c["weakens"] for c in changes),
            )
            s.add(version)
            s.flush()
            self._audit(
                s,
                author,
                "add version",
                f"{key}@{version.number}",
                {
                    "version_id": version.id,
                    "content_hash": digest,
                    "parent": parent.number if parent else None,
                    "reason": reason,
                    "changes": len(changes),
                    "weakens": [c for c in changes if c["weakens"]],
                },
            )
            return version, True

    def edit_draft(
        self, version: ContractVersionRow, contract: Contract, author: str, reason: str
    ) -> ContractVersionRow:
        """Change a draft in place. A version in review or approved is refused: save the edit
        as a new draft instead (``add_version``)."""
        key, _ = self._key_of(version)
        with self.transaction() as s:
            row = s.get(ContractVersionRow, version.id)
            assert row is not None
            if row.status in FROZEN:
                raise InputError(
                    f"{key}@{row.number} is {row.status.replace('_', ' ')} and cannot be changed; "
                    "save the edit as a new draft (`slamodeler ws import-contract`), which keeps "
                    f"{key}@{row.number} as it is"
                )
            body = codec.contract_body(contract)
            if body == row.body:
                return row
            parent = s.get(ContractVersionRow, row.parent_id) if row.parent_id else None
            changes = self._changes(parent, contract) if parent else []
            before = row.content_hash
            row.body, row.content_hash, row.name = body, sha256(body), contract.name
            row.changes = canonical_json(changes)
            row.weakening = sum(c["weakens"] for c in changes)
            row.reason = reason
            s.add(row)
            s.flush()
            self._audit(
                s,
                author,
                "edit draft",
                f"{key}@{row.number}",
                {
                    "version_id": row.id,
                    "content_hash": row.content_hash,
                    "previous_hash": before,
                    "reason": reason,
                    "weakens": [c for c in changes if c["weakens"]],
                },
            )
            return row

    def submit(self, version: ContractVersionRow, author: str, reason: str) -> ContractVersionRow:
        key, _ = self._key_of(version)
        with self.transaction() as s:
            row = s.get(ContractVersionRow, version.id)
            assert row is not None
            if row.status != DRAFT:
                raise InputError(f"{key}@{row.number} is {row.status}: only a draft goes to review")
            self._set_status(row, IN_REVIEW, author, reason)
            s.add(row)
            s.flush()
            self._audit(
                s,
                author,
                "submit for review",
                f"{key}@{row.number}",
                {"version_id": row.id, "content_hash": row.content_hash, "reason": reason},
            )
            return row

    def approve(
        self,
        version: ContractVersionRow,
        author: str,
        reason: str,
        accept_weakening: bool = False,
    ) -> tuple[ContractVersionRow, ContractVersionRow | None, list[dict[str, Any]]]:
        """Approve a draft or a version in review. Returns it, the version it supersedes and the
        changes from that one that weaken a commitment (refused unless ``accept_weakening``)."""
        key, _ = self._key_of(version)
        if not reason.strip():
            raise InputError(
                f'approving {key}@{version.number} needs a reason (--reason "..."): it is '
                "kept in the audit log"
            )
        with self.transaction() as s:
            row = s.get(ContractVersionRow, version.id)
            assert row is not None
            if row.status in (APPROVED, SUPERSEDED):
                raise InputError(f"{key}@{row.number} is already {row.status}")
            previous = s.exec(
                select(ContractVersionRow).where(
                    col(ContractVersionRow.contract_id) == row.contract_id,
                    col(ContractVersionRow.status) == APPROVED,
                )
            ).first()
            weakens = []
            if previous is not None:
                weakens = [
                    c for c in self._changes(previous, self.contract_of(row)) if c["weakens"]
                ]
            if weakens and not accept_weakening:
                listed = "\n".join(f"  {codec.change_text(c)}" for c in weakens)
                raise InputError(
                    f"{key}@{row.number} weakens the approved {key}@{previous.number}:\n{listed}\n"
                    "approve it with --accept-weakening if that is intended (the audit log "
                    "records it); nothing was changed"
                )
            if previous is not None:
                self._set_status(previous, SUPERSEDED, author, f"superseded by {row.number}")
                s.add(previous)
            self._set_status(row, APPROVED, author, reason)
            s.add(row)
            s.flush()
            self._audit(
                s,
                author,
                "approve",
                f"{key}@{row.number}",
                {
                    "version_id": row.id,
                    "content_hash": row.content_hash,
                    "reason": reason,
                    "supersedes_id": previous.id if previous else None,
                    "supersedes": previous.number if previous else None,
                    "weakens": weakens,
                    "accepted_weakening": bool(weakens),
                },
            )
            return row, previous, weakens

    def _key_of(self, version: ContractVersionRow) -> tuple[str, ContractRow]:
        with self._reading() as s:
            contract = s.get(ContractRow, version.contract_id)
            assert contract is not None
            return contract.key, contract

    @staticmethod
    def _set_status(row: ContractVersionRow, status: str, author: str, reason: str) -> None:
        row.status, row.status_at, row.status_by, row.status_reason = status, now(), author, reason

    def _changes(self, parent: ContractVersionRow, contract: Contract) -> list[dict[str, Any]]:
        from slamodeler.domain.contract_diff import diff_contracts

        return codec.changes_data(diff_contracts(self.contract_of(parent), contract))

    # -- incident sets -------------------------------------------------------------------------

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
            known = ", ".join(r.key for r in self.incident_sets()) or "none yet"
            raise InputError(
                f"no incident set {key!r} in {self.path.name} (incident sets: {known})"
            )
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

    # -- scenarios -----------------------------------------------------------------------------

    def add_scenario(
        self, key: str, scenario: Scenario, source: str, author: str
    ) -> tuple[ScenarioRow, bool]:
        check_key(key, "scenario name")
        body = codec.scenario_body(scenario)
        digest = sha256(body)
        with self.transaction() as s:
            found = s.exec(select(ScenarioRow).where(col(ScenarioRow.key) == key)).first()
            if found is not None:
                if found.content_hash == digest:
                    return found, False
                raise InputError(
                    f"a different scenario named {key!r} is already in {self.path.name}; stored "
                    "scenarios never change: import under another name (--as NAME)"
                )
            row = ScenarioRow(
                key=key,
                name=scenario.name,
                source=source,
                body=body,
                content_hash=digest,
                imported_at=now(),
                author=author,
            )
            s.add(row)
            s.flush()
            self._audit(
                s,
                author,
                "import scenario",
                key,
                {"scenario_id": row.id, "content_hash": digest, "source": source},
            )
            return row, True

    def scenarios(self) -> list[ScenarioRow]:
        with self._reading() as s:
            return list(s.exec(select(ScenarioRow).order_by(col(ScenarioRow.key))))

    def scenario(self, key: str) -> ScenarioRow:
        with self._reading() as s:
            row = s.exec(select(ScenarioRow).where(col(ScenarioRow.key) == key)).first()
        if row is None:
            known = ", ".join(r.key for r in self.scenarios()) or "none yet"
            raise InputError(f"no scenario {key!r} in {self.path.name} (scenarios: {known})")
        return row

    def scenario_of(self, row: ScenarioRow) -> Scenario:
        return codec.scenario_from_body(row.body, f"{self.path.name}: scenario {row.key}")

    # -- runs ----------------------------------------------------------------------------------

    def add_run(self, run: RunRow, subject: str) -> RunRow:
        """Store a finished run (``result`` canonical JSON; its hash is computed here)."""
        run.result_hash = sha256(run.result)
        with self.transaction() as s:
            s.add(run)
            s.flush()
            self._audit(
                s,
                run.author,
                "run",
                f"run {run.id}",
                {
                    "run_id": run.id,
                    "kind": run.kind,
                    "contract": subject,
                    "contract_hash": run.contract_hash,
                    "incident_set_hash": run.incident_set_hash,
                    "scenario_hash": run.scenario_hash,
                    "seed": run.seed,
                    "trials": run.trials,
                    "result_hash": run.result_hash,
                },
            )
            return run

    def runs(self) -> list[RunRow]:
        with self._reading() as s:
            return list(s.exec(select(RunRow).order_by(col(RunRow.id))))

    def run(self, ident: int) -> RunRow:
        with self._reading() as s:
            row = s.get(RunRow, ident)
        if row is None:
            raise InputError(f"no run {ident} in {self.path.name} (see `slamodeler ws list`)")
        return row

    def incident_set_by_id(self, ident: int) -> IncidentSetRow:
        with self._reading() as s:
            row = s.get(IncidentSetRow, ident)
        assert row is not None
        return row

    def scenario_by_id(self, ident: int) -> ScenarioRow:
        with self._reading() as s:
            row = s.get(ScenarioRow, ident)
        assert row is not None
        return row

    # -- verify --------------------------------------------------------------------------------

    def verify(self) -> VerifyReport:
        """Check the audit chain, its recorded head, and that every stored version, incident
        set, scenario and run is what the audit log recorded when it was written."""
        started = time.perf_counter()
        problems: list[str] = []
        with self._reading() as s:
            integrity = s.connection().exec_driver_sql("PRAGMA integrity_check").scalar()
            if integrity != "ok":
                problems.append(f"SQLite integrity check: {integrity}")
        entries = self.audit_entries()
        chain, last = chain_problems(entries)
        problems += chain
        head = self.meta("audit_head")
        if last is not None and head != f"{last.seq}:{last.hash}":
            problems.append(
                f"the audit log ends at entry {last.seq}, but the workspace recorded entry "
                f"{(head or '?').split(':')[0]} as its last (entries removed from the end?)"
            )
        recorded = _recorded(entries)
        problems += self._check_versions(recorded)
        checked = {
            "audit entries": len(entries),
            "contract versions": sum(len(v) for _, v in self.contracts()),
        }
        for kind, rows, digest, what in (
            (
                "incident_set",
                self.incident_sets(),
                self.incident_set_digest,
                "incident set",
            ),
            ("scenario", self.scenarios(), lambda r: sha256(r.body), "scenario"),
            ("run", self.runs(), lambda r: sha256(r.result), "run"),
        ):
            checked[what + "s"] = len(rows)
            seen = set()
            for row in rows:
                name = f"{what} {getattr(row, 'key', row.id)}"
                seen.add(row.id)
                stored = row.result_hash if kind == "run" else row.content_hash
                if digest(row) != stored:
                    problems.append(f"{name}: its content does not match its hash (changed)")
                logged = recorded.hashes.get((kind, row.id))
                if logged is None:
                    problems.append(f"{name}: not in the audit log (added outside the application)")
                elif logged != stored:
                    problems.append(f"{name}: differs from what the audit log recorded")
            for k, ident in recorded.hashes:
                if k == kind and ident not in seen:
                    problems.append(
                        f"{what} with id {ident}: in the audit log but missing (deleted)"
                    )
        checked["seconds"] = round(time.perf_counter() - started, 3)  # type: ignore[assignment]
        return VerifyReport(self.path, len(entries), last.hash if last else None, checked, problems)

    def _check_versions(self, recorded: _Recorded) -> list[str]:
        problems = []
        seen = set()
        for contract, versions in self.contracts():
            for v in versions:
                name = f"{contract.key}@{v.number}"
                seen.add(v.id)
                if sha256(v.body) != v.content_hash:
                    problems.append(f"{name}: its terms do not match their hash (changed)")
                logged = recorded.hashes.get(("version", v.id))
                if logged is None:
                    problems.append(f"{name}: not in the audit log (added outside the application)")
                    continue
                if logged != v.content_hash:
                    problems.append(f"{name}: differs from what the audit log recorded")
                status = recorded.status.get(v.id)
                if status != v.status:
                    problems.append(
                        f"{name}: status {v.status}, but the audit log says {status} (changed)"
                    )
        for k, ident in recorded.hashes:
            if k == "version" and ident not in seen:
                problems.append(
                    f"contract version with id {ident}: in the audit log but missing (deleted)"
                )
        return problems


@dataclass
class _Recorded:
    hashes: dict[tuple[str, int], str] = field(default_factory=dict)
    status: dict[int, str] = field(default_factory=dict)


def _recorded(entries: list[Entry]) -> _Recorded:
    """What the audit log says the data is: each object's last recorded hash, each version's
    status."""
    out = _Recorded()
    for e in entries:
        try:
            d = e.data
        except ValueError:
            continue
        if not isinstance(d, dict):
            continue
        if "version_id" in d:
            out.hashes["version", d["version_id"]] = d.get("content_hash")
            out.status[d["version_id"]] = {
                "add version": DRAFT,
                "edit draft": DRAFT,
                "submit for review": IN_REVIEW,
                "approve": APPROVED,
            }.get(e.action, out.status.get(d["version_id"], DRAFT))
            if e.action == "approve" and d.get("supersedes_id") is not None:
                out.status[d["supersedes_id"]] = SUPERSEDED
        for kind in ("incident_set", "scenario"):
            if f"{kind}_id" in d:
                out.hashes[kind, d[f"{kind}_id"]] = d.get("content_hash")
        if "run_id" in d and e.action == "run":
            out.hashes["run", d["run_id"]] = d.get("result_hash")
    return out
