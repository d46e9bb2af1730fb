"""Slot rules (measurement.slot_counting, overlaps, down_above): hand-computed cases, agreement
with the per-slot reference, and a simulated trial that replays to the credits it was counted."""

from __future__ import annotations

from decimal import Decimal

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
from tests.helpers.builders import contract, incident
from tests.helpers.strategies import (
    SETTINGS,
    contracts,
    incident_lists,
    replay_range,
    scenarios,
)


def measured(rules: dict, *incidents, slot_minutes: int = 1, **more):
    """April 2024 of the base contract with these slot rules."""
    measurement = {"period": "month", "slot_minutes": slot_minutes, **rules}
    terms = contract(measurement=measurement, **more)
    return replay(terms, list(incidents), first="2024-04", last="2024-04").tiers[0].periods[0]


# 10:00:30 to 10:05:20: touches 10:00..10:05 (6 minutes), covers 10:01..10:04 whole (4), and
# more than half of 10:00 (30 s of 60: not more) and 10:05 (20 s: no) -> 4 as well.
ODD = ("2024-04-02T10:00:30", "2024-04-02T10:05:20")
# 10:00:20 to 10:05:40: more than half of 10:00 (40 s) and 10:05 (40 s) -> 6; whole: 4.
WIDE = ("2024-04-02T10:00:20", "2024-04-02T10:05:40")


@pytest.mark.parametrize(
    ("counting", "bounds", "minutes"),
    [
        ("any", ODD, 6),
        ("whole", ODD, 4),
        ("more_than_half", ODD, 4),
        ("any", WIDE, 6),
        ("whole", WIDE, 4),
        ("more_than_half", WIDE, 6),
    ],
)
def test_slot_counting_drops_edge_slots_covered_too_little(counting, bounds, minutes):
    p = measured({"slot_counting": counting}, incident(*bounds))
    assert p.downtime_minutes == minutes


def test_a_short_incident_inside_one_five_minute_slot():
    """3 minutes of a 5-minute slot: any -> 5, more than half -> 5, whole -> 0."""
    bounds = ("2024-04-02T10:01:00", "2024-04-02T10:04:00")
    got = [
        measured({"slot_counting": c}, incident(*bounds), slot_minutes=5).downtime_minutes
        for c in ("any", "more_than_half", "whole")
    ]
    assert got == [5, 5, 0]


def test_two_halves_of_a_slot_do_not_make_it_whole():
    halves = [
        incident("2024-04-02T10:00:00", "2024-04-02T10:00:30"),
        incident("2024-04-02T10:00:30", "2024-04-02T10:01:00"),
    ]
    assert measured({"slot_counting": "whole"}, *halves).downtime_minutes == 0


def test_overlaps_add_up_to_at_most_one():
    """0.6 for 60 minutes, 0.3 over its last 30 and 30 more, 0.8 over those 30 more:
    worst 0.6x60 + 0.8x30 = 60; added 0.6x30 + 0.9x30 + min(1, 1.1)x30 = 75."""
    a = incident("2024-04-02T10:00", "2024-04-02T11:00", 0.6)
    b = incident("2024-04-02T10:30", "2024-04-02T11:30", 0.3)
    c = incident("2024-04-02T11:00", "2024-04-02T11:30", 0.8)
    assert measured({"overlaps": "worst"}, a, b, c).downtime_minutes == 60
    assert measured({"overlaps": "add"}, a, b, c).downtime_minutes == 75


def test_threshold_minutes_are_down_in_full_or_not_at_all():
    """Above 0.05: a 10% minute is a whole minute, a 5% minute nothing; with overlaps added, two
    3% incidents make a 6% minute, which is down."""
    ten = incident("2024-04-02T10:00", "2024-04-02T10:30", 0.1)
    five = incident("2024-04-03T10:00", "2024-04-03T10:30", 0.05)
    three = [incident("2024-04-04T10:00", "2024-04-04T10:20", 0.03) for _ in range(2)]
    assert measured({"down_above": "0.05"}, ten, five, *three).downtime_minutes == 30
    added = measured({"down_above": "0.05", "overlaps": "add"}, ten, five, *three)
    assert added.downtime_minutes == 50


def test_threshold_with_exclusions_a_slot_excused_when_the_excluded_cause_tips_it():
    """A 4% counted incident and a 3% customer-caused one, added, above 5%: the minute is down
    only because of the excluded cause, so all of it is excluded, none counted."""
    counted = incident("2024-04-02T10:00", "2024-04-02T10:10", 0.04)
    customer = incident("2024-04-02T10:00", "2024-04-02T10:10", 0.03, cause="customer")
    p = measured(
        {"down_above": "0.05", "overlaps": "add"},
        counted,
        customer,
        exclusions={"causes": ["customer"]},
    )
    assert (p.downtime_minutes, p.excluded_minutes) == (0, 10)
    assert p.excluded_by_reason == {"cause: customer": Decimal(10)}
    assert [(s.id, s.excluded_minutes) for s in p.incidents] == [(customer.id, 10)]


def test_minimum_downtime_runs_are_of_the_slots_the_rules_count():
    """Whole minutes only: 10:00:30 to 10:05:20 counts 4 minutes, a run shorter than 5."""
    p = measured(
        {"slot_counting": "whole", "min_downtime_minutes": 5},
        incident(*WIDE),
    )
    assert (p.downtime_minutes, p.below_minimum_minutes) == (0, 4)


def test_the_explanation_names_the_rules():
    p = measured(
        {"slot_counting": "whole", "overlaps": "add", "down_above": "0.05"},
        incident("2024-04-02T10:00", "2024-04-02T10:10", 0.1),
    )
    assert p.slot_rules == (
        "whole slots only; overlapping incidents added (at most 1); "
        "a slot weighing more than 0.05 is down in full, else not at all"
    )
    assert measured({}, incident("2024-04-02T10:00", "2024-04-02T10:10")).slot_rules == ""


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"slot_counting": "half"}, "'any', 'whole' or 'more_than_half'"),
        ({"overlaps": "sum"}, "'worst' or 'add'"),
        ({"down_above": 1}, "write 5% as 0.05"),
        ({"down_above": -0.1}, "greater than or equal to 0"),
    ],
)
def test_bad_rules_are_refused_naming_the_field(rules, message):
    with pytest.raises(ValidationError, match=message):
        contract(measurement=rules)


@SETTINGS
@given(contracts(slot_rules=True), incident_lists())
def test_replay_with_slot_rules_agrees_with_the_reference(terms, incidents):
    replay_agrees_with_reference(terms, incidents, *replay_range(terms))


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(contracts(slot_rules=True), scenarios(), st.integers(0, 2**32 - 1))
def test_a_simulated_trial_replays_to_its_credits_under_slot_rules(terms, scen, seed):
    trials_replay_to_their_credits(monthly(terms), scen, seed, 12, [0, 5, 11])


def test_the_usual_rules_written_out_keep_the_hash_and_others_change_it():
    plain = contract()
    spelled = contract(
        measurement={
            "period": "month",
            "slot_counting": "any",
            "overlaps": "worst",
            "down_above": None,
        }
    )
    assert spelled.content_hash() == plain.content_hash()
    for rule in ({"slot_counting": "whole"}, {"overlaps": "add"}, {"down_above": 0}):
        assert contract(measurement=rule).content_hash() != plain.content_hash()
