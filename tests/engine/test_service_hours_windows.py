"""Service hours with a measured window (measurement.service_hours and measurement.window): the
window's trailing days count only service hours, in its downtime and in its minutes, as a
calendar period does. Hand-computed rows, agreement with the per-slot reference, and simulated
trials that replay to the credits counted."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.domain.contract import Contract
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import simulate
from slamodeler.services.period_explanation import explain_period
from tests.helpers.agreement import replay_agrees_with_reference, trials_replay_to_their_credits
from tests.helpers.builders import contract, incident, scenario
from tests.helpers.strategies import contracts, incident_lists, scenarios, service_hours_terms

OFFICE = {"start": "08:00", "end": "18:00"}  # Monday to Friday


def windowed(kind: str, days: int) -> Contract:
    return contract(
        measurement={
            "period": "month",
            "slot_minutes": 1,
            "service_hours": OFFICE,
            "window": {"kind": kind, "days": days},
        }
    )


# Friday 26 April 2024 17:30 to Monday 29 April 08:20 (UTC): 30 service minutes on Friday and 20
# on Monday; and a service-hours hour on 10 April, before any window below.
WEEKEND = incident("2024-04-26T17:30", "2024-04-29T08:20")
EARLIER = incident("2024-04-10T09:00", "2024-04-10T10:00")


def test_a_rolling_window_counts_only_the_service_hours_of_its_days():
    # 7 days before 1 May: Wed 24 to Tue 30 April, 5 weekdays of 600 minutes = 3,000.
    result = replay(windowed("rolling", 7), [EARLIER, WEEKEND], first="2024-04", last="2024-04")
    row = result.tiers[0].periods[0]
    assert (row.period_minutes, row.downtime_minutes) == (3000, 50)
    assert row.availability_pct == Fraction(100 * 2950, 3000)  # 98.33%: below 99%, 25%
    assert row.credit_pct == 25
    assert row.service_hours == ("Mon-Fri 08:00-18:00 (UTC): 3,000 of the window's 10,080 minutes")
    assert "service hours: " + row.service_hours in explain_period(row).rules


def test_a_claim_window_counts_only_the_service_hours_before_the_claim():
    # The claim is filed at 08:20 on Monday 29 April; its 3 days reach back to Friday 08:20:
    # 580 minutes on Friday and 20 on Monday, 600 in all, 50 of them down.
    result = replay(windowed("claim", 3), [WEEKEND], first="2024-04", last="2024-04")
    (row,) = result.tiers[0].periods
    assert row.period == "claim 2024-04-29 08:20"
    assert (row.period_minutes, row.downtime_minutes) == (600, 50)
    assert row.availability_pct == Fraction(100 * 550, 600)  # 91.67%: below 95%, 100%
    assert row.credit_pct == 100


@st.composite
def hours_and_windows(draw) -> Contract:
    """A random contract (slot rules too) in random service hours, with a rolling or a claim
    window: short ones, and a month's."""
    data = draw(contracts(slot_rules=True, service_hours=True)).model_dump(mode="json")
    data["measurement"]["period"] = "month"
    days = draw(st.integers(1, 12) | st.just(31))
    data["measurement"]["window"] = {"kind": draw(st.sampled_from(["rolling", "claim"])),
                                     "days": days}  # fmt: skip
    data["measurement"]["service_hours"] = draw(service_hours_terms())
    return Contract.model_validate(data)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(hours_and_windows(), incident_lists())
def test_replay_of_windows_in_service_hours_agrees_with_the_reference(terms, incidents):
    replay_agrees_with_reference(terms, incidents, "2024-02", "2024-04")


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(hours_and_windows(), scenarios(), st.integers(0, 2**32 - 1))
def test_a_trial_measured_in_windows_of_service_hours_replays_to_its_credits(terms, scen, seed):
    trials_replay_to_their_credits(terms, scen, seed, 12, [0, 5, 11])


def test_simulated_claims_count_the_service_minutes_of_their_days_as_replay_does():
    """Each claim's window has its own service minutes (a claim on a Monday morning holds fewer
    than one on a Friday evening): a trial replays to the credits the simulation counted."""
    terms = contract(
        measurement={
            "period": "month",
            "slot_minutes": 5,
            "service_hours": OFFICE,
            "window": {"kind": "claim", "days": 10},
        }
    )
    trials_replay_to_their_credits(terms, scenario(), 3, 10, [0, 3, 9])


def test_claims_of_incidents_that_never_reach_service_hours_measure_nothing():
    # Every incident starts on a Saturday morning and lasts at most an hour: no slot of any
    # claim's days is both down and in office hours (this once failed with an IndexError).
    weekend = [1.0 if 5 * 24 <= hour < 5 * 24 + 12 else 0.0 for hour in range(7 * 24)]
    process = {
        "name": "weekend",
        "frequency": {"dist": "poisson", "rate_per_month": 3.0},
        "duration_minutes": {"dist": "uniform", "low": 1, "high": 60},
        "start_profile": {"hour_of_week": weekend},
    }
    terms = windowed("claim", 3)
    run = simulate(terms, scenario(processes=[process]), 20, seed=4)
    assert run.measured.trials == 20
    assert not run.pricing["T"].paid.any()
    trials_replay_to_their_credits(terms, scenario(processes=[process]), 4, 20, [0, 19])


def test_claims_in_service_hours_that_hold_no_slot_measure_nothing():
    # Monday 07:55-08:00 in 15-minute slots: no slot starts in the hours, so no claim's days
    # hold a service minute (this once failed: the claims' minutes came back one per trial,
    # not one per claim).
    terms = contract(
        measurement={
            "period": "month",
            "slot_minutes": 15,
            "service_hours": {"days": ["monday"], "start": "07:55", "end": "08:00"},
            "window": {"kind": "claim", "days": 31},
        }
    )
    run = simulate(terms, scenario(), 12, seed=0)
    assert run.measured.trials == 12
    assert not run.pricing["T"].paid.any()
    trials_replay_to_their_credits(terms, scenario(), 0, 12, [0, 11])
