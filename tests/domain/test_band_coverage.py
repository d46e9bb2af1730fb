"""Gaps and overlaps a band schedule's text leaves (domain/band_coverage.py): GitHub's exactly
99.0%, a target above the first band, a band whose stated lower end reaches into the next; and,
for random schedules, that every availability reported in a gap earns nothing while missing the
target, and every one that misses the target outside the gaps earns a band's credit."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from slamodeler.domain.band_coverage import Span, band_warnings, misses
from slamodeler.domain.credit_schedules import BandSchedule
from slamodeler.engine.credits import decide_credit
from tests.helpers.strategies import schedules

GITHUB = {
    "kind": "bands",
    "boundary": "at_or_below",
    "bands": [
        {"below": "99.9", "above": "99.0", "credit_pct": 10},
        {"below": "99.0", "upper_end": "excluded", "credit_pct": 25},
    ],
}


def messages(data: dict, target: str) -> list[str]:
    schedule = BandSchedule.model_validate(data)
    return [w.message for w in band_warnings(schedule, Decimal(target))]


def test_githubs_text_pays_nothing_at_exactly_99_0():
    assert messages(GITHUB, "99.9") == [
        "exactly 99.0% misses the target but falls in no band: it earns no credit"
    ]


def test_the_gap_closes_when_either_end_includes_99_0():
    closed = {
        **GITHUB,
        "bands": [{**GITHUB["bands"][0], "lower_end": "included"}, GITHUB["bands"][1]],
    }
    assert messages(closed, "99.9") == []
    plain = {**GITHUB, "bands": [GITHUB["bands"][0], {"below": "99.0", "credit_pct": 25}]}
    assert messages(plain, "99.9") == []  # the schedule's at_or_below reaches 99.0 itself


def test_a_target_above_the_first_band_leaves_a_stretch_unpaid():
    data = {"kind": "bands", "bands": [{"below": "99.9", "credit_pct": 10}]}
    assert messages(data, "99.95") == [
        "at or above 99.9% and below 99.95% miss the target but fall in no band: they earn no credit"
    ]


def test_a_lower_end_reaching_into_the_next_band_is_an_overlap():
    data = {
        "kind": "bands",
        "bands": [
            {"below": "99.9", "above": "98.0", "lower_end": "included", "credit_pct": 10},
            {"below": "99.0", "credit_pct": 25},
        ],
    }
    assert messages(data, "99.9") == [
        "at or above 98.0% and below 99.0% falls in bands 1 and 2: the lowest, band 2 (25%), is paid"
    ]


def test_nested_bands_without_lower_ends_are_neither_gaps_nor_overlaps():
    data = {
        "kind": "bands",
        "bands": [{"below": "99.9", "credit_pct": 10}, {"below": "99.0", "credit_pct": 25}],
    }
    assert messages(data, "99.9") == []


def test_a_lower_end_at_or_over_the_upper_end_is_refused_naming_the_field():
    data = {"kind": "bands", "bands": [{"below": "99.0", "above": "99.0", "credit_pct": 10}]}
    with pytest.raises(ValidationError, match="above"):
        BandSchedule.model_validate(data)


def test_a_band_written_as_before_dumps_as_before():
    band = BandSchedule.model_validate(
        {"kind": "bands", "bands": [{"below": "99.9", "credit_pct": 10}]}
    ).bands[0]
    assert set(band.model_dump()) == {"below", "credit_pct", "escalation"}


def inside(span: Span, availability: Fraction) -> bool:
    low_ok = availability > span.low or (span.low_included and availability == span.low)
    high_ok = availability < span.high or (span.high_included and availability == span.high)
    return low_ok and high_ok


@given(
    schedules().filter(lambda s: s["kind"] == "bands"),
    st.decimals(90, 100, places=2),
    st.lists(st.decimals(0, 100, places=4), max_size=5),
)
def test_the_gaps_are_exactly_where_replay_pays_nothing_after_a_miss(data, target, extra):
    schedule = BandSchedule.model_validate(data)
    gaps = [w.span for w in band_warnings(schedule, target) if not w.bands]
    ends = [b.below for b in schedule.bands] + [b.above for b in schedule.bands if b.above]
    probes = {Fraction(x) for x in [*ends, target, *extra]}
    probes |= {p + Fraction(1, 10**6) for p in probes} | {p - Fraction(1, 10**6) for p in probes}
    for availability in (p for p in probes if 0 <= p <= 100):
        decision = decide_credit(schedule, target, availability, Fraction(0), Fraction(1))
        gap = misses(availability, target, schedule.boundary) and decision.band is None
        assert gap == any(inside(span, availability) for span in gaps), availability
