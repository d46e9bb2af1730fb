"""A vendor's SLA back to back with ours (engine/back_to_back.py): credits on both sides worked
out by hand, with a dependency incident the vendor's SLA excludes and ours does not; and, on one
simulated drawing, the gap trial by trial."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.engine.back_to_back import (
    as_reached,
    replay_back_to_back,
    simulate_back_to_back,
)
from slamodeler.engine.simulation import trial_incidents
from tests.helpers.builders import BASE, contract, incident, scenario

BANDS = BASE["tiers"][0]["credits"]


def ours() -> Contract:
    """Gold (10 customers at 1,000 a month) runs on the vendor's cloud; Internal does not."""
    gold = {"name": "Gold", "monthly_fee": 1000, "customers": 10, "scope": {"services": ["api"]}}
    internal = {"name": "Internal", "monthly_fee": 50, "target_pct": 99.0, "credits": BANDS}
    return contract(
        name="Ours",
        tiers=[{**BASE["tiers"][0], **gold}, {**internal}],
    )


def vendor(**changes) -> Contract:
    """The vendor's region: 99.9%, 10% below it and 30% below 99%, of the 5,000 we pay it a
    month; it excludes third-party (dependency) causes."""
    credits = {
        "kind": "bands",
        "boundary": "below",
        "bands": [{"below": 99.9, "credit_pct": 10}, {"below": 99.0, "credit_pct": 30}],
    }
    terms = {
        "name": "Vendor",
        "direction": "received",
        "exclusions": {"causes": ["third_party"]},
        "tier": {
            "name": "Region",
            "monthly_fee": 5000,
            "scope": {"services": ["cloud"], "regions": ["eu-west"]},
            "credits": credits,
        },
        "reaches": [{"vendor_tier": "Region", "our_tiers": ["Gold"]}],
    }
    terms.update(changes)
    return contract(**terms)


INCIDENTS = [
    # April (43,200 min): 60 min down on both sides
    incident("2024-04-10T10:00", "2024-04-10T11:00", service="cloud", region="eu-west"),
    # May (44,640 min): a dependency of the vendor fails for 500 min
    incident(
        "2024-05-07T08:00",
        "2024-05-07T16:20",
        cause="third_party",
        service="cloud",
        region="eu-west",
    ),
    # June: the vendor's other region, and our own api: neither is the vendor's reaching us
    incident("2024-06-03T00:00", "2024-06-03T10:00", service="cloud", region="us-east"),
    incident("2024-06-20T00:00", "2024-06-20T10:00", service="api"),
]


def test_credits_on_both_sides_by_hand_with_a_dependency_incident_only_ours_counts():
    found = replay_back_to_back(ours(), vendor(), INCIDENTS)
    rows = {p.period: p for p in found.periods}
    assert list(rows) == ["2024-04", "2024-05", "2024-06"]
    # April: 60/43,200 down = 99.861% < 99.9%: Gold 10% of 1,000 x 10 customers; the vendor
    # 10% of 5,000
    assert rows["2024-04"].ours == {"Gold": Decimal("1000")}
    assert rows["2024-04"].theirs == {"Region": Decimal("500")}
    # May: 500/44,640 down = 98.88% < 99%: Gold 25% x 1,000 x 10; the vendor excludes the
    # dependency's outage, so it met 100% and owes nothing
    assert rows["2024-05"].we_owe == Decimal("2500") and rows["2024-05"].vendor_owes == 0
    assert rows["2024-05"].vendor_met == {"Region": True}
    assert rows["2024-05"].gap == Decimal("2500")
    # June: nothing of the vendor's region reaches Gold
    assert rows["2024-06"].we_owe == 0 and rows["2024-06"].vendor_owes == 0
    assert (found.we_owe, found.vendor_owes, found.gap) == (3500, 500, 3000)
    (card,) = found.scorecards
    assert (card.tier, card.periods, card.met, card.credits_due) == ("Region", 3, 2, 500)
    # earlier half April (100 - 60/43,200 x 100), later half June (100): improving
    assert float(card.change_points) == pytest.approx(60 / 432) and card.trend == "improving"
    assert [t.tier for t in found.ours.tiers] == ["Gold"]  # Internal is not reached


def test_one_vendor_tier_reaching_our_tiers_in_two_entries_is_counted_once():
    split = vendor(
        reaches=[
            {"vendor_tier": "Region", "our_tiers": ["Gold"]},
            {"vendor_tier": "region", "our_tiers": ["Internal"]},
        ]
    )
    found = replay_back_to_back(ours(), split, INCIDENTS)
    assert found.vendor_owes == 500 and [c.tier for c in found.scorecards] == ["Region"]
    # Internal (50 a month, the same bands as Gold): April 99.861% < 99.9%, 10% of 50; May
    # 98.88% < 99%, 25% of 50
    assert found.we_owe == Decimal("3500") + 5 + Decimal("12.50")
    simulated = simulate_back_to_back(
        ours(), split, scenario(processes=[process({"x": 1.0})]), 200, 5
    )
    alone = simulate_back_to_back(
        ours(), vendor(), scenario(processes=[process({"x": 1.0})]), 200, 5
    )
    assert (simulated.vendor_owes == alone.vendor_owes).all()


def test_our_reached_tier_measures_the_vendors_scope_whatever_its_own_names():
    reached = as_reached(ours(), vendor())
    (gold,) = reached.tiers
    assert (gold.scope.services, gold.scope.regions) == (["cloud"], ["eu-west"])
    assert gold.monthly_fee == 1000 and gold.customers == 10


def test_a_contract_not_received_is_refused_naming_the_field():
    with pytest.raises(InputError, match="direction is given; mark the vendor's contract"):
        replay_back_to_back(ours(), contract(name="Vendor"), INCIDENTS)


def test_a_reached_tier_we_do_not_have_is_refused_naming_it():
    terms = vendor(reaches=[{"vendor_tier": "Region", "our_tiers": ["Platinum"]}])
    with pytest.raises(InputError, match=r"reaches\[0\].our_tiers\[0\]: our contract has no tier"):
        replay_back_to_back(ours(), terms, INCIDENTS)


def process(cause: dict[str, float]) -> dict:
    return {
        "name": "region",
        "frequency": {"dist": "poisson", "rate_per_month": 1.0},
        "duration_minutes": {"dist": "lognormal", "median": 90, "sigma": 1.0},
        "cause": cause,
        "scope": {"region": "eu-west"},
    }


def test_simulated_under_the_same_terms_both_sides_agree_trial_by_trial():
    """The vendor's terms the same as ours on one drawing: the gap is 0 in every trial (and
    not in general when the drawings differ), so both sides see the same incidents."""
    mirror = vendor(
        exclusions={},
        tier={
            "name": "Region",
            "monthly_fee": 10000,  # one customer paying what Gold's ten pay
            "scope": {"services": ["cloud"], "regions": ["eu-west"]},
        },
    )
    found = simulate_back_to_back(ours(), mirror, scenario(processes=[process({"x": 1.0})]), 400, 3)
    assert found.we_owe.mean() > 0
    np.testing.assert_array_equal(found.gap, np.zeros(400))
    assert all(ours == pytest.approx(theirs) for _, ours, theirs in found.by_period())
    assert found.p_uncovered == 0 and found.quantiles()["p99"] == 0


def test_simulated_dependency_incidents_are_all_ours_to_pay():
    found = simulate_back_to_back(
        ours(), vendor(), scenario(processes=[process({"third_party": 1.0})]), 400, 3
    )
    np.testing.assert_array_equal(found.vendor_owes, np.zeros(400))
    np.testing.assert_array_equal(found.gap, found.we_owe)
    assert found.mean == pytest.approx(found.we_owe.mean()) and found.mean > 0
    periods = found.by_period()
    assert [p[0] for p in periods] == [f"2024-{m:02d}" for m in range(1, 13)]
    assert all(theirs == 0 for _, _, theirs in periods)
    assert sum(ours for _, ours, _ in periods) == pytest.approx(found.we_owe.mean())
    quantiles, intervals = found.quantiles(), found.intervals()
    for key in ("p95", "p99"):  # each quantile inside its own 95% interval
        low, high = intervals[key]
        assert low <= quantiles[key] <= high and low < high


def test_simulated_trials_replayed_back_to_back_give_both_sides_the_simulation_counted():
    """Trials of the drawing dumped as incidents and replayed under both contracts: what we
    owe, what the vendor owes, to the cent."""
    scen = scenario(
        processes=[process({"third_party": 0.3, "internal": 0.7})],
        catastrophes=[
            {
                "name": "region",
                "rate_per_year": 2.0,
                "minutes": {"dist": "uniform", "low": 300, "high": 900},
            }
        ],
    )
    found = simulate_back_to_back(ours(), vendor(), scen, 60, 11)
    first, last = found.vendor.horizon.periods[0].label, found.vendor.horizon.periods[-1].label
    sampled = [t for t in range(60) if found.we_owe[t] > 0][:8]
    assert len(sampled) == 8
    dumped = trial_incidents(vendor(), scen, 11, 60, sampled)
    for trial in sampled:
        replayed = replay_back_to_back(ours(), vendor(), dumped[trial], first=first, last=last)
        assert float(replayed.we_owe) == pytest.approx(found.we_owe[trial], abs=1e-9)
        assert float(replayed.vendor_owes) == pytest.approx(found.vendor_owes[trial], abs=1e-9)
