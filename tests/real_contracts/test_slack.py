"""Slack's SLA (sample_contracts/real/slack.yaml): quarters of Slack's fiscal year, which starts
on 1 February, and credits of 10 times the fee for the downtime; hand-computed."""

from __future__ import annotations

from decimal import Decimal

from slamodeler.engine.replay import replay
from slamodeler.io.contract_file import load_contract
from tests.helpers.builders import incident
from tests.helpers.paths import SAMPLES

SLACK = load_contract(SAMPLES / "real" / "slack.yaml")
HISTORY = [
    incident("2024-01-20T10:00", "2024-01-20T11:00"),  # 60 min, fiscal Q4 of FY2024
    incident("2024-03-05T12:00", "2024-03-05T12:30"),  # 30 min, fiscal Q1 of FY2025
    incident("2024-04-10T02:00", "2024-04-10T04:00", cause="maintenance"),  # 120 min, excused
]


def test_fiscal_quarters_start_in_february_and_are_named_after_the_year_they_end_in():
    rows = replay(SLACK, HISTORY, first="FY2024-Q4", last="FY2025-Q1").tiers[0].periods
    assert [(p.period, p.start[:10], p.end[:10]) for p in rows] == [
        ("FY2024-Q4", "2023-11-01", "2024-02-01"),
        ("FY2025-Q1", "2024-02-01", "2024-05-01"),
    ]
    # November to January: 30 + 31 + 31 days; February (leap) to April: 29 + 31 + 30 days.
    assert [p.period_minutes for p in rows] == [132480, 129600]


def test_credit_is_ten_times_the_quarter_fee_for_the_downtime():
    q4, q1 = replay(SLACK, HISTORY, first="FY2024-Q4", last="FY2025-Q1").tiers[0].periods
    # A quarter's fee is three monthly fees: 3 x 1250 = 3750.
    # FY2024-Q4: 60 of 132480 minutes down: 10 x 3750 x 60 / 132480 = 16.983... -> 16.98.
    assert q4.downtime_minutes == 60 and q4.credit_owed == Decimal("16.98")
    # FY2025-Q1: the maintenance (120 min) is within the 600-minute allowance and leaves the
    # period: (129600 - 120 - 30) / (129600 - 120) = 99.9768% < 99.99%; the credit is
    # 10 x 3750 x 30 / 129600 = 8.680... -> 8.68.
    assert q1.excluded_minutes == 120 and q1.downtime_minutes == 30
    assert float(q1.availability_pct) == 100 * 129450 / 129480
    assert q1.credit_owed == Decimal("8.68")


def test_a_calendar_quarter_would_have_counted_both_incidents_together():
    calendar = SLACK.model_copy(
        update={"measurement": SLACK.measurement.model_copy(update={"year_starts": "january"})}
    )
    (q1,) = replay(calendar, HISTORY, first="2024-Q1", last="2024-Q1").tiers[0].periods
    assert q1.downtime_minutes == 90
