"""Under a k-of-n zone scope with overlaps 'add', each excluded minute is listed under the
incident whose exclusion excused it, so a period's incidents add up to its excluded minutes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from slamodeler.domain.contract import Contract
from tests.helpers.agreement import replay_agrees_with_reference
from tests.helpers.builders import incident


def two_of_n_zones(overlaps: str) -> Contract:
    return Contract.model_validate(
        {
            "format": "slamodeler/v1",
            "name": "two zones",
            "currency": "USD",
            "timezone": "UTC",
            "term": {"start": "2024-01-01", "months": 12},
            "measurement": {"period": "month", "overlaps": overlaps},
            "exclusions": {"causes": ["customer", "maintenance"]},
            "tiers": [
                {
                    "name": "T",
                    "target_pct": "99",
                    "monthly_fee": "100",
                    "scope": {"zones": {"at_least": 2, "of": []}},
                    "credits": {"kind": "bands", "bands": [{"below": "99", "credit_pct": "10"}]},
                }
            ],
        }
    )


@pytest.mark.parametrize("overlaps", ["add", "worst"])
@pytest.mark.parametrize("cause", ["customer", "maintenance"])
def test_an_excluded_zone_outage_carries_the_minutes_its_exclusion_excused(overlaps, cause):
    """January 10th: zone a 10:00-11:00 by an excluded cause, zone b 10:30-11:30. Two zones are
    down 10:30-11:00, which the exclusion excuses: 30 excluded minutes, listed under zone a's
    incident though it alone makes no quorum; zone b's incident counts nothing (one zone down
    is not the region)."""
    history = [
        incident("2024-01-10T10:00", "2024-01-10T11:00", zone="a", cause=cause),
        incident("2024-01-10T10:30", "2024-01-10T11:30", zone="b"),
    ]
    result = replay_agrees_with_reference(two_of_n_zones(overlaps), history, "2024-01", "2024-01")
    (january,) = result.tiers[0].periods
    assert (january.excluded_minutes, january.downtime_minutes) == (30, 0)
    assert january.excluded_by_reason == {f"cause: {cause}": Decimal(30)}
    assert [(s.id, s.excluded_minutes, s.excluded_reason) for s in january.incidents] == [
        (history[0].id, 30, f"cause: {cause}")
    ]


@pytest.mark.parametrize("overlaps", ["add", "worst"])
def test_a_cause_exclusion_is_listed_under_its_own_incident_not_an_earlier_maintenance_one(
    overlaps,
):
    """January 10th: zone a 10:00-11:00 for maintenance, zone b 10:15-11:00 by the customer,
    zone c 10:30-11:30. Zones a and b are down 10:15-10:30: the customer's cause excuses those
    15 minutes, so they go to zone b's incident though zone a's started first; 10:30-11:00 zones
    a and c are down, which maintenance excuses: 30 minutes to zone a's incident."""
    history = [
        incident("2024-01-10T10:00", "2024-01-10T11:00", zone="a", cause="maintenance"),
        incident("2024-01-10T10:15", "2024-01-10T11:00", zone="b", cause="customer"),
        incident("2024-01-10T10:30", "2024-01-10T11:30", zone="c"),
    ]
    result = replay_agrees_with_reference(two_of_n_zones(overlaps), history, "2024-01", "2024-01")
    (january,) = result.tiers[0].periods
    assert (january.excluded_minutes, january.downtime_minutes) == (45, 0)
    assert january.excluded_by_reason == {
        "cause: customer": Decimal(15),
        "cause: maintenance": Decimal(30),
    }
    assert [(s.id, s.excluded_minutes, s.excluded_reason) for s in january.incidents] == [
        (history[0].id, 30, "cause: maintenance"),
        (history[1].id, 15, "cause: customer"),
    ]
