"""Tiers in distinct scopes measured over what their scopes share.

Tiers of distinct scopes see different incidents, so each scope is measured on its own; yet most
of what each sees is often the same (platform-wide processes, catastrophes), and a trial in
which a scope sees nothing beyond the incidents every scope sees measures as those alone (each
trial's rows are measured apart from every other trial's). So the shared incidents are measured
once, and each scope again only in the trials where it sees more, every scope's such trials in
one batch (a measurement's fixed cost is paid twice a block, not once per scope): the same
integers, for a fraction of the work when the incidents that tell the scopes apart are rare.

A trial's periods are measured apart where no rule runs across them
(``interval_measure.period_groups``: without an allowance, each period; with one, each contract
year), and then a row of the batch is a scope, a trial and a group of periods: it holds the
incidents over that group alone, and only the group's periods are taken from it. The batch then
reads a month's shared incidents, not a year's, for a scope's own incident in that month; over a
long horizon, a year's rather than every year's.

Which scope sees which incident follows from its source (a scopes x sources matrix), so every
scope's rows of the batch are found in a few passes over the block's incidents, whatever the
number of scopes: a pass per scope cost more than measuring the batch with 50 scopes. A row of
the batch holds its incidents in another order than the scope's incidents alone would; a trial
is measured as the set of its incidents, in any order (tests/engine/test_shared_scopes.py).

Where the compiled sweep measures the rules (``swept_changes``), a scope's trial is measured
again from the base's own sweep instead: from the last gap before the scope's first incident of
its own (nothing runs, nothing can join what ran: only the allowance used carries over) to the
first gap after its last where the allowance used is the base's again, the rest of the trial's
periods taken from the base's totals and what it had added by each gap
(``jit_measure.measure_changes``). The batch reads a whole period group's shared incidents for a
scope's one incident; the sweep, the few around it.

What a scope's measurement changes is kept as such (``measured_changes``: its trials where it
sees more, and their rows), so that the simulation can code, price and keep those rows alone over
the base (``simulation.Rows.base``); ``measured_over`` puts every trial's rows together."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from slamodeler.engine.interval_measure import IntervalIncidents, PeriodMeasure, SweptChanges

I64 = NDArray[np.int64]
Measure = Callable[[IntervalIncidents], PeriodMeasure]
# measures a base and rows that each add incidents of their own (``IntervalIncidents.trial``:
# the row) to a trial of it (``interval_measure.measure_with_changes``), or cannot (None)
Sweep = Callable[[IntervalIncidents, IntervalIncidents, I64], SweptChanges | None]
Columns = tuple[I64, I64, I64, NDArray[np.int8]]  # drawn incidents' first, stop, weight, class


@dataclass(frozen=True)
class SharedBase:
    """Which drawn incidents every scope sees, and those incidents measured alone per trial."""

    shared: NDArray[np.bool_]
    measured: PeriodMeasure


@dataclass(frozen=True)
class PeriodGroups:
    """The groups of periods measured apart (``interval_measure.period_groups``: the first
    period of each, then the number of result columns), and each drawn incident's first and
    last group (the last before the first: it covers no slot)."""

    bounds: I64
    first: I64
    last: I64

    @classmethod
    def of(cls, bounds: I64, period_starts: I64, first: I64, stop: I64) -> PeriodGroups:
        """Of incidents over slots [``first``, ``stop``), of periods starting at
        ``period_starts`` (the first at slot 0, the last running to the end of the grid)."""
        if len(bounds) == 2:  # one group
            zero = np.zeros(len(first), dtype=np.int64)
            return cls(bounds, zero, np.where(stop > first, 0, -1))

        def group(slot: I64) -> I64:
            period = np.searchsorted(period_starts, slot, side="right") - 1
            return np.searchsorted(bounds, period, side="right") - 1

        lo = group(first)
        return cls(bounds, lo, np.where(stop > first, group(stop - 1), lo - 1))

    @classmethod
    def whole(cls, first: I64, stop: I64) -> PeriodGroups:
        """One group: every period measured together."""
        return cls.of(np.array([0, 1], dtype=np.int64), np.zeros(1, np.int64), first, stop)

    @property
    def count(self) -> int:
        return len(self.bounds) - 1


@dataclass(frozen=True)
class ScopeTimes:
    """A scope's downtime and excluded time per trial and period (micro-minutes): what the
    simulation keeps of a measure, not the downtime below the minimum, which it never reads
    (a third less to write for every scope)."""

    downtime: I64
    excluded: I64


def shared_base(
    reach: NDArray[np.bool_],
    source: I64,
    trial: I64,
    columns: Columns,
    n_trials: int,
    measure: Measure,
    required: bool = False,
) -> SharedBase | None:
    """The base of the scopes of ``reach`` (scopes x sources: whether each scope sees each
    source's incidents), from the drawn incidents' ``source``, ``trial`` and ``columns``. None
    for fewer than two scopes, or when they share no incident: nothing to measure once; unless
    ``required``, where a block's scopes are held over a base as every other block's are
    (``simulation.Rows.base``): then the measure of no incident."""
    found = _shared(reach, source, trial, columns, n_trials, required)
    return None if found is None else SharedBase(found[0], measure(found[1]))


def _shared(
    reach: NDArray[np.bool_],
    source: I64,
    trial: I64,
    columns: Columns,
    n_trials: int,
    required: bool,
) -> tuple[NDArray[np.bool_], IntervalIncidents] | None:
    """Which drawn incidents every scope sees, and those incidents (``shared_base``)."""
    if len(reach) < 2:
        return None
    shared: NDArray[np.bool_] = np.all(reach, axis=0)[source]
    if not shared.any() and not required:
        return None
    at = np.flatnonzero(shared)
    first, stop, weight, klass = columns
    common = IntervalIncidents(n_trials, trial[at], first[at], stop[at], weight[at], klass[at])
    return shared, common


def measured_over(base: SharedBase, changes: list[ScopeChanges]) -> list[ScopeTimes]:
    """Each scope's rows of every trial: the base's, but in the trials where the scope sees
    more, those of its ``changes`` (``measured_changes``)."""
    both = np.stack((base.measured.downtime, base.measured.excluded))
    return [change.over(both) for change in changes]


@dataclass(frozen=True)
class ScopeChanges:
    """A scope's rows where they may differ from the base's: its trials (ascending) where it
    sees more than the shared incidents, and its rows there (trials x periods)."""

    trial: I64
    downtime: I64
    excluded: I64

    def over(self, both: I64) -> ScopeTimes:
        """Every trial's rows: ``both`` (the base's downtime and excluded time stacked), with
        these trials' rows put in. An array of both columns per scope, filled in two passes:
        one array for every scope took a run three times the time, its pages handed back to
        the system after each chunk and taken again (page faults)."""
        values = both.copy()
        values[0, self.trial] = self.downtime
        values[1, self.trial] = self.excluded
        return ScopeTimes(*values)


def measured_changes(
    base: SharedBase,
    reach: NDArray[np.bool_],
    source: I64,
    trial: I64,
    columns: Columns,
    measure: Measure,
    groups: PeriodGroups,
) -> list[ScopeChanges]:
    """Each scope's rows in the trials where it sees more than the incidents every scope sees
    (``shared_base``'s arguments), measured for every scope in one batch (a row each); in every
    other trial its rows are the base's."""
    rows = _scope_rows(base.shared, reach, source, trial, base.measured.downtime.shape[0], groups)
    first, stop, weight, klass = columns
    at = rows.incident
    again = measure(
        IntervalIncidents(len(rows.trial), rows.row, first[at], stop[at], weight[at], klass[at])
    )
    return _changes(base.measured, again, rows, len(reach), groups.bounds)


def swept_changes(
    reach: NDArray[np.bool_],
    source: I64,
    trial: I64,
    columns: Columns,
    n_trials: int,
    sweep: Sweep,
    required: bool = False,
) -> tuple[SharedBase, list[ScopeChanges]] | None:
    """``shared_base`` and ``measured_changes`` at once, where ``sweep`` measures each scope's
    trials where it sees more from the base's own sweep: from the last gap before the scope's
    first incident of its own to the first gap after its last where the allowance state is the
    base's again, a few of the trial's incidents rather than the whole of its period group.
    None where ``shared_base`` gives None (nothing to measure over a base), or where the sweep
    cannot measure these (the caller then measures the batch)."""
    base = _shared(reach, source, trial, columns, n_trials, required)
    if base is None:
        return None
    shared, common = base
    first, stop, weight, klass = columns
    # one group of every period: a row's cell is its trial
    rows = _own_rows(reach, source, trial, n_trials, PeriodGroups.whole(first, stop))
    at = rows.incident
    row = np.repeat(np.arange(len(rows.cell), dtype=np.int64), rows.count)
    own = IntervalIncidents(len(rows.cell), row, first[at], stop[at], weight[at], klass[at])
    found = sweep(common, own, rows.cell)
    if found is None:
        return None
    ends = np.searchsorted(rows.scope, np.arange(len(reach) + 1))
    changes = [
        ScopeChanges(rows.cell[a:b], found.downtime[a:b], found.excluded[a:b])
        for a, b in zip(ends[:-1].tolist(), ends[1:].tolist(), strict=True)
    ]
    return SharedBase(shared, found.base), changes


@dataclass(frozen=True)
class _BatchRows:
    """The batch's rows (a scope, a trial and a group of periods each, sorted by scope, trial
    and group) and its incidents, row after row (each one's index among the drawn incidents,
    and its row)."""

    scope: I64
    trial: I64
    group: I64
    incident: I64
    row: I64


def _scope_rows(
    shared: NDArray[np.bool_],
    reach: NDArray[np.bool_],
    source: I64,
    trial: I64,
    n_trials: int,
    groups: PeriodGroups,
) -> _BatchRows:
    """A row for each scope, trial and group of periods where the scope sees an incident not
    shared, holding the shared incidents over that group of the trial, then those. Row after
    row, as the measurement reads them: a batch holding each shared incident's copies one
    after another took half as long again to measure, reading each row's incidents far
    apart."""
    own = _own_rows(reach, source, trial, n_trials, groups)
    n_cells = n_trials * groups.count
    # each cell's shared incidents, in every row of the cell
    common_cell, common, _ = _group_cells(np.flatnonzero(shared), trial, groups)
    order = np.argsort(common_cell, kind="stable")
    common_cell, common = common_cell[order], common[order]
    per_cell = np.bincount(common_cell, minlength=n_cells)
    n_common = per_cell[own.cell]
    size = n_common + own.count
    row_first = _starts(size)
    incident = np.empty(int(size.sum()), dtype=np.int64)
    incident[_runs(row_first, n_common)] = common[_runs(_starts(per_cell)[own.cell], n_common)]
    incident[_runs(row_first + n_common, own.count)] = own.incident
    row = np.repeat(np.arange(len(size), dtype=np.int64), size)
    row_trial, row_group = np.divmod(own.cell, groups.count)
    return _BatchRows(own.scope, row_trial, row_group, incident, row)


@dataclass(frozen=True)
class _OwnRows:
    """Rows of a scope and a cell (a trial and a group of periods) where the scope sees
    incidents not shared, sorted by scope and cell, with those incidents row after row (each
    one's index among the drawn incidents) and how many each row holds."""

    scope: I64
    cell: I64
    incident: I64
    count: I64


def _own_rows(
    reach: NDArray[np.bool_],
    source: I64,
    trial: I64,
    n_trials: int,
    groups: PeriodGroups,
) -> _OwnRows:
    """The rows where each scope sees incidents not shared (``_OwnRows``), found for every
    scope in a few passes over the block's incidents."""
    n_cells = n_trials * groups.count  # a trial's groups, trial after trial
    # each incident some scope sees, but not all, once per scope that sees it
    telling: NDArray[np.bool_] = np.any(reach, axis=0) & ~np.all(reach, axis=0)
    own = np.flatnonzero(telling[source])
    _, scope_of = np.nonzero(reach.T)  # the scopes of each source, source after source
    per_source = reach.sum(axis=0)
    counts = per_source[source[own]]
    own_scope = scope_of[_runs(_starts(per_source)[source[own]], counts)]
    own_cell, own, spanned = _group_cells(np.repeat(own, counts), trial, groups)
    own_scope = np.repeat(own_scope, spanned)
    key = own_scope * n_cells + own_cell
    order = np.argsort(key, kind="stable")
    key, own = key[order], own[order]
    new_row = np.ones(len(key), dtype=bool)
    np.not_equal(key[1:], key[:-1], out=new_row[1:])
    row_scope, row_cell = np.divmod(key[new_row], n_cells)
    n_own = np.bincount(np.cumsum(new_row) - 1, minlength=len(row_cell))
    return _OwnRows(row_scope, row_cell, own, n_own)


def _group_cells(incident: I64, trial: I64, groups: PeriodGroups) -> tuple[I64, I64, I64]:
    """Each of ``incident`` once per group of periods it covers, with that cell (trial and
    group), incident after incident; and how many groups each covers (0 for none)."""
    spanned = np.maximum(groups.last[incident] - groups.first[incident] + 1, 0)
    cell = trial[incident] * groups.count + groups.first[incident]
    return _runs(cell, spanned), np.repeat(incident, spanned), spanned


def _starts(count: I64) -> I64:
    """Where each of runs of ``count`` begins, one after another."""
    return np.cumsum(count) - count


def _runs(start: I64, count: I64) -> I64:
    """``start[k], start[k] + 1, ...`` (``count[k]`` of them) for every k, one after another."""
    return np.repeat(start - _starts(count), count) + np.arange(int(count.sum()))


def _changes(
    whole: PeriodMeasure, again: PeriodMeasure, rows: _BatchRows, n_scopes: int, bounds: I64
) -> list[ScopeChanges]:
    """Each scope's changes: at each of its trials in the batch (``again``), the row of
    ``whole`` with the periods of each of the trial's groups taken from the batch's row for it
    (``bounds``: the first period of each group, then the number of result columns; rows of a
    scope follow one another, by trial then group)."""
    n_periods = whole.downtime.shape[1]
    ends = np.searchsorted(rows.scope, np.arange(1, n_scopes + 1))
    out, begin = [], 0
    for end in ends.tolist():
        at = slice(begin, end)
        if len(bounds) == 2:  # one group: a row per trial, whole
            out.append(ScopeChanges(rows.trial[at], again.downtime[at], again.excluded[at]))
        else:  # the periods of each row's group, by their flat indices
            trials, which = np.unique(rows.trial[at], return_inverse=True)
            first_period = bounds[rows.group[at]]
            n_copied = bounds[rows.group[at] + 1] - first_period
            taken = _runs(np.arange(begin, end) * n_periods + first_period, n_copied)
            put = _runs(which * n_periods + first_period, n_copied)
            found = []
            for name in ("downtime", "excluded"):
                values = getattr(whole, name)[trials]
                values.reshape(-1)[put] = getattr(again, name).reshape(-1)[taken]
                found.append(values)
            out.append(ScopeChanges(trials, *found))
        begin = end
    return out
