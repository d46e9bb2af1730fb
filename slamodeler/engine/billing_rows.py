"""Which result row a per-incident credit or a support miss goes to (docs/measurement.md,
section 1b): the row of the billing period the incident or ticket falls in. Without a window
a row is its period; under a rolling window a row keeps its period's label and fee and only
measures availability over the days before its end, so the credits of the period still go to
it. The one rule of replay and the simulation.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from slamodeler.engine.horizon import Horizon
from slamodeler.engine.periods import Period

I64 = NDArray[np.int64]


def billing_periods(horizon: Horizon) -> list[Period]:
    """The calendar period each result row bills: the horizon's period with the row's label (a
    window's reach before the range adds periods in front, which no row bills); a claim's row
    has no period of its own and stands for itself."""
    by_label = {p.label: p for p in horizon.periods}
    return [by_label.get(row.label, row) for row in horizon.rows]


def row_of_period(horizon: Horizon, period: I64) -> I64:
    """The row billing each calendar period of the horizon (indexes), -1 for a period no row
    bills (before the range, or any under a claim window)."""
    rows = {row.label: i for i, row in enumerate(horizon.rows)}
    billed = [rows.get(p.label, -1) for p in horizon.periods]
    return np.array(billed, dtype=np.int64)[period] if len(period) else period.astype(np.int64)
