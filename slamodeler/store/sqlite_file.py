"""The workspace file as SQLite sees it: checked before SQLite touches it, then opened with the
settings that make a kill safe (WAL, ``synchronous=FULL``) and readers lock-free (``mode=ro``).
Paths reach SQLite as they are (a writer) or quoted in a URI (a reader), never through a URL
that would read ``?`` or ``#`` in a file name."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.pool import NullPool

from slamodeler.domain.errors import InputError

SUFFIX = ".slamws"
SQLITE_MAGIC = b"SQLite format 3\x00"


def check_not_special(path: Path) -> None:
    """Refuse a path that is there and is neither a file nor a folder: a device, a pipe or a
    socket, which SQLite would read forever (a pipe) or a workspace made there would be lost
    in (a device)."""
    if path.exists() and not path.is_file() and not path.is_dir():
        raise InputError(
            f"{path}: is not a file (a device, a pipe or a socket); a workspace is a file, so "
            "give it another name"
        )


def check_file(path: Path) -> None:
    """Refuse what is not a whole SQLite file, before SQLite touches it."""
    if not path.exists():
        raise InputError(
            f"{path}: no such workspace; create one with `slamodeler ws init --ws {path}`"
        )
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a workspace file")
    check_not_special(path)
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


def holds_nothing(path: Path) -> bool:
    """An empty file, or an SQLite file without a single table: what a `ws init` killed before
    its first commit leaves. A new workspace may take its place: there is nothing to lose."""
    try:
        if not path.is_file():  # a folder, a device, a pipe: never a workspace to take over
            return False
        if path.stat().st_size == 0:
            return True
        check_file(path)
    except (OSError, InputError):
        return False
    engine = open_engine(path, readonly=True)
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar() == 0
    except exc.DBAPIError:
        return False
    finally:
        engine.dispose()


def writable(path: Path) -> bool:
    """Write permission as the file's mode says it (root may write anything, but should not
    write to a file someone made read-only)."""
    mode = path.stat().st_mode
    return bool(mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) and os.access(path, os.W_OK)


def sqlite_uri(path: Path) -> str:
    """A read-only SQLite URI for ``path``, whatever its name holds (``?``, ``#``, ``%41``: quoted,
    so that none is read as a query, a fragment or an escape). In a folder that cannot be
    written, a workspace closed cleanly (no ``-wal`` file) is opened immutable: SQLite then needs
    no ``-shm`` file beside it, which such a folder cannot hold. Left ``-wal`` and ``-shm``
    files are read as they are (their changes are the workspace's latest)."""
    params = "mode=ro"
    wal = path.with_name(path.name + "-wal")
    if not os.access(path.parent, os.W_OK) and not wal.exists():
        params += "&immutable=1"
    return f"file:{quote(path.absolute().as_posix())}?{params}"


WRITES = "slamodeler_writes"  # the execution option a writing transaction's engine has


def open_engine(path: Path, readonly: bool) -> Engine:
    """An engine with a connection per transaction. A transaction begins ``BEGIN IMMEDIATE``
    (the write lock, taken at once, so a write never fails half-way on another's commit) when
    its connection has the ``WRITES`` option; a read begins deferred: in write-ahead-log mode it
    reads a snapshot, and neither waits for a writer nor holds one up (the GUI thread's reads
    waited up to 0.75 s on a worker storing a large import)."""
    target = sqlite_uri(path) if readonly else str(path)
    engine = create_engine(
        "sqlite+pysqlite://",
        poolclass=NullPool,
        creator=lambda: sqlite3.connect(target, uri=readonly),
    )

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
        writes = not readonly and conn.get_execution_options().get(WRITES, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    return engine


def held_connection(path: Path) -> sqlite3.Connection:
    """A connection to hold open, idle, while the workspace is open. SQLite checkpoints the
    write-ahead log into the file, and deletes it, when the last connection to the file
    closes; with a connection per transaction, that was whichever read closed first after a
    write, often one on the GUI thread (after a large import, tens of milliseconds of copying
    there). Held, the log is checkpointed as it grows, by the commit that passes SQLite's
    threshold, and once more when this connection closes, with the workspace."""
    held = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    held.execute("PRAGMA busy_timeout = 5000")
    held.execute("SELECT count(*) FROM sqlite_master").fetchone()  # attaches to the log's index
    return held
