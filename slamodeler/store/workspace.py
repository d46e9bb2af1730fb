"""The workspace: one SQLite file (``.slamws``) holding contracts and their versions, incident
sets, scenarios, fee and ticket sets, runs and the audit log (docs/workspace.md).

:class:`Workspace` opens and closes the file; what it holds is read and written by its parts:
transactions and the audit log (transactions.py), contract versions and their change control
(contract_versions.py), incident sets, scenarios, runs, and verify (verification.py).

Safety, as the file is opened:
- the file is checked before anything is written to it: an SQLite header, a size that matches the
  header (not truncated), SQLite's quick check, our ``meta`` table, a schema this version knows
  (sqlite_file.py, then ``Workspace.open``);
- a writer takes ``FILE.lock`` (slamodeler/store/lock.py): one writer at a time; readers open the
  file read-only (``mode=ro``) and need no lock;
- WAL journal, ``synchronous=FULL``, foreign keys on, a busy timeout; every user action is one
  ``BEGIN IMMEDIATE`` transaction with its audit entry in it, so a kill leaves the last committed
  state and the audit log agreeing with the data.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import exc
from sqlmodel import SQLModel

from slamodeler import __version__
from slamodeler.domain.errors import InputError
from slamodeler.store.contract_versions import ContractVersions
from slamodeler.store.incident_sets import IncidentSets
from slamodeler.store.lock import WriterLock
from slamodeler.store.migrations import SCHEMA_VERSION, create_triggers, migrate
from slamodeler.store.row_hashes import all_row_hashes
from slamodeler.store.run_input_sets import RunInputSets
from slamodeler.store.runs import Runs
from slamodeler.store.scenarios import Scenarios
from slamodeler.store.sqlite_file import (
    SUFFIX,
    check_file,
    check_not_special,
    holds_nothing,
    open_engine,
    writable,
)
from slamodeler.store.tables import Meta
from slamodeler.store.transactions import now
from slamodeler.store.verification import Verification, VerifyReport

__all__ = ["SUFFIX", "VerifyReport", "Workspace", "now"]  # where the services import them

GENESIS_ACTION = "create workspace"


class Workspace(Verification, ContractVersions, IncidentSets, Scenarios, RunInputSets, Runs):
    """Open with ``Workspace.open(path)`` (or ``create``); close, or use as a context manager."""

    @classmethod
    def create(cls, path: str | Path, actor: str, *, signing_key: bytes | None = None) -> Workspace:
        """A new workspace; with ``signing_key``, every entry it writes is signed."""
        path = Path(path)
        check_not_special(path)
        if path.exists() and not holds_nothing(path):
            raise InputError(f"{path}: already exists; open it, or choose another file name")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{path.parent}: cannot create the folder ({exc.strerror})") from None
        lock = WriterLock(path)
        lock.acquire()
        created = False
        try:
            if path.exists() and not holds_nothing(path):  # made by another process meanwhile
                raise InputError(f"{path}: already exists; open it, or choose another file name")
            created = True
            ws = cls(path, open_engine(path, False), False, lock)
            ws.signing_key = signing_key
            with ws.transaction() as s:
                conn = s.connection()
                SQLModel.metadata.create_all(conn)
                create_triggers(conn)
                s.add(Meta(key="schema_version", value=str(SCHEMA_VERSION)))
                s.add(Meta(key="created_at", value=now()))
                s.add(Meta(key="created_by_engine", value=__version__))
                ws._audit(s, actor, GENESIS_ACTION, path.name, {"schema": SCHEMA_VERSION})
            ws.hold_open()
            return ws
        except BaseException:
            if created:
                for leftover in (path, *(path.with_name(path.name + x) for x in ("-wal", "-shm"))):
                    leftover.unlink(missing_ok=True)
            lock.release()
            raise

    @classmethod
    def open(
        cls, path: str | Path, *, readonly: bool = False, signing_key: bytes | None = None
    ) -> Workspace:
        """Open an existing workspace; an older schema is migrated first (that needs write
        access, even for a read-only open). Bad files raise InputError and are left as they were.
        With ``signing_key``, every entry written is signed (the upgrade's too)."""
        path = Path(path)
        check_file(path)
        found = cls._probe(path)
        if found > SCHEMA_VERSION:
            raise InputError(
                f"{path}: made by a newer SLA Modeler (workspace schema {found}; this version, "
                f"{__version__}, reads up to schema {SCHEMA_VERSION}); open it with a newer "
                "SLA Modeler. The file was not changed."
            )
        migrated_from = None
        if found < SCHEMA_VERSION:
            if not writable(path):
                raise InputError(
                    f"{path}: made by an older SLA Modeler (schema {found}) and read-only, so it "
                    "cannot be upgraded; make it writable (or copy it) and open it again"
                )
            ws = cls._open(path, readonly=False)
            ws.signing_key = signing_key
            try:
                ws._migrate(found)
            finally:
                ws.close()
            migrated_from = found
        ws = cls._open(path, readonly=readonly)
        ws.migrated_from = migrated_from
        ws.signing_key = signing_key
        return ws

    @classmethod
    def _probe(cls, path: Path) -> int:
        """Schema version, read through a read-only connection (nothing is written)."""
        engine = open_engine(path, readonly=True)
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
            if not os.access(path.parent, os.W_OK):  # not damage: SQLite needs -shm beside it
                raise InputError(
                    f"{path}: cannot be read in a folder that cannot be written while its latest "
                    f"changes are in {path.name}-wal without {path.name}-shm ({err.orig}); copy "
                    "the workspace and its -wal file to a folder you can write and open the copy"
                ) from None
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
            if not writable(path):
                raise InputError(
                    f"{path}: the workspace file is read-only; make it writable to change it "
                    "(commands that only read still work). Nothing was changed."
                )
            lock = WriterLock(path)
            lock.acquire()
        try:
            ws = cls(path, open_engine(path, readonly), readonly, lock)
            ws.hold_open()
            return ws
        except BaseException:
            if lock:
                lock.release()
            raise

    def _migrate(self, found: int) -> None:
        """Upgrade, and record every row's hash as found, so the chain covers them from now on."""
        with self.transaction() as s:
            passed = migrate(s.connection(), found)
            self._audit(
                s,
                "slamodeler",
                "migrate schema",
                self.path.name,
                {
                    "from": found,
                    "to": SCHEMA_VERSION,
                    "through": passed,
                    "rows": all_row_hashes(s.connection()),
                },
            )

    def close(self) -> None:
        self._engine.dispose()
        self.close_held()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
