"""Hand-computed checks of the reference replay oracle (tests/helpers/reference_replay.py)."""

from __future__ import annotations

import calendar
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from slamodeler.domain.contract import Contract
from slamodeler.domain.incidents import Incident
from tests.helpers.reference_replay import reference_replay

BANDS = {"kind": "bands", "bands": [{"below": "99.9", "credit_pct": "10"}]}


def make_contract(tier: dict | None = None, **top) -> Contract:
    tier_data = {
        "name": "Gold",
        "target_pct": "99.9",
        "monthly_fee": "1000",
        "credits": BANDS,
    }
    tier_data.update(tier or {})
    data = {
        "format": "slamodeler/v1",
        "name": "test",
        "currency": "USD",
        "timezone": "UTC",
        "term": {"start": "2024-01-01"},
        "tiers": [tier_data],
    }
    data.update(top)
    return Contract.model_validate(data)


def ts(text: str) -> int:
    """UTC epoch seconds of "YYYY-MM-DDTHH:MM[:SS]"."""
    return calendar.timegm(datetime.fromisoformat(text).timetuple())


def inc(start: str, end: str, impact="full", **kw) -> Incident:
    return Incident(id=f"{start}/{end}", start=ts(start), end=ts(end), impact=impact, **kw)


def one(contract, incidents, first="2024-01", last=None) -> dict:
    rows = reference_replay(contract, incidents, first, last or first)["Gold"]
    assert len(rows) == 1
    return rows[0]


def test_exactly_99_9_is_hit_only_at_or_below():
    # 44.64 weighted minutes in a 44,640-minute month. Incidents are whole seconds and touch
    # whole slots, so use 62 one-minute slots at weight 0.72: 62 x 0.72 = 44.64.
    outage = [inc("2024-01-10T10:00", "2024-01-10T11:02", Decimal("0.72"))]
    row = one(make_contract(), outage)
    assert row["period_minutes"] == 44640
    assert row["downtime_minutes"] == Fraction("44.64")
    assert row["availability_pct"] == Fraction("99.9")
    assert row["band"] is None
    assert row["credit_pct"] == 0
    assert row["credit_owed"] == Decimal("0.00")

    at_or_below = {"kind": "bands", "boundary": "at_or_below", "bands": BANDS["bands"]}
    row = one(make_contract({"credits": at_or_below}), outage)
    assert row["band"] == 0
    assert row["credit_pct"] == 10
    assert row["credit_owed"] == Decimal("100.00")
    assert row["credit_after_caps"] == Decimal("100.00")
    assert row["expected_paid"] == Decimal("100.00")


def test_a_band_with_both_ends_leaves_its_lower_end_to_no_band():
    # April 2024: 43,200 minutes; 432 minutes down is exactly 99.0%. "At or below 99.9 and above
    # 99.0" then "below 99.0" (GitHub's wording): 99.0 is in neither band, 98.99 in the second
    two_ended = {
        "kind": "bands",
        "boundary": "at_or_below",
        "bands": [
            {"below": "99.9", "above": "99.0", "credit_pct": "10"},
            {"below": "99.0", "upper_end": "excluded", "credit_pct": "25"},
        ],
    }
    terms = make_contract({"credits": two_ended})
    exactly = one(terms, [inc("2024-04-10T00:00", "2024-04-10T07:12")], "2024-04")
    assert exactly["availability_pct"] == 99
    assert (exactly["band"], exactly["credit_pct"]) == (None, 0)
    # 436.32 minutes: 436 full and one at 0.32, 1.01% of April
    under = [
        inc("2024-04-10T00:00", "2024-04-10T07:16"),
        inc("2024-04-11T00:00", "2024-04-11T00:01", Decimal("0.32")),
    ]
    row = one(terms, under, "2024-04")
    assert row["availability_pct"] == Fraction("98.99")
    assert (row["band"], row["credit_owed"]) == (1, Decimal("250.00"))
    within = one(terms, [inc("2024-04-10T00:00", "2024-04-10T03:36")], "2024-04")  # 99.5%
    assert (within["band"], within["credit_owed"]) == (0, Decimal("100.00"))


def test_dst_period_lengths_new_york():
    contract = make_contract(timezone="America/New_York")
    rows = reference_replay(contract, [], "2024-03", "2024-11")["Gold"]
    by_label = {r["period"]: r for r in rows}
    assert len(rows) == 9
    assert by_label["2024-03"]["period_minutes"] == 44580
    assert by_label["2024-11"]["period_minutes"] == 43260
    assert by_label["2024-04"]["period_minutes"] == 43200
    assert by_label["2024-03"]["start_utc"] == ts("2024-03-01T05:00")
    assert by_label["2024-03"]["end_utc"] == ts("2024-04-01T04:00")
    assert all(r["availability_pct"] == 100 for r in rows)

    quarters = make_contract(timezone="America/New_York", measurement={"period": "quarter"})
    (q1,) = reference_replay(quarters, [], "2024-Q1", "2024-Q1")["Gold"]
    assert q1["period"] == "2024-Q1"
    assert q1["period_minutes"] == (31 + 29 + 31) * 1440 - 60


def test_partial_under_full_counts_the_full_only_where_they_overlap():
    incidents = [
        inc("2024-01-10T10:00", "2024-01-10T10:10", "full"),
        inc("2024-01-10T10:05", "2024-01-10T10:30", "partial"),
    ]
    row = one(make_contract(), incidents)
    # 10 minutes at 1, then 20 minutes at 0.3 (never 1.3 in the overlap).
    assert row["downtime_minutes"] == 16


def test_slots_touched_by_any_positive_overlap():
    contract = make_contract(measurement={"slot_minutes": 5})
    assert one(contract, [inc("2024-01-10T10:01", "2024-01-10T10:02")])["downtime_minutes"] == 5
    assert one(contract, [inc("2024-01-10T10:05", "2024-01-10T10:05")])["downtime_minutes"] == 0
    straddle = [inc("2024-01-10T10:04:59", "2024-01-10T10:05:01")]
    assert one(contract, straddle)["downtime_minutes"] == 10
    ends_on_boundary = [inc("2024-01-10T10:00", "2024-01-10T10:05")]
    assert one(contract, ends_on_boundary)["downtime_minutes"] == 5


def test_cause_exclusion_removed_or_available():
    incidents = [
        inc("2024-01-10T10:00", "2024-01-10T11:00", "full", cause=" Third_Party "),
        inc("2024-01-10T10:30", "2024-01-10T11:30", "partial", cause="bug"),
    ]
    exclusions = {"causes": ["third_party"]}
    row = one(make_contract(exclusions=exclusions), incidents)
    # 10:00-10:30: w_all 1, w_m 0 -> 30 excluded; 10:30-11:00: w_all 1, w_m 0.3 -> 0.7 x 30 = 21
    # excluded and 9 counted; 11:00-11:30: 9 counted.
    assert row["excluded_minutes"] == 51
    assert row["downtime_minutes"] == 18
    assert row["availability_pct"] == Fraction(100 * (44640 - 51 - 18), 44640 - 51)

    row = one(make_contract(exclusions={**exclusions, "excluded_time": "available"}), incidents)
    assert row["availability_pct"] == Fraction(100 * (44640 - 18), 44640)


def test_maintenance_windows_allowance_per_contract_year():
    exclusions = {
        "maintenance_windows": [{"every": "day", "start": "02:00", "minutes": 60}],
        "maintenance_allowance_minutes_per_year": 90,
    }
    contract = make_contract(exclusions=exclusions, term={"start": "2023-02-01"})
    incidents = [
        inc("2024-01-30T02:00", "2024-01-30T03:00"),  # excused: 60 of 90
        inc("2024-01-31T02:00", "2024-01-31T03:00"),  # excused 30, then 30 count
        inc("2024-01-31T03:00", "2024-01-31T03:10"),  # outside the window: counts
        inc("2024-02-01T01:50", "2024-02-01T02:10"),  # new contract year: 10 in window excused
    ]
    jan, feb = reference_replay(contract, incidents, "2024-01", "2024-02")["Gold"]
    assert jan["excluded_minutes"] == 90
    assert jan["downtime_minutes"] == 40
    assert feb["excluded_minutes"] == 10
    assert feb["downtime_minutes"] == 10


def test_maintenance_cause_outside_windows_only_when_excluded():
    incidents = [inc("2024-01-10T10:00", "2024-01-10T10:20", cause="Maintenance")]
    row = one(make_contract(), incidents)
    assert (row["excluded_minutes"], row["downtime_minutes"]) == (0, 20)
    excluded = make_contract(exclusions={"causes": ["maintenance"]})
    row = one(excluded, incidents)
    assert (row["excluded_minutes"], row["downtime_minutes"]) == (20, 0)
    capped = make_contract(
        exclusions={"causes": ["maintenance"], "maintenance_allowance_minutes_per_year": "7.5"}
    )
    row = one(capped, incidents)
    assert (row["excluded_minutes"], row["downtime_minutes"]) == (Fraction("7.5"), 12.5)


def test_window_start_in_spring_forward_gap_uses_offset_before_change():
    exclusions = {
        "maintenance_windows": [{"every": "week", "day": "sunday", "start": "02:30", "minutes": 30}]
    }
    contract = make_contract(timezone="America/New_York", exclusions=exclusions)
    incidents = [
        # 2024-03-10 02:30 does not exist; read as 02:30 EST = 07:30 UTC (03:30 EDT).
        inc("2024-03-10T07:30", "2024-03-10T08:00"),
        # 01:30-02:00 EST: before the window.
        inc("2024-03-10T06:30", "2024-03-10T07:00"),
        # The next Sunday the window is 02:30 EDT = 06:30 UTC.
        inc("2024-03-17T06:30", "2024-03-17T07:00"),
    ]
    row = one(contract, incidents, "2024-03")
    assert row["excluded_minutes"] == 60
    assert row["downtime_minutes"] == 30


def test_minimum_downtime_runs_cross_periods():
    contract = make_contract(measurement={"min_downtime_minutes": 5})
    incidents = [
        inc("2024-01-10T10:00", "2024-01-10T10:04"),  # 4-minute run: below minimum
        inc("2024-01-11T10:00", "2024-01-11T10:03"),  # these two make one 5-minute run
        inc("2024-01-11T10:03", "2024-01-11T10:05", "partial"),
        inc("2024-01-31T23:58", "2024-02-01T00:03"),  # 5-minute run across the boundary
        inc("2024-02-10T10:00", "2024-02-10T10:04", "partial"),  # short run, 0.3 x 4
    ]
    jan, feb = reference_replay(contract, incidents, "2024-01", "2024-02")["Gold"]
    assert jan["below_minimum_minutes"] == 4
    assert jan["downtime_minutes"] == 3 + Fraction("0.6") + 2
    assert feb["downtime_minutes"] == 3
    assert feb["below_minimum_minutes"] == Fraction("1.2")


def test_caps_in_order():
    tier = {
        "credits": {
            "kind": "bands",
            "bands": [{"below": "99", "credit_pct": "10"}, {"below": "95", "credit_pct": "100"}],
        },
        "caps": {"per_period_pct": 30, "per_year_pct_of_annual_fees": 5},
        "customers": 7,
    }
    contract = make_contract(tier, liability_cap={"amount": 500}, claims={"claim_rate": "0.5"})
    incidents = [inc(f"2024-0{m}-05T00:00", f"2024-0{m}-08T00:00") for m in (1, 2, 3, 4)]
    rows = reference_replay(contract, incidents, "2024-01", "2024-04")["Gold"]
    got = [
        (
            r["band"],
            r["credit_owed"],
            r["capped_by_period"],
            r["capped_by_year"],
            r["capped_by_liability"],
            r["credit_after_caps"],
            r["expected_paid"],
        )
        for r in rows
    ]
    d = Decimal
    assert got == [
        # owed 1000, period cap 300, year room 600, liability room 500
        (1, d("1000.00"), d("700.00"), d("0.00"), d("0.00"), d("300.00"), d("150.00")),
        # year room 300, liability room 200
        (1, d("1000.00"), d("700.00"), d("0.00"), d("100.00"), d("200.00"), d("100.00")),
        # year room 100, liability room 0
        (1, d("1000.00"), d("700.00"), d("200.00"), d("100.00"), d("0.00"), d("0.00")),
        # the same: the year has issued 500 (liability took the 100 the year cap let through)
        (1, d("1000.00"), d("700.00"), d("200.00"), d("100.00"), d("0.00"), d("0.00")),
    ]


def test_liability_cap_resets_each_term_and_rooms_round_down():
    tier = {
        "monthly_fee": "100.01",
        "credits": {"kind": "bands", "bands": [{"below": "99", "credit_pct": "50"}]},
    }
    contract = make_contract(
        tier, term={"start": "2024-01-15", "months": 1}, liability_cap={"pct_of_annual_fees": "3"}
    )
    # Liability limit 3% of 1200.12 = 36.0036 per one-month term -> room 36.00. Terms start on
    # the 15th, so the periods 2024-01 (term from 2023-12-15) and 2024-02 (from 2024-01-15)
    # are in different terms.
    incidents = [inc(f"2024-0{m}-05T00:00", f"2024-0{m}-08T00:00") for m in (1, 2)]
    jan, feb = reference_replay(contract, incidents, "2024-01", "2024-02")["Gold"]
    for row in (jan, feb):
        assert row["credit_owed"] == Decimal("50.01")  # 50.005 half up
        assert row["credit_after_caps"] == Decimal("36.00")
        assert row["capped_by_liability"] == Decimal("14.01")


def test_minimum_credit_and_minor_units():
    outage = [inc("2024-01-05T00:00", "2024-01-08T00:00")]
    small = make_contract({"monthly_fee": "5"}, claims={"min_credit": "1"})
    row = one(small, outage)
    assert row["credit_owed"] == Decimal("0.50")
    assert row["below_min_credit"] == Decimal("0.50")
    assert row["credit_after_caps"] == Decimal("0.00")
    assert row["capped_by_period"] == row["capped_by_year"] == Decimal("0.00")

    yen = make_contract({"monthly_fee": "1005"}, currency="JPY", claims={"claim_rate": "0.5"})
    row = one(yen, outage)
    assert row["credit_owed"] == Decimal("101")  # 100.5 half up
    assert row["expected_paid"] == Decimal("51")  # 50.5 half up

    dinar = make_contract({"monthly_fee": "1.2345"}, currency="KWD")
    row = one(dinar, outage)
    assert row["credit_owed"] == Decimal("0.123")  # 0.12345 -> 0.123
    assert str(row["credit_owed"]) == "0.123"


def test_linear_per_hour_fee_multiple():
    # April 2024 (UTC) is 43,200 minutes; 1,296 minutes down is exactly 97%.
    outage = [inc("2024-04-05T00:00", "2024-04-05T21:36")]
    linear = {
        "kind": "linear",
        "points": [
            {"availability_pct": "99.9", "credit_pct": "0"},
            {"availability_pct": "99", "credit_pct": "10"},
            {"availability_pct": "95", "credit_pct": "30"},
        ],
    }
    row = one(make_contract({"credits": linear}), outage, "2024-04")
    assert row["availability_pct"] == 97
    assert row["credit_pct"] == 20
    assert row["band"] is None

    short = [inc("2024-04-05T00:00", "2024-04-05T01:01")]  # 61 minutes misses 99.9
    for hours, pct in (("started", 10), ("whole", 5), ("exact", Fraction(61, 12))):
        per_hour = {"kind": "per_hour", "credit_pct_per_hour": "5", "hours": hours}
        row = one(make_contract({"credits": per_hour}), short, "2024-04")
        assert row["credit_pct"] == pct, hours
    tiny = [inc("2024-04-05T00:00", "2024-04-05T00:43")]  # 43 minutes: 99.9004...% meets it
    per_hour = {"kind": "per_hour", "credit_pct_per_hour": "5"}
    assert one(make_contract({"credits": per_hour}), tiny, "2024-04")["credit_pct"] == 0

    multiple = {"kind": "fee_multiple", "multiple": "10"}
    row = one(make_contract({"credits": multiple}), short, "2024-04")
    assert row["credit_pct"] == Fraction(10 * 100 * 61, 43200)


def test_linear_exactly_at_first_point_uses_its_credit():
    linear = {
        "kind": "linear",
        "points": [
            {"availability_pct": "100", "credit_pct": "5"},
            {"availability_pct": "90", "credit_pct": "50"},
        ],
    }
    assert one(make_contract({"credits": linear}), [])["credit_pct"] == 5


def test_scope_ignores_case_and_spaces_and_empty_reaches_all():
    tier = {"scope": {"services": ["API"], "regions": ["eu-west"]}}
    incidents = [
        inc("2024-01-10T10:00", "2024-01-10T10:01", service=" api ", region="EU-West"),
        inc("2024-01-10T11:00", "2024-01-10T11:02", service="web", region="eu-west"),
        inc("2024-01-10T12:00", "2024-01-10T12:04", service="", region="us-east"),
        inc("2024-01-10T13:00", "2024-01-10T13:08", service="", region=""),
        inc("2024-01-10T14:00", "2024-01-10T14:16", service="api", region=""),
    ]
    assert one(make_contract(tier), incidents)["downtime_minutes"] == 1 + 8 + 16


def test_unknown_label_names_it():
    with pytest.raises(ValueError, match="Sideways"):
        one(make_contract(), [inc("2024-01-10T10:00", "2024-01-10T10:01", "Sideways")])
    custom = make_contract(measurement={"impact_weights": {"Full": "1", "sideways": "0.25"}})
    incidents = [
        inc("2024-01-10T10:00", "2024-01-10T10:04", " SIDEWAYS "),
        inc("2024-01-10T11:00", "2024-01-10T11:04", "none"),
    ]
    assert one(custom, incidents)["downtime_minutes"] == 1
