"""Two records of the same incidents for the dispute tests: ours (the sample export) and a
customer's claim that differs from it by a known set of incidents.

The claim: INC-1001 ends at 17:02, not 15:02 (57 -> 177 counted minutes in January), INC-1004 is
missing (it overlapped INC-1003, so February loses 31.5 merged minutes, not 45), an incident of
its own, CLAIM-7 (120 minutes on 5 March, no id of ours), and INC-1009 written with another id
but the same times (matched by overlap, recorded alike, so not disputed)."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.helpers.paths import SAMPLES

OURS = SAMPLES / "incidents_sample.csv"
CONTRACT = SAMPLES / "three_tier_cloud.yaml"
DISPUTED = {
    "INC-1001 (row 2)": "differs",
    "INC-1004 (row 5)": "only ours",
    "CLAIM-7 (row 15)": "only theirs",
}


def write_claim(folder: Path) -> Path:
    """The customer's claim as a CSV in ``folder``."""
    with OURS.open(newline="") as f:
        rows = list(csv.reader(f))
    claim = [rows[0]]
    for row in rows[1:]:
        if row[0] == "INC-1004":
            continue
        if row[0] == "INC-1001":
            row[2] = "2024-01-09T17:02:00Z"
        if row[0] == "INC-1009":
            row[0] = "TICKET-88"
        claim.append(row)
    claim.append(
        [
            "CLAIM-7",
            "2024-03-05T10:00:00Z",
            "2024-03-05T12:00:00Z",
            "full",
            "",
            "Compute",
            "us-east-1",
            "Customer saw timeouts",
        ]
    )
    path = folder / "claim.csv"
    with path.open("w", newline="") as f:
        csv.writer(f).writerows(claim)
    return path
