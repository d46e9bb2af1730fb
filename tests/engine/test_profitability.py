"""Tier profitability: margins by hand on a case whose credits are certain, and fees solved on
the run's trials that give back, when priced, the margin they were solved for."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from slamodeler.engine.exposure import exposures
from slamodeler.engine.profitability import FeePricer, profitability, with_fee
from slamodeler.engine.simulation import (
    customer_paid,
    period_credits,
    reprice,
    simulate,
    why_not_repriced,
)
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from tests.helpers.builders import contract, scenario
from tests.helpers.paths import SAMPLES

ONE_BAND = {"kind": "bands", "boundary": "below", "bands": [{"below": 99.9, "credit_pct": 10}]}


def certain_breaches():
    """Fifty incidents a month of about 40 minutes: every month is below 99.9% (more than 44
    minutes down) in every trial, and never below anything else, since there is one band."""
    return scenario(
        processes=[
            {
                "name": "many",
                "frequency": {"dist": "poisson", "rate_per_month": 50},
                "duration_minutes": {"dist": "lognormal", "median": 40, "sigma": 0.2},
                "impact": {"full": 1.0},
            }
        ]
    )


def certain_run(**changes):
    terms = contract(
        tier={"customers": 2, "cost_to_serve_monthly": 600, "credits": ONE_BAND}, **changes
    )
    return simulate(terms, certain_breaches(), 200, 3)


def test_margins_by_hand_when_every_month_pays_a_tenth_of_the_fee():
    """2 customers x 12 months at 1,000, cost 600: revenue 24,000, cost 14,400, credits 10% of
    the fee every month (2,400), margin 7,200 (30%); no spread, so no tail charge."""
    run = certain_run()
    found = profitability(run, tail_rate=0.10, target_margin=0.5)
    (tier,) = found.tiers
    assert (tier.revenue, tier.cost, tier.credits_mean) == (24_000, 14_400, 2_400)
    assert (tier.p95, tier.p99, tier.tvar99) == (2_400, 2_400, 2_400)
    assert tier.margin == 7_200 and tier.margin_share == pytest.approx(0.3)
    assert tier.tail_charge == 0 and tier.risk_adjusted_margin == 7_200
    # break even: 24 F - 14,400 - 2.4 F = 0, F = 666.67 (a cent less falls short)
    assert tier.break_even.fee == Decimal("666.67")
    assert tier.break_even.margin == pytest.approx(0, abs=0.01)
    # 50%: 21.6 F - 14,400 = 12 F, F = 1,500
    assert tier.target.fee == Decimal("1500.00")
    assert tier.target.margin_share == pytest.approx(0.5)
    assert found.portfolio.margin == tier.margin


def test_a_cap_in_money_makes_credits_stop_growing_with_the_fee_and_the_fee_is_still_found():
    """A liability cap of 100 per customer a term: from a fee of 83.34 the credits are 200 in
    all whatever the fee, so break-even is 24 F = 14,600, F = 608.34, not the 666.67 that
    scaling the fee's credits would give."""
    run = certain_run(liability_cap={"amount": 100})
    (tier,) = profitability(run).tiers
    assert tier.credits_mean == 200
    assert tier.break_even.fee == Decimal("608.34")
    assert tier.break_even.margin == pytest.approx(24 * 608.34 - 14_600)


def test_no_fee_reaches_a_margin_that_credits_take_away():
    """Credits of 100% of the fee every month: revenue and credits grow together, margin stays
    at minus the cost: no fee breaks even, and the answer says so rather than guessing."""
    full = {"kind": "bands", "boundary": "below", "bands": [{"below": 99.9, "credit_pct": 100}]}
    terms = contract(tier={"customers": 2, "cost_to_serve_monthly": 600, "credits": full})
    run = simulate(terms, certain_breaches(), 100, 3)
    (tier,) = profitability(run).tiers
    assert tier.margin == -14_400
    assert tier.break_even.fee is None and tier.target.fee is None
    assert "no fee up to 1,024,000.00 USD gives break even" in tier.break_even.note
    assert "expected credits taking 100.0% of it" in tier.break_even.note


def test_no_cost_and_proportional_credits_break_even_at_a_fee_of_zero():
    terms = contract(tier={"credits": ONE_BAND})
    (tier,) = profitability(simulate(terms, certain_breaches(), 50, 3)).tiers
    assert tier.break_even.fee == 0
    assert "a fee of 0 already gives break even" in tier.break_even.note


@pytest.fixture(scope="module")
def sample_run():
    terms = load_contract(SAMPLES / "three_tier_cloud.yaml")
    return simulate(terms, load_scenario(SAMPLES / "scenarios" / "baseline.yaml"), 3000, 7)


def test_each_solved_fee_priced_back_gives_its_margin_within_a_cent_of_fee(sample_run):
    """Priced back on the same trials, the break-even fee's expected margin is at least zero and
    a cent less is below it: zero within what one cent of fee moves the margin. The same for
    the target margin %."""
    found = profitability(sample_run, target_margin=0.3)
    for index, tier in enumerate(found.tiers):
        for answer, goal in ((tier.break_even, 0.0), (tier.target, 0.3)):
            at = exposures(
                reprice(sample_run, with_fee(sample_run.contract, tier.name, answer.fee))
            )
            below = with_fee(sample_run.contract, tier.name, answer.fee - Decimal("0.01"))
            under = exposures(reprice(sample_run, below))[index]
            shortfall = at[index].margin_mean - goal * at[index].revenue
            step = shortfall - (under.margin_mean - goal * under.revenue)
            assert 0 <= shortfall <= step, (tier.name, goal)
            assert at[index].margin_mean == pytest.approx(answer.margin)
            # a cent of revenue, and a cent of credits' rounding, each customer-month
            assert step <= 2 * 0.01 * tier.customers * found.months + 1e-6
        assert tier.break_even.fee < tier.monthly_fee < tier.target.fee * 2


def test_the_tail_charge_is_the_rate_times_tvar99_less_the_mean(sample_run):
    found = profitability(sample_run, tail_rate=0.25, solve=False)
    for p in [*found.tiers, found.portfolio]:
        worst = np.sort(p.paid)[-30:]  # 1% of 3,000 trials
        assert p.tail_charge == pytest.approx(0.25 * (worst.mean() - p.paid.mean()))
        assert p.risk_adjusted_margin == pytest.approx(p.margin - p.tail_charge)
        assert p.break_even is None
    assert found.portfolio.margin == pytest.approx(sum(p.margin for p in found.tiers))


def test_the_fee_of_single_months_scales_with_the_monthly_fee():
    terms = contract(
        tier={"monthly_fee": 1000, "monthly_fees": {"2024-03": 2000, "2024-04": 500}},
    )
    scaled = with_fee(terms, "T", Decimal("1500")).tiers[0]
    assert scaled.monthly_fee == 1500
    assert scaled.monthly_fees == {"2024-03": Decimal("3000.00"), "2024-04": Decimal("750.00")}


def test_a_scaled_months_fee_on_a_half_cent_rounds_half_up():
    """20.25 at half the fee is 10.125: 10.13, as every amount of the package rounds, not the
    10.12 of rounding halves to even."""
    terms = contract(tier={"monthly_fee": 1000, "monthly_fees": {"2024-03": "20.25"}})
    scaled = with_fee(terms, "T", Decimal("500")).tiers[0]
    assert scaled.monthly_fees == {"2024-03": Decimal("10.13")}


def test_fees_are_priced_once_each(sample_run):
    priced = FeePricer(sample_run, "Gold")
    first = priced.solve(0.0)
    again = priced.solve(0.0)
    assert again.fee == first.fee and again.repricings == 0 < first.repricings <= 40


def test_a_version_with_fewer_tiers_is_not_re_priced_and_says_why(sample_run):
    """Before: comparing per-incident credits tier by tier raised on a tier removed."""
    fewer = sample_run.contract.model_copy(update={"tiers": sample_run.contract.tiers[:2]})
    assert "measured" in why_not_repriced(sample_run, fewer)


def test_fees_of_single_months_with_no_monthly_fee_have_no_fee_to_solve_for():
    terms = contract(
        tier={"monthly_fee": 0, "monthly_fees": {"2024-03": 2000}, "credits": ONE_BAND}
    )
    (tier,) = profitability(simulate(terms, certain_breaches(), 30, 3)).tiers
    assert tier.revenue == 2000 and tier.break_even.fee is None
    assert "set monthly_fee to scale them" in tier.break_even.note


def test_one_customers_tail_is_the_tiers_share_when_every_incident_hits_them_all(sample_run):
    found = profitability(sample_run, solve=False)
    for p in found.tiers:  # the baseline's incidents all hit every customer at once
        assert p.customer_p99 == pytest.approx(p.p99 / p.customers)
        assert p.customer_tvar99 == pytest.approx(p.tvar99 / p.customers)
    assert np.isnan(found.portfolio.customer_p99)


def test_one_customers_credits_are_its_own_when_incidents_hit_customers_one_by_one():
    """Ten customers hit on their own: customer 0's credits in each trial are those its periods
    replay to (``period_credits``), and its P99 is more than a tenth of the tier's, the ten not
    breaching together."""
    terms = contract(tier={"customers": 10, "credits": ONE_BAND})
    alone = scenario(
        processes=[
            {
                "name": "one by one",
                "frequency": {"dist": "poisson", "rate_per_month": 0.3},
                "duration_minutes": {"dist": "lognormal", "median": 60, "sigma": 1.0},
                "scope": {"independent": 1.0},
            }
        ]
    )
    run = simulate(terms, alone, 400, 11)
    one = customer_paid(run, "T")
    by_period = period_credits(run, "T", list(range(run.trials)), customer=0)
    assert one.any() and np.array_equal(one, by_period.sum(axis=1))  # claim rate 1: paid = issued
    (tier,) = profitability(run, solve=False).tiers
    assert tier.customer_p99 == np.quantile(one / 100, 0.99, method="inverted_cdf")
    assert tier.customer_p99 > tier.p99 / 10


def test_no_tail_of_one_customer_where_claim_shares_vary():
    terms = contract(claims={"claim_rate": 0.6, "claim_rate_sd": 0.1}, tier={"credits": ONE_BAND})
    (tier,) = profitability(simulate(terms, certain_breaches(), 30, 3), solve=False).tiers
    assert (
        np.isnan(tier.customer_p95)
        and customer_paid(simulate(terms, certain_breaches(), 5, 3), "T") is None
    )
