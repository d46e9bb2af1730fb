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

import itertools

import numpy as np
import pytest
from scipy import stats

from slamodeler.engine.exposure import exposures
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


MISS = 0.3  # P(a month misses): at least one incident, when any downtime misses a 100% target


def exact_chronic(months: int, p: float, missed: int, of: int) -> list[float]:
    """P(the termination right first arises at the end of month m), m = 0..months-1, for
    independent months that each miss with probability p: a walk over the misses of the last
    of - 1 months, dropping the mass once the right has arisen."""
    states: dict[tuple[bool, ...], float] = {(): 1.0}
    first = []
    for _ in range(months):
        fired, nxt = 0.0, {}
        for past, mass in states.items():
            for miss, q in ((True, p), (False, 1 - p)):
                window = (*past, miss)[-of:]
                if sum(window) >= missed:
                    fired += mass * q
                else:
                    key = window[-(of - 1) :] if of > 1 else ()
                    nxt[key] = nxt.get(key, 0.0) + mass * q
        first.append(fired)
        states = nxt
    return first


@pytest.mark.parametrize(("missed", "of"), [(3, 3), (4, 6)])
def test_termination_right_and_revenue_at_risk_match_the_exact_values(missed, of):
    # Incidents of 30 seconds: any makes its month miss a 100% target, so months miss
    # independently with probability 1 - exp(-rate). An incident in the last 30 seconds of a
    # month also touches the next one: probability under 1e-4 a month, far inside the tolerance.
    rate = -np.log(1 - MISS)
    terms = contract(
        term={"start": "2024-01-01", "months": 12},
        chronic_failure={"missed": missed, "of": of},
        tier={
            "target_pct": 100,
            "customers": 4,
            "credits": {"kind": "bands", "bands": [{"below": 100, "credit_pct": 1}]},
        },
    )
    scen = scenario(
        processes=[
            {
                "name": "blip",
                "frequency": {"dist": "poisson", "rate_per_month": float(rate)},
                "duration_minutes": {"dist": "empirical", "values": [0.5]},
                "impact": {"full": 1.0},
            }
        ]
    )
    trials = 20_000
    tier, portfolio = exposures(simulate(terms, scen, trials, seed=20261205))
    first = exact_chronic(12, MISS, missed, of)
    p_right = sum(first)
    # The horizon is 2024-01 to 2024-12, one whole term: the right arising at the end of month
    # m leaves 11 - m monthly fees of 1,000, for each of the 4 customers.
    at_risk = sum(q * (11 - m) * 1000 * 4 for m, q in enumerate(first))
    assert 0.05 < p_right < 0.6  # a probability the test can tell from 0 and 1
    se = np.sqrt(p_right * (1 - p_right) / trials)
    assert abs(tier.p_termination_right - p_right) < 4 * se
    sd = np.sqrt(sum(q * ((11 - m) * 4000) ** 2 for m, q in enumerate(first)) - at_risk**2)
    assert abs(tier.revenue_at_risk_mean - at_risk) < 4 * sd / np.sqrt(trials)
    assert portfolio.p_termination_right == tier.p_termination_right
    assert portfolio.revenue_at_risk_mean == tier.revenue_at_risk_mean


def test_the_exact_chronic_walk_itself():
    # Three consecutive misses in three months: only all three, p^3, at the third month.
    assert exact_chronic(3, 0.5, 3, 3) == pytest.approx([0, 0, 0.125])
    # One miss of one: the first month with probability p, then (1 - p) p, ...
    assert exact_chronic(3, 0.2, 1, 1) == pytest.approx([0.2, 0.16, 0.128])
    # Two of any three in four months, by enumerating the 16 histories.
    counts = [0.0] * 4
    for history in itertools.product([True, False], repeat=4):
        mass = np.prod([0.3 if h else 0.7 for h in history])
        for m in range(4):
            if sum(history[max(0, m - 2) : m + 1]) >= 2:
                counts[m] += mass
                break
    assert exact_chronic(4, 0.3, 2, 3) == pytest.approx(counts)
