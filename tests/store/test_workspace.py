"""The workspace file: what it holds, how it refuses bad files, migrations, change control."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from slamodeler.domain.errors import InputError
from slamodeler.io.contract_file import contract_from_text, contract_to_yaml, load_contract
from slamodeler.io.scenario_file import load_scenario
from slamodeler.store.codec import contract_body, contract_from_body
from slamodeler.store.migrations import SCHEMA_VERSION
from slamodeler.store.workspace import Workspace
from tests.helpers.workspace import (
    SAMPLES,
    columns,
    file_state,
    make_v0_workspace,
    raw,
    sample_contract,
    strengthened,
    synthetic_incidents,
    triggers,
    weakened,
)


@pytest.fixture
def ws(tmp_path: Path):
    workspace = Workspace.create(tmp_path / "w.slamws", "ana")
    yield workspace
    workspace.close()


def closed_workspace(tmp_path: Path, name: str = "w.slamws") -> Path:
    """A workspace with a contract and an incident set, closed (its WAL checkpointed)."""
    path = tmp_path / name
    with Workspace.create(path, "ana") as ws:
        ws.add_version("three_tier_cloud", sample_contract(), "ana", "first")
        ws.add_incident_set("synthetic", synthetic_incidents(2000), "ana")
    return path


# -- what it holds -------------------------------------------------------------------------------


def test_a_new_workspace_is_wal_with_its_schema_version_and_a_first_audit_entry(ws):
    assert ws.schema_version == SCHEMA_VERSION
    [entry] = ws.audit_entries()
    assert (entry.seq, entry.action, entry.actor) == (1, "create workspace", "ana")
    db = raw(ws.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_stored_bodies_hash_and_export_as_the_contract_files_do(ws, path):
    contract = load_contract(path)
    version, added = ws.add_version(path.stem, contract, "ana", "sample")
    assert added and version.content_hash == contract.content_hash()
    back = ws.contract_of(version)
    assert back == contract
    exported = contract_from_text(contract_to_yaml(back), "exported")
    assert exported.content_hash() == contract.content_hash()
    assert contract_body(contract_from_body(version.body, "x")) == version.body


def test_incident_sets_come_back_as_imported(ws):
    stored = synthetic_incidents(500)
    row = ws.add_incident_set("synthetic", stored, "ana")
    back = ws.load_incidents(row)
    assert back.incidents == stored.incidents
    assert back.report == stored.report
    assert ws.incident_set_digest(row) == row.content_hash


def test_an_incident_set_never_changes_a_second_import_needs_another_name(ws):
    ws.add_incident_set("synthetic", synthetic_incidents(10), "ana")
    with pytest.raises(InputError, match=r"already in .*--as NAME"):
        ws.add_incident_set("synthetic", synthetic_incidents(11), "ana")
    assert len(ws.load_incidents(ws.incident_set("synthetic")).incidents) == 10


def test_scenarios_are_stored_once_and_hash_as_simulation_reports_do(ws):
    scenario = load_scenario(SAMPLES / "scenarios" / "baseline.yaml")
    row, added = ws.add_scenario("baseline", scenario, "baseline.yaml", "ana")
    again, added_again = ws.add_scenario("baseline", scenario, "baseline.yaml", "ana")
    assert added and not added_again and again.id == row.id
    assert ws.scenario_of(row) == scenario
    other = scenario.model_copy(update={"years": scenario.years + 1})
    with pytest.raises(InputError, match=r"different scenario"):
        ws.add_scenario("baseline", other, "baseline.yaml", "ana")


def test_keys_are_checked(ws):
    with pytest.raises(InputError, match=r"use letters, digits"):
        ws.add_version("no spaces please", sample_contract(), "ana", "x")


# -- change control ------------------------------------------------------------------------------


def test_same_terms_add_no_version_and_new_terms_add_a_draft_with_its_parent(ws):
    v1, added = ws.add_version("c", sample_contract(), "ana", "first")
    same, added_again = ws.add_version("c", sample_contract(), "ana", "again")
    assert added and not added_again and same.id == v1.id
    v2, _ = ws.add_version("c", strengthened(sample_contract()), "ana", "better")
    assert (v2.number, v2.parent_id, v2.status, v2.weakening) == (2, v1.id, "draft", 0)
    assert {c["path"] for c in json.loads(v2.changes)} == {
        "tiers[Bronze].target_pct",
        "tiers[Bronze].monthly_fee",
    }


def test_a_weakening_change_is_flagged_in_the_version_and_the_audit_log(ws):
    ws.add_version("c", sample_contract(), "ana", "first")
    v2, _ = ws.add_version("c", weakened(sample_contract()), "ana", "customer asked")
    assert v2.weakening == 1
    [change] = json.loads(v2.changes)
    assert change == {
        "path": "tiers[Bronze].target_pct",
        "before": "99.5",
        "after": "99",
        "weakens": True,
        "why": "target lowered",
    }
    entry = ws.audit_entries("c")[-1]
    assert (entry.action, entry.subject) == ("add version", "c@2")
    assert entry.data["weakens"] == [change]


def test_editing_an_approved_version_is_refused_and_a_new_draft_is_the_way(ws):
    v1, _ = ws.add_version("c", sample_contract(), "ana", "first")
    ws.approve(v1, "bob", "signed")
    with pytest.raises(InputError, match=r"c@1 is approved and cannot be changed; save the edit"):
        ws.edit_draft(v1, strengthened(sample_contract()), "ana", "tweak")
    assert ws.version("c", 1).content_hash == sample_contract().content_hash()
    v2, _ = ws.add_version("c", strengthened(sample_contract()), "ana", "tweak")
    assert (v2.number, v2.parent_id, v2.status) == (2, v1.id, "draft")


def test_a_draft_is_edited_in_place_with_its_changes_recomputed(ws):
    ws.add_version("c", sample_contract(), "ana", "first")
    v2, _ = ws.add_version("c", strengthened(sample_contract()), "ana", "better")
    edited = ws.edit_draft(v2, weakened(sample_contract()), "ana", "on second thought")
    assert (edited.number, edited.weakening) == (2, 1)
    assert ws.audit_entries("c")[-1].action == "edit draft"


def test_a_version_in_review_is_frozen_too(ws):
    v1, _ = ws.add_version("c", sample_contract(), "ana", "first")
    ws.submit(v1, "ana", "please review")
    with pytest.raises(InputError, match=r"in review and cannot be changed"):
        ws.edit_draft(v1, strengthened(sample_contract()), "ana", "tweak")


def test_the_database_refuses_changes_to_an_approved_version_even_past_the_application(ws):
    v1, _ = ws.add_version("c", sample_contract(), "ana", "first")
    ws.approve(v1, "bob", "signed")
    db = raw(ws.path)
    with pytest.raises(sqlite3.IntegrityError, match=r"cannot be changed"):
        db.execute("UPDATE contract_version SET body = '{}' WHERE id = ?", (v1.id,))
    with pytest.raises(sqlite3.IntegrityError, match=r"cannot be deleted"):
        db.execute("DELETE FROM contract_version WHERE id = ?", (v1.id,))
    with pytest.raises(sqlite3.IntegrityError, match=r"append-only"):
        db.execute("DELETE FROM audit")
    db.close()


@pytest.mark.parametrize("reason", ["", "   "])
def test_approving_needs_a_reason(ws, reason):
    v1, _ = ws.add_version("c", sample_contract(), "ana", "first")
    with pytest.raises(InputError, match=r"needs a reason"):
        ws.approve(v1, "bob", reason)
    assert ws.version("c", 1).status == "draft"


def test_approving_supersedes_the_approved_version_and_records_who_and_why(ws):
    v1, _ = ws.add_version("c", sample_contract(), "ana", "first")
    ws.approve(v1, "bob", "signed")
    v2, _ = ws.add_version("c", strengthened(sample_contract()), "ana", "better")
    _, previous, weakens = ws.approve(v2, "bob", "renewal")
    assert previous is not None and previous.id == v1.id and weakens == []
    assert [v.status for v in ws.versions("c")] == ["superseded", "approved"]
    assert ws.version("c", "approved").number == 2
    entry = ws.audit_entries("c")[-1]
    assert (entry.action, entry.actor, entry.data["reason"]) == ("approve", "bob", "renewal")
    assert entry.data["supersedes"] == 1


def test_approving_a_weakening_needs_it_accepted_and_the_log_says_so(ws):
    v1, _ = ws.add_version("c", sample_contract(), "ana", "first")
    ws.approve(v1, "bob", "signed")
    v2, _ = ws.add_version("c", weakened(sample_contract()), "ana", "customer asked")
    with pytest.raises(InputError, match=r"c@2 weakens the approved c@1:\n.*target lowered"):
        ws.approve(v2, "bob", "ok")
    assert [v.status for v in ws.versions("c")] == ["approved", "draft"]
    ws.approve(v2, "bob", "ok", accept_weakening=True)
    entry = ws.audit_entries("c")[-1]
    assert entry.data["accepted_weakening"] is True
    assert [c["why"] for c in entry.data["weakens"]] == ["target lowered"]


def test_version_references(ws):
    ws.add_version("c", sample_contract(), "ana", "first")
    ws.add_version("c", strengthened(sample_contract()), "ana", "second")
    assert ws.version("c", "latest").number == 2
    assert ws.version("c", 1).number == 1
    assert ws.find_contract("Example Cloud Compute - Standard terms").key == "c"
    with pytest.raises(InputError, match=r"no approved version"):
        ws.version("c", "approved")
    with pytest.raises(InputError, match=r"has no version 7 .versions 1 to 2"):
        ws.version("c", 7)
    with pytest.raises(InputError, match=r"no contract 'x' .* \(contracts: c\)"):
        ws.version("x")


# -- bad files -----------------------------------------------------------------------------------


def test_a_file_that_is_not_a_workspace(tmp_path):
    path = tmp_path / "notes.slamws"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match=r"not an SLA Modeler workspace .not an SQLite file"):
        Workspace.open(path)
    assert path.read_text() == "a,b\n1,2\n"


def test_an_sqlite_file_that_is_not_a_workspace(tmp_path):
    path = tmp_path / "other.db"
    db = raw(path)
    db.execute("CREATE TABLE t (x)")
    db.close()
    before = file_state(path)
    with pytest.raises(InputError, match=r"an SQLite file, but not an SLA Modeler workspace"):
        Workspace.open(path)
    assert file_state(path) == before


@pytest.mark.parametrize("keep", [0.5, 0.999, 100 / 4096], ids=["half", "last-bytes", "header"])
def test_a_truncated_workspace_is_refused_and_left_as_it_is(tmp_path, keep):
    path = closed_workspace(tmp_path)
    data = path.read_bytes()
    assert not path.with_name(path.name + "-wal").exists()  # checkpointed on close
    path.write_bytes(data[: int(len(data) * keep)])
    before = file_state(path)
    with pytest.raises(InputError, match=r"truncated or damaged"):
        Workspace.open(path)
    assert file_state(path) == before


def test_a_workspace_with_a_damaged_page_is_refused(tmp_path):
    path = closed_workspace(tmp_path)
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[2 * page : 3 * page] = b"\xff" * page  # garble a b-tree page
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"damaged|not a usable"):
        Workspace.open(path)


def test_a_missing_file_and_a_folder(tmp_path):
    with pytest.raises(InputError, match=r"no such workspace; create one with"):
        Workspace.open(tmp_path / "nope.slamws")
    with pytest.raises(InputError, match=r"is a folder"):
        Workspace.open(tmp_path)
    assert not (tmp_path / "nope.slamws").exists()


def test_creating_over_an_existing_file_is_refused(tmp_path):
    path = closed_workspace(tmp_path)
    before = file_state(path)
    with pytest.raises(InputError, match=r"already exists"):
        Workspace.create(path, "ana")
    assert file_state(path) == before


def test_a_read_only_workspace_is_readable_but_not_writable(tmp_path):
    path = closed_workspace(tmp_path)
    os.chmod(path, 0o444)
    try:
        before = file_state(path)
        with pytest.raises(InputError, match=r"read-only; make it writable"):
            Workspace.open(path)
        with Workspace.open(path, readonly=True) as ws:
            assert [c.key for c, _ in ws.contracts()] == ["three_tier_cloud"]
            assert ws.verify().ok
            with pytest.raises(InputError, match=r"opened read-only"):
                ws.add_version("x", sample_contract(), "ana", "x")
        assert file_state(path) == before
    finally:
        os.chmod(path, 0o644)


# -- schema versions -----------------------------------------------------------------------------


def test_a_newer_schema_is_refused_and_the_file_is_not_changed(tmp_path):
    path = closed_workspace(tmp_path)
    db = raw(path)
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    before = file_state(path)
    for readonly in (False, True):
        with pytest.raises(
            InputError, match=rf"newer SLA Modeler .*schema {SCHEMA_VERSION}.*not changed"
        ):
            Workspace.open(path, readonly=readonly)
    assert file_state(path) == before


def test_a_schema_0_workspace_migrates_and_verifies(tmp_path):
    old = tmp_path / "old.slamws"
    v1, v2 = make_v0_workspace(old)
    with Workspace.open(old) as ws:
        assert ws.migrated_from == 0
        assert ws.schema_version == SCHEMA_VERSION
        versions = ws.versions("three_tier_cloud")
        assert [v.status for v in versions] == ["approved", "draft"]
        assert ws.contract_of(versions[0]) == v1 and ws.contract_of(versions[1]) == v2
        # backfilled: version 2's changes from version 1, the weakening among them
        assert versions[1].weakening == 1
        assert json.loads(versions[1].changes)[0]["why"] == "target lowered"
        assert ws.audit_entries()[-1].action == "migrate schema"
        report = ws.verify()
        assert report.ok, report.problems
        # and it works as a new one does: scenarios (new in schema 1), the immutability triggers
        scenario = load_scenario(SAMPLES / "scenarios" / "baseline.yaml")
        ws.add_scenario("baseline", scenario, "baseline.yaml", "ana")
        with pytest.raises(InputError, match=r"approved and cannot be changed"):
            ws.edit_draft(versions[0], v2, "ana", "x")
    fresh = closed_workspace(tmp_path, "fresh.slamws")
    assert columns(old) == columns(fresh)
    assert triggers(old) == triggers(fresh)
    with Workspace.open(old) as again:  # opens once more without migrating
        assert again.migrated_from is None


def test_a_read_only_open_of_an_old_workspace_migrates_it_first(tmp_path):
    old = tmp_path / "old.slamws"
    make_v0_workspace(old)
    with Workspace.open(old, readonly=True) as ws:
        assert ws.migrated_from == 0 and ws.schema_version == SCHEMA_VERSION


def test_an_old_read_only_workspace_is_refused_unchanged(tmp_path):
    old = tmp_path / "old.slamws"
    make_v0_workspace(old)
    os.chmod(old, 0o444)
    try:
        before = file_state(old)
        with pytest.raises(InputError, match=r"older SLA Modeler .schema 0. and read-only"):
            Workspace.open(old, readonly=True)
        assert file_state(old) == before
    finally:
        os.chmod(old, 0o644)
