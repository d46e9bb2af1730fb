"""Hand-computed replays of the measurement periods (engine/periods.py, docs/measurement.md):
their length in the contract's time zone, local midnight, an incident clipped at a
boundary. Each expected number is worked out in the comment beside it from the contract
terms, not from the code."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from slamodeler.engine.replay import replay
from tests.helpers.builders import contract, incident
from tests.helpers.replay_results import only

D = Decimal


# --- periods -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "month", "minutes"),
    [
        ("UTC", "2024-01", 31 * 1440),  # 44,640
        ("UTC", "2024-04", 30 * 1440),  # 43,200
        ("UTC", "2024-02", 29 * 1440),  # leap year: 41,760
        ("UTC", "2023-02", 28 * 1440),  # 40,320
        ("America/New_York", "2024-03", 31 * 1440 - 60),  # spring forward: 44,580
        ("America/New_York", "2024-11", 30 * 1440 + 60),  # fall back: 43,260
        ("Europe/Berlin", "2024-03", 31 * 1440 - 60),
        ("Australia/Sydney", "2024-04", 30 * 1440 + 60),  # southern hemisphere: DST ends in April
    ],
)
def test_period_length_in_the_contract_zone(zone, month, minutes):
    result = replay(contract(timezone=zone), [], first=month, last=month)
    assert only(result).period_minutes == minutes
    assert only(result).availability_pct == 100


def test_new_york_period_starts_at_local_midnight():
    # An outage 2024-03-31 23:30 to 2024-04-01 00:30 New York time (EDT, UTC-4) is half in March.
    inc = incident("2024-04-01T03:30:00+00:00", "2024-04-01T04:30:00+00:00")
    result = replay(contract(timezone="America/New_York"), [inc], first="2024-03", last="2024-04")
    assert only(result, "2024-03").downtime_minutes == 30
    assert only(result, "2024-04").downtime_minutes == 30
    assert only(result, "2024-03").start == "2024-03-01T00:00:00-05:00"
    assert only(result, "2024-03").end == "2024-04-01T00:00:00-04:00"


def test_incident_spanning_two_months_is_clipped_at_the_boundary():
    # 2024-01-31 23:00 to 2024-02-01 02:00 UTC: 60 minutes in January, 120 in February.
    inc = incident("2024-01-31T23:00", "2024-02-01T02:00")
    result = replay(contract(), [inc])
    jan, feb = result.tiers[0].periods
    assert (jan.downtime_minutes, feb.downtime_minutes) == (60, 120)
    # January: 100 * (44640 - 60) / 44640 = 99.8656%: band 1 (below 99.9) -> 10%
    assert jan.availability_pct == Fraction(100 * (44640 - 60), 44640)
    assert jan.credit_pct == 10
    assert [s.counted_minutes for s in feb.incidents] == [120]
