"""``interval_measure.measure_intervals`` as one compiled sweep per trial (numba), imported only
through ``compiled_kernels``, never at start-up.

The numpy path makes a dozen passes over a block's edges, stretches, pieces and sub-pieces, each
an array; this walks each trial's few incidents once, in time order, and adds what it measures
straight into the totals. It gives the numpy path's totals integer for integer
(tests/engine/test_compiled_measure.py), for the usual slot rules and overlaps, a threshold,
windows, the allowance and the minimum downtime; the rest (added overlaps, zone quorums, service
hours, horizons of 2**25 slots or more, more than 2**11 distinct weights: what its sort keys
cannot hold) stays on the numpy path.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# Per incident, the sets it counts in besides "all": bit 1 for "m" (not excluded for a cause
# other than maintenance), bit 2 for "nc" (not excluded at all); interval_measure.CLASS_SETS
# gives them per class.
IN_M, IN_NC = 1, 2
MICRO = 1_000_000
# stretches of the horizon a trial's incidents are laid out by before they are sorted by start
TIME_BUCKETS = 32
# stretches of the horizon (up to the latest start) whose first breakpoint past is looked up
CUT_STRETCHES = 4096
# a trial's incidents sorted by insertion sort alone up to this many (Shell's sort above)
INSERTION_SORT_MAX = 64
# Each incident the sweep reads is one sort key, so that sorting moves one array and the sweep
# reads it in order, with nothing looked up elsewhere by the incident's number: its first
# counted slot from bit ``START_AT`` on, its stop from ``STOP_AT``, its weight's level from
# ``LEVEL_AT`` and its sets (``IN_M``, ``IN_NC``) in the two lowest bits. The slots must fit in
# the bits between (2**25: almost 64 years of minutes; a scenario spans at most 50) and the levels
# likewise (2**11), else the sweep measures nothing and says so (``UNFIT``).
START_AT, STOP_AT, LEVEL_AT = 38, 13, 2
SLOT_MASK, LEVEL_MASK = (1 << (START_AT - STOP_AT)) - 1, (1 << (STOP_AT - LEVEL_AT)) - 1
# what ``measure_trials`` returns (interval_measure reads the same numbers)
MEASURED, UNLISTED, UNFIT = 0, 1, 2


@njit(cache=True, nogil=True)
def _sort(keys, k):
    """Sort ``keys[:k]`` in place. Laid out by stretch of the horizon first, a trial's few
    incidents are nearly in order: insertion sort, one pass, up to ``INSERTION_SORT_MAX`` of
    them; Shell's sort (insertion sort on gaps that shrink to 1) above, so that a big trial
    does not take the square of its count."""
    gap = 1
    if k > INSERTION_SORT_MAX:
        while gap * 3 + 1 < k:
            gap = gap * 3 + 1
    while gap > 0:
        for a in range(gap, k):
            t = keys[a]
            b = a - gap
            while b >= 0 and keys[b] > t:
                keys[b + gap] = keys[b]
                b -= gap
            keys[b + gap] = t
        gap //= 3


@njit(cache=True, nogil=True, inline="always")
def _push(heap_t, heap_k, h, t, key):
    """Add stop ``t`` and its incident's sort ``key`` to the min-heap of ``h`` stops; returns
    the new size."""
    at = h
    while at > 0:
        up = (at - 1) >> 1
        if heap_t[up] <= t:
            break
        heap_t[at], heap_k[at] = heap_t[up], heap_k[up]
        at = up
    heap_t[at], heap_k[at] = t, key
    return h + 1


@njit(cache=True, nogil=True, inline="always")
def _pop(heap_t, heap_k, h):
    """Drop the earliest stop of the heap of ``h``; returns the new size."""
    h -= 1
    t, key = heap_t[h], heap_k[h]
    at = 0
    while True:
        child = 2 * at + 1
        if child >= h:
            break
        if child + 1 < h and heap_t[child + 1] < heap_t[child]:
            child += 1
        if heap_t[child] >= t:
            break
        heap_t[at], heap_k[at] = heap_t[child], heap_k[child]
        at = child
    heap_t[at], heap_k[at] = t, key
    return h


@njit(cache=True, nogil=True, inline="always")
def _count(count, key, step):
    """An incident (its sort ``key``) added to or taken from the counts of its level."""
    level = (key >> LEVEL_AT) & LEVEL_MASK
    count[0, level] += step
    if key & IN_M:
        count[1, level] += step
    if key & IN_NC:
        count[2, level] += step


@njit(cache=True, nogil=True, inline="always")
def _top(count, row, levels):
    """The highest level still covered in ``count[row]``, or 0."""
    for lv in range(levels.shape[0] - 1, -1, -1):
        if count[row, lv] > 0:
            return levels[lv]
    return 0


@njit(cache=True, nogil=True, inline="always")
def _weigh(w, threshold):
    """A worst weight after the threshold minutes rule (``threshold`` < 0: none)."""
    if threshold < 0:
        return w
    return MICRO if w > threshold else 0


@njit(cache=True, nogil=True)
def measure_trials(
    trial, first, stop, weight, klass, levels, class_sets, tables, rules, allowance, totals
):
    """``interval_measure.measure_intervals`` fused: each trial's incidents swept in time order
    (taken by start, their stops from a heap; an incident that overlaps no other, as most do,
    is a stretch of its own without the heap), each stretch between edges weighed (worst impact
    per set, the threshold), cut at breakpoints, its maintenance excused up to the contract
    year's ``allowance`` (< 0: none) slot by slot, its down slots joined into runs for the
    minimum downtime, and added into ``totals`` (downtime, excluded, below minimum; each
    trials x periods, micro-minutes).

    ``levels``: the distinct weights, sorted, which may be read from a sample of ``weight``:
    a weight not among them returns ``UNLISTED``, with nothing measured (``MEASURED`` once
    measured; ``UNFIT`` where the slots or the levels do not fit a sort key).
    ``class_sets``: per incident class, its sets (``IN_M``, ``IN_NC``).

    ``tables``: the breakpoints (sorted), and per stretch between them (``k``: from the
    ``k``-th breakpoint, or 0, to the next) its period and whether a window covers it, and per
    period its contract year: a few hundred entries, where tables of every slot would be
    megabytes read at random; and the horizon's slots. ``rules``: slot minutes, minimum
    downtime minutes, threshold in millionths (< 0: none)."""
    cuts, period_of, in_window, year_of, n_slots = tables
    slot_minutes, min_minutes, threshold = rules
    if n_slots > SLOT_MASK or levels.shape[0] > LEVEL_MASK + 1:
        return UNFIT
    n_trials = totals.shape[1]
    n = trial.shape[0]
    # each trial's incidents laid out by stretch of the horizon (``TIME_BUCKETS`` per trial),
    # so that the sort by start left for each trial has little to do; counted in the pass that
    # finds each weight's index in ``levels`` (a count of the levels below it: a handful, where
    # a binary search's branches go astray)
    shift = 0
    while n_slots >> shift >= TIME_BUCKETS:
        shift += 1
    cells = n_trials * TIME_BUCKETS
    offsets = np.zeros(cells + 1, np.int64)
    keys = np.empty(n, np.int64)
    latest = 0
    n_levels = levels.shape[0]
    for i in range(n):
        w = weight[i]
        lo = 0
        for j in range(n_levels):
            lo += levels[j] < w
        if lo == n_levels or levels[lo] != w:
            return UNLISTED
        keys[i] = (
            (first[i] << START_AT) | (stop[i] << STOP_AT) | (lo << LEVEL_AT) | class_sets[klass[i]]
        )
        if stop[i] > first[i] and w > 0:
            latest = max(latest, first[i])
            offsets[
                trial[i] * TIME_BUCKETS + min(max(first[i] >> shift, 0), TIME_BUCKETS - 1) + 1
            ] += 1
    for c in range(cells):
        offsets[c + 1] += offsets[c]
    fill = offsets[:-1].copy()
    laid = np.empty(max(1, offsets[cells]), np.int64)
    for i in range(n):
        if stop[i] > first[i] and weight[i] > 0:
            c = trial[i] * TIME_BUCKETS + min(max(first[i] >> shift, 0), TIME_BUCKETS - 1)
            laid[fill[c]] = keys[i]
            fill[c] += 1
    # per stretch of 2**cut_shift slots (a few thousand stretches up to the latest start),
    # how many breakpoints lie at or before its first slot: where the search for the
    # breakpoint past a piece's start can begin, rather than at the trial's first breakpoint
    cut_shift = 0
    while latest >> cut_shift >= CUT_STRETCHES:
        cut_shift += 1
    passed = np.empty((latest >> cut_shift) + 1, np.int64)
    at = 0
    for g in range(passed.shape[0]):
        while at < cuts.shape[0] and cuts[at] <= g << cut_shift:
            at += 1
        passed[g] = at
    count = np.zeros((3, levels.shape[0]), np.int64)
    heap_t = np.empty(max(1, n), np.int64)  # the stops of the incidents running
    heap_k = np.empty(max(1, n), np.int64)  # and their keys
    # the run of down slots in progress: its end, its slots, and its amounts per period
    run_period = np.empty(totals.shape[2], np.int64)
    run_amount = np.empty(totals.shape[2], np.int64)
    short_runs = min_minutes > slot_minutes
    for t in range(n_trials):
        lo = offsets[t * TIME_BUCKETS]
        k = offsets[(t + 1) * TIME_BUCKETS] - lo
        if k == 0:
            continue
        s = laid[lo : lo + k]
        _sort(s, k)
        year, used = -1, 0  # the contract year of the last piece, and its allowance used
        run_end, run_slots, run_parts = -1, 0, 0
        pos, h = 0, 0
        at = 0  # the stretch (between breakpoints) that holds ``now``, which only grows
        while pos < k or h > 0:
            key = s[pos] if pos < k else 0
            start = key >> START_AT
            if h == 0 and (pos + 1 == k or s[pos + 1] >> START_AT >= (key >> STOP_AT) & SLOT_MASK):
                # alone (most incidents): nothing else runs from its start to its stop
                now, after = start, (key >> STOP_AT) & SLOT_MASK
                pos += 1
                top = levels[(key >> LEVEL_AT) & LEVEL_MASK]
                top_m = top if key & IN_M else 0
                top_nc = top if key & IN_NC else 0
            else:
                now = start if pos < k and (h == 0 or start < heap_t[0]) else heap_t[0]
                while h > 0 and heap_t[0] == now:
                    _count(count, heap_k[0], -1)
                    h = _pop(heap_t, heap_k, h)
                while pos < k and s[pos] >> START_AT == now:
                    key = s[pos]
                    _count(count, key, 1)
                    h = _push(heap_t, heap_k, h, (key >> STOP_AT) & SLOT_MASK, key)
                    pos += 1
                if h == 0:  # nothing runs until the next start, if any
                    continue
                start = s[pos] >> START_AT if pos < k else 0
                after = start if pos < k and start < heap_t[0] else heap_t[0]
                top = _top(count, 0, levels)
                top_m, top_nc = _top(count, 1, levels), _top(count, 2, levels)
            w_all = _weigh(top, threshold)
            if w_all == 0:
                continue
            w_all *= slot_minutes
            w_m = _weigh(top_m, threshold) * slot_minutes
            w_nc = _weigh(top_nc, threshold) * slot_minutes
            if at < cuts.shape[0] and cuts[at] <= now:
                at = max(at, passed[min(now >> cut_shift, passed.shape[0] - 1)])
                while at < cuts.shape[0] and cuts[at] <= now:
                    at += 1
            c, a = at, now
            while a < after:  # the pieces between breakpoints
                b = cuts[c] if c < cuts.shape[0] and cuts[c] < after else after
                length = b - a
                p = period_of[c]
                eligible_slot = w_m if in_window[c] else w_m - w_nc
                c += 1
                eligible = eligible_slot * length
                if eligible == 0 and not short_runs:  # nothing to excuse: every slot counts
                    if allowance >= 0 and year_of[p] != year:
                        year, used = year_of[p], 0
                    totals[1, t, p] += (w_all - w_m) * length
                    totals[0, t, p] += w_m * length
                    a = b
                    continue
                if allowance < 0:
                    excused = eligible
                else:
                    if year_of[p] != year:
                        year, used = year_of[p], 0
                    excused = min(max(allowance - used, 0), eligible)
                    used += eligible
                totals[1, t, p] += (w_all - w_m) * length + excused
                # the piece's slots: excused in full, one in part, the rest not at all
                full, rest = length, 0
                if excused < eligible:
                    full = excused // eligible_slot if eligible_slot > 0 else 0
                    rest = excused - full * eligible_slot
                x = a
                for part in range(3):
                    if part == 0:
                        size, counted = full, w_m - eligible_slot
                    elif part == 1:
                        size, counted = (1 if rest > 0 else 0), w_m - rest
                    else:
                        size, counted = length - full - (1 if rest > 0 else 0), w_m
                    if size <= 0:
                        continue
                    if counted > 0 and short_runs:
                        if x != run_end:  # a new run: the one before is done
                            _close_run(
                                totals,
                                t,
                                run_period,
                                run_amount,
                                run_parts,
                                run_slots * slot_minutes < min_minutes,
                            )
                            run_slots, run_parts = 0, 0
                        if run_parts and run_period[run_parts - 1] == p:
                            run_amount[run_parts - 1] += counted * size
                        else:  # a run is in time order: at most one entry per period
                            run_period[run_parts], run_amount[run_parts] = p, counted * size
                            run_parts += 1
                        run_slots += size
                        run_end = x + size
                    elif counted > 0:
                        totals[0, t, p] += counted * size
                    x += size
                a = b
        _close_run(
            totals, t, run_period, run_amount, run_parts, run_slots * slot_minutes < min_minutes
        )
    return MEASURED


@njit(cache=True, nogil=True, inline="always")
def _close_run(totals, t, run_period, run_amount, parts, short):
    """A finished run's amounts, as downtime or, shorter than the minimum, below it."""
    row = 2 if short else 0
    for j in range(parts):
        totals[row, t, run_period[j]] += run_amount[j]
