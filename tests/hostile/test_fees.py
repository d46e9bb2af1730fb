"""Bad fees that vary: a month written wrongly in the contract, and fee files whose rows are
refused naming the file, row and field."""

from __future__ import annotations

import pytest

from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

TWILIO = SAMPLES / "real" / "twilio.yaml"


@pytest.fixture
def incidents(tmp_path):
    path = tmp_path / "incidents.csv"
    path.write_text("id,start,end,impact\n1,2025-03-10T10:00:00Z,2025-03-10T10:30:00Z,full\n")
    return path


@pytest.mark.parametrize(
    ("month", "fix"),
    [('"2025-13"', "YYYY-MM"), ("2025-03-01", "YYYY-MM"), ('"March"', "YYYY-MM")],
)
def test_a_month_not_written_yyyy_mm_is_refused(tmp_path, capsys, month, fix):
    bad = tmp_path / "fees.yaml"
    bad.write_text(TWILIO.read_text().replace('"2025-01"', month), encoding="utf-8")
    code, _, err = hostile(capsys, "validate", bad, names=[bad.name, "monthly_fees"])
    assert code == 2 and fix in err


def test_a_negative_months_fee_is_refused(tmp_path, capsys):
    bad = tmp_path / "fees.yaml"
    bad.write_text(TWILIO.read_text().replace('"2025-01": 3200', '"2025-01": -3'))
    hostile(capsys, "validate", bad, names=[bad.name, "2025-01"])


def test_an_affected_share_of_zero_or_a_percentage_is_refused(tmp_path, capsys):
    for share in ("0", "60"):
        bad = tmp_path / f"share{share}.yaml"
        bad.write_text(
            TWILIO.read_text().replace("affected_share: 0.6", f"affected_share: {share}")
        )
        hostile(capsys, "validate", bad, names=[bad.name, "affected"])


@pytest.mark.parametrize(
    ("rows", "names"),
    [
        ("", ["row 1", "tier,month,fee"]),
        ("tier,fee\nServices,10\n", ["row 1", "tier,month,fee"]),
        ("tier,month,fee\n", ["no fees"]),
        ("tier,month,fee\nNobody,2025-03,10\n", ["row 2, tier", "Nobody", "Services"]),
        ("tier,month,fee\nServices,03/2025,10\n", ["row 2, month", "YYYY-MM"]),
        ("tier,month,fee\nServices,2025-03,$10\n", ["row 2, fee", "currency sign"]),
        ("tier,month,fee\nServices,2025-03,-1\n", ["row 2, fee"]),
        ("tier,month,fee\nServices,2025-03,nan\n", ["row 2, fee"]),
        ("tier,month,fee\nServices,2025-03,1e13\n", ["row 2, fee"]),
        ("tier,month,fee\nServices,2025-03,0.1234567\n", ["row 2, fee", "decimals"]),
        ("tier,month,fee\nServices,2025-03,10\nservices,2025-03,11\n", ["row 3, month", "twice"]),
        ("tier,month,fee\nServices,2025-03\n", ["row 2", "2 field(s)"]),
        ("tier,month,fee\nServices,2025-03,10,11\n", ["row 2", "4 field(s)"]),
    ],
)
def test_a_bad_fee_file_is_refused_naming_the_row_and_field(
    tmp_path, capsys, incidents, rows, names
):
    fees = tmp_path / "fees.csv"
    fees.write_text(rows)
    hostile(capsys, "replay", TWILIO, incidents, "--fees", fees, names=["fees.csv", *names])


def test_a_fee_file_that_is_a_folder_or_missing_is_refused(tmp_path, capsys, incidents):
    hostile(capsys, "replay", TWILIO, incidents, "--fees", tmp_path, names=str(tmp_path))
    missing = tmp_path / "none.csv"
    hostile(capsys, "replay", TWILIO, incidents, "--fees", missing, names="none.csv")


def test_a_bad_fee_file_refuses_a_workspace_simulation(ws, tmp_path, capsys):
    fees = tmp_path / "fees.csv"
    fees.write_text("tier,month,fee\nServices,2025-03,10\n")
    hostile(capsys, "simulate", "three_tier_cloud@1", "--ws", ws, "--scenario", "baseline",
            "--trials", "10", "--fees", fees,
            names=["fees.csv: row 2, tier: no tier named 'Services'"])  # fmt: skip
