"""A tier that counts zones (k of n) in the workbook: its rule beside its regions on Terms, and
the engine's downtime minutes on Replay (docs/workbook.md)."""

from __future__ import annotations

import openpyxl

from slamodeler.cli.main import main
from tests.helpers.paths import SAMPLES

HISTORY = """id,start,end,impact,service,region,zone
Z-1,2025-03-05T10:00:00Z,2025-03-05T11:00:00Z,full,ec2,us-east-1,use1-az1
Z-2,2025-03-05T10:40:00Z,2025-03-05T11:30:00Z,partial,ec2,us-east-1,use1-az2
Z-4,2025-03-12T08:00:00Z,2025-03-12T14:00:00Z,full,ec2,us-east-1,use1-az4
"""


def cells(sheet) -> list[object]:
    return [c.value for row in sheet.iter_rows() for c in row]


def test_the_zone_rule_and_its_minutes_are_in_the_workbook(tmp_path, capsys):
    history = tmp_path / "zones.csv"
    history.write_text(HISTORY, encoding="utf-8")
    out = tmp_path / "zones.xlsx"
    contract = SAMPLES / "real" / "aws_ec2_region.yaml"
    assert main(["replay", str(contract), str(history), "--xlsx", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    assert "us-east-1; down while 2 of use1-az1, use1-az2, use1-az4 are" in cells(book["Terms"])
    rows = list(book["Replay"].iter_rows(values_only=True))
    at = next(i for i, row in enumerate(rows) if "Downtime minutes" in row)
    assert rows[at + 1][rows[at].index("Downtime minutes")] == 20
