"""Rows of tiers in distinct scopes swept over their shared base (``jit_measure.measure_changes``
through ``shared_scopes.swept_changes``) measure as each scope's incidents alone on the numpy
path, integer for integer: a property over the rules the sweep covers, with touching and
clustered incidents and allowances partly used, and the cases a rejoin turns on written out
(the allowance left, and the contract year it is left in)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.engine import compiled_kernels
from slamodeler.engine.interval_measure import (
    MAINTENANCE,
    IntervalIncidents,
    measure_intervals,
    measure_with_changes,
)
from slamodeler.engine.shared_scopes import measured_over, swept_changes
from slamodeler.engine.slot_rules import SlotRules
from tests.helpers.builders import horizon_of
from tests.helpers.interval_sets import numpy_measurement
from tests.helpers.scope_cases import scoped_incidents, sweep_of, tiers_in_distinct_regions
from tests.helpers.strategies import contracts

MICRO = 1_000_000


def _some(inc: IntervalIncidents, at) -> IntervalIncidents:
    return IntervalIncidents(
        inc.n_trials, inc.trial[at], inc.first[at], inc.stop[at], inc.weight[at], inc.klass[at]
    )


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    contracts(slot_rules=True), st.sampled_from([1, 2, 3, 13, 14, 25]), st.integers(2, 4), st.data()
)
def test_scopes_swept_over_the_base_measure_as_each_alone(
    monkeypatch, terms, months, n_scopes, data
):
    """Any rules the sweep covers (worst impact: added overlaps stay on the batch), over one
    period or several contract years, incidents short and touching (``interval_sets``'s
    ``short``), an allowance up to the maintenance drawn (so that it is often partly used when
    a scope's own incidents come), and a source every scope sees: the base, and each scope's
    rows over it, are those of its incidents measured alone on the numpy path."""
    data_terms = terms.model_dump(mode="json")
    data_terms["measurement"]["overlaps"] = "worst"
    terms = terms.model_validate(data_terms)
    horizon = horizon_of(terms, months)
    inc, reach, source = scoped_incidents(data, horizon, n_scopes, short=True)
    reach[:, 0] = True  # a source every scope sees: a base to sweep over
    if horizon.allowance_micro is not None:
        maintenance = inc.klass == MAINTENANCE
        drawn = int(((inc.stop - inc.first) * maintenance).clip(0).sum())
        minutes = data.draw(st.integers(0, drawn * terms.measurement.slot_minutes))
        horizon = dataclasses.replace(horizon, allowance_micro=minutes * MICRO)
    calls = _counting(monkeypatch)
    shared = (reach, source, inc.trial, (inc.first, inc.stop, inc.weight, inc.klass))
    swept = swept_changes(*shared, inc.n_trials, sweep_of(terms, horizon))
    if horizon.service is not None or horizon.windowed or not np.all(reach, axis=0)[source].any():
        assert swept is None and not calls  # service hours, rolling windows: the batch
        return
    assert swept is not None and calls
    base, changes = swept
    m = terms.measurement
    args = (horizon, m.slot_minutes, m.min_downtime_minutes, SlotRules.of(m))
    with pytest.MonkeyPatch.context() as patched:
        numpy_measurement(patched)
        expected = measure_intervals(_some(inc, np.flatnonzero(base.shared)), *args)
        for name in ("downtime", "excluded", "below_minimum"):
            assert np.array_equal(getattr(base.measured, name), getattr(expected, name)), name
        for scope, got in zip(reach, measured_over(base, changes), strict=True):
            alone = measure_intervals(_some(inc, np.flatnonzero(scope[source])), *args)
            for name in ("downtime", "excluded"):
                assert np.array_equal(getattr(got, name), getattr(alone, name)), name


def _counting(monkeypatch) -> list[int]:
    """The compiled sweep over a base, counting its calls (so that the test does not compare
    the numpy path with itself)."""
    kernels = compiled_kernels.measure_over_base()
    assert kernels is not None, "numba is a dependency: the compiled kernel must load here"
    marked, changes = kernels
    calls: list[int] = []

    def counted(*args):
        calls.append(1)
        return changes(*args)

    monkeypatch.setattr(compiled_kernels, "measure_over_base", lambda: (marked, counted))
    return calls


def _incidents(*spans: tuple[int, int]) -> IntervalIncidents:
    """Maintenance of full impact over the slots of each span, in one trial."""
    n = len(spans)
    return IntervalIncidents(
        1,
        np.zeros(n, dtype=np.int64),
        np.array([a for a, _ in spans], dtype=np.int64),
        np.array([b for _, b in spans], dtype=np.int64),
        np.full(n, MICRO, dtype=np.int64),
        np.full(n, MAINTENANCE, dtype=np.int8),
    )


def _swept_and_alone(months, base_spans, own_spans):
    """The sample's terms (1-minute slots) with an allowance of 100 minutes a contract year:
    a row of ``own_spans`` over a base of ``base_spans``, swept, and all of them measured
    together on the numpy path; each as (downtime, excluded) minutes over the horizon."""
    terms, _ = tiers_in_distinct_regions()
    m = terms.measurement
    assert m.slot_minutes == 1
    horizon = dataclasses.replace(horizon_of(terms, months), allowance_micro=100 * MICRO)
    args = (horizon, m.slot_minutes, m.min_downtime_minutes, SlotRules.of(m))
    base, own = _incidents(*base_spans), _incidents(*own_spans)
    own = dataclasses.replace(own, n_trials=1)
    swept = measure_with_changes(base, own, np.zeros(1, dtype=np.int64), *args)
    assert swept is not None
    with pytest.MonkeyPatch.context() as patched:
        numpy_measurement(patched)
        alone = measure_intervals(_incidents(*base_spans, *own_spans), *args)
    return (
        (int(swept.downtime.sum()) // MICRO, int(swept.excluded.sum()) // MICRO),
        (int(alone.downtime.sum()) // MICRO, int(alone.excluded.sum()) // MICRO),
    )


def test_a_row_that_used_the_allowance_does_not_rejoin_a_base_that_did_not():
    """100 minutes of the scope's own maintenance come first and use the year's 100 minutes of
    allowance; the base's 100 minutes later are then downtime, where the base alone had them
    excused. At the gap before them the allowance left differs (0 against 100): the row must
    sweep on, not take the base's rest."""
    swept, alone = _swept_and_alone(3, [(1000, 1100)], [(100, 200)])
    assert swept == alone == (100, 100)


def test_the_allowance_left_is_compared_in_the_contract_year_that_follows():
    """Over two contract years: the base's 200 minutes of maintenance before the new year
    (100 excused), the scope's own 200 minutes just after it (the new year's 100 excused), the
    base's 100 minutes later that year. At the gap before those the base has used nothing of
    the new year (its last piece was in the old one), the row all of it: downtime 300, excluded
    200, where a comparison of the allowance used alone (100 each) would rejoin and give 200 and
    300."""
    terms, _ = tiers_in_distinct_regions()
    horizon = horizon_of(terms, 24)
    new_year = int(horizon.period_starts[horizon.years.index(horizon.years[0] + 1)])
    base = [(new_year - 1000, new_year - 800), (new_year + 5000, new_year + 5100)]
    swept, alone = _swept_and_alone(24, base, [(new_year + 100, new_year + 300)])
    assert swept == alone == (300, 200)


def _poisoned_base(monkeypatch, poison: dict[int, int]) -> None:
    """The compiled sweep over a base whose totals are off by ``poison`` (period: minutes of
    excluded time, in its only trial) once measured: a row's period taken from the base's
    totals shows it, a period the row sweeps does not."""
    kernels = compiled_kernels.measure_over_base()
    assert kernels is not None, "numba is a dependency: the compiled kernel must load here"
    marked, changes = kernels

    def poisoned(*args):
        found = marked(*args)
        for period, minutes in poison.items():
            args[-1][1, 0, period] += minutes * MICRO
        return found

    monkeypatch.setattr(compiled_kernels, "measure_over_base", lambda: (poisoned, changes))


@pytest.mark.parametrize(
    ("allowance", "rejoins"), [(None, True), (100, False)], ids=["no allowance", "allowance used"]
)
def test_a_row_is_swept_from_the_gap_before_its_own_to_where_it_rejoins(
    monkeypatch, allowance, rejoins
):
    """Maintenance of the base in January, June and December (30, 30 and 50 minutes), and the
    scope's own in June (50), apart from them: the row is swept from the gap before its own,
    so January is the base's (its poisoned total shows); and rejoins the base at the gap
    after, so December is the base's too. Under 100 minutes of allowance a year its own
    maintenance uses the 40 minutes the base's December has excused: at the gap after it the
    allowance left differs (none against 40), so it cannot rejoin: December is swept (50
    minutes of downtime, not 10), as all the incidents measure together."""
    terms, _ = tiers_in_distinct_regions()
    m = terms.measurement
    micro = None if allowance is None else allowance * MICRO
    horizon = dataclasses.replace(horizon_of(terms, 12), allowance_micro=micro)
    june, december = (int(horizon.period_starts[p]) for p in (5, 11))
    base_spans = [(1000, 1030), (june + 1000, june + 1030), (december + 1000, december + 1050)]
    own_spans = [(june + 5000, june + 5050)]
    args = (horizon, m.slot_minutes, m.min_downtime_minutes, SlotRules.of(m))
    with pytest.MonkeyPatch.context() as patched:
        numpy_measurement(patched)
        alone = measure_intervals(_incidents(*base_spans, *own_spans), *args)
    _poisoned_base(monkeypatch, {0: 7, 11: 11})
    own = dataclasses.replace(_incidents(*own_spans), n_trials=1)
    swept = measure_with_changes(_incidents(*base_spans), own, np.zeros(1, np.int64), *args)
    assert swept is not None
    expected = alone.excluded[0].copy()
    expected[0] += 7 * MICRO
    if rejoins:
        expected[11] += 11 * MICRO
    assert list(swept.excluded[0] // MICRO) == list(expected // MICRO)
    assert np.array_equal(swept.downtime[0], alone.downtime[0])
