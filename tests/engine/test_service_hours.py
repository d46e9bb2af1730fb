"""Service hours (measurement.service_hours) and a fee multiple's share of scheduled availability:
hand-computed cases, agreement with the per-slot reference, and a simulated trial that replays to
the credits it was counted."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from slamodeler.engine.replay import replay
from tests.helpers.agreement import (
    monthly,
    replay_agrees_with_reference,
    trials_replay_to_their_credits,
)
from tests.helpers.builders import contract, incident, scenario
from tests.helpers.reference_replay import FIELDS
from tests.helpers.strategies import (
    SETTINGS,
    contracts,
    incident_lists,
    replay_range,
    scenarios,
)

OFFICE = {"days": ["monday", "tuesday", "wednesday", "thursday", "friday"], "start": "08:00"}
OFFICE_END = {**OFFICE, "end": "18:00"}


def april(hours: dict, *incidents, slot_minutes: int = 1, min_downtime: int = 0, **more):
    """April 2024 (UTC; 22 weekdays, the 1st a Monday) measured in these service hours."""
    measurement = {
        "period": "month",
        "slot_minutes": slot_minutes,
        "min_downtime_minutes": min_downtime,
        "service_hours": hours,
    }
    terms = contract(measurement=measurement, **more)
    return replay(terms, list(incidents), first="2024-04", last="2024-04").tiers[0].periods[0]


def test_only_service_hours_count_in_the_downtime_and_in_the_period():
    # Friday 17:30 to Monday 08:20: 30 minutes on Friday, 20 on Monday; the weekend is closed.
    p = april(OFFICE_END, incident("2024-04-05T17:30", "2024-04-08T08:20"))
    assert p.period_minutes == 22 * 600
    assert p.downtime_minutes == 50
    assert p.availability_pct == Fraction(100 * (13200 - 50), 13200)
    assert p.service_hours == "Mon-Fri 08:00-18:00 (UTC): 13,200 of 43,200 minutes"


def test_closed_hours_end_a_downtime_run():
    # 30 + 20 minutes, each run shorter than the 45-minute minimum: nothing counts.
    p = april(OFFICE_END, incident("2024-04-05T17:30", "2024-04-08T08:20"), min_downtime=45)
    assert (p.downtime_minutes, p.below_minimum_minutes) == (0, 50)


def test_a_holiday_has_no_service_hours():
    hours = {**OFFICE_END, "holidays": ["2024-04-01"]}
    p = april(hours, incident("2024-04-01T10:00", "2024-04-01T11:00"))
    assert (p.period_minutes, p.downtime_minutes) == (21 * 600, 0)
    assert p.service_hours == (
        "Mon-Fri 08:00-18:00, 1 holiday(s) listed (UTC): 12,600 of 43,200 minutes"
    )


def test_a_slot_is_in_service_hours_when_it_starts_in_them():
    # 15-minute slots from midnight, hours from 08:07: the 08:00 slot starts before them, so the
    # first is 08:15; the last starts at 17:45. 39 slots a day; 08:00-08:15 is closed.
    hours = {**OFFICE, "start": "08:07", "end": "18:00"}
    p = april(hours, incident("2024-04-02T08:00", "2024-04-02T08:20"), slot_minutes=15)
    assert p.period_minutes == 22 * 39 * 15
    assert p.downtime_minutes == 15  # the 08:15 slot, touched


def test_hours_in_which_no_slot_starts_leave_a_period_without_service_minutes():
    # 07:55-08:00 with 15-minute slots: no slot starts in them. Nothing is measured, and a
    # period of no service minutes is 100% available, however excluded time is treated.
    hours = {**OFFICE, "start": "07:55", "end": "08:00"}
    down = incident("2024-04-02T07:00", "2024-04-02T09:00")
    for excluded_time in ("remove", "available"):
        p = april(hours, down, slot_minutes=15, exclusions={"excluded_time": excluded_time})
        assert (p.period_minutes, p.downtime_minutes) == (0, 0)
        assert p.availability_pct == 100


def test_service_hours_are_local_hours_through_a_dst_change():
    # New York, 01:00-04:00 every day of March 2024: on the 10th the clocks skip 02:00-03:00,
    # so that day has two hours of service.
    every_day = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    terms = contract(
        timezone="America/New_York",
        measurement={"service_hours": {"days": every_day, "start": "01:00", "end": "04:00"}},
    )
    p = replay(terms, [], first="2024-03", last="2024-03").tiers[0].periods[0]
    assert p.period_minutes == 31 * 180 - 60


def test_maintenance_outside_service_hours_excuses_nothing_and_inside_it_does():
    window = {"every": "week", "day": "monday", "start": "07:00", "minutes": 120}
    exclusions = {"causes": ["maintenance"], "maintenance_windows": [window]}
    p = april(
        OFFICE_END,
        incident("2024-04-08T07:30", "2024-04-08T08:30"),  # in the window: 30 min in hours
        incident("2024-04-07T10:00", "2024-04-07T11:00", cause="maintenance"),  # a Sunday
        exclusions=exclusions,
    )
    assert p.excluded_minutes == 30
    assert p.excluded_by_reason == {"maintenance window": Decimal(30)}
    assert p.downtime_minutes == 0


def fee_multiple(share_of: str) -> dict:
    return {"credits": {"kind": "fee_multiple", "multiple": 10, "share_of": share_of}}


@pytest.mark.parametrize(
    ("share_of", "credit"), [("period", Decimal("50.00")), ("scheduled", Decimal("50.23"))]
)
def test_a_fee_multiple_of_scheduled_availability_leaves_out_excluded_time(share_of, credit):
    # 66 minutes down and 60 customer-caused in 13,200 service minutes: 10 x 66 / 13,200 = 5%
    # of the fee, or 10 x 66 / 13,140 = 5.0228...% of scheduled availability.
    p = april(
        OFFICE_END,
        incident("2024-04-02T09:00", "2024-04-02T10:06"),
        incident("2024-04-03T09:00", "2024-04-03T10:00", cause="customer"),
        exclusions={"causes": ["customer"]},
        tier=fee_multiple(share_of),
    )
    assert (p.downtime_minutes, p.excluded_minutes) == (66, 60)
    assert p.credit_owed == credit
    assert ("of scheduled availability" in p.rule) == (share_of == "scheduled")


def test_around_the_clock_written_out_measures_as_no_service_hours_and_keeps_hashes():
    plain = contract()
    assert contract(measurement={"service_hours": None}).content_hash() == plain.content_hash()
    assert (
        contract(tier=fee_multiple("period")).content_hash()
        == contract(tier={"credits": {"kind": "fee_multiple", "multiple": 10}}).content_hash()
    )
    every_day = {"days": [*OFFICE["days"], "saturday", "sunday"], "start": "00:00"}
    hours = contract(measurement={"service_hours": {**every_day, "end": "24:00"}})
    assert hours.content_hash() != plain.content_hash()
    history = [incident("2024-04-02T23:50", "2024-04-03T00:20", impact=0.5)]
    a = replay(plain, history, first="2024-04", last="2024-04").tiers[0].periods[0]
    b = replay(hours, history, first="2024-04", last="2024-04").tiers[0].periods[0]
    for name in FIELDS:
        assert getattr(a, name) == getattr(b, name)


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ({"start": "18:00", "end": "08:00"}, "end: must be after start"),
        ({"start": "8:00", "end": "18:00"}, "start\n.*HH:MM"),
        ({"start": "24:00", "end": "24:00"}, "start: .*only an end"),
        ({"days": ["monday", "funday"], "start": "08:00", "end": "18:00"}, "days"),
        ({"days": [], "start": "08:00", "end": "18:00"}, "days"),
        ({"start": "08:00", "end": "18:00", "holidays": ["25.12.2024"]}, "holidays"),
    ],
)
def test_bad_service_hours_are_refused_naming_the_field(hours, message):
    with pytest.raises(ValidationError, match=message):
        contract(measurement={"service_hours": hours})


@SETTINGS
@given(contracts(slot_rules=True, service_hours=True), incident_lists())
def test_replay_in_service_hours_agrees_with_the_reference(terms, incidents):
    replay_agrees_with_reference(terms, incidents, *replay_range(terms))


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(contracts(slot_rules=True, service_hours=True), scenarios(), st.integers(0, 2**32 - 1))
def test_a_simulated_trial_replays_to_its_credits_in_service_hours(terms, scen, seed):
    trials_replay_to_their_credits(monthly(terms), scen, seed, 12, [0, 5, 11])


def test_hours_that_hold_no_slot_measure_nothing_in_replay_and_in_the_simulation():
    """07:55-08:00 with 15-minute slots: no slot starts in the hours (section 4a), so no minute
    is measured; the simulation measured such hours with an IndexError before."""
    terms = contract(
        measurement={"slot_minutes": 15, "service_hours": {"start": "07:55", "end": "08:00"}}
    )
    [period] = replay(terms, [incident("2024-04-02T07:00", "2024-04-02T09:00")]).tiers[0].periods
    assert (period.period_minutes, period.downtime_minutes, period.credit_pct) == (0, 0, 0)
    trials_replay_to_their_credits(terms, scenario(), 3, 10, [0, 9])


def test_hours_that_hold_no_slot_measure_nothing_under_a_maintenance_allowance():
    """The same hours with a maintenance allowance (even of 0 minutes): the allowance's running
    sum over no pieces failed with an IndexError in the simulation."""
    terms = contract(
        measurement={"slot_minutes": 15, "service_hours": {"start": "07:55", "end": "08:00"}},
        exclusions={"maintenance_allowance_minutes_per_year": 0},
    )
    trials_replay_to_their_credits(terms, scenario(), 3, 10, [0, 9])
