"""Claim windows in the Monte Carlo with chronic failure and the customer cap across tiers: a
simulated trial dumped and replayed gives the termination right, the fees at risk and the
credits issued and capped off that the simulation counted; with incidents that hit customers
one by one the customer cap stays refused, naming the fields."""

from __future__ import annotations

import copy

import pytest
import yaml

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import simulate, trial_incidents
from tests.helpers.builders import scenario
from tests.helpers.paths import SAMPLES

R2 = yaml.safe_load((SAMPLES / "real" / "cloudflare_r2.yaml").read_text())
CUSTOMERS = 3


def r2_with(**terms) -> Contract:
    return Contract.model_validate({**copy.deepcopy(R2), **terms})


def held_together(cap: dict) -> Contract:
    """R2 sold as two tiers of one customer's subscription, held under one cap."""
    data = copy.deepcopy(R2)
    storage = {**data["tiers"][0], "name": "Storage", "customers": CUSTOMERS}
    egress = {**storage, "name": "Egress", "monthly_fee": 900, "target_pct": 99.5}
    data["tiers"] = [storage, egress]
    data["customer_cap"] = cap
    return Contract.model_validate(data)


def errors(rate: float = 1.5) -> object:
    return scenario(
        start="2025-01",
        processes=[
            {
                "name": "errors",
                "frequency": {"dist": "poisson", "rate_per_month": rate},
                "duration_minutes": {"dist": "lognormal", "median": 45, "sigma": 1.2},
                "impact": {"full": 1.0},
            }
        ],
    )


def test_chronic_failure_on_claim_windows_simulates_as_a_dumped_trial_replays():
    terms = r2_with(chronic_failure={"missed": 3, "of": 5})
    scen = errors(0.5)
    trials = 40
    run = simulate(terms, scen, trials, 17)
    found = trial_incidents(terms, scen, 17, trials, range(trials))
    replayed = [
        replay(terms, found[t], first="2025-01", last="2025-12").tiers[0] for t in range(trials)
    ]
    totals = run.pricing["R2"]
    assert totals.termination_right.tolist() == [
        r.termination_right_from is not None for r in replayed
    ]
    assert totals.revenue_at_risk.tolist() == [float(r.revenue_at_risk) for r in replayed]
    assert 0 < sum(totals.termination_right) < trials  # both outcomes occur
    assert len({float(r.revenue_at_risk) for r in replayed}) > 2  # at different claims


def test_the_customer_cap_on_claim_windows_cuts_as_a_dumped_trial_replays():
    terms = held_together({"amount": 900})
    scen = errors(2.5)
    trials = 40
    run = simulate(terms, scen, trials, 5)
    found = trial_incidents(terms, scen, 5, trials, range(trials))
    cut = 0
    for trial in range(trials):
        replayed = replay(terms, found[trial], first="2025-01", last="2025-12")
        for tier in replayed.tiers:
            totals = run.pricing[tier.tier]
            issued = tier.total("credit_after_caps") * CUSTOMERS
            assert totals.issued[trial] == int(issued * 100), (trial, tier.tier)
            capped_off = tier.total("capped_off") * CUSTOMERS
            assert totals.capped_off[trial] == int(capped_off * 100), (trial, tier.tier)
            assert totals.paid[trial] == int(tier.total("expected_paid") * CUSTOMERS * 100)
            by_cap = tier.total("capped_by_customer") * CUSTOMERS
            assert totals.cut_by_customer_cap is not None
            assert totals.cut_by_customer_cap[trial] >= int(by_cap * 100)
            cut += by_cap
    assert cut > 0  # the cap bound in some trials
    free = simulate(terms.model_copy(update={"customer_cap": None}), scen, trials, 5)
    assert (run.pricing["Egress"].issued <= free.pricing["Egress"].issued).all()


def test_the_customer_cap_on_claim_windows_is_refused_when_customers_are_hit_one_by_one():
    own = {
        "name": "single customers",
        "frequency": {"dist": "poisson", "rate_per_month": 1.0},
        "duration_minutes": {"dist": "exponential", "mean": 90},
        "scope": {"independent": 0.5},
    }
    base = errors()
    scen = base.model_validate(
        {**base.model_dump(), "processes": [*base.model_dump()["processes"], own]}
    )
    with pytest.raises(InputError, match=r"measurement\.window \(claim, 30 days\) with customer_c"):
        simulate(held_together({"amount": 900}), scen, 5, 1)
    simulate(held_together({"amount": 900}), errors(), 5, 1)  # without them: priced
    simulate(r2_with(chronic_failure={"missed": 3, "of": 5}), scen, 5, 1)  # per row: priced
