"""Salesforce MSA (sample_contracts/real/salesforce.yaml): availability is an effort, with
planned downtime and causes beyond Salesforce's control left out, and no credit at all: a month
below the 99.9% record counts as a breach and pays nothing."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from slamodeler.engine.replay import replay
from slamodeler.io.contract_file import load_contract
from tests.helpers.builders import incident
from tests.helpers.paths import SAMPLES

TERMS = load_contract(SAMPLES / "real" / "salesforce.yaml")
# March 2025 in Pacific time: 31 days less the hour lost to daylight saving time on the 9th.
MARCH = [
    incident("2025-03-08T10:00", "2025-03-08T14:00", cause="maintenance"),  # planned, 240 min
    incident("2025-03-12T18:00", "2025-03-12T19:30", cause="isp_failure"),  # 90 min
    incident("2025-03-20T02:00", "2025-03-20T02:30", cause="denial_of_service"),  # 30 min
    incident("2025-03-25T16:00", "2025-03-25T17:00"),  # Salesforce's own outage, 60 min
]


def test_a_month_below_the_record_is_a_breach_that_pays_nothing():
    """Minutes: 31 x 1,440 - 60 = 44,580; excluded 240 + 90 + 30 = 360, removed: 44,220;
    availability 100 x (44,220 - 60) / 44,220 = 99.864...% < 99.9%: missed, and the band pays
    0% of 16,500."""
    p = replay(TERMS, MARCH, first="2025-03", last="2025-03").tiers[0].periods[0]
    assert (p.period_minutes, p.excluded_minutes, p.downtime_minutes) == (44580, 360, 60)
    assert p.availability_pct == Fraction(100 * (44220 - 60), 44220)
    assert not p.met_target
    assert p.credit_pct == 0 and p.credit_owed == Decimal("0") and p.credit_after_caps == 0
    assert p.rule == "band 1: availability < 99.9% -> 0%"
    assert set(p.excluded_by_reason) == {
        "cause: maintenance",
        "cause: isp_failure",
        "cause: denial_of_service",
    }


def test_the_excluded_causes_alone_never_make_a_breach():
    """Without Salesforce's own hour, March is 100% available: 360 excluded minutes are not
    downtime."""
    p = replay(TERMS, MARCH[:3], first="2025-03", last="2025-03").tiers[0].periods[0]
    assert p.downtime_minutes == 0 and p.met_target


def test_43_minutes_of_a_30_day_month_meet_the_record_and_44_do_not():
    """April: 43,200 minutes, 99.9% allows 43.2. 43 minutes: 99.9005%; 44: 99.8981%."""

    def april(minutes: int):
        outage = incident("2025-04-15T12:00", f"2025-04-15T12:{minutes:02d}")
        return replay(TERMS, [outage], first="2025-04", last="2025-04").tiers[0].periods[0]

    assert april(43).met_target and not april(44).met_target
    assert april(44).credit_after_caps == 0
