"""Support tickets drawn per customer under a scenario whose processes hit customers one by one
(``scope: {independent: P}``): each customer's misses are its own Poisson draws, so a tier's
mean is N x one customer's hand-computed Poisson mean, and its variance N x one customer's (not
N^2 x, as when customers share their trial's misses). A customer's dumped incidents and
tickets replay to the credits the simulation counted for that customer."""

from __future__ import annotations

import math

import numpy as np

from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import (
    customer_paid,
    period_credits,
    simulate,
    trial_incidents,
    trial_support_tickets,
)
from tests.helpers.builders import contract, scenario

P1 = {"priority": "P1", "respond_within_minutes": 15, "credit_pct": 5}  # 150 of 3,000
CUSTOMERS = 10
ONE_BY_ONE = [  # outages that hit single customers, rarely: support credits nearly alone
    {
        "name": "own",
        "frequency": {"dist": "poisson", "rate_per_month": 0.5},
        "duration_minutes": {"dist": "exponential", "mean": 5},
        "impact": {"full": 1.0},
        "scope": {"independent": 0.01},
    }
]
TICKETS = [{"priority": "P1", "per_month": 3, "miss_probability": 0.1}]  # 0.3 misses a month


def _terms(customers: int = CUSTOMERS, **tier):
    return contract(
        tier={
            "monthly_fee": 3000,
            "customers": customers,
            "support": {"targets": [P1]},
            "target_pct": 90,  # a 5-minute outage never breaches: support credits alone
            **tier,
        }
    )


def test_each_customer_draws_its_own_misses_mean_and_variance_hand_computed():
    # one customer-year: misses ~ Poisson(12 x 0.3 = 3.6), 150 USD each: mean 540, variance
    # 3.6 x 150^2 = 81,000, fourth central moment 3.6 x 150^4 + 3 x 81,000^2
    trials = 4000
    run = simulate(_terms(), scenario(processes=ONE_BY_ONE, tickets=TICKETS), trials, 5)
    total = run.pricing["T"].issued / 100  # USD, the tier's 10 customers
    lam, credit = 12 * 0.3, 150.0
    mean, var = lam * credit, lam * credit**2
    assert abs(total.mean() - CUSTOMERS * mean) < 4 * math.sqrt(CUSTOMERS * var / trials)
    one = customer_paid(run, "T", 3)
    assert one is not None
    one = one / 100
    assert abs(one.mean() - mean) < 4 * math.sqrt(var / trials)

    def stderr_of_variance(v: float, lam_: float) -> float:
        mu4 = lam_ * credit**4 + 3 * v**2  # compound Poisson: Poisson(lam_) x 150
        return math.sqrt((mu4 - v**2) / trials)

    assert abs(one.var() - var) < 4 * stderr_of_variance(var, lam)
    n_var = CUSTOMERS * var  # independent customers: the tier total's variance is N x one's
    assert abs(total.var() - n_var) < 4 * stderr_of_variance(n_var, CUSTOMERS * lam)
    assert total.var() < 2 * CUSTOMERS * one.var()  # shared misses would give N^2 x: 10 x more
    corr = np.corrcoef(one, customer_paid(run, "T", 7))[0, 1]
    assert abs(corr) < 4 / math.sqrt(trials)  # two customers' credits: uncorrelated


def test_the_same_seed_gives_the_same_draws_whatever_the_trials():
    plan = scenario(processes=ONE_BY_ONE, tickets=TICKETS)
    small = simulate(_terms(), plan, 300, 9)
    large = simulate(_terms(), plan, 2500, 9)
    assert (large.pricing["T"].issued[:300] == small.pricing["T"].issued).all()


def test_a_customers_dumped_trial_replays_to_its_credits():
    terms = _terms(customers=4, target_pct=99.9, caps={"per_period_pct": 15})
    plan = scenario(
        processes=[
            {
                **ONE_BY_ONE[0],
                "frequency": {"dist": "poisson", "rate_per_month": 2},
                "duration_minutes": {"dist": "exponential", "mean": 60},
                "scope": {"independent": 0.5},
            }
        ],
        tickets=TICKETS,
    )
    run = simulate(terms, plan, 200, 4)
    sampled = [0, 7, 151, 199]
    seen = 0
    for customer in (None, 0, 3):
        incidents = trial_incidents(
            terms, plan, 4, 200, sampled, None if customer is None else ("T", customer)
        )
        tickets = trial_support_tickets(terms, plan, 4, sampled, "T", customer)
        seen += sum(len(found) for found in tickets.values())
        simulated = period_credits(run, "T", sampled, customer)
        for row, trial in enumerate(sampled):
            replayed = replay(terms, incidents[trial], "2024-01", "2024-12", tickets=tickets[trial])
            expected = [int(p.credit_after_caps * 100) for p in replayed.tiers[0].periods]
            assert simulated[row].tolist() == expected, (customer, trial)
        if customer is None:
            assert not any(tickets.values())  # the customers that drew no miss
    assert seen > 10
