"""Rolling windows in the simulation (``measurement.window`` kind ``rolling``): each result row
measures the ``days`` before its period's end, as replay's rows do (measured_windows.py).

Windows overlap (365 days at each month end), so no slot belongs to one row. The horizon is cut
into cells at every calendar period bound and every window edge; the trials are measured once
per cell (``measure_intervals``), and a row sums the cells of its window. Every rule that is not
additive over cells is measured across them, as replay measures the whole stretch: minimum
downtime runs join across cuts, the maintenance allowance runs in time order through each
contract year (cells keep their calendar period's year). In service hours, the cells measure
only those hours and a row's minutes are the service minutes of its window
(``Horizon.period_micro``). Per-incident and support credits go to the row of their billing
period (billing_rows.py), not to the windows that cover them. Days before the simulated horizon
hold no incident: they count as up, as the replay of a dumped trial counts them.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import NDArray

from slamodeler.engine.horizon import Horizon, row_slots
from slamodeler.engine.interval_measure import IntervalIncidents, PeriodMeasure, measure_intervals
from slamodeler.engine.slot_rules import USUAL, SlotRules

I64 = NDArray[np.int64]


@dataclasses.dataclass(frozen=True)
class _Cells:
    horizon: Horizon  # one period per cell, each with its calendar period's year and term
    row_first: I64  # first cell of each row
    row_stop: I64  # cell after its last


_CELLS: dict[int, tuple[Horizon, _Cells]] = {}


def _cells(horizon: Horizon) -> _Cells:
    """The horizon cut at every period bound and window edge, built once per horizon (every
    block of a run measures on it, and ``measure_intervals`` keeps a lookup per horizon)."""
    cached = _CELLS.get(id(horizon))
    if cached is not None and cached[0] is horizon:
        return cached[1]
    grid = horizon.grid
    lo, hi = row_slots(horizon)
    cuts = np.unique(np.concatenate((horizon.period_starts, lo, hi)))
    cuts = cuts[cuts < grid.n]
    period = np.searchsorted(horizon.period_starts, cuts, side="right") - 1
    ends = np.append(cuts[1:], grid.n)
    periods = [
        dataclasses.replace(
            horizon.periods[p],
            start=grid.origin + int(a) * grid.slot_seconds,
            end=grid.origin + int(b) * grid.slot_seconds,
        )
        for p, a, b in zip(period.tolist(), cuts.tolist(), ends.tolist(), strict=True)
    ]
    cells = _Cells(
        dataclasses.replace(
            horizon,
            periods=periods,
            period_starts=cuts,
            years=[horizon.years[p] for p in period.tolist()],
            terms=[horizon.terms[p] for p in period.tolist()],
        ),
        np.searchsorted(cuts, lo),
        np.searchsorted(cuts, hi),
    )
    _CELLS.clear()  # one horizon at a time: a run measures one calendar
    _CELLS[id(horizon)] = (horizon, cells)
    return cells


def measure_rows(
    inc: IntervalIncidents,
    horizon: Horizon,
    slot_minutes: int,
    min_downtime_minutes: int,
    rules: SlotRules = USUAL,
) -> PeriodMeasure:
    """``measure_intervals`` per result row: per period, or per rolling window (trials x rows)."""
    if not horizon.windowed:
        return measure_intervals(inc, horizon, slot_minutes, min_downtime_minutes, rules)
    cells = _cells(horizon)
    m = measure_intervals(inc, cells.horizon, slot_minutes, min_downtime_minutes, rules)

    def by_row(values: I64) -> I64:
        running = np.zeros((values.shape[0], values.shape[1] + 1), np.int64)
        np.cumsum(values, axis=1, out=running[:, 1:])
        return running[:, cells.row_stop] - running[:, cells.row_first]

    return PeriodMeasure(by_row(m.downtime), by_row(m.excluded), by_row(m.below_minimum))
