"""Cloudflare R2's SLA (sample_contracts/real/cloudflare_r2.yaml): 99.9% over the 30 days before
a claim, a claim being filed as each incident ends, with the fees of those 30 days; error rates
per 5-minute interval; hand-computed."""

from __future__ import annotations

from decimal import Decimal

from slamodeler.engine.replay import replay
from slamodeler.io.contract_file import load_contract
from tests.helpers.builders import incident
from tests.helpers.paths import SAMPLES

R2 = load_contract(SAMPLES / "real" / "cloudflare_r2.yaml")
HISTORY = [
    incident("2025-03-01T10:00", "2025-03-01T11:00"),  # 60 minutes fully down
    # The credential rotation of 21 March 2025 (21:38 to 22:45 UTC), at a 60% error rate: it
    # touches the 5-minute intervals from 21:35 to 22:45, 70 minutes x 0.6 = 42 minutes.
    incident("2025-03-21T21:38", "2025-03-21T22:45", impact=0.6),
]


def claims():
    return replay(R2, HISTORY, first="2025-03", last="2025-03").tiers[0].periods


def test_one_row_per_claim_measuring_the_30_days_before_it():
    first, second = claims()
    assert (first.period, first.start, first.end) == (
        "claim 2025-03-01 11:00",
        "2025-01-30T11:00:00+00:00",
        "2025-03-01T11:00:00+00:00",
    )
    assert second.period == "claim 2025-03-21 22:45"
    assert second.start == "2025-02-19T22:45:00+00:00"
    assert first.period_minutes == second.period_minutes == 30 * 1440


def test_the_credit_is_a_share_of_the_fees_of_those_30_days():
    first, second = claims()
    # 60 of 43200 minutes: 99.861% < 99.9%: 10%. The 30 days are 37 of January's 744 hours,
    # all of February and 11 of March's 744 hours: 1 + 48/744 = 33/31 monthly fees of 3100,
    # 3300.00; 10% is 330.00.
    assert first.downtime_minutes == 60 and first.credit_pct == 10
    assert first.credit_owed == Decimal("330.00")
    # 60 + 42 = 102 minutes: 99.764%: 10%, of 217.25/672 of February's fee and 502.75/744 of
    # March's: 3100 x (217.25/672 + 502.75/744) = 3096.987...; 10% is 309.70.
    assert second.downtime_minutes == 102 and second.credit_pct == 10
    assert second.credit_owed == Decimal("309.70")


def test_no_claim_without_an_incident_ending_in_the_range():
    assert replay(R2, HISTORY, first="2025-04", last="2025-04").tiers[0].periods == ()
