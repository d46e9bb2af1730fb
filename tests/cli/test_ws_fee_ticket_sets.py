"""Fee files and ticket exports stored in a workspace as sets (`ws add-fees`, `ws add-tickets`),
listed by `ws list`, and named by `--fees KEY` / `--tickets KEY` in `ws replay`, `replay --ws`,
`ws simulate`, `simulate --ws` (both methods) and `profitability --ws`: each run records the
set's key and hash, and `ws rerun` reproduces it from the set. The numbers are those of
tests/helpers/support_contract.py: Bronze's 2024-03 misses three responses, 12% of the fee,
180.00 of 1,500 and 360.00 of the fee set's 3,000."""

from __future__ import annotations

import json

import pytest

from slamodeler.store.workspace import Workspace
from tests.helpers.cli import run
from tests.helpers.paths import SAMPLES
from tests.helpers.support_contract import TICKETS, march_fees, support_contract

EC2 = SAMPLES / "ec2_region_sla.yaml"
ONE = SAMPLES / "exact" / "platform_only.yaml"
DESK_MAPPING = (
    "columns: {id: 'Ticket #', priority: Urgency, opened: Logged, first_response: Answered}\n"
)


def bronze_march(out: str) -> dict:
    data = json.loads(out)
    bronze = next(t for t in data["tiers"] if t["tier"] == "Bronze")
    return next(p for p in bronze["periods"] if p["period"] == "2024-03")


def desk_export(tmp_path):
    """tickets_sample.csv as a help desk exports it: other column names, so it needs a mapping."""
    text = TICKETS.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "desk.csv"
    path.write_text("Ticket #,Urgency,Logged,Answered\n" + "".join(text[1:]), encoding="utf-8")
    mapping = tmp_path / "desk.yaml"
    mapping.write_text(DESK_MAPPING, encoding="utf-8")
    return path, mapping


def doubled_fees(folder, tier: str, fee: int):
    """A fee file giving ``tier`` the fee ``fee`` (twice the contract's) in every month of
    2027, the horizon of the scenarios used here."""
    path = folder / "double.csv"
    rows = "".join(f"{tier},2027-{m:02d},{fee}\n" for m in range(1, 13))
    path.write_text("tier,month,fee\n" + rows, encoding="utf-8")
    return path


def with_sets(ws, tmp_path, capsys):
    assert run(capsys, "ws", "import-contract", support_contract(tmp_path), "--ws", ws)[0] == 0
    code, out, err = run(capsys, "ws", "add-fees", "march", march_fees(tmp_path), "--ws", ws)
    assert code == 0 and out.startswith("fee set march: 1 fee(s) stored (hash "), err
    export, mapping = desk_export(tmp_path)
    code, _, err = run(capsys, "ws", "add-tickets", "desk", export, "--ws", ws)
    assert code == 2 and "desk.csv: no opened or first_response column" in err
    code, out, err = run(capsys, "ws", "add-tickets", "desk", export, "--ws", ws,
                         "--tickets-mapping", mapping)  # fmt: skip
    assert code == 0, err
    assert out.startswith("ticket set desk: 8 ticket(s) stored (hash ")
    assert "8 row(s) read, 8 ticket(s) used" in err


def test_sets_are_added_listed_and_audited_with_who_added_them(ws, tmp_path, capsys):
    with_sets(ws, tmp_path, capsys)
    code, out, _ = run(capsys, "ws", "list", "--ws", ws)
    assert code == 0
    fees = out.split("Fee sets\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert fees[2].split() == ["march", "1", "fees.csv", "ana"]
    tickets = out.split("Ticket sets\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert tickets[2].split() == ["desk", "8", "desk.csv", "ana"]
    with Workspace.open(ws, readonly=True) as opened:
        entries = {e.action: e for e in opened.audit_entries()}
        fee_row, ticket_row = opened.fee_set("march"), opened.ticket_set("desk")
    added = entries["add fees"]
    assert (added.actor, added.subject) == ("ana", "march")
    assert added.data["content_hash"] == fee_row.content_hash and added.data["fees"] == 1
    added = entries["add tickets"]
    assert (added.actor, added.subject, added.data["used"]) == ("ana", "desk", 8)
    assert added.data["content_hash"] == ticket_row.content_hash
    code, _, err = run(capsys, "ws", "add-fees", "march", march_fees(tmp_path), "--ws", ws)
    assert code == 2 and "a fee set named 'march' is already in team.slamws" in err
    code, out, _ = run(capsys, "ws", "verify", "--ws", ws)
    assert code == 0 and "fee sets 1, ticket sets 1" in out


def test_a_replay_on_stored_sets_records_them_and_reruns(ws, tmp_path, capsys, monkeypatch):
    with_sets(ws, tmp_path, capsys)
    monkeypatch.chdir(tmp_path / "..")  # no file named desk or march here
    argv = ("ws", "replay", "support_cloud@1", "incidents_sample", "--ws", ws, "--format", "json")
    code, out, err = run(capsys, *argv, "--tickets", "desk", "--fees", "march")
    assert code == 0, err
    march = bronze_march(out)
    assert (march["credit_pct"], march["credit_owed"]) == (12.0, "360.00")
    with Workspace.open(ws, readonly=True) as opened:
        options = json.loads(opened.run(1).options)
        fee_hash = opened.fee_set("march").content_hash
        ticket_hash = opened.ticket_set("desk").content_hash
    assert options["fees"] == {"set": "march", "sha256": fee_hash}
    assert options["tickets"] == {"set": "desk", "sha256": ticket_hash}
    code, out, err = run(capsys, "ws", "rerun", "1", "--ws", ws)
    assert code == 0, err
    assert out.startswith(
        "run 1 (replay support_cloud@1 on incidents_sample with ticket set desk and fee set "
        "march): reproduced exactly"
    )
    code, out, err = run(capsys, "replay", "--ws", ws, "support_cloud@1", "incidents_sample",
                         "--tickets", "desk", "--format", "json")  # fmt: skip
    assert code == 0 and bronze_march(out)["credit_owed"] == "180.00", err  # the contract's fee
    code, _, err = run(capsys, "replay", "--ws", ws, "support_cloud@1", "incidents_sample",
                       "--tickets", TICKETS, "--tickets-mapping", tmp_path / "desk.yaml")  # fmt: skip
    assert code == 2 and "ws add-tickets KEY FILE --tickets-mapping MAP`, then --tickets KEY" in err


def bronze_mean(out: str) -> float:
    return next(t for t in json.loads(out)["tiers"] if t["tier"] == "Bronze")["mean"]


def test_a_simulation_on_a_fee_set_doubles_bronze_and_reruns(ws, tmp_path, capsys):
    """Bronze's fee doubled in every month of the baseline's horizon (2027) doubles its
    credits, trial by trial: the mean exactly, by both methods."""
    fees = doubled_fees(tmp_path, "Bronze", 3000)
    assert run(capsys, "ws", "add-fees", "double", fees, "--ws", ws)[0] == 0
    fees.unlink()  # the set stands alone
    argv = ("--ws", ws, "--trials", "200", "--seed", "3", "--format", "json")
    code, plain, err = run(capsys, "ws", "simulate", "three_tier_cloud@1", "baseline", *argv)
    assert code == 0, err
    code, doubled, err = run(capsys, "simulate", "three_tier_cloud@1", "--scenario", "baseline",
                             *argv, "--fees", "double")  # fmt: skip
    assert code == 0, err
    assert bronze_mean(doubled) == 2 * bronze_mean(plain)
    code, out, err = run(capsys, "ws", "rerun", "2", "--ws", ws)
    assert code == 0, err
    assert out.startswith(
        "run 2 (simulate three_tier_cloud@1 under baseline, 200 trials, seed 3 with fee set "
        "double): reproduced exactly"
    )


def test_the_exact_method_on_a_fee_set_doubles_and_reruns(tmp_path, capsys):
    path = tmp_path / "e.slamws"
    common = ("--ws", path, "--author", "ana")
    for argv in (("init",), ("import-contract", EC2), ("import-scenario", ONE)):
        assert run(capsys, "ws", *argv, *common)[0] == 0
    fees = doubled_fees(tmp_path, "Region", 50_000)
    assert run(capsys, "ws", "add-fees", "double", fees, *common)[0] == 0
    exact = ("simulate", "ec2_region_sla@1", "--scenario", "platform_only", "--ws", path,
             "--method", "exact", "--format", "json")  # fmt: skip
    code, once, err = run(capsys, *exact)
    assert code == 0, err
    code, twice, err = run(capsys, *exact, "--fees", "double")
    assert code == 0, err
    mean = [next(iter(json.loads(out)["tiers"]))["mean"] for out in (once, twice)]
    assert mean[0] > 0 and mean[1] == 2 * mean[0]
    code, out, err = run(capsys, "ws", "rerun", "2", *common)
    assert code == 0 and "with fee set double): reproduced exactly" in out, err


def test_profitability_in_a_workspace_takes_a_fee_set(ws, tmp_path, capsys):
    fees = doubled_fees(tmp_path, "Bronze", 3000)
    assert run(capsys, "ws", "add-fees", "double", fees, "--ws", ws)[0] == 0
    argv = ("profitability", "three_tier_cloud@1", "--scenario", "baseline", "--ws", ws,
            "--trials", "200", "--seed", "3", "--format", "json")  # fmt: skip
    code, plain, err = run(capsys, *argv)
    assert code == 0, err
    code, doubled, err = run(capsys, *argv, "--fees", "double")
    assert code == 0, err

    def bronze(out: str) -> dict:
        return next(t for t in json.loads(out)["contract"]["tiers"] if t["name"] == "Bronze")

    assert bronze(doubled)["revenue"] == 2 * bronze(plain)["revenue"]
    assert bronze(doubled)["credits_mean"] == pytest.approx(
        2 * bronze(plain)["credits_mean"],
        abs=0.01,  # each rounded to the cent
    )


def test_a_run_on_a_fee_set_is_repriced_and_exported_with_its_fees(ws, tmp_path, capsys):
    """`reprice` prices the stored draws under the new terms with the run's fees (the same
    version gives the stored result), and the re-priced run it stores reruns; `ws export`
    writes the run's workbook."""
    fees = doubled_fees(tmp_path, "Bronze", 3000)
    assert run(capsys, "ws", "add-fees", "double", fees, "--ws", ws)[0] == 0
    argv = ("--ws", ws, "--trials", "200", "--seed", "3", "--format", "json")
    code, stored, err = run(capsys, "ws", "simulate", "three_tier_cloud@1", "baseline", *argv,
                            "--fees", "double")  # fmt: skip
    assert code == 0, err
    code, out, err = run(capsys, "reprice", "1", "three_tier_cloud@1", "--ws", ws,
                         "--format", "json")  # fmt: skip
    assert code == 0, err
    assert bronze_mean(out) == bronze_mean(stored)
    code, out, err = run(capsys, "ws", "rerun", "2", "--ws", ws)
    assert code == 0 and "re-priced from run 1 with fee set double): reproduced exactly" in out
    code, _, err = run(capsys, "ws", "export", "1", "--ws", ws, "--out", tmp_path / "run1.xlsx")
    assert code == 0, err
