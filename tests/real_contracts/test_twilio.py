"""Twilio (sample_contracts/real/twilio.yaml): the credit is a percentage of the fees incurred
for the affected APIs in the calendar month, so it follows the month's usage bill."""

from __future__ import annotations

from decimal import Decimal

from slamodeler.domain.simulation_request import SimulationRequest
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import period_credits
from slamodeler.io.contract_file import load_contract
from slamodeler.io.fee_file import with_fee_file
from slamodeler.services.simulate import simulate_files
from tests.helpers.builders import incident
from tests.helpers.paths import SAMPLES

TWILIO_FILE = SAMPLES / "real" / "twilio.yaml"
TERMS = load_contract(TWILIO_FILE)
# 30 minutes down in March 2025 (44,640 minutes) and in April 2025 (43,200 minutes)
OUTAGES = [
    incident("2025-03-10T10:00", "2025-03-10T10:30"),
    incident("2025-04-10T10:00", "2025-04-10T10:30"),
]


def months(terms):
    return replay(terms, OUTAGES, first="2025-03", last="2025-04").tiers[0].periods


def test_the_credit_is_ten_percent_of_the_months_affected_fees():
    """March: 100 x 44,610 / 44,640 = 99.9328% < 99.95: 10% of its 5,100 bill x 0.6 (the
    affected APIs' share) = 306.00. April has no entry: 10% of 4,000 x 0.6 = 240.00."""
    march, april = months(TERMS)
    assert march.availability_pct * 44640 == 100 * 44610
    assert (march.credit_pct, march.credit_after_caps) == (10, Decimal("306.00"))
    assert (april.credit_pct, april.credit_after_caps) == (10, Decimal("240.00"))


def test_a_fee_file_sets_the_months_bill(tmp_path):
    """A fee file's row takes the place of the contract's March fee: 10% of 6,000 x 0.6."""
    fees = tmp_path / "fees.csv"
    fees.write_text("tier,month,fee\nServices,2025-03,6000\nservices,2025-04,1000.50\n")
    march, april = months(with_fee_file(TERMS, fees))
    assert march.credit_after_caps == Decimal("360.00")
    assert april.credit_after_caps == Decimal("60.03")  # 10% of 600.30, half up


def test_a_simulation_prices_each_month_at_its_fee_from_a_fee_file(tmp_path):
    """Over 2025 with the March fee raised twentyfold by a fee file, a trial's March credit is
    10% of 0.6 x the file's fee whenever March misses the target (the same trial replayed is
    tests/engine/test_fees_properties.py's property)."""
    fees = tmp_path / "fees.csv"
    fees.write_text("tier,month,fee\nServices,2025-03,102000\n")
    request = SimulationRequest(trials=200, seed=4, years=1, start="2025-01")
    run = simulate_files(TWILIO_FILE, SAMPLES / "scenarios" / "bad_year.yaml", request, fees=fees)
    assert run.contract.tiers[0].monthly_fees["2025-03"] == 102000
    march = period_credits(run, "Services", list(range(200)))[:, 2]
    assert march.any() and set(march.tolist()) <= {0, 612000}  # cents: 10% of 6,120.00
