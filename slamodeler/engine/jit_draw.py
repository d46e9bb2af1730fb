"""The drawing's bookkeeping as compiled loops (numba), imported only through
``compiled_kernels``, never at start-up; ``drawn_parts`` keeps the numpy steps as the
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


@njit(cache=True, nogil=True, inline="always")
def _pick(pick, j):
    """``drawn_parts.Pick`` of incident ``j``: (uniforms, cdf, lookup)."""
    uniforms, cdf, lookup = pick
    if uniforms.shape[0] == 0:
        return lookup[0]
    at = 0
    for e in range(cdf.shape[0] - 1):
        if uniforms[j] >= cdf[e]:
            at += 1
    return lookup[at]


@njit(cache=True, nogil=True)
def fill_part(counts, cells, cell_spans, variates, limit_minutes, picks, out, at):
    """A part's trial, start, end, impact, cause and source columns (``out``), from its
    incident ``at`` on, in one walk over its cells (``drawn_parts.Part``): ``cells_of``, the
    start from its uniform (or as given), the end from its minutes and the three picks, each of
    which numpy makes a pass and an array of."""
    bounds, seconds = cell_spans
    uniforms, starts, minutes = variates
    trial_o, start_o, end_o, impact_o, cause_o, source_o = out
    given = starts.shape[0] > 0
    j = 0
    for c in range(counts.shape[0]):
        t, m = c // cells, c % cells
        for _ in range(counts[c]):
            start = starts[j] if given else bounds[m] + np.int64(np.floor(uniforms[j] * seconds[m]))
            lasts = min(minutes[j], limit_minutes)
            k = at + j
            trial_o[k], start_o[k] = t, start
            end_o[k] = start + np.int64(np.rint(lasts * 60.0))
            impact_o[k] = _pick(picks[0], j)
            cause_o[k] = _pick(picks[1], j)
            source_o[k] = _pick(picks[2], j)
            j += 1
