"""The drawing's bookkeeping as compiled loops (numba), imported only through
``compiled_kernels``, never at start-up; ``outage_model`` keeps the numpy steps as the
reference (tests/engine/test_compiled_draw.py holds them equal)."""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def cells_of(counts, months):
    """The trial and month of every incident, from the incidents drawn per (trial, month)
    cell (``counts``, trial after trial): ``np.repeat`` of the cells' numbers by their counts,
    then a division of each, in one pass without the cells' array."""
    total = 0
    for c in range(counts.shape[0]):
        total += counts[c]
    trial = np.empty(total, np.int64)
    month = np.empty(total, np.int64)
    at = 0
    for c in range(counts.shape[0]):
        t, m = c // months, c % months
        for _ in range(counts[c]):
            trial[at], month[at] = t, m
            at += 1
    return trial, month
