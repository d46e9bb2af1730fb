"""Per-incident credits in the Monte Carlo: a simulated trial dumped and replayed gives the
credits the simulation counted (under a cap per customer too), and re-pricing refuses a change
of them."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import period_credits, reprice, simulate, trial_incidents
from tests.helpers.builders import BASE, contract, scenario
from tests.helpers.incident_credit_terms import contracts_with_incident_credits
from tests.helpers.strategies import float_priced, scenarios

PER_INCIDENT = {"longer_than_minutes": 30, "credit_pct": "5", "credit_pct_per_hour": "2"}


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(contracts_with_incident_credits(), scenarios(), st.integers(0, 2**32 - 1))
def test_replaying_a_trial_gives_the_per_incident_credits_the_simulation_counted(terms, scen, seed):
    if terms.measurement.period == "quarter":
        terms = terms.model_copy(
            update={"measurement": terms.measurement.model_copy(update={"period": "month"})}
        )
    trials = 25
    run = simulate(terms, scen, trials, seed)
    sampled = [0, 7, 24]
    found = trial_incidents(terms, scen, seed, trials, sampled)
    first, last = run.horizon.periods[0].label, run.horizon.periods[-1].label
    unit = Decimal(1).scaleb(-_digits(terms))
    exact_hours = terms.tiers[0].incident_credits.hours == "exact"
    tolerance = 1 if float_priced(terms) or exact_hours else 0  # see engine/pricing.py
    for trial in sampled:
        replayed = replay(terms, found[trial], first=first, last=last).tiers[0]
        simulated = period_credits(run, terms.tiers[0].name, [trial])[0]
        for p, period in enumerate(replayed.periods):
            expected = int(period.credit_after_caps / unit)
            assert abs(int(simulated[p]) - expected) <= tolerance, (trial, period.period)


def _digits(terms: Contract) -> int:
    return {"JPY": 0, "KWD": 3}.get(terms.currency, 2)


def test_an_incident_over_the_threshold_adds_its_credit_in_every_trial():
    """One incident of 2 hours in each trial of a year: 5% + 2 started hours x 2% = 9% of a
    1,000 fee, on top of bands that the 2 hours miss (99.9% of a month is 43 minutes)."""
    terms = contract(tier={"incident_credits": PER_INCIDENT})
    without = contract()
    scen = scenario()
    run, plain = simulate(terms, scen, 200, 5), simulate(without, scen, 200, 5)
    assert (run.pricing["T"].owed >= plain.pricing["T"].owed).all()
    assert run.pricing["T"].owed.sum() > plain.pricing["T"].owed.sum()


def test_re_pricing_refuses_new_per_incident_credits_naming_the_field():
    terms = contract(tier={"incident_credits": PER_INCIDENT})
    run = simulate(terms, scenario(), 50, 1)
    changed = contract(tier={"incident_credits": {**PER_INCIDENT, "credit_pct": "7"}})
    with pytest.raises(InputError, match=r"tiers\[0\]\.incident_credits"):
        reprice(run, changed)


def test_a_customer_cap_cuts_per_incident_credits_as_replay_does():
    """Two tiers held under one cap, both paying per incident: each sampled trial replayed
    gives the issued and capped-off totals the simulation counted, and the cap bound."""
    customers = 3
    data = copy.deepcopy(BASE)
    compute = {
        **data["tiers"][0],
        "name": "Compute",
        "customers": customers,
        "incident_credits": PER_INCIDENT,
    }
    data["tiers"] = [compute, {**compute, "name": "Storage", "monthly_fee": 500}]
    data["customer_cap"] = {"amount": 300}
    terms = Contract.model_validate(data)
    scen, trials, seed = scenario(), 40, 8
    run = simulate(terms, scen, trials, seed)
    sampled = list(range(0, trials, 3))
    found = trial_incidents(terms, scen, seed, trials, sampled)
    first, last = run.horizon.periods[0].label, run.horizon.periods[-1].label
    cut = Decimal(0)
    for trial in sampled:
        for tier in replay(terms, found[trial], first=first, last=last).tiers:
            totals = run.pricing[tier.tier]
            issued = tier.total("credit_after_caps") * customers
            assert totals.issued[trial] == int(issued * 100), (trial, tier.tier)
            assert totals.capped_off[trial] == int(tier.total("capped_off") * customers * 100)
            cut += tier.total("capped_by_customer")
    assert cut > 0  # the cap bound in some sampled trial
