"""Amazon S3's "issued only if the credit amount ... is greater than one dollar", replayed on
sample_contracts/real/aws_s3.yaml and checked by hand."""

from __future__ import annotations

from decimal import Decimal

from slamodeler.engine.replay import replay
from slamodeler.io.contract_file import load_contract
from tests.helpers.builders import incident
from tests.helpers.paths import SAMPLES

S3 = load_contract(SAMPLES / "real" / "aws_s3.yaml")


def test_a_credit_of_exactly_one_dollar_is_not_issued_but_two_fifty_is():
    history = [
        # April (43,200 min): all requests failing for 60 min = 12 slots of 5 min.
        # 100 x (43,200 - 60) / 43,200 = 99.8611% < 99.9: 10% of 10.00 = exactly 1.00.
        incident("2024-04-03T10:00", "2024-04-03T11:00", 1.0),
        # May (44,640 min): 40% of requests failing for 25 hours = 1,500 min x 0.4 = 600 min.
        # 100 x (44,640 - 600) / 44,640 = 98.656% < 99.0: 25% of 10.00 = 2.50.
        incident("2024-05-07T00:00", "2024-05-08T01:00", 0.4),
        # June: one failing 5-minute slot, 5 min: 99.988% meets 99.9, no credit at all.
        incident("2024-06-01T00:01", "2024-06-01T00:02", 1.0),
    ]
    april, may, june = replay(S3, history).tiers[0].periods
    assert (april.downtime_minutes, april.credit_pct) == (60, 10)
    assert april.credit_owed == Decimal("1.00")
    assert (april.below_min_credit, april.credit_after_caps) == (Decimal("1.00"), 0)
    assert (may.downtime_minutes, may.credit_pct, may.credit_after_caps) == (
        600,
        25,
        Decimal("2.50"),
    )
    assert may.below_min_credit == 0
    assert (june.downtime_minutes, june.credit_owed) == (5, 0)

    # Read "at least one dollar" instead, April's 1.00 would be issued.
    at_least = S3.model_copy(
        update={"claims": S3.claims.model_copy(update={"min_credit_rule": "at_least"})}
    )
    assert replay(at_least, history).tiers[0].periods[0].credit_after_caps == Decimal("1.00")
