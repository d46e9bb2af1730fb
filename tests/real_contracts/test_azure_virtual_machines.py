"""Azure Virtual Machines SLA (sample_contracts/real/azure_virtual_machines.yaml): instances
across two zones are down only while both zones are (99.99%); an availability set (99.95%) and a
single instance (99.9%) count every outage of the region's VMs."""

from __future__ import annotations

from decimal import Decimal

from slamodeler.engine.replay import replay
from slamodeler.io.contract_file import load_contract
from tests.helpers.builders import incident
from tests.helpers.paths import SAMPLES

TERMS = load_contract(SAMPLES / "real" / "azure_virtual_machines.yaml")


def april(history):
    result = replay(TERMS, history, first="2025-04", last="2025-04")
    return {t.tier: t.periods[0] for t in result.tiers}


def vm(start: str, end: str, zone: str):
    return incident(start, end, service="Virtual Machines", region="westeurope", zone=zone)


def test_both_zones_down_for_a_quarter_hour():
    """April 2025 is 43,200 minutes. Zone 1 is down 09:00-10:00 and zone 2 09:30-09:45.
    Zones: 15 minutes, 99.9653% < 99.99: 10% of 2,000 = 200.00. Set: 60 minutes, 99.8611%
    < 99.95: 10% of 2,000 = 200.00. Single instance: 99.8611% < 99.9: 10% of 1,000 = 100.00."""
    p = april(
        [
            vm("2025-04-10T09:00", "2025-04-10T10:00", "1"),
            vm("2025-04-10T09:30", "2025-04-10T09:45", "2"),
        ]
    )
    zones, zone_set, single = p["Availability Zones"], p["Availability Set"], p["Single Instance"]
    assert (zones.downtime_minutes, zones.credit_after_caps) == (15, Decimal("200.00"))
    assert zones.availability_pct * 43200 == 100 * (43200 - 15)
    assert zones.zones_down == {"1": 15, "2": 15}
    assert (zone_set.downtime_minutes, zone_set.credit_after_caps) == (60, Decimal("200.00"))
    assert (single.downtime_minutes, single.credit_after_caps) == (60, Decimal("100.00"))


def test_one_zone_down_for_half_an_hour_hits_the_set_only():
    """Zone 1 alone for 30 minutes: the zones tier keeps 100%; the set, 99.9306% < 99.95, gets
    10%; the single instance, 99.9306% >= 99.9, nothing."""
    p = april([vm("2025-04-10T09:00", "2025-04-10T09:30", "1")])
    assert p["Availability Zones"].downtime_minutes == 0
    assert p["Availability Set"].credit_pct == 10
    assert (p["Single Instance"].downtime_minutes, p["Single Instance"].credit_pct) == (30, 0)
