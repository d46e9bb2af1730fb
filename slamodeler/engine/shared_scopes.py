"""Tiers in distinct scopes measured over what their scopes share.

Tiers of distinct scopes see different incidents, so each scope is measured on its own; yet most
of what each sees is often the same (platform-wide processes, catastrophes), and a trial in
which a scope sees nothing beyond the incidents every scope sees measures as those alone (each
trial's rows are measured apart from every other trial's). So the shared incidents are measured
once, and each scope again only in the trials where it sees more, every scope's such trials in
one batch (a measurement's fixed cost is paid twice a block, not once per scope): the same
integers, for a fraction of the work when the incidents that tell the scopes apart are rare."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from slamodeler.engine.interval_measure import IntervalIncidents, PeriodMeasure

I64 = NDArray[np.int64]
Measure = Callable[[IntervalIncidents], PeriodMeasure]


@dataclass(frozen=True)
class SharedBase:
    """Which drawn incidents every scope sees, and those incidents measured alone per trial."""

    shared: NDArray[np.bool_]
    measured: PeriodMeasure


def shared_base(
    seen: Sequence[NDArray[np.bool_]],
    trial: I64,
    columns: tuple[I64, I64, I64, NDArray[np.int8]],
    n_trials: int,
    measure: Measure,
) -> SharedBase | None:
    """The base of the scopes that see the drawn incidents ``seen`` (one mask each; rows are
    the incidents' trials), from the drawn ``columns`` (first, stop, weight, class). None for
    fewer than two scopes, or when they share no incident: nothing to measure once."""
    if len(seen) < 2:
        return None
    shared = np.logical_and.reduce(seen)
    if not shared.any():
        return None
    at = np.flatnonzero(shared)
    first, stop, weight, klass = columns
    alone = IntervalIncidents(n_trials, trial[at], first[at], stop[at], weight[at], klass[at])
    return SharedBase(shared, measure(alone))


def measured_over(
    base: SharedBase,
    scopes: Sequence[I64],
    trial: I64,
    columns: tuple[I64, I64, I64, NDArray[np.int8]],
    measure: Measure,
) -> list[PeriodMeasure]:
    """``measure`` of each scope's drawn incidents ``scopes[k]`` (each scope sees every shared
    one; rows are the incidents' trials): the base's rows, but in the trials where the scope
    sees more, measured for every scope in one batch (a scope's such trials are rows of it)."""
    first, stop, weight, klass = columns
    n_trials = base.measured.downtime.shape[0]
    hit = np.zeros(n_trials, dtype=bool)
    touched, picks, rows = [], [], []
    offset = 0
    for idx in scopes:
        mine = np.unique(trial[idx[~base.shared[idx]]])
        hit[:] = False
        hit[mine] = True
        pick = idx[hit[trial[idx]]]
        rows.append(offset + np.searchsorted(mine, trial[pick]))
        touched.append(mine)
        picks.append(pick)
        offset += len(mine)
    at = np.concatenate(picks)
    batch = IntervalIncidents(
        offset,
        np.concatenate(rows),
        first[at],
        stop[at],
        weight[at],
        klass[at],
    )
    again = measure(batch)
    out, begin = [], 0
    for mine in touched:
        parts = []
        for whole, part in zip(_columns(base.measured), _columns(again), strict=True):
            values = whole.copy()
            values[mine] = part[begin : begin + len(mine)]
            parts.append(values)
        out.append(PeriodMeasure(*parts))
        begin += len(mine)
    return out


def _columns(m: PeriodMeasure) -> tuple[I64, I64, I64]:
    return m.downtime, m.excluded, m.below_minimum
