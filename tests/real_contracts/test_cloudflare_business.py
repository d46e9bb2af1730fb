"""Cloudflare Business (sample_contracts/real/cloudflare_business.yaml): the credit is the fee
for the downtime as a share of scheduled availability, the month less the customer's planned
downtime."""

from __future__ import annotations

from decimal import Decimal

from slamodeler.engine.replay import replay
from slamodeler.io.contract_file import load_contract
from tests.helpers.builders import incident
from tests.helpers.paths import SAMPLES

TERMS = load_contract(SAMPLES / "real" / "cloudflare_business.yaml")
# A full outage of 6 hours, two hours with a quarter of the visitors affected, and 12 hours the
# customer asked to be suspended.
SEPTEMBER = [
    incident("2025-09-09T10:00", "2025-09-09T16:00"),
    incident("2025-09-16T10:00", "2025-09-16T12:00", 0.25),
    incident("2025-09-20T00:00", "2025-09-20T12:00", cause="customer_planned"),
]


def september(terms=TERMS, history=SEPTEMBER):
    return replay(terms, history, first="2025-09", last="2025-09").tiers[0].periods[0]


def test_the_credit_is_the_fee_for_the_downtime_over_scheduled_availability():
    """Outage Period x Affected Customer Ratio: 360 x 1 + 120 x 0.25 = 390 minutes; scheduled
    availability 43,200 - 720 = 42,480 minutes; 390 / 42,480 x 200 = 1.836... -> 1.84."""
    p = september()
    assert (p.downtime_minutes, p.excluded_minutes) == (390, 720)
    assert p.credit_pct * 42480 == 100 * 390
    assert p.credit_after_caps == Decimal("1.84")
    assert p.rule == "1x the fee for 390 minutes of downtime of scheduled availability"


def test_the_share_of_the_whole_month_would_pay_less():
    """390 / 43,200 x 200 = 1.805... -> 1.81: the planned downtime left in the denominator."""
    credits = TERMS.tiers[0].credits.model_copy(update={"share_of": "period"})
    tier = TERMS.tiers[0].model_copy(update={"credits": credits})
    assert september(TERMS.model_copy(update={"tiers": [tier]})).credit_after_caps == Decimal(
        "1.81"
    )


def test_a_month_of_downtime_is_capped_at_one_monthly_fee_a_year():
    """Down all of September and all of October: each owes the whole fee (200.00); the year's
    cap of one monthly fee leaves October nothing."""
    history = [incident("2025-09-01T00:00", "2025-11-01T00:00")]
    periods = replay(TERMS, history, first="2025-09", last="2025-10").tiers[0].periods
    assert [p.credit_owed for p in periods] == [Decimal("200.00")] * 2
    assert [p.credit_after_caps for p in periods] == [Decimal("200.00"), Decimal("0.00")]
    assert periods[1].capped_by_liability == Decimal("200.00")
