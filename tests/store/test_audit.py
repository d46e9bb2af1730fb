"""The audit log's hash chain, and `verify` catching edits made with the sqlite3 module behind
the application's back: to the log itself (UPDATE, DELETE, reordering) and to the data it vouches
for."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from slamodeler.store.audit import GENESIS, Entry, canonical_json, chain_problems, entry_hash
from slamodeler.store.codec import contract_body
from slamodeler.store.workspace import Workspace
from tests.helpers.workspace import (
    drop_guards,
    raw,
    restore_guards,
    sample_contract,
    strengthened,
    synthetic_incidents,
)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A closed workspace with history: 2 versions (one approved), an incident set; 6 entries."""
    path = tmp_path / "w.slamws"
    with Workspace.create(path, "ana") as ws:
        v1, _ = ws.add_version("c", sample_contract(), "ana", "first")
        ws.approve(v1, "bob", "signed")
        ws.add_version("c", strengthened(sample_contract()), "ana", "better")
        ws.add_incident_set("synthetic", synthetic_incidents(300), "ana")
        ws.record("ana", "note", "c", {"text": "a remark"})
    return path


def problems(path: Path) -> list[str]:
    with Workspace.open(path, readonly=True) as ws:
        return ws.verify().problems


def tamper(path: Path, *statements: str, params: tuple = ()) -> None:
    db = raw(path)
    drop_guards(db)
    for s in statements:
        db.execute(s, params) if params else db.execute(s)
    db.close()


def test_an_untouched_workspace_verifies(path):
    with Workspace.open(path, readonly=True) as ws:
        report = ws.verify()
        assert report.ok, report.problems
        assert report.entries == 6
        assert report.head == ws.audit_entries()[-1].hash


def test_each_entry_hashes_its_canonical_form_including_the_previous_hash(path):
    with Workspace.open(path, readonly=True) as ws:
        entries = ws.audit_entries()
    assert entries[0].prev_hash == GENESIS
    for before, entry in itertools.pairwise(entries):
        assert entry.prev_hash == before.hash
    e = entries[2]
    assert e.hash == entry_hash(e.seq, e.at, e.actor, e.action, e.subject, e.details, e.prev_hash)
    # the hash changes with any field, the previous hash included
    assert e.hash != entry_hash(e.seq, e.at, e.actor, e.action, e.subject, e.details, GENESIS)
    assert e.hash != entry_hash(
        e.seq + 1, e.at, e.actor, e.action, e.subject, e.details, e.prev_hash
    )


def test_verify_catches_an_update_of_an_entry(path):
    tamper(path, "UPDATE audit SET actor = 'mallory' WHERE seq = 3")
    found = problems(path)
    assert any("entry 3" in p and "does not match its hash" in p for p in found), found


def test_verify_catches_an_update_that_also_rewrites_the_entry_hash(path):
    """Recomputing the edited entry's own hash breaks the link from the next one."""
    [row] = [r for r in _entries(path) if r.seq == 3]
    details = canonical_json({**row.data, "reason": "not signed"})
    new = entry_hash(row.seq, row.at, row.actor, row.action, row.subject, details, row.prev_hash)
    tamper(
        path,
        "UPDATE audit SET details = ?, hash = ? WHERE seq = 3",
        params=(details, new),
    )
    found = problems(path)
    assert any("entry 4" in p and "does not follow" in p for p in found), found


def test_verify_catches_a_deleted_entry(path):
    tamper(path, "DELETE FROM audit WHERE seq = 4")
    found = problems(path)
    assert any("entry 4 missing" in p for p in found), found
    assert any("entry 5" in p and "does not follow" in p for p in found), found


def test_verify_catches_entries_deleted_from_the_end(path):
    tamper(path, "DELETE FROM audit WHERE seq >= 5")
    found = problems(path)
    assert any("ends at entry 4" in p and "recorded entry 6" in p for p in found), found


def test_verify_catches_a_reordering(path):
    """Entries 3 and 4 swap places (their sequence numbers swapped)."""
    tamper(
        path,
        "UPDATE audit SET seq = -3 WHERE seq = 3",
        "UPDATE audit SET seq = 3 WHERE seq = 4",
        "UPDATE audit SET seq = 4 WHERE seq = -3",
    )
    found = problems(path)
    assert any("entry 3" in p and "does not follow" in p for p in found), found
    assert any("entry 4" in p for p in found), found


def test_rows_stored_in_another_physical_order_are_still_read_in_sequence(path):
    """Order is the sequence numbers' (which the hashes cover), not the rows' order on disk."""
    rows = raw(path).execute("SELECT * FROM audit ORDER BY seq DESC").fetchall()
    db = raw(path)
    drop_guards(db)
    db.execute("DELETE FROM audit")
    db.executemany(f"INSERT INTO audit VALUES ({', '.join('?' * len(rows[0]))})", rows)
    restore_guards(db)
    db.close()
    assert problems(path) == []


def test_verify_catches_an_approved_version_edited_behind_its_back(path):
    new = strengthened(strengthened(sample_contract()))
    tamper(
        path,
        "UPDATE contract_version SET body = ?, content_hash = ? WHERE number = 1",
        params=(contract_body(new), new.content_hash()),
    )
    found = problems(path)
    assert any("c@1: differs from what the audit log recorded" in p for p in found), found


def test_verify_catches_a_status_changed_behind_its_back(path):
    tamper(path, "UPDATE contract_version SET status = 'approved' WHERE number = 2")
    found = problems(path)
    assert any("c@2: status approved, but the audit log says draft" in p for p in found), found


def test_verify_catches_an_incident_row_changed_or_deleted(path):
    tamper(path, "UPDATE incident SET end_ts = end_ts + 60 WHERE seq = 10")
    assert any("incident set synthetic: its content does not match" in p for p in problems(path))


def test_verify_catches_a_version_inserted_behind_its_back(path):
    tamper(
        path,
        "INSERT INTO contract_version (contract_id, number, name, body, content_hash, author, "
        "created_at, reason, status, changes, weakening) SELECT contract_id, 3, name, body, "
        "content_hash, 'mallory', created_at, 'x', 'approved', '[]', 0 FROM contract_version "
        "WHERE number = 1",
    )
    found = problems(path)
    assert any("c@3: not in the audit log" in p for p in found), found


def test_chain_problems_on_an_empty_log():
    assert chain_problems([]) == ([], None)


def _entries(path: Path) -> list[Entry]:
    with Workspace.open(path, readonly=True) as ws:
        return ws.audit_entries()


def test_details_are_json(path):
    for e in _entries(path):
        assert isinstance(json.loads(e.details), dict)
