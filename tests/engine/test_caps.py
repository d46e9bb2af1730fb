"""Hand-computed replays of the caps, the minimum credit and the claim rate (engine/caps.py,
docs/measurement.md section 9). Each expected number is worked out in the comment beside it
from the contract terms, not from the code."""

from __future__ import annotations

from decimal import Decimal

from slamodeler.engine.replay import replay
from tests.helpers.builders import contract, incident
from tests.helpers.replay_results import only

D = Decimal


# --- caps, minimum credit, claims ----------------------------------------------------------------

BIG = [incident("2024-04-01T00:00", "2024-04-05T00:00")]  # 4 days: below 95% -> 100%


def test_per_period_cap_bites():
    period = only(replay(contract(tier={"caps": {"per_period_pct": 30}}), BIG))
    assert (period.credit_owed, period.credit_after_caps) == (D("1000.00"), D("300.00"))
    assert period.capped_by_period == D("700.00") == period.capped_off


def test_yearly_cap_bites_across_periods():
    # 600 minutes a month is below 99.0%: 25% of 1,000 = 250 owed each month. The yearly cap is
    # 5% of 12 x 1,000 = 600: April 250, May 250, June only the 100 left.
    terms = contract(tier={"caps": {"per_year_pct_of_annual_fees": 5}})
    incidents = [
        incident("2024-04-02T00:00", "2024-04-02T10:00"),
        incident("2024-05-02T00:00", "2024-05-02T10:00"),
        incident("2024-06-02T00:00", "2024-06-02T10:00"),
    ]
    periods = replay(terms, incidents).tiers[0].periods
    assert [p.credit_owed for p in periods] == [D("250.00")] * 3
    assert [p.credit_after_caps for p in periods] == [D("250.00"), D("250.00"), D("100.00")]
    assert periods[2].capped_by_year == D("150.00")


def test_liability_cap_bites_over_the_term():
    terms = contract(liability_cap={"amount": 1500}, term={"start": "2024-01-01", "months": 12})
    incidents = [incident(f"2024-{m:02d}-01T00:00", f"2024-{m:02d}-05T00:00") for m in (4, 5)]
    incidents.append(incident("2025-01-01T00:00", "2025-01-05T00:00"))  # a new term
    periods = {p.period: p for p in replay(terms, incidents).tiers[0].periods}
    assert periods["2024-04"].credit_after_caps == D("1000.00")
    assert periods["2024-05"].credit_after_caps == D("500.00")
    assert periods["2024-05"].capped_by_liability == D("500.00")
    assert periods["2025-01"].credit_after_caps == D("1000.00")


def test_liability_cap_as_share_of_annual_fees_and_the_lower_of_two():
    # 100% of the fee (1,000) is owed. 10% of annual fees is 1,200: no bite.
    terms = contract(liability_cap={"amount": 5000, "pct_of_annual_fees": 10})
    assert only(replay(terms, BIG)).credit_after_caps == D("1000.00")
    # 5% of annual fees is 600, lower than the 5,000 amount: that is the cap.
    terms = contract(liability_cap={"amount": 5000, "pct_of_annual_fees": 5})
    assert only(replay(terms, BIG)).credit_after_caps == D("600.00")
    # Both given, the amount lower: 700.
    terms = contract(liability_cap={"amount": 700, "pct_of_annual_fees": 100})
    assert only(replay(terms, BIG)).credit_after_caps == D("700.00")


def test_minimum_credit_is_not_issued_and_uses_no_cap():
    # fee 5: 10% is 0.50, under a 1.00 minimum credit
    terms = contract(tier={"monthly_fee": 5}, claims={"min_credit": 1, "claim_rate": 1})
    period = only(replay(terms, [incident("2024-04-01T00:00", "2024-04-01T01:00")]))
    assert (period.credit_owed, period.credit_after_caps) == (D("0.50"), D("0.00"))
    assert period.below_min_credit == D("0.50")
    assert period.capped_off == 0


def test_claim_rate_scales_the_expected_payment():
    terms = contract(claims={"min_credit": 0, "claim_rate": 0.35})
    period = only(replay(terms, [incident("2024-04-01T00:00", "2024-04-01T01:00")]))
    assert (period.credit_after_caps, period.expected_paid) == (D("100.00"), D("35.00"))


def test_money_rounds_half_up_once_to_the_minor_unit():
    # fee 10.05, 25% = 2.5125 -> 2.51; JPY fee 1,005 at 25% = 251.25 -> 251
    terms = contract(tier={"monthly_fee": "10.05"})
    one_day = [incident("2024-04-02T00:00", "2024-04-02T10:00")]
    assert only(replay(terms, one_day)).credit_owed == D("2.51")
    terms = contract(currency="JPY", tier={"monthly_fee": 1005})
    assert only(replay(terms, one_day)).credit_owed == D("251")
