"""Amazon EC2 region-level SLA (sample_contracts/real/aws_ec2_region.yaml): the region is
unavailable only while two or more of the customer's Availability Zones are; 99.99% a month."""

from __future__ import annotations

from decimal import Decimal

from slamodeler.engine.replay import replay
from slamodeler.io.contract_file import load_contract
from tests.helpers.builders import incident
from tests.helpers.paths import SAMPLES

TERMS = load_contract(SAMPLES / "real" / "aws_ec2_region.yaml")


def march(history):
    return replay(TERMS, history, first="2025-03", last="2025-03").tiers[0].periods[0]


def az(start: str, end: str, zone: str, cause: str = ""):
    return incident(start, end, cause=cause, service="ec2", region="us-east-1", zone=zone)


def test_two_zones_down_at_once_make_the_region_unavailable():
    """March 2025 is 44,640 minutes. use1-az1 is down 10:00-11:00 and use1-az2 10:40-11:30: both
    are down 10:40-11:00, 20 minutes (use1-az3, not one of the customer's zones, down for two
    hours, does not count). 100 * 44,620 / 44,640 = 99.9552% < 99.99: 10% of 10,000."""
    p = march(
        [
            az("2025-03-05T10:00", "2025-03-05T11:00", "use1-az1"),
            az("2025-03-05T10:40", "2025-03-05T11:30", "use1-az2"),
            az("2025-03-05T10:00", "2025-03-05T12:00", "use1-az3"),
        ]
    )
    assert p.downtime_minutes == 20
    assert p.availability_pct * 44640 == 100 * 44620
    assert (p.credit_pct, p.credit_after_caps) == (10, Decimal("1000.00"))
    assert p.zones_down == {"use1-az1": 20, "use1-az2": 20}


def test_one_zone_down_for_six_hours_owes_nothing():
    p = march([az("2025-03-05T06:00", "2025-03-05T12:00", "use1-az4")])
    assert (p.downtime_minutes, p.credit_pct, p.met_target) == (0, 0, True)


def test_an_excluded_cause_in_one_of_the_zones_excuses_the_region_minutes():
    """The same 20 minutes, but use1-az2 went down by force majeure: without it only one zone
    is down, so the 20 minutes are excluded (removed from the month) and nothing counts."""
    p = march(
        [
            az("2025-03-05T10:00", "2025-03-05T11:00", "use1-az1"),
            az("2025-03-05T10:40", "2025-03-05T11:30", "use1-az2", cause="force_majeure"),
        ]
    )
    assert (p.downtime_minutes, p.excluded_minutes, p.credit_pct) == (0, 20, 0)
    assert p.excluded_by_reason == {"cause: force_majeure": 20}
