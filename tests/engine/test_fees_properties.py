"""Fees that vary (``monthly_fees``, ``affected_share``): replay agrees with the per-slot
reference (rule 31 of tests/helpers/reference_replay.py) on random contracts, and a simulated
trial replayed gives the credits the simulation counted, month by month."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.domain.contract import Contract
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import period_credits, simulate, trial_incidents
from tests.helpers.reference_replay import FIELDS, reference_replay
from tests.helpers.strategies import (
    SETTINGS,
    contracts,
    float_priced,
    incident_lists,
    replay_range,
    scenarios,
)

MONTHS = [f"{y}-{m:02d}" for y in range(2023, 2028) for m in range(1, 13)]


@st.composite
def fee_contracts(draw, customer_cap: bool = True) -> Contract:
    """A random contract whose first tier's fee varies by month (and its credits at times a
    share of it), at times with a customer cap."""
    data = draw(contracts()).model_dump(mode="python")
    tier = data["tiers"][0]
    tier["monthly_fees"] = draw(
        st.dictionaries(st.sampled_from(MONTHS), st.decimals(0, 30000, places=2), max_size=30)
    )
    tier["affected_share"] = draw(st.sampled_from([Decimal(1), Decimal("0.6"), Decimal("0.25")]))
    if customer_cap and draw(st.booleans()):
        data["customer_cap"] = {"pct_of_annual_fees": draw(st.decimals(0, 8, places=1))}
        for t in data["tiers"]:
            t["customers"] = 1
        # late claims under a customer cap disagree with the reference before fees vary too
        # (tests/engine/test_customer_cap_properties.py): kept apart here
        data["claims"].update(late_share=Decimal(0), claim_deadline_days=None)
    return Contract.model_validate(data)


@settings(SETTINGS, max_examples=60)
@given(fee_contracts(), incident_lists())
def test_replay_with_fees_that_vary_agrees_with_the_reference(contract, incidents):
    first, last = replay_range(contract)
    engine = replay(contract, incidents, first=first, last=last)
    oracle = reference_replay(contract, incidents, first, last)
    for tier in engine.tiers:
        for got, want in zip(tier.periods, oracle[tier.tier], strict=True):
            for name in FIELDS:
                assert getattr(got, name) == want[name], (tier.tier, got.period, name)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(fee_contracts(customer_cap=False), scenarios(), st.integers(0, 2**32 - 1))
def test_replaying_a_trial_gives_the_credits_the_simulation_counted_with_varying_fees(
    terms, scen, seed
):
    if terms.measurement.period == "quarter":
        terms = terms.model_copy(
            update={"measurement": terms.measurement.model_copy(update={"period": "month"})}
        )
    trials = 12
    run = simulate(terms, scen, trials, seed)
    sampled = [0, 5, 11]
    found = trial_incidents(terms, scen, seed, trials, sampled)
    first, last = run.horizon.periods[0].label, run.horizon.periods[-1].label
    unit = {"JPY": Decimal("1"), "KWD": Decimal("0.001")}.get(terms.currency, Decimal("0.01"))
    tolerance = 1 if float_priced(terms) else 0  # see slamodeler/engine/pricing.py
    name = terms.tiers[0].name
    for trial in sampled:
        replayed = replay(terms, found[trial], first=first, last=last).tiers[0]
        simulated = period_credits(run, name, [trial])[0]
        for p, period in enumerate(replayed.periods):
            expected = int(period.credit_after_caps / unit)
            assert abs(int(simulated[p]) - expected) <= tolerance, (trial, period.period)
