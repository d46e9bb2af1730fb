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
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from slamodeler.engine import compiled_kernels
from slamodeler.engine.counted_columns import COUNTING_CODES, grid_shape
from slamodeler.engine.horizon import Horizon
from slamodeler.engine.slot_rules import USUAL, SlotRules
from slamodeler.engine.slots import MICRO
from slamodeler.engine.zone_quorum import quorum_down

if TYPE_CHECKING:
    from slamodeler.engine.drawn_parts import DrawnColumns

I64 = NDArray[np.int64]

# Incident classes, as the contract's exclusions see them.
COUNTS, EXCLUDED_CAUSE, MAINTENANCE = 0, 1, 2
# per class, the sets the compiled measurement counts it in (jit_measure.IN_M, IN_NC): "m"
# (not excluded for a cause other than maintenance), "nc" (not excluded at all)
CLASS_SETS = np.array([3, 0, 1], dtype=np.int64)
# what the compiled measurement returns: measured; a weight not among the levels given; slots
# or levels beyond its sort keys (jit_measure.MEASURED, UNLISTED, UNFIT)
MEASURED, UNLISTED, UNFIT = 0, 1, 2


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


def period_groups(horizon: Horizon, slot_minutes: int, min_downtime_minutes: int) -> I64:
    """The groups of periods measured apart: the first period of each, then the number of
    result columns. A period's measurement reads only the incidents over its own slots, unless
    a rule runs across periods: the allowance runs through each contract year (a group per
    year: contract years never go back in period order), minimum downtime runs join across
    cuts, and rolling windows overlap (one group of every column: a window each)."""
    if horizon.windowed:
        return np.array([0, len(horizon.rows)], dtype=np.int64)
    n = len(horizon.periods)
    if min_downtime_minutes > slot_minutes:  # as ``_short_runs`` reads it
        return np.array([0, n], dtype=np.int64)
    if horizon.allowance_micro is None:
        return np.arange(n + 1, dtype=np.int64)
    years = np.asarray(horizon.years, dtype=np.int64)
    return np.append(np.flatnonzero(np.diff(years, prepend=years[0] - 1)), n)


def measure_intervals(
    inc: IntervalIncidents,
    horizon: Horizon,
    slot_minutes: int,
    min_downtime_minutes: int,
    rules: SlotRules = USUAL,
) -> PeriodMeasure:
    """``inc`` gives each incident's slots as counted by ``rules`` (``SlotRules.counted_range``);
    the rules' overlaps and threshold apply here."""
    compiled = _compiled_measure(inc, horizon, slot_minutes, min_downtime_minutes, rules)
    if compiled is not None:
        return compiled
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


def _compiled_measure(
    inc: IntervalIncidents,
    horizon: Horizon,
    slot_minutes: int,
    min_downtime_minutes: int,
    rules: SlotRules,
) -> PeriodMeasure | None:
    """``measure_intervals`` by the compiled sweep (``jit_measure``), where it covers the rules,
    numba runs and the slots and weights fit its sort keys; else None, and the numpy path below
    (the reference) measures."""
    if inc.zones is not None or rules.adds or horizon.service is not None or not len(inc.trial):
        return None
    kernel = compiled_kernels.measure()
    if kernel is None:
        return None
    totals = np.zeros((3, inc.n_trials, len(horizon.periods)), dtype=np.int64)
    columns = _columns(inc)
    settings = _settings(horizon, slot_minutes, min_downtime_minutes, rules)

    def measured(levels: I64) -> int:
        return int(kernel(*columns, levels, *settings, totals))

    done = measured(_sampled_levels(inc.weight))
    if done == UNLISTED:  # a weight outside the sample: all of them
        done = measured(np.unique(inc.weight))
    if done != MEASURED:  # slots or levels beyond the sweep's sort keys
        return None
    return PeriodMeasure(totals[0], totals[1], totals[2])


def measure_drawn_parts(
    columns: DrawnColumns,
    n_trials: int,
    weights: tuple[I64, NDArray[np.int8]],
    horizon: Horizon,
    slot_minutes: int,
    min_downtime_minutes: int,
    rules: SlotRules = USUAL,
) -> PeriodMeasure | None:
    """Every drawn incident in its trial's row, measured as ``measure_intervals`` measures
    their counted columns (``DrawnColumns.counted``; ``weights``: per impact its weight, per
    cause its class), integer for integer, by one compiled walk that lays their sort keys out
    straight from the drawn parts (``jit_draw.laid_part``) and the sweep
    (``jit_measure.measure_laid``), without the columns between them. None where the compiled
    sweep does not cover the rules, the horizon is measured in rolling windows or service hours,
    or the parts cannot be laid out so: the caller then measures the counted columns."""
    if horizon.windowed or rules.adds or horizon.service is not None:
        return None
    kernels = compiled_kernels.measure_laid()
    if kernels is None:
        return None
    lay, sweep, (shifts, most_slots, most_levels) = kernels
    impact_micro, cause_class = weights
    levels = np.unique(impact_micro[impact_micro > 0])
    if horizon.grid.n > most_slots or len(levels) > most_levels:
        return None
    impact_level = np.where(impact_micro > 0, np.searchsorted(levels, impact_micro), -1)
    counting = COUNTING_CODES[rules.counting]
    plan = (grid_shape(horizon.grid), counting, impact_level, CLASS_SETS[cause_class], shifts)
    laid = columns.laid(lay, plan, n_trials)
    if laid is None:
        return None
    _, tables, settings, allowance = _settings(horizon, slot_minutes, min_downtime_minutes, rules)
    totals = np.zeros((3, n_trials, len(horizon.periods)), dtype=np.int64)
    sweep(*laid, levels, tables, settings, allowance, totals)
    return PeriodMeasure(totals[0], totals[1], totals[2])


@dataclass(frozen=True)
class SweptChanges:
    """A base measured, and rows that each add incidents to a trial of it, measured over it
    (``measure_with_changes``): their downtime and excluded time (rows x periods)."""

    base: PeriodMeasure
    downtime: I64
    excluded: I64


def measure_with_changes(
    base: IntervalIncidents,
    own: IntervalIncidents,
    row_trial: I64,
    horizon: Horizon,
    slot_minutes: int,
    min_downtime_minutes: int,
    rules: SlotRules = USUAL,
) -> SweptChanges | None:
    """``base`` measured, and rows that each add incidents of ``own`` (``own.trial``: the row,
    ascending) to the base's of trial ``row_trial[row]``, measured from the base's sweep
    (``jit_measure.measure_changes``): each row again only from the last gap before its first
    incident to where it rejoins the base. None where the compiled sweep does not cover the
    rules (``sweeps_over_base``), or the slots or the weights do not fit its sort keys: the
    caller then measures the rows whole (``shared_scopes.measured_changes``'s batch)."""
    kernels = compiled_kernels.measure_over_base()
    zoned = base.zones is not None or own.zones is not None
    if kernels is None or zoned or not sweeps_over_base(horizon, rules):
        return None
    marked, changes = kernels
    n_periods = len(horizon.periods)
    settings = _settings(horizon, slot_minutes, min_downtime_minutes, rules)
    row_first = np.searchsorted(own.trial, np.arange(len(row_trial) + 1)).astype(np.int64)

    def measured(levels: I64) -> tuple[int, SweptChanges]:
        totals = np.zeros((3, base.n_trials, n_periods), dtype=np.int64)
        done, *swept = marked(*_columns(base), levels, *settings, totals)
        out = np.zeros((3, len(row_trial), n_periods), dtype=np.int64)
        if done == MEASURED:
            row_columns = (row_trial.astype(np.int64), row_first, *_columns(own)[1:])
            done = changes(*row_columns, levels, *settings, (totals, *swept), out)
        return int(done), SweptChanges(PeriodMeasure(*totals), out[0], out[1])

    weights = np.concatenate((base.weight, own.weight))
    done, found = measured(_sampled_levels(weights))
    if done == UNLISTED:  # a weight outside the sample: all of them
        done, found = measured(np.unique(weights))
    return found if done == MEASURED else None


def sweeps_over_base(horizon: Horizon, rules: SlotRules) -> bool:
    """Whether ``measure_with_changes`` covers these rules and its kernels run: the compiled
    sweep's rules (not added overlaps, service hours, or rolling windows, which sum periods'
    cells)."""
    covered = not (horizon.windowed or rules.adds or horizon.service is not None)
    return covered and compiled_kernels.measure_over_base() is not None


def _settings(
    horizon: Horizon, slot_minutes: int, min_downtime_minutes: int, rules: SlotRules
) -> tuple[I64, tuple[I64, I64, NDArray[np.bool_], I64, int], tuple[int, int, int], int]:
    """What the compiled sweep reads of the rules after the levels: the classes' sets, the
    horizon's tables, the slot minutes, minimum downtime and threshold, the allowance (-1 for
    none)."""
    threshold = -1 if rules.down_above_micro is None else rules.down_above_micro
    allowance = -1 if horizon.allowance_micro is None else horizon.allowance_micro
    tables = _lookup(horizon).stretches()
    return CLASS_SETS, tables, (slot_minutes, min_downtime_minutes, threshold), allowance


def _columns(inc: IntervalIncidents) -> tuple[I64, I64, I64, I64, NDArray[np.int8]]:
    """The columns the compiled sweep reads, contiguous: trial, first, stop, weight, class."""

    def ints(column: I64) -> I64:
        return np.ascontiguousarray(column, dtype=np.int64)

    klass = np.ascontiguousarray(inc.klass, dtype=np.int8)
    return ints(inc.trial), ints(inc.first), ints(inc.stop), ints(inc.weight), klass


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
    if not len(sub.start):  # every stretch outside service hours: nothing to find spans in
        return zeros, zeros.copy()
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
    order = np.argsort(keys, kind="stable")  # timsort: keys come in runs by trial
    keys = keys[order]
    last = np.flatnonzero(np.append(keys[1:] != keys[:-1], True))  # last event at each edge
    # per event in time order: its incident, +1 at a start, -1 at a stop
    m = len(trial)
    starts = order < m
    incident = np.where(starts, order, order - m)
    sign = np.where(starts, 1, -1)
    # the incidents each weight counts: all, not excluded for a cause other than maintenance
    # (m), not excluded at all (nc); a set equal to the one before it is not counted again
    not_other = klass != EXCLUDED_CAUSE
    members: dict[str, NDArray[np.bool_] | None] = {"all": None}
    if not not_other.all():
        members["m"] = not_other
    if not np.array_equal(klass == COUNTS, not_other):
        members["nc"] = klass == COUNTS
    if quorum is None and not rules.adds:
        worst = _layer_cakes(members, weight, trial, incident, sign, last)
    else:
        if quorum is not None:  # a slot is down in full or not, whatever the impacts
            zone_bits, at_least = quorum[0][incident], quorum[1]
            cake = functools.partial(
                quorum_down, bits=zone_bits, sign=sign, last=last, at_least=at_least
            )
        else:
            cake = functools.partial(_added, weight=weight[incident] * sign, last=last)
        worst = {
            name: cake(None if mask is None else mask[incident]) for name, mask in members.items()
        }
    worst.setdefault("m", worst["all"])
    worst.setdefault("nc", worst["m"])
    worst = {name: rules.threshold(w) for name, w in worst.items()}
    # A stretch runs from one edge to the next in the same trial; past the last edge, nothing.
    useful = np.flatnonzero(worst["all"][:-1] > 0)
    at, after = last[useful], last[useful + 1]
    edge = np.concatenate((first, stop))[order]
    return _Segments(
        trial=trial[incident[at]],
        start=edge[at],
        stop=edge[after],
        w_all=worst["all"][useful],
        w_m=worst["m"][useful],
        w_nc=worst["nc"][useful],
    )


def _layer_cakes(
    members: dict[str, NDArray[np.bool_] | None],
    weight: I64,
    trial: I64,
    incident: I64,
    sign: I64,
    last: I64,
) -> dict[str, I64]:
    """Worst weight after each edge among each set of ``members`` (per incident; None: every
    one), from the events in time order: the highest level still covered, or 0.

    A layer cake: with the distinct weights L1 < L2 < ..., the worst weight is the highest Lk
    still covered by an incident of that weight. How many incidents of each set and level run
    is one digit of a packed integer in base 2**bits, more than a trial has incidents (so a
    digit never carries; every count is back to 0 at the end of a trial), as many digits as
    63 bits hold: one running sum counts every level of every set at once (or a few, for many
    levels), and a set's worst level is its highest non-zero digit."""
    levels, level = _distinct(weight)
    bits = max(1, int(np.bincount(trial).max()).bit_length())
    per_sum = max(1, 63 // bits)
    # fields: (set, first level, how many levels), packed into running sums of per_sum digits
    fields = [
        (name, low, min(per_sum, len(levels) - low))
        for name in members
        for low in range(0, len(levels), per_sum)
    ]
    sums: list[list[tuple[str, int, int, int]]] = [[]]
    used = 0
    for name, low, size in fields:
        if used + size > per_sum:
            sums.append([])
            used = 0
        sums[-1].append((name, low, size, used))
        used += size
    worst = {name: np.zeros(len(last), dtype=np.int64) for name in members}
    for packed in sums:
        unit = np.zeros(len(weight), dtype=np.int64)  # per incident, its digits in this sum
        for name, low, size, at in packed:
            digit = level - low
            mine = members[name]
            if size < len(levels):
                inside = (digit >= 0) & (digit < size)
                mine = inside if mine is None else mine & inside
                digit = np.clip(digit, 0, size - 1)
            one = np.left_shift(1, bits * (at + digit))
            unit += one if mine is None else np.where(mine, one, 0)
        running = np.cumsum(unit[incident] * sign)[last]
        width = sum(size for _, _, size, _ in packed)
        for name, low, size, at in packed:
            field = running >> (bits * at) if at else running
            if at + size < width:
                field = field & ((1 << (bits * size)) - 1)
            top = (field > 0).astype(np.int64)  # 1 + the highest non-zero digit, 0 for none
            for k in range(1, size):
                top += field >= 1 << (bits * k)
            covered = np.concatenate(([0], levels[low : low + size]))[top]
            worst[name] = covered if low == 0 else np.maximum(worst[name], covered)
    return worst


def _sampled_levels(weight: I64) -> I64:
    """The distinct weights of a sample of about 1,024 of ``weight``: a simulation's weights are
    a few impact levels, which a sample holds unless one is rare (the callers check)."""
    return np.unique(weight[:: max(1, len(weight) // 1024)])


def _distinct(weight: I64) -> tuple[I64, I64]:
    """``np.unique(weight)`` and each weight's index in it. A simulation's weights are a few
    impact levels: the distinct values of a sample, checked to hold every weight, are those of
    all weights, without sorting them all."""
    levels = _sampled_levels(weight)
    at = np.minimum(np.searchsorted(levels, weight), len(levels) - 1)
    if not np.array_equal(levels[at], weight):
        levels = np.unique(weight)
        at = np.searchsorted(levels, weight)
    return levels, at


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
        self._stretches: tuple[I64, I64, NDArray[np.bool_], I64, int] | None = None
        if self._tables:
            self._rank = _count_at_or_before(self.cuts, n + 1)  # for slots 0..n
            self._period = _count_at_or_before(self._starts, n) - 1
            self._window = _covered(horizon, n)

    def stretches(self) -> tuple[I64, I64, NDArray[np.bool_], I64, int]:
        """As the compiled measurement takes them: the breakpoints, and per stretch of slots
        between them (from the k-th, or slot 0, to the next) its period and its window cover,
        which are the same for all its slots; each period's contract year; the slots."""
        if self._stretches is None:
            begins = np.concatenate(([0], self.cuts))
            begins = np.minimum(begins, self.horizon.grid.n - 1)
            years = np.asarray(self.horizon.years, dtype=np.int64)
            period = self.period_of(begins)
            self._stretches = self.cuts, period, self.in_window(begins), years, self.horizon.grid.n
        return self._stretches

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
    """Cut every stretch at the breakpoints inside it. Few stretches hold one, so the pieces
    are the stretches repeated, and only the pieces after a cut get new bounds."""
    cuts = lookup.cuts
    lo = lookup.cut_rank(seg.start)  # cuts[lo] is the first cut after the start
    inside = lookup.cut_rank(seg.stop - 1) - lo  # cuts in (start, stop)
    if not inside.any():
        return seg
    owner = np.repeat(np.arange(len(inside)), inside + 1)
    start, stop = seg.start[owner], seg.stop[owner]
    cut = np.flatnonzero(inside)
    n_cuts = inside[cut]
    within = np.arange(n_cuts.sum()) - np.repeat(np.cumsum(n_cuts) - n_cuts, n_cuts)
    first_piece = (np.cumsum(inside + 1) - inside - 1)[cut]
    after = np.repeat(first_piece, n_cuts) + within + 1  # the piece that starts at each cut
    at = cuts[np.repeat(lo[cut], n_cuts) + within]
    start[after], stop[after - 1] = at, at
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
    e = per_slot_eligible[split]
    full = excused[split] // e
    rest = excused[split] - full * e
    one = (rest > 0).astype(np.int64)
    s0, w = start[split], w_m[split]
    # the three parts of each split piece, as columns: excused in full, in part, not at all
    part_start = np.stack((s0, s0 + full, s0 + full + one), axis=1)
    part_length = np.stack((full, one, length[split] - full - one), axis=1)
    part_counted = np.stack((w - e, w - rest, w), axis=1)
    kept = part_length > 0
    parts = np.ones(len(trial), dtype=np.int64)
    parts[split] = kept.sum(axis=1)
    row = np.repeat(np.arange(len(trial)), parts)
    begin = (np.cumsum(parts) - parts)[split]  # where each split piece's parts begin
    at = (begin[:, None] + np.cumsum(kept, axis=1) - 1)[kept]
    sub_start, sub_length, sub_counted = start[row], length[row], counted[row]
    sub_start[at], sub_length[at], sub_counted[at] = (
        part_start[kept],
        part_length[kept],
        part_counted[kept],
    )
    return _SubPieces(trial[row], sub_start, sub_length, period[row], sub_counted, row)


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
