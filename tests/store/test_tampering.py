"""The tampering suite: each attack made with the sqlite3 module on a copy of a signed workspace,
and what catches it: plain `ws verify`, only a head hash kept outside the file
(`--expect-head`), only the signing key (`--key-file`), or nothing. docs/workspace.md shows the
same table (a test below compares them)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from slamodeler.cli.main import main
from slamodeler.store.migrations import SCHEMA_VERSION
from slamodeler.store.row_hashes import COVERED, NOT_ROW_HASHED
from slamodeler.store.workspace import Workspace
from tests.helpers.paths import DOCS, TEST_DATA
from tests.helpers.workspace import (
    SAMPLE,
    columns,
    drop_guards,
    raw,
    restore_guards,
)

CAUGHT, PASSES = "caught", "not caught"
EVERY = (CAUGHT, CAUGHT, CAUGHT)  # plain, with the head kept, with the key


def cli(capsys, *argv: object) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> tuple[Path, Path, str]:
    """A workspace signed with a key from the start: the samples, three_tier_cloud@1 approved,
    a weakening draft @2, a replay (run 1) and a simulation (run 2). Returns the file, the key
    and the head kept outside it."""
    folder = tmp_path_factory.mktemp("tampering")
    key, path = folder / "signing.key", folder / "team.slamws"
    redline = folder / "redline.yaml"
    redline.write_text(SAMPLE.read_text().replace("target_pct: 99.9\n", "target_pct: 99.0\n", 1))
    steps = [
        ["keygen", key],
        ["init", "--samples"],
        ["approve", "three_tier_cloud@1", "--reason", "signed"],
        ["import-contract", redline, "--as", "three_tier_cloud", "--reason", "redline"],
        ["replay", "three_tier_cloud@1", "incidents_sample", "--format", "json"],
        [
            "simulate",
            "three_tier_cloud@1",
            "baseline",
            "--trials",
            "200",
            "--seed",
            "5",
            "--format",
            "json",
        ],
    ]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for step in steps:
            extra = (
                [] if step[0] == "keygen" else ["--ws", path, "--key-file", key, "--author", "ana"]
            )
            assert main(["ws", *map(str, [*step, *extra])]) == 0, step
    with Workspace.open(path, readonly=True) as ws:
        last = ws.audit_entries()[-1]
    return path, key, f"{last.seq}:{last.hash}"


# -- the forger: the public algorithm, re-implemented in a few lines -----------------------------


def _sha(value: object) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _row(db: sqlite3.Connection, table: str, ident: int) -> str:
    cur = db.execute(f'SELECT * FROM "{table}" WHERE id = ?', (ident,))
    return _sha([table, dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))])


def reseal(db: sqlite3.Connection) -> None:
    """Rewrite every recorded row hash and content hash with the rows as they are now, then
    every entry hash and the recorded head: what anyone who reads the code can do."""
    prev = "0" * 64
    for seq, at, actor, action, subject, details in db.execute(
        "SELECT seq, at, actor, action, subject, details FROM audit ORDER BY seq"
    ).fetchall():
        data = json.loads(details)
        for key in data.get("rows", {}):
            table, ident = key.split(":")
            data["rows"][key] = _row(db, table, int(ident))
        if "version_id" in data:
            (data["content_hash"],) = db.execute(
                "SELECT content_hash FROM contract_version WHERE id = ?", (data["version_id"],)
            ).fetchone()
        digest = _sha(_entry(seq, at, actor, action, subject, data, prev))
        db.execute(
            "UPDATE audit SET details = ?, prev_hash = ?, hash = ?, mac = NULL WHERE seq = ?",
            (json.dumps(data, sort_keys=True, separators=(",", ":")), prev, digest, seq),
        )
        prev = digest
    db.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{seq}:{prev}",))


def _entry(seq: int, at: str, actor: str, action: str, subject: str, data: dict, prev: str) -> dict:
    """An audit entry as the public algorithm hashes it."""
    return {
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "subject": subject,
        "details": data,
        "prev_hash": prev,
    }


def append_entry(db: sqlite3.Connection, actor: str, action: str, subject: str, data: dict) -> None:
    """A new last entry, chained and recorded as the head (unsigned: the forger has no key)."""
    seq, prev = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    at = "2030-01-01T00:00:00Z"
    entry = _entry(seq + 1, at, actor, action, subject, data, prev)
    db.execute(
        "INSERT INTO audit (seq, at, actor, action, subject, details, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (seq + 1, at, actor, action, subject, json.dumps(data, sort_keys=True), prev, _sha(entry)),
    )
    db.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{seq + 1}:{_sha(entry)}",))


# -- the attacks -----------------------------------------------------------------------------------


def edit(*statements: str) -> Callable[[sqlite3.Connection], None]:
    """Column edits, with the triggers dropped first and put back after (so only the hashes can
    tell)."""

    def attack(db: sqlite3.Connection) -> None:
        drop_guards(db)
        for s in statements:
            db.execute(s)
        restore_guards(db)

    return attack


V1 = (
    "(SELECT id FROM contract_version WHERE number = 1 AND contract_id = "
    "(SELECT id FROM contract WHERE key = 'three_tier_cloud'))"
)
V2 = V1.replace("number = 1", "number = 2")


def swap_scenario_names(db: sqlite3.Connection) -> None:
    for old, new in (("baseline", "tmp"), ("bad_year", "baseline"), ("tmp", "bad_year")):
        db.execute("UPDATE scenario SET key = ? WHERE key = ?", (new, old))


def rewrite_approved_terms(db: sqlite3.Connection) -> None:
    """The approved @1's first target raised to 99.99 (less credit owed), and the chain resealed."""
    drop_guards(db)
    (body,) = db.execute(f"SELECT body FROM contract_version WHERE id = {V1}").fetchone()
    new = body.replace('"target_pct":"99.9"', '"target_pct":"99.99"', 1)
    assert new != body
    db.execute(
        f"UPDATE contract_version SET body = ?, content_hash = ? WHERE id = {V1}",
        (new, hashlib.sha256(new.encode()).hexdigest()),
    )
    reseal(db)
    restore_guards(db)


def roll_back_the_tail(db: sqlite3.Connection) -> None:
    """The last action (run 2, the simulation) undone: its row, its entry and the head."""
    drop_guards(db)
    (last,) = db.execute("SELECT max(seq) FROM audit").fetchone()
    db.execute("DELETE FROM audit WHERE seq = ?", (last,))
    db.execute("DELETE FROM run WHERE id = 2")
    (digest,) = db.execute("SELECT hash FROM audit WHERE seq = ?", (last - 1,)).fetchone()
    db.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{last - 1}:{digest}",))
    restore_guards(db)


def forge_an_approval(db: sqlite3.Connection) -> None:
    """The weakening draft @2 approved by "bob", @1 superseded, with an entry appended."""
    drop_guards(db)
    db.execute(
        f"UPDATE contract_version SET status = 'approved', status_by = 'bob', "
        f"status_reason = 'renewal', status_at = '2030-01-01T00:00:00Z' WHERE id = {V2}"
    )
    db.execute(
        f"UPDATE contract_version SET status = 'superseded', status_by = 'bob', "
        f"status_reason = 'superseded by 2', status_at = '2030-01-01T00:00:00Z' WHERE id = {V1}"
    )
    v1, v2 = db.execute(f"SELECT {V1}, {V2}").fetchone()
    (digest,) = db.execute(
        "SELECT content_hash FROM contract_version WHERE id = ?", (v2,)
    ).fetchone()
    rows = {f"contract_version:{v}": _row(db, "contract_version", v) for v in (v1, v2)}
    append_entry(
        db,
        "bob",
        "approve",
        "three_tier_cloud@2",
        {
            "version_id": v2,
            "content_hash": digest,
            "reason": "renewal",
            "supersedes_id": v1,
            "supersedes": 1,
            "weakens": [],
            "accepted_weakening": False,
            "rows": rows,
        },
    )
    restore_guards(db)


def drop_the_triggers(db: sqlite3.Connection) -> None:
    drop_guards(db)


# name -> (attack, plain verify, with --expect-head, with --key-file)
ATTACKS: dict[str, tuple[Callable[[sqlite3.Connection], None], str, str, str]] = {
    "a run's seed edited": (edit("UPDATE run SET seed = 6 WHERE id = 2"), *EVERY),
    "a run's trials edited": (edit("UPDATE run SET trials = 20000 WHERE id = 2"), *EVERY),
    "a run's contract version edited": (
        edit(f"UPDATE run SET contract_version_id = {V2} WHERE id = 1"),
        *EVERY,
    ),
    "a version's author edited": (
        edit(f"UPDATE contract_version SET author = 'bob' WHERE id = {V1}"),
        *EVERY,
    ),
    "a version's date edited": (
        edit(f"UPDATE contract_version SET created_at = '2020-01-01T00:00:00Z' WHERE id = {V2}"),
        *EVERY,
    ),
    "a version's reason edited": (
        edit(f"UPDATE contract_version SET reason = 'routine' WHERE id = {V2}"),
        *EVERY,
    ),
    "a version's change list edited": (
        edit(f"UPDATE contract_version SET changes = '[]' WHERE id = {V2}"),
        *EVERY,
    ),
    "a version's weakening flag edited": (
        edit(f"UPDATE contract_version SET weakening = 0 WHERE id = {V2}"),
        *EVERY,
    ),
    "an approval's status_by edited": (
        edit(f"UPDATE contract_version SET status_by = 'carol' WHERE id = {V1}"),
        *EVERY,
    ),
    "an approval's status_reason edited": (
        edit(f"UPDATE contract_version SET status_reason = 'x' WHERE id = {V1}"),
        *EVERY,
    ),
    "a contract key renamed": (
        edit("UPDATE contract SET key = 'acme' WHERE key = 'three_tier_cloud'"),
        *EVERY,
    ),
    "two scenario names swapped": (swap_scenario_names, *EVERY),
    "an incident set's count edited": (edit("UPDATE incident_set SET used = 99"), *EVERY),
    "the triggers dropped": (drop_the_triggers, *EVERY),
    "approved terms rewritten and the chain resealed": (
        rewrite_approved_terms,
        PASSES,
        CAUGHT,
        CAUGHT,
    ),
    "the tail rolled back": (roll_back_the_tail, PASSES, CAUGHT, PASSES),
    "an approval forged at the end": (forge_an_approval, PASSES, PASSES, CAUGHT),
}


def verdict(capsys, path: Path, *extra: object) -> str:
    code, _, err = cli(capsys, "ws", "verify", "--ws", path, *extra)
    assert code in (0, 3), err
    return CAUGHT if code == 3 else PASSES


@pytest.mark.parametrize("name", ATTACKS)
def test_each_attack_and_what_catches_it(name, original, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SLAMODELER_SIGNING_KEY", raising=False)
    source, key, head = original
    path = tmp_path / "copy.slamws"
    shutil.copy(source, path)
    assert verdict(capsys, path, "--expect-head", head, "--key-file", key) == PASSES
    attack, plain, anchored, keyed = ATTACKS[name]
    db = raw(path)
    attack(db)
    db.close()
    assert (
        verdict(capsys, path),
        verdict(capsys, path, "--expect-head", head),
        verdict(capsys, path, "--key-file", key),
    ) == (plain, anchored, keyed)


def test_the_docs_show_the_same_table():
    """docs/workspace.md's tampering table, row for row."""
    text = (DOCS / "workspace.md").read_text()
    section = text.split("<!-- tampering table -->", 2)[1]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in ("attack", "---"):
            rows[cells[0]] = tuple(cells[1:])
    assert rows == {name: tuple(v[1:]) for name, v in ATTACKS.items()}


def test_a_forged_approval_shows_in_the_listing_until_the_key_is_checked(
    original, tmp_path, capsys
):
    """What the forged approval buys and what stops it: the messages name the entry."""
    source, key, _ = original
    path = tmp_path / "copy.slamws"
    shutil.copy(source, path)
    db = raw(path)
    forge_an_approval(db)
    db.close()
    _, out, _ = cli(capsys, "ws", "list", "--ws", path)
    assert re.search(r"three_tier_cloud\s+2\s+2 \(approved\)\s+2", out)
    code, out, _ = cli(capsys, "ws", "verify", "--ws", path, "--key-file", key)
    assert code == 3
    assert "approve three_tier_cloud@2), the last, is not signed with the key" in out


def test_the_messages_say_what_changed(original, tmp_path, capsys):
    source, _, _ = original
    path = tmp_path / "copy.slamws"
    shutil.copy(source, path)
    db = raw(path)
    edit("UPDATE run SET seed = 6 WHERE id = 2")(db)
    swap_scenario_names(db)
    db.close()
    code, out, _ = cli(capsys, "ws", "verify", "--ws", path)
    assert code == 3
    assert "run 2: differs from what the audit log recorded (its inputs, seed, trials" in out
    assert "scenario baseline: differs from what the audit log recorded (its name" in out
    assert "scenario bad_year: differs" in out


def test_a_wrong_key_and_a_wrong_head_fail_verification(original, tmp_path, capsys):
    source, _, head = original
    other = tmp_path / "other.key"
    assert cli(capsys, "ws", "keygen", other)[0] == 0
    code, out, _ = cli(capsys, "ws", "verify", "--ws", source, "--key-file", other)
    assert code == 3 and "does not match the key" in out
    seq, digest = head.split(":")
    code, out, _ = cli(
        capsys, "ws", "verify", "--ws", source, "--expect-head", f"{int(seq) - 1}:{digest}"
    )
    assert code == 3 and f"entry {int(seq) - 1} now hashes to" in out
    code, out, _ = cli(capsys, "ws", "verify", "--ws", source, "--expect-head", "0" * 64)
    assert code == 3 and "that hash is not in the audit chain" in out


def test_head_prints_the_hash_at_any_entry_and_verify_takes_it(original, capsys):
    source, key, head = original
    code, out, _ = cli(capsys, "ws", "head", "--ws", source)
    assert code == 0 and out.splitlines()[0] == head
    code, out, _ = cli(capsys, "ws", "head", "--ws", source, "--at", 3)
    assert code == 0 and out.startswith("3:")
    at3 = out.splitlines()[0]
    code, out, _ = cli(capsys, "ws", "verify", "--ws", source, "--expect-head", at3)
    assert code == 0 and "the head hash you kept is in the chain" in out
    code, out, _ = cli(capsys, "ws", "verify", "--ws", source, "--key-file", key)
    assert code == 0 and "entries signed with the key" in out
    assert f"head {head}" in out


def test_every_export_names_the_head(original, tmp_path, capsys):
    source, _, head = original
    code, out, err = cli(capsys, "ws", "export-contract", "three_tier_cloud@1", "--ws", source)
    assert code == 0 and f"# audit head {head}\n" in out
    code, _, err = cli(
        capsys,
        "ws",
        "export-contract",
        "three_tier_cloud@1",
        "--ws",
        source,
        "--out",
        tmp_path / "c.yaml",
    )
    assert code == 0 and f"audit head {head}" in err


def test_keygen_writes_a_key_only_its_owner_reads(tmp_path, capsys):
    path = tmp_path / "k"
    code, out, _ = cli(capsys, "ws", "keygen", path)
    assert code == 0 and "--key-file" in out
    assert path.stat().st_mode & 0o777 == 0o600
    assert len(bytes.fromhex(path.read_text().strip())) == 32


def test_the_key_can_be_named_by_the_environment(original, tmp_path, capsys, monkeypatch):
    source, key, _ = original
    monkeypatch.setenv("SLAMODELER_SIGNING_KEY", str(key))
    code, out, _ = cli(capsys, "ws", "verify", "--ws", source)
    assert code == 0 and "entries signed with the key" in out
    path = tmp_path / "copy.slamws"
    shutil.copy(source, path)
    db = raw(path)
    forge_an_approval(db)
    db.close()
    assert cli(capsys, "ws", "verify", "--ws", path)[0] == 3


def test_entries_written_with_the_key_are_signed_and_without_it_the_head_is_not(
    original, tmp_path, capsys, monkeypatch
):
    """A user who forgets the key leaves an unsigned tail, which verify with the key reports."""
    monkeypatch.delenv("SLAMODELER_SIGNING_KEY", raising=False)
    source, key, _ = original
    path = tmp_path / "copy.slamws"
    shutil.copy(source, path)
    assert cli(capsys, "ws", "submit", "three_tier_cloud@2", "--ws", path)[0] == 0
    code, out, _ = cli(capsys, "ws", "verify", "--ws", path, "--key-file", key)
    assert code == 3 and "were written without the key, or rewritten" in out
    assert (
        cli(
            capsys,
            "ws",
            "approve",
            "three_tier_cloud@2",
            "--ws",
            path,
            "--reason",
            "ok",
            "--accept-weakening",
            "--key-file",
            key,
        )[0]
        == 0
    )
    assert cli(capsys, "ws", "verify", "--ws", path, "--key-file", key)[0] == 0


# -- coverage: every column a user sees is in the chain ------------------------------------------

# Columns the CLI (`ws list`, `ws history`) and the GUI's workspace browser show.
SHOWN = {
    "contract": {"key"},
    "contract_version": {
        "number",
        "name",
        "status",
        "author",
        "created_at",
        "reason",
        "parent_id",
        "changes",
        "weakening",
        "status_by",
        "status_at",
        "status_reason",
        "content_hash",
    },
    "incident_set": {"key", "used", "source", "rows_read", "report", "content_hash"},
    "scenario": {"key", "name", "content_hash"},
    "run": {
        "id",
        "kind",
        "contract_version_id",
        "incident_set_id",
        "scenario_id",
        "seed",
        "trials",
        "result_hash",
        "seconds",
        "author",
        "started_at",
    },
}


def test_every_column_of_every_table_is_covered(original):
    """A new column fails here until it is added to COVERED (or its table is covered otherwise)."""
    source, _, _ = original
    found = columns(source)
    assert set(found) == set(COVERED) | set(NOT_ROW_HASHED)
    for table, names in COVERED.items():
        assert found[table] == set(names), table
    assert found["incident"] == {"id", "set_id", "seq", *_incident_columns()}
    assert found["audit"] == {
        "seq",
        "at",
        "actor",
        "action",
        "subject",
        "details",
        "prev_hash",
        "hash",
        "mac",
    }


def test_every_column_shown_is_covered():
    for table, names in SHOWN.items():
        assert names <= set(COVERED[table]), table


def _incident_columns() -> tuple[str, ...]:
    from slamodeler.store.codec import INCIDENT_COLUMNS

    return INCIDENT_COLUMNS


# -- workspaces made before: upgraded, verified, covered from then on ----------------------------


def test_a_schema_1_workspace_upgrades_verifies_and_is_covered_after(tmp_path, capsys):
    path = tmp_path / "old.slamws"
    db = raw(path)
    db.executescript((TEST_DATA / "workspace_schema1.sql").read_text())
    db.close()
    code, out, err = cli(capsys, "ws", "verify", "--ws", path)
    assert code == 0, out
    assert f"upgraded from workspace schema 1 to {SCHEMA_VERSION}" in err
    with Workspace.open(path, readonly=True) as ws:
        last = ws.audit_entries()[-1]
    assert last.action == "migrate schema" and "run:2" in last.data["rows"]
    db = raw(path)
    edit("UPDATE run SET seed = 6 WHERE id = 2")(db)
    db.close()
    code, out, _ = cli(capsys, "ws", "verify", "--ws", path)
    assert code == 3 and "run 2: differs from what the audit log recorded" in out
