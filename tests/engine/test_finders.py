"""Finders: the value of one term that brings a statistic to a budget, on one drawing. Checked
against a hand-computed answer, against profitability's break-even fee, against fresh draws
(the answer's interval holds where a larger fresh run crosses the budget), and for the cases
that have no answer."""

from __future__ import annotations

import copy
from decimal import Decimal
from types import SimpleNamespace

import pytest

from slamodeler.domain.errors import InputError
from slamodeler.domain.term_paths import term_value, with_term
from slamodeler.engine import finders
from slamodeler.engine.exposure import exposures
from slamodeler.engine.finders import find, term_step
from slamodeler.engine.profitability import profitability
from slamodeler.engine.redline import same_draws
from slamodeler.engine.simulation import period_credits
from tests.helpers.builders import BASE, contract, scenario

CREDIT = "tiers[T].credits.bands[0].credit_pct"
FEE = "tiers[T].monthly_fee"
CAP = "tiers[T].caps.per_period_pct"


def one_band(**tier):
    """One customer, fee 1000, one band (below 99.9%: the credit %), no caps: a month below
    pays credit % x 10.00, so mean credits are linear in the credit %."""
    bands = [{"below": 99.9, "credit_pct": 10}]
    return contract(tier={"credits": {**BASE["tiers"][0]["credits"], "bands": bands}, **tier})


def _statistic(run, statistic: str) -> float:
    e = exposures(run)[-1]
    years = run.scenario.years
    if statistic == "mean":
        return e.mean / years
    if statistic == "margin":
        return e.margin_mean / years
    return e.quantiles[statistic] / years


def test_mean_credits_linear_in_a_band_credit_give_budget_over_credits_per_percent():
    terms, scen = one_band(), scenario()
    runs = same_draws(scen, 3000, 5)
    found = find(terms, runs, CREDIT, "mean", 250.0, years=1)
    # by hand: the months below 99.9% of each trial, from the base's own credits per month
    months = (period_credits(runs.of(terms), "T", slice(None)) > 0).sum(axis=1).mean()
    per_percent = 10.0 * months  # 10.00 a month for each percent
    assert months > 1  # the case is exercised
    by_hand = 250.0 / per_percent
    # each month's credit is rounded to the cent: at most half a cent a month off the line
    assert abs(float(found.answer) - by_hand) <= 0.0001 + 0.005 / 10
    assert found.extreme == "highest" and found.rises and not found.whole_range
    assert found.at_answer.statistic <= 250.0
    step_up = with_term(terms, CREDIT, found.answer + term_step(terms, CREDIT))
    assert _statistic(runs.of(step_up), "mean") > 250.0
    low, high = found.interval
    assert low <= found.answer <= high and low < high
    assert found.simulations == 1  # every credit % re-priced on one simulation


def test_break_even_fee_gives_zero_expected_margin_priced_back_and_agrees_with_profitability():
    terms, scen = one_band(cost_to_serve_monthly=900, monthly_fee=1000), scenario()
    runs = same_draws(scen, 3000, 8)
    found = find(terms, runs, FEE, "margin", 0.0, years=1)
    assert found.extreme == "lowest" and found.rises
    at = _statistic(runs.of(with_term(terms, FEE, found.answer)), "margin")
    below = _statistic(runs.of(with_term(terms, FEE, found.answer - Decimal("0.01"))), "margin")
    assert 0 <= at < 12 * 0.01 * 1.01  # zero margin to a cent a month
    assert below < 0
    assert found.at_answer.statistic == pytest.approx(at)
    fee = profitability(runs.of(terms)).tiers[0].break_even
    assert fee is not None and fee.fee == found.answer  # the same answer, found another way


@pytest.mark.parametrize(
    ("path", "statistic", "budget"),
    [(CREDIT, "mean", 250.0), (CREDIT, "p99", 1400.0), (FEE, "margin", 0.0)],
)
def test_the_answer_s_interval_holds_where_fresh_draws_meet_the_budget(path, statistic, budget):
    """Solved on 2,000 trials, the answer's uncertainty is checked on 20,000 fresh ones (other
    seeds): the statistic at the interval's ends lies on either side of the budget, so the
    fresh run's answer is inside the interval."""
    terms = one_band(cost_to_serve_monthly=900, monthly_fee=1000)
    scen = scenario()
    found = find(terms, same_draws(scen, 2000, 1), path, statistic, budget, years=1)
    assert found.interval is not None
    low, high = found.interval
    fresh = same_draws(scen, 20_000, 424242)
    at = {v: _statistic(fresh.of(with_term(terms, path, v)), statistic) for v in (low, high)}
    rises = found.rises
    assert (at[low] <= budget <= at[high]) if rises else (at[high] <= budget <= at[low])
    again = find(terms, fresh, path, statistic, budget, years=1)
    assert low <= again.answer <= high
    assert again.interval is not None
    width = again.interval[1] - again.interval[0]
    assert width < high - low if statistic != "p99" else width <= high - low
    # ten times the trials: narrower (a P99 of whole months in the band is a step function of
    # the credit %: its interval's ends are whole months, whatever the trials)


def test_a_cap_s_answer_is_the_highest_that_keeps_p99_within_the_budget():
    terms, scen = one_band(caps={"per_period_pct": 50}), scenario()
    runs = same_draws(scen, 3000, 2)
    found = find(terms, runs, CAP, "p99", 800.0, years=1, within=(Decimal(0), Decimal(50)))
    assert found.extreme == "highest"
    assert found.at_answer.statistic <= 800.0
    up = with_term(terms, CAP, found.answer + Decimal("0.0001"))
    assert _statistic(runs.of(up), "p99") > 800.0
    values = [p.value for p in found.points]
    assert values == sorted(values) and values[0] == 0 and values[-1] == 50


def test_a_budget_no_value_meets_is_refused_saying_the_best_the_range_gives():
    """The lower bands pay even with the first band's credit at 0."""
    terms, scen = contract(), scenario()
    with pytest.raises(InputError, match=r"no value in 0:25 meets the budget 1\.00.*even at 0"):
        find(terms, same_draws(scen, 500, 1), CREDIT, "mean", 1.0, years=1)


def test_a_term_that_does_not_move_the_statistic_is_refused():
    """Bands price credits: the target only counts breaches, so credits stay put."""
    terms, scen = one_band(), scenario()
    with pytest.raises(InputError, match="does not move it"):
        find(terms, same_draws(scen, 500, 1), "tiers[T].target_pct", "mean", 100.0, years=1)


def test_the_range_is_narrowed_to_values_the_contract_accepts():
    """The second band may not pay less than the first (10%): the search starts there."""
    terms, scen = contract(), scenario()
    found = find(
        terms,
        same_draws(scen, 500, 1),
        "tiers[T].credits.bands[1].credit_pct",
        "mean",
        1e9,
        years=1,
    )
    assert found.within == (Decimal(10), Decimal(100))
    assert found.whole_range and found.answer == 100
    assert "narrowed to 10:100" in found.notes[0]


def test_a_statistic_that_turns_over_the_range_is_refused_not_solved(monkeypatch):
    """A statistic that rises then falls in the term (a stand-in for the simulation) has no one
    value where the budget is met: the finder says where it turns."""

    def fake_exposures(run):
        x = float(term_value(run.contract, CREDIT))
        mean = 1000.0 - (x - 40.0) ** 2  # highest at 40
        return [SimpleNamespace(mean=mean, stderr=1.0, margin_mean=0.0)]

    class Runs:
        simulated = ()

        def of(self, terms):
            return SimpleNamespace(contract=terms, trials=1, seed=1)

    monkeypatch.setattr(finders, "exposures", fake_exposures)
    terms = copy.deepcopy(one_band())
    with pytest.raises(
        InputError, match=r"falls from one end .* turns between 0 \(-600\.00\) and 12\.5"
    ):
        find(terms, Runs(), CREDIT, "mean", 500.0, years=1, tier="T")


def test_the_term_s_steps_are_those_it_allows():
    terms = contract(liability_cap={"amount": 5000})
    assert term_step(terms, CREDIT) == Decimal("0.0001")
    assert term_step(terms, FEE) == Decimal("0.01")
    assert term_step(terms, "liability_cap.amount") == Decimal("0.01")
    assert term_step(terms, "tiers[T].customers") == 1


def test_unknown_statistic_tier_and_path_name_what_to_give():
    terms, runs = one_band(), same_draws(scenario(), 200, 1)
    with pytest.raises(InputError, match="choose one of mean, p95, p99, margin"):
        find(terms, runs, CREDIT, "median", 1.0, years=1)
    with pytest.raises(InputError, match="no such tier; it has T"):
        find(terms, runs, CREDIT, "mean", 1.0, years=1, tier="Gold")
    with pytest.raises(InputError, match="no numeric term there"):
        find(terms, runs, "tiers[T].nothing", "mean", 1.0, years=1)


def test_a_statistic_that_falls_with_the_term_gives_the_lowest_value_that_meets_the_budget():
    """A minimum credit above 100.00 drops the first band's 10% of 1000 from every month: the
    lowest minimum that keeps the mean within what the other bands cost is one cent above it."""
    terms, scen = contract(), scenario()
    runs = same_draws(scen, 2000, 6)
    without_first = _statistic(runs.of(with_term(terms, "claims.min_credit", 100.01)), "mean")
    assert without_first < _statistic(runs.of(terms), "mean")
    found = find(
        terms, runs, "claims.min_credit", "mean", without_first, years=1,
        within=(Decimal(0), Decimal(200)),
    )  # fmt: skip
    assert not found.rises and found.extreme == "lowest"
    assert found.answer == Decimal("100.01")


def test_a_budget_the_whole_range_meets_gives_the_range_s_end_and_no_interval_inside_it():
    terms, scen = one_band(), scenario()
    found = find(terms, same_draws(scen, 1000, 4), CREDIT, "mean", 1e6, years=1)
    assert found.whole_range and found.answer == 100 and found.extreme == "highest"
    assert found.interval is None  # every value's interval lies far under the budget


def test_a_fee_with_a_usage_profile_scales_it_as_profitability_does():
    """March is billed three times the monthly fee: the break-even fee moves March's with it,
    and is the one profitability finds."""
    terms = one_band(cost_to_serve_monthly=900, monthly_fee=1000, monthly_fees={"2024-03": 3000})
    runs = same_draws(scenario(), 2000, 3)
    found = find(terms, runs, FEE, "margin", 0.0, years=1)
    fee = profitability(runs.of(terms)).tiers[0].break_even
    assert fee is not None and fee.fee == found.answer
    assert found.run is not None
    tier = found.run.contract.tiers[0]
    assert tier.monthly_fees["2024-03"] == (3 * found.answer).quantize(Decimal("0.01"))
