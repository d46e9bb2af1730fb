"""Microsoft 365 (sample_contracts/real/microsoft_365.yaml): downtime in user-minutes, so two
outages on different user groups add up."""

from __future__ import annotations

from decimal import Decimal

from slamodeler.engine.replay import replay
from slamodeler.io.contract_file import load_contract
from tests.helpers.builders import incident
from tests.helpers.paths import SAMPLES

TERMS = load_contract(SAMPLES / "real" / "microsoft_365.yaml")
# Half the users without mail 10:00-12:00, another 30% of them 11:00-13:00.
OUTAGES = [
    incident("2025-09-09T10:00", "2025-09-09T12:00", 0.5),
    incident("2025-09-09T11:00", "2025-09-09T13:00", 0.3),
]


def test_overlapping_outages_on_different_users_add():
    """0.5 x 120 + 0.3 x 120 = 96 user-minutes (per user); September has 43,200 minutes:
    100 x (43,200 - 96) / 43,200 = 99.7778% < 99.9: 25% of 8,000 = 2,000.00."""
    p = replay(TERMS, OUTAGES, first="2025-09", last="2025-09").tiers[0].periods[0]
    assert p.downtime_minutes == 96
    assert p.availability_pct * 43200 == 100 * (43200 - 96)
    assert (p.credit_pct, p.credit_after_caps) == (25, Decimal("2000.00"))
    assert p.slot_rules == "overlapping incidents added (at most 1)"


def test_keeping_the_worse_outage_counts_78_minutes():
    """The worst-impact rule: 0.5 x 60 + 0.5 x 60 (the overlap) + 0.3 x 60 = 78."""
    worst = TERMS.model_copy(
        update={"measurement": TERMS.measurement.model_copy(update={"overlaps": "worst"})}
    )
    p = replay(worst, OUTAGES, first="2025-09", last="2025-09").tiers[0].periods[0]
    assert p.downtime_minutes == 78
