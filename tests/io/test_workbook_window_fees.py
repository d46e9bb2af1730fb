"""The workbook of a claim window whose fee varies by month, and of a window measured in service
hours: each row carries the engine's fee and minutes, and LibreOffice recalculates the credits
to the engine's."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from slamodeler.cli.main import main
from tests.helpers.office import convert, needs_office, office_profile
from tests.helpers.paths import SAMPLES

R2 = SAMPLES / "real" / "cloudflare_r2.yaml"
OUTAGES = (
    "id,start,end,impact\n"
    "R-1,2025-03-01T10:00:00Z,2025-03-01T11:00:00Z,1\n"
    "R-2,2025-03-21T21:38:00Z,2025-03-21T22:45:00Z,0.6\n"
)
USAGE = "tier,month,fee\nR2,2025-01,1240\nR2,2025-02,2800\nR2,2025-03,4650\n"
OFFICE = """format: slamodeler/v1
name: Office hours over 30 days
currency: EUR
timezone: Europe/Berlin
term: {start: 2025-01-01}
measurement:
  window: {kind: rolling, days: 30}
  service_hours: {start: "08:00", end: "18:00", holidays: [2025-10-03]}
tiers:
  - name: Office
    target_pct: 99.5
    monthly_fee: 2000
    credits: {kind: bands, bands: [{below: 99.5, credit_pct: 10}]}
"""
OFFICE_OUTAGES = (
    "id,start,end,impact\n"
    "H-1,2025-10-06T09:00:00+02:00,2025-10-06T10:00:00+02:00,full\n"
    "H-2,2025-10-10T17:50:00+02:00,2025-10-13T08:10:00+02:00,full\n"
)


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    return office_profile(tmp_path_factory)


def r2_with_usage_fees(tmp_path: Path, capsys) -> Path:
    (tmp_path / "r2.csv").write_text(OUTAGES, encoding="utf-8")
    (tmp_path / "usage.csv").write_text(USAGE, encoding="utf-8")
    out = tmp_path / "r2.xlsx"
    args = ["replay", R2, tmp_path / "r2.csv", "--fees", tmp_path / "usage.csv", "--xlsx", out]
    assert main([str(a) for a in args]) == 0
    capsys.readouterr()
    return out


def office_hours(tmp_path: Path, capsys) -> Path:
    (tmp_path / "office.yaml").write_text(OFFICE, encoding="utf-8")
    (tmp_path / "office.csv").write_text(OFFICE_OUTAGES, encoding="utf-8")
    out = tmp_path / "office.xlsx"
    args = ["replay", tmp_path / "office.yaml", tmp_path / "office.csv", "--from", "2025-10",
            "--to", "2025-10", "--xlsx", out]  # fmt: skip
    assert main([str(a) for a in args]) == 0
    capsys.readouterr()
    return out


def cells(path: Path, name: str, rows: int, data_only: bool = False) -> list:
    ws = openpyxl.load_workbook(path, data_only=data_only)["Replay"]
    col = {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1)}
    return [ws.cell(4 + i, col[name]).value for i in range(rows)]


def test_a_claims_fee_is_the_engines_each_days_share_of_its_months_fee(tmp_path, capsys):
    # 1,240 x 37/744 + 2,800 + 4,650 x 11/744; 2,800 x 217.25/672 + 4,650 x 502.75/744
    fees = cells(r2_with_usage_fees(tmp_path, capsys), "Period fee", 2)
    assert [round(float(str(f).lstrip("=")), 2) for f in fees] == [2930.42, 4047.4]


def test_a_windows_minutes_are_its_service_minutes(tmp_path, capsys):
    assert cells(office_hours(tmp_path, capsys), "Period minutes", 1) == [12600]


@needs_office
def test_libreoffice_recalculates_the_credits_of_claim_fees_and_service_windows(
    office, tmp_path, capsys
):
    for made, credits in (
        (r2_with_usage_fees, [Decimal("293.04"), Decimal("404.74")]),
        (office_hours, [Decimal("200")]),
    ):
        path = made(tmp_path, capsys)
        done = convert(office, path, "xlsx", tmp_path / "out")
        got = cells(done, "Credit issued", len(credits), data_only=True)
        assert [Decimal(str(v)) for v in got] == credits
