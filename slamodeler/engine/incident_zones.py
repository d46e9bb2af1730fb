"""Per-incident credits under a k-of-n zone scope (docs/measurement.md, section 8a).

The tool's reading, as no public SLA text says it: an incident counts, in full, the slots in
which the region is down (at least k zones, from the incidents not excluded) while it is open;
its own zone being down alone is not the region being down. Only those slots that also count
for an incident without zones (in service hours, outside maintenance windows) count, and the
credit falls in the period of its first such slot. Replay measures the quorum slot by slot
(``replay_measure``); the simulation measures each incident's overlap with its trial's
quorum-down intervals (``simulated_measure``), so a dumped trial replays to its credits.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from slamodeler.engine.billing_rows import row_of_slot
from slamodeler.engine.horizon import Horizon
from slamodeler.engine.incident_credits import Measured, OpenSlots, measure
from slamodeler.engine.slot_rules import SlotRules
from slamodeler.engine.slots import MICRO
from slamodeler.engine.zone_quorum import quorum_down

I64 = NDArray[np.int64]
Flags = NDArray[np.bool_]


def replay_measure(
    horizon: Horizon,
    opened: OpenSlots,
    rules: SlotRules,
    slot_minutes: int,
    span: tuple[I64, I64],
    down: Flags,
    counts: Flags,
) -> Measured:
    """Each incident's counted slots [first, stop) (``span``) that are open and in which the
    quorum is ``down`` (one flag per slot of the grid), each weighing a full slot."""
    flags = np.diff(opened.open).astype(bool) & down
    upto = np.concatenate(([0], np.cumsum(flags))).astype(np.int64)
    first, stop = span
    full = np.full(len(first), MICRO, dtype=np.int64)
    return measure(horizon, OpenSlots(upto, upto), rules, slot_minutes, first, stop, full, counts)


def simulated_measure(
    horizon: Horizon,
    opened: OpenSlots,
    rules: SlotRules,
    slot_minutes: int,
    incidents: tuple[I64, I64, I64, I64, Flags],
    at_least: int,
) -> Measured:
    """``incidents``: each one's row, counted slots [first, stop), zone bits (0: every zone)
    and whether it counts (weighs something, cause not excluded); the quorum of a row is made
    of its incidents that count."""
    row, first, stop, bits, counts = incidents
    edges, rows, down = _quorum_edges(row, first, stop, bits, counts, at_least)
    same_row = np.zeros(len(edges), dtype=bool)
    same_row[:-1] = rows[1:] == rows[:-1]
    on = np.flatnonzero(same_row & (down > 0))
    lo, hi, at_row = edges[on], edges[on + 1], rows[on]
    length = opened.open[hi] - opened.open[lo]
    before = np.concatenate(([0], np.cumsum(length))).astype(np.int64)
    span = horizon.grid.n + 1
    keys = at_row * span + lo

    def upto(t: I64) -> I64:
        """Open quorum-down slots of all rows before (row, t), in row order."""
        if not len(keys):
            return np.zeros(len(t), dtype=np.int64)
        j = np.searchsorted(keys, row * span + t, side="right") - 1
        k = np.maximum(j, 0)
        inside = (j >= 0) & (at_row[k] == row)
        partial = before[k] + opened.open[np.minimum(hi[k], t)] - opened.open[lo[k]]
        return np.where(inside, partial, before[j + 1]).astype(np.int64)

    start_rank = upto(first)
    slots = np.where(counts, upto(stop) - start_rank, 0)
    weighed = rules.threshold(np.full(len(first), MICRO, dtype=np.int64))
    counted = (slots * slot_minutes * weighed).astype(np.int64)
    at = _slot_of_rank(opened, lo, before, start_rank)
    return Measured(counted, row_of_slot(horizon, at), at)


def _quorum_edges(
    row: I64, first: I64, stop: I64, bits: I64, counts: Flags, at_least: int
) -> tuple[I64, I64, I64]:
    """The edges of every row's quorum, in (row, slot) order: slot, row, and ``MICRO`` where
    the quorum is down from that edge to the next (``zone_quorum.quorum_down``)."""
    keep = np.flatnonzero(counts & (stop > first))
    if not len(keep):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    t = np.concatenate((first[keep], stop[keep]))
    r = np.concatenate((row[keep], row[keep]))
    sign = np.concatenate((np.ones(len(keep)), -np.ones(len(keep)))).astype(np.int64)
    b = np.concatenate((bits[keep], bits[keep]))
    order = np.lexsort((t, r))
    t, r, sign, b = t[order], r[order], sign[order], b[order]
    last = np.flatnonzero(np.append((t[1:] != t[:-1]) | (r[1:] != r[:-1]), True))
    return t[last], r[last], quorum_down(None, b, sign, last, at_least)


def _slot_of_rank(opened: OpenSlots, lo: I64, before: I64, rank: I64) -> I64:
    """The slot of each ``rank`` (0-based) among the open quorum-down slots of all rows (the
    first slot when there are none: such an incident counts nothing)."""
    if not len(lo):
        return np.zeros(len(rank), dtype=np.int64)
    j = np.minimum(np.searchsorted(before[1:], rank, side="right"), len(lo) - 1)
    target = opened.open[lo[j]] + rank - before[j]
    at = np.searchsorted(opened.open, target + 1, side="left") - 1
    return np.clip(at, 0, len(opened.open) - 2).astype(np.int64)
