"""Atlassian Cloud (sample_contracts/real/atlassian_cloud.yaml): a minute is a Downtime Minute
when its error rate is above 5%, and then it counts in full."""

from __future__ import annotations

from decimal import Decimal

from slamodeler.engine.replay import replay
from slamodeler.io.contract_file import load_contract
from tests.helpers.builders import incident
from tests.helpers.paths import SAMPLES

TERMS = load_contract(SAMPLES / "real" / "atlassian_cloud.yaml")
# April 2025, 43,200 minutes: 30 minutes at a 100% error rate, 60 at 14%, and 120 at 2%.
APRIL = [
    incident("2025-04-08T09:00", "2025-04-08T09:30", 1.0),
    incident("2025-04-15T14:00", "2025-04-15T15:00", 0.14),
    incident("2025-04-22T02:00", "2025-04-22T04:00", 0.02),
]


def premium(terms):
    return replay(terms, APRIL, first="2025-04", last="2025-04", tiers=["Premium"]).tiers[0]


def test_error_minutes_above_five_percent_count_in_full():
    """30 + 60 Downtime Minutes (the 2% minutes are not down): 90 of 43,200, availability
    100 x 43,110 / 43,200 = 99.7917% < 99.9: 10% of the 1,000 fee."""
    p = premium(TERMS).periods[0]
    assert p.downtime_minutes == 90
    assert p.availability_pct * 43200 == 100 * 43110
    assert (p.credit_pct, p.credit_after_caps) == (10, Decimal("100.00"))
    assert "down in full" in p.slot_rules


def test_weighing_the_error_rate_instead_gives_no_credit():
    """Without the threshold the minutes are weighed: 30 + 0.14 x 60 + 0.02 x 120 = 40.8;
    without the 2% incident, the issue's 38.4 weighted minutes (99.9111%): no credit."""
    weighed = TERMS.model_copy(
        update={"measurement": TERMS.measurement.model_copy(update={"down_above": None})}
    )
    assert premium(weighed).periods[0].downtime_minutes == Decimal("40.8")
    issue = replay(weighed, APRIL[:2], first="2025-04", last="2025-04", tiers=["Premium"])
    p = issue.tiers[0].periods[0]
    assert (p.downtime_minutes, p.credit_pct) == (Decimal("38.4"), 0)
