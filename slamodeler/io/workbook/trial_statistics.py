"""The simulated series as the Exposure sheet tabulates them: a histogram of credits paid and
the running mean with its 95% confidence band."""

from __future__ import annotations

import math

import numpy as np

HIST_BINS = 30
CONVERGENCE_POINTS = 40
Z95 = 1.959963984540054


def histogram(paid: np.ndarray, bins: int = HIST_BINS) -> list[tuple[float, float, int]]:
    """(from, up to, trials): first the trials with no credit, then equal bins up to the max."""
    paid = np.asarray(paid, dtype=float)
    if not paid.size:
        return []
    out = [(0.0, 0.0, int(np.count_nonzero(paid <= 0)))]
    positive = paid[paid > 0]
    if positive.size:
        counts, edges = np.histogram(positive, bins=bins, range=(0.0, float(positive.max())))
        out += [(float(edges[i]), float(edges[i + 1]), int(counts[i])) for i in range(bins)]
    return out


def convergence(
    paid: np.ndarray, points: int = CONVERGENCE_POINTS
) -> list[tuple[int, float, float, float]]:
    """(trials, running mean, 95% band low, high) at about ``points`` trial counts."""
    paid = np.asarray(paid, dtype=float)
    n = paid.size
    if not n:
        return []
    marks = np.unique(np.geomspace(min(n, 100), n, points).astype(np.int64))
    centre = float(paid.mean())
    x = paid - centre  # shifted sums keep the running variance accurate
    s1, s2 = np.cumsum(x), np.cumsum(x * x)
    out = []
    for m in marks.tolist():
        mean = centre + s1[m - 1] / m
        if m > 1:
            var = max((s2[m - 1] - s1[m - 1] ** 2 / m) / (m - 1), 0.0)
            half = Z95 * math.sqrt(var / m)
        else:
            half = math.nan
        out.append((m, float(mean), float(mean - half), float(mean + half)))
    return out
