"""Chronic failure: the termination right for repeated misses, by hand and against the
per-slot reference on random terms and histories."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from slamodeler.domain.contract import Contract
from slamodeler.engine.exposure import exposures
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import simulate, trial_incidents
from tests.helpers.builders import contract, incident, scenario
from tests.helpers.reference_replay import reference_chronic, reference_replay
from tests.helpers.strategies import contracts, incident_lists


def _outages(*months: str) -> list:
    return [incident(f"{m}-03T00:00", f"{m}-03T02:00") for m in months]


def test_two_of_any_three_months_flags_the_period_and_the_fees_left_in_the_term():
    # February and April miss 99.9% (120 minutes down); March and May are clean.
    # Window ending in April: February, March, April -> 2 missed: the right holds from April.
    # Fees at risk: May to December of the 12-month term from January = 8 x 1,000.
    terms = contract(chronic_failure={"missed": 2, "of": 3}, tier={"customers": 3})
    tier = replay(terms, _outages("2024-02", "2024-04"), first="2024-01", last="2024-06").tiers[0]
    assert [p.chronic_missed for p in tier.periods] == [
        (),
        (),
        (),
        ("2024-02", "2024-04"),
        (),  # March, April, May: only April
        (),
    ]
    assert tier.termination_right_from == "2024-04"
    assert tier.revenue_at_risk == Decimal("8000")
    assert tier.chronic_clause == "target missed in 2 of any 3 consecutive periods"


def test_three_consecutive_months_need_all_three_and_the_tier_clause_wins():
    terms = contract(
        chronic_failure={"missed": 1, "of": 1},  # would fire in the first missed month
        tier={"chronic_failure": {"missed": 3, "of": 3}},
    )
    gap = replay(terms, _outages("2024-02", "2024-03", "2024-05"), first="2024-01", last="2024-06")
    assert gap.tiers[0].termination_right_from is None
    assert gap.tiers[0].revenue_at_risk == 0
    run = replay(
        terms, _outages("2024-03", "2024-04", "2024-05", "2024-06"), first="2024-01", last="2024-12"
    ).tiers[0]
    assert [p.period for p in run.periods if p.termination_right] == ["2024-05", "2024-06"]
    assert run.periods[5].chronic_missed == ("2024-04", "2024-05", "2024-06")
    assert run.revenue_at_risk == Decimal("7000")  # June to December


def test_the_term_that_the_right_arises_in_bounds_the_fees_at_risk():
    # A 6-month term from 2024-01-15: the right arising at the end of 2024-05 (in the term from
    # January 15 to July 15) leaves the term month starting June 15: one monthly fee.
    terms = contract(
        term={"start": "2024-01-15", "months": 6}, chronic_failure={"missed": 1, "of": 1}
    )
    tier = replay(terms, _outages("2024-05"), first="2024-01", last="2024-06").tiers[0]
    assert tier.termination_right_from == "2024-05"
    assert tier.revenue_at_risk == Decimal("1000")


def test_without_the_clause_nothing_is_flagged():
    tier = replay(contract(), _outages("2024-02", "2024-03"), first="2024-01", last="2024-03")
    assert tier.tiers[0].chronic_clause is None
    assert not any(p.termination_right for p in tier.tiers[0].periods)


@pytest.mark.parametrize(
    ("clause", "field", "words"),
    [
        ({"missed": 4, "of": 3}, "missed", "at most `of`"),
        ({"missed": 0, "of": 3}, "missed", "greater than or equal to 1"),
        ({"missed": 2, "of": 61}, "of", "less than or equal to 60"),
        ({"missed": 2}, "of", "Field required"),
    ],
)
def test_a_clause_that_cannot_hold_is_refused_naming_the_field(clause, field, words):
    with pytest.raises(ValidationError) as err:
        contract(tier={"chronic_failure": clause})
    assert field in str(err.value) and words in str(err.value)


SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _range(terms: Contract) -> tuple[str, str]:
    """The range incident_lists draws histories in."""
    return (
        ("2024-Q1", "2024-Q2") if terms.measurement.period == "quarter" else ("2024-01", "2024-05")
    )


clauses = st.integers(1, 5).flatmap(
    lambda of: st.fixed_dictionaries({"missed": st.integers(1, of), "of": st.just(of)})
)


@SETTINGS
@given(contracts(), incident_lists(), clauses, st.booleans())
def test_replay_agrees_with_the_reference(terms, incidents, clause, on_tier):
    data = terms.model_dump()
    if on_tier:
        data["tiers"][0]["chronic_failure"] = clause
    else:
        data["chronic_failure"] = clause
    terms = Contract.model_validate(data)
    first, last = _range(terms)
    engine = replay(terms, incidents, first=first, last=last).tiers[0]
    rows = reference_replay(terms, incidents, first, last)["T"]
    triggers, hit, at_risk = reference_chronic(terms, "T", rows, first, last)
    assert [p.chronic_missed for p in engine.periods] == triggers
    assert engine.termination_right_from == hit
    assert engine.revenue_at_risk == at_risk


def test_a_dumped_trial_replays_to_the_termination_right_the_simulation_counted():
    terms = contract(chronic_failure={"missed": 2, "of": 3}, tier={"customers": 5})
    scen = scenario(
        processes=[
            {
                "name": "p",
                "frequency": {"dist": "poisson", "rate_per_month": 0.4},
                "duration_minutes": {"dist": "exponential", "mean": 60},
                "impact": {"full": 1.0},
            }
        ]
    )
    trials = 40
    run = simulate(terms, scen, trials, seed=5)
    totals = run.pricing["T"]
    found = trial_incidents(terms, scen, 5, trials, range(trials))
    first, last = run.horizon.periods[0].label, run.horizon.periods[-1].label
    for trial in range(trials):
        tier = replay(terms, found[trial], first=first, last=last).tiers[0]
        assert bool(totals.termination_right[trial]) == (tier.termination_right_from is not None)
        assert totals.revenue_at_risk[trial] == float(tier.revenue_at_risk * 5), trial
    assert 0 < totals.termination_right.sum() < trials  # both outcomes were seen


def test_fees_that_vary_put_their_own_months_at_risk_in_replay_and_the_simulation():
    """A 12-month term from January 2024 whose months from April cost 2,000 (else 1,000): a
    right arising at the end of February puts March (1,000) and April to December (9 x 2,000)
    at risk, 19,000; the simulation's revenue and revenue at risk use the same fees."""
    fees = {f"2024-{m:02d}": 2000 for m in range(4, 13)}
    terms = contract(
        term={"start": "2024-01-01", "months": 12},
        chronic_failure={"missed": 2, "of": 2},
        tier={"monthly_fees": fees},
    )
    history = [
        incident("2024-01-10T00:00", "2024-01-11T00:00"),
        incident("2024-02-10T00:00", "2024-02-11T00:00"),
    ]
    tier = replay(terms, history, first="2024-01", last="2024-03").tiers[0]
    assert tier.termination_right_from == "2024-02"
    assert tier.revenue_at_risk == 19_000
    scen = scenario()
    run = simulate(terms, scen, 30, seed=2)
    found = trial_incidents(terms, scen, 2, 30, range(30))
    first, last = run.horizon.periods[0].label, run.horizon.periods[-1].label
    for trial in range(30):
        replayed = replay(terms, found[trial], first=first, last=last).tiers[0]
        assert run.pricing["T"].revenue_at_risk[trial] == float(replayed.revenue_at_risk), trial
    months = [p.first_day.strftime("%Y-%m") for p in run.horizon.periods]
    assert exposures(run)[0].revenue == sum(fees.get(m, 1000) for m in months)
