"""Per-incident credits and support targets under a rolling window in the Monte Carlo: the same
rule as replay (docs/measurement.md, section 1b), so a simulated trial dumped and replayed, with
its incidents and its missed tickets, gives the credits the simulation counted."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.domain.contract import Contract
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import (
    period_credits,
    simulate,
    trial_incidents,
    trial_support_tickets,
)
from tests.helpers.agreement import monthly, trials_replay_to_their_credits
from tests.helpers.builders import contract, scenario
from tests.helpers.incident_credit_terms import contracts_with_incident_credits
from tests.helpers.strategies import scenarios


@st.composite
def rolling_contracts(draw) -> Contract:
    """Per-incident credits (whole or started hours: exact hours price in floats, see
    engine/pricing.py) under a rolling window of a random length."""
    data = draw(contracts_with_incident_credits()).model_dump(mode="json")
    data["measurement"]["service_hours"] = None
    data["measurement"]["window"] = {"kind": "rolling", "days": draw(st.integers(1, 400))}
    for tier in data["tiers"]:
        if tier["incident_credits"] is not None:
            tier["incident_credits"]["hours"] = draw(st.sampled_from(["started", "whole"]))
    return Contract.model_validate(data)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(rolling_contracts(), scenarios(), st.integers(0, 2**32 - 1))
def test_a_trial_with_per_incident_credits_under_a_rolling_window_replays_to_its_credits(
    terms, scen, seed
):
    trials_replay_to_their_credits(monthly(terms), scen, seed, 25, [0, 7, 24])


def test_a_trials_incidents_and_tickets_under_a_rolling_window_replay_to_the_credits_counted():
    tier = {
        "monthly_fee": 3000,
        "caps": {"per_period_pct": 30},
        "incident_credits": {"longer_than_minutes": 30, "credit_pct": "5"},
        "support": {
            "targets": [
                {"priority": "P1", "respond_within_minutes": 15, "credit_pct": 5},
                {"priority": "P2", "respond_within_minutes": 60, "credit_amount": 100},
            ]
        },
    }
    # 45-day windows: January's reaches into December, so the horizon measured starts a period
    # before the first row billed
    terms = contract(tier=tier, measurement={"window": {"kind": "rolling", "days": 45}})
    plan = scenario(
        tickets=[
            {"priority": "P1", "per_month": 6, "miss_probability": 0.3},
            {"priority": "P2", "per_month": 2, "miss_probability": 0.5},
        ]
    )
    run = simulate(terms, plan, 300, 4)
    sampled = [0, 7, 151, 299]
    incidents = trial_incidents(terms, plan, 4, 300, sampled)
    tickets = trial_support_tickets(terms, plan, 4, sampled, "T")
    assert sum(len(found) for found in tickets.values()) > 10
    earned = 0
    for trial in sampled:
        replayed = replay(terms, incidents[trial], "2024-01", "2024-12", tickets=tickets[trial])
        periods = replayed.tiers[0].periods
        earned += sum(p.incident_credit_percent > 0 for p in periods)
        expected = [int(p.credit_after_caps * 100) for p in periods]
        assert period_credits(run, "T", [trial])[0].tolist() == expected, trial
    assert earned  # some incident earned its own credit
