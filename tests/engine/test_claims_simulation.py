"""The claim clauses in the Monte Carlo: a minimum credit that a band's credit meets exactly is
issued under "at least" and not under "more than", in the simulation (priced by counting bands)
as in replay of the same trials and in the period-by-period pricing."""

from __future__ import annotations

import numpy as np
import pytest

from slamodeler.engine.pricing import price_tier
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import period_credits, simulate, trial_incidents
from tests.helpers.builders import contract, scenario

TRIALS, SEED = 40, 11


@pytest.mark.parametrize(("rule", "issued"), [("at_least", True), ("more_than", False)])
def test_a_credit_equal_to_the_minimum_follows_the_rule(rule, issued):
    # 10% of 1,000.00 is 100.00: exactly the minimum credit.
    terms = contract(claims={"min_credit": 100, "min_credit_rule": rule})
    scen = scenario()
    run = simulate(terms, scen, TRIALS, SEED)
    counted = period_credits(run, "T", slice(None))
    assert (counted == 10000).any() == issued  # 100.00 in cents
    rows = run.measured.units[next(iter(run.measured.units))]
    priced = price_tier(terms, terms.tiers[0], run.horizon, rows.downtime, rows.excluded, True)
    assert np.array_equal(priced.issued_by_period, counted)
    found = trial_incidents(terms, scen, SEED, TRIALS, range(TRIALS))
    first, last = run.horizon.periods[0].label, run.horizon.periods[-1].label
    at_minimum = 0
    for trial in range(TRIALS):
        replayed = replay(terms, found[trial], first=first, last=last).tiers[0]
        expected = [int(p.credit_after_caps * 100) for p in replayed.periods]
        assert counted[trial].tolist() == expected
        at_minimum += sum(p.credit_owed == 100 for p in replayed.periods)
    assert at_minimum > 0  # the trials do reach the 10% band
