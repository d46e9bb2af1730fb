"""95% confidence intervals for how a portfolio's tail is shared out (docs/statistics.md): each
part's Euler contribution to the total's TVaR99 (its mean over the total's worst trials) and the
diversification benefit (the parts' own TVaR99s less the total's), by a percentile bootstrap
that resamples whole trials, so the parts stay together as they were drawn.

Only the worst trials matter, as for ``tail_intervals.tail_mean_interval``: of a resample's n
draws, those landing in a set of m trials are Binomial(n, m / n) in number and uniform over
them. The set here is the union of the worst trials of the total and of each part, taken large
enough that every resample holds at least k = ceil(1% n) draws among each one's worst (widened
where one does not): the worst k draws of the total and of each part are then among the draws
made, exactly as if all n had been drawn, at the cost of the union's size per resample.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from slamodeler.engine.tail_intervals import BOOTSTRAP_SEED, LEVEL, RESAMPLES

F64 = NDArray[np.float64]
NAN_PAIR = (math.nan, math.nan)


def share_intervals(
    parts: F64, level: float = 0.99, resamples: int = RESAMPLES
) -> tuple[list[tuple[float, float]], tuple[float, float]]:
    """The 95% intervals of each part's contribution to the TVaR at ``level`` of their total
    (``parts``: parts x trials, on the same trials) and of the diversification benefit; NaN
    pairs under two trials."""
    count, n = parts.shape
    if n < 2:
        return [NAN_PAIR] * count, NAN_PAIR
    k = max(1, math.ceil((1 - level) * n - 1e-9))
    total = parts.sum(axis=0)
    series = np.vstack([total, parts])
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    m = min(n, k + math.ceil(6 * math.sqrt(k)) + 10)
    pool, inside = _pool(series, m)
    contributions = np.empty((resamples, count))
    benefit = np.empty(resamples)
    done = 0
    while done < resamples:
        drawn = rng.integers(0, len(pool), size=rng.binomial(n, len(pool) / n))
        among = [pool[drawn[inside[row, drawn]]] for row in range(len(series))]
        if min(len(a) for a in among) < k:  # too few among someone's worst: widen
            m = min(n, 2 * m)
            pool, inside = _pool(series, m)
            continue
        # each one's worst k draws are among the draws of its own worst trials
        worst = among[0][np.argpartition(-total[among[0]], k - 1)[:k]]
        contributions[done] = parts[:, worst].mean(axis=1)
        own = sum(_top_mean(parts[i, a], k) for i, a in enumerate(among[1:]))
        benefit[done] = own - total[worst].mean()
        done += 1
    tail = (1 - LEVEL) / 2
    low, high = np.quantile(contributions, [tail, 1 - tail], axis=0)
    spread = np.quantile(benefit, [tail, 1 - tail])
    return (
        [(float(a), float(b)) for a, b in zip(low, high, strict=True)],
        (float(spread[0]), float(spread[1])),
    )


def _top_mean(values: F64, k: int) -> float:
    return float(-np.partition(-values, k - 1)[:k].mean())


def _pool(series: F64, m: int) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """The union of each series' worst m trials, and which of them are among each one's."""
    n = series.shape[1]
    worst = [np.argpartition(-s, m - 1)[:m] if m < n else np.arange(n) for s in series]
    pool = np.unique(np.concatenate(worst))
    inside = np.zeros((len(series), len(pool)), dtype=bool)
    for row, chosen in enumerate(worst):
        inside[row, np.searchsorted(pool, chosen)] = True
    return pool, inside
