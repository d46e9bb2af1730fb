"""Slot arithmetic for one tier: the impact per slot (by the slot rules), exclusions, allowance,
minimum downtime.

Everything is integer micro-minutes (weight in millionths x slot minutes), so sums are exact and
the result does not depend on incident order. The rules are those of docs/measurement.md, 4-6.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from slamodeler.engine.zone_quorum import ZoneCount, zones_down

if TYPE_CHECKING:
    from slamodeler.engine.slot_rules import SlotRules

MICRO = 1_000_000
I64 = NDArray[np.int64]
I32 = NDArray[np.int32]


@dataclass(frozen=True)
class SlotGrid:
    """Slots of ``slot_seconds`` from ``origin`` (UTC epoch seconds), ``n`` of them."""

    origin: int
    slot_seconds: int
    n: int

    def index_range(self, start: I64, end: I64) -> tuple[I64, I64]:
        """First slot touched and one past the last, clipped to the grid; empty for end <= start."""
        rel_start = start - self.origin
        rel_end = end - self.origin
        first = np.floor_divide(rel_start, self.slot_seconds)
        stop = -np.floor_divide(-rel_end, self.slot_seconds)
        first = np.clip(first, 0, self.n)
        stop = np.clip(stop, 0, self.n)
        stop = np.where(end > start, np.maximum(stop, first), first)
        return first, stop

    def covered(self, intervals: list[tuple[int, int]], slots: I64) -> NDArray[np.bool_]:
        """For each slot index in ``slots``: does it overlap any of the [start, end) intervals?"""
        if not intervals:
            return np.zeros(len(slots), dtype=bool)
        bounds = np.asarray(sorted(intervals), dtype=np.int64)
        first, stop = self.index_range(bounds[:, 0], bounds[:, 1])
        reach = np.maximum.accumulate(stop)  # intervals may overlap: furthest end so far
        at = np.searchsorted(first, slots, side="right") - 1
        return (at >= 0) & (slots < reach[np.maximum(at, 0)])


@dataclass(frozen=True)
class TierIncidents:
    """Columns of the incidents that reach one tier, with their weight in millionths."""

    first: I64
    stop: I64
    start: I64
    weight: I32
    cause_excluded: NDArray[np.bool_]  # excluded for a cause other than maintenance
    maintenance: NDArray[np.bool_]  # caused by maintenance, and maintenance is excluded
    ids: I32  # index into the incident list
    zones: ZoneCount | None = None  # k of n zones (zone_quorum.py); None: zones do not count


def worst_impact(
    n: int, inc: TierIncidents, keep: NDArray[np.bool_], owners: bool = True
) -> tuple[I32, I32]:
    """Largest weight touching each slot among ``keep``, and which incident gave it (the earliest
    to start among equals; -1 where none; not computed unless ``owners``)."""
    weight = np.zeros(n, dtype=np.int32)
    owner = np.full(n if owners else 1, -1, dtype=np.int32)
    sel = np.flatnonzero(keep & (inc.weight > 0) & (inc.stop > inc.first))
    if inc.zones is not None:
        z = inc.zones
        prefer = inc.cause_excluded[sel] | inc.maintenance[sel]
        return zones_down(n, *_at(inc, sel), z.zone[sel], z.at_least, prefer, owners)
    levels = _distinct(inc.weight[sel])
    if len(levels) <= _FEW_LEVELS:
        painted = _by_level(n, inc, sel, levels, weight, owner if owners else None)
        if painted:
            return weight, owner
    # Ascending weight, then latest start first: later writes win, so the worst impact (and among
    # equals the earliest incident) is what remains.
    order = sel[np.lexsort((-inc.start[sel], inc.weight[sel]))]
    bounds = zip(inc.first[order].tolist(), inc.stop[order].tolist(), strict=True)
    weights = inc.weight[order].tolist()
    if owners:
        for (lo, hi), w, k in zip(bounds, weights, inc.ids[order].tolist(), strict=True):
            weight[lo:hi] = w
            owner[lo:hi] = k
    else:
        for (lo, hi), w in zip(bounds, weights, strict=True):
            weight[lo:hi] = w
    return weight, owner


_FEW_LEVELS = 8  # distinct weights measured level by level; more are painted one by one


def _distinct(values: I32) -> I32:
    """The distinct ``values``, ascending: ``np.unique``, which since numpy 2.3 imports numpy.ma
    on its first plain call (7 ms of a small replay's start: tests/cli/test_startup_imports.py)."""
    ordered = np.sort(values)
    first = np.ones(len(ordered), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    return ordered[first]


def _by_level(
    n: int, inc: TierIncidents, sel: I64, levels: I32, weight: I32, owner: I32 | None
) -> bool:
    """``worst_impact`` a weight level at a time, ascending (a higher level overwrites): the slots
    some incident of the level covers, and the first of them to start covering each (latest in
    the list among equal starts), found in the level's incidents ordered by start with the
    furthest stop so far. False (nothing written) when the slot rules make an incident's first
    slot not follow its start (its edges dropped): then the list is painted one by one."""
    chosen = []
    for w in levels.tolist():
        mine = sel[inc.weight[sel] == w]
        mine = mine[np.lexsort((-mine, inc.start[mine]))]
        lo, hi = inc.first[mine], inc.stop[mine]
        if np.any(lo[1:] < lo[:-1]):
            return False
        chosen.append((w, mine, lo, hi))
    for w, mine, lo, hi in chosen:
        reach = np.maximum.accumulate(hi)
        slots = _covered(lo, reach, n)
        weight[slots] = w
        if owner is not None:
            # a slot is listed under the first incident whose reach passes it: each incident
            # takes the slots from the reach before its own up to its own (a search per
            # incident rather than per slot: a long history covers millions of slots)
            upto = np.searchsorted(slots, reach)
            owner[slots] = np.repeat(inc.ids[mine], np.diff(upto, prepend=0))
    return True


def _covered(lo: I64, reach: I64, n: int) -> I64:
    """The slots below ``n`` some incident covers, ascending, from the first slots ``lo``
    (ascending, at least one) and the furthest stop so far ``reach``: each run of overlapping
    incidents is one span, so the cost follows the slots covered, not the grid (a small
    replay's whole measurement was otherwise a few passes over every minute of the horizon)."""
    opens = np.flatnonzero(np.concatenate(([True], lo[1:] >= reach[:-1])))
    starts = lo[opens]
    stops = np.minimum(reach[np.append(opens[1:] - 1, len(lo) - 1)], n)
    lengths = np.maximum(stops - starts, 0)
    before = np.cumsum(lengths) - lengths  # slots of the spans before each
    return np.arange(int(lengths.sum()), dtype=np.int64) + np.repeat(starts - before, lengths)


def added_impact(n: int, inc: TierIncidents, keep: NDArray[np.bool_]) -> I32:
    """The weights of ``keep`` touching each slot added up, at most 1 (``overlaps: add``)."""
    sel = np.flatnonzero(keep & (inc.weight > 0) & (inc.stop > inc.first))
    change = np.zeros(n + 1, dtype=np.int64)
    np.add.at(change, inc.first[sel], inc.weight[sel])
    np.add.at(change, inc.stop[sel], -inc.weight[sel].astype(np.int64))
    return np.minimum(np.cumsum(change[:n]), MICRO).astype(np.int32)


def slot_impact(
    n: int,
    inc: TierIncidents,
    keep: NDArray[np.bool_],
    rules: SlotRules,
    service: NDArray[np.bool_] | None = None,
) -> tuple[I32, I32]:
    """Each slot's weight by the contract's slot rules, and the incident it is listed under (the
    worst one, also when weights add); 0 outside service hours."""
    weight, owner = worst_impact(n, inc, keep)
    if rules.adds and inc.zones is None:  # under k of n zones a slot is down in full or not
        weight = added_impact(n, inc, keep)
    weight = rules.threshold(weight)
    if service is not None:
        weight = np.where(service, weight, 0).astype(weight.dtype)
    return weight, owner


def _at(inc: TierIncidents, sel: I64) -> tuple[I64, I64, I64, I32]:
    return inc.first[sel], inc.stop[sel], inc.start[sel], inc.ids[sel]


@dataclass(frozen=True)
class SlotMeasure:
    """For the slots any incident touches (``slots``, ascending), in micro-minutes: what counted,
    what each exclusion excused, what the minimum downtime rule dropped; and which incident each
    amount belongs to. Every other slot of the grid is zero throughout."""

    slots: I64
    counted: I64
    below_minimum: I64
    cause_excused: I64
    window_excused: I64
    maintenance_cause_excused: I64
    owner_all: I32  # owner of the worst impact of all: cause exclusions
    owner_maintenance: I32  # owner of the worst impact maintenance may excuse
    owner_counted: I32  # owner of what counted (or fell below the minimum)


def measure_slots(
    grid: SlotGrid,
    inc: TierIncidents,
    windows: list[tuple[int, int]],
    year_starts: I64,
    allowance_micro_minutes: int | None,
    min_downtime_minutes: int,
    rules: SlotRules,
    service: NDArray[np.bool_] | None = None,
) -> SlotMeasure:
    """``service``: the slots in service hours (None: all); no other slot weighs anything, so
    nothing outside them is downtime, excluded, or spends the allowance, and they end a run."""
    slot_minutes = grid.slot_seconds // 60
    everything = np.ones(len(inc.weight), dtype=bool)
    w_all, owner_all = slot_impact(grid.n, inc, everything, rules, service)
    slots = np.flatnonzero(w_all)
    if inc.cause_excluded.any():
        w_m, owner_m = slot_impact(grid.n, inc, ~inc.cause_excluded, rules, service)
    else:
        w_m, owner_m = w_all, owner_all
    if inc.maintenance.any():
        kept = ~inc.cause_excluded & ~inc.maintenance
        w_nc, owner_nc = slot_impact(grid.n, inc, kept, rules, service)
    else:
        w_nc, owner_nc = w_m, owner_m
    minutes_all, minutes_m, minutes_nc = (
        w[slots].astype(np.int64) * slot_minutes for w in (w_all, w_m, w_nc)
    )
    in_window = grid.covered(windows, slots)

    eligible = np.where(in_window, minutes_m, minutes_m - minutes_nc)
    if allowance_micro_minutes is None:
        excused = eligible
    else:
        excused = np.zeros_like(eligible)
        cuts = np.searchsorted(slots, year_starts)
        for lo, hi in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True):
            part = eligible[lo:hi]
            used_before = np.cumsum(part) - part
            excused[lo:hi] = np.clip(allowance_micro_minutes - used_before, 0, part)
    counted = minutes_m - excused
    below = _short_runs(slots, counted, min_downtime_minutes, slot_minutes)
    # Outside windows, a fully excused maintenance incident leaves what the others caused.
    owner_m, owner_nc = owner_m[slots], owner_nc[slots]
    left_by_others = ~in_window & (eligible > 0) & (excused == eligible)
    owner_cause, owner_maintenance = owner_all[slots], owner_m
    if inc.zones is not None:
        owner_cause = _zone_cause_owner(grid.n, inc)[slots]
    elif rules.adds:
        # Added weights: the worst incident of all need not be the one excused; list what a
        # cause excused under the worst excluded incident, maintenance under the worst
        # maintenance incident.
        owner_cause = worst_impact(grid.n, inc, inc.cause_excluded)[1][slots]
        by_maintenance = worst_impact(grid.n, inc, inc.maintenance)[1][slots]
        owner_maintenance = np.where(in_window, owner_m, by_maintenance)
    return SlotMeasure(
        slots=slots,
        counted=counted - below,
        below_minimum=below,
        cause_excused=minutes_all - minutes_m,
        window_excused=np.where(in_window, excused, 0),
        maintenance_cause_excused=np.where(in_window, 0, excused),
        owner_all=owner_cause,
        owner_maintenance=owner_maintenance,
        owner_counted=np.where(left_by_others, owner_nc, owner_m),
    )


def _zone_cause_owner(n: int, inc: TierIncidents) -> I32:
    """Under k of n zones, the incident each slot's cause exclusion is listed under: the earliest
    to start among the incidents excluded for their cause that are down there. A cause excuses
    a slot only where one of them is down, though they alone need not make the quorum, so the
    owners of their own quorum (``worst_impact`` of them, -1 where they make none) would lose
    those minutes; and the owners of all the incidents prefer maintenance ones as well, whose
    cause is not the one excluded. (Maintenance needs no such care: the owners of the incidents
    not excluded for a cause prefer maintenance ones, ``worst_impact``.)"""
    sel = np.flatnonzero((inc.weight > 0) & (inc.stop > inc.first))
    assert inc.zones is not None
    z = inc.zones
    return zones_down(n, *_at(inc, sel), z.zone[sel], z.at_least, inc.cause_excluded[sel], True)[1]


def _short_runs(slots: I64, counted: I64, min_minutes: int, slot_minutes: int) -> I64:
    """The part of ``counted`` in runs of consecutive down slots shorter than ``min_minutes``."""
    if min_minutes <= slot_minutes:
        return np.zeros_like(counted)
    down = np.flatnonzero(counted > 0)
    if not down.size:
        return np.zeros_like(counted)
    at = slots[down]
    breaks = np.flatnonzero(np.diff(at) != 1) + 1
    starts = np.concatenate(([0], breaks))
    stops = np.concatenate((breaks, [len(at)]))
    short = (at[stops - 1] - at[starts] + 1) * slot_minutes < min_minutes
    run_of = np.repeat(np.arange(len(starts)), stops - starts)
    below = np.zeros_like(counted)
    dropped = down[short[run_of]]
    below[dropped] = counted[dropped]
    return below
