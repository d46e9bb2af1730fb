"""Tiers in distinct scopes measured over what their scopes share.

Tiers of distinct scopes see different incidents, so each scope is measured on its own; yet most
of what each sees is often the same (platform-wide processes, catastrophes), and a trial in
which a scope sees nothing beyond the incidents every scope sees measures as those alone (each
trial's rows are measured apart from every other trial's). So the shared incidents are measured
once, and each scope again only in the trials where it sees more, every scope's such trials in
one batch (a measurement's fixed cost is paid twice a block, not once per scope): the same
integers, for a fraction of the work when the incidents that tell the scopes apart are rare.

Which scope sees which incident follows from its source (a scopes x sources matrix), so every
scope's rows of the batch are found in a few passes over the block's incidents, whatever the
number of scopes: a pass per scope cost more than measuring the batch with 50 scopes. A row of
the batch holds its incidents in another order than the scope's incidents alone would; a trial
is measured as the set of its incidents, in any order (tests/engine/test_shared_scopes.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from slamodeler.engine.interval_measure import IntervalIncidents, PeriodMeasure

I64 = NDArray[np.int64]
Measure = Callable[[IntervalIncidents], PeriodMeasure]
Columns = tuple[I64, I64, I64, NDArray[np.int8]]  # drawn incidents' first, stop, weight, class


@dataclass(frozen=True)
class SharedBase:
    """Which drawn incidents every scope sees, and those incidents measured alone per trial."""

    shared: NDArray[np.bool_]
    measured: PeriodMeasure


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
) -> SharedBase | None:
    """The base of the scopes of ``reach`` (scopes x sources: whether each scope sees each
    source's incidents), from the drawn incidents' ``source``, ``trial`` and ``columns``. None
    for fewer than two scopes, or when they share no incident: nothing to measure once."""
    if len(reach) < 2:
        return None
    shared: NDArray[np.bool_] = np.all(reach, axis=0)[source]
    if not shared.any():
        return None
    at = np.flatnonzero(shared)
    first, stop, weight, klass = columns
    alone = IntervalIncidents(n_trials, trial[at], first[at], stop[at], weight[at], klass[at])
    return SharedBase(shared, measure(alone))


def measured_over(
    base: SharedBase,
    reach: NDArray[np.bool_],
    source: I64,
    trial: I64,
    columns: Columns,
    measure: Measure,
) -> list[ScopeTimes]:
    """``measure`` of each scope's drawn incidents (``shared_base``'s arguments): the base's
    rows, but in the trials where the scope sees more, measured for every scope in one batch
    (a scope's such trials are rows of it)."""
    n_trials = base.measured.downtime.shape[0]
    rows = _scope_rows(base.shared, reach, source, trial, n_trials)
    first, stop, weight, klass = columns
    at = rows.incident
    again = measure(
        IntervalIncidents(len(rows.trial), rows.row, first[at], stop[at], weight[at], klass[at])
    )
    return _with_rows(base.measured, again, rows, len(reach))


@dataclass(frozen=True)
class _BatchRows:
    """The batch's rows (a scope and a trial each, sorted by scope then trial) and its
    incidents, row after row (each one's index among the drawn incidents, and its row)."""

    scope: I64
    trial: I64
    incident: I64
    row: I64


def _scope_rows(
    shared: NDArray[np.bool_], reach: NDArray[np.bool_], source: I64, trial: I64, n_trials: int
) -> _BatchRows:
    """A row for each scope and trial where the scope sees an incident not shared, holding
    the trial's shared incidents, then those. Row after row, as the measurement reads them:
    a batch holding each shared incident's copies one after another took half as long again
    to measure, reading each row's incidents far apart."""
    # each incident some scope sees, but not all, once per scope that sees it
    telling: NDArray[np.bool_] = np.any(reach, axis=0) & ~np.all(reach, axis=0)
    own = np.flatnonzero(telling[source])
    _, scope_of = np.nonzero(reach.T)  # the scopes of each source, source after source
    per_source = reach.sum(axis=0)
    counts = per_source[source[own]]
    own_scope = scope_of[_runs(_starts(per_source)[source[own]], counts)]
    own = np.repeat(own, counts)
    key = own_scope * n_trials + trial[own]
    order = np.argsort(key, kind="stable")
    key, own = key[order], own[order]
    new_row = np.ones(len(key), dtype=bool)
    np.not_equal(key[1:], key[:-1], out=new_row[1:])
    row_scope, row_trial = np.divmod(key[new_row], n_trials)
    n_own = np.bincount(np.cumsum(new_row) - 1, minlength=len(row_trial))
    # each trial's shared incidents, in every row of the trial
    common = np.flatnonzero(shared)
    common = common[np.argsort(trial[common], kind="stable")]
    per_trial = np.bincount(trial[common], minlength=n_trials)
    n_common = per_trial[row_trial]
    size = n_common + n_own
    row_first = _starts(size)
    incident = np.empty(int(size.sum()), dtype=np.int64)
    incident[_runs(row_first, n_common)] = common[_runs(_starts(per_trial)[row_trial], n_common)]
    incident[_runs(row_first + n_common, n_own)] = own
    row = np.repeat(np.arange(len(size), dtype=np.int64), size)
    return _BatchRows(row_scope, row_trial, incident, row)


def _starts(count: I64) -> I64:
    """Where each of runs of ``count`` begins, one after another."""
    return np.cumsum(count) - count


def _runs(start: I64, count: I64) -> I64:
    """``start[k], start[k] + 1, ...`` (``count[k]`` of them) for every k, one after another."""
    return np.repeat(start - _starts(count), count) + np.arange(int(count.sum()))


def _with_rows(
    whole: PeriodMeasure, again: PeriodMeasure, rows: _BatchRows, n_scopes: int
) -> list[ScopeTimes]:
    """Each scope's times: ``whole``'s rows, with the batch's (``again``) at its trials (rows
    of a scope follow one another). An array of both columns per scope, filled in two passes:
    one array for every scope took a run three times the time, its pages handed back to the
    system after each chunk and taken again (page faults)."""
    base = np.stack((whole.downtime, whole.excluded))
    measured = np.stack((again.downtime, again.excluded))
    ends = np.searchsorted(rows.scope, np.arange(1, n_scopes + 1))
    out, begin = [], 0
    for end in ends.tolist():
        values = base.copy()
        values[:, rows.trial[begin:end]] = measured[:, begin:end]
        out.append(ScopeTimes(*values))
        begin = end
    return out
