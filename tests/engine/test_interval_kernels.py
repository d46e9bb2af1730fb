"""The faster measurement kernels give, array for array, what the kernels they replaced gave
(tests/helpers/reference_interval_kernels.py), on random interval sets under every slot rule,
overlap rule, threshold, zone quorum, maintenance window, service hours and allowance the
contracts strategy draws; a choice among one option leaves the generator where drawing it
did, and among more it picks what numpy's choice picks. The whole simulation is pinned to the cent in test_simulation_pinned.py."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.engine import interval_measure
from slamodeler.engine.drawn_parts import cdf_of, picked
from slamodeler.engine.interval_measure import IntervalIncidents, measure_intervals
from slamodeler.engine.outage_model import skip_uniforms
from slamodeler.engine.slot_rules import SlotRules
from slamodeler.io.contract_file import load_contract
from tests.helpers import reference_interval_kernels as reference
from tests.helpers.builders import horizon_of
from tests.helpers.interval_sets import interval_sets, numpy_measurement
from tests.helpers.paths import SAMPLES
from tests.helpers.strategies import contracts


def _same(a, b, names) -> None:
    for name in names:
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(contracts(slot_rules=True), st.integers(1, 3), st.booleans(), st.data())
def test_worst_impact_is_the_reference_layer_cake(terms, months, zoned, data):
    horizon = horizon_of(terms, months)
    inc = data.draw(interval_sets(horizon, zoned))
    rules = SlotRules.of(terms.measurement)
    keep = (inc.stop > inc.first) & (inc.weight > 0)
    columns = (inc.trial, inc.first, inc.stop, inc.weight, inc.klass)
    args = (*(c[keep] for c in columns), horizon.grid.n, rules)
    quorum = None if inc.zones is None else (inc.zones[keep], inc.at_least)
    if not keep.any():
        return
    _same(
        interval_measure._worst_impact_segments(*args, quorum),
        reference.worst_impact_segments(*args, quorum),
        ("trial", "start", "stop", "w_all", "w_m", "w_nc"),
    )


@SETTINGS
@given(contracts(slot_rules=True, service_hours=True), st.integers(1, 14), st.data())
def test_measuring_equals_measuring_with_the_reference_kernels(monkeypatch, terms, months, data):
    """Every period's downtime, excluded time and time below the minimum, with windows,
    service hours, allowances over contract years and minimum downtime as drawn."""
    horizon = horizon_of(terms, months)
    inc = data.draw(interval_sets(horizon, data.draw(st.booleans())))
    m = terms.measurement
    args = (horizon, m.slot_minutes, m.min_downtime_minutes, SlotRules.of(m))
    numpy_measurement(monkeypatch)  # the compiled path is held to this one in test_compiled_measure
    fast = measure_intervals(inc, *args)
    with monkeypatch.context() as patched:
        patched.setattr(interval_measure, "_worst_impact_segments", reference.worst_impact_segments)
        patched.setattr(interval_measure, "_split", reference.split)
        patched.setattr(interval_measure, "_excuse_slots", reference.excuse_slots)
        slow = measure_intervals(inc, *args)
    _same(fast, slow, ("downtime", "excluded", "below_minimum"))


@pytest.mark.parametrize("name", ["_worst_impact_segments", "_split", "_excuse_slots"])
def test_measuring_calls_each_kernel_the_reference_stands_in_for(monkeypatch, name):
    """Else the test above would compare a path with itself."""

    def broken(*args, **kwargs):
        raise LookupError(name)

    horizon = horizon_of(load_contract(SAMPLES / "three_tier_cloud.yaml"), 1)
    one = IntervalIncidents(
        1, *(np.array([v], dtype=np.int64) for v in (0, 10, 20, 1_000_000)), np.zeros(1, np.int8)
    )
    numpy_measurement(monkeypatch)
    monkeypatch.setattr(interval_measure, name, broken)
    with pytest.raises(LookupError):
        measure_intervals(one, horizon, 1, 0, SlotRules())


@given(st.lists(st.sampled_from([3, 7, 7, 9]), min_size=1, max_size=3000), st.integers(0, 5))
def test_distinct_weights_are_those_of_every_weight(values, rare):
    """A value met once, outside the sample the levels are first read from, is still a level."""
    weight = np.array([*values[:-1], values[-1] + rare], dtype=np.int64)
    levels, at = interval_measure._distinct(weight)
    assert np.array_equal(levels, np.unique(weight))
    assert np.array_equal(levels[at], weight)


@pytest.mark.parametrize("bits", [np.random.PCG64, np.random.Philox, np.random.MT19937])
@pytest.mark.parametrize("half", [False, True])
def test_skipping_a_choice_among_one_leaves_the_draws_after_it(bits, half):
    """``skip_uniforms`` leaves the generator as ``choice`` among one option did, also after a
    32-bit draw that keeps half an output back."""
    chose, skipped = (np.random.Generator(bits(11)) for _ in range(2))
    for rng in (chose, skipped):
        rng.random(3)
        if half:
            rng.integers(0, 10, size=3, dtype=np.int32)
    assert chose.choice(1, size=1001, p=np.array([1.0])).tolist() == [0] * 1001
    skip_uniforms(skipped, 1001)
    for rng in (chose, skipped):
        rng.integers(0, 10, size=5, dtype=np.int32)
    assert chose.random(5).tolist() == skipped.random(5).tolist()
    assert chose.integers(0, 10**9, size=5).tolist() == skipped.integers(0, 10**9, size=5).tolist()


@given(
    st.lists(st.one_of(st.just(0.0), st.floats(1e-6, 1e6)), min_size=2, max_size=6).filter(any),
    st.integers(0, 3000),
    st.integers(0, 2**32),
)
def test_a_pick_among_several_is_numpys_choice(weights, n, seed):
    """A pick by uniforms and running shares (``drawn_parts.picked``) picks what
    ``Generator.choice`` picks (the simulation's impacts, causes and places are pinned to it),
    zero shares and edges included, and leaves the same draws after."""
    p = np.array(weights) / sum(weights)
    chose, picker = (np.random.default_rng(seed) for _ in range(2))
    expected = chose.choice(len(p), size=n, p=p)
    found = picked(picker.random(n), cdf_of(p))
    assert found.dtype == np.int64
    assert found.tolist() == expected.tolist()
    assert chose.random(3).tolist() == picker.random(3).tolist()


@SETTINGS
@given(
    st.integers(1, 80),
    st.sampled_from([1, 3, None]),
    st.data(),
)
def test_many_incidents_at_once_in_many_levels(count, levels, data):
    """Incidents stacked over each other in one trial: many running at one level at once (the
    widest digit a trial needs) or each at its own level (levels spread over several running
    sums, and a set's levels over several groups)."""
    first = np.array(data.draw(st.lists(st.integers(0, 50), min_size=count, max_size=count)))
    stop = np.array(data.draw(st.lists(st.integers(60, 120), min_size=count, max_size=count)))
    if levels is None:  # each incident at a level of its own
        weight = np.arange(1, count + 1, dtype=np.int64) * 12_345
    else:
        pick = data.draw(st.lists(st.integers(1, levels), min_size=count, max_size=count))
        weight = np.array(pick, dtype=np.int64) * 300_000
    klass = np.array(data.draw(st.lists(st.integers(0, 2), min_size=count, max_size=count)))
    args = (np.zeros(count, dtype=np.int64), first, stop, weight, klass.astype(np.int8), 200)
    for rules in (SlotRules(), SlotRules(down_above_micro=500_000)):
        _same(
            interval_measure._worst_impact_segments(*args, rules),
            reference.worst_impact_segments(*args, rules),
            ("trial", "start", "stop", "w_all", "w_m", "w_nc"),
        )
