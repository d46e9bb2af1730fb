"""The share of customers who claim, drawn per simulated trial (``claims.claim_rate_sd``).

A fixed claim rate scales every trial's issued credits alike. Real claim behaviour varies: in a
bad year more customers notice and claim. With a spread, each trial and tier draws its share
from a beta distribution with mean ``claim_rate`` and standard deviation ``claim_rate_sd``, and
the tier's paid total is its issued total times that share, rounded half up to the minor unit.
The draws come from their own stream of the run's seed, one per tier, all trials at once: the
same seed gives the same shares however many blocks or workers measured the trials, a re-price
under other credit terms reuses them, and a cancelled run's shares are the first of a full one's.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Claims

CLAIMS_STREAM = 2**31 - 7  # a spawn key far from the blocks' (0, 1, ...)


def beta_parameters(mean: float, sd: float) -> tuple[float, float]:
    """Beta(a, b) with this mean and standard deviation (sd**2 < mean * (1 - mean))."""
    k = mean * (1 - mean) / (sd * sd) - 1
    return mean * k, (1 - mean) * k


def claim_shares(claims: Claims, seed: int, tier_index: int, trials: int) -> NDArray | None:
    """Each trial's share of customers who claim; None for a fixed claim rate."""
    if claims.claim_rate_sd is None:
        return None
    a, b = beta_parameters(float(claims.claim_rate), float(claims.claim_rate_sd))
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(CLAIMS_STREAM, tier_index)))
    return rng.beta(a, b, size=trials)


def paid_with_shares(issued: NDArray[np.int64], shares: NDArray) -> NDArray[np.int64]:
    """Issued totals (minor units) times each trial's share, half up to whole minor units."""
    return np.floor(issued * shares + 0.5).astype(np.int64)
