"""Per-incident credits under service hours: an incident's own downtime counts only in service
hours, as the period's does, and it is credited in the period of its first minute in them
(docs/measurement.md, section 8a); replay agrees with the reference and a simulated trial
replayed gives the credits the simulation counted. Random contracts with service hours are in
tests/engine/test_incident_credit_properties.py."""

from __future__ import annotations

from tests.helpers.agreement import replay_agrees_with_reference, trials_replay_to_their_credits
from tests.helpers.builders import contract, incident, scenario

HOURS = {"days": ["monday", "tuesday", "wednesday", "thursday", "friday"], "start": "08:00"}
MEASUREMENT = {
    "period": "month",
    "slot_minutes": 1,
    "min_downtime_minutes": 0,
    "service_hours": {**HOURS, "end": "18:00"},
}
PER_INCIDENT = {"longer_than_minutes": 30, "credit_pct": "5", "credit_pct_per_hour": "2"}


def _terms():
    return contract(measurement=MEASUREMENT, tier={"incident_credits": PER_INCIDENT})


def test_an_incident_counts_its_minutes_in_service_hours_in_the_period_of_the_first():
    """Saturday 30 March 10:00 to Monday 1 April 10:00: 48 hours, of which 2 are in service
    hours, all in April: 5% + 2 started hours x 2% = 9%, in April, not March. A Tuesday night
    outage (19:00-07:00) has no minute in service hours and earns nothing."""
    weekend = incident("2024-03-30T10:00", "2024-04-01T10:00")
    night = incident("2024-03-05T19:00", "2024-03-06T07:00")
    engine = replay_agrees_with_reference(_terms(), [weekend, night], "2024-03", "2024-04")
    march, april = engine.tiers[0].periods
    assert march.incident_credit_percent == 0 and not march.incident_credits
    assert april.incident_credit_percent == 9
    assert april.incident_credits == (
        "per-incident credits (5% each + 2% per started hour, incidents longer than 30 min, "
        f"minutes in service hours): {weekend.id} 120 min -> 9%"
    )


def test_a_simulated_trial_replayed_gives_the_per_incident_credits_counted_in_service_hours():
    trials_replay_to_their_credits(_terms(), scenario(), 3, 40, [0, 9, 21, 39])
