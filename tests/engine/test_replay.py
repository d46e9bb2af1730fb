"""Hand-computed replays, one rule at a time (docs/measurement.md): overlaps, impacts and scope,
exclusions and maintenance, slots and minimum downtime, quarters, and what the result reports.
The periods, credit schedules and caps have modules of their own beside this one
(test_periods.py, test_credits.py, test_caps.py). Each expected number is worked out in the
comment beside it from the contract terms, not from the code."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import pytest

from slamodeler.domain.errors import InputError
from slamodeler.engine.replay import replay
from tests.helpers.builders import contract, incident
from tests.helpers.replay_results import only

D = Decimal


# --- overlaps, impacts, scope --------------------------------------------------------------------


def test_overlapping_full_and_partial_count_the_worst_impact_never_the_sum():
    # Partial (0.3) 10:00-12:00, full 11:00-11:30: 30 full minutes + 90 partial minutes
    # = 30 + 27 = 57 weighted minutes (the sum would have been 36 + 30 = 66).
    incidents = [
        incident("2024-04-01T10:00", "2024-04-01T12:00", impact="partial"),
        incident("2024-04-01T11:00", "2024-04-01T11:30", impact="full"),
    ]
    period = only(replay(contract(), incidents))
    assert period.downtime_minutes == 57
    by_incident = {s.title: s.counted_minutes for s in period.incidents}
    assert sorted(by_incident.values()) == [D(27), D(30)]


def test_identical_overlapping_incidents_count_once():
    rows = [incident("2024-04-01T10:00", "2024-04-01T11:00") for _ in range(3)]
    period = only(replay(contract(), rows))
    assert period.downtime_minutes == 60
    assert [s.counted_minutes for s in period.incidents] == [60]  # the earliest-listed owns it


def test_impact_weights_come_from_the_contract():
    terms = contract(measurement={"impact_weights": {"full": 1, "partial": 0.5, "degraded": 0.1}})
    incidents = [
        incident("2024-04-01T00:00", "2024-04-01T01:00", impact="partial"),  # 30
        incident("2024-04-02T00:00", "2024-04-02T01:00", impact="degraded"),  # 6
        incident("2024-04-03T00:00", "2024-04-03T01:00", impact="none"),  # 0
        incident("2024-04-04T00:00", "2024-04-04T01:00", impact=0.25),  # 15
    ]
    assert only(replay(terms, incidents)).downtime_minutes == 51


def test_unweighted_label_is_an_error_naming_it():
    terms = contract(measurement={"impact_weights": {"full": 1}})
    with pytest.raises(InputError, match=r"'partial'.*impact_weights"):
        replay(terms, [incident("2024-04-01T00:00", "2024-04-01T01:00", impact="partial")])


def test_scope_filters_by_service_and_region_case_insensitively():
    terms = contract(tier={"scope": {"services": ["Compute"], "regions": ["us-east-1"]}})
    incidents = [
        incident("2024-04-01T00:00", "2024-04-01T00:10", service="compute", region="US-EAST-1"),
        incident("2024-04-02T00:00", "2024-04-02T00:20", service="Storage", region="us-east-1"),
        incident("2024-04-03T00:00", "2024-04-03T00:40", service="Compute", region="eu-west-1"),
        incident("2024-04-04T00:00", "2024-04-04T01:20"),  # not tied to a service: reaches all
    ]
    assert only(replay(terms, incidents)).downtime_minutes == 10 + 80


# --- exclusions ----------------------------------------------------------------------------------


def test_excluded_cause_is_excused_and_reported_with_its_reason():
    terms = contract(exclusions={"causes": ["customer"]})
    incidents = [
        incident("2024-04-01T00:00", "2024-04-01T02:00", cause="customer"),
        incident("2024-04-01T01:00", "2024-04-01T03:00", impact="partial"),
    ]
    period = only(replay(terms, incidents))
    # 00:00-02:00 customer-caused full: excused. The partial counts 01:00-03:00 = 0.3 * 120 = 36
    # minutes; during 01:00-02:00 the excused part is 1 - 0.3 of the full outage.
    assert period.downtime_minutes == 36
    assert period.excluded_minutes == 60 + D("0.7") * 60  # 102
    assert period.excluded_by_reason == {"cause: customer": D(102)}


# Sunday 2024-04-07 02:00-06:00 UTC is a window; the outage runs 04:00-08:00: half in it.
WINDOWED = {
    "maintenance_windows": [{"every": "week", "day": "sunday", "start": "02:00", "minutes": 240}]
}
HALF_COVERED = [incident("2024-04-07T04:00", "2024-04-07T08:00")]


def test_window_half_covering_an_incident_removed_from_the_denominator():
    period = only(
        replay(contract(exclusions={**WINDOWED, "excluded_time": "remove"}), HALF_COVERED)
    )
    assert (period.excluded_minutes, period.downtime_minutes) == (120, 120)
    # 100 * (43200 - 120 - 120) / (43200 - 120)
    assert period.availability_pct == Fraction(100 * 42960, 43080)
    assert period.excluded_by_reason == {"maintenance window": D(120)}


def test_window_half_covering_an_incident_counted_as_available():
    period = only(
        replay(contract(exclusions={**WINDOWED, "excluded_time": "available"}), HALF_COVERED)
    )
    assert (period.excluded_minutes, period.downtime_minutes) == (120, 120)
    assert period.availability_pct == Fraction(100 * (43200 - 120), 43200)


def test_window_in_local_time_follows_dst():
    # New York, Sunday 2024-03-10 is the spring-forward day: 02:00 does not exist and is read with
    # the offset before the change (EST, UTC-5): the window runs 07:00-11:00 UTC. A week later,
    # 02:00 EDT is 06:00 UTC: 06:00-10:00 UTC.
    terms = contract(timezone="America/New_York", exclusions=WINDOWED)
    incidents = [
        incident("2024-03-10T06:00", "2024-03-10T08:00"),  # 60 before the window, 60 inside
        incident("2024-03-17T05:00", "2024-03-17T07:00"),  # 60 before, 60 inside
    ]
    period = only(replay(terms, incidents))
    assert (period.downtime_minutes, period.excluded_minutes) == (120, 120)


def test_allowance_runs_out_and_then_maintenance_counts():
    # Allowance 100 minutes a year. Two Sunday-window outages of 60 minutes in April: the first
    # is excused, the second only for its first 40 minutes; the last 20 minutes count.
    terms = contract(exclusions={**WINDOWED, "maintenance_allowance_minutes_per_year": 100})
    incidents = [
        incident("2024-04-07T02:00", "2024-04-07T03:00"),
        incident("2024-04-14T02:00", "2024-04-14T03:00"),
    ]
    period = only(replay(terms, incidents))
    assert (period.excluded_minutes, period.downtime_minutes) == (100, 20)


def test_allowance_renews_each_contract_year():
    # Term from 2024-03-01: March 2024 opens a new contract year. 100 minutes used in February
    # (contract year 2023-03..2024-02), then 60 more in March: all excused again.
    terms = contract(
        term={"start": "2024-03-01", "months": 12},
        exclusions={**WINDOWED, "maintenance_allowance_minutes_per_year": 100},
    )
    incidents = [
        incident("2024-02-04T02:00", "2024-02-04T03:40"),  # 100 min, uses it all
        incident("2024-02-11T02:00", "2024-02-11T02:30"),  # 30 min: counts
        incident("2024-03-03T02:00", "2024-03-03T03:00"),  # new year: excused
    ]
    feb, mar = replay(terms, incidents).tiers[0].periods
    assert (feb.excluded_minutes, feb.downtime_minutes) == (100, 30)
    assert (mar.excluded_minutes, mar.downtime_minutes) == (60, 0)
    assert (feb.contract_year, mar.contract_year) == (-1, 0)


def test_maintenance_cause_outside_windows_uses_the_allowance():
    terms = contract(
        exclusions={"causes": ["maintenance"], "maintenance_allowance_minutes_per_year": 90}
    )
    incidents = [incident("2024-04-03T10:00", "2024-04-03T12:00", cause="maintenance")]
    period = only(replay(terms, incidents))
    assert (period.excluded_minutes, period.downtime_minutes) == (90, 30)
    assert period.excluded_by_reason == {"cause: maintenance": D(90)}


# --- slots and minimum downtime ------------------------------------------------------------------


def test_five_minute_slots_round_out_to_every_slot_touched():
    terms = contract(measurement={"slot_minutes": 5})
    # 10:02-10:13 touches the slots 10:00, 10:05, 10:10: 15 minutes.
    period = only(replay(terms, [incident("2024-04-01T10:02", "2024-04-01T10:13")]))
    assert period.downtime_minutes == 15


def test_minimum_downtime_drops_short_runs_only():
    terms = contract(measurement={"slot_minutes": 1, "min_downtime_minutes": 5})
    incidents = [
        incident("2024-04-01T10:00", "2024-04-01T10:04"),  # 4 minutes: too short
        incident("2024-04-01T11:00", "2024-04-01T11:03"),  # 3 + 2 adjacent = one 5-minute run
        incident("2024-04-01T11:03", "2024-04-01T11:05", impact="partial"),
    ]
    period = only(replay(terms, incidents))
    assert period.below_minimum_minutes == 4
    assert period.downtime_minutes == 3 + D("0.6")


def test_zero_duration_incident_counts_nothing():
    period = only(replay(contract(), [incident("2024-04-01T10:00", "2024-04-01T10:00")]))
    assert period.downtime_minutes == 0


# --- quarters ------------------------------------------------------------------------------------


def test_quarterly_contract_measures_calendar_quarters():
    terms = contract(measurement={"period": "quarter"})
    # Q2 2024 (April-June) has 91 days = 131,040 minutes; 0.1% of that is 131.04 minutes.
    incidents = [incident("2024-05-31T23:00", "2024-06-01T01:30")]  # 150 minutes, one quarter
    period = only(replay(terms, incidents))
    assert period.period == "2024-Q2"
    assert period.period_minutes == 91 * 1440
    assert period.credit_pct == 10  # 150 > 131.04
    assert period.credit_owed == D("300.00")  # 10% of a 3-month fee


def test_from_and_to_select_periods_and_empty_periods_are_reported():
    result = replay(contract(), [], first="2024-01", last="2024-03")
    assert [p.period for p in result.tiers[0].periods] == ["2024-01", "2024-02", "2024-03"]
    with pytest.raises(InputError, match="before"):
        replay(contract(), [], first="2024-03", last="2024-01")


def test_a_scope_that_matches_no_incident_is_reported():
    terms = contract(tier={"scope": {"services": ["Compute"]}})
    result = replay(terms, [incident("2024-04-01T00:00", "2024-04-01T01:00", service="Storage")])
    assert only(result).downtime_minutes == 0
    assert result.notes == (
        "tier T: no incident reaches its scope (services: Compute; regions: all); "
        "check the names against the data",
    )


def test_the_contract_hash_ignores_how_numbers_are_written():
    assert (
        contract(tier={"monthly_fee": 1000}).content_hash()
        == contract(tier={"monthly_fee": "1000.00"}).content_hash()
    )
    assert (
        contract(tier={"monthly_fee": 1000}).content_hash()
        != contract(tier={"monthly_fee": 1001}).content_hash()
    )


def test_incidents_below_the_minimum_downtime_stay_in_the_explanation():
    terms = contract(measurement={"min_downtime_minutes": 5})
    period = only(replay(terms, [incident("2024-04-01T00:00", "2024-04-01T00:03")]))
    (share,) = period.incidents
    assert (share.counted_minutes, share.below_minimum_minutes) == (0, 3)


def test_counted_minutes_belong_to_the_incident_that_caused_them_under_maintenance():
    # A full maintenance incident (excused) over a partial one: the partial's 0.3 counts, and is
    # the partial's, not the maintenance incident's.
    terms = contract(exclusions={"causes": ["maintenance"]})
    maint = incident("2024-04-01T00:00", "2024-04-01T01:00", cause="maintenance")
    part = incident("2024-04-01T00:00", "2024-04-01T01:00", impact="partial")
    period = only(replay(terms, [maint, part]))
    shares = {s.id: (s.counted_minutes, s.excluded_minutes) for s in period.incidents}
    assert shares == {maint.id: (0, D(42)), part.id: (D(18), 0)}


def test_no_scope_note_when_the_names_match_outside_the_replayed_range():
    terms = contract(tier={"scope": {"services": ["Compute"]}})
    elsewhere = incident("2024-06-01T00:00", "2024-06-01T01:00", service="Compute")
    result = replay(terms, [elsewhere], first="2024-04", last="2024-04")
    assert result.notes == ()


def test_an_impact_the_contract_cannot_weigh_names_the_first_incident_with_it():
    fine = incident("2024-01-10T00:00", "2024-01-10T01:00")
    first, second = (
        incident(f"2024-01-1{d}T00:00", f"2024-01-1{d}T01:00", "Brownout") for d in (1, 2)
    )
    with pytest.raises(
        InputError, match=re.escape(f"incident {first.describe} has impact 'Brownout'")
    ):
        replay(contract(), [fine, first, second], first="2024-01", last="2024-01")
    over = incident("2024-01-13T00:00", "2024-01-13T01:00", 1.5)
    with pytest.raises(
        InputError, match=re.escape(f"incident {over.describe}: impact 1.5 is not in 0..1")
    ):
        replay(contract(), [fine, over], first="2024-01", last="2024-01")


def test_impacts_given_one_by_one_weigh_as_their_values_say():
    # 0.3 and 0.30 are separate cells of the same weight; "Full" is the label "full"
    found = replay(
        contract(),
        [
            incident("2024-01-10T00:00", "2024-01-10T01:40", Decimal("0.3")),
            incident("2024-01-11T00:00", "2024-01-11T01:40", Decimal("0.30")),
            incident("2024-01-12T00:00", "2024-01-12T00:10", "Full"),
        ],
        first="2024-01",
        last="2024-01",
    )
    assert only(found).downtime_minutes == 30 + 30 + 10
    # the share 1 weighs in full; the label "1" is no impact the contract weighs
    whole = incident("2024-01-13T00:00", "2024-01-13T01:00", Decimal("1"))
    label = incident("2024-01-14T00:00", "2024-01-14T01:00", "1")
    with pytest.raises(InputError, match=re.escape(f"incident {label.describe} has impact '1'")):
        replay(contract(), [whole, label], first="2024-01", last="2024-01")
