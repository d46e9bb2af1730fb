"""Fees by month with a claim window (``monthly_fees`` and measurement.window kind ``claim``):
a claim's fee is the sum over its days of each day's share of its month's fee (Cloudflare R2:
"the fees paid in the thirty days preceding" the claim). Checked by hand, against the per-slot
reference (rule 31a), and on simulated trials replayed."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.domain.contract import Contract
from slamodeler.engine.replay import replay
from slamodeler.io.fee_file import FeeRow, with_fee_rows
from slamodeler.services.period_explanation import explain_period
from tests.helpers.agreement import replay_agrees_with_reference, trials_replay_to_their_credits
from tests.helpers.builders import contract, incident, scenario
from tests.helpers.strategies import claim_contracts, incident_lists, scenarios

FEES = {"2025-02": 1200, "2025-03": 1500}


def claims_of(days: int, **tier) -> Contract:
    return contract(
        term={"start": "2025-01-01", "months": 12},
        measurement={"period": "month", "window": {"kind": "claim", "days": days}},
        tier={"monthly_fees": FEES, **tier},
    )


def test_a_claims_fee_is_each_days_share_of_its_months_fee():
    # The claim at 12:00 on 20 March 2025 (UTC) reaches back 30 days to 18 February 12:00:
    # 10.5 of February's 28 days and 19.5 of March's 31.
    down = incident("2025-03-20T11:00", "2025-03-20T12:00")  # 60 of 43,200 minutes: 10%
    (row,) = replay(claims_of(30), [down], first="2025-03", last="2025-03").tiers[0].periods
    fee = Fraction(1200) * Fraction(21, 56) + Fraction(1500) * Fraction(39, 62)
    assert fee == Fraction(1200 * 21, 56) + Fraction(1500 * 39, 62)  # 450 + 943.548...
    assert row.credit_pct == 10
    assert row.credit_after_caps == Decimal("139.35")  # 10% of 1,393.548...
    assert row.fee_note == (
        "fee 1,393.55 (2025-02 1,200 x 10.50/28 days + 2025-03 1,500 x 19.50/31 days)"
    )
    lines = explain_period(row).remedies
    assert "credit 10% of the " + row.fee_note in lines


def test_a_day_when_the_clocks_change_is_a_whole_day_of_its_months_fee():
    # New York springs forward on 10 March 2024: that day has 23 hours, March 743. The claim at
    # midnight EDT on 20 March (04:00 UTC) reaches back 720 hours to 23:00 EST on 18 February:
    # 1/24 of 18 February and the 11 days 19-29 February (11 1/24 of February's 29 days), and
    # the 19 days 1-19 March, the 23-hour 10 March among them (19 of March's 31 days). At 100 a
    # February day (2,900 / 29) and 200 a March day (6,200 / 31): 1,104.1666... + 3,800.
    terms = contract(
        timezone="America/New_York",
        term={"start": "2024-01-01", "months": 12},
        measurement={"period": "month", "window": {"kind": "claim", "days": 30}},
        tier={"monthly_fees": {"2024-02": 2900, "2024-03": 6200}},
    )
    down = incident("2024-03-20T03:00", "2024-03-20T04:00")  # 60 of 43,200 minutes: 10%
    (row,) = replay(terms, [down], first="2024-03", last="2024-03").tiers[0].periods
    assert row.fee_note == (
        "fee 4,904.17 (2024-02 2,900 x 11.04/29 days + 2024-03 6,200 x 19/31 days)"
    )
    assert row.credit_after_caps == Decimal("490.42")  # 10% of 4,904.1666..., half up
    replay_agrees_with_reference(terms, [down], "2024-03", "2024-03")


def test_a_month_with_a_skipped_day_shares_its_fee_over_the_days_it_had():
    # Apia (Samoa) went from 29 December 2011 (UTC-10) to 31 December (UTC+14): December had
    # 30 local days, each 1/30 of its fee. The claim at 21:00 UTC on 30 December is 11:00 on 31
    # December; its 30 days (720 hours) reach back to 21:00 UTC on 30 November, 11:00 local:
    # 13/24 of 30 November (1/30 of November's 3,000 a day: 54.1666...) and the 29 days 1-29
    # December with 11/24 of 31 December, 29 11/24 of December's 30 days at 6,000 / 30 = 200 a
    # day (5,891.666...): 5,945.8333..., 10% of it 594.58.
    terms = contract(
        timezone="Pacific/Apia",
        term={"start": "2011-01-01", "months": 12},
        measurement={"period": "month", "window": {"kind": "claim", "days": 30}},
        tier={"monthly_fees": {"2011-11": 3000, "2011-12": 6000}},
    )
    down = incident("2011-12-30T20:00", "2011-12-30T21:00")  # 60 of 43,200 minutes: 10%
    (row,) = replay(terms, [down], first="2011-12", last="2011-12").tiers[0].periods
    assert row.fee_note == (
        "fee 5,945.83 (2011-11 3,000 x 0.54/30 days + 2011-12 6,000 x 29.46/30 days)"
    )
    assert row.credit_after_caps == Decimal("594.58")
    replay_agrees_with_reference(terms, [down], "2011-12", "2011-12")


def test_days_before_the_term_start_cost_their_months_fee_unless_it_is_zero():
    # The claim at 11:00 on 10 January 2025 reaches back to 11:00 on 11 December 2024, before
    # term.start: 20 13/24 December days and 9 11/24 January days at 3,100 / 31 = 100 a day.
    # The calendar runs backwards, so December costs its fee (3,000, 10%: 300.00); a fee of 0
    # for December leaves the January days only (945.83..., 10%: 94.58).
    down = incident("2025-01-10T10:00", "2025-01-10T11:00")  # 60 of 43,200 minutes: 10%
    for december, credit in ((None, "300.00"), (0, "94.58")):
        fees = {} if december is None else {"2024-12": december, "2025-01": 3100}
        terms = claims_of(30, monthly_fee=3100, monthly_fees=fees)
        (row,) = replay(terms, [down], first="2025-01", last="2025-01").tiers[0].periods
        assert row.credit_after_caps == Decimal(credit)
        replay_agrees_with_reference(terms, [down], "2025-01", "2025-01")
    assert row.fee_note == ("fee 945.83 (2024-12 0 x 20.54/31 days + 2025-01 3,100 x 9.46/31 days)")


def test_simulated_claims_before_the_term_start_take_the_fees_of_their_days():
    terms = contract(
        term={"start": "2024-01-01", "months": 12},
        measurement={"period": "month", "window": {"kind": "claim", "days": 30}},
        tier={"monthly_fees": {"2023-12": 0, "2024-01": 5000}},
    )
    trials_replay_to_their_credits(terms, scenario(), 3, 10, [0, 4, 9])


def test_one_fee_for_every_month_keeps_the_claims_fee_of_the_fixed_fee():
    down = incident("2025-03-20T11:00", "2025-03-20T12:00")
    fixed = claims_of(30, monthly_fees={})
    same = claims_of(30, monthly_fees={"2025-02": 1000, "2025-03": 1000})
    a, b = (replay(t, [down], first="2025-03", last="2025-03").tiers[0].periods[0]
            for t in (fixed, same))  # fmt: skip
    assert a.credit_after_caps == b.credit_after_caps


def test_a_fee_file_prices_a_claim_window_by_its_months():
    down = incident("2025-03-20T11:00", "2025-03-20T12:00")
    rows = [FeeRow(2, "T", "2025-02", Decimal(1200)), FeeRow(3, "T", "2025-03", Decimal(1500))]
    terms = with_fee_rows(claims_of(30, monthly_fees={}), rows, "fees.csv")
    (row,) = replay(terms, [down], first="2025-03", last="2025-03").tiers[0].periods
    assert row.credit_after_caps == Decimal("139.35")


@st.composite
def claim_fee_contracts(draw) -> Contract:
    """A random claim-window contract whose fee varies by month."""
    data = draw(claim_contracts()).model_dump(mode="json")
    months = st.sampled_from([f"{y}-{m:02d}" for y in (2023, 2024, 2025) for m in range(1, 13)])
    data["tiers"][0]["monthly_fees"] = draw(
        st.dictionaries(months, st.decimals(0, 30000, places=2), min_size=1, max_size=16)
    )
    data["tiers"][0]["affected_share"] = draw(st.sampled_from(["1", "0.6"]))
    return Contract.model_validate(data)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(claim_fee_contracts(), incident_lists())
def test_replay_of_claim_fees_by_month_agrees_with_the_reference(terms, incidents):
    replay_agrees_with_reference(terms, incidents, "2024-02", "2024-04")


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(claim_fee_contracts(), scenarios(), st.integers(0, 2**32 - 1))
def test_a_trial_with_claim_fees_by_month_replays_to_its_credits(terms, scen, seed):
    trials_replay_to_their_credits(terms, scen, seed, 12, [0, 5, 11])


def test_simulated_claims_take_the_fees_of_their_days():
    terms = contract(
        measurement={"period": "month", "slot_minutes": 5, "window": {"kind": "claim", "days": 30}},
        tier={"monthly_fees": {"2024-02": 4000, "2024-03": 250, "2024-07": 9000}},
    )
    trials_replay_to_their_credits(terms, scenario(), 5, 10, [0, 4, 9])
