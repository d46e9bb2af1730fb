"""The cap per customer across tiers in the Monte Carlo: a trial dumped and replayed gives the
credits the simulation counted, and with incidents that hit customers one by one each customer
is cut on its own (checked against a plain walk over every customer)."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from slamodeler.domain.contract import Contract
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import period_credits, simulate, trial_incidents
from tests.helpers.builders import BASE, scenario

CUSTOMERS = 3


def held_together(cap: dict) -> Contract:
    data = copy.deepcopy(BASE)
    compute = {**data["tiers"][0], "name": "Compute", "customers": CUSTOMERS}
    storage = {**compute, "name": "Storage", "monthly_fee": 500}
    data["tiers"] = [compute, storage]
    data["customer_cap"] = cap
    return Contract.model_validate(data)


def test_a_replayed_trial_gives_the_credits_the_simulation_counted_under_the_cap():
    terms = held_together({"amount": 400})
    scen = scenario()
    trials = 60
    run = simulate(terms, scen, trials, 5)
    sampled = list(range(0, trials, 3))
    found = trial_incidents(terms, scen, 5, trials, sampled)
    first, last = run.horizon.periods[0].label, run.horizon.periods[-1].label
    cut = Decimal(0)
    for trial in sampled:
        replayed = replay(terms, found[trial], first=first, last=last)
        for tier in replayed.tiers:
            totals = run.pricing[tier.tier]
            issued = tier.total("credit_after_caps") * CUSTOMERS
            assert totals.issued[trial] == int(issued * 100), (trial, tier.tier)
            assert totals.capped_off[trial] == int(tier.total("capped_off") * CUSTOMERS * 100)
            cut += tier.total("capped_by_customer")
    assert cut > 0  # the cap bound in some sampled trial


def _walk(cap: int, credits: list[list[int]], terms: list[int]) -> list[int]:
    """Each tier's credits after the cap, for one customer: periods in order, tiers in order."""
    used: dict[int, int] = {}
    out = [0] * len(credits)
    for p, term in enumerate(terms):
        for t, tier in enumerate(credits):
            room = max(cap - used.get(term, 0), 0)
            amount = min(tier[p], room)
            used[term] = used.get(term, 0) + amount
            out[t] += amount
    return out


@pytest.mark.parametrize("cap", [{"amount": 250}, {"pct_of_annual_fees": 3}])
def test_customers_hit_on_their_own_are_each_cut_on_their_own(cap):
    terms = held_together(cap)
    own = {
        "name": "single customers",
        "frequency": {"dist": "poisson", "rate_per_month": 1.0},
        "duration_minutes": {"dist": "lognormal", "median": 90, "sigma": 1.0},
        "scope": {"independent": 0.5},
    }
    scen = scenario()
    scen = scen.model_validate(
        {**scen.model_dump(), "processes": [*scen.model_dump()["processes"], own]}
    )
    trials = 30
    run = simulate(terms, scen, trials, 11)
    limit = 25000 if "amount" in cap else (1500 * 12 * 3)  # minor units: 3% of 18,000
    years = list(run.horizon.terms)
    for trial in range(trials):
        expected = [0, 0]
        for k in range(CUSTOMERS):
            credits = [
                period_credits(run, name, [trial], customer=k)[0].tolist()
                for name in ("Compute", "Storage")
            ]
            for t, amount in enumerate(_walk(limit, credits, years)):
                expected[t] += amount
        assert [run.pricing[n].issued[trial] for n in ("Compute", "Storage")] == expected, trial
    free = simulate(terms.model_copy(update={"customer_cap": None}), scen, trials, 11)
    assert (run.pricing["Storage"].issued < free.pricing["Storage"].issued).any()  # it bound
