"""The workbook of a rolling window's replay with per-incident credits and support misses: each
row's credit % formula adds its billing period's credits as a value (docs/workbook.md), and
LibreOffice recalculates the engine's credits after the per-period cap."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
import yaml

from slamodeler.cli.main import main
from slamodeler.domain.contract import Contract
from slamodeler.domain.support import Ticket
from slamodeler.engine.replay import replay
from slamodeler.services.replay import load_incident_file
from tests.helpers.builders import ts
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


@needs_office
def test_libreoffice_recalculates_the_claims_with_the_credits_since_the_previous_claim(
    office, tmp_path, capsys
):
    files = {
        "terms.yaml": TERMS.replace("{kind: rolling, days: 30}", "{kind: claim, days: 30}"),
        "incidents.csv": INCIDENTS_CSV,
        "tickets.csv": TICKETS_CSV,
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    out = tmp_path / "replay.xlsx"
    args = ["replay", "terms.yaml", "incidents.csv", "--tickets", "tickets.csv"]
    args += ["--from", "2024-02", "--to", "2024-04", "--xlsx", str(out)]
    assert main([str(tmp_path / a) if a in files else a for a in args]) == 0
    capsys.readouterr()
    terms = Contract.model_validate(yaml.safe_load(files["terms.yaml"]))
    incidents = load_incident_file(tmp_path / "incidents.csv").incidents
    tickets = [
        Ticket(f"T{n}", "p1", ts("2024-03-01T10:00:00"), ts("2024-03-01T10:40:00"))
        for n in range(3)
    ]
    periods = replay(terms, incidents, "2024-02", "2024-04", tickets=tickets).tiers[0].periods
    wb = openpyxl.load_workbook(convert(office, out, "xlsx", tmp_path / "out"), data_only=True)
    ws = wb["Replay"]
    col = {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1) if ws.cell(3, c).value}
    got = [Decimal(str(ws.cell(4 + i, col["Credit issued"]).value)) for i in range(len(periods))]
    assert got == [p.credit_after_caps for p in periods]
    # the tickets of 1 March 10:00 go to the first claim after them, C's (A's was at 01:00)
    assert [p.support.credit_pct if p.support else 0 for p in periods] == [0, 15]
