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
    """The calendar period each result row bills: the horizon's periods of the range (a
    window's reach before the range adds periods in front, which no row bills)."""
    return horizon.periods[len(horizon.periods) - len(horizon.rows) :]


def row_of_period(horizon: Horizon, period: I64) -> I64:
    """The row billing each calendar period of the horizon (indexes), -1 for a period before
    the range (its credits belong to no replayed row)."""
    before = len(horizon.periods) - len(horizon.rows)
    return np.where(period >= before, period - before, -1).astype(np.int64)
