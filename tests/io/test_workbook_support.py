"""Support credits in the workbook: the Replay sheet's credit % formula adds the period's
support credit, and LibreOffice recalculates it to the engine's credit."""

from __future__ import annotations

from decimal import Decimal

from slamodeler.domain.incidents import Incident
from slamodeler.domain.support import Ticket
from tests.helpers.builders import contract, ts
from tests.helpers.office import needs_office
from tests.io.test_workbook import headers, office, recalculated_as_the_engine

__all__ = ["office"]  # the LibreOffice profile fixture


@needs_office
def test_libreoffice_adds_the_support_credit_to_the_band_credit(office, tmp_path):
    """March 2024: 60 minutes down (99.8656%, band 1: 10%) and a P1 ticket answered in 40
    minutes (+5%); April: no downtime and a P2 ticket 30 minutes late (+50 of 1,000: 5%)."""
    support = {
        "targets": [
            {"priority": "P1", "respond_within_minutes": 15, "credit_pct": 5},
            {"priority": "P2", "respond_within_minutes": 60, "credit_amount": 50},
        ]
    }
    terms = contract(tier={"support": support})
    down = Incident("I-1", ts("2024-03-05T10:00:00"), ts("2024-03-05T11:00:00"), "full")
    tickets = [
        Ticket("T-1", "p1", ts("2024-03-06T10:00:00"), ts("2024-03-06T10:40:00"), 2),
        Ticket("T-2", "p2", ts("2024-04-02T10:00:00"), ts("2024-04-02T11:30:00"), 3),
    ]
    quiet = Incident("I-2", ts("2024-04-30T10:00:00"), ts("2024-04-30T10:00:00"), "full")
    wb = recalculated_as_the_engine(office, terms, [down, quiet], tmp_path, tickets)
    ws = wb["Replay"]
    cols = headers(ws, 3)
    rows = {ws.cell(r, cols["Period"]).value: r for r in range(4, ws.max_row + 1)}
    assert round(Decimal(str(ws.cell(rows["2024-03"], 12).value)), 6) == Decimal("0.15")
    assert round(Decimal(str(ws.cell(rows["2024-04"], 12).value)), 6) == Decimal("0.05")
    assert "support: 1 late response(s) (T-2) +5%" in ws.cell(rows["2024-04"], 27).value
