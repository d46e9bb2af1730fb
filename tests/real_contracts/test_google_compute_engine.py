"""Google Compute Engine (sample_contracts/real/google_compute_engine.yaml): partial minutes are
not counted, and that decides a 99.99% month."""

from __future__ import annotations

from decimal import Decimal

from slamodeler.engine.replay import replay
from slamodeler.io.contract_file import load_contract
from tests.helpers.builders import incident
from tests.helpers.paths import SAMPLES

TERMS = load_contract(SAMPLES / "real" / "google_compute_engine.yaml")
# 10:00:30 to 10:05:20 Pacific time (PST, UTC-8) on 12 November 2025; DST ends on the 2nd, so
# November is 43,260 minutes in Los Angeles.
LOSS = [incident("2025-11-12T18:00:30", "2025-11-12T18:05:20")]


def multi_zone(terms):
    return replay(terms, LOSS, first="2025-11", last="2025-11").tiers[0].periods[0]


def test_partial_minutes_are_not_counted():
    """Whole minutes 10:01-10:05: 4 minutes of 43,260: 99.99075% >= 99.99, no credit."""
    p = multi_zone(TERMS)
    assert p.period_minutes == 43260
    assert p.downtime_minutes == 4
    assert (p.credit_pct, p.credit_after_caps) == (0, Decimal("0.00"))
    assert p.slot_rules == "whole slots only"


def test_counting_every_minute_touched_would_pay_ten_percent():
    """Any touch: 6 minutes, 99.98613% < 99.99: 10% of 20,000 = 2,000.00."""
    touched = TERMS.model_copy(
        update={"measurement": TERMS.measurement.model_copy(update={"slot_counting": "any"})}
    )
    p = multi_zone(touched)
    assert p.downtime_minutes == 6
    assert (p.credit_pct, p.credit_after_caps) == (10, Decimal("2000.00"))
