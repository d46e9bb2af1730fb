"""The exact method against the Monte Carlo (within its standard error), against the published
compound-distribution library ``aggregate`` (to 1e-6), and on hand-computed cases; and where
the engine's rule (union of overlapping incidents) differs from the compound sum, measured."""

from __future__ import annotations

import math

import numpy as np
import pytest
from aggregate import Aggregate

from slamodeler.domain.scenario import Empirical
from slamodeler.engine.exact import (
    downtimes,
    exact,
    quantile,
    slot_pmf,
    tail_mean,
    total_distribution,
)
from slamodeler.engine.exposure import exposures
from slamodeler.engine.simulation import simulate
from tests.helpers.builders import contract, scenario

TRIALS = 40_000


def process(frequency, duration, **more):
    return {"name": "p", "frequency": frequency, "duration_minutes": duration, **more}


POISSON = {"dist": "poisson", "rate_per_month": 0.3}
NEGBIN = {"dist": "negbin", "mean_per_month": 0.4, "dispersion": 0.7}
LOGNORMAL = {"dist": "lognormal", "median": 90, "sigma": 1.0}

CASES = {
    "bands, Poisson, lognormal": (
        contract(claims={"min_credit": 0, "claim_rate": 1}),
        scenario(processes=[process(POISSON, LOGNORMAL)]),
    ),
    "per-hour credits, negative binomial, a period cap, a minimum credit and a claim rate": (
        contract(
            tier={
                "customers": 3,
                "credits": {"kind": "per_hour", "credit_pct_per_hour": 5, "hours": "started"},
                "caps": {"per_period_pct": 30},
            },
            claims={"min_credit": 60, "claim_rate": 0.6},
        ),
        scenario(
            processes=[process(NEGBIN, {"dist": "weibull", "shape": 0.8, "scale": 120})],
        ),
    ),
    "quarters, 5-minute whole slots, a minimum downtime, half the incidents weightless": (
        contract(
            measurement={
                "period": "quarter",
                "slot_minutes": 5,
                "min_downtime_minutes": 30,
                "slot_counting": "whole",
            },
        ),
        scenario(
            processes=[
                process(
                    {"dist": "poisson", "rate_per_month": 1.5},
                    {"dist": "exponential", "mean": 40},
                    impact={"full": 0.5, "none": 0.5},
                )
            ],
        ),
    ),
    "two tiers, a linear curve and empirical durations, stressed": (
        contract(
            tiers=[
                {
                    "name": "Gold",
                    "target_pct": 99.95,
                    "monthly_fee": 2500,
                    "customers": 2,
                    "credits": {
                        "kind": "linear",
                        "points": [
                            {"availability_pct": 99.95, "credit_pct": 0},
                            {"availability_pct": 99.0, "credit_pct": 50},
                        ],
                    },
                },
                {
                    "name": "Basic",
                    "target_pct": 99.5,
                    "monthly_fee": 400,
                    "credits": {"kind": "bands", "bands": [{"below": 99.5, "credit_pct": 10}]},
                },
            ]
        ),
        scenario(
            processes=[process(POISSON, {"dist": "empirical", "values": [3, 25.5, 60, 180, 400]})],
            stress={"frequency": 1.5, "duration": 1.2},
        ),
    ),
    "either-or credits and threshold minutes on partial incidents": (
        contract(
            measurement={"period": "month", "slot_minutes": 1, "down_above": 0.05},
            tier={
                "either_or": {
                    "pick": "greater",
                    "credits": {"kind": "per_hour", "credit_pct_per_hour": 4, "hours": "whole"},
                }
            },
        ),
        scenario(processes=[process(POISSON, LOGNORMAL, impact={"partial": 1.0})]),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_the_exact_method_agrees_with_the_monte_carlo_within_its_standard_error(case):
    terms, scen = CASES[case]
    computed = exact(terms, scen)
    simulated = exposures(simulate(terms, scen, TRIALS, seed=20261205))
    assert computed.differ_bound < 0.2  # overlaps rare: the two rules agree but for them
    for e, m in zip(computed.exposures, simulated, strict=True):
        assert e.name == m.name and e.stderr == 0
        assert abs(e.mean - m.mean) < 4 * m.stderr + 1e-9, (e.name, e.mean, m.mean, m.stderr)
        for p, q in (
            (e.p_any_breach, m.p_any_breach),
            (e.p_cap_hit["per_period"], m.p_cap_hit["per_period"]),
        ):
            assert abs(p - q) < 4 * math.sqrt(max(p * (1 - p), 1e-6) / TRIALS) + 1e-3
        assert e.issued_mean == pytest.approx(m.issued_mean, rel=0.05, abs=1)
        assert e.revenue == m.revenue and e.cost == m.cost


def _aggregate_year(severity, frequency):
    """The year's downtime (12 independent months) as ``aggregate`` computes it, from the same
    slot counts: the incidents that count a slot or more, thinned, with the year's count."""
    f0 = float(severity[0])
    ks = np.flatnonzero(severity[1:] > 0) + 1
    if frequency["dist"] == "poisson":
        count, mix = 12 * frequency["rate_per_month"] * (1 - f0), {"freq_name": "poisson"}
    else:  # 12 months of NB(k): NB(12 k), a gamma mixture with CV 1 / sqrt(12 k)
        count = 12 * frequency["mean_per_month"] * (1 - f0)
        mix = {"freq_name": "gamma", "freq_a": 1 / math.sqrt(12 * frequency["dispersion"])}
    year = Aggregate(
        "year",
        exp_en=count,
        sev_name="dhistogram",
        sev_xs=ks.astype(float),
        sev_ps=severity[ks] / (1 - f0),
        **mix,
    )
    year.update(log2=17, bs=1, normalize=False)
    return year


# the library takes logs of its own zero probabilities while describing the distribution
@pytest.mark.filterwarnings("ignore:divide by zero encountered in log:RuntimeWarning")
@pytest.mark.parametrize("frequency", [POISSON, NEGBIN], ids=["poisson", "negbin"])
def test_a_years_downtime_agrees_with_the_aggregate_library(frequency):
    terms = contract(measurement={"period": "year", "slot_minutes": 1})
    scen = scenario(processes=[process(frequency, LOGNORMAL)])
    found = downtimes(terms, scen)
    (year,) = found.periods
    theirs = _aggregate_year(found.severity, frequency)
    values = np.arange(len(year))
    ours_mean = float(values @ year)
    assert ours_mean == pytest.approx(theirs.agg_m, rel=1e-6)
    density = theirs.density_df.p_total.to_numpy()
    assert np.max(np.abs(density[: len(year)] - year[: len(density)])) < 1e-9
    for level in (0.5, 0.9, 0.95, 0.99, 0.999):
        assert quantile(values, year, level) == pytest.approx(theirs.q(level), rel=1e-6)
    assert tail_mean(values, year, 0.99) == pytest.approx(theirs.tvar(0.99), rel=1e-6)


def test_a_computed_distribution_has_no_tail_intervals():
    """No trials, no sampling error: the intervals are NaN, not order statistics of the
    distribution's own quantile points."""
    terms, scen = next(iter(CASES.values()))
    for e in exact(terms, scen).exposures:
        assert all(math.isnan(v) for pair in e.intervals.values() for v in pair), e.name


def test_slot_counts_of_a_fixed_duration_by_hand():
    # 30 minutes exactly: 30 slots when it starts on a minute boundary (1 in 60), 31 otherwise;
    # whole slots only: 30 on a boundary, 29 otherwise; more than half: 29 when it starts at
    # half past (both edge slots covered exactly half), 30 otherwise.
    dist = Empirical.model_validate({"dist": "empirical", "values": [30.0]})
    anyway = slot_pmf(dist, 1.0, 60, 40, "any")
    assert anyway[30] == pytest.approx(1 / 60) and anyway[31] == pytest.approx(59 / 60)
    whole = slot_pmf(dist, 1.0, 60, 40, "whole")
    assert whole[30] == pytest.approx(1 / 60) and whole[29] == pytest.approx(59 / 60)
    half = slot_pmf(dist, 1.0, 60, 40, "more_than_half")
    assert half[29] == pytest.approx(1 / 60) and half[30] == pytest.approx(59 / 60)


def test_sums_quantiles_and_tail_means_by_hand():
    coin = (np.array([0, 10]), np.array([0.5, 0.5]))
    values, probs = total_distribution([coin, coin])
    assert values.tolist() == [0, 10, 20] and probs.tolist() == pytest.approx([0.25, 0.5, 0.25])
    assert quantile(values, probs, 0.25) == 0 and quantile(values, probs, 0.26) == 10
    assert quantile(values, probs, 0.99) == 20
    assert tail_mean(values, probs, 0.5) == pytest.approx((0.25 * 20 + 0.25 * 10) / 0.5)


def test_where_incidents_overlap_often_the_difference_is_measured_and_flagged():
    # 20 incidents a month of 6 hours: overlaps are the rule, so the compound sum counts more
    # downtime than the engine's union. The bound says so, and the Monte Carlo shows it.
    terms = contract(
        tier={"credits": {"kind": "per_hour", "credit_pct_per_hour": 0.1, "hours": "exact"}}
    )
    scen = scenario(
        processes=[
            process({"dist": "poisson", "rate_per_month": 20}, {"dist": "exponential", "mean": 360})
        ]
    )
    computed = exact(terms, scen)
    simulated = exposures(simulate(terms, scen, 4000, seed=3))
    assert computed.differ_bound > 10  # every month, by far
    assert computed.exposures[0].mean > simulated[0].mean + 10 * simulated[0].stderr


def test_a_months_downtime_agrees_with_compound_sums_drawn_directly():
    """The compound sum itself, drawn (counts, durations rounded to the second, starts uniform
    in the first minute, slots touched): no union of overlaps, so only the Monte Carlo error
    separates it from the exact distribution, however many draws."""
    terms = contract()
    scen = scenario(processes=[process({"dist": "poisson", "rate_per_month": 1.8}, LOGNORMAL)])
    month = downtimes(terms, scen).periods[0]
    rng = np.random.default_rng(5)
    n = 1_000_000
    counts = rng.poisson(1.8, n)
    seconds = np.rint(np.exp(np.log(90) + rng.standard_normal(counts.sum())) * 60).astype(int)
    offset = rng.integers(0, 60, counts.sum())
    slots = np.where(seconds > 0, -(-(offset + seconds) // 60), 0)
    drawn = np.minimum(np.bincount(np.repeat(np.arange(n), counts), slots, n), len(month) - 1)
    values = np.arange(len(month))
    assert abs(values @ month - drawn.mean()) < 4 * drawn.std() / np.sqrt(n)
    for limit in (45, 446, 2232):  # the 99.9, 99 and 95% thresholds of a 31-day month
        p = month[limit:].sum()
        assert abs(p - np.mean(drawn >= limit)) < 4 * np.sqrt(p * (1 - p) / n) + 1e-6
