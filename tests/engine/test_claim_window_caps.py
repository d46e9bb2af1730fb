"""Claim windows in the Monte Carlo with chronic failure and the customer cap across tiers: a
simulated trial dumped and replayed gives the termination right, the fees at risk and the
credits issued and capped off that the simulation counted; with incidents that hit customers
one by one, each customer claims in every tier it holds at each incident of its history, its own
incidents in the other tiers too, and is cut across those tiers as replay cuts that history
(checked by hand, and against a replay of every customer's history)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import numpy as np
import yaml

from slamodeler.domain.contract import Contract
from slamodeler.engine.drawn_parts import DrawnColumns
from slamodeler.engine.outage_model import DrawnIncidents, OutageModel
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import (
    Measured,
    measure_drawn,
    price_all,
    scenario_horizon,
    simulate,
    trial_incidents,
    why_not_repriced,
)
from tests.helpers.agreement import held_customers_replay_to_their_credits
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


OWN = {
    "name": "single customers",
    "frequency": {"dist": "poisson", "rate_per_month": 1.0},
    "duration_minutes": {"dist": "exponential", "mean": 300},
    "scope": {"independent": 0.5},
}


def scoped(terms: Contract) -> Contract:
    """Each tier scoped to a service of its own name: a customer's history replayed as one file
    then counts the incidents of its own in one tier (given that service) in that tier alone."""
    tiers = [
        t.model_copy(update={"scope": t.scope.model_copy(update={"services": [t.name]})})
        for t in terms.tiers
    ]
    return terms.model_copy(update={"tiers": tiers})


def one_by_one(rate: float = 1.5) -> object:
    base = errors(rate)
    return base.model_validate(
        {**base.model_dump(), "processes": [*base.model_dump()["processes"], OWN]}
    )


def test_customers_hit_one_by_one_claim_in_every_tier_they_hold_as_their_history_replays():
    terms = scoped(held_together({"amount": 8000}))
    found = held_customers_replay_to_their_credits(terms, one_by_one(0.5), 5, 20, range(20))
    assert found.cut > 0  # the cap bound for some customers
    assert found.issued < 20 * CUSTOMERS * 8000  # and not for all of them


def _at(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp())


def test_a_customer_hit_in_one_tier_claims_in_the_other_and_is_cut_as_counted_by_hand():
    # Storage (3,100 a month) and Egress (930) held by 2 customers under a cap of 1,500 a term,
    # the 30 days before each claim; every claim below falls on 31 March, so its window is 30 of
    # March's 31 days: 3,000 of Storage's fees, 900 of Egress's. One trial:
    #   S  shared, 30 Mar 23:10 - 31 Mar 00:10 (60 min): claim at 00:10
    #   A  customer 0's own in Storage, 31 Mar 08:00-16:00 (480 min): claim at 16:00
    #   B  customer 0's own in Egress, 31 Mar 22:00-23:00 (60 min): claim at 23:00
    # Customer 0 claims in both tiers at 00:10, 16:00 and 23:00 (B's claim in Storage too):
    #   Storage: 60 min down (99.86%, 10%) 300; S+A 540 min (98.75%, 25%) 750; again 750
    #   Egress:  S 60 min (10%) 90; S 60 min (A is not Egress's) 90; S+B 120 (99.72%) 90
    # walked in time order, Storage first at each claim: 300, 90, 750, 90 (1,230 used), then
    # Storage's 750 cut to the 270 left, and Egress's last 90 to nothing: Storage 1,320, Egress
    # 180. Customer 1 claims at 00:10 only: Storage 300, Egress 90.
    terms = held_together({"amount": 1500})
    terms = terms.model_copy(
        update={
            "tiers": [
                terms.tiers[0].model_copy(update={"customers": 2, "monthly_fee": 3100}),
                terms.tiers[1].model_copy(
                    update={"customers": 2, "monthly_fee": 930, "target_pct": 99.9}
                ),
            ]
        }
    )
    scen = one_by_one()
    horizon = scenario_horizon(terms, scen)
    model = OutageModel(scen, terms, horizon)
    spans = [
        ("2025-03-30T23:10", "2025-03-31T00:10", -1, -1, 0),
        ("2025-03-31T08:00", "2025-03-31T16:00", 0, 0, 1),
        ("2025-03-31T22:00", "2025-03-31T23:00", 1, 0, 1),
    ]
    drawn = DrawnIncidents(
        n_trials=1,
        columns=DrawnColumns.given(
            trial=np.zeros(3, np.int64),
            start=np.array([_at(s[0]) for s in spans], np.int64),
            end=np.array([_at(s[1]) for s in spans], np.int64),
            impact=np.full(3, model.impacts.index("full"), np.int64),
            cause=np.full(3, model.causes.index(""), np.int64),
            source=np.array([s[4] for s in spans], np.int64),
        ),
        tier=np.array([s[2] for s in spans], np.int64),
        customer=np.array([s[3] for s in spans], np.int64),
        zones=np.zeros(3, np.int64),
    )
    measured = Measured(1, measure_drawn(drawn, model, terms, horizon, (0, 0)))
    priced = price_all(terms, horizon, measured, 0)
    assert [priced[n].issued[0] for n in ("Storage", "Egress")] == [1620_00, 270_00]
    assert [priced[n].cut_by_customer_cap[0] for n in ("Storage", "Egress")] == [480_00, 90_00]
    assert [priced[n].owed[0] for n in ("Storage", "Egress")] == [2100_00, 360_00]


def test_a_run_is_not_re_priced_under_another_cap_that_moves_a_customers_claims():
    capped = held_together({"amount": 900})
    run = simulate(capped.model_copy(update={"customer_cap": None}), one_by_one(), 5, 1)
    assert "measured" in why_not_repriced(run, capped)
