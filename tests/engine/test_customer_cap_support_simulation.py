"""The cap per customer in the Monte Carlo cuts drawn support credits too: each tier held
together is walked with the credits it issued, support misses included (checked against a plain
walk over the periods' credits)."""

from __future__ import annotations

import copy

from slamodeler.domain.contract import Contract
from slamodeler.engine.simulation import period_credits, simulate
from tests.helpers.builders import BASE, scenario

SUPPORT = {"targets": [{"priority": "P1", "respond_within_minutes": 15, "credit_pct": 10}]}


def _walk(cap: int, credits: list[list[int]], terms: list[int]) -> list[int]:
    """Each tier's credits after the cap: periods in order, tiers in order."""
    used: dict[int, int] = {}
    out = [0] * len(credits)
    for p, term in enumerate(terms):
        for t, tier in enumerate(credits):
            amount = min(tier[p], max(cap - used.get(term, 0), 0))
            used[term] = used.get(term, 0) + amount
            out[t] += amount
    return out


def test_support_credits_of_tiers_held_together_are_cut_by_the_customer_cap():
    data = copy.deepcopy(BASE)
    compute = {**data["tiers"][0], "name": "Compute", "support": SUPPORT}
    data["tiers"] = [compute, {**compute, "name": "Storage", "monthly_fee": 500}]
    data["customer_cap"] = {"amount": 300}
    terms = Contract.model_validate(data)
    tickets = [{"priority": "P1", "per_month": 3, "miss_probability": 0.5}]
    trials = 20
    run = simulate(terms, scenario(tickets=tickets), trials, 3)
    for trial in range(trials):
        credits = [period_credits(run, n, [trial])[0].tolist() for n in ("Compute", "Storage")]
        expected = _walk(30000, credits, list(run.horizon.terms))
        assert [run.pricing[n].issued[trial] for n in ("Compute", "Storage")] == expected, trial
