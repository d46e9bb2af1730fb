"""Hand-computed replays, one rule at a time (docs/measurement.md). Each expected number is worked
out in the comment beside it from the contract terms, not from the code."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from slamodeler.domain.errors import InputError
from slamodeler.engine.replay import replay
from tests.helpers.builders import contract, incident

D = Decimal


def only(result, period=None):
    periods = result.tiers[0].periods
    if period is None:
        assert len(periods) == 1
        return periods[0]
    return next(p for p in periods if p.period == period)


# --- periods -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "month", "minutes"),
    [
        ("UTC", "2024-01", 31 * 1440),  # 44,640
        ("UTC", "2024-04", 30 * 1440),  # 43,200
        ("UTC", "2024-02", 29 * 1440),  # leap year: 41,760
        ("UTC", "2023-02", 28 * 1440),  # 40,320
        ("America/New_York", "2024-03", 31 * 1440 - 60),  # spring forward: 44,580
        ("America/New_York", "2024-11", 30 * 1440 + 60),  # fall back: 43,260
        ("Europe/Berlin", "2024-03", 31 * 1440 - 60),
        ("Australia/Sydney", "2024-04", 30 * 1440 + 60),  # southern hemisphere: DST ends in April
    ],
)
def test_period_length_in_the_contract_zone(zone, month, minutes):
    result = replay(contract(timezone=zone), [], first=month, last=month)
    assert only(result).period_minutes == minutes
    assert only(result).availability_pct == 100


def test_new_york_period_starts_at_local_midnight():
    # An outage 2024-03-31 23:30 to 2024-04-01 00:30 New York time (EDT, UTC-4) is half in March.
    inc = incident("2024-04-01T03:30:00+00:00", "2024-04-01T04:30:00+00:00")
    result = replay(contract(timezone="America/New_York"), [inc], first="2024-03", last="2024-04")
    assert only(result, "2024-03").downtime_minutes == 30
    assert only(result, "2024-04").downtime_minutes == 30
    assert only(result, "2024-03").start == "2024-03-01T00:00:00-05:00"
    assert only(result, "2024-03").end == "2024-04-01T00:00:00-04:00"


def test_incident_spanning_two_months_is_clipped_at_the_boundary():
    # 2024-01-31 23:00 to 2024-02-01 02:00 UTC: 60 minutes in January, 120 in February.
    inc = incident("2024-01-31T23:00", "2024-02-01T02:00")
    result = replay(contract(), [inc])
    jan, feb = result.tiers[0].periods
    assert (jan.downtime_minutes, feb.downtime_minutes) == (60, 120)
    # January: 100 * (44640 - 60) / 44640 = 99.8656%: band 1 (below 99.9) -> 10%
    assert jan.availability_pct == Fraction(100 * (44640 - 60), 44640)
    assert jan.credit_pct == 10
    assert [s.counted_minutes for s in feb.incidents] == [120]


# --- band boundaries -----------------------------------------------------------------------------

# April has 43,200 minutes; 43.2 minutes of downtime is exactly 0.1%: availability exactly 99.9%.
# 43.2 minutes = 43 full minutes + a partial (0.2) minute.
EXACTLY_99_9 = [
    incident("2024-04-10T10:00", "2024-04-10T10:43"),
    incident("2024-04-10T11:00", "2024-04-10T11:01", impact=0.2),
]


@pytest.mark.parametrize(("boundary", "credit"), [("below", 0), ("at_or_below", 10)])
def test_availability_exactly_at_the_threshold(boundary, credit):
    terms = contract(
        tier={
            "credits": {
                "kind": "bands",
                "boundary": boundary,
                "bands": [{"below": 99.9, "credit_pct": 10}, {"below": 99, "credit_pct": 25}],
            }
        }
    )
    period = only(replay(terms, EXACTLY_99_9, first="2024-04", last="2024-04"))
    assert period.downtime_minutes == D("43.2")
    assert period.availability_pct == Fraction(999, 10)  # exactly, not 99.89999...
    assert period.credit_pct == credit
    assert period.credit_owed == D(credit * 10)  # 10% of a 1,000 fee is 100.00
    assert period.met_target is (boundary == "below")


def test_one_more_second_of_downtime_crosses_the_threshold_under_both_rules():
    extra = incident("2024-04-12T00:00:00", "2024-04-12T00:00:01")  # touches one more slot
    for boundary in ("below", "at_or_below"):
        terms = contract(
            tier={
                "credits": {
                    "kind": "bands",
                    "boundary": boundary,
                    "bands": [{"below": 99.9, "credit_pct": 10}],
                }
            }
        )
        period = only(replay(terms, [*EXACTLY_99_9, extra], first="2024-04", last="2024-04"))
        assert period.downtime_minutes == D("44.2")
        assert period.credit_pct == 10


def test_lowest_band_hit_wins_and_reports_its_escalation():
    terms = contract(
        tier={
            "credits": {
                "kind": "bands",
                "bands": [
                    {"below": 99.9, "credit_pct": 10},
                    {"below": 99.0, "credit_pct": 25, "escalation": "tell the account executive"},
                    {"below": 95.0, "credit_pct": 100, "escalation": "tell legal"},
                ],
            }
        }
    )
    # 600 minutes in April: 100 * 42600/43200 = 98.611%: below 99.9 and 99.0, not 95.
    period = only(replay(terms, [incident("2024-04-02T00:00", "2024-04-02T10:00")]))
    assert period.band == 1
    assert period.credit_pct == 25
    assert period.escalation == "tell the account executive"
    assert period.credit_owed == D("250.00")


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


# --- other schedules -----------------------------------------------------------------------------


def test_linear_schedule_interpolates_between_points():
    terms = contract(
        tier={
            "credits": {
                "kind": "linear",
                "points": [
                    {"availability_pct": 99.9, "credit_pct": 0},
                    {"availability_pct": 99.0, "credit_pct": 50},
                ],
            }
        }
    )
    # 216 minutes of 43,200 = 99.5% -> halfway between 99.9 (0%) and 99.0 (50%) = 22.2222%
    period = only(replay(terms, [incident("2024-04-01T00:00", "2024-04-01T03:36")]))
    assert period.availability_pct == Fraction(995, 10)
    assert period.credit_pct == Fraction(50) * Fraction(4, 9)
    assert period.credit_owed == D("222.22")


@pytest.mark.parametrize(("hours", "pct"), [("started", 15), ("whole", 10), ("exact", 12.5)])
def test_per_hour_credit(hours, pct):
    terms = contract(
        tier={"credits": {"kind": "per_hour", "credit_pct_per_hour": 5, "hours": hours}}
    )
    # 150 minutes = 2.5 hours: started 3, whole 2, exact 2.5 (x 5%)
    period = only(replay(terms, [incident("2024-04-01T00:00", "2024-04-01T02:30")]))
    assert period.credit_pct == Fraction(pct)


def test_per_hour_credit_needs_the_target_missed():
    terms = contract(
        tier={"target_pct": 99.0, "credits": {"kind": "per_hour", "credit_pct_per_hour": 5}}
    )
    period = only(replay(terms, [incident("2024-04-01T00:00", "2024-04-01T02:30")]))
    assert period.credit_pct == 0 and period.met_target


def test_fee_multiple_is_the_fee_for_the_downtime_times_the_multiple():
    terms = contract(
        tier={"target_pct": 99.99, "credits": {"kind": "fee_multiple", "multiple": 10}}
    )
    # 432 minutes of 43,200 is 1% of the month: 10 x 1% = 10% of the fee = 100.00
    period = only(replay(terms, [incident("2024-04-01T00:00", "2024-04-01T07:12")]))
    assert period.credit_pct == 10
    assert period.credit_owed == D("100.00")


# --- caps, minimum credit, claims ----------------------------------------------------------------

BIG = [incident("2024-04-01T00:00", "2024-04-05T00:00")]  # 4 days: below 95% -> 100%


def test_per_period_cap_bites():
    period = only(replay(contract(tier={"caps": {"per_period_pct": 30}}), BIG))
    assert (period.credit_owed, period.credit_after_caps) == (D("1000.00"), D("300.00"))
    assert period.capped_by_period == D("700.00") == period.capped_off


def test_yearly_cap_bites_across_periods():
    # 600 minutes a month is below 99.0%: 25% of 1,000 = 250 owed each month. The yearly cap is
    # 5% of 12 x 1,000 = 600: April 250, May 250, June only the 100 left.
    terms = contract(tier={"caps": {"per_year_pct_of_annual_fees": 5}})
    incidents = [
        incident("2024-04-02T00:00", "2024-04-02T10:00"),
        incident("2024-05-02T00:00", "2024-05-02T10:00"),
        incident("2024-06-02T00:00", "2024-06-02T10:00"),
    ]
    periods = replay(terms, incidents).tiers[0].periods
    assert [p.credit_owed for p in periods] == [D("250.00")] * 3
    assert [p.credit_after_caps for p in periods] == [D("250.00"), D("250.00"), D("100.00")]
    assert periods[2].capped_by_year == D("150.00")


def test_liability_cap_bites_over_the_term():
    terms = contract(liability_cap={"amount": 1500}, term={"start": "2024-01-01", "months": 12})
    incidents = [incident(f"2024-{m:02d}-01T00:00", f"2024-{m:02d}-05T00:00") for m in (4, 5)]
    incidents.append(incident("2025-01-01T00:00", "2025-01-05T00:00"))  # a new term
    periods = {p.period: p for p in replay(terms, incidents).tiers[0].periods}
    assert periods["2024-04"].credit_after_caps == D("1000.00")
    assert periods["2024-05"].credit_after_caps == D("500.00")
    assert periods["2024-05"].capped_by_liability == D("500.00")
    assert periods["2025-01"].credit_after_caps == D("1000.00")


def test_liability_cap_as_share_of_annual_fees_and_the_lower_of_two():
    # 100% of the fee (1,000) is owed. 10% of annual fees is 1,200: no bite.
    terms = contract(liability_cap={"amount": 5000, "pct_of_annual_fees": 10})
    assert only(replay(terms, BIG)).credit_after_caps == D("1000.00")
    # 5% of annual fees is 600, lower than the 5,000 amount: that is the cap.
    terms = contract(liability_cap={"amount": 5000, "pct_of_annual_fees": 5})
    assert only(replay(terms, BIG)).credit_after_caps == D("600.00")
    # Both given, the amount lower: 700.
    terms = contract(liability_cap={"amount": 700, "pct_of_annual_fees": 100})
    assert only(replay(terms, BIG)).credit_after_caps == D("700.00")


def test_minimum_credit_is_not_issued_and_uses_no_cap():
    # fee 5: 10% is 0.50, under a 1.00 minimum credit
    terms = contract(tier={"monthly_fee": 5}, claims={"min_credit": 1, "claim_rate": 1})
    period = only(replay(terms, [incident("2024-04-01T00:00", "2024-04-01T01:00")]))
    assert (period.credit_owed, period.credit_after_caps) == (D("0.50"), D("0.00"))
    assert period.below_min_credit == D("0.50")
    assert period.capped_off == 0


def test_claim_rate_scales_the_expected_payment():
    terms = contract(claims={"min_credit": 0, "claim_rate": 0.35})
    period = only(replay(terms, [incident("2024-04-01T00:00", "2024-04-01T01:00")]))
    assert (period.credit_after_caps, period.expected_paid) == (D("100.00"), D("35.00"))


def test_money_rounds_half_up_once_to_the_minor_unit():
    # fee 10.05, 25% = 2.5125 -> 2.51; JPY fee 1,005 at 25% = 251.25 -> 251
    terms = contract(tier={"monthly_fee": "10.05"})
    one_day = [incident("2024-04-02T00:00", "2024-04-02T10:00")]
    assert only(replay(terms, one_day)).credit_owed == D("2.51")
    terms = contract(currency="JPY", tier={"monthly_fee": 1005})
    assert only(replay(terms, one_day)).credit_owed == D("251")


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
