"""The simulation against an independent exact calculation.

With Poisson incidents of full impact and 1-minute slots, a month's downtime is a compound
Poisson sum of whole minutes: each incident touches K slots, where K depends on its duration
(rounded to the second) and on where in its first minute it starts (uniform). K's distribution
is exact from the duration's CDF; the sum's distribution is exact by Panjer's recursion. So the
probability of each band and the expected credit of every month have exact values.

Two effects of the real rules are left out of the calculation: incidents that overlap are merged
(not summed), and an incident running past the end of its month counts in the next. With the
rates and durations below each changes a month's outcome with probability under 0.3%, well
inside the 4-standard-error tolerance of the comparison (about 1 percentage point).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from slamodeler.engine.simulation import period_credits, simulate
from tests.helpers.builders import contract, scenario

RATE = 0.3  # incidents a month
BANDS = [(99.9, 10), (99.0, 25), (95.0, 100)]
TRIALS = 50_000


def slot_count_pmf(cdf, max_minutes: int) -> np.ndarray:
    """P(an incident touches k one-minute slots), k = 0..max_minutes."""
    seconds = np.arange(0, 60 * (max_minutes + 1) + 60)
    at_most = cdf((seconds + 0.5) / 60.0)  # P(duration rounded to seconds <= s)
    pmf = np.zeros(max_minutes + 1)
    pmf[0] = at_most[0]
    for k in range(1, max_minutes + 1):
        # start offset f in 0..59 seconds: K = k when 60(k-1) - f < D <= 60k - f, D >= 1
        lo = np.maximum(60 * (k - 1) - np.arange(60), 0)
        hi = 60 * k - np.arange(60)
        pmf[k] = np.mean(at_most[hi] - at_most[lo])
    return pmf


def compound_poisson(rate: float, severity: np.ndarray) -> np.ndarray:
    """Panjer's recursion: P(sum of a Poisson(rate) number of severities = t), t = 0..len-1."""
    n = len(severity)
    g = np.zeros(n)
    g[0] = np.exp(-rate * (1 - severity[0]))
    j = np.arange(1, n)
    for t in range(1, n):
        g[t] = rate / t * np.sum(j[:t] * severity[1 : t + 1] * g[t - 1 :: -1][:t])
    return g


def exact_month(downtime_pmf: np.ndarray, minutes: int) -> tuple[list[float], float]:
    """P(the lowest band hit is band i) and the expected credit % for a month of ``minutes``."""
    tail = np.concatenate((np.cumsum(downtime_pmf[::-1])[::-1], [0.0]))  # P(T >= t)
    hit = []
    for below, _ in BANDS:
        # availability < below  <=>  T > minutes * (100 - below) / 100
        limit = minutes * (100 - below) / 100
        hit.append(tail[min(int(np.floor(limit)) + 1, len(tail) - 1)])
    lowest = [hit[i] - (hit[i + 1] if i + 1 < len(hit) else 0.0) for i in range(len(hit))]
    return lowest, sum(p * pct for p, (_, pct) in zip(lowest, BANDS, strict=True))


@pytest.mark.parametrize(
    ("duration", "cdf"),
    [
        ({"dist": "exponential", "mean": 200}, stats.expon(scale=200).cdf),
        ({"dist": "lognormal", "median": 90, "sigma": 1.0}, stats.lognorm(s=1.0, scale=90).cdf),
    ],
    ids=["exponential", "lognormal"],
)
def test_band_probabilities_and_expected_credit_match_the_exact_values(duration, cdf):
    terms = contract(
        tier={
            "credits": {
                "kind": "bands",
                "boundary": "below",
                "bands": [{"below": b, "credit_pct": c} for b, c in BANDS],
            }
        },
        claims={"min_credit": 0, "claim_rate": 1},
    )
    scen = scenario(
        processes=[
            {
                "name": "p",
                "frequency": {"dist": "poisson", "rate_per_month": RATE},
                "duration_minutes": duration,
                "impact": {"full": 1.0},
            }
        ]
    )
    run = simulate(terms, scen, TRIALS, seed=20261126)
    issued = period_credits(run, "T", slice(None)) / 100  # per trial and month, fee 1,000
    severity = slot_count_pmf(cdf, 6000)
    downtime = compound_poisson(RATE, severity)
    for m, period in enumerate(run.horizon.periods):
        probs, expected_pct = exact_month(downtime, period.minutes)
        credit = issued[:, m]
        se = credit.std(ddof=1) / np.sqrt(TRIALS)
        assert abs(credit.mean() - expected_pct * 10) < 4 * se + 1e-9, period.label
        for (_, pct), p in zip(BANDS, probs, strict=True):
            share = np.mean(credit == pct * 10)
            se_p = np.sqrt(max(p * (1 - p), 1e-12) / TRIALS)
            assert abs(share - p) < 4 * se_p + 2e-4, (period.label, pct)


def test_the_exact_calculation_itself():
    # One incident a month, always exactly 30 minutes (a point mass): K is 30 slots when it starts
    # on a minute boundary (1 in 60) and 31 otherwise.
    pmf = slot_count_pmf(lambda x: (np.asarray(x) >= 30).astype(float), 40)
    assert pmf[30] == pytest.approx(1 / 60) and pmf[31] == pytest.approx(59 / 60)
    # Panjer against a direct sum for a Poisson(2) count of 1-minute severities: Poisson(2).
    sev = np.zeros(20)
    sev[1] = 1
    assert np.allclose(compound_poisson(2.0, sev), stats.poisson(2).pmf(np.arange(20)))
