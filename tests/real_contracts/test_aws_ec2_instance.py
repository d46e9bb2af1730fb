"""Amazon EC2 instance-level SLA (sample_contracts/real/aws_ec2_instance.yaml): one instance,
its own measurement, 99.5% a month; every minute it is unreachable counts, whatever its zone."""

from __future__ import annotations

from decimal import Decimal

from slamodeler.engine.replay import replay
from slamodeler.io.contract_file import load_contract
from tests.helpers.builders import incident
from tests.helpers.paths import SAMPLES

TERMS = load_contract(SAMPLES / "real" / "aws_ec2_instance.yaml")


def june(*minutes_down: int):
    history = [
        incident(
            f"2025-06-{day:02d}T00:00",
            f"2025-06-{day:02d}T{m // 60:02d}:{m % 60:02d}",
            service="ec2-instance",
            zone="use1-az1",
        )
        for day, m in enumerate(minutes_down, start=2)
    ]
    return replay(TERMS, history, first="2025-06", last="2025-06").tiers[0].periods[0]


def test_four_hours_unreachable_miss_the_instance_commitment():
    """June 2025 is 43,200 minutes; down 3 h and 1 h on two days: 240 minutes,
    100 * 42,960 / 43,200 = 99.4444% < 99.5: 10% of 200 = 20.00."""
    p = june(180, 60)
    assert p.downtime_minutes == 240
    assert p.availability_pct * 43200 == 100 * 42960
    assert (p.credit_pct, p.credit_after_caps, p.zones_down) == (10, Decimal("20.00"), None)


def test_three_and_a_half_hours_meet_it():
    """210 minutes: 100 * 42,990 / 43,200 = 99.5139% >= 99.5: no credit."""
    p = june(210)
    assert (p.downtime_minutes, p.credit_pct, p.met_target) == (210, 0, True)
