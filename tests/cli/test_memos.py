"""`slamodeler memos`: the CSV on stdout or in a file, its summary line reconciling to the replay,
a stored version and incident set with --ws, and the workbook with --xlsx."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from tests.helpers.cli import run
from tests.helpers.paths import SAMPLES
from tests.helpers.support_contract import TICKETS, march_fees, support_contract

CONTRACT = SAMPLES / "three_tier_cloud.yaml"
INCIDENTS = SAMPLES / "incidents_sample.csv"


def _total(text: str) -> tuple[int, Decimal]:
    rows = list(csv.DictReader(io.StringIO(text)))
    return len(rows), sum((Decimal(r["credit"]) for r in rows), Decimal(0))


def test_memos_print_the_csv_and_say_what_it_reconciles_to(capsys):
    code, out, err = run(capsys, "memos", CONTRACT, INCIDENTS)
    assert code == 0
    assert _total(out) == (740, Decimal("426000.00"))
    assert "740 credit memo(s), 426,000.00 USD: the replay's credits after caps" in err


def test_memos_of_one_tier_and_range_to_a_file(capsys, tmp_path):
    out = tmp_path / "memos.csv"
    code, printed, _ = run(
        capsys, "memos", CONTRACT, INCIDENTS, "--tier", "Gold", "--from", "2024-06", "-o", out
    )
    assert code == 0 and printed == ""
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["tier"] for r in rows} == {"Gold"}
    assert min(r["period"] for r in rows) >= "2024-06"


def test_memos_from_a_workspace_name_the_stored_version(capsys, ws):
    code, out, err = run(capsys, "memos", "three_tier_cloud@1", "incidents_sample", "--ws", ws)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["contract_version"] for r in rows} == {"three_tier_cloud@1"}
    assert _total(out)[1] == Decimal("426000.00")


def test_memos_write_the_credit_memos_sheet(capsys, tmp_path):
    import openpyxl

    book = tmp_path / "memos.xlsx"
    code, _, err = run(capsys, "memos", CONTRACT, INCIDENTS, "--xlsx", book)
    assert code == 0 and f"wrote {book}" in err
    sheet = openpyxl.load_workbook(book)["Credit memos"]
    assert sheet["A1"].value == "Credit memos"
    assert sheet["B4"].value == "=SUM(I8:I747)" and sheet["B5"].value == 426000.0


def test_memos_with_support_tickets_and_a_fee_file_reconcile_to_that_replay(capsys, tmp_path):
    terms, fees = support_contract(tmp_path), march_fees(tmp_path)
    files = (terms, INCIDENTS, "--tickets", TICKETS, "--fees", fees)
    code, out, err = run(capsys, "memos", *files, "--tier", "Bronze")
    assert code == 0, err
    assert "ticket(s) used" in err
    code, replayed, _ = run(capsys, "replay", *files, "--tier", "Bronze", "--format", "json")
    totals = json.loads(replayed)["tiers"][0]["totals"]["all_customers"]
    assert _total(out)[1] == Decimal(totals["credit_after_caps"]) > Decimal("18000.00")
