"""The share of customers who claim, drawn per trial (claims.claim_rate_sd), against its exact
distribution. Given a trial's issued credits I, paid is I x S rounded to the cent with S ~
Beta(a, b) of mean claim_rate and standard deviation claim_rate_sd, drawn apart from the
incidents: so paid / I follows that beta exactly, and sum(paid) - claim_rate x sum(I) has mean 0
and standard deviation sd x sqrt(sum(I^2)) (plus at most half a cent a trial of rounding)."""

from __future__ import annotations

import numpy as np
from scipy import stats

from slamodeler.engine.claim_shares import beta_parameters
from slamodeler.engine.simulation import reprice, simulate
from tests.helpers.builders import contract, scenario

MEAN, SD, TRIALS = 0.35, 0.12, 4000
BUSY = scenario(
    processes=[
        {
            "name": "platform",
            "frequency": {"dist": "poisson", "rate_per_month": 1.5},
            "duration_minutes": {"dist": "exponential", "mean": 120},
            "impact": {"full": 1.0},
        }
    ]
)


def terms_of(fee: int = 1000, **claims):
    return contract(
        tier={"customers": 20, "monthly_fee": fee}, claims={"claim_rate": MEAN, **claims}
    )


def run(**claims):
    terms = terms_of(**claims)
    return terms, simulate(terms, BUSY, TRIALS, 17)


def test_the_share_claimed_follows_the_beta_and_its_mean_is_the_claim_rate():
    _, result = run(claim_rate_sd=SD)
    totals = result.pricing["T"]
    issued, paid = totals.issued.astype(float), totals.paid.astype(float)
    some = issued > 1000  # over 10.00: rounding moves the ratio by under 0.0005
    assert some.sum() > TRIALS * 0.9
    share = paid[some] / issued[some]
    a, b = beta_parameters(MEAN, SD)
    assert stats.kstest(share, stats.beta(a, b).cdf).pvalue > 0.001
    gap = paid.sum() - MEAN * issued.sum()
    assert abs(gap) < 4 * SD * np.sqrt((issued**2).sum()) + 0.5 * TRIALS
    assert abs(share.std() - SD) < 0.1 * SD


def test_without_a_spread_every_trial_pays_the_claim_rate():
    _, fixed = run()
    totals = fixed.pricing["T"]
    # per period and customer, half up; a trial's share then stays within rounding of the rate
    assert np.all(np.abs(totals.paid - MEAN * totals.issued) <= 0.5 * 12 * 20 + 1e-9)


def test_the_shares_are_the_seeds_alone_and_survive_a_reprice():
    terms, first = run(claim_rate_sd=SD)
    again = simulate(terms, BUSY, TRIALS, 17, blocks_per_chunk=1)
    assert np.array_equal(first.pricing["T"].paid, again.pricing["T"].paid)
    repriced = reprice(first, terms_of(2000, claim_rate_sd=SD)).pricing["T"]
    some = first.pricing["T"].issued > 1000
    ratio_before = first.pricing["T"].paid[some] / first.pricing["T"].issued[some]
    ratio_after = repriced.paid[some] / repriced.issued[some]
    assert np.allclose(ratio_before, ratio_after, atol=0.001)
