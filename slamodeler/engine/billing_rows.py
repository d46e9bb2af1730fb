"""Which result row a per-incident credit or a support miss goes to (docs/measurement.md,
section 1b). Each row bills a stretch of time, and an incident (by its first counted slot) or a
ticket (by its ``opened`` instant) is credited in the row whose stretch holds it, once. Without
a window a row bills its period; under a rolling window a row keeps its period's label and fee
and only measures availability over the days before its end, so it bills its period still;
under a claim window a claim bills the time since the previous claim (the first from the start
of the range). The one rule of replay and the simulation.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import NDArray

from slamodeler.engine.horizon import Horizon
from slamodeler.engine.periods import Period

I64 = NDArray[np.int64]


def billing_periods(horizon: Horizon) -> list[Period]:
    """The stretch each result row bills, with the row's label, fee, contract year and term:
    the horizon's period with the row's label (a window's reach before the range adds periods
    in front, which no row bills), or for a claim the time since the previous claim."""
    by_label = {p.label: p for p in horizon.periods}
    if all(row.label in by_label for row in horizon.rows):
        return [by_label[row.label] for row in horizon.rows]
    since = next(p.start for p in horizon.periods if p.label == horizon.range_labels[0])
    out = []
    for row in horizon.rows:  # claims, in time order
        out.append(dataclasses.replace(row, start=since))
        since = row.end
    return out


def row_of_slot(horizon: Horizon, slots: I64) -> I64:
    """The row billing the start of each slot (indexes of the horizon's grid); a slot no row
    bills is -1 before the range and the number of rows after a claim window's last claim, so
    the earliest of an incident's rows stays the earliest."""
    billed = billing_periods(horizon)
    if not billed:
        return np.zeros(len(slots), dtype=np.int64)  # no claim: past every (no) row
    grid = horizon.grid
    starts = np.array([(p.start - grid.origin) // grid.slot_seconds for p in billed], np.int64)
    end = (billed[-1].end - grid.origin) // grid.slot_seconds
    row = np.searchsorted(starts, slots, side="right") - 1
    return np.where(slots < end, row, len(billed)).astype(np.int64)
