"""Support tickets in the Monte Carlo: drawn misses credited by replay's rule, exactly, and a
scenario without tickets gives the numbers it gave before tickets could be drawn."""

from __future__ import annotations

import dataclasses
import hashlib
import math
from pathlib import Path

import numpy as np

from slamodeler.engine.pricing import price_tier
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import (
    period_credits,
    reprice,
    scenario_horizon,
    simulate,
    trial_incidents,
    trial_support_tickets,
)
from slamodeler.engine.ticket_draws import draw_misses, support_percent
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from tests.helpers.builders import contract, scenario
from tests.helpers.paths import SAMPLES
from tests.helpers.ticket_terms import SUPPORT_CONTRACT

P1 = {"priority": "P1", "respond_within_minutes": 15, "credit_pct": 5}
P2 = {"priority": "P2", "respond_within_minutes": 60, "credit_amount": 100}
QUIET = [  # a process that never fires: no outages, support credits only
    {
        "name": "none",
        "frequency": {"dist": "poisson", "rate_per_month": 0},
        "duration_minutes": {"dist": "exponential", "mean": 10},
    }
]


def _terms(*targets: dict, caps: dict | None = None):
    tier = {"monthly_fee": 3000, "support": {"targets": list(targets)}}
    return contract(tier=tier | ({"caps": caps} if caps else {}))


def _tickets(*rates: tuple[str, float, float], **more):
    tickets = [{"priority": p, "per_month": r, "miss_probability": q} for p, r, q in rates]
    return scenario(processes=QUIET, tickets=tickets, **more)


def test_the_mean_support_credit_is_rate_x_months_x_p_x_credit_within_4_standard_errors():
    # per month: P1 misses ~ Poisson(3 x 0.1), 5% of 3,000 = 150 each; P2 ~ Poisson(10 x 0.05),
    # 100 each. Mean 0.3 x 150 + 0.5 x 100 = 95; variance 0.3 x 150^2 + 0.5 x 100^2 = 11,750
    run = simulate(_terms(P1, P2), _tickets(("P1", 3, 0.1), ("p2", 10, 0.05)), 4000, 3)
    issued = period_credits(run, "T", slice(None)) / 100  # minor units -> USD
    assert issued.shape == (4000, 12)
    mean, variance = 0.3 * 150 + 0.5 * 100, 0.3 * 150**2 + 0.5 * 100**2
    stderr = math.sqrt(variance / issued.size)
    assert abs(issued.mean() - mean) < 4 * stderr
    # the sample variance's own standard error: sqrt((mu4 - var^2) / n), mu4 of the compound
    mu4 = 0.3 * 150**4 + 0.5 * 100**4 + 3 * variance**2
    assert abs(issued.var() - variance) < 4 * math.sqrt((mu4 - variance**2) / issued.size)
    totals = run.pricing["T"].issued / 100
    assert abs(totals.mean() - 12 * mean) < 4 * math.sqrt(12 * variance / 4000)
    assert not run.notes  # both priorities drawn: no "not simulated" note


def test_one_prioritys_misses_follow_the_poisson_pmf():
    run = simulate(_terms(P1), _tickets(("P1", 4, 0.25)), 3000, 11)
    misses = (period_credits(run, "T", slice(None)) // 15000).ravel()  # 150 USD per miss
    n, lam = misses.size, 1.0  # 4 tickets x 0.25 a month
    pmf = [math.exp(-lam) * lam**k / math.factorial(k) for k in range(5)]
    expected = [n * q for q in pmf] + [n * (1 - sum(pmf))]
    observed = [int((misses == k).sum()) for k in range(5)] + [int((misses >= 5).sum())]
    chi2 = sum((o - e) ** 2 / e for o, e in zip(observed, expected, strict=True))
    assert chi2 < 20.5  # chi-square, 5 degrees of freedom: P(> 20.5) = 0.001


def test_a_prioritys_cap_then_the_tiers_cap_hand_computed():
    # P1: 5 misses x 5% = 25%, cut to its 10%; P2: 4 misses x 100/3000 = 13.333%: 23.333% in
    # all, 700 USD, which the tier's 15% per-period cap cuts to 450
    p1 = P1 | {"max_pct_per_period": 10}
    terms = _terms(p1, P2, caps={"per_period_pct": 15})
    plan = _tickets(("P1", 1, 1), ("P2", 1, 1))
    horizon = scenario_horizon(terms, plan)
    misses = np.zeros((3, 12, 2), np.int64)
    misses[0, 0] = (5, 4)
    misses[1, 0] = (1, 0)
    misses[2, 0] = (0, 1)
    found = support_percent(terms, terms.tiers[0], horizon, misses, plan)
    assert found.den == 3  # percent x 3: 70/3 = 10 + 40/3, 5, 10/3
    assert found.values[:, 0].tolist() == [70, 15, 10]
    assert not found.values[:, 1:].any()
    zeros = np.zeros((3, 12), np.int64)
    priced = price_tier(
        terms, terms.tiers[0], horizon, zeros, zeros, True, support=(found.values, found.den)
    )
    assert priced.issued_by_period is not None
    assert priced.issued_by_period[:, 0].tolist() == [45000, 15000, 10000]
    assert priced.owed.tolist() == [70000, 15000, 10000]


def test_draws_depend_on_the_seed_and_trial_only_not_on_which_rows_ask():
    terms, plan = _terms(P1), _tickets(("P1", 2, 0.5))
    horizon = scenario_horizon(terms, plan)
    tier = terms.tiers[0]
    every = draw_misses(plan, horizon, 0, tier, 5, np.arange(50, dtype=np.int64), 20)
    some = draw_misses(plan, horizon, 0, tier, 5, np.array([41, 3, 3], np.int64), 20)
    assert (some == every[[41, 3, 3]]).all()


def test_a_reprice_keeps_the_tickets_and_prices_new_support_terms():
    plan = _tickets(("P1", 3, 0.2))
    run = simulate(_terms(P1), plan, 500, 2)
    doubled = _terms(P1 | {"credit_pct": 10})
    again = reprice(run, doubled)
    assert (again.pricing["T"].issued == 2 * run.pricing["T"].issued).all()
    assert run.pricing["T"].issued.sum() > 0


def test_notes_say_what_support_the_simulation_leaves_out():
    without = simulate(_terms(P1), scenario(processes=QUIET), 10, 1)
    assert any("support response targets are not simulated" in n for n in without.notes)
    other = simulate(_terms(P1), _tickets(("P3", 3, 0.2)), 10, 1)
    assert "tier T: the scenario's tickets name none of its support priorities" in other.notes[0]
    assert "'p3': no tier has a support target" in other.notes[1]
    assert other.pricing["T"].issued.sum() == 0


def _fingerprint(contract_path: Path, scenario_name: str) -> str:
    plan = load_scenario(SAMPLES / "scenarios" / scenario_name)
    run = simulate(load_contract(contract_path), plan, 3000, 7)
    digest = hashlib.sha256()
    for totals in run.pricing.values():
        for f in dataclasses.fields(totals):
            value = getattr(totals, f.name)
            if value is not None:
                digest.update(np.ascontiguousarray(value).tobytes())
    return digest.hexdigest()[:16]


def test_scenarios_without_tickets_give_the_totals_they_gave_before(tmp_path):
    # fingerprints of every total of these runs, taken with main's simulate (5a98d75) before
    # tickets could be drawn: the outage draws and prices did not move
    sample = SAMPLES / "three_tier_cloud.yaml"
    assert _fingerprint(sample, "baseline.yaml") == "2c6dafae61aae5f3"
    with_support = tmp_path / "support.yaml"
    with_support.write_text(SUPPORT_CONTRACT)
    assert _fingerprint(with_support, "bad_year.yaml") == "afe50bd9b2b16eb1"


def test_replaying_a_trials_incidents_and_tickets_gives_the_credits_the_simulation_counted():
    terms = _terms(P1 | {"max_pct_per_period": 10}, P2, caps={"per_period_pct": 15})
    plan = scenario(
        tickets=[
            {"priority": "P1", "per_month": 6, "miss_probability": 0.3},
            {"priority": "P2", "per_month": 2, "miss_probability": 0.5},
        ]
    )
    run = simulate(terms, plan, 300, 4)
    sampled = [0, 7, 151, 299]
    incidents = trial_incidents(terms, plan, 4, 300, sampled)
    tickets = trial_support_tickets(terms, plan, 4, sampled, "T")
    assert sum(len(found) for found in tickets.values()) > 10
    for trial in sampled:
        replayed = replay(terms, incidents[trial], "2024-01", "2024-12", tickets=tickets[trial])
        simulated = period_credits(run, "T", [trial])[0]
        expected = [int(p.credit_after_caps * 100) for p in replayed.tiers[0].periods]
        assert simulated.tolist() == expected, trial
