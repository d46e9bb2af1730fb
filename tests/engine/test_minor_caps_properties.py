"""The integer caps that price claim windows in the simulation (engine/minor_caps.py) give
``caps.apply_caps``'s results to the minor unit: on random contracts (caps, liability caps,
minimum credits either way, claim rates, currencies of 0 to 3 decimals) and random rows of
credits, fees of odd fractions of months included; and a simulated run priced by either gives
the same totals."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.domain.contract import Contract
from slamodeler.engine.caps import CreditItem
from slamodeler.engine.claim_simulation import price_claims, reference_row
from slamodeler.engine.minor_caps import MinorCaps
from slamodeler.engine.simulation import simulate
from tests.helpers.strategies import claim_contracts, contracts, scenarios

FEES = st.fractions(0, 40_000, max_denominator=2_678_400)  # a month's seconds: any window's share
PERCENTS = st.fractions(0, 250, max_denominator=1000).filter(lambda p: p > 0)


@st.composite
def rows(draw) -> list[CreditItem]:
    years = draw(st.lists(st.integers(0, 3), min_size=0, max_size=40))
    return [
        CreditItem(draw(FEES), year, year // 2, draw(PERCENTS | st.sampled_from([10, 25, 100])))
        for year in sorted(years)
    ]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(contracts(), rows())
def test_the_integer_caps_give_apply_caps_results_to_the_minor_unit(terms: Contract, items):
    items = [CreditItem(i.fee, i.contract_year, i.term, Fraction(i.credit_pct)) for i in items]
    tier = terms.tiers[0]
    assert MinorCaps(terms, tier).row(items) == reference_row(terms, tier, items)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(claim_contracts(), scenarios(), st.integers(0, 2**32 - 1))
def test_a_run_priced_by_the_integer_caps_totals_as_by_apply_caps(terms, scen, seed):
    run = simulate(terms, scen, 20, seed)
    tier = terms.tiers[0]
    (rows_,) = run.measured.units.values()  # one tier
    assert rows_.claims is not None
    measured = (run.horizon, rows_.downtime, rows_.excluded, rows_.claims)
    fast = price_claims(terms, tier, *measured, keep_periods=True)
    slow = price_claims(terms, tier, *measured, keep_periods=True, reference=True)
    for name in ("owed", "issued", "paid", "capped_off", "breach_periods", "issued_by_period"):
        assert (getattr(fast, name) == getattr(slow, name)).all(), name
    for name in ("hit_period_cap", "hit_year_cap", "hit_liability_cap"):
        assert (getattr(fast, name) == getattr(slow, name)).all(), name
