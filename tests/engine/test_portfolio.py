"""The whole book on one drawing: contributions to TVaR99 add up to the portfolio's TVaR99, a
portfolio of one contract is that contract's simulation, and the diversification benefit is zero
for contracts that go bad together and what a hand count says for independent ones."""

from __future__ import annotations

import math

import numpy as np
import pytest

from slamodeler.domain.errors import InputError
from slamodeler.engine.exposure import exposures
from slamodeler.engine.portfolio import price_portfolio, why_not_together
from slamodeler.engine.simulation import simulate
from tests.helpers.builders import BASE, contract, scenario

CAPPED = {  # 60% of the fee for a month below 99.9%, at most 5% of the year's fees: 0 or 600
    "credits": {"kind": "bands", "boundary": "below", "bands": [{"below": 99.9, "credit_pct": 60}]},
    "caps": {"per_year_pct_of_annual_fees": 5},
}


def _regional(region: str):
    return contract(name=f"Customer in {region}", tier={**CAPPED, "scope": {"regions": [region]}})


def _long_outages(*regions: str):
    """Rare outages of about ten hours (every one breaches its month), one process a region."""
    return scenario(
        processes=[
            {
                "name": f"outage {region}",
                "frequency": {"dist": "poisson", "rate_per_month": 0.004275},
                "duration_minutes": {"dist": "lognormal", "median": 600, "sigma": 0.01},
                "scope": {"region": region},
            }
            for region in regions
        ]
    )


def test_contributions_add_up_to_the_portfolio_tvar99():
    terms = [
        contract(),
        contract(name="Premium", tier={"monthly_fee": 5000, "customers": 3}),
        _regional("eu"),
    ]
    scen = scenario(
        processes=[
            *scenario().model_dump(mode="json")["processes"],
            {
                "name": "eu",
                "frequency": {"dist": "poisson", "rate_per_month": 0.5},
                "duration_minutes": {"dist": "lognormal", "median": 90, "sigma": 1.0},
                "scope": {"region": "eu"},
            },
        ]
    )
    found = price_portfolio(terms, ["a", "b", "c"], scen, 5000, 3)
    assert found.tail_trials == 50
    assert math.isclose(sum(m.contribution for m in found.members), found.tvar99, rel_tol=1e-12)
    assert math.isclose(sum(m.share for m in found.members), 1.0, rel_tol=1e-12)
    # the total is the sum trial by trial, and its TVaR99 the mean of its worst 50 trials
    total = sum(m.exposure.paid for m in found.members)
    assert np.array_equal(found.paid, total)
    assert math.isclose(found.tvar99, np.sort(total)[-50:].mean(), rel_tol=1e-12)
    assert math.isclose(found.mean, sum(m.exposure.mean for m in found.members), rel_tol=1e-12)
    assert found.diversification >= 0
    for m in found.members:  # a contract's part of the tail is no more than its own tail
        assert m.contribution <= m.exposure.tvar99 + 1e-9


def test_a_portfolio_of_one_contract_is_that_contracts_simulation():
    terms, scen = contract(tier={"customers": 4}), scenario()
    found = price_portfolio([terms], ["only"], scen, 4000, 9)
    own = exposures(simulate(terms, scen, 4000, 9))[-1]
    (member,) = found.members
    assert member.exposure.mean == own.mean == found.mean
    assert member.exposure.quantiles == own.quantiles == found.quantiles
    assert member.exposure.tvar99 == own.tvar99 == found.tvar99
    assert math.isclose(member.contribution, own.tvar99, rel_tol=1e-12)
    assert member.share == pytest.approx(1.0, rel=1e-12)
    assert found.diversification == 0.0 and found.measured == 1


def test_two_copies_of_a_contract_go_bad_together_and_diversify_nothing():
    terms = contract(tier={**CAPPED})
    found = price_portfolio([terms, terms], ["one", "two"], _long_outages("eu"), 5000, 1)
    assert found.tvar99 > 0
    assert found.diversification == 0.0 and found.diversification_share == 0.0
    assert [m.share for m in found.members] == [0.5, 0.5]


def test_a_contract_at_twice_the_fee_goes_bad_in_the_same_years_and_diversifies_nothing():
    """Credits a share of the fee, no minimum: the dearer contract pays exactly twice the other
    in every trial (comonotone), so the book's worst years are each one's."""
    one, two = contract(), contract(name="Double", tier={"monthly_fee": 2000})
    found = price_portfolio([one, two], ["one", "two"], scenario(), 5000, 2)
    small, large = (m.exposure.paid for m in found.members)
    assert small.any() and np.array_equal(large, 2 * small)
    assert found.diversification == pytest.approx(0.0, abs=1e-6)
    assert [m.share for m in found.members] == pytest.approx([1 / 3, 2 / 3])


def test_independent_contracts_diversify_what_a_hand_count_says():
    """Each contract pays 0 or c = 600 a year, from outages in its own region only: about 5% of
    years (1 - exp(-12 * 0.004275)). On its own each has more than 1% of trials at c, so its
    TVaR99 is c. The total is 2c only when both regions failed, about 0.25% of trials: fewer
    than the k = 1% worst, so the total's TVaR99 is (2c * both + c * (k - both)) / k and the
    benefit 2c - that = c (1 - both / k), about 0.75 c."""
    c, trials = 600.0, 20000
    found = price_portfolio(
        [_regional("eu"), _regional("us")], ["eu", "us"], _long_outages("eu", "us"), trials, 4
    )
    eu, us = (m.exposure.paid for m in found.members)
    assert set(np.unique(eu)) == set(np.unique(us)) == {0.0, c}
    k = found.tail_trials
    assert k == 200 and (eu == c).sum() > k and (us == c).sum() > k
    both = int(((eu == c) & (us == c)).sum())
    assert 0 < both < k
    assert [m.exposure.tvar99 for m in found.members] == [c, c]
    assert found.tvar99 == pytest.approx((2 * c * both + c * (k - both)) / k, rel=1e-12)
    assert found.diversification == pytest.approx(c * (1 - both / k), rel=1e-12)
    assert 0.6 * c < found.diversification < 0.9 * c  # 0.25% of 20,000 trials: 50 +- 14
    assert found.diversification_share == pytest.approx(found.diversification / (2 * c))
    # many more trials than k tie at the total c: the contributions still add up, from k trials
    assert (found.paid == c).sum() > k
    parts = [m.contribution for m in found.members]
    assert sum(parts) == pytest.approx(found.tvar99, rel=1e-12)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"currency": "EUR"}, "currency"),
        ({"measurement": {**BASE["measurement"], "period": "quarter"}}, "measurement.period"),
    ],
)
def test_contracts_that_cannot_share_draws_are_named_with_the_field(change, field):
    scen = scenario(start="2024-02")
    problem = why_not_together([contract(), contract(**change)], ["a@1", "b@2"], scen)
    assert problem.startswith(f"b@2: {field}")
    with pytest.raises(InputError, match="b@2"):
        price_portfolio([contract(), contract(**change)], ["a@1", "b@2"], scen, 100, 1)


def test_a_process_that_hits_customers_one_by_one_is_refused_for_several_contracts():
    scen = scenario(
        processes=[
            {
                "name": "own",
                "frequency": {"dist": "poisson", "rate_per_month": 1.0},
                "duration_minutes": {"dist": "lognormal", "median": 40, "sigma": 1.0},
                "scope": {"independent": 0.5},
            }
        ]
    )
    assert "process 'own' hits customers one by one" in why_not_together(
        [contract(), contract()], ["a", "b"], scen
    )
    assert why_not_together([contract()], ["a"], scen) == ""


def test_a_contract_in_another_time_zone_measures_the_first_ones_incidents_in_its_own_periods():
    """New York's drawing, measured by a copy in Tokyo (14 hours ahead): each sampled trial of
    the Tokyo member is the replay of New York's drawn incidents over Tokyo's own months, to the
    minor unit; the hours of New York's year after Tokyo's year ends are simply not Tokyo's."""
    from decimal import Decimal

    from slamodeler.engine.replay import replay
    from slamodeler.engine.simulation import period_credits, trial_incidents

    scen = scenario(
        processes=[
            {
                "name": "p",
                "frequency": {"dist": "poisson", "rate_per_month": 3.0},
                "duration_minutes": {"dist": "lognormal", "median": 90, "sigma": 1.2},
            }
        ]
    )
    new_york = contract(timezone="America/New_York")
    tokyo = contract(name="Tokyo copy", timezone="Asia/Tokyo")
    assert why_not_together([new_york, tokyo], ["ny", "tokyo"], scen) == ""
    trials, seed = 300, 4
    found = price_portfolio([new_york, tokyo], ["ny", "tokyo"], scen, trials, seed)
    run = found.members[1].run
    assert run.contract.timezone == "Asia/Tokyo"
    drawn = trial_incidents(new_york, scen, seed, trials, list(range(40)))
    periods = run.horizon.periods
    for trial in range(40):
        replayed = replay(tokyo, drawn[trial], first=periods[0].label, last=periods[-1].label)
        for tier in replayed.tiers:
            simulated = period_credits(run, tier.tier, [trial])[0]
            expected = [int(p.credit_after_caps / Decimal("0.01")) for p in tier.periods]
            assert list(simulated) == expected, trial
    # New York's own member is its own simulation, trial for trial
    alone = simulate(new_york, scen, trials, seed)
    assert np.array_equal(found.members[0].exposure.paid, exposures(alone)[-1].paid)
