"""Per-incident credits in the workbook: the credit % formula adds the period's per-incident
credits as a value (the incidents are not in the workbook's terms), and LibreOffice recalculates
every formula to the engine's value."""

from __future__ import annotations

import pytest

from slamodeler.domain.incidents import Incident
from tests.helpers.builders import contract, ts
from tests.helpers.office import needs_office, office_profile
from tests.io.test_workbook import headers, recalculated_as_the_engine


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    return office_profile(tmp_path_factory)


def _down(ident: str, start: str, minutes: int, impact: str = "full") -> Incident:
    begin = ts(start)
    return Incident(id=ident, start=begin, end=begin + 60 * minutes, impact=impact)


@needs_office
@pytest.mark.parametrize("hours", ["started", "exact"])
def test_libreoffice_adds_the_per_incident_credits_to_the_schedules(office, tmp_path, hours):
    """March: a full incident of 20 minutes and a partial one of 150 (45 weighted minutes):
    65 of 44,640 minutes is 99.85%, band 1 (10%); the second incident earns 5% + 2% x its
    hours (1 started hour, or 0.75 exact)."""
    terms = contract(
        tier={
            "incident_credits": {
                "longer_than_minutes": 30,
                "credit_pct": "5",
                "credit_pct_per_hour": "2",
                "hours": hours,
            }
        }
    )
    incidents = [_down("A", "2024-03-05T10:00", 20), _down("B", "2024-03-12T09:00", 150, "partial")]
    wb = recalculated_as_the_engine(office, terms, incidents, tmp_path)
    ws = wb["Replay"]
    cols = headers(ws, 3)
    credit = {
        ws.cell(r, cols["Period"]).value: ws.cell(r, 12).value for r in range(4, ws.max_row + 1)
    }
    earned = 0.10 + (0.07 if hours == "started" else 0.05 + 0.02 * 45 / 60)
    assert credit["2024-03"] == pytest.approx(earned)
