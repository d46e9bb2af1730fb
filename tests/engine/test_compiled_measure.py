"""The compiled measurement (slamodeler/engine/jit_measure.py) gives, integer for integer, what
the numpy path gives (the reference, itself held to the kernels before it in
test_interval_kernels.py) on random interval sets under every slot rule, threshold, window,
allowance over contract years and minimum downtime the contracts strategy draws; where numba is
missing or cannot compile, the simulation takes the numpy path with the same cents."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler import APP_NAME
from slamodeler.engine import compiled_kernels, interval_measure
from slamodeler.engine.counted_columns import counted_columns
from slamodeler.engine.horizon import Horizon
from slamodeler.engine.interval_measure import IntervalIncidents, measure_intervals
from slamodeler.engine.simulation import simulate
from slamodeler.engine.slot_rules import SlotRules
from slamodeler.engine.slots import SlotGrid
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from slamodeler.launcher import jit_cache_outside_bundle
from tests.helpers.builders import horizon_of
from tests.helpers.interval_sets import interval_sets, numpy_measurement
from tests.helpers.kernels import counting_kernel
from tests.helpers.paths import SAMPLES
from tests.helpers.strategies import contracts

FIELDS = ("downtime", "excluded", "below_minimum")


@pytest.fixture
def compiled_calls(monkeypatch):
    """The compiled kernel, counting its calls (so a test cannot compare numpy with itself)."""
    return counting_kernel(monkeypatch, "measure")


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(contracts(slot_rules=True), st.integers(1, 14), st.data())
def test_the_compiled_measurement_is_the_numpy_one(compiled_calls, terms, months, data):
    """Incidents anywhere, or short and touching (runs of down slots joined across them)."""
    horizon = horizon_of(terms, months)
    inc = data.draw(interval_sets(horizon, short=data.draw(st.booleans())))
    m = terms.measurement
    rules = SlotRules.of(m)
    args = (horizon, m.slot_minutes, m.min_downtime_minutes, rules)
    before = len(compiled_calls)
    compiled = measure_intervals(inc, *args)
    with pytest.MonkeyPatch.context() as patched:
        numpy_measurement(patched)
        reference = measure_intervals(inc, *args)
    for name in FIELDS:
        assert np.array_equal(getattr(compiled, name), getattr(reference, name)), name
    assert len(compiled_calls) == before + (0 if rules.adds or not len(inc.trial) else 1)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(33, 120), st.sampled_from([1, 5, 30]), st.data())
def test_a_trial_of_many_incidents_across_periods(compiled_calls, count, minimum, data):
    """Many incidents in one trial (sorted by insertion alone up to ``jit_measure.INSERTION_SORT_MAX``, by
    Shell's sort over several gaps above), long ones across months
    and windows, runs of downtime joined across period bounds, an
    allowance running out."""
    terms = load_contract(SAMPLES / "three_tier_cloud.yaml")
    horizon = horizon_of(terms, 3)
    n = horizon.grid.n
    first = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=count, max_size=count)))
    length = data.draw(st.lists(st.integers(1, 3000), min_size=count, max_size=count))
    stop = np.minimum(first + np.array(length), n)
    weight = data.draw(
        st.lists(st.sampled_from([250_000, 500_000, 1_000_000]), min_size=count, max_size=count)
    )
    klass = data.draw(st.lists(st.integers(0, 2), min_size=count, max_size=count))
    inc = IntervalIncidents(
        1,
        np.zeros(count, dtype=np.int64),
        first.astype(np.int64),
        stop.astype(np.int64),
        np.array(weight, dtype=np.int64),
        np.array(klass, dtype=np.int8),
    )
    compiled = measure_intervals(inc, horizon, 1, minimum)
    with pytest.MonkeyPatch.context() as patched:
        numpy_measurement(patched)
        reference = measure_intervals(inc, horizon, 1, minimum)
    for name in FIELDS:
        assert np.array_equal(getattr(compiled, name), getattr(reference, name)), name
    assert compiled_calls


@pytest.mark.parametrize("slot_seconds", [60, 86_400])
@pytest.mark.parametrize("counting", ["any", "whole", "more_than_half"])
def test_slots_far_from_the_grids_origin_are_counted_exactly(monkeypatch, counting, slot_seconds):
    """The compiled pass finds the slots touched by floating-point quotients: one second either
    side of a slot's edge, up to 2**50 seconds from the origin either way, it still gives
    numpy's integer floor division."""
    grid = SlotGrid(origin=0, slot_seconds=slot_seconds, n=2**50)
    edges = [k * slot_seconds for m in (1, 10**6, 10**9, 2**50 // slot_seconds) for k in (m, -m)]
    instants = [e + d for e in edges for d in (-1, 0, 1)]
    start = np.array(instants, dtype=np.int64)
    lasting = np.resize([1, slot_seconds - 1, slot_seconds, 7 * slot_seconds + 1], len(start))
    end = start + lasting
    none = np.zeros(len(start), np.int64)
    weights = (none, none, np.array([1]), np.zeros(1, np.int8))
    rules = SlotRules(counting=counting)
    calls = counting_kernel(monkeypatch, "counted")
    compiled = counted_columns(start, end, weights, grid, rules)
    assert calls
    with pytest.MonkeyPatch.context() as patched:
        numpy_measurement(patched)
        reference = counted_columns(start, end, weights, grid, rules)
    for a, b in zip(compiled, reference, strict=True):
        assert np.array_equal(a, b)


@pytest.mark.parametrize("gap", [0, 1])
def test_incidents_that_touch_are_one_run_of_down_slots(compiled_calls, gap):
    """Minimum downtime 10 minutes: 6 minutes of downtime and 6 more from the minute it ends
    are one run of 12 (downtime); a minute apart, two runs of 6 (each below the minimum). The
    sweep's gaps need a slot that nothing covers."""
    terms = load_contract(SAMPLES / "three_tier_cloud.yaml")
    data = terms.model_dump(mode="json")
    data["measurement"] |= {"min_downtime_minutes": 10, "slot_minutes": 1}
    terms = terms.model_validate(data)
    horizon = horizon_of(terms, 1)
    first = np.array([100, 106 + gap], dtype=np.int64)
    inc = IntervalIncidents(
        1,
        np.zeros(2, dtype=np.int64),
        first,
        first + 6,
        np.full(2, 1_000_000, dtype=np.int64),
        np.zeros(2, dtype=np.int8),
    )
    found = measure_intervals(inc, horizon, 1, 10, SlotRules.of(terms.measurement))
    assert compiled_calls
    down, below = (0, 12) if gap else (12, 0)
    assert found.downtime.sum() == down * 1_000_000
    assert found.below_minimum.sum() == below * 1_000_000


def test_a_weight_outside_the_sample_is_measured_at_its_own_level(compiled_calls):
    """The compiled measurement reads the impact levels from a sample of the weights: a weight
    met once outside it makes the kernel refuse, measuring nothing, and measure again on every
    weight's levels, with the numpy path's totals."""
    terms = load_contract(SAMPLES / "three_tier_cloud.yaml")
    horizon = horizon_of(terms, 3)
    count = 3001  # the sample takes every 2nd weight: the odd ones are not read
    first = np.arange(count, dtype=np.int64) * 40
    weight = np.full(count, 300_000, dtype=np.int64)
    weight[count - 2] = 700_000
    inc = IntervalIncidents(
        4,
        np.arange(count, dtype=np.int64) % 4,
        first,
        first + 30,
        weight,
        (np.arange(count) % 3).astype(np.int8),
    )
    compiled = measure_intervals(inc, horizon, 1, 5)
    assert len(compiled_calls) == 2
    with pytest.MonkeyPatch.context() as patched:
        numpy_measurement(patched)
        reference = measure_intervals(inc, horizon, 1, 5)
    for name in FIELDS:
        assert np.array_equal(getattr(compiled, name), getattr(reference, name)), name


def _spread_incidents(horizon: Horizon, count: int, weight: np.ndarray) -> IntervalIncidents:
    """``count`` incidents of 30 slots over 4 trials, spread over the whole horizon, of every
    class in turn."""
    first = np.linspace(0, horizon.grid.n - 31, count).astype(np.int64)
    return IntervalIncidents(
        4,
        np.arange(count, dtype=np.int64) % 4,
        first,
        first + 30,
        np.asarray(weight, dtype=np.int64),
        (np.arange(count) % 3).astype(np.int8),
    )


@pytest.mark.parametrize("beyond", ["slots", "levels"])
def test_slots_or_levels_beyond_the_sort_keys_are_measured_on_the_numpy_path(
    compiled_calls, beyond
):
    """The sweep packs each incident's first slot, stop and level into one sort key: a horizon
    of 2**25 slots or more (almost 64 years of minutes) or more than 2**11 distinct weights do not
    fit, and the kernel refuses, measuring nothing; the numpy path measures instead."""
    terms = load_contract(SAMPLES / "three_tier_cloud.yaml")
    if beyond == "slots":
        horizon = horizon_of(terms, 64 * 12)
        assert horizon.grid.n >= 2**25
        inc = _spread_incidents(horizon, 500, np.full(500, 300_000))
    else:
        horizon = horizon_of(terms, 3)
        inc = _spread_incidents(horizon, 3000, 1_000 + 300 * np.arange(3000))
    compiled = measure_intervals(inc, horizon, 1, 5)
    assert compiled_calls
    with pytest.MonkeyPatch.context() as patched:
        numpy_measurement(patched)
        reference = measure_intervals(inc, horizon, 1, 5)
    for name in FIELDS:
        assert np.array_equal(getattr(compiled, name), getattr(reference, name)), name
    assert compiled.downtime.sum() > 0


def test_the_measurement_reads_the_kernels_answers_as_it_gives_them():
    from slamodeler.engine import jit_measure

    assert (interval_measure.MEASURED, interval_measure.UNLISTED, interval_measure.UNFIT) == (
        jit_measure.MEASURED,
        jit_measure.UNLISTED,
        jit_measure.UNFIT,
    )


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.sampled_from(["any", "whole", "more_than_half"]),
    st.sampled_from([60, 300, 3600]),
    st.integers(1, 40),
    st.data(),
)
def test_the_compiled_counted_columns_are_the_numpy_ones(
    monkeypatch, counting, slot_seconds, slots, data
):
    """Counted slots, weights and classes of drawn incidents: starting before the grid, inside
    it or after it, on a slot's edge or beside it, lasting nothing, less than a slot, half of
    one or several, under each slot counting rule."""
    grid = SlotGrid(origin=1_798_779_600, slot_seconds=slot_seconds, n=slots)
    edge = st.integers(-2, slots + 2).map(lambda k: grid.origin + k * slot_seconds)
    nudge = st.sampled_from([0, 1, -1, slot_seconds // 2, -(slot_seconds // 2), 1 - slot_seconds])
    instant = st.one_of(
        st.builds(lambda e, d: e + d, edge, nudge),
        st.integers(grid.origin - 3 * slot_seconds, grid.origin + (slots + 3) * slot_seconds),
    )
    span = st.tuples(instant, instant)  # some end before they start
    spans = data.draw(st.lists(st.one_of(span.map(sorted), span), max_size=50))
    k = len(spans)
    start = np.array([a for a, _ in spans], dtype=np.int64)
    end = np.array([b for _, b in spans], dtype=np.int64)
    impact = np.array(data.draw(st.lists(st.integers(0, 2), min_size=k, max_size=k)), np.int64)
    cause = np.array(data.draw(st.lists(st.integers(0, 2), min_size=k, max_size=k)), np.int64)
    weights = (impact, cause, np.array([0, 400_000, 1_000_000]), np.array([0, 1, 2], np.int8))
    rules = SlotRules(counting=counting)
    kernel = compiled_kernels.counted()
    assert kernel is not None, "numba is a dependency: the compiled pass must load here"
    calls = []
    monkeypatch.setattr(compiled_kernels, "counted", lambda: calls.append(1) or kernel)
    compiled = counted_columns(start, end, weights, grid, rules)
    assert calls
    with pytest.MonkeyPatch.context() as patched:
        numpy_measurement(patched)
        reference = counted_columns(start, end, weights, grid, rules)
    for name, got, want in zip(
        ("first", "stop", "weight", "klass"), compiled, reference, strict=True
    ):
        assert got.dtype == want.dtype, name
        assert np.array_equal(got, want), name


def counted(fn):
    def wrapper(*args, **kwargs):
        wrapper.calls += 1
        return fn(*args, **kwargs)

    wrapper.calls = 0
    return wrapper


def _paid(run) -> dict[str, list[int]]:
    return {tier: np.asarray(t.paid, dtype=np.int64).tolist() for tier, t in run.pricing.items()}


def test_without_numba_the_simulation_takes_the_numpy_path_with_the_same_cents(monkeypatch):
    terms = load_contract(SAMPLES / "three_tier_cloud.yaml")
    scen = load_scenario(SAMPLES / "scenarios" / "baseline.yaml")
    compiled = simulate(terms, scen, 3000, 7)
    monkeypatch.setitem(sys.modules, "numba", None)  # ``import numba`` fails
    for kernels in ("jit_measure", "jit_draw", "jit_codes"):
        monkeypatch.delitem(sys.modules, f"slamodeler.engine.{kernels}", raising=False)
    compiled_kernels.forget()
    try:
        loaders = ("measure", "measure_laid", "counted", "counted_parts", "parts", "cells", "codes")
        assert all(getattr(compiled_kernels, name)() is None for name in loaders)
        monkeypatch.setattr(
            interval_measure, "_segments_of", counted(interval_measure._segments_of)
        )
        fallback = simulate(terms, scen, 3000, 7)
    finally:
        compiled_kernels.forget()
    assert interval_measure._segments_of.calls  # measured on the numpy path
    assert _paid(fallback) == _paid(compiled)


def test_a_measurement_kernel_that_does_not_measure_its_small_case_is_not_loaded(monkeypatch):
    from slamodeler.engine import jit_measure

    monkeypatch.setattr(jit_measure, "measure_trials", lambda *args: jit_measure.UNFIT)
    compiled_kernels.forget()
    try:
        assert compiled_kernels.measure() is None  # the numpy path measures instead
    finally:
        compiled_kernels.forget()


def test_the_environment_variable_forces_the_numpy_path(monkeypatch):
    monkeypatch.setenv(compiled_kernels.NUMPY_ONLY, "1")
    compiled_kernels.forget()
    try:
        assert compiled_kernels.measure() is None
    finally:
        monkeypatch.delenv(compiled_kernels.NUMPY_ONLY)
        compiled_kernels.forget()
    assert compiled_kernels.measure() is not None


def test_a_frozen_app_keeps_the_compiled_cache_outside_its_bundle(monkeypatch, tmp_path):
    """The built app's files may be read-only (and are shared): numba's cache goes to the
    user's cache folder; a folder the user set is kept."""
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    jit_cache_outside_bundle()
    folder = os.environ["NUMBA_CACHE_DIR"]
    assert APP_NAME in folder
    assert not folder.startswith(str(tmp_path))
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "mine"))
    jit_cache_outside_bundle()
    assert os.environ["NUMBA_CACHE_DIR"] == str(tmp_path / "mine")


def test_loading_the_kernel_imports_no_scipy_and_leaves_numba_its_blas():
    """A fresh process (each worker is one) loads the kernel without scipy.linalg, which numba
    would import to look for a BLAS the kernel never calls; numba code that takes a matrix
    product still finds BLAS afterwards."""
    script = (
        "import sys\n"
        "from slamodeler.engine import compiled_kernels\n"
        "assert compiled_kernels.measure() is not None\n"
        "print('scipy.linalg' in sys.modules)\n"
        "import numba, numpy as np\n"
        "a = np.arange(4.0).reshape(2, 2)\n"
        "print(numba.njit(lambda x: np.dot(x, x))(a).tolist(), 'scipy.linalg' in sys.modules)\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert found[:2] == ["False", "[[2.0, 3.0], [6.0, 11.0]] True"]
