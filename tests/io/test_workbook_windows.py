"""The workbook of a contract measuring fiscal quarters or windows: each replayed row (a fiscal
quarter, a month's trailing year, a claim) carries its months of fees, and LibreOffice
recalculates the credits to the engine's."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from slamodeler.cli.main import main
from slamodeler.engine.replay import replay
from slamodeler.io.contract_file import load_contract
from slamodeler.services.replay import load_incident_file
from tests.helpers.office import convert, needs_office, office_profile
from tests.helpers.paths import SAMPLES

HISTORIES = {
    "slack": (
        "S-1,2024-01-20T10:00:00Z,2024-01-20T11:00:00Z,full\n"
        "S-2,2024-03-05T12:00:00Z,2024-03-05T12:30:00Z,full\n",
        "FY2024-Q4",
        "FY2025-Q1",
    ),
    "aws_ec2_2008": (
        "E-1,2008-12-15T00:00:00Z,2008-12-15T04:00:00Z,full\n"
        "E-2,2009-06-10T00:00:00Z,2009-06-10T00:30:00Z,full\n",
        "2009-05",
        "2009-07",
    ),
    "cloudflare_r2": (
        "R-1,2025-03-01T10:00:00Z,2025-03-01T11:00:00Z,1\n"
        "R-2,2025-03-21T21:38:00Z,2025-03-21T22:45:00Z,0.6\n",
        "2025-03",
        "2025-03",
    ),
}


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    return office_profile(tmp_path_factory)


def exported(name: str, tmp_path: Path, capsys):
    rows, first, last = HISTORIES[name]
    incidents = tmp_path / f"{name}.csv"
    incidents.write_text("id,start,end,impact\n" + rows, encoding="utf-8")
    contract = SAMPLES / "real" / f"{name}.yaml"
    out = tmp_path / f"{name}.xlsx"
    args = ["replay", contract, incidents, "--from", first, "--to", last, "--xlsx", out]
    assert main([str(a) for a in args]) == 0
    capsys.readouterr()
    loaded = load_incident_file(incidents).incidents
    result = replay(load_contract(contract), loaded, first=first, last=last)
    return out, result.tiers[0].periods


def columns(ws) -> dict[str, int]:
    return {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1) if ws.cell(3, c).value}


def test_a_claims_row_carries_the_fees_of_its_days(tmp_path, capsys):
    path, periods = exported("cloudflare_r2", tmp_path, capsys)
    ws = openpyxl.load_workbook(path)["Replay"]
    col = columns(ws)
    assert [ws.cell(r, col["Period"]).value for r in (4, 5)] == [p.period for p in periods]
    # 37 of January's 744 hours, February, 11 of March's 744 hours: 33/31 monthly fees.
    assert ws.cell(4, col["Months"]).value == pytest.approx(float(Fraction(33, 31)))
    assert ws.cell(4, col["Period minutes"]).value == 43200


@needs_office
@pytest.mark.parametrize("name", list(HISTORIES))
def test_libreoffice_recalculates_the_engines_credits(name, office, tmp_path, capsys):
    path, periods = exported(name, tmp_path, capsys)
    wb = openpyxl.load_workbook(convert(office, path, "xlsx", tmp_path / "out"), data_only=True)
    ws = wb["Replay"]
    col = columns(ws)
    got = [Decimal(str(ws.cell(4 + i, col["Credit issued"]).value)) for i in range(len(periods))]
    assert got == [p.credit_after_caps for p in periods]
    assert any(got)
