"""How the workspace's transactions meet SQLite: reads take no lock a writer holds, writes take
the write lock at once, and the write-ahead log is checkpointed by commits and at close, never by
a read that happens to close the last connection (sqlite_file.held_connection)."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from slamodeler.store.workspace import Workspace
from tests.helpers.workspace import sample_contract, synthetic_incidents


@pytest.fixture
def ws(tmp_path: Path):
    workspace = Workspace.create(tmp_path / "w.slamws", "ana")
    workspace.add_version("three_tier_cloud", sample_contract(), "ana", "first")
    yield workspace
    workspace.close()


def test_a_read_does_not_wait_for_a_writer(ws):
    """Another connection holds the write lock (a worker storing an import): a read goes on at
    once, on the snapshot before that write, where it used to wait for the lock."""
    other = sqlite3.connect(ws.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE meta SET value = 'changed' WHERE key = 'created_by_engine'")
        start = time.monotonic()
        assert len(ws.contracts()) == 1
        assert ws.meta("created_by_engine") != "changed"  # the write is not committed
        assert time.monotonic() - start < 1.0  # the busy timeout is 5 s
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_write_takes_the_write_lock_at_once(ws):
    """A write begins ``BEGIN IMMEDIATE``: with the lock held elsewhere, even its first
    statement, a read, waits for it (a write later in it can then not fail on another's
    commit)."""
    other = sqlite3.connect(ws.path, isolation_level=None, check_same_thread=False)
    began = threading.Event()
    other.execute("BEGIN IMMEDIATE")

    def release() -> None:
        began.wait(5)
        time.sleep(0.2)
        other.execute("ROLLBACK")

    releaser = threading.Thread(target=release)
    releaser.start()
    try:
        start = time.monotonic()
        began.set()
        with ws.transaction() as s:
            s.connection().exec_driver_sql("SELECT 1")  # a read, the first statement
            waited = time.monotonic() - start
        assert waited >= 0.15  # it waited for the lock before its first statement ran
    finally:
        releaser.join()
        other.close()


def test_a_write_cannot_begin_inside_a_read(ws):
    with ws._reading(), pytest.raises(RuntimeError, match="inside a read"), ws.transaction():
        pass


def test_reads_nested_in_a_write_see_its_changes(ws):
    with ws.transaction():
        ws.add_incident_set("synthetic", synthetic_incidents(10), "ana")
        assert [row.key for row in ws.incident_sets()] == ["synthetic"]


def test_a_read_after_a_write_leaves_the_log_to_the_commits_and_the_close(ws):
    """With a connection per transaction, a read closing after a write closed the last
    connection: SQLite checkpointed the whole log there and deleted it. The held connection
    keeps the log (checkpointed by commits as it grows) until the workspace closes."""
    wal = ws.path.with_name(ws.path.name + "-wal")
    ws.add_incident_set("synthetic", synthetic_incidents(2000), "ana")
    ws.incident_sets()
    assert wal.exists()
    ws.close()
    assert not wal.exists()  # checkpointed into the file by the last close
    with Workspace.open(ws.path, readonly=True) as again:
        assert [row.key for row in again.incident_sets()] == ["synthetic"]
