"""The interval measurement's kernels as they were before they were made faster (commit
03a9edf, slamodeler/engine/interval_measure.py): the reference the faster ones must equal array
for array (tests/engine/test_interval_kernels.py). Kept as they were, not maintained: a sort of
every edge, one running sum per impact level and set of incidents, and pieces built whole."""

from __future__ import annotations

import functools

import numpy as np
from numpy.typing import NDArray

from slamodeler.engine.interval_measure import (
    COUNTS,
    EXCLUDED_CAUSE,
    _Segments,
    _SlotLookup,
    _SubPieces,
)
from slamodeler.engine.slot_rules import SlotRules
from slamodeler.engine.slots import MICRO
from slamodeler.engine.zone_quorum import quorum_down

I64 = NDArray[np.int64]


def worst_impact_segments(
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
        cake = functools.partial(added, weight=weight[incident] * sign, last=last)
    else:
        cake = functools.partial(layer_cake, level=level, steps=steps, sign=sign, last=last)
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


def layer_cake(
    members: NDArray[np.bool_] | None, level: I64, steps: I64, sign: I64, last: I64
) -> I64:
    """Worst weight among ``members`` (None: every incident) after each edge, from the events
    in time order: the steps of the levels still covered."""
    total = np.zeros(len(last), dtype=np.int64)
    for k, step in enumerate(steps.tolist()):
        at_level = level >= k if members is None else members & (level >= k)
        total += step * (np.cumsum(np.where(at_level, sign, 0))[last] > 0)
    return total


def added(members: NDArray[np.bool_] | None, weight: I64, last: I64) -> I64:
    """Weights of ``members`` (None: every incident) added up after each edge, at most 1, from
    the events in time order (``weight`` is negative at a stop)."""
    change = weight if members is None else np.where(members, weight, 0)
    return np.minimum(np.cumsum(change)[last], MICRO)


def split(seg: _Segments, lookup: _SlotLookup) -> _Segments:
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


def excuse_slots(
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
