"""The intervals of a portfolio's tail shares: the bootstrap that draws only among the worst
trials gives what resampling every trial gives, the benefit of two copies of one contract is
nothing in every resample, and the intervals hold the estimates."""

from __future__ import annotations

import math

import numpy as np
import pytest

from slamodeler.engine.tail_shares import share_intervals


def _parts(n: int, seed: int = 3) -> np.ndarray:
    """Three contracts' credits: a shared bad-year driver, each with its own heavy tail."""
    rng = np.random.default_rng(seed)
    shared = rng.pareto(2.5, n)
    return np.vstack([shared * w + rng.pareto(a, n) for w, a in ((3, 2.0), (1, 3.0), (0, 1.8))])


def _brute(parts: np.ndarray, resamples: int, seed: int = 11):
    """Every trial resampled: the contributions and benefit of each resample, then intervals."""
    rng = np.random.default_rng(seed)
    n = parts.shape[1]
    k = math.ceil(0.01 * n - 1e-9)
    contributions, benefit = [], []
    for _ in range(resamples):
        sample = parts[:, rng.integers(0, n, n)]
        total = sample.sum(axis=0)
        worst = np.argpartition(-total, k - 1)[:k]
        contributions.append(sample[:, worst].mean(axis=1))
        own = -np.partition(-sample, k - 1, axis=1)[:, :k].mean(axis=1)
        benefit.append(own.sum() - total[worst].mean())
    c = np.quantile(np.array(contributions), [0.025, 0.975], axis=0)
    return list(zip(c[0], c[1], strict=True)), tuple(np.quantile(benefit, [0.025, 0.975]))


def test_drawing_among_the_worst_gives_what_resampling_every_trial_gives():
    parts = _parts(3000)
    fast_parts, fast_benefit = share_intervals(parts, resamples=4000)
    slow_parts, slow_benefit = _brute(parts, 4000)
    for (a, b), (c, d) in [*zip(fast_parts, slow_parts, strict=True), (fast_benefit, slow_benefit)]:
        width = d - c
        assert width > 0
        assert a == pytest.approx(c, abs=0.08 * width)
        assert b == pytest.approx(d, abs=0.08 * width)


def test_two_copies_of_one_contract_diversify_nothing_in_any_resample():
    one = _parts(2000)[0]
    shares, benefit = share_intervals(np.vstack([one, one]))
    assert benefit == pytest.approx((0.0, 0.0), abs=1e-9 * one.max())
    assert shares[0] == shares[1]


def test_the_intervals_hold_the_estimates_and_too_few_trials_have_none():
    parts = _parts(5000, seed=8)
    total = parts.sum(axis=0)
    k = 50
    worst = np.argsort(-total, kind="stable")[:k]
    estimates = parts[:, worst].mean(axis=1)
    own = -np.sort(-parts, axis=1)[:, :k].mean(axis=1)
    shares, benefit = share_intervals(parts)
    assert all(lo <= e <= hi for e, (lo, hi) in zip(estimates, shares, strict=True))
    assert benefit[0] <= own.sum() - total[worst].mean() <= benefit[1]
    none, nothing = share_intervals(parts[:, :1])
    assert all(math.isnan(x) for pair in [*none, nothing] for x in pair)
