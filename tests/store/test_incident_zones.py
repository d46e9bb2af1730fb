"""Incident sets keep each incident's availability zone (schema 3): a workspace of schema 2
migrates without loss, its sets keep their hashes, and a stored set replays under a k-of-n
contract as its file does."""

from __future__ import annotations

import json
import sqlite3

from slamodeler.cli.main import main
from slamodeler.io.incident_import import import_incidents
from slamodeler.store.migrations import SCHEMA_VERSION
from slamodeler.store.workspace import Workspace
from tests.helpers.paths import SAMPLES, TEST_DATA

REGION = SAMPLES / "real" / "aws_ec2_region.yaml"
HISTORY = """id,start,end,impact,service,region,zone,title
Z-1,2025-03-05T10:00:00Z,2025-03-05T11:00:00Z,full,ec2,us-east-1,use1-az1,az1 unreachable
Z-2,2025-03-05T10:40:00Z,2025-03-05T11:30:00Z,partial,ec2,us-east-1,use1-az2,az2 degraded
Z-3,2025-03-05T10:00:00Z,2025-03-05T12:00:00Z,full,ec2,us-east-1,use1-az3,not the customer's
Z-4,2025-03-12T08:00:00Z,2025-03-12T14:00:00Z,full,ec2,us-east-1,use1-az4,one zone alone
Z-5,2025-03-20T09:00:00Z,2025-03-20T09:05:00Z,full,ec2,us-east-1,,the whole region
"""


def _schema2(tmp_path):
    """A workspace written by the release before zones were kept: an incident set (from a file
    with a zone column, which it dropped), a contract and a stored replay."""
    path = tmp_path / "old.slamws"
    db = sqlite3.connect(path)
    db.executescript((TEST_DATA / "workspace_schema2.sql").read_text(encoding="utf-8"))
    db.close()
    return path


def test_a_schema_2_workspace_migrates_keeping_every_incident_and_hash(tmp_path, capsys):
    path = _schema2(tmp_path)
    db = sqlite3.connect(path)
    before = db.execute("SELECT * FROM incident ORDER BY id").fetchall()
    [stored_hash] = db.execute("SELECT content_hash FROM incident_set").fetchone()
    db.close()
    with Workspace.open(path) as ws:
        assert ws.migrated_from == 2 and ws.schema_version == SCHEMA_VERSION
        row = ws.incident_set("h")
        back = ws.load_incidents(row)
        assert [
            (i.id, i.start, i.end, str(i.impact), i.service, i.region, i.title, i.zone)
            for i in back.incidents
        ] == [(r[3], r[4], r[5], r[6], r[9], r[10], r[11], "") for r in before]
        assert row.content_hash == stored_hash == ws.incident_set_digest(row)
        report = ws.verify()
        assert report.ok, report.problems
    assert main(["ws", "rerun", "1", "--ws", str(path), "--author", "ana"]) == 0
    assert "reproduced" in capsys.readouterr().out.lower()
    db = sqlite3.connect(path)
    after = db.execute("SELECT * FROM incident ORDER BY id").fetchall()
    db.close()
    assert after == [(*r, "") for r in before]


def test_a_stored_set_keeps_its_zones_and_replays_as_its_file_does(tmp_path, capsys):
    history = tmp_path / "zones.csv"
    history.write_text(HISTORY, encoding="utf-8")
    ws = ["--ws", str(tmp_path / "z.slamws"), "--author", "ana"]
    assert main(["ws", "init", *ws]) == 0
    assert main(["ws", "import-contract", str(REGION), "--as", "ec2", *ws]) == 0
    assert main(["ws", "import-incidents", str(history), "--as", "h", *ws]) == 0
    capsys.readouterr()
    assert main(["replay", str(REGION), str(history), "--format", "json"]) == 0
    from_file = json.loads(capsys.readouterr().out)
    assert main(["ws", "replay", "ec2@1", "h", "--format", "json", *ws]) == 0
    from_workspace = json.loads(capsys.readouterr().out)
    assert from_workspace["tiers"] == from_file["tiers"]
    [march] = from_file["tiers"][0]["periods"]
    assert march["zones_down"] == {"(every zone)": 5, "use1-az1": 20, "use1-az2": 20}
    with Workspace.open(tmp_path / "z.slamws", readonly=True) as opened:
        stored = opened.load_incidents(opened.incident_set("h")).incidents
    assert stored == import_incidents(history).incidents
    assert [i.zone for i in stored] == ["use1-az1", "use1-az2", "use1-az3", "use1-az4", ""]
