"""``interval_measure.measure_intervals`` as one compiled sweep per trial (numba), imported only
through ``compiled_kernels``, never at start-up.

The numpy path makes a dozen passes over a block's edges, stretches, pieces and sub-pieces, each
an array; this walks each trial's few incidents once, in time order, and adds what it measures
straight into the totals. It gives the numpy path's totals integer for integer
(tests/engine/test_compiled_measure.py), for the usual slot rules and overlaps, a threshold,
windows, the allowance and the minimum downtime; the rest (added overlaps, zone quorums, service
hours, horizons of 2**25 slots or more, more than 2**11 distinct weights: what its sort keys
cannot hold) stays on the numpy path.

The same sweep measures rows that add incidents to a measured base (``measure_changes``: tiers in
distinct scopes over the incidents they share), from the gaps it notes in the base's trials
(``measure_marked``), and a drawn block whose sort keys were laid out straight from its parts
(``measure_laid``, after ``jit_draw.laid_part``: no counted columns between them).
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
    columns = (trial, first, stop, weight, klass)
    settings = (levels, class_sets, tables, rules, allowance)
    done, _, _, _ = _measure(columns, settings, totals, False)
    return done


# What ``measure_marked`` notes of a trial's sweep where nothing runs and a slot that nothing
# covers comes before the next incident's start (a gap: no rule carries anything across it but
# the allowance used; incidents that touch leave none), one row per gap and one at the trial's end: the index of the next incident's
# key among the trial's sorted keys (the number of keys at the end), the last slot covered so far
# plus one, the contract year of the last piece and its allowance used, and the period of the
# last piece with the totals added to it so far (downtime, excluded, below minimum).
MARK_KEY, MARK_REACH, MARK_YEAR, MARK_USED, MARK_PERIOD, MARK_SUMS = 0, 1, 2, 3, 4, 5
MARK_FIELDS = MARK_SUMS + 3


@njit(cache=True, nogil=True)
def measure_marked(
    trial, first, stop, weight, klass, levels, class_sets, tables, rules, allowance, totals
):
    """``measure_trials``, noting the sweep's state at each trial's gaps (``MARK_*``): what
    ``measure_changes`` starts from and rejoins. Returns its result, each trial's first key
    (then the keys' count), the trials' sorted keys, the marks and each trial's first mark
    (trials + 1)."""
    columns = (trial, first, stop, weight, klass)
    settings = (levels, class_sets, tables, rules, allowance)
    return _measure(columns, settings, totals, True)


@njit(cache=True, nogil=True)
def _measure(columns, settings, totals, marking):
    """``measure_trials``; ``marking``: ``measure_marked``."""
    trial, first, stop, weight, klass = columns
    levels, class_sets, tables, rules, allowance = settings
    n_trials = totals.shape[1]
    done, starts, laid, latest = _lay_out(
        trial, first, stop, weight, klass, levels, class_sets, tables[4], n_trials
    )
    if done != MEASURED:
        no_marks = (np.empty((0, MARK_FIELDS), np.int64), np.zeros(n_trials + 1, np.int64))
        return done, starts, laid, no_marks
    noted = _swept(laid, starts, latest, (levels, tables, rules, allowance), totals, marking)
    return MEASURED, starts, laid, noted


@njit(cache=True, nogil=True)
def measure_laid(keys, offsets, cells, dropped, latest, levels, tables, rules, allowance, totals):
    """``measure_trials`` on sort keys laid out already (``jit_draw.laid_part``: each trial's
    ``cells`` cells one after another, ``offsets`` each cell's first key then the keys' count),
    among them ``dropped`` keys of -1 (incidents that cover no slot or weigh nothing), taken
    out first; ``latest``: the latest first slot of the rest. The keys' levels index
    ``levels``; the rest of the arguments are ``measure_trials``'s."""
    n_trials = totals.shape[1]
    starts = _kept(keys, offsets, cells, n_trials) if dropped else offsets[::cells].copy()
    _swept(keys, starts, latest, (levels, tables, rules, allowance), totals, False)


@njit(cache=True, nogil=True)
def _kept(keys, offsets, cells, n_trials):
    """The keys of -1 taken out, the rest moved up in place; each trial's first key (then the
    keys' count)."""
    starts = np.empty(n_trials + 1, np.int64)
    kept = 0
    for t in range(n_trials):
        starts[t] = kept
        for i in range(offsets[t * cells], offsets[(t + 1) * cells]):
            if keys[i] >= 0:
                keys[kept] = keys[i]
                kept += 1
    starts[n_trials] = kept
    return starts


@njit(cache=True, nogil=True)
def _swept(laid, starts, latest, settings, totals, marking):
    """Each trial's keys (from ``starts[t]`` to ``starts[t + 1]`` of ``laid``) swept into
    ``totals``; ``marking``: the marks and each trial's first mark (``measure_marked``)."""
    levels, tables, rules, allowance = settings
    n_trials = totals.shape[1]
    marks = np.empty((laid.shape[0] + n_trials if marking else 0, MARK_FIELDS), np.int64)
    trial_marks = np.zeros(n_trials + 1, np.int64)
    fresh = np.zeros((2, n_trials), np.int64)
    fresh[0, :] = -1  # no contract year measured yet, no allowance used
    no_keys = np.empty(0, np.int64)
    rows = (starts, fresh, starts[1:], no_keys, no_keys)
    n_marks = _sweep(
        laid,
        rows,
        totals,
        levels,
        tables,
        _passed(tables[0], latest),
        rules,
        allowance,
        (marks, trial_marks if marking else no_keys),
        no_keys,
    )
    return marks[:n_marks], trial_marks


@njit(cache=True, nogil=True)
def _lay_out(trial, first, stop, weight, klass, levels, class_sets, n_slots, n_trials):
    """Each trial's incidents that cover a slot and weigh something, as sort keys laid out by
    trial and stretch of the horizon (``TIME_BUCKETS`` per trial), so that the sort by start
    left for each trial has little to do: (``MEASURED`` or why not, each trial's first key, the
    keys, the latest start). Counted in the pass that finds each weight's index in ``levels``
    (a count of the levels below it: a handful, where a binary search's branches go astray)."""
    shift = 0
    while n_slots >> shift >= TIME_BUCKETS:
        shift += 1
    cells = n_trials * TIME_BUCKETS
    offsets = np.zeros(cells + 1, np.int64)
    n = trial.shape[0]
    keys = np.empty(n, np.int64)
    if n_slots > SLOT_MASK or levels.shape[0] > LEVEL_MASK + 1:
        return UNFIT, offsets[::TIME_BUCKETS].copy(), keys, 0
    latest = 0
    n_levels = levels.shape[0]
    for i in range(n):
        w = weight[i]
        lo = 0
        for j in range(n_levels):
            lo += levels[j] < w
        if lo == n_levels or levels[lo] != w:
            return UNLISTED, offsets[::TIME_BUCKETS].copy(), keys, 0
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
    return MEASURED, offsets[::TIME_BUCKETS].copy(), laid, latest


@njit(cache=True, nogil=True)
def _passed(cuts, latest):
    """Per stretch of 2**cut_shift slots (a few thousand stretches up to the ``latest`` start),
    how many breakpoints lie at or before its first slot: where the search for the breakpoint
    past a piece's start can begin, rather than at the trial's first breakpoint; and
    cut_shift."""
    cut_shift = 0
    while latest >> cut_shift >= CUT_STRETCHES:
        cut_shift += 1
    passed = np.empty((latest >> cut_shift) + 1, np.int64)
    at = 0
    for g in range(passed.shape[0]):
        while at < cuts.shape[0] and cuts[at] <= g << cut_shift:
            at += 1
        passed[g] = at
    return passed, cut_shift


@njit(cache=True, nogil=True)
def _sweep(keys, rows, out, levels, tables, lookup, rules, allowance, noted, rejoined):
    """Rows of sorted keys swept (``measure_trials``), each one's amounts added into
    ``out[:, r]`` (3 x rows x periods).

    ``rows``: each row's first key in ``keys`` (then the keys' count), its starting allowance
    state (two rows: the contract year of its last piece, its allowance used), the
    key from which it may rejoin the base (``measure_changes``; the row's end: never), each
    key's index among the base's or -1, and each base key's mark where a gap comes before it,
    else -1. At a gap (``MARK_*``) the run of down slots in progress is closed (nothing can
    join it), and where ``noted`` holds each trial's first mark (else empty), the state is
    noted in its marks; from the rejoining key on, a row stops at a gap before a base key whose
    mark notes the same allowance state, that mark put in ``rejoined[r]`` (else -1). Returns
    the number of marks noted."""
    cuts, period_of, in_window, year_of, _ = tables
    slot_minutes, min_minutes, threshold = rules
    passed, cut_shift = lookup
    starts, state, rejoin_from, source, mark_of = rows
    marks, trial_marks = noted
    marking = trial_marks.shape[0] > 0
    short_runs = min_minutes > slot_minutes
    n_rows = starts.shape[0] - 1
    most = 0
    for r in range(n_rows):
        most = max(most, starts[r + 1] - starts[r])
    count = np.zeros((3, levels.shape[0]), np.int64)
    heap_t = np.empty(max(1, most), np.int64)  # the stops of the incidents running
    heap_k = np.empty(max(1, most), np.int64)  # and their keys
    # the run of down slots in progress: its end, its slots, and its periods and amounts in
    # each (a row each); shorter than ``min_slots`` slots, below the minimum downtime
    run = np.empty((2, out.shape[2]), np.int64)
    min_slots = -(-min_minutes // slot_minutes)
    n_marks = 0
    for r in range(n_rows):
        lo = starts[r]
        k = starts[r + 1] - lo
        if marking:
            trial_marks[r] = n_marks
        elif k == 0:
            continue
        s = keys[lo : lo + k]
        _sort(s, k)
        year, used = state[0, r], state[1, r]
        run_end, run_slots, run_parts = -1, 0, 0
        pos, h = 0, 0
        at = 0  # the stretch (between breakpoints) that holds ``now``, which only grows
        reach, last_period = -1, 0  # the last slot covered plus one; the last piece's period
        while pos < k or h > 0:
            key = s[pos] if pos < k else 0
            start = key >> START_AT
            if h == 0 and start > reach:  # a gap: nothing runs, nothing can join what ran
                _close_run(out, r, run, run_parts, run_slots < min_slots)
                run_slots, run_parts = 0, 0
                if marking:
                    _note(marks, n_marks, pos, reach, year, used, last_period, out, r)
                    n_marks += 1
                if lo + pos >= rejoin_from[r] and source[lo + pos] >= 0:
                    mark = mark_of[source[lo + pos]]
                    if mark >= 0 and _alike(
                        marks[mark],
                        year,
                        used,
                        allowance,
                        year_of[period_of[np.searchsorted(cuts, start, side="right")]],
                    ):
                        rejoined[r] = mark
                        break
            if h == 0 and (pos + 1 == k or s[pos + 1] >> START_AT >= (key >> STOP_AT) & SLOT_MASK):
                # alone (most incidents): nothing else runs from its start to its stop
                now, after = start, (key >> STOP_AT) & SLOT_MASK
                pos += 1
                reach = max(reach, after)
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
                    stop = (key >> STOP_AT) & SLOT_MASK
                    reach = max(reach, stop)
                    h = _push(heap_t, heap_k, h, stop, key)
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
                last_period = p
                eligible_slot = w_m if in_window[c] else w_m - w_nc
                c += 1
                eligible = eligible_slot * length
                if eligible == 0 and not short_runs:  # nothing to excuse: every slot counts
                    if allowance >= 0 and year_of[p] != year:
                        year, used = year_of[p], 0
                    out[1, r, p] += (w_all - w_m) * length
                    out[0, r, p] += w_m * length
                    a = b
                    continue
                if allowance < 0:
                    excused = eligible
                else:
                    if year_of[p] != year:
                        year, used = year_of[p], 0
                    excused = min(max(allowance - used, 0), eligible)
                    used += eligible
                out[1, r, p] += (w_all - w_m) * length + excused
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
                            _close_run(out, r, run, run_parts, run_slots < min_slots)
                            run_slots, run_parts = 0, 0
                        if run_parts and run[0, run_parts - 1] == p:
                            run[1, run_parts - 1] += counted * size
                        else:  # a run is in time order: at most one entry per period
                            run[0, run_parts], run[1, run_parts] = p, counted * size
                            run_parts += 1
                        run_slots += size
                        run_end = x + size
                    elif counted > 0:
                        out[0, r, p] += counted * size
                    x += size
                a = b
        _close_run(out, r, run, run_parts, run_slots < min_slots)
        if marking:
            _note(marks, n_marks, k, reach, year, used, last_period, out, r)
            n_marks += 1
    if marking:
        trial_marks[n_rows] = n_marks
    return n_marks


@njit(cache=True, nogil=True, inline="always")
def _note(marks, row, key, reach, year, used, period, out, t):
    """A gap's state in ``marks[row]`` (``MARK_*``)."""
    marks[row, MARK_KEY], marks[row, MARK_REACH] = key, reach
    marks[row, MARK_YEAR], marks[row, MARK_USED] = year, used
    marks[row, MARK_PERIOD] = period
    for j in range(3):
        marks[row, MARK_SUMS + j] = out[j, t, period]


@njit(cache=True, nogil=True, inline="always")
def _alike(mark, year, used, allowance, next_year):
    """Whether the allowance state (``year``, ``used``) excuses what follows a gap as the
    ``mark``'s does: no allowance; else, in the contract year of the next incident's start
    (later years start afresh in both), the same allowance left."""
    if allowance < 0:
        return True
    mine = min(used, allowance) if year == next_year else 0
    theirs = min(mark[MARK_USED], allowance) if mark[MARK_YEAR] == next_year else 0
    return mine == theirs


@njit(cache=True, nogil=True, inline="always")
def _close_run(out, t, run, parts, short):
    """A finished run's amounts (``run``: its periods, their amounts), as downtime or,
    ``short`` of the minimum, below it."""
    row = 2 if short else 0
    for j in range(parts):
        out[row, t, run[0, j]] += run[1, j]


@njit(cache=True, nogil=True)
def measure_changes(
    row_trial,
    row_first,
    first,
    stop,
    weight,
    klass,
    levels,
    class_sets,
    tables,
    rules,
    allowance,
    base,
    out,
):
    """Rows that each hold a trial's base incidents and some of their own (a scope's trial:
    ``shared_scopes``), measured from the base's sweep (``measure_marked``'s results: its
    totals, keys, marks): each row swept from the last gap before its first own incident to
    the first gap after its last where the allowance state is the base's again; what comes
    before and after is the base's, taken from its totals and the marks at both ends.

    Row r is trial ``row_trial[r]`` with incidents ``row_first[r]`` to ``row_first[r + 1]`` of
    the columns; its downtime and excluded time go in ``out[0, r]`` and ``out[1, r]`` (``out``:
    3 x rows x periods, zeros; ``out[2]`` holds only the swept part's time below the minimum,
    which nobody reads of a scope's rows). The other arguments and what it returns are
    ``measure_trials``'s (the base measured with the same ``levels``)."""
    totals, trial_first, laid, (marks, trial_marks) = base
    n_trials, n_periods = totals.shape[1], totals.shape[2]
    n_rows = row_trial.shape[0]
    if tables[4] > SLOT_MASK or levels.shape[0] > LEVEL_MASK + 1:
        return UNFIT
    mark_of = np.full(laid.shape[0], -1, np.int64)  # each base key's mark, where a gap precedes it
    for t in range(n_trials):
        lo = trial_first[t]
        for j in range(trial_marks[t], trial_marks[t + 1]):
            if marks[j, MARK_KEY] < trial_first[t + 1] - lo:
                mark_of[lo + marks[j, MARK_KEY]] = j
    # each row's own keys, sorted, and the mark it starts from: the last gap before its first
    # own incident's start (the trial's first mark, at its start, always is one)
    own = np.empty(max(1, row_first[n_rows] - row_first[0]), np.int64)
    own_at = np.zeros(n_rows + 1, np.int64)
    begin = np.full(n_rows, -1, np.int64)
    size = 0
    n_levels = levels.shape[0]
    for r in range(n_rows):
        m = own_at[r]
        for i in range(row_first[r], row_first[r + 1]):
            if stop[i] > first[i] and weight[i] > 0:
                lo = 0
                for j in range(n_levels):
                    lo += levels[j] < weight[i]
                if lo == n_levels or levels[lo] != weight[i]:
                    return UNLISTED
                own[m] = (
                    (first[i] << START_AT)
                    | (stop[i] << STOP_AT)
                    | (lo << LEVEL_AT)
                    | class_sets[klass[i]]
                )
                m += 1
        own_at[r + 1] = m
        if m == own_at[r]:
            continue
        _sort(own[own_at[r] : m], m - own_at[r])
        t = row_trial[r]
        j = trial_marks[t]
        while j + 1 < trial_marks[t + 1] and marks[j + 1, MARK_REACH] < own[own_at[r]] >> START_AT:
            j += 1
        begin[r] = j
        size += trial_first[t + 1] - trial_first[t] - marks[j, MARK_KEY]
        size += m - own_at[r]
    # each row's keys: the base's from its mark on, and its own, merged in order
    merged = np.empty(max(1, size), np.int64)
    source = np.empty(max(1, size), np.int64)  # a base key's index, or -1
    starts = np.zeros(n_rows + 1, np.int64)
    state = np.zeros((2, n_rows), np.int64)
    rejoin_from = np.zeros(n_rows, np.int64)
    n = 0
    for r in range(n_rows):
        starts[r] = n
        j = begin[r]
        if j < 0:
            continue
        t = row_trial[r]
        b, end = trial_first[t] + marks[j, MARK_KEY], trial_first[t + 1]
        i, m = own_at[r], own_at[r + 1]
        while b < end or i < m:
            if i == m or (b < end and laid[b] <= own[i]):
                merged[n], source[n] = laid[b], b
                b += 1
            else:
                merged[n], source[n] = own[i], -1
                i += 1
                rejoin_from[r] = n + 1
            n += 1
        state[0, r], state[1, r] = marks[j, MARK_YEAR], marks[j, MARK_USED]
    starts[n_rows] = n
    rejoined = np.full(n_rows, -1, np.int64)
    rows = (starts, state, rejoin_from, source, mark_of)
    no_marks = np.empty(0, np.int64)
    lookup = _passed(tables[0], tables[4])
    _sweep(merged, rows, out, levels, tables, lookup, rules, allowance, (marks, no_marks), rejoined)
    for r in range(n_rows):
        t, j, mark = row_trial[r], begin[r], rejoined[r]
        if j < 0:  # nothing of its own that weighs anything: the base's row
            out[0, r, :] = totals[0, t, :]
            out[1, r, :] = totals[1, t, :]
            continue
        since = marks[j, MARK_PERIOD]
        for row in range(2):
            for p in range(since):
                out[row, r, p] += totals[row, t, p]
            out[row, r, since] += marks[j, MARK_SUMS + row]
            if mark >= 0:  # what the base has from the mark rejoined on
                until = marks[mark, MARK_PERIOD]
                out[row, r, until] += totals[row, t, until] - marks[mark, MARK_SUMS + row]
                for p in range(until + 1, n_periods):
                    out[row, r, p] += totals[row, t, p]
    return MEASURED
