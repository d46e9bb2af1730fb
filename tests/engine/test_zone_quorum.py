"""k of n zones (docs/measurement.md, section 4): a region is down only where at least k distinct
zones are, and then it is down in full; hand-computed cases."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from slamodeler.engine.replay import replay
from tests.helpers.builders import contract, incident

AZS = ["use1-az1", "use1-az2", "use1-az4"]


def two_of_three(**scope):
    return contract(tier={"scope": {"zones": {"at_least": 2, "of": AZS}, **scope}})


def period(result, tier=0):
    return result.tiers[tier].periods[0]


def test_a_region_is_down_only_while_two_zones_are():
    # az1 down 10:00-11:00, az2 down 10:30-12:00: both down 10:30-11:00, 30 minutes.
    p = period(
        replay(
            two_of_three(),
            [
                incident("2024-03-05T10:00", "2024-03-05T11:00", zone="use1-az1"),
                incident("2024-03-05T10:30", "2024-03-05T12:00", zone="USE1-AZ2 "),
            ],
            "2024-03",
            "2024-03",
        )
    )
    assert p.downtime_minutes == 30
    assert p.zones_down == {"use1-az1": Decimal(30), "use1-az2": Decimal(30)}
    assert [(s.id, s.counted_minutes) for s in p.incidents] == [(p.incidents[0].id, 30)]


def test_one_zone_alone_is_no_downtime_however_long():
    p = period(
        replay(
            two_of_three(),
            [incident("2024-03-05T00:00", "2024-03-08T00:00", zone="use1-az1")],
            "2024-03",
            "2024-03",
        )
    )
    assert (p.downtime_minutes, p.credit_pct, p.zones_down) == (0, 0, {})


def test_the_same_zone_twice_is_one_zone():
    p = period(
        replay(
            two_of_three(),
            [
                incident("2024-03-05T10:00", "2024-03-05T11:00", zone="use1-az1"),
                incident("2024-03-05T10:00", "2024-03-05T11:00", zone="use1-az1"),
            ],
            "2024-03",
            "2024-03",
        )
    )
    assert p.downtime_minutes == 0


def test_a_down_slot_weighs_one_whatever_the_impacts():
    # Two zones partly down (0.3 each) for 20 minutes: the region is unavailable for 20 minutes.
    p = period(
        replay(
            two_of_three(),
            [
                incident("2024-03-05T10:00", "2024-03-05T10:20", "partial", zone="use1-az1"),
                incident("2024-03-05T10:00", "2024-03-05T10:20", 0.3, zone="use1-az4"),
            ],
            "2024-03",
            "2024-03",
        )
    )
    assert p.downtime_minutes == 20


def test_a_zone_not_listed_does_not_reach_the_tier_and_no_zone_means_every_zone():
    incidents = [
        incident("2024-03-05T10:00", "2024-03-05T11:00", zone="use1-az1"),
        incident("2024-03-05T10:00", "2024-03-05T11:00", zone="use1-az3"),  # not listed
        incident("2024-03-06T10:00", "2024-03-06T10:15"),  # no zone: the whole region
    ]
    p = period(replay(two_of_three(), incidents, "2024-03", "2024-03"))
    assert p.downtime_minutes == 15
    assert p.zones_down == {"(every zone)": Decimal(15)}
    # Of every zone seen, az3 counts: 60 + 15 minutes.
    every = contract(tier={"scope": {"zones": {"at_least": 2}}})
    assert period(replay(every, incidents, "2024-03", "2024-03")).downtime_minutes == 75


def test_an_excluded_cause_takes_its_zone_out_of_the_count():
    incidents = [
        incident("2024-03-05T10:00", "2024-03-05T11:00", zone="use1-az1"),
        incident("2024-03-05T10:00", "2024-03-05T11:00", cause="force_majeure", zone="use1-az2"),
    ]
    terms = contract(
        exclusions={"causes": ["force_majeure"]},
        tier={"scope": {"zones": {"at_least": 2, "of": AZS}}},
    )
    p = period(replay(terms, incidents, "2024-03", "2024-03"))
    assert (p.downtime_minutes, p.excluded_minutes) == (0, 60)
    assert p.excluded_by_reason == {"cause: force_majeure": Decimal(60)}


def test_without_a_zone_rule_zones_change_nothing():
    incidents = [incident("2024-03-05T10:00", "2024-03-05T11:00", zone="use1-az1")]
    p = period(replay(contract(), incidents, "2024-03", "2024-03"))
    assert (p.downtime_minutes, p.zones_down) == (60, None)


def test_tiers_with_other_zone_rules_are_measured_apart():
    terms = two_of_three()
    data = terms.model_dump(mode="json")
    one = dict(data["tiers"][0], name="One zone", scope={"zones": {"at_least": 1, "of": AZS}})
    data["tiers"].append(one)
    terms = type(terms).model_validate(data)
    incidents = [incident("2024-03-05T10:00", "2024-03-05T11:00", zone="use1-az1")]
    result = replay(terms, incidents, "2024-03", "2024-03")
    assert [t.periods[0].downtime_minutes for t in result.tiers] == [0, 60]


@pytest.mark.parametrize(
    ("zones", "field", "message"),
    [
        ({"at_least": 4, "of": AZS}, "at_least", "4 of 3 zones can never be down"),
        ({"at_least": 0}, "at_least", "greater than or equal to 1"),
        ({"at_least": 2, "of": ["a", "A "]}, "of", "zone 'a' is listed twice"),
        ({"at_least": 1, "of": [" "]}, "of", "zone names must not be empty"),
    ],
)
def test_a_zone_rule_that_cannot_work_is_refused_naming_the_field(zones, field, message):
    with pytest.raises(ValidationError) as caught:
        contract(tier={"scope": {"zones": zones}})
    text = str(caught.value)
    assert message in text and field in text


def test_a_scope_without_a_zone_rule_keeps_its_content_hash():
    """The hash names stored versions and runs: a rule left out must not enter the terms."""
    plain = contract()
    assert "zones" not in plain.model_dump(mode="json")["tiers"][0]["scope"]
    assert plain.content_hash() != two_of_three().content_hash()
    assert plain.content_hash() == contract(tier={"scope": {"zones": None}}).content_hash()


def test_a_history_without_zones_is_replayed_with_a_note_that_each_incident_downs_the_region():
    incidents = [incident("2024-03-05T10:00", "2024-03-05T10:30")]
    result = replay(two_of_three(), incidents, "2024-03", "2024-03")
    assert period(result).downtime_minutes == 30
    assert result.notes == (
        "tier T: counts 2 zones down, but no incident it sees names a zone, so each takes every "
        "zone down; give the incidents a zone column (a workspace set imported before zones were "
        "kept has none: import its file again)",
    )
    zoned = [*incidents, incident("2024-03-06T10:00", "2024-03-06T10:30", zone="use1-az1")]
    assert replay(two_of_three(), zoned, "2024-03", "2024-03").notes == ()
