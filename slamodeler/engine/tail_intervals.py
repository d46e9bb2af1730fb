"""95% confidence intervals for a simulation's tail statistics (docs/statistics.md).

A percentile's interval is distribution-free: two order statistics whose ranks come from the
binomial distribution of the number of trials at or below the true percentile. TVaR99 has no
such interval; it comes from a bootstrap (the trials resampled with replacement) with a fixed
seed, so the same trials always give the same interval.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

LEVEL = 0.95
RESAMPLES = 1000
BATCH = 100  # resamples drawn together
BOOTSTRAP_SEED = 17  # fixed: the interval is part of a result, and a result reproduces


def binomial_cdf(n: int, p: float, ks: NDArray[np.int64]) -> NDArray[np.float64]:
    """P(B <= k) for B ~ Binomial(n, p), each k of ``ks``, summed over the pmf where it is not
    negligible (within 12 standard deviations of the mean: the rest is below 1e-30)."""
    sd = math.sqrt(n * p * (1 - p))
    lo = max(0, math.floor(n * p - 12 * sd - 2))
    hi = min(n, math.ceil(n * p + 12 * sd + 2))
    k = np.arange(lo, hi + 1)
    log_pmf = np.array(
        [
            math.lgamma(n + 1)
            - math.lgamma(j + 1)
            - math.lgamma(n - j + 1)
            + j * math.log(p)
            + (n - j) * math.log1p(-p)
            for j in k.tolist()
        ]
    )
    cdf = np.cumsum(np.exp(log_pmf))
    at = np.clip(np.asarray(ks) - lo, -1, len(k) - 1)
    return np.where(at < 0, 0.0, cdf[np.maximum(at, 0)])


def quantile_ranks(n: int, q: float, level: float = LEVEL) -> tuple[int, int] | None:
    """Ranks (1 = smallest) of the order statistics x(l) <= x(u) that hold the q-quantile with
    probability at least ``level``, whatever the distribution: with B the number of trials at
    or below it, P(x(l) <= quantile <= x(u)) >= P(l <= B <= u - 1). l is the largest rank with
    P(B <= l - 1) < (1 - level) / 2, u the smallest with P(B <= u - 1) >= (1 + level) / 2. None
    when n trials are too few for either end."""
    if n < 2:
        return None
    tail = (1 - level) / 2
    cdf = binomial_cdf(n, q, np.arange(n + 1))
    low = int(np.searchsorted(cdf, tail, side="left"))  # smallest k with F(k) >= tail
    high = int(np.searchsorted(cdf, 1 - tail - 1e-12, side="left")) + 1
    if low < 1 or high > n:
        return None
    return low, high


def quantile_interval(sorted_values: NDArray[np.float64], q: float) -> tuple[float, float]:
    """The order-statistic interval of the q-quantile (NaNs when there are too few trials)."""
    ranks = quantile_ranks(len(sorted_values), q)
    if ranks is None:
        return math.nan, math.nan
    return float(sorted_values[ranks[0] - 1]), float(sorted_values[ranks[1] - 1])


def tail_mean_interval(
    sorted_values: NDArray[np.float64], level: float = 0.99, resamples: int = RESAMPLES
) -> tuple[float, float]:
    """Percentile bootstrap of the mean of the worst k = ceil((1 - level) n) trials. Only the
    worst trials matter: of a resample's n draws, those that land among the worst m trials are
    Binomial(n, m / n) in number and uniform over them, so only those are drawn (m chosen, and
    doubled where needed, for every resample to hold its worst k): the same as resampling all n
    trials, at the cost of about k draws each. Resamples go in batches, to bound the memory."""
    n = len(sorted_values)
    if n < 2:
        return math.nan, math.nan
    k = max(1, math.ceil((1 - level) * n - 1e-9))
    worst = sorted_values[::-1]
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    sizes = [BATCH] * (resamples // BATCH) + ([resamples % BATCH] if resamples % BATCH else [])
    means = [_tail_means(worst, k, rng, size) for size in sizes]  # every resample asked for
    tail = (1 - LEVEL) / 2
    low, high = np.quantile(np.concatenate(means), [tail, 1 - tail])
    return float(low), float(high)


def _tail_means(
    worst: NDArray[np.float64], k: int, rng: np.random.Generator, resamples: int
) -> NDArray[np.float64]:
    """Each resample's mean of its worst k draws (``worst``: the trials, largest first)."""
    n = len(worst)
    m = min(n, k + math.ceil(6 * math.sqrt(k)) + 10)
    hits = rng.binomial(n, m / n, size=resamples)
    while hits.min() < k:  # some resample drew fewer than k of the worst m: widen
        m = min(n, 2 * m)
        hits = rng.binomial(n, m / n, size=resamples)
    picks = rng.integers(0, m, size=int(hits.sum()))
    owner = np.repeat(np.arange(resamples), hits)
    counts = np.bincount(owner * m + picks, minlength=resamples * m).reshape(resamples, m)
    before = np.cumsum(counts, axis=1) - counts  # draws of worse trials
    used = np.clip(k - before, 0, counts)  # of each trial, the draws among the worst k
    return (used @ worst[:m]) / k


def percentile_intervals(paid: NDArray[np.float64]) -> dict[str, tuple[float, float]]:
    """The 95% intervals of P95 and P99 of the trials' credits: one sort."""
    ordered = np.sort(paid)
    return {"p95": quantile_interval(ordered, 0.95), "p99": quantile_interval(ordered, 0.99)}


def tail_intervals(paid: NDArray[np.float64]) -> dict[str, tuple[float, float]]:
    """The 95% intervals of P95, P99 and TVaR99 of the trials' credits."""
    return {**percentile_intervals(paid), "tvar99": tail_mean_interval(np.sort(paid))}
