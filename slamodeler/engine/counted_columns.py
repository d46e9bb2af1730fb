"""What the measurement reads of drawn incidents: each one's counted slots, weight and class.

The compiled pass (``jit_draw.counted_columns``) gives them in one walk over the incidents;
numpy's steps (``SlotRules.counted_range`` and two look-ups, a dozen passes and arrays over a
block's incidents) stay the reference it is tested against and the path where numba cannot run.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from slamodeler.engine import compiled_kernels
from slamodeler.engine.slot_rules import SlotRules
from slamodeler.engine.slots import SlotGrid

I64 = NDArray[np.int64]
# ``SlotRules.counting``, as the compiled passes take it
COUNTING_CODES = {"any": 0, "whole": 1, "more_than_half": 2}


def counted_columns(
    start: I64,
    end: I64,
    weights: tuple[I64, I64, I64, NDArray[np.int8]],
    grid: SlotGrid,
    rules: SlotRules,
) -> tuple[I64, I64, I64, NDArray[np.int8]]:
    """First counted slot, one past the last, weight and class of each incident [start, end)
    (epoch seconds); ``weights``: each one's impact and cause, and per impact its weight, per
    cause its class."""
    impact, cause, impact_micro, cause_class = weights
    kernel = compiled_kernels.counted()
    if kernel is not None:
        found: tuple[I64, I64, I64, NDArray[np.int8]] = kernel(
            start,
            end,
            impact,
            cause,
            impact_micro,
            cause_class,
            grid_shape(grid),
            COUNTING_CODES[rules.counting],
        )
        return found
    first, stop = rules.counted_range(grid, start, end)
    return first, stop, impact_micro[impact], cause_class[cause]


def grid_shape(grid: SlotGrid) -> tuple[int, int, int]:
    """The slot grid as the compiled passes take it: origin, slot seconds, slots."""
    return int(grid.origin), int(grid.slot_seconds), int(grid.n)
