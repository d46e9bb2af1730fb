"""Fee sets and ticket sets (schema 4): a workspace written by the release before them (schema 3:
tests/data/workspace_schema3.sql, made by `ws init`, `ws import-contract support_cloud.yaml`,
`ws import-incidents incidents_sample.csv --as h` and two `ws replay`s, the second with a ticket
export and a fee file) upgrades without loss and takes sets; a set changed behind the
application's back fails `ws verify` and the rerun of a run that read it."""

from __future__ import annotations

import json
import sqlite3

from slamodeler.store.migrations import SCHEMA_VERSION
from slamodeler.store.workspace import Workspace
from tests.helpers.cli import run
from tests.helpers.paths import TEST_DATA
from tests.helpers.support_contract import TICKETS, march_fees

OLD_TABLES = ("contract", "contract_version", "incident_set", "incident", "scenario", "run")


def _schema3(tmp_path):
    path = tmp_path / "old.slamws"
    db = sqlite3.connect(path)
    db.executescript((TEST_DATA / "workspace_schema3.sql").read_text(encoding="utf-8"))
    db.close()
    return path


def _rows(path) -> dict[str, list[tuple]]:
    db = sqlite3.connect(path)
    try:
        return {t: db.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in OLD_TABLES}
    finally:
        db.close()


def test_a_schema_3_workspace_upgrades_without_loss_and_takes_sets(tmp_path, capsys):
    path = _schema3(tmp_path)
    before = _rows(path)
    db = sqlite3.connect(path)
    audit = db.execute("SELECT * FROM audit ORDER BY seq").fetchall()
    db.close()
    assert before["run"] and len(before["incident"]) == 14
    code, out, err = run(capsys, "ws", "verify", "--ws", path)
    assert code == 0, out
    assert f"upgraded from workspace schema 3 to {SCHEMA_VERSION}" in err
    assert "fee sets 0, ticket sets 0, runs 2" in out
    assert _rows(path) == before
    with Workspace.open(path, readonly=True) as ws:
        assert ws.schema_version == SCHEMA_VERSION == 4
        entries = ws.audit_entries()
    assert [(e.seq, e.hash) for e in entries[: len(audit)]] == [(a[0], a[7]) for a in audit]
    assert entries[-1].action == "migrate schema" and entries[-1].data["from"] == 3
    code, out, _ = run(capsys, "ws", "rerun", "1", "--ws", path, "--author", "ana")
    assert code == 0 and "reproduced exactly" in out
    code, out, _ = run(capsys, "ws", "list", "--ws", path)
    assert "2  replay support_cloud@1 on h with tickets_sample.csv and fees.csv" in out

    common = ("--ws", path, "--author", "ana")
    assert run(capsys, "ws", "add-fees", "march", march_fees(tmp_path), *common)[0] == 0
    assert run(capsys, "ws", "add-tickets", "tix", TICKETS, *common)[0] == 0
    code, out, err = run(capsys, "ws", "replay", "support_cloud@1", "h", *common,
                         "--tickets", "tix", "--fees", "march", "--format", "json")  # fmt: skip
    assert code == 0, err
    bronze = next(t for t in json.loads(out)["tiers"] if t["tier"] == "Bronze")
    march = next(p for p in bronze["periods"] if p["period"] == "2024-03")
    assert march["credit_owed"] == "360.00"  # 12% of the set's 3,000
    code, out, _ = run(capsys, "ws", "verify", "--ws", path)
    assert code == 0 and "fee sets 1, ticket sets 1, runs 3" in out, out


def _tamper(path, statement: str) -> None:
    db = sqlite3.connect(path)
    db.execute(statement)
    db.commit()
    db.close()


def test_a_set_changed_behind_the_application_fails_verify_and_rerun(ws, tmp_path, capsys):
    fees = tmp_path / "double.csv"
    fees.write_text("tier,month,fee\nBronze,2027-01,3000\n", encoding="utf-8")
    assert run(capsys, "ws", "add-fees", "double", fees, "--ws", ws)[0] == 0
    assert run(capsys, "ws", "add-tickets", "tix", TICKETS, "--ws", ws)[0] == 0
    code, _, err = run(capsys, "ws", "simulate", "three_tier_cloud@1", "baseline", "--ws", ws,
                       "--trials", "50", "--fees", "double")  # fmt: skip
    assert code == 0, err
    _tamper(ws, """UPDATE fee_set SET body = replace(body, '"3000"', '"30"')""")
    code, out, _ = run(capsys, "ws", "verify", "--ws", ws)
    assert code == 3 and "fee set double: its content does not match its hash (changed)" in out
    code, _, err = run(capsys, "ws", "rerun", "1", "--ws", ws)
    assert code == 2
    assert (
        "run 1 cannot be reproduced: the fee set double no longer has the hash the run used" in err
    )
    _tamper(ws, "UPDATE ticket_set SET author = 'mallory'")
    code, out, _ = run(capsys, "ws", "verify", "--ws", ws)
    assert "ticket set tix: differs from what the audit log recorded (its name, source" in out
