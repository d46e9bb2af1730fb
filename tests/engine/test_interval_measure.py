"""The slot lookups of interval measurement: tables of every slot for ordinary horizons, binary
search for horizons of decades (whose tables would take a second and hundreds of MB to build).
Both must measure every history alike, integer for integer; that the tables measure as replay
does is checked through the simulation (tests/engine/test_simulation.py)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.engine import interval_measure
from slamodeler.engine.horizon import Horizon
from slamodeler.engine.interval_measure import IntervalIncidents, measure_intervals
from slamodeler.io.contract_file import load_contract
from tests.helpers.builders import horizon_of
from tests.helpers.paths import SAMPLES
from tests.helpers.strategies import contracts


def edges(horizon: Horizon) -> list[int]:
    """Slots where measurement cuts time (period bounds, window edges), and their neighbours."""
    marks = [*horizon.period_starts, horizon.grid.n]
    if horizon.windows:
        bounds = np.asarray(horizon.windows, dtype=np.int64)
        for side in horizon.grid.index_range(bounds[:, 0], bounds[:, 1]):
            marks += side.tolist()
    return sorted({m + d for m in marks for d in (-1, 0, 1) if 0 <= m + d <= horizon.grid.n})


@st.composite
def incidents(draw, horizon: Horizon) -> IntervalIncidents:
    """Up to 40 incidents over a few trials, overlapping, starting and ending anywhere or on
    and beside the slots where measurement cuts time."""
    n = horizon.grid.n
    slot = st.one_of(st.integers(0, n), st.sampled_from(edges(horizon)))
    bounds = draw(st.lists(st.tuples(slot, slot).map(sorted), max_size=40))
    k = len(bounds)
    n_trials = draw(st.integers(1, 5))
    return IntervalIncidents(
        n_trials=n_trials,
        trial=np.array(draw(st.lists(st.integers(0, n_trials - 1), min_size=k, max_size=k))),
        first=np.array([first for first, _ in bounds], dtype=np.int64),
        stop=np.array([stop for _, stop in bounds], dtype=np.int64),
        weight=np.array(
            draw(st.lists(st.sampled_from([0, 250_000, 1_000_000]), min_size=k, max_size=k))
        ),
        klass=np.array(draw(st.lists(st.integers(0, 2), min_size=k, max_size=k)), dtype=np.int8),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(contracts(), st.integers(1, 4), st.data())
def test_searching_the_slots_measures_as_the_tables_do(monkeypatch, terms, months, data):
    horizon = horizon_of(terms, months)
    inc = data.draw(incidents(horizon))
    rules = (terms.measurement.slot_minutes, terms.measurement.min_downtime_minutes)
    monkeypatch.setattr(interval_measure, "TABLE_SLOTS", 10**9)
    interval_measure._LOOKUPS.clear()
    tables = measure_intervals(inc, horizon, *rules)
    monkeypatch.setattr(interval_measure, "TABLE_SLOTS", 0)
    interval_measure._LOOKUPS.clear()
    searched = measure_intervals(inc, horizon, *rules)
    for name in ("downtime", "excluded", "below_minimum"):
        assert np.array_equal(getattr(tables, name), getattr(searched, name)), name
    interval_measure._LOOKUPS.clear()


def test_a_horizon_of_decades_is_searched_not_tabled():
    """50 years of 1-minute slots: no table of 26 million entries is built."""
    terms = load_contract(SAMPLES / "three_tier_cloud.yaml")
    assert terms.measurement.slot_minutes == 1
    horizon = horizon_of(terms, 50 * 12)
    assert horizon.grid.n > interval_measure.TABLE_SLOTS
    lookup = interval_measure._SlotLookup(horizon)
    assert not hasattr(lookup, "_rank")
    starts = np.asarray(horizon.period_starts)[[1, 300, 599]]
    assert lookup.period_of(starts).tolist() == [1, 300, 599]
    assert lookup.period_of(starts - 1).tolist() == [0, 299, 598]
