"""`ws replay` and `replay --ws` with a ticket export and a fee file, `ws simulate` and
`simulate --ws` with a fee file: the run records each file's SHA-256 (options and audit entry),
`ws rerun` reproduces it from the same files and refuses, naming the file, when one is gone or
changed."""

from __future__ import annotations

import json

from slamodeler.store.workspace import Workspace
from tests.helpers.cli import run
from tests.helpers.support_contract import TICKETS, march_fees, support_contract
from tests.helpers.workspace import file_state


def bronze_march(out: str) -> dict:
    data = json.loads(out)
    bronze = next(t for t in data["tiers"] if t["tier"] == "Bronze")
    return next(p for p in bronze["periods"] if p["period"] == "2024-03")


def stored(ws, tmp_path, capsys):
    code, _, err = run(capsys, "ws", "import-contract", support_contract(tmp_path), "--ws", ws)
    assert code == 0, err
    tickets = tmp_path / "tickets.csv"
    tickets.write_bytes(TICKETS.read_bytes())
    return tickets, march_fees(tmp_path)


def test_a_replay_with_tickets_and_fees_is_stored_and_reruns(ws, tmp_path, capsys):
    tickets, fees = stored(ws, tmp_path, capsys)
    argv = ("ws", "replay", "support_cloud@1", "incidents_sample", "--ws", ws, "--format", "json")
    code, out, err = run(capsys, *argv, "--tickets", tickets, "--fees", fees)
    assert code == 0, err
    march = bronze_march(out)
    assert (march["credit_pct"], march["credit_owed"]) == (12.0, "360.00")  # 12% of 3,000
    assert "stored as run 1" in err

    with Workspace.open(ws, readonly=True) as opened:
        options = json.loads(opened.run(1).options)
        entry = [e for e in opened.audit_entries() if e.action == "run"][-1]
    digests = {name: options[name]["sha256"] for name in ("tickets", "fees")}
    assert options["tickets"]["path"] == str(tickets.resolve())
    assert json.loads(entry.details)["file_hashes"] == digests

    code, out, err = run(capsys, "ws", "rerun", "1", "--ws", ws)
    assert code == 0, err
    assert out.startswith(
        "run 1 (replay support_cloud@1 on incidents_sample with tickets.csv and fees.csv): "
        "reproduced exactly"
    )

    code, out, _ = run(capsys, "replay", "--ws", ws, "support_cloud@1", "incidents_sample",
                       "--tickets", tickets, "--format", "json")  # fmt: skip
    assert code == 0 and bronze_march(out)["credit_owed"] == "180.00"  # the contract's 1,500


def test_a_rerun_whose_file_changed_or_is_gone_is_refused(ws, tmp_path, capsys):
    tickets, fees = stored(ws, tmp_path, capsys)
    code, _, err = run(capsys, "ws", "replay", "support_cloud@1", "incidents_sample", "--ws", ws,
                       "--tickets", tickets, "--fees", fees)  # fmt: skip
    assert code == 0, err
    fees.write_text("tier,month,fee\nBronze,2024-03,3100\n", encoding="utf-8")
    before = file_state(ws)
    code, _, err = run(capsys, "ws", "rerun", "1", "--ws", ws)
    assert code == 2
    assert err == (
        f"slamodeler: run 1 cannot be reproduced: the fee file {fees.resolve()} has changed since "
        "the run (its SHA-256 differs); restore it or run again with the file as it is now "
        "(see `ws verify`)\n"
    )
    assert file_state(ws) == before  # nothing recorded
    tickets.unlink()
    code, _, err = run(capsys, "ws", "rerun", "1", "--ws", ws)
    assert code == 2 and f"the ticket export {tickets.resolve()} is gone" in err


def bronze_mean(out: str) -> float:
    return next(t for t in json.loads(out)["tiers"] if t["tier"] == "Bronze")["mean"]


def test_a_simulation_with_a_fee_file_is_stored_and_reruns(ws, tmp_path, capsys):
    """Bronze's fee doubled in every month of the baseline's horizon (2027) doubles its
    credits, trial by trial: the mean exactly."""
    fees = tmp_path / "double.csv"
    rows = "".join(f"Bronze,2027-{m:02d},3000\n" for m in range(1, 13))
    fees.write_text("tier,month,fee\n" + rows, encoding="utf-8")
    argv = ("--ws", ws, "--trials", "200", "--seed", "3", "--format", "json")
    code, out, err = run(capsys, "ws", "simulate", "three_tier_cloud@1", "baseline", *argv)
    assert code == 0, err
    code, doubled, err = run(capsys, "simulate", "three_tier_cloud@1", "--scenario", "baseline",
                             *argv, "--fees", fees)  # fmt: skip
    assert code == 0, err
    assert bronze_mean(doubled) == 2 * bronze_mean(out)
    code, out, err = run(capsys, "ws", "rerun", "2", "--ws", ws)
    assert code == 0, err
    assert out.startswith(
        "run 2 (simulate three_tier_cloud@1 under baseline, 200 trials, seed 3 with double.csv): "
        "reproduced exactly"
    )
    fees.write_text("tier,month,fee\nBronze,2027-01,3000\n", encoding="utf-8")
    code, _, err = run(capsys, "ws", "rerun", "2", "--ws", ws)
    assert code == 2 and f"the fee file {fees.resolve()} has changed since the run" in err
