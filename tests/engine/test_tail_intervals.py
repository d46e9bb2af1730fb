"""The 95% confidence intervals of P95, P99 and TVaR99: ranks checked by hand and against
scipy, and coverage checked by repetition on a distribution whose tail is known."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from scipy import stats

from slamodeler.engine.exposure import tail_mean
from slamodeler.engine.tail_intervals import quantile_ranks, tail_intervals, tail_mean_interval


def exact_cdf(n: int, q: Fraction, k: int) -> Fraction:
    return sum((math.comb(n, j) * q**j * (1 - q) ** (n - j) for j in range(k + 1)), Fraction(0))


@pytest.mark.parametrize(
    ("n", "q", "ranks"),
    [(100, "0.95", (90, 100)), (400, "0.99", (392, 400)), (1000, "0.99", (983, 997))],
)
def test_order_statistic_ranks_are_the_binomial_ones(n, q, ranks):
    """l: the largest rank with P(B <= l - 1) < 2.5%; u: the smallest with P(B <= u - 1) >=
    97.5%, B ~ Binomial(n, q), here in exact fractions."""
    assert quantile_ranks(n, float(q)) == ranks
    low, high = ranks
    share = Fraction(q)
    assert exact_cdf(n, share, low - 1) < Fraction(1, 40) <= exact_cdf(n, share, low)
    assert exact_cdf(n, share, high - 2) < Fraction(39, 40) <= exact_cdf(n, share, high - 1)


@pytest.mark.parametrize(("n", "q"), [(2000, 0.95), (20000, 0.99), (10**6, 0.95)])
def test_ranks_agree_with_scipy_for_many_trials(n, q):
    assert quantile_ranks(n, q) == (
        int(stats.binom.ppf(0.025, n, q)),
        int(stats.binom.ppf(0.975, n, q)) + 1,
    )


def test_too_few_trials_give_no_interval():
    """With 300 trials, P(all 300 below P99) = 0.99**300 = 4.9% > 2.5%: no upper end."""
    assert quantile_ranks(300, 0.99) is None
    low, high = tail_intervals(np.arange(300.0))["p99"]
    assert math.isnan(low) and math.isnan(high)


def test_the_intervals_hold_the_estimates_and_are_the_same_each_time():
    paid = np.random.default_rng(5).exponential(size=10_000)
    found = tail_intervals(paid)
    ordered = np.sort(paid)
    assert found == tail_intervals(paid)  # the bootstrap's seed is fixed
    assert found["p95"] == (ordered[9457 - 1], ordered[9543 - 1])  # ranks as scipy gives them
    assert found["p95"][0] <= np.quantile(paid, 0.95, method="inverted_cdf") <= found["p95"][1]
    assert found["tvar99"][0] <= tail_mean(paid, 0.99) <= found["tvar99"][1]


def test_the_intervals_cover_the_true_values_95_times_in_100():
    """200 samples of 10,000 exponential(1) trials: P95 = ln 20, P99 = ln 100, TVaR99 = 1 +
    ln 100. Each interval must hold its true value in a number of samples within the 99.9%
    binomial limits of 95% of 200 (an interval that covers 95% would fall outside them once
    in a thousand runs of this test)."""
    truth = {"p95": math.log(20), "p99": math.log(100), "tvar99": 1 + math.log(100)}
    covered = dict.fromkeys(truth, 0)
    for repetition in range(200):
        paid = np.random.default_rng(1000 + repetition).exponential(size=10_000)
        for key, (low, high) in tail_intervals(paid).items():
            covered[key] += low <= truth[key] <= high
    lo, hi = stats.binom.ppf([0.0005, 0.9995], 200, 0.95)
    assert all(lo <= count <= hi for count in covered.values()), (covered, lo, hi)


def test_fewer_resamples_than_a_batch_still_give_an_interval():
    """Resamples go in batches of 100; 50 (or any count not a multiple) once drew no batch at all
    and failed on joining none."""
    values = np.sort(np.random.default_rng(3).exponential(100.0, 2000))
    low, high = tail_mean_interval(values, resamples=50)
    assert low <= tail_mean(values, 0.99) <= high
