"""Per-incident credits under a maintenance allowance: the allowance decides how much
maintenance the period's availability excuses, while an incident's own downtime still leaves out
maintenance (minutes in a window, incidents caused by excluded maintenance), spent allowance or
not (docs/measurement.md, section 8a). Replay agrees with the reference and a simulated trial
replayed gives the credits the simulation counted; random contracts with an allowance are in
tests/engine/test_incident_credit_properties.py."""

from __future__ import annotations

from tests.helpers.agreement import replay_agrees_with_reference, trials_replay_to_their_credits
from tests.helpers.builders import contract, incident, scenario

EXCLUSIONS = {
    "causes": ["maintenance"],
    "maintenance_windows": [{"every": "week", "day": "sunday", "start": "02:00", "minutes": 120}],
    "maintenance_allowance_minutes_per_year": 60,
}
PER_INCIDENT = {"longer_than_minutes": 30, "credit_pct": "5", "credit_pct_per_hour": "2"}


def _terms():
    return contract(exclusions=EXCLUSIONS, tier={"incident_credits": PER_INCIDENT})


def test_maintenance_past_the_allowance_is_downtime_but_earns_no_incident_credit():
    """A 2-hour outage in the Sunday window spends the 60-minute allowance and counts the other
    60 minutes as downtime; a 90-minute maintenance overrun on a Tuesday counts 90 more; neither
    is an incident for the clause. A 40-minute failover on Wednesday earns 5% + 2% = 7%."""
    in_window = incident("2024-03-03T02:00", "2024-03-03T04:00")
    overrun = incident("2024-03-05T10:00", "2024-03-05T11:30", cause="maintenance")
    failover = incident("2024-03-06T10:00", "2024-03-06T10:40")
    engine = replay_agrees_with_reference(
        _terms(), [in_window, overrun, failover], "2024-03", "2024-03"
    )
    (march,) = engine.tiers[0].periods
    assert march.downtime_minutes == 60 + 90 + 40
    assert march.incident_credit_percent == 7
    assert march.incident_credits == (
        "per-incident credits (5% each + 2% per started hour, incidents longer than 30 min, "
        f"maintenance past the allowance not counted): {failover.id} 40 min -> 7%"
    )


def test_a_simulated_trial_replayed_gives_the_per_incident_credits_under_an_allowance():
    """Outages of which a quarter are maintenance, often enough (6 a month) that the windows and
    the allowance are met in every trial."""
    platform = {
        "name": "platform",
        "frequency": {"dist": "poisson", "rate_per_month": 6.0},
        "duration_minutes": {"dist": "lognormal", "median": 40, "sigma": 1.2},
        "impact": {"full": 0.5, "partial": 0.5},
        "cause": {"": 0.75, "maintenance": 0.25},
    }
    trials_replay_to_their_credits(_terms(), scenario(processes=[platform]), 4, 40, [0, 11, 27, 39])
