"""`slamodeler ws ...`, `replay --ws` and `simulate --ws`: the workflow end to end, reruns that
reproduce stored results digit for digit, and bad input (exit code 2, nothing changed)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from slamodeler.io.contract_file import load_contract
from slamodeler.store.workspace import Workspace
from tests.helpers.cli import run
from tests.helpers.workspace import SAMPLE, SAMPLES, drop_guards, file_state, raw


def redline(tmp_path: Path) -> Path:
    """The sample with Bronze's target lowered (weakens) and Gold's fee raised."""
    text = SAMPLE.read_text()
    text = text.replace("target_pct: 99.5\n", "target_pct: 99.0\n", 1)
    text = text.replace("monthly_fee: 12000", "monthly_fee: 12500", 1)
    path = tmp_path / "three_tier_cloud.yaml"
    path.write_text(text)
    return path


def test_the_change_control_workflow(ws, tmp_path, capsys):
    code, _, err = run(capsys, "ws", "approve", "three_tier_cloud@1", "--ws", ws)
    assert code == 2 and "needs a reason" in err
    code, out, _ = run(
        capsys, "ws", "approve", "three_tier_cloud@1", "--ws", ws, "--reason", "signed",
        "--author", "Bob Legal",
    )  # fmt: skip
    assert (code, out) == (0, "three_tier_cloud@1: approved\n")

    code, out, _ = run(capsys, "ws", "import-contract", redline(tmp_path), "--ws", ws)
    assert code == 0
    assert out.startswith("three_tier_cloud@2: new draft from version 1: 2 change(s), 1 weak")
    assert "! Bronze, target %: 99.5 -> 99  WEAKENS: target lowered\n" in out

    code, out, _ = run(capsys, "ws", "diff", "three_tier_cloud@2", "--ws", ws)
    assert code == 0
    assert out.splitlines() == [
        "three_tier_cloud@1 (approved) -> three_tier_cloud@2 (draft): 2 change(s), "
        "1 weakening a commitment",
        "! Bronze, target %: 99.5 -> 99  WEAKENS: target lowered  (tiers[Bronze].target_pct)",
        "  Gold, monthly fee: 12000 -> 12500  (tiers[Gold].monthly_fee)",
    ]
    code, out2, _ = run(capsys, "ws", "diff", "three_tier_cloud@1", "2", "--ws", ws)
    assert out2 == out

    code, _, err = run(capsys, "ws", "approve", "three_tier_cloud@2", "--ws", ws, "--reason", "ok")
    assert code == 2 and "weakens the approved three_tier_cloud@1" in err
    code, out, _ = run(
        capsys, "ws", "approve", "three_tier_cloud@latest", "--ws", ws, "--reason", "renewal",
        "--accept-weakening",
    )  # fmt: skip
    assert code == 0 and "version 1 is superseded" in out and "accepted, and recorded" in out

    code, out, _ = run(capsys, "ws", "history", "three_tier_cloud", "--ws", ws)
    assert code == 0
    assert " 1  superseded  SLA Modeler (sample)" in out
    assert " 2  approved    ana" in out
    assert "approve three_tier_cloud@2" in out and "renewal [1 weakening]" in out
    assert "Bob Legal" in out

    code, out, _ = run(capsys, "ws", "list", "--ws", ws)
    assert "three_tier_cloud                2  2 (approved)         2" in out

    code, out, _ = run(capsys, "ws", "verify", "--ws", ws)
    assert code == 0 and "verified" in out


def test_an_added_window_and_band_are_one_change_each_in_diff_and_approval(ws, tmp_path, capsys):
    run(capsys, "ws", "approve", "three_tier_cloud@1", "--ws", ws, "--reason", "signed")
    text = SAMPLE.read_text().replace(
        '    - {every: week, day: sunday, start: "02:00", minutes: 240}\n',
        '    - {every: week, day: sunday, start: "02:00", minutes: 240}\n'
        '    - {every: day, start: "01:00", minutes: 30}\n',
    )
    last = "escalation: notify the account executive and legal}\n"  # Gold's last band
    assert text.count(last) == 1
    text = text.replace(last, last + "        - {below: 90.0, credit_pct: 100}\n")
    redlined = tmp_path / "three_tier_cloud.yaml"
    redlined.write_text(text)
    code, out, _ = run(capsys, "ws", "import-contract", redlined, "--ws", ws)
    assert code == 0 and ": 2 change(s), 1 weakening" in out

    code, out, _ = run(capsys, "ws", "diff", "three_tier_cloud@2", "--ws", ws)
    assert out.splitlines()[1:] == [
        "! Maintenance window 2 added: every day 01:00, 30 min  WEAKENS: maintenance window added"
        "  (exclusions.maintenance_windows[1])",
        "  Gold, band 4 added: below 90% gives 100%  (tiers[Gold].credits.bands[3])",
    ]
    code, _, err = run(capsys, "ws", "approve", "three_tier_cloud@2", "--ws", ws, "--reason", "ok")
    listed = [line for line in err.splitlines() if line.startswith("  ")]
    assert code == 2 and listed == [
        "  Maintenance window 2 added: every day 01:00, 30 min  WEAKENS: maintenance window added"
    ]
    code, out, _ = run(capsys, "ws", "history", "three_tier_cloud", "--ws", ws)
    assert "2 (1 weakening)" in out  # the stored four term changes count as the one change


def test_export_gives_back_the_stored_terms(ws, tmp_path, capsys):
    out_file = tmp_path / "exported.yaml"
    code, _, err = run(
        capsys, "ws", "export-contract", "three_tier_cloud@1", "--ws", ws, "--out", out_file
    )
    assert code == 0 and "wrote" in err
    assert load_contract(out_file).content_hash() == load_contract(SAMPLE).content_hash()
    code, out, _ = run(capsys, "ws", "export-contract", "three_tier_cloud", "--ws", ws)
    assert out.startswith("# three_tier_cloud@1 (draft) exported from team.slamws")


def test_import_is_idempotent_and_follows_the_contract_name(ws, tmp_path, capsys):
    code, out, _ = run(capsys, "ws", "import-contract", SAMPLE, "--ws", ws)
    assert code == 0
    assert out == "three_tier_cloud: same terms as version 1 (draft); nothing stored\n"
    renamed = tmp_path / "acme-terms.yaml"
    renamed.write_text(SAMPLE.read_text().replace("monthly_fee: 1500", "monthly_fee: 1600"))
    _, out, _ = run(capsys, "ws", "import-contract", renamed, "--ws", ws)
    assert out.startswith("three_tier_cloud@2: new draft")  # same contract name: same contract
    _, out, _ = run(capsys, "ws", "import-contract", renamed, "--ws", ws, "--as", "acme")
    assert out.startswith("acme@1: new contract")


def test_replay_and_simulate_are_stored_and_rerun_reproduces_them_exactly(ws, capsys):
    code, out, err = run(
        capsys, "ws", "replay", "three_tier_cloud@1", "incidents_sample", "--ws", ws,
        "--format", "json",
    )  # fmt: skip
    assert code == 0 and "stored as run 1" in err
    replayed = json.loads(out)
    assert replayed["contract"]["hash"] == load_contract(SAMPLE).content_hash()

    code, out, err = run(
        capsys, "simulate", "--ws", ws, "three_tier_cloud@latest", "--scenario", "baseline",
        "--trials", "300", "--seed", "7", "--format", "json",
    )  # fmt: skip
    assert code == 0 and "stored as run 2" in err
    simulated = json.loads(out)
    assert (simulated["seed"], simulated["trials"]) == (7, 300)

    code, out, _ = run(capsys, "replay", "--ws", ws, "three_tier_cloud@1", "incidents_sample")
    assert code == 0 and "Bronze: target 99.5%" in out
    code, out, err = run(
        capsys, "ws", "simulate", "three_tier_cloud@1", "baseline", "--ws", ws,
        "--trials", "50", "--seed", "7",
    )  # fmt: skip
    assert code == 0 and "stored as run 4" in err
    assert out.startswith("Example Cloud Compute - Standard terms: scenario 'Baseline', 2027-01")

    for ident, stored in ((1, replayed), (2, simulated)):
        code, out, err = run(capsys, "ws", "rerun", ident, "--ws", ws, "--format", "json")
        assert code == 0 and "reproduced exactly" in err
        assert json.loads(out) == stored
    code, out, _ = run(capsys, "ws", "rerun", "2", "--ws", ws)
    assert out.startswith(
        "run 2 (simulate three_tier_cloud@1 under baseline, 300 trials, seed 7): reproduced exactly"
    )
    with Workspace.open(ws, readonly=True) as w:
        [run_row] = [r for r in w.runs() if r.id == 2]
        assert (run_row.seed, run_row.trials, run_row.kind) == (7, 300, "simulate")
        assert run_row.scenario_hash == w.scenario("baseline").content_hash
        assert run_row.contract_hash == load_contract(SAMPLE).content_hash()
        assert run_row.seconds > 0
        reruns = [e for e in w.audit_entries() if e.action == "rerun"]
        assert [e.data["same"] for e in reruns] == [True, True, True]


def test_a_stored_result_changed_behind_the_back_is_not_reproduced(ws, capsys):
    run(capsys, "ws", "replay", "three_tier_cloud@1", "incidents_sample", "--ws", ws)
    db = raw(ws)
    stored = json.loads(db.execute("SELECT result FROM run WHERE id = 1").fetchone()[0])
    stored["tiers"][0]["totals"]["per_customer"]["credit_owed"] = "0.00"
    db.execute("UPDATE run SET result = ? WHERE id = 1", (json.dumps(stored),))
    db.close()
    code, _, err = run(capsys, "ws", "rerun", "1", "--ws", ws)
    assert code == 3
    assert "NOT reproduced" in err and "tiers[0].totals.per_customer.credit_owed" in err
    code, out, _ = run(capsys, "ws", "verify", "--ws", ws)
    assert code == 3 and "run 1: its content does not match its hash" in out


def test_a_changed_input_is_refused_by_rerun(ws, capsys):
    run(capsys, "ws", "replay", "three_tier_cloud@1", "incidents_sample", "--ws", ws)
    db = raw(ws)
    drop_guards(db)
    db.execute("UPDATE incident SET end_ts = end_ts + 600 WHERE seq = 0")
    db.close()
    code, _, err = run(capsys, "ws", "rerun", "1", "--ws", ws)
    assert code == 2
    assert "run 1 cannot be reproduced: incident set incidents_sample no longer has the hash" in err


def test_verify_reports_tampering_with_exit_code_3(ws, capsys):
    db = raw(ws)
    drop_guards(db)
    db.execute("DELETE FROM audit WHERE seq = 3")
    db.close()
    code, out, _ = run(capsys, "ws", "verify", "--ws", ws)
    assert code == 3
    assert "DOES NOT VERIFY" in out and "entry 3 missing" in out


def test_incident_import_reports_and_refuses_bad_rows(ws, tmp_path, capsys):
    csv = tmp_path / "export.csv"
    csv.write_text(
        "id,start,end,impact\nA,2024-01-01T00:00:00Z,2024-01-01T01:00:00Z,full\n"
        "B,2024-01-02T00:00:00Z,yesterday,full\n"
    )
    before = file_state(ws)
    code, _, err = run(capsys, "ws", "import-incidents", csv, "--ws", ws)
    assert code == 2 and "row(s) not used" in err and "--skip-bad-rows" in err
    assert file_state(ws)[0] == before[0]
    code, out, err = run(capsys, "ws", "import-incidents", csv, "--ws", ws, "--skip-bad-rows")
    assert code == 0 and out.startswith("incident set export: 1 incident(s) stored")
    code, _, err = run(capsys, "ws", "import-incidents", csv, "--ws", ws, "--skip-bad-rows")
    assert code == 2 and "already in team.slamws" in err


def test_incident_import_takes_an_encoding_and_keeps_it_in_the_report(ws, tmp_path, capsys):
    csv = tmp_path / "excel.csv"
    csv.write_bytes(
        "id,start,end,impact,title\nA,2024-01-01T00:00:00Z,2024-01-01T01:00:00Z,full,Caf\u00e9\n".encode(
            "cp1252"
        )
    )
    code, _, err = run(capsys, "ws", "import-incidents", csv, "--ws", ws, "--encoding", "utf-8")
    assert code == 2 and "not valid UTF-8: byte 0xE9" in err
    code, _, err = run(capsys, "ws", "import-incidents", csv, "--ws", ws)
    assert code == 0 and "text encoding: Windows-1252 (detected)" in err
    with Workspace.open(ws) as opened:
        stored = opened.load_incidents(opened.incident_set("excel"))
    assert stored.incidents[0].title == "Caf\u00e9"
    assert stored.report.encoding == "Windows-1252 (detected)"


def test_the_default_workspace_is_created_in_the_data_folder_with_the_samples(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr("sys.platform", "linux")
    code, out, err = run(capsys, "ws", "list")
    default = tmp_path / "data" / "SLA Modeler" / "default.slamws"
    assert code == 0 and f"created the default workspace {default}" in err
    assert default.is_file()
    for sample in SAMPLES.glob("*.yaml"):
        assert sample.stem in out
    assert "incidents_sample" in out and "baseline" in out
    code, _, err = run(capsys, "ws", "verify")
    assert code == 0 and "created" not in err


# -- bad input: exit code 2, a message, nothing changed -------------------------------------------


def truncated(ws: Path) -> Path:
    data = ws.read_bytes()
    ws.write_bytes(data[: len(data) // 2])
    return ws


def not_a_workspace(ws: Path) -> Path:
    path = ws.with_name("notes.slamws")
    path.write_text("id,start\n")
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (truncated, "truncated or damaged"),
        (not_a_workspace, "not an SLA Modeler workspace"),
        (lambda ws: ws.with_name("missing.slamws"), "no such workspace"),
    ],
    ids=["truncated", "not-a-workspace", "missing"],
)
@pytest.mark.parametrize("command", [["list"], ["import-contract", str(SAMPLE)], ["verify"]])
def test_bad_workspace_files(ws, capsys, make, message, command):
    path = make(ws)
    before = file_state(path) if path.exists() else None
    code, out, err = run(capsys, "ws", *command, "--ws", path)
    assert code == 2 and message in err and err.startswith("slamodeler: ")
    assert "Traceback" not in err and out == ""
    assert (file_state(path) if path.exists() else None) == before


def test_a_read_only_workspace(ws, capsys, tmp_path):
    run(capsys, "ws", "replay", "three_tier_cloud", "incidents_sample", "--ws", ws)
    os.chmod(ws, 0o444)
    try:
        before = file_state(ws)
        code, _, err = run(capsys, "ws", "import-contract", redline(tmp_path), "--ws", ws)
        assert code == 2 and "read-only" in err and "Nothing was changed" in err
        code, _, err = run(
            capsys, "ws", "approve", "three_tier_cloud@1", "--ws", ws, "--reason", "x"
        )
        assert code == 2 and "read-only" in err
        code, out, _ = run(capsys, "ws", "list", "--ws", ws)
        assert code == 0 and "three_tier_cloud" in out
        code, out, _ = run(capsys, "ws", "verify", "--ws", ws)
        assert code == 0
        code, out, err = run(capsys, "ws", "rerun", "1", "--ws", ws)
        assert code == 0 and "reproduced exactly" in out and "not recorded" in err
        assert file_state(ws) == before
    finally:
        os.chmod(ws, 0o644)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ws", "init"], "already exists"),
        (
            ["ws", "history", "nope"],
            "no contract 'nope' in team.slamws (contracts: ec2_region_sla, provider_sla, quarterly_collaboration, ",
        ),
        (["ws", "diff", "three_tier_cloud@1"], "is the first version"),
        (["ws", "diff", "three_tier_cloud@1", "ec2_region_sla@1"], "different contracts"),
        (["ws", "diff", "three_tier_cloud@x"], "give a version number, `latest` or `approved`"),
        (["ws", "replay", "three_tier_cloud@approved", "incidents_sample"], "no approved version"),
        (
            ["ws", "replay", "three_tier_cloud", "nope"],
            "no incident set 'nope' in team.slamws (incident sets: incidents_sample, vendor_incidents)",
        ),
        (
            ["ws", "simulate", "three_tier_cloud", "nope"],
            "no scenario 'nope' in team.slamws (scenarios: bad_year, baseline, regional_catastrophe, zone_outages)",
        ),
        (["ws", "simulate", "three_tier_cloud", "baseline", "--trials", "0"], "--trials"),
        (["ws", "rerun", "9"], "no run 9"),
        (["replay", "three_tier_cloud", "incidents_sample", "--mapping", "m.yaml"], "--mapping"),
        (["simulate", "three_tier_cloud", "--incidents", "x.csv"], "stored scenario"),
        (["ws", "import-contract", "nope.yaml"], "no such file"),
    ],
)
def test_bad_references_and_options(ws, capsys, argv, message):
    before = file_state(ws)
    code, _, err = run(capsys, *argv, "--ws", ws)
    assert code == 2, err
    assert message in err and "Traceback" not in err
    assert file_state(ws)[0] == before[0]


def test_the_workbook_of_a_stored_run(ws, tmp_path, capsys):
    import openpyxl

    run(capsys, "ws", "replay", "three_tier_cloud@1", "incidents_sample", "--ws", ws)
    run(capsys, "simulate", "--ws", ws, "three_tier_cloud@1", "--scenario", "baseline",
        "--trials", "200", "--seed", "3")  # fmt: skip
    for ident, sheet, text in ((1, "Replay", "2024-01"), (2, "Exposure", "Gold")):
        out_file = tmp_path / f"run{ident}.xlsx"
        code, out, err = run(capsys, "ws", "export", ident, "--ws", ws, "--out", out_file)
        assert code == 0, err
        _, head, _ = run(capsys, "ws", "head", "--ws", ws)
        anchor = head.splitlines()[0]
        assert out == f"wrote {out_file} from run {ident} (audit head {anchor})\n"
        book = openpyxl.load_workbook(out_file)
        cells = [
            str(c) for row in book[sheet].iter_rows(values_only=True) for c in row if c is not None
        ]
        assert any(text in c for c in cells)
        assumptions = dict(book["Assumptions"].iter_rows(min_row=4, values_only=True))
        assert assumptions["Workspace audit head (entry:SHA-256)"] == anchor
    code, _, err = run(capsys, "ws", "export", 1, "--ws", ws, "--out", tmp_path / "x.csv")
    assert code == 2 and "must end in .xlsx" in err
    # A stored result changed behind the application's back is not exported.
    with raw(ws) as db:
        drop_guards(db)
        db.execute("UPDATE run SET result = replace(result, '\"USD\"', '\"EUR\"') WHERE id = 1")
    code, _, err = run(capsys, "ws", "export", 1, "--ws", ws, "--out", tmp_path / "again.xlsx")
    assert code == 2 and "no longer reproduces its stored result" in err
    assert not (tmp_path / "again.xlsx").exists()


def test_xlsx_with_a_workspace_points_to_ws_export(ws, tmp_path, capsys):
    code, _, err = run(capsys, "replay", "--ws", ws, "three_tier_cloud@1", "incidents_sample",
                       "--xlsx", tmp_path / "out.xlsx")  # fmt: skip
    assert code == 2 and "slamodeler ws export RUN_ID" in err
    assert not (tmp_path / "out.xlsx").exists()
