"""The measurement rules of docs/measurement.md on intervals instead of slots, vectorised over
many simulated histories at once.

Replay walks the slots a history touches; a simulation has millions of short histories, so this
module works on the pieces of time where nothing changes (between incident edges, period bounds
and window bounds). It gives, integer for integer, what replay gives for the same incidents:
worst impact per slot, cause exclusions, windows, the allowance in time order (down to the slot
where it runs out), minimum downtime runs, and totals per period in micro-minutes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from slamodeler.engine.horizon import Horizon
from slamodeler.engine.slot_rules import USUAL, SlotRules
from slamodeler.engine.slots import MICRO
from slamodeler.engine.zone_quorum import quorum_down

I64 = NDArray[np.int64]

# Incident classes, as the contract's exclusions see them.
COUNTS, EXCLUDED_CAUSE, MAINTENANCE = 0, 1, 2


@dataclass(frozen=True)
class IntervalIncidents:
    """Incidents of ``n_trials`` histories: trial index, slot range [first, stop), weight in
    millionths and class (COUNTS, EXCLUDED_CAUSE or MAINTENANCE)."""

    n_trials: int
    trial: I64
    first: I64
    stop: I64
    weight: I64
    klass: NDArray[np.int8]
    # k of n zones (zone_quorum.py): each incident's zone bits (0: every zone), and the k
    zones: I64 | None = None
    at_least: int = 0


@dataclass(frozen=True)
class PeriodMeasure:
    """Per trial and period (shape trials x periods), micro-minutes: downtime that counts,
    excluded time, and downtime dropped by the minimum-downtime rule."""

    downtime: I64
    excluded: I64
    below_minimum: I64


def measure_intervals(
    inc: IntervalIncidents,
    horizon: Horizon,
    slot_minutes: int,
    min_downtime_minutes: int,
    rules: SlotRules = USUAL,
) -> PeriodMeasure:
    """``inc`` gives each incident's slots as counted by ``rules`` (``SlotRules.counted_range``);
    the rules' overlaps and threshold apply here."""
    n_periods = len(horizon.periods)
    shape = (inc.n_trials, n_periods)
    zeros = np.zeros(shape, dtype=np.int64)
    seg = _segments_of(inc, horizon.grid.n, rules)
    if seg is None:
        return PeriodMeasure(zeros, zeros.copy(), zeros.copy())

    parts = _measured_pieces(seg, horizon, slot_minutes, min_downtime_minutes)
    sub, short, pieces = parts.sub, parts.short, parts.pieces
    amount = sub.counted * sub.length

    cells = inc.n_trials * n_periods
    sub_key = sub.trial * n_periods + sub.period
    piece_key = pieces.trial * n_periods + parts.period
    downtime = _sum(sub_key[~short], amount[~short], cells)
    below = _sum(sub_key[short], amount[short], cells)
    excluded = _sum(piece_key, (parts.w_all - parts.w_m) * parts.length + parts.excused, cells)
    return PeriodMeasure(downtime.reshape(shape), excluded.reshape(shape), below.reshape(shape))


def _segments_of(inc: IntervalIncidents, n_slots: int, rules: SlotRules) -> _Segments | None:
    """The stretches of constant weight of the incidents that weigh something; None when no
    slot weighs anything (or is above the threshold)."""
    keep = (inc.stop > inc.first) & (inc.weight > 0)
    if not keep.any():
        return None
    trial, first, stop = inc.trial[keep], inc.first[keep], inc.stop[keep]
    weight, klass = inc.weight[keep], inc.klass[keep]
    quorum = None if inc.zones is None else (inc.zones[keep], inc.at_least)
    seg = _worst_impact_segments(trial, first, stop, weight, klass, n_slots, rules, quorum)
    return seg if len(seg.trial) else None


@dataclass(frozen=True)
class _Pieces:
    """The measured pieces of time of every trial, in time order within each trial: per piece
    its period, length, weights per slot (micro-minutes) and the maintenance it excuses; its
    sub-pieces (split where the allowance runs out), and which of them lie in runs shorter than
    the minimum downtime."""

    pieces: _Segments
    period: I64
    length: I64
    w_all: I64
    w_m: I64
    excused: I64
    sub: _SubPieces
    short: NDArray[np.bool_]


def _measured_pieces(
    seg: _Segments, horizon: Horizon, slot_minutes: int, min_downtime_minutes: int
) -> _Pieces:
    """The rules that follow the worst impact (windows, allowance, minimum downtime) on the
    stretches ``seg``, cut at the horizon's breakpoints."""
    lookup = _lookup(horizon)
    pieces = _closed_hours_cleared(_split(seg, lookup), lookup)
    period = lookup.period_of(pieces.start)
    in_window = lookup.in_window(pieces.start)
    length = pieces.stop - pieces.start
    w_all, w_m, w_nc = (w * slot_minutes for w in (pieces.w_all, pieces.w_m, pieces.w_nc))

    per_slot_eligible = np.where(in_window, w_m, w_m - w_nc)
    eligible = per_slot_eligible * length
    year = np.asarray(horizon.years, dtype=np.int64)[period]
    excused = _allowance(pieces.trial, year, eligible, horizon.allowance_micro)

    sub = _excuse_slots(pieces.trial, pieces.start, length, period, w_m, per_slot_eligible, excused)
    short = _short_runs(sub, slot_minutes, min_downtime_minutes)
    return _Pieces(pieces, period, length, w_all, w_m, excused, sub, short)


def measure_spans(
    inc: IntervalIncidents,
    horizon: Horizon,
    slot_minutes: int,
    min_downtime_minutes: int,
    rules: SlotRules,
    row: I64,
    lo: I64,
    hi: I64,
) -> tuple[I64, I64]:
    """Downtime and excluded micro-minutes of trial ``row[k]`` over slots [lo[k], hi[k]), for
    every k: spans of each trial's own (claim windows), measured on the horizon's calendar as
    ``measure_intervals`` measures it (runs and the allowance across the whole stretch)."""
    zeros = np.zeros(len(row), dtype=np.int64)
    seg = _segments_of(inc, horizon.grid.n, rules)
    if seg is None or not len(row):
        return zeros, zeros.copy()
    parts = _measured_pieces(seg, horizon, slot_minutes, min_downtime_minutes)
    sub = parts.sub
    down = np.where(parts.short, 0, sub.counted)
    # excused time is the piece's worst weight less what counts of it, slot by slot
    excluded = parts.w_all[sub.piece] - sub.counted
    stride = horizon.grid.n + 1
    keys = sub.trial * stride + sub.start

    def spans(per_slot: I64) -> I64:
        before = np.concatenate(([0], np.cumsum(per_slot * sub.length)))

        def upto(t: I64) -> I64:
            """Everything before slot ``t`` of row ``row``, and all of every earlier trial."""
            k = np.searchsorted(keys, row * stride + t, side="right") - 1
            at = np.maximum(k, 0)
            inside = np.clip(t - sub.start[at], 0, sub.length[at])
            part = np.where(sub.trial[at] == row, inside, sub.length[at]) * per_slot[at]
            return np.where(k >= 0, before[at] + part, 0)

        return upto(hi) - upto(lo)

    return spans(down), spans(excluded)


def _sum(key: I64, values: I64, size: int) -> I64:
    """Exact integer sums by key: every total is a period's micro-minutes, far below 2**53."""
    return np.rint(np.bincount(key, weights=values, minlength=size)).astype(np.int64)


@dataclass(frozen=True)
class _Segments:
    """Pieces of time in one trial over which every weight is constant."""

    trial: I64
    start: I64
    stop: I64
    w_all: I64
    w_m: I64
    w_nc: I64


def _worst_impact_segments(
    trial: I64,
    first: I64,
    stop: I64,
    weight: I64,
    klass: NDArray[np.int8],
    n_slots: int,
    rules: SlotRules,
    quorum: tuple[I64, int] | None = None,
) -> _Segments:
    """Largest weight on each stretch between incident edges, among all incidents (w_all), those
    not excluded for a cause other than maintenance (w_m), and those not excluded at all (w_nc);
    or, with ``overlaps: add``, their sum (at most 1); then the threshold, if any.

    A layer cake: with the distinct weights L1 < L2 < ..., the worst weight is the sum over
    levels of (Lk - Lk-1) for every level still covered by an incident at least that bad.
    """
    stride = n_slots + 1
    keys = np.concatenate((trial * stride + first, trial * stride + stop))
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    last = np.flatnonzero(np.append(keys[1:] != keys[:-1], True))  # last event at each edge
    levels = np.unique(weight)
    steps = np.diff(levels, prepend=0)
    # per event in time order: its incident's level and class, +1 at a start, -1 at a stop
    incident = order % len(trial)
    level = np.searchsorted(levels, weight)[incident]
    kind = klass[incident]
    sign = np.where(order < len(trial), 1, -1)
    if quorum is not None:  # a slot is down in full or not, whatever the impacts
        bits, at_least = quorum[0][incident], quorum[1]
        cake = functools.partial(quorum_down, bits=bits, sign=sign, last=last, at_least=at_least)
    elif rules.adds:
        cake = functools.partial(_added, weight=weight[incident] * sign, last=last)
    else:
        cake = functools.partial(_layer_cake, level=level, steps=steps, sign=sign, last=last)
    worst = {"all": cake(None)}
    not_other = klass != EXCLUDED_CAUSE
    worst["m"] = worst["all"] if not_other.all() else cake(kind != EXCLUDED_CAUSE)
    worst["nc"] = worst["m"] if np.array_equal(klass == COUNTS, not_other) else cake(kind == COUNTS)
    worst = {name: rules.threshold(w) for name, w in worst.items()}
    edge_trial, edge_pos = np.divmod(keys[last], stride)
    # A stretch runs from one edge to the next in the same trial; past the last edge, nothing.
    useful = np.flatnonzero(worst["all"][:-1] > 0)
    return _Segments(
        trial=edge_trial[useful],
        start=edge_pos[useful],
        stop=edge_pos[useful + 1],
        w_all=worst["all"][useful],
        w_m=worst["m"][useful],
        w_nc=worst["nc"][useful],
    )


def _layer_cake(
    members: NDArray[np.bool_] | None, level: I64, steps: I64, sign: I64, last: I64
) -> I64:
    """Worst weight among ``members`` (None: every incident) after each edge, from the events
    in time order: the steps of the levels still covered."""
    total = np.zeros(len(last), dtype=np.int64)
    for k, step in enumerate(steps.tolist()):
        at_level = level >= k if members is None else members & (level >= k)
        total += step * (np.cumsum(np.where(at_level, sign, 0))[last] > 0)
    return total


def _added(members: NDArray[np.bool_] | None, weight: I64, last: I64) -> I64:
    """Weights of ``members`` (None: every incident) added up after each edge, at most 1, from
    the events in time order (``weight`` is negative at a stop)."""
    change = weight if members is None else np.where(members, weight, 0)
    return np.minimum(np.cumsum(change)[last], MICRO)


TABLE_SLOTS = 4_000_000  # up to this many slots (7.6 years of minutes), tables of every slot


class _SlotLookup:
    """Per slot index: how many breakpoints (period bounds, window edges) lie at or before it,
    its period, and whether it overlaps a maintenance window. Looked up in tables of every slot
    of the horizon, or, for a horizon of more than ``TABLE_SLOTS`` slots (decades of minutes:
    tables of tens of millions of entries, a second to build and hundreds of MB), searched."""

    def __init__(self, horizon: Horizon):
        self.horizon, n = horizon, horizon.grid.n
        self.cuts = _breakpoints(horizon)
        self._starts = np.asarray(horizon.period_starts, dtype=np.int64)
        self._tables = n <= TABLE_SLOTS
        self._windows = sorted(horizon.windows)  # kept sorted: covered() re-sorts in one pass
        if self._tables:
            self._rank = _count_at_or_before(self.cuts, n + 1)  # for slots 0..n
            self._period = _count_at_or_before(self._starts, n) - 1
            self._window = _covered(horizon, n)

    def cut_rank(self, slots: I64) -> I64:
        """How many breakpoints lie at or before each slot (0..n)."""
        if self._tables:
            return self._rank[slots].astype(np.int64)
        return np.searchsorted(self.cuts, slots, side="right")

    def period_of(self, slots: I64) -> I64:
        if self._tables:
            return self._period[slots].astype(np.int64)
        return np.searchsorted(self._starts, slots, side="right") - 1

    def in_service(self, slots: I64) -> NDArray[np.bool_]:
        """Whether each slot is in service hours (the horizon has them)."""
        runs = self.horizon.service
        assert runs is not None
        if not len(runs):  # hours that hold no slot's start, or holidays all through
            return np.zeros(slots.shape, dtype=np.bool_)
        at = np.searchsorted(runs[:, 0], slots, side="right") - 1
        return (at >= 0) & (slots < runs[np.maximum(at, 0), 1])

    def in_window(self, slots: I64) -> NDArray[np.bool_]:
        if self._tables:
            return self._window[slots]
        return self.horizon.grid.covered(self._windows, slots)


_LOOKUPS: dict[int, tuple[Horizon, _SlotLookup]] = {}


def _lookup(horizon: Horizon) -> _SlotLookup:
    cached = _LOOKUPS.get(id(horizon))
    if cached is not None and cached[0] is horizon:
        return cached[1]
    lookup = _SlotLookup(horizon)
    _LOOKUPS.clear()  # one horizon at a time: a run measures one calendar
    _LOOKUPS[id(horizon)] = (horizon, lookup)
    return lookup


def _count_at_or_before(marks: I64, n: int) -> NDArray[np.int32]:
    """For every slot 0..n-1, how many of the distinct, sorted ``marks`` are at or before it:
    ``searchsorted(marks, slots, "right")`` for all slots at once, in one pass (a horizon of
    years has millions of slots)."""
    count = np.zeros(n, dtype=np.int32)
    count[marks[marks < n]] = 1
    return np.cumsum(count, dtype=np.int32)


def _covered(horizon: Horizon, n: int) -> NDArray[np.bool_]:
    """For every slot: does it overlap a maintenance window (the windows may overlap)?"""
    if not horizon.windows:
        return np.zeros(n, dtype=bool)
    bounds = np.asarray(horizon.windows, dtype=np.int64)
    first, stop = horizon.grid.index_range(bounds[:, 0], bounds[:, 1])
    depth = np.zeros(n + 1, dtype=np.int32)
    np.add.at(depth, first, 1)
    np.add.at(depth, stop, -1)
    return np.cumsum(depth[:n], dtype=np.int32) > 0


def _breakpoints(horizon: Horizon) -> I64:
    """Slot indexes where a stretch must be cut: period bounds (so contract years too), the
    edges of maintenance windows and of service hours."""
    cuts = [horizon.period_starts, [horizon.grid.n]]
    if horizon.service is not None:
        cuts += [horizon.service[:, 0], horizon.service[:, 1]]
    if horizon.windows:
        bounds = np.asarray(horizon.windows, dtype=np.int64)
        first, stop = horizon.grid.index_range(bounds[:, 0], bounds[:, 1])
        cuts += [first, stop]
    return np.unique(np.concatenate([np.asarray(c, dtype=np.int64) for c in cuts]))


def _split(seg: _Segments, lookup: _SlotLookup) -> _Segments:
    """Cut every stretch at the breakpoints inside it."""
    cuts = lookup.cuts
    lo = lookup.cut_rank(seg.start)  # first cut after the start
    hi = lookup.cut_rank(seg.stop - 1)  # cuts before the stop
    parts = hi - lo + 1
    owner = np.repeat(np.arange(len(parts)), parts)
    k = np.arange(len(owner)) - np.repeat(np.cumsum(parts) - parts, parts)
    cut_before = cuts[np.clip(lo[owner] + k - 1, 0, len(cuts) - 1)]
    cut_after = cuts[np.clip(lo[owner] + k, 0, len(cuts) - 1)]
    start = np.where(k == 0, seg.start[owner], cut_before)
    stop = np.where(k == parts[owner] - 1, seg.stop[owner], cut_after)
    return _Segments(
        seg.trial[owner], start, stop, seg.w_all[owner], seg.w_m[owner], seg.w_nc[owner]
    )


def _closed_hours_cleared(pieces: _Segments, lookup: _SlotLookup) -> _Segments:
    """Pieces outside service hours weigh nothing, as replay's slots there do (they were cut at
    the hours' edges, so each piece is wholly in or out)."""
    if lookup.horizon.service is None:
        return pieces
    open_ = lookup.in_service(pieces.start)
    keep = np.flatnonzero(open_)
    return _Segments(
        pieces.trial[keep],
        pieces.start[keep],
        pieces.stop[keep],
        pieces.w_all[keep],
        pieces.w_m[keep],
        pieces.w_nc[keep],
    )


def _allowance(trial: I64, year: I64, eligible: I64, allowance: int | None) -> I64:
    """Maintenance excused per piece: all of it, or in time order until the contract year's
    allowance is spent (pieces are in time order within each trial)."""
    if allowance is None or not len(eligible):
        return eligible
    group = np.concatenate(([True], (trial[1:] != trial[:-1]) | (year[1:] != year[:-1])))
    running = np.cumsum(eligible)
    group_start = np.maximum.accumulate(np.where(group, np.arange(len(group)), 0))
    used_before = running - eligible - (running[group_start] - eligible[group_start])
    return np.clip(allowance - used_before, 0, eligible)


@dataclass(frozen=True)
class _SubPieces:
    trial: I64
    start: I64
    length: I64
    period: I64
    counted: I64  # per slot, micro-minutes
    piece: I64  # the piece each came from


def _excuse_slots(
    trial: I64, start: I64, length: I64, period: I64, w_m: I64, per_slot_eligible: I64, excused: I64
) -> _SubPieces:
    """Where the allowance runs out inside a piece, its first slots are excused in full, one slot
    in part, the rest not at all: that piece becomes three (empty ones dropped), as replay's
    slot-by-slot order gives. Every other piece is excused wholly or not at all."""
    partial = (excused > 0) & (excused < per_slot_eligible * length)
    whole = excused > 0  # and not partial: excused in full, so a whole multiple of the length
    counted = np.where(whole, w_m - per_slot_eligible, w_m)
    if not partial.any():
        return _SubPieces(trial, start, length, period, counted, np.arange(len(trial)))
    split = np.flatnonzero(partial)
    parts = np.ones(len(trial), dtype=np.int64)
    parts[split] = 3
    row = np.repeat(np.arange(len(trial)), parts)
    at = (np.cumsum(parts) - parts)[split]  # where each split piece's three parts begin
    sub_start, sub_length, sub_counted = start[row], length[row], counted[row]
    e = per_slot_eligible[split]
    full = excused[split] // e
    rest = excused[split] - full * e
    one = (rest > 0).astype(np.int64)
    s0 = start[split]
    sub_start[at], sub_start[at + 1], sub_start[at + 2] = s0, s0 + full, s0 + full + one
    sub_length[at], sub_length[at + 1] = full, one
    sub_length[at + 2] = length[split] - full - one
    sub_counted[at], sub_counted[at + 1] = w_m[split] - e, w_m[split] - rest
    sub_counted[at + 2] = w_m[split]
    keep = sub_length > 0
    return _SubPieces(
        trial[row][keep],
        sub_start[keep],
        sub_length[keep],
        period[row][keep],
        sub_counted[keep],
        row[keep],
    )


def _short_runs(sub: _SubPieces, slot_minutes: int, min_minutes: int) -> NDArray[np.bool_]:
    """Sub-pieces in runs of consecutive down slots shorter than the minimum downtime period."""
    down = sub.counted > 0
    if min_minutes <= slot_minutes or not down.any():
        return np.zeros(len(sub.counted), dtype=bool)
    idx = np.flatnonzero(down)
    trial, start, length = sub.trial[idx], sub.start[idx], sub.length[idx]
    joined = (trial[1:] == trial[:-1]) & (start[1:] == start[:-1] + length[:-1])
    run = np.cumsum(np.concatenate(([True], ~joined))) - 1
    run_slots = np.bincount(run, weights=length)
    short = np.zeros(len(sub.counted), dtype=bool)
    short[idx] = run_slots[run] * slot_minutes < min_minutes
    return short
