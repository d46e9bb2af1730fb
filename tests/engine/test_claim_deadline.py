"""The claim deadline: claims made after ``claim_deadline_days`` are forfeited, a share
``late_share`` of them; in replay (agreeing with the per-slot reference), and in the simulation
exactly as in a replay of the same trials."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.domain.contract import Contract
from slamodeler.domain.money import minor_unit
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import simulate, trial_incidents
from tests.helpers.agreement import replay_agrees_with_reference
from tests.helpers.builders import contract, scenario
from tests.helpers.strategies import RANGES, contracts, outages

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _late(terms: Contract, days: int, share: str, rate: str = "1") -> Contract:
    data = terms.model_dump(mode="json")
    data["claims"] = {
        **data["claims"],
        "claim_deadline_days": days,
        "late_share": share,
        "claim_rate": rate,
    }
    return Contract.model_validate(data)


@SETTINGS
@given(
    contracts(),
    outages(),
    st.integers(1, 90),
    st.decimals(0, 1, places=3),
    st.decimals(0, 1, places=2),
)
def test_late_claims_agree_with_the_reference(terms, incidents, days, share, rate):
    late = _late(terms, days, str(share), str(rate))
    first, last = RANGES[late.measurement.period]
    engine = replay_agrees_with_reference(late, incidents, first, last)
    for tier in engine.tiers:
        for got in tier.periods:
            # nothing is lost: what is claimed is paid or forfeited
            claimed = got.expected_paid + got.late_forfeited
            assert abs(claimed - got.credit_after_caps * rate) <= minor_unit(late.currency) / 2


def test_a_month_s_deadline_counts_from_the_first_day_of_the_next_month():
    """January 2024 closes on 1 February; 30 days later is 2 March, so 1 March is the last day
    a claim is in time (2024 is a leap year)."""
    terms = _late(contract(), 30, "0")
    jan = replay(terms, [], first="2024-01", last="2024-02").tiers[0].periods
    assert [p.claim_by for p in jan] == ["2024-03-01", "2024-03-30"]
    assert (
        replay(contract(), [], first="2024-01", last="2024-01").tiers[0].periods[0].claim_by == ""
    )


def test_a_share_of_late_claims_without_a_deadline_is_refused():
    data = contract().model_dump(mode="json")
    data["claims"]["late_share"] = "0.2"
    with pytest.raises(ValueError, match=r"late_share.*set claim_deadline_days"):
        Contract.model_validate(data)


def test_the_defaults_leave_the_hashed_terms_as_they_were():
    terms = contract()
    explicit = _late(terms, 30, "0")
    assert explicit.content_hash() != terms.content_hash()  # a deadline is a term
    data = terms.model_dump(mode="json")
    data["claims"]["late_share"] = "0.00"
    assert Contract.model_validate(data).content_hash() == terms.content_hash()


@pytest.mark.parametrize("share", ["0", "0.25", "1"])
def test_the_simulation_pays_what_replay_of_its_trials_expects(share):
    """Per trial, the simulated paid total is the replayed periods' expected paid, to the cent,
    with a quarter of claims (or all, or none) made late."""
    terms = _late(contract(), 30, share, rate="0.8")
    scen, trials, seed = scenario(), 30, 5
    run = simulate(terms, scen, trials, seed)
    paid = run.pricing["T"].paid
    found = trial_incidents(terms, scen, seed, trials, range(trials))
    first, last = run.horizon.periods[0].label, run.horizon.periods[-1].label
    forfeited = Decimal(0)
    for trial in range(trials):
        replayed = replay(terms, found[trial], first=first, last=last).tiers[0]
        assert int(paid[trial]) == int(replayed.total("expected_paid") * 100), trial
        forfeited += replayed.total("late_forfeited")
    assert (forfeited > 0) == (share != "0")
    if share == "1":
        assert not paid.any()
