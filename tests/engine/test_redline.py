"""Redline comparison on common random numbers: the difference trial by trial, exact where it
must be, far less noisy than two independent runs, and shared out among the changed terms."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.engine.redline import compare, why_not_aligned
from slamodeler.engine.simulation import period_credits, simulate, why_not_repriced
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from tests.helpers.builders import BASE, contract, scenario
from tests.helpers.paths import SAMPLES


def _edited(terms: Contract, edit) -> Contract:
    data = terms.model_dump(mode="python")
    edit(data)
    return Contract.model_validate(data)


@pytest.fixture(scope="module")
def sample():
    return (
        load_contract(SAMPLES / "three_tier_cloud.yaml"),
        load_scenario(SAMPLES / "scenarios" / "baseline.yaml"),
    )


def test_identical_contracts_differ_by_exactly_zero(sample):
    terms, scen = sample
    found = compare(terms, terms, scen, 3000, 11)
    for diff in [*found.tiers, found.portfolio]:
        assert not diff.per_trial.any()
        assert diff.mean == diff.stderr == 0.0
        assert diff.p_costs_more == diff.p_costs_less == 0.0
        assert set(diff.quantiles.values()) == {0.0}
    assert found.portfolio.base_mean > 0  # there were credits to compare
    assert found.changes == [] and found.steps == [] and found.simulations == 1


def test_common_draws_resolve_a_small_change_ten_times_better_than_independent_runs(sample):
    """Gold's first band pays 11% instead of 10%: the paired difference's standard error is
    at least 10 times smaller than that of two runs on different seeds."""
    terms, scen = sample

    def eleven(data):
        data["tiers"][2]["credits"]["bands"][0]["credit_pct"] = 11

    redline = _edited(terms, eleven)
    trials = 4000
    paired = compare(terms, redline, scen, trials, 5).portfolio
    a = simulate(terms, scen, trials, 5)
    b = simulate(redline, scen, trials, 6)  # another seed: independent draws
    total_a = sum(t.paid for t in a.pricing.values()) / 100
    total_b = sum(t.paid for t in b.pricing.values()) / 100
    independent = math.sqrt(
        total_a.var(ddof=1) / trials + total_b.var(ddof=1) / trials
    )  # the standard error of a difference of two independent means
    assert paired.stderr > 0
    assert paired.stderr * 10 <= independent
    assert paired.mean > 0 and paired.p_costs_less == 0.0


def test_a_band_credit_changed_alone_costs_its_percentage_of_the_fee_per_period_hit():
    """One customer, fee 1000, no caps, every credit claimed: raising the first band (below
    99.9%, to 99.0%) from 10% to 15% adds 50.00 for each month that lands in that band, so the
    difference of each trial is 50.00 times its months in the band, counted by hand from the
    base's own credits (100.00 a month in that band)."""
    base = contract()
    redline = contract(
        tier={
            "credits": {
                **BASE["tiers"][0]["credits"],
                "bands": [
                    {"below": 99.9, "credit_pct": 15},
                    *copy.deepcopy(BASE["tiers"][0]["credits"]["bands"][1:]),
                ],
            }
        }
    )
    scen = scenario()
    found = compare(base, redline, scen, 2000, 3)
    assert found.how == "re-priced"
    credits = found.base.pricing["T"].paid  # minor units per trial
    periods = period_credits(found.base, "T", slice(None))  # cents per trial and month
    first_band = (periods == 10_000).sum(axis=1)
    assert first_band.sum() > 100  # the case is exercised
    expected = 50.0 * first_band
    assert np.array_equal(found.portfolio.per_trial, expected)
    assert np.array_equal(found.tiers[0].per_trial, expected)
    assert found.portfolio.mean == pytest.approx(50.0 * first_band.mean())
    assert found.portfolio.p_costs_more == pytest.approx(np.mean(first_band > 0))
    assert found.portfolio.base_mean == pytest.approx(credits.mean() / 100)


def test_measurement_terms_changed_are_measured_on_the_same_draws(sample):
    """A partial outage weighing 0.5 instead of 0.3 needs a new measurement: the redline's run
    is the one a simulation of it on the same seed gives."""
    terms, scen = sample

    def heavier(data):
        data["measurement"]["impact_weights"]["partial"] = 0.5

    redline = _edited(terms, heavier)
    found = compare(terms, redline, scen, 2000, 9)
    assert found.how == "measured on the same draws" and found.simulations == 2
    alone = simulate(redline, scen, 2000, 9)
    for tier in redline.tiers:
        assert np.array_equal(found.redline.pricing[tier.name].paid, alone.pricing[tier.name].paid)
    assert found.portfolio.mean > 0


def test_each_change_gets_its_share_in_both_orders_and_the_shares_add_up(sample):
    terms, scen = sample

    def several(data):
        data["tiers"][2]["credits"]["bands"][0]["credit_pct"] = 15
        data["exclusions"]["causes"].append("third_party")
        data["measurement"]["impact_weights"]["partial"] = 0.5

    redline = _edited(terms, several)
    found = compare(terms, redline, scen, 2000, 4)
    assert [s.changes[0].path for s in found.steps] == [
        "measurement.impact_weights.partial",
        "exclusions.causes",
        "tiers[Gold].credits.bands[0].credit_pct",
    ]
    total = found.portfolio.mean
    assert sum(s.forward for s in found.steps) == pytest.approx(total, abs=1e-6)
    assert sum(s.reverse for s in found.steps) == pytest.approx(total, abs=1e-6)
    weights, excluded, gold = found.steps
    assert weights.forward > 0 and excluded.forward < 0 and gold.forward > 0
    # Gold's higher credit pays on more breaches when partial outages weigh more: the order
    # matters, and the spread says by how much
    assert gold.spread == pytest.approx(abs(gold.forward - gold.reverse))
    assert gold.spread > 0


def test_changes_that_only_stand_together_are_one_step():
    """Bands 1 and 2 both moved down a point: band 1 alone at 99.0 would sit on band 2, which
    the contract format refuses, so the two are applied (and reported) together."""
    base = contract()
    bands = copy.deepcopy(BASE["tiers"][0]["credits"]["bands"])
    bands[0]["below"], bands[1]["below"] = 99.0, 98.0
    redline = contract(
        tier={"target_pct": 99.0, "credits": {**BASE["tiers"][0]["credits"], "bands": bands}},
    )
    found = compare(base, redline, scenario(), 1000, 2)
    assert len(found.changes) == 3
    assert [[c.path for c in s.changes] for s in found.steps] == [
        ["tiers[T].target_pct"],
        ["tiers[T].credits.bands[0].below", "tiers[T].credits.bands[1].below"],
    ]
    assert sum(s.forward for s in found.steps) == pytest.approx(found.portfolio.mean, abs=1e-6)


def test_tiers_are_matched_by_name_and_the_others_reported(sample):
    terms, scen = sample

    def platinum(data):
        data["tiers"].append({**data["tiers"][2], "name": "Platinum", "customers": 5})

    redline = _edited(terms, platinum)
    found = compare(terms, redline, scen, 1000, 1, attribute=False)
    assert "number of tiers" in why_not_repriced(found.base, redline)
    assert [d.name for d in found.tiers] == ["Bronze", "Silver", "Gold"]
    assert found.only_redline == ["Platinum"] and found.only_base == []
    assert all(not d.per_trial.any() for d in found.tiers)
    assert found.portfolio.mean == pytest.approx(
        found.redline.pricing["Platinum"].paid.mean() / 100
    )


def test_monthly_against_quarterly_lines_up_when_both_start_in_the_same_month(sample):
    terms, scen = sample  # the scenario starts in January: a month and a quarter begin there

    def quarterly(data):
        data["measurement"]["period"] = "quarter"

    redline = _edited(terms, quarterly)
    assert why_not_aligned(terms, redline, scen) == ""
    found = compare(terms, redline, scen, 1000, 1)
    alone = simulate(redline, scen, 1000, 1)
    assert np.array_equal(found.redline.pricing["Gold"].paid, alone.pricing["Gold"].paid)
    assert found.portfolio.stderr > 0 and found.how == "measured on the same draws"


@pytest.mark.parametrize(
    ("edit", "start", "field"),
    [
        (lambda d: d["measurement"].update(period="quarter"), "2027-02", "measurement.period"),
        (lambda d: d.update(timezone="Europe/Paris"), "2027-01", "timezone"),
    ],
)
def test_versions_whose_years_cannot_line_up_are_refused_naming_the_field(
    sample, edit, start, field
):
    terms, scen = sample
    scen = scen.model_copy(update={"start": start})
    with pytest.raises(InputError, match=rf"^{field}: "):
        compare(terms, _edited(terms, edit), scen, 100, 1)


def test_customers_hit_one_by_one_need_the_same_tiers_in_both_versions():
    scen = scenario(
        processes=[
            {
                "name": "own",
                "frequency": {"dist": "poisson", "rate_per_month": 1.0},
                "duration_minutes": {"dist": "exponential", "mean": 60},
                "scope": {"independent": 0.5},
            }
        ]
    )
    base = contract(tier={"customers": 3})
    with pytest.raises(InputError, match=r"^tiers: .*'own'.*T 3.*T 4"):
        compare(base, contract(tier={"customers": 4}), scen, 100, 1)
    same = compare(base, contract(tier={"customers": 3, "monthly_fee": 2000}), scen, 500, 1)
    assert same.portfolio.mean >= 0 and same.how == "re-priced"
