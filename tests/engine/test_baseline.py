"""Baseline from history on a four-month history worked by hand (docs/baseline.md), and the
schedule moved with a candidate target."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slamodeler.domain.band_coverage import misses
from slamodeler.domain.credit_schedules import BandSchedule, LinearSchedule
from slamodeler.engine.baseline import (
    GRID,
    baseline,
    moved_tier,
    share_interval,
    suggested_target,
)
from slamodeler.engine.replay import replay
from tests.helpers.builders import contract, incident

# Jan (44,640 min): 60 min down; Feb: none; Mar (44,640): 600 min; Apr (43,200): 30 min.
HISTORY = [
    incident("2024-01-10T10:00:00", "2024-01-10T11:00:00"),
    incident("2024-03-05T00:00:00", "2024-03-05T10:00:00"),
    incident("2024-04-20T12:00:00", "2024-04-20T12:30:00"),
]
JAN = Fraction(100 * (44640 - 60), 44640)  # 99.8655913...
MAR = Fraction(100 * (44640 - 600), 44640)  # 98.6559139...
APR = Fraction(100 * (43200 - 30), 43200)  # 99.9305555...


def run(share: Fraction, targets=(Decimal("99.0"), Decimal("99.9"), Decimal("99.99")), **terms):
    return baseline(
        contract(**terms), HISTORY, share, targets, first="2024-01", last="2024-04"
    ).tiers[0]


def test_each_period_availability_is_the_one_replay_measures():
    found = run(Fraction(3, 4))
    assert [p.availability_pct for p in found.periods] == [JAN, Fraction(100), MAR, APR]
    replayed = replay(contract(), HISTORY, first="2024-01", last="2024-04").tiers[0].periods
    assert [p.availability_pct for p in found.periods] == [p.availability_pct for p in replayed]


def test_three_quarters_of_four_periods_is_the_third_best_rounded_down():
    found = run(Fraction(3, 4))
    assert (found.needed, found.deciding.period) == (3, "2024-01")
    assert found.suggested_percent == Decimal("99.8655")  # 99.86559... down to 4 decimals
    assert (found.met, found.met_share, found.tied) == (3, Fraction(3, 4), 1)


@pytest.mark.parametrize(
    ("share", "period", "target"),
    [
        (Fraction(1, 2), "2024-04", Decimal("99.9305")),
        (Fraction(51, 100), "2024-01", Decimal("99.8655")),  # ceil(2.04) = 3 periods
        (Fraction(1), "2024-03", Decimal("98.6559")),
        (Fraction(1, 100), "2024-02", Decimal("100.0000")),  # a period with no downtime
    ],
)
def test_the_share_picks_the_kth_best_period(share, period, target):
    found = run(share)
    assert (found.deciding.period, found.suggested_percent) == (period, target)


def test_at_or_below_a_target_exactly_reached_is_missed_so_the_grid_point_under_it():
    # Apr (43,200 min) with 432 minutes down: exactly 99.0%, the third best of four periods;
    # at_or_below misses a target of 99.0 there.
    history = [*HISTORY[:2], incident("2024-04-20T12:00:00", "2024-04-20T19:12:00")]
    terms = {"tier": {"credits": {**_bands(), "boundary": "at_or_below"}}}
    found = baseline(
        contract(**terms), history, Fraction(3, 4), (), first="2024-01", last="2024-04"
    ).tiers[0]
    assert found.deciding.availability_pct == 99
    assert found.suggested_percent == Decimal("98.9999")
    below = baseline(contract(), history, Fraction(3, 4), (), first="2024-01", last="2024-04")
    assert below.tiers[0].suggested_percent == Decimal("99.0000")


def test_ties_at_the_deciding_period_are_counted_and_raise_the_share_met():
    # Jan and Mar both 60 minutes down (31 days each): the 2nd and 3rd best tie.
    history = [HISTORY[0], incident("2024-03-05T00:00:00", "2024-03-05T01:00:00"), HISTORY[2]]
    found = baseline(
        contract(), history, Fraction(1, 2), (), first="2024-01", last="2024-04"
    ).tiers[0]
    # k = 2: Apr (99.93) is second best; at 75%, k = 3 lands on the tie of Jan and Mar
    assert found.deciding.period == "2024-04"
    tied = baseline(contract(), history, Fraction(3, 4), (), first="2024-01", last="2024-04")
    assert (tied.tiers[0].tied, tied.tiers[0].met) == (2, 4)
    assert tied.tiers[0].met_share == 1


def test_candidates_cost_what_the_shifted_bands_pay_by_hand():
    found = run(Fraction(3, 4))
    by_target = {c.target_pct: c for c in found.candidates}
    assert sorted(by_target) == [
        Decimal("99.0"),
        Decimal("99.8655"),
        Decimal("99.9"),
        Decimal("99.99"),
    ]
    # 99.9 (the contract's own bands): Jan 10% + Mar 25% of 1,000
    assert by_target[Decimal("99.9")].missed == ("2024-01", "2024-03")
    assert by_target[Decimal("99.9")].credit_per_customer == Decimal("350.00")
    # 99.0: bands 99.0 / 98.1 / 94.1: Mar (98.66) is in the first band only
    assert by_target[Decimal("99.0")].missed == ("2024-03",)
    assert by_target[Decimal("99.0")].credit_per_customer == Decimal("100.00")
    # 99.99: bands 99.99 / 99.09 / 95.09: Jan 10%, Mar 25%, Apr 10%
    assert by_target[Decimal("99.99")].missed == ("2024-01", "2024-03", "2024-04")
    assert by_target[Decimal("99.99")].credit_per_customer == Decimal("450.00")
    # the suggested 99.8655: bands 99.8655 / 98.9655 / 94.9655: Mar 25%
    suggested = by_target[Decimal("99.8655")]
    assert suggested.suggested and suggested.missed == ("2024-03",)
    assert suggested.credit_per_customer == Decimal("250.00")


def test_credits_for_all_customers_multiply_the_tier_customers():
    found = run(Fraction(3, 4), tier={"customers": 7})
    top = next(c for c in found.candidates if c.target_pct == Decimal("99.9"))
    assert top.credit_all_customers == Decimal("2450.00")


def test_the_distribution_reads_the_kth_best_for_each_share():
    found = run(Fraction(3, 4))
    assert found.reached_in(Fraction(1, 4)) == 100
    assert found.reached_in(Fraction(1)) == MAR
    assert found.mean_percent == (JAN + 100 + MAR + APR) / 4


def test_moving_the_target_shifts_band_ends_and_curve_points_alike():
    tier = contract().tiers[0]
    moved = moved_tier(tier, Decimal("99.5"))
    assert isinstance(moved.credits, BandSchedule)
    assert [b.below for b in moved.credits.bands] == [
        Decimal("99.5"),
        Decimal("98.6"),
        Decimal("94.6"),
    ]
    curve = contract(
        tier={
            "credits": {
                "kind": "linear",
                "points": [
                    {"availability_pct": 99.9, "credit_pct": 0},
                    {"availability_pct": 99.0, "credit_pct": 50},
                ],
            }
        }
    ).tiers[0]
    shifted = moved_tier(curve, Decimal("99.99"))
    assert isinstance(shifted.credits, LinearSchedule)
    assert [p.availability_pct for p in shifted.credits.points] == [
        Decimal("99.99"),
        Decimal("99.09"),
    ]


def test_a_suggested_target_is_the_grid_point_for_each_boundary():
    assert suggested_target(Fraction(9999, 100), "below") == Decimal("99.9900")
    assert suggested_target(Fraction(9999, 100), "at_or_below") == Decimal("99.9899")
    assert suggested_target(Fraction(2, 3) * 150, "below") == Decimal("100.0000")
    assert suggested_target(Fraction(299999, 3000), "below") == Decimal("99.9996")


def _bands():
    return {
        "kind": "bands",
        "bands": [
            {"below": 99.9, "credit_pct": 10},
            {"below": 99.0, "credit_pct": 25},
            {"below": 95.0, "credit_pct": 100},
        ],
    }


@st.composite
def histories(draw):
    """Up to 12 outages in 2024, each in a month, 0 to 3,000 minutes, full or partial."""
    out = []
    for month, day, minutes, impact in draw(
        st.lists(
            st.tuples(
                st.integers(1, 12),
                st.integers(1, 28),
                st.integers(0, 3000),
                st.sampled_from(["full", "partial"]),
            ),
            max_size=12,
        )
    ):
        start = datetime(2024, month, day, 3, tzinfo=UTC)
        end = start + timedelta(minutes=minutes)
        out.append(incident(start.isoformat(), end.isoformat(), impact))
    return out


@settings(max_examples=40, deadline=None)
@given(
    history=histories(),
    percent=st.integers(1, 100),
    boundary=st.sampled_from(["below", "at_or_below"]),
)
def test_the_suggested_target_is_the_highest_on_the_grid_met_in_the_share(
    history, percent, boundary
):
    share = Fraction(percent, 100)
    terms = contract(tier={"credits": {**_bands(), "boundary": boundary}})
    found = baseline(terms, history, share, (), first="2024-01", last="2024-12").tiers[0]
    values = [p.availability_pct for p in found.periods]
    need = max(1, -(-share * 12 // 1))

    def met(target: Decimal) -> int:
        return sum(not misses(a, target, boundary) for a in values)

    assert found.suggested_percent == found.suggested_percent.quantize(GRID)
    assert found.needed == need and met(found.suggested_percent) >= need
    assert met(found.suggested_percent + GRID) < need
    assert found.met == met(found.suggested_percent)


@pytest.mark.parametrize("n", [1, 4, 12, 54])
def test_the_share_interval_has_the_closed_form_at_the_ends(n):
    # all n met: P(all met | p) = p^n = 2.5% at the lower end; none met: the mirror image
    assert share_interval(n, n) == (pytest.approx(0.025 ** (1 / n), rel=1e-12), 1.0)
    assert share_interval(0, n) == (0.0, pytest.approx(1 - 0.025 ** (1 / n), rel=1e-12))


def test_the_share_interval_is_the_clopper_pearson_one():
    # 11 of 12: the lower end solves P(X >= 11 | p) = 2.5%, the upper P(X <= 11 | p) = 2.5%
    low, high = share_interval(11, 12)
    assert 12 * low**11 * (1 - low) + low**12 == pytest.approx(0.025, rel=1e-9)
    assert 1 - high**12 == pytest.approx(0.025, rel=1e-9)
    assert (round(low, 4), round(high, 4)) == (0.6152, 0.9979)
    mirrored = share_interval(1, 12)
    assert mirrored == (pytest.approx(1 - high), pytest.approx(1 - low))
