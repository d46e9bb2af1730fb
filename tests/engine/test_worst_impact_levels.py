"""Replay's worst impact per slot measured a weight level at a time (``slots._by_level``) gives
what painting the incidents one by one gives: the weight of every slot and the incident it is
listed under (the earliest to start among the worst, the latest listed among equal starts)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from slamodeler.engine import slots
from slamodeler.engine.slots import TierIncidents, worst_impact

N = 40


@st.composite
def tier_incidents(draw: st.DrawFn) -> TierIncidents:
    k = draw(st.integers(0, 25))
    first = np.array(draw(st.lists(st.integers(0, N // 4), min_size=k, max_size=k)), dtype=np.int64)
    length = np.array(draw(st.lists(st.integers(0, 12), min_size=k, max_size=k)), dtype=np.int64)
    # starts within their first slot (60 s), ties likely; a few out of order (edges dropped)
    start = first * 60 + np.array(
        draw(st.lists(st.sampled_from([0, 0, 30, 59]), min_size=k, max_size=k))
    )
    if k and draw(st.integers(0, 4)) == 0:
        first = first.copy()
        first[draw(st.integers(0, k - 1))] += 1
    weights = draw(
        st.lists(st.sampled_from([0, 300_000, 420_000, 1_000_000]), min_size=k, max_size=k)
    )
    keep = draw(st.lists(st.booleans(), min_size=k, max_size=k))
    return TierIncidents(
        first=first,
        stop=np.minimum(first + length, N),
        start=start.astype(np.int64),
        weight=np.array(weights, dtype=np.int32),
        cause_excluded=np.array(keep, dtype=bool),
        maintenance=np.zeros(k, dtype=bool),
        ids=np.arange(k, dtype=np.int32) * 3,
    )


@given(tier_incidents(), st.booleans())
def test_level_by_level_gives_what_painting_one_by_one_gives(inc: TierIncidents, owners: bool):
    keep = ~inc.cause_excluded
    fast = worst_impact(N, inc, keep, owners)
    previous, slots._FEW_LEVELS = slots._FEW_LEVELS, -1
    try:
        painted = worst_impact(N, inc, keep, owners)
    finally:
        slots._FEW_LEVELS = previous
    assert fast[0].tolist() == painted[0].tolist()
    assert fast[1].tolist() == painted[1].tolist()


@given(st.lists(st.integers(-(2**31), 2**31 - 1), max_size=30))
def test_the_levels_are_the_distinct_weights_ascending(values: list[int]):
    weights = np.array(values, dtype=np.int32)
    levels = slots._distinct(weights)
    assert levels.tolist() == sorted(set(values))
    assert levels.dtype == np.int32


@given(st.lists(st.tuples(st.integers(0, N + 5), st.integers(1, 12)), min_size=1, max_size=20))
def test_the_slots_covered_are_those_some_incident_covers_below_the_grid_end(spans):
    spans.sort(key=lambda span: span[0])
    lo = np.array([first for first, _ in spans], dtype=np.int64)
    hi = lo + np.array([length for _, length in spans], dtype=np.int64)
    covered = slots._covered(lo, np.maximum.accumulate(hi), N)
    expected = sorted({s for first, length in spans for s in range(first, first + length) if s < N})
    assert covered.tolist() == expected
