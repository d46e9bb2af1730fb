"""The 2008 Amazon EC2 SLA (sample_contracts/real/aws_ec2_2008.yaml): 99.95% over the trailing
365 days, measured at each month's end, with 10% of that month's bill as the credit;
hand-computed."""

from __future__ import annotations

from decimal import Decimal

from slamodeler.engine.replay import replay
from slamodeler.io.contract_file import load_contract
from tests.helpers.builders import incident
from tests.helpers.paths import SAMPLES

EC2 = load_contract(SAMPLES / "real" / "aws_ec2_2008.yaml")
HISTORY = [
    incident("2008-12-15T00:00", "2008-12-15T04:00"),  # 240 min, before the replayed year
    incident("2009-06-10T00:00", "2009-06-10T00:30"),  # 30 min
]
YEAR = 365 * 1440  # 525600 minutes in every window


def rows():
    return replay(EC2, HISTORY, first="2009-01", last="2009-12").tiers[0].periods


def test_each_month_names_the_365_days_it_measured():
    june = rows()[5]
    assert (june.period, june.start, june.end) == (
        "2009-06",
        "2008-07-01T00:00:00+00:00",
        "2009-07-01T00:00:00+00:00",
    )
    # 365 days back from 1 February 2009 crosses 29 February 2008.
    assert rows()[0].start == "2008-02-02T00:00:00+00:00"
    assert all(p.period_minutes == YEAR for p in rows())


def test_credit_while_the_trailing_year_holds_more_than_262_8_minutes():
    # 0.05% of 525600 minutes is 262.8: 240 minutes alone meet the target, 270 do not.
    by_month = {p.period: p for p in rows()}
    assert by_month["2009-05"].downtime_minutes == 240 and by_month["2009-05"].met_target
    june = by_month["2009-06"]
    assert june.downtime_minutes == 270
    assert june.availability_pct * YEAR == 100 * (YEAR - 270)
    # 10% of the bill of the Eligible Credit Period (the month): 10% of 2000.
    assert june.credit_owed == Decimal("200.00")
    # June to November hold both incidents; December's window starts on 1 January 2009.
    paid = [p.period for p in rows() if p.credit_owed]
    assert paid == ["2009-06", "2009-07", "2009-08", "2009-09", "2009-10", "2009-11"]
    assert by_month["2009-12"].downtime_minutes == 30


def test_the_explanation_lists_the_incident_from_before_the_range():
    june = rows()[5]
    assert [(s.id, s.counted_minutes) for s in june.incidents] == [
        (HISTORY[0].id, 240),
        (HISTORY[1].id, 30),
    ]
