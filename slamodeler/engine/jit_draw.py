"""The drawing's bookkeeping, and what the measurement reads of drawn incidents, as compiled
loops (numba), imported only through ``compiled_kernels``, never at start-up; ``drawn_parts``
and ``counted_columns`` keep the numpy steps as the reference (tests/engine/test_compiled_draw.py
and test_compiled_measure.py hold them equal).

No kernel module calls a compiled function of another: numba's cache of a function checks only
its own file, so a function inlined from another file would stay compiled in as it was when
that file changed (tests/engine/test_compiled_draw.py checks the imports)."""

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


@njit(cache=True, nogil=True, inline="always")
def _cell_ends(counts):
    """Per incident of a part (and one past the last), how many of its cells end there, from
    the incidents per cell (``counts``): a walk over the incidents that adds them up knows each
    incident's cell without a loop per cell, whose exit (after 0, 1 or 2 incidents, at random)
    went mispredicted nearly every time, nor a division per cell or incident."""
    total = 0
    for c in range(counts.shape[0]):
        total += counts[c]
    ends = np.zeros(total + 1, np.int64)
    e = 0
    for c in range(counts.shape[0]):
        e += counts[c]
        ends[e] += 1
    return ends


@njit(cache=True, nogil=True, inline="always")
def _cell_of(ends, j, t, m, cells):
    """The trial and cell of incident ``j`` (``m``: a month, or the whole horizon), from those
    of the incident before (``t``, ``m``) and the cells that end at it (``_cell_ends``), ``cells``
    cells a trial."""
    m += ends[j]
    while m >= cells:  # past the trial's last cell
        m -= cells
        t += 1
    return t, m


@njit(cache=True, nogil=True, inline="always")
def _start_end(cell_spans, variates, limit_minutes, m, j):
    """Incident ``j``'s start and end (epoch seconds) in cell ``m`` of its trial (a month, or
    the whole horizon): at its uniform share of the cell (a whole second), or as given; its
    minutes at most ``limit_minutes``, rounded to the second."""
    bounds, seconds = cell_spans
    uniforms, starts, minutes = variates
    if starts.shape[0] > 0:
        start = starts[j]
    else:
        start = bounds[m] + np.int64(np.floor(uniforms[j] * seconds[m]))
    lasts = min(minutes[j], limit_minutes)
    return start, start + np.int64(np.rint(lasts * 60.0))


@njit(cache=True, nogil=True)
def fill_part(counts, cells, cell_spans, variates, limit_minutes, picks, out, at):
    """A part's trial, start, end, impact, cause and source columns (``out``), from its
    incident ``at`` on, in one walk over its incidents (``drawn_parts.Part``): ``cells_of``, the
    start from its uniform (or as given), the end from its minutes and the three picks, each of
    which numpy makes a pass and an array of."""
    trial_o, start_o, end_o, impact_o, cause_o, source_o = out
    ends = _cell_ends(counts)
    t, m = 0, 0
    for j in range(ends.shape[0] - 1):
        t, m = _cell_of(ends, j, t, m, cells)
        k = at + j
        trial_o[k] = t
        start_o[k], end_o[k] = _start_end(cell_spans, variates, limit_minutes, m, j)
        impact_o[k] = _pick(picks[0], j)
        cause_o[k] = _pick(picks[1], j)
        source_o[k] = _pick(picks[2], j)


@njit(cache=True, nogil=True)
def counted_part(counts, cells, cell_spans, variates, limit_minutes, picks, plan, out, at):
    """A part's trial, first counted slot, one past the last, weight and class (``out``), from
    its incident ``at`` on, in one walk over its incidents: ``fill_part`` and ``counted_columns``
    in one, without the start, end, impact, cause and source columns between them. ``plan``: the slot grid (origin, slot seconds, slots), the slot
    rule's counting code, the weight of each impact and the class of each cause."""
    grid, counting, impact_micro, cause_class = plan
    trial_o, first_o, stop_o, weight_o, klass_o = out
    ends = _cell_ends(counts)
    t, m = 0, 0
    for j in range(ends.shape[0] - 1):
        t, m = _cell_of(ends, j, t, m, cells)
        k = at + j
        start, end = _start_end(cell_spans, variates, limit_minutes, m, j)
        trial_o[k] = t
        first_o[k], stop_o[k] = counted_range(start, end, grid, counting)
        weight_o[k] = impact_micro[_pick(picks[0], j)]
        klass_o[k] = cause_class[_pick(picks[1], j)]


@njit(cache=True, nogil=True)
def laid_part(counts, cells, cell_spans, variates, limit_minutes, picks, plan, laid):
    """A part's incidents as the measurement's sort keys, each put at the next place of its
    trial's cell in ``laid`` (the keys, each cell's next place, the cells a trial: the part's
    own, or more where the part's one cell is its trial's whole horizon, whose incidents then
    go in the trial's first): ``counted_part`` and the measurement's lay-out (``jit_measure``)
    in one walk, without the counted columns between them. ``plan``: the slot grid, the
    counting code, the level of each impact's weight (-1: none), the sets of each cause, and
    where a key holds its first slot, its stop and its level (``jit_measure.START_AT``,
    ``STOP_AT``, ``LEVEL_AT``: given, as no kernel module reads another's). An incident that
    covers no slot or weighs nothing is put as -1. Returns how many were, and the latest first
    slot of the rest."""
    grid, counting, impact_level, cause_sets, (start_at, stop_at, level_at) = plan
    keys, fill, per_trial = laid
    ends = _cell_ends(counts)
    t, m = 0, 0
    dropped, latest = 0, 0
    for j in range(ends.shape[0] - 1):
        t, m = _cell_of(ends, j, t, m, cells)
        start, end = _start_end(cell_spans, variates, limit_minutes, m, j)
        first, stop = counted_range(start, end, grid, counting)
        level = impact_level[_pick(picks[0], j)]
        at = t * per_trial + m
        if stop > first and level >= 0:
            sets = cause_sets[_pick(picks[1], j)]
            keys[fill[at]] = (first << start_at) | (stop << stop_at) | (level << level_at) | sets
            latest = max(latest, first)
        else:
            keys[fill[at]] = -1
            dropped += 1
        fill[at] += 1
    return dropped, latest


@njit(cache=True, nogil=True, inline="always")
def _enough(slot, rel_start, rel_end, size, counting):
    """Whether an incident covers enough of ``slot`` to count in it (``SlotRules``)."""
    cover = min(rel_end, (slot + 1) * size) - max(rel_start, slot * size)
    return cover >= size if counting == 1 else 2 * cover > size


@njit(cache=True, nogil=True, inline="always")
def counted_range(start, end, grid, counting):
    """An incident's counted slots [first, stop) as ``SlotRules.counted_range`` gives them
    (``counting``: 0 for "any", 1 for "whole", 2 for "more_than_half"); ``grid``: the slot
    grid's origin, slot seconds and slots. The slots touched are the floor and the ceiling of
    the quotients by the slot seconds, taken in floating point, which pipelines where integer
    division does not: exact for seconds under 2**53 from the origin (a quotient that is not
    whole lies at least 1 / size from the next whole one, farther than its rounding error)."""
    origin, size, slots = grid
    rel_start, rel_end = start - origin, end - origin
    f = np.int64(np.floor(rel_start / size))
    s = np.int64(np.ceil(rel_end / size))
    if counting != 0:
        if not _enough(f, rel_start, rel_end, size, counting):
            f += 1
        if not _enough(s - 1, rel_start, rel_end, size, counting):
            s -= 1
    f = min(max(f, 0), slots)
    s = min(max(s, 0), slots)
    return f, (max(s, f) if end > start else f)


@njit(cache=True, nogil=True)
def counted_columns(start, end, impact, cause, impact_micro, cause_class, grid, counting):
    """What the sweep reads of drawn incidents, in one pass: each one's counted slots
    (``counted_range``), its weight (``impact_micro`` of its impact) and class (``cause_class``
    of its cause), where numpy makes a pass (and an array) of each step."""
    k = start.shape[0]
    first = np.empty(k, np.int64)
    stop = np.empty(k, np.int64)
    weight = np.empty(k, np.int64)
    klass = np.empty(k, np.int8)
    for i in range(k):
        first[i], stop[i] = counted_range(start[i], end[i], grid, counting)
        weight[i] = impact_micro[impact[i]]
        klass[i] = cause_class[cause[i]]
    return first, stop, weight, klass
