"""The workbook of a rolling window's replay with per-incident credits and support misses: each
row's credit % formula adds its billing period's credits as a value (docs/workbook.md), and
LibreOffice recalculates the engine's credits after the per-period cap."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

from slamodeler.cli.main import main
from tests.helpers.office import convert, needs_office, office_profile
from tests.helpers.window_credit_terms import INCIDENTS_CSV, TERMS, TICKETS_CSV


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    return office_profile(tmp_path_factory)


@needs_office
def test_libreoffice_recalculates_the_window_rows_with_their_billing_periods_credits(
    office, tmp_path, capsys
):
    files = {"terms.yaml": TERMS, "incidents.csv": INCIDENTS_CSV, "tickets.csv": TICKETS_CSV}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    out = tmp_path / "replay.xlsx"
    args = ["replay", "terms.yaml", "incidents.csv", "--tickets", "tickets.csv"]
    args += ["--from", "2024-02", "--to", "2024-04", "--xlsx", str(out)]
    assert main([str(tmp_path / a) if a in files else a for a in args]) == 0
    capsys.readouterr()
    wb = openpyxl.load_workbook(convert(office, out, "xlsx", tmp_path / "out"), data_only=True)
    ws = wb["Replay"]
    col = {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1) if ws.cell(3, c).value}
    rows = {ws.cell(r, col["Period"]).value: r for r in range(4, ws.max_row + 1)}

    def cell(period: str, name: str) -> Decimal:
        return round(Decimal(str(ws.cell(rows[period], col[name]).value)), 6)

    # the hand count of tests/engine/test_window_credits.py: 15%, 30% cut to 25%, 10%
    assert [cell(p, "Credit %") for p in ("2024-02", "2024-03", "2024-04")] == [
        Decimal("0.15"),
        Decimal("0.3"),
        Decimal("0.1"),
    ]
    issued = [cell(p, "Credit issued") for p in ("2024-02", "2024-03", "2024-04")]
    assert issued == [Decimal(150), Decimal(250), Decimal(100)]
    assert "support: 3 late response(s) (T0, T1, T2) +15%" in ws.cell(rows["2024-03"], 27).value
