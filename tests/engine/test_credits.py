"""Hand-computed replays of the credit schedules (engine/credits.py, docs/measurement.md):
availability exactly at a band's threshold under both boundary rules, the lowest band hit,
and the linear, per-hour and fee-multiple schedules. Each expected number is worked out in the
comment beside it from the contract terms, not from the code."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from slamodeler.engine.replay import replay
from tests.helpers.builders import contract, incident
from tests.helpers.replay_results import only

D = Decimal


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
