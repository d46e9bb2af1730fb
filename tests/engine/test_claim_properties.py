"""Property tests of the claim clauses: replay agrees with the per-slot reference when the
minimum credit sits exactly on an amount some period reaches (the case where "at least" and
"more than" part), and the rule changes nothing else."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.domain.contract import Contract
from slamodeler.engine.replay import replay
from tests.helpers.agreement import replay_agrees_with_reference
from tests.helpers.strategies import RANGES, contracts, outages

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _with_claims(contract: Contract, **claims: object) -> Contract:
    data = contract.model_dump(mode="json")
    data["claims"] = {**data["claims"], **claims}
    return Contract.model_validate(data)


@SETTINGS
@given(contracts(), outages(), st.sampled_from(["at_least", "more_than"]), st.data())
def test_a_minimum_on_an_issued_amount_agrees_with_the_reference(contract, incidents, rule, data):
    first, last = RANGES[contract.measurement.period]
    free = _with_claims(contract, min_credit="0", min_credit_rule="at_least")
    amounts = [
        p.credit_after_caps for t in replay(free, incidents, first, last).tiers for p in t.periods
    ]
    floor = data.draw(st.sampled_from(sorted(set(amounts))))
    tied = _with_claims(contract, min_credit=str(floor), min_credit_rule=rule)
    engine = replay_agrees_with_reference(tied, incidents, first, last)
    for tier in engine.tiers:
        for got in tier.periods:
            if got.credit_owed == floor and floor > 0 and got.capped_off == 0:
                assert (got.credit_after_caps == floor) == (rule == "at_least")
