"""Google Cloud Interconnect's 30-day claim window ("within 30 days from the close of the
month"), replayed on sample_contracts/real/google_cloud_interconnect.yaml and checked by hand,
with a fifth of claims assumed late."""

from __future__ import annotations

from decimal import Decimal

from slamodeler.engine.replay import replay
from slamodeler.io.contract_file import load_contract
from tests.helpers.builders import incident
from tests.helpers.paths import SAMPLES

INTERCONNECT = load_contract(SAMPLES / "real" / "google_cloud_interconnect.yaml")


def test_a_fifth_of_june_s_credit_is_forfeited_when_claimed_after_30_july():
    late = INTERCONNECT.model_copy(
        update={"claims": INTERCONNECT.claims.model_copy(update={"late_share": Decimal("0.2")})}
    )
    # June 2024 (43,200 min, Los Angeles time): 30 min down.
    # 100 x (43,200 - 30) / 43,200 = 99.9306% < 99.99: 10% of 1,700.00 = 170.00.
    # Claimed in time: 170.00 x (1 - 0.2) = 136.00; forfeited: 170.00 - 136.00 = 34.00.
    # June closes on 1 July; 30 days later is 31 July, so 30 July is the last day in time.
    history = [incident("2024-06-12T09:00-07:00", "2024-06-12T09:30-07:00", 1.0)]
    (june,) = replay(late, history, first="2024-06", last="2024-06").tiers[0].periods
    assert (june.downtime_minutes, june.credit_pct) == (30, 10)
    assert june.credit_after_caps == Decimal("170.00")
    assert (june.expected_paid, june.late_forfeited) == (Decimal("136.00"), Decimal("34.00"))
    assert june.claim_by == "2024-07-30"

    # As written (no share assumed late), the whole credit is expected to be paid.
    (as_written,) = replay(INTERCONNECT, history, first="2024-06", last="2024-06").tiers[0].periods
    assert (as_written.expected_paid, as_written.late_forfeited) == (Decimal("170.00"), 0)
