"""`slamodeler dispute`: the claim that differs from our record by a known set of incidents
(tests/helpers/dispute_sets.py) is answered with exactly those, in the table, the JSON and the
workbook's Dispute sheet, from files and from stored sets."""

from __future__ import annotations

import json
import re

import openpyxl

from tests.helpers.cli import run
from tests.helpers.dispute_sets import CONTRACT, DISPUTED, OURS, write_claim


def named_incidents(text: str) -> set[str]:
    return set(re.findall(r"^  \w+ \d{4}-\d\d: (\S+ \(row \d+\)):", text, re.M))


def test_the_table_names_exactly_the_incidents_that_differ(tmp_path, capsys):
    code, out, _ = run(capsys, "dispute", CONTRACT, OURS, write_claim(tmp_path))
    assert code == 0
    assert named_incidents(out) == set(DISPUTED)
    assert "TICKET-88" not in out and "INC-1009" not in out  # matched by overlap, alike
    rows = {tuple(line.split()[:2]): line.split()[2:] for line in out.splitlines()}
    assert rows["Silver", "2024-03"] == ["10", "130", "+120", "0.00", "400.00", "+400.00"]
    assert rows["Bronze", "2024-01"] == ["57", "177", "+120", "0.00", "0.00", "+0.00"]
    # February: INC-1004's 45 minutes overlapped INC-1003's partial ones, so 31.5 merged
    assert rows["Gold", "2024-02"][:3] == ["126", "94.5", "-31.5"]
    assert "Silver: credit at stake +400.00 USD per customer" in out


def test_the_json_gives_each_period_its_explaining_incidents(tmp_path, capsys):
    code, out, _ = run(capsys, "dispute", CONTRACT, OURS, write_claim(tmp_path), "--format", "json")
    assert code == 0
    found = json.loads(out)
    assert found["format"] == "slamodeler-dispute/v1"
    assert {d["incident"]: d["kind"] for d in found["disputed_incidents"]} == DISPUTED
    silver = next(p for p in found["periods"] if (p["tier"], p["period"]) == ("Silver", "2024-03"))
    assert silver["credit_at_stake"] == "400.00"
    assert silver["explained_by"] == [
        {
            "incident": "CLAIM-7 (row 15)",
            "kind": "only theirs",
            "differences": [],
            "matched_by": None,
            "our_minutes": None,
            "their_minutes": 120,
        }
    ]
    assert any("CLAIM-7" in line for line in silver["their_explanation"])
    assert found["credit_at_stake"] == {"Bronze": "0.00", "Silver": "400.00", "Gold": "0.00"}


def test_the_workbook_answers_the_claim_on_its_dispute_sheet(tmp_path, capsys):
    out = tmp_path / "answer.xlsx"
    code, _, err = run(capsys, "dispute", CONTRACT, OURS, write_claim(tmp_path), "--xlsx", out)
    assert code == 0, err
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[1] == "Dispute"
    ws = book["Dispute"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_row=13)]
    silver = next(r for r in rows if r[:2] == ["Silver", "2024-03"])
    assert silver[2:4] == [10, 130] and silver[5:7] == [0, 400]
    assert silver[4] == f"=D{rows.index(silver) + 5}-C{rows.index(silver) + 5}"
    assert silver[8] == "CLAIM-7 (row 15): only theirs"
    listed = [ws.cell(r, 1).value for r in range(17, ws.max_row + 1) if ws.cell(r, 1).value]
    assert set(listed) == set(DISPUTED)


def test_stored_sets_are_reconciled_in_a_workspace(ws, tmp_path, capsys):
    claim = write_claim(tmp_path)
    for name, path in (("ours", OURS), ("claim", claim)):
        code, _, err = run(capsys, "ws", "import-incidents", path, "--ws", ws, "--as", name)
        assert code == 0, err
    code, out, err = run(capsys, "dispute", "--ws", ws, "three_tier_cloud@1", "ours", "claim")
    assert code == 0, err
    assert named_incidents(out) == set(DISPUTED)
