"""Claim windows in the Monte Carlo (``measurement.window`` kind ``claim``): each trial files a
claim as each incident ends and measures the days before it. A simulated trial, dumped and
replayed, gives the credits the simulation counted (random contracts, customers hit on their
own), Cloudflare R2 checked by hand, and contracts without a claim window keep their results
to the bit."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.domain.contract import Caps
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import period_credits, simulate, trial_incidents
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from slamodeler.services.simulation_session import ceilings
from tests.helpers.agreement import (
    held_customers_replay_to_their_credits,
    trials_replay_to_their_credits,
)
from tests.helpers.builders import contract, scenario
from tests.helpers.paths import SAMPLES
from tests.helpers.strategies import claim_contracts, held_claim_contracts, scenarios

R2 = load_contract(SAMPLES / "real" / "cloudflare_r2.yaml")


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(claim_contracts(), scenarios(), st.integers(0, 2**32 - 1))
def test_a_trial_with_claim_windows_replays_to_the_credits_counted(terms, scen, seed):
    trials_replay_to_their_credits(terms, scen, seed, 25, [0, 7, 24])


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(held_claim_contracts(), scenarios(), st.integers(0, 2**32 - 1))
def test_customers_hit_one_by_one_under_a_customer_cap_replay_to_the_credits_counted(
    terms, scen, seed
):
    # each customer claims in both tiers at every incident of its history, its own in either
    one_by_one = {
        "name": "own",
        "frequency": {"dist": "poisson", "rate_per_month": 1.0},
        "duration_minutes": {"dist": "exponential", "mean": 120},
        "scope": {"independent": 0.6},
    }
    data = scen.model_dump()
    scen = scen.model_validate({**data, "processes": [*data["processes"], one_by_one]})
    held_customers_replay_to_their_credits(terms, scen, seed, 8, [0, 3, 7])


def test_each_customer_hit_on_its_own_claims_at_its_own_incident_ends():
    terms = contract(
        measurement={"period": "month", "window": {"kind": "claim", "days": 10}},
        tier={"customers": 4},
    )
    own = {
        "name": "own",
        "frequency": {"dist": "poisson", "rate_per_month": 2.0},
        "duration_minutes": {"dist": "exponential", "mean": 300},
        "scope": {"independent": 0.5},
    }
    scen = scenario(processes=[*scenario().model_dump()["processes"], own])
    run = simulate(terms, scen, 12, 8)
    first, last = run.horizon.periods[0].label, run.horizon.periods[-1].label
    for trial in (0, 5, 11):
        total = 0
        for customer in range(4):
            found = trial_incidents(terms, scen, 8, 12, [trial], customer=("T", customer))[trial]
            rows = replay(terms, found, first=first, last=last).tiers[0].periods
            credits = [int(p.credit_after_caps * 100) for p in rows]
            simulated = period_credits(run, "T", [trial], customer)[0].tolist()
            assert simulated == credits + [0] * (len(simulated) - len(credits))
            total += sum(credits)
        assert run.pricing["T"].issued[trial] == total


def _slots(start: int, end: int) -> range:
    """The 5-minute slots (from the epoch, on the grid) an incident touches."""
    return range(start // 300, -(-end // 300))


def _fee_share(start: int, end: int) -> Fraction:
    """How many months' fees [start, end) holds: each UTC month's share of its length."""
    total = Fraction(0)
    for year in (2024, 2025):
        for month in range(1, 13):
            lo = datetime(year, month, 1, tzinfo=UTC).timestamp()
            hi = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC).timestamp()
            overlap = min(end, hi) - max(start, lo)
            if overlap > 0:
                total += Fraction(int(overlap), int(hi - lo))
    return total


def test_cloudflare_r2_simulates_the_30_days_before_each_claim_as_counted_by_hand():
    scen = scenario(
        start="2025-01",
        processes=[
            {
                "name": "errors",
                "frequency": {"dist": "poisson", "rate_per_month": 1.5},
                "duration_minutes": {"dist": "lognormal", "median": 45, "sigma": 1.2},
                "impact": {"full": 1.0},
            }
        ],
    )
    run = simulate(R2, scen, 30, 21)
    trials = list(range(30))
    found = trial_incidents(R2, scen, 21, 30, trials)
    credits = period_credits(run, "R2", trials)
    year_start = int(datetime(2025, 1, 1, tzinfo=UTC).timestamp())
    year_end = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
    bands = {10: 0, 25: 0, 100: 0}
    for trial in trials:
        down = set().union(*(_slots(i.start, i.end) for i in found[trial]))
        # a claim at the end of the 5-minute interval each incident ends in, once per instant
        claims = sorted({-(-i.end // 300) * 300 for i in found[trial] if i.end > year_start})
        claims = [c for c in claims if c <= year_end]
        expected = []
        for claim in claims:
            window = range((claim - 30 * 86400) // 300, claim // 300)
            minutes = 5 * sum(s in down for s in window)
            available = Fraction(100 * (43200 - minutes), 43200)
            pct = 100 if available < 95 else 25 if available < 99 else 10 if available < 99.9 else 0
            bands[pct] = bands.get(pct, 0) + 1
            fee = 3100 * _fee_share(claim - 30 * 86400, claim)
            cents = Decimal(fee.numerator) / fee.denominator * pct  # % of the fee, in cents
            expected.append(int(cents.quantize(Decimal(1), ROUND_HALF_UP)))
        row = credits[trial].tolist()
        assert row == expected + [0] * (len(row) - len(expected)), trial
        assert run.pricing["R2"].issued[trial] == sum(expected)
    assert bands[10] and bands[25] and bands[0]  # several bands occur


def _digest(run) -> str:
    h = hashlib.sha256()
    for totals in run.pricing.values():
        for values in (totals.owed, totals.issued, totals.paid, totals.capped_off):
            h.update(np.ascontiguousarray(values).tobytes())
        h.update(np.ascontiguousarray(totals.breach_periods).tobytes())
    return h.hexdigest()[:16]


def test_contracts_without_a_claim_window_keep_their_results_to_the_bit():
    # digests of the totals from the code before claim windows were simulated
    baseline = load_scenario(SAMPLES / "scenarios" / "baseline.yaml")
    for name, digest in (
        ("three_tier_cloud.yaml", "5f77df746ed07ab0"),
        ("real/aws_ec2_2008.yaml", "152b9ed9035b8aa4"),
    ):
        assert _digest(simulate(load_contract(SAMPLES / name), baseline, 600, 11)) == digest


def test_a_per_period_cap_bounds_no_total_when_each_claim_is_a_row():
    capped = R2.model_copy(
        update={"tiers": [R2.tiers[0].model_copy(update={"caps": Caps(per_period_pct=10)})]}
    )
    run = simulate(capped, load_scenario(SAMPLES / "scenarios" / "baseline.yaml"), 20, 3)
    # 19 claims of about 30 days' fees each: far more than the 12 months' 10% a calendar gives
    assert run.pricing["R2"].issued.max() > 12 * 310_00
    assert "per-period cap" not in ceilings(run, "R2")
