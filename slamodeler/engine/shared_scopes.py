"""Tiers in distinct scopes measured over what their scopes share.

Tiers of distinct scopes see different incidents, so each scope is measured on its own; yet most
of what each sees is often the same (platform-wide processes, catastrophes), and a trial in
which a scope sees nothing beyond the incidents every scope sees measures as those alone (each
trial's rows are measured apart from every other trial's). So the shared incidents are measured
once, and each scope again only in the trials where it sees more: the same integers, for a
fraction of the work when the incidents that tell the scopes apart are rare."""

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
    base: SharedBase, inc: IntervalIncidents, idx: I64, measure: Measure
) -> PeriodMeasure:
    """``measure(inc)``, where ``inc`` holds the drawn incidents ``idx`` of a scope that sees
    every shared one: the base's rows, but in the trials where the scope sees more."""
    out = [
        a.copy()
        for a in (base.measured.downtime, base.measured.excluded, base.measured.below_minimum)
    ]
    touched = np.unique(inc.trial[~base.shared[idx]])
    if len(touched):
        hit = np.zeros(inc.n_trials, dtype=bool)
        hit[touched] = True
        pick = np.flatnonzero(hit[inc.trial])
        sub = IntervalIncidents(
            len(touched),
            np.searchsorted(touched, inc.trial[pick]),
            inc.first[pick],
            inc.stop[pick],
            inc.weight[pick],
            inc.klass[pick],
        )
        again = measure(sub)
        for whole, part in zip(
            out, (again.downtime, again.excluded, again.below_minimum), strict=True
        ):
            whole[touched] = part
    return PeriodMeasure(*out)
