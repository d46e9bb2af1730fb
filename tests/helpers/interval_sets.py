"""Random interval sets for the measurement kernels' tests (test_interval_kernels.py,
test_compiled_measure.py): incidents over a few trials at any slot or beside a breakpoint, with
few impact levels or many; and the switch to the numpy measurement path."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import strategies as st

from slamodeler.engine import compiled_kernels, interval_measure
from slamodeler.engine.horizon import Horizon
from slamodeler.engine.interval_measure import IntervalIncidents

WEIGHTS = [0, 1, 250_000, 300_000, 500_000, 999_999, 1_000_000]


def marks(horizon: Horizon) -> list[int]:
    """Slots where measurement cuts time (period bounds, window and service-hour edges) and
    their neighbours: where the kernels' edge cases are."""
    marks = interval_measure._breakpoints(horizon).tolist()
    return sorted({m + d for m in marks for d in (-1, 0, 1) if 0 <= m + d <= horizon.grid.n})


@st.composite
def interval_sets(
    draw, horizon: Horizon, zoned: bool = False, short: bool = False
) -> IntervalIncidents:
    """Up to 60 incidents over a few trials (many in one trial: wide packed digits), at any
    slot or beside a breakpoint, with few impact levels or many (several running sums);
    ``short``: each up to a few hours, some starting where the one before stops, so that a
    trial's incidents leave gaps between them, some touching."""
    n = horizon.grid.n
    slot = st.one_of(st.integers(0, n), st.sampled_from(marks(horizon)))
    if short:
        bounds: list[tuple[int, int]] = []
        for _ in range(draw(st.integers(0, 60))):
            # anywhere, or where the one before stops: touching it
            start = bounds[-1][1] if bounds and draw(st.booleans()) else draw(slot)
            stop = min(n, start + draw(st.one_of(st.integers(0, 12), st.integers(0, 300))))
            bounds.append((start, stop))
    else:
        bounds = draw(st.lists(st.tuples(slot, slot).map(sorted), max_size=60))
    k = len(bounds)
    n_trials = draw(st.integers(1, 4))
    weight = st.one_of(st.sampled_from(WEIGHTS), st.integers(1, 1_000_000))
    lists = {
        "trial": st.integers(0, n_trials - 1),
        "weight": weight,
        "klass": st.integers(0, 2),
        "zones": st.integers(0, 7),
    }
    cols = {key: draw(st.lists(s, min_size=k, max_size=k)) for key, s in lists.items()}
    return IntervalIncidents(
        n_trials=n_trials,
        trial=np.array(cols["trial"], dtype=np.int64),
        first=np.array([first for first, _ in bounds], dtype=np.int64),
        stop=np.array([stop for _, stop in bounds], dtype=np.int64),
        weight=np.array(cols["weight"], dtype=np.int64),
        klass=np.array(cols["klass"], dtype=np.int8),
        zones=np.array(cols["zones"], dtype=np.int64) if zoned else None,
        at_least=draw(st.integers(1, 3)) if zoned else 0,
    )


def numpy_measurement(monkeypatch: pytest.MonkeyPatch) -> None:
    """Measure on the numpy path (the reference), as where numba is missing: the sweep (of
    counted columns, or straight from drawn parts), the counted slots, weights and classes of
    drawn incidents (from their columns, or straight from their parts), each one's trial and
    month, and the pass that puts a block's drawn parts together."""
    monkeypatch.setattr(compiled_kernels, "measure", lambda: None)
    monkeypatch.setattr(compiled_kernels, "measure_laid", lambda: None)
    monkeypatch.setattr(compiled_kernels, "measure_over_base", lambda: None)
    monkeypatch.setattr(compiled_kernels, "counted", lambda: None)
    monkeypatch.setattr(compiled_kernels, "cells", lambda: None)
    monkeypatch.setattr(compiled_kernels, "parts", lambda: None)
    monkeypatch.setattr(compiled_kernels, "counted_parts", lambda: None)
