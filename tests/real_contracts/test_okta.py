"""Okta (sample_contracts/real/okta.yaml): minutes with more than 5% failed calls are down in
full; 99.99% a month, 5% of the fee below it."""

from __future__ import annotations

from decimal import Decimal

from slamodeler.engine.replay import replay
from slamodeler.io.contract_file import load_contract
from tests.helpers.builders import incident
from tests.helpers.paths import SAMPLES

TERMS = load_contract(SAMPLES / "real" / "okta.yaml")


def test_a_short_burst_of_errors_misses_four_nines():
    """June 2025 (43,200 minutes): 10 minutes at 50% failed calls and 30 at 3%. Down: 10
    minutes, 99.9769% < 99.99: 5% of 5,000 = 250.00. Weighed, 5 + 0.9 = 5.9 minutes
    (99.98634%) would give the same band; the 3% minutes alone give nothing."""
    history = [
        incident("2025-06-03T10:00", "2025-06-03T10:10", 0.5),
        incident("2025-06-04T10:00", "2025-06-04T10:30", 0.03),
    ]
    p = replay(TERMS, history, first="2025-06", last="2025-06").tiers[0].periods[0]
    assert p.downtime_minutes == 10
    assert p.availability_pct * 43200 == 100 * 43190
    assert (p.credit_pct, p.credit_after_caps) == (5, Decimal("250.00"))
    quiet = replay(TERMS, history[1:], first="2025-06", last="2025-06").tiers[0].periods[0]
    assert (quiet.downtime_minutes, quiet.credit_pct) == (0, 0)
