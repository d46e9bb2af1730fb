"""The drawing's compiled bookkeeping (slamodeler/engine/jit_draw.py) gives what numpy's steps
give (the references: ``drawn_parts.cells_of`` and ``joined_columns`` without numba), what the
measurement reads of a block written straight from its parts is what it reads of its columns,
and a drawn block is the same either way."""

from __future__ import annotations

import ast

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.engine import compiled_kernels, simulation
from slamodeler.engine.counted_columns import COUNTING_CODES, counted_columns
from slamodeler.engine.drawn_parts import (
    DrawnColumns,
    Part,
    Pick,
    cdf_of,
    cells_of,
    joined_columns,
)
from slamodeler.engine.interval_measure import (
    IntervalIncidents,
    measure_drawn_parts,
    measure_intervals,
)
from slamodeler.engine.outage_model import OutageModel
from slamodeler.engine.simulation import block_rng, measure_drawn, scenario_horizon, simulate
from slamodeler.engine.slot_rules import SlotRules
from slamodeler.engine.slots import SlotGrid
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from tests.helpers.interval_sets import numpy_measurement
from tests.helpers.paths import REPO, SAMPLES
from tests.helpers.strategies import contracts, scenarios

COLUMNS = ("trial", "start", "end", "impact", "cause", "source", "tier", "customer", "zones")


@pytest.fixture
def kernel():
    found = compiled_kernels.cells()
    assert found is not None, "numba is a dependency: the compiled loop must load here"
    return found


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(1, 24), st.integers(0, 30), st.data())
def test_the_compiled_cells_are_numpys(kernel, months, trials, data):
    """Empty cells, empty trials, cells of many incidents."""
    count = st.one_of(st.integers(0, 2), st.integers(0, 40))
    counts = np.array(
        data.draw(st.lists(count, min_size=trials * months, max_size=trials * months)),
        dtype=np.int64,
    )
    got = kernel(counts, months)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(compiled_kernels, "cells", lambda: None)
        want = cells_of(counts, months)
    for name, a, b in zip(("trial", "month"), got, want, strict=True):
        assert a.dtype == b.dtype, name
        assert np.array_equal(a, b), name


def test_a_block_draws_the_same_incidents_with_and_without_numba(monkeypatch, fill):
    terms = load_contract(SAMPLES / "three_tier_cloud.yaml")
    scenario = load_scenario(SAMPLES / "scenarios" / "baseline.yaml")
    model = OutageModel(scenario, terms, scenario_horizon(terms, scenario))
    calls = []
    monkeypatch.setattr(compiled_kernels, "parts", lambda: calls.append(1) or fill)
    compiled = model.draw(block_rng(3, 1), 500)
    compiled.columns.joined()  # put together when first asked for
    assert calls
    numpy_measurement(monkeypatch)
    reference = model.draw(block_rng(3, 1), 500)
    reference.columns.joined()
    for name in COLUMNS:
        assert np.array_equal(getattr(compiled, name), getattr(reference, name)), name


@pytest.fixture
def fill():
    found = compiled_kernels.parts()
    assert found is not None, "numba is a dependency: the compiled pass must load here"
    return found


def _pick(draw, k: int) -> Pick:
    """One value for all, or a pick among 2-4 by uniforms, zero shares and uniforms on an edge
    included."""
    lookup = np.array(draw(st.lists(st.integers(0, 9), min_size=1, max_size=4)), np.int64)
    if len(lookup) == 1:
        return Pick(lookup)
    shares = st.one_of(st.just(0.0), st.floats(1e-3, 10))
    p = np.array(draw(st.lists(shares, min_size=len(lookup), max_size=len(lookup))))
    if not p.any():
        p[-1] = 1.0
    cdf = cdf_of(p / p.sum())
    uniform = st.one_of(st.floats(0, 1, exclude_max=True), st.sampled_from(cdf[:-1].tolist()))
    return Pick(lookup, np.array(draw(st.lists(uniform, min_size=k, max_size=k))), cdf)


@st.composite
def parts(draw) -> tuple[list[Part], float]:
    """A block's parts: cells of none to several incidents, months of uneven seconds or a trial's
    whole horizon as one cell, starts from uniforms (0 and just under 1 among them) or given,
    minutes from none to past the horizon's (infinite too), on a half second among them."""
    out = []
    limit = draw(st.floats(1, 1e6))
    for _ in range(draw(st.integers(1, 3))):
        cells = draw(st.integers(1, 13))
        trials = draw(st.integers(0, 6))
        counts = np.array(
            draw(st.lists(st.integers(0, 4), min_size=cells * trials, max_size=cells * trials)),
            np.int64,
        )
        k = int(counts.sum())
        seconds = np.array(
            draw(st.lists(st.integers(1, 3_000_000), min_size=cells, max_size=cells)), np.int64
        )
        bounds = 1_700_000_000 + np.concatenate(([0], np.cumsum(seconds)))
        uniform = st.one_of(st.floats(0, 1, exclude_max=True), st.sampled_from([0.0, 1 - 2**-53]))
        given = draw(st.booleans())
        half_second = st.integers(0, 1000).map(lambda s: (s + 0.5) / 60)  # rounds to even
        minutes = st.one_of(
            st.floats(0, 2 * limit), half_second, st.just(float("inf")), st.just(limit)
        )
        out.append(
            Part(
                size=k,
                counts=counts,
                cells=cells,
                bounds=bounds,
                seconds=seconds,
                minutes=np.array(draw(st.lists(minutes, min_size=k, max_size=k)), np.float64),
                impact=_pick(draw, k),
                cause=_pick(draw, k),
                source=_pick(draw, k),
                uniforms=np.zeros(0)
                if given
                else np.array(draw(st.lists(uniform, min_size=k, max_size=k)), np.float64),
                starts=np.array(
                    draw(st.lists(st.integers(0, 2**40), min_size=k, max_size=k)), np.int64
                )
                if given
                else np.zeros(0, np.int64),
            )
        )
    return out, limit


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parts())
def test_the_compiled_parts_are_numpys(monkeypatch, fill, drawn):
    """A block's columns put together from its parts by the compiled pass are numpy's, column
    for column: trials, starts on the second, ends cut at the horizon, each pick."""
    found, limit = drawn
    calls = []
    monkeypatch.setattr(compiled_kernels, "parts", lambda: calls.append(1) or fill)
    got = joined_columns(found, limit)
    assert calls
    with pytest.MonkeyPatch.context() as patched:
        numpy_measurement(patched)
        want = joined_columns(found, limit)
    names = ("trial", "start", "end", "impact", "cause", "source")
    for name, a, b in zip(names, got, want, strict=True):
        assert a.dtype == b.dtype == np.int64, name
        assert np.array_equal(a, b), name


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(scenarios(), st.integers(0, 60), st.integers(0, 2**32))
def test_a_scenarios_block_is_the_same_drawn_either_way(fill, scenario, trials, seed):
    """Processes by the hour of the week, scopes, mixes, catastrophes and stresses: every
    column of a drawn block, and the draws after it, are the numpy path's."""
    terms = load_contract(SAMPLES / "three_tier_cloud.yaml")
    model = OutageModel(scenario, terms, scenario_horizon(terms, scenario))
    compiled_rng, numpy_rng = block_rng(seed, 0), block_rng(seed, 0)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(compiled_kernels, "parts", lambda: fill)
        compiled = model.draw(compiled_rng, trials)
        compiled.columns.joined()  # put together here, when first asked for
    with pytest.MonkeyPatch.context() as patched:
        numpy_measurement(patched)
        reference = model.draw(numpy_rng, trials)
        reference.columns.joined()
    for name in COLUMNS:
        assert np.array_equal(getattr(compiled, name), getattr(reference, name)), name
    assert compiled_rng.random(3).tolist() == numpy_rng.random(3).tolist()


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parts(), st.sampled_from(sorted(COUNTING_CODES)), st.data())
def test_what_is_measured_straight_from_the_parts_is_what_is_measured_of_the_columns(
    monkeypatch, drawn, counting, data
):
    """Each incident's trial, counted slots under every counting rule (a grid that starts
    before, within or after the incidents, of slots of a minute to a day, ends cut at its
    last), weight and class, written from the parts by one compiled walk, are those of the
    columns put together first, integer for integer; so are they on the numpy path."""
    found, limit = drawn
    origin = 1_700_000_000 + data.draw(st.integers(-86_400, 10**8))
    slot_seconds = data.draw(st.sampled_from([60, 300, 3600, 86_400]))
    grid = SlotGrid(origin, slot_seconds, data.draw(st.integers(1, 10**6)))
    rules = SlotRules(counting=counting)
    micro = np.array(data.draw(st.lists(st.integers(0, 10**6), min_size=10, max_size=10)))
    klass = np.array(data.draw(st.lists(st.integers(0, 2), min_size=10, max_size=10)), np.int8)
    calls = []
    kernel = compiled_kernels.counted_parts()
    monkeypatch.setattr(compiled_kernels, "counted_parts", lambda: calls.append(1) or kernel)
    straight = DrawnColumns(found, limit)
    got = straight.counted((micro, klass), grid, rules)
    assert calls
    trial, start, end, impact, cause, _ = joined_columns(found, limit)
    want = counted_columns(start, end, (impact, cause, micro, klass), grid, rules)
    assert np.array_equal(straight.trial, trial)
    with pytest.MonkeyPatch.context() as patched:
        numpy_measurement(patched)
        by_numpy = DrawnColumns(found, limit)
        on_numpy = by_numpy.counted((micro, klass), grid, rules)
        assert np.array_equal(by_numpy.trial, trial)
    for name, a, b, c in zip(
        ("first", "stop", "weight", "class"), got, want, on_numpy, strict=True
    ):
        assert a.dtype == b.dtype == c.dtype, name
        assert np.array_equal(a, b) and np.array_equal(a, c), name


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(contracts(slot_rules=True), scenarios(), st.integers(0, 40), st.data())
def test_a_block_measured_straight_from_its_parts_is_measured_as_its_counted_columns(
    terms, scenario, trials, data
):
    """Every drawn incident in its trial's row, laid out straight from the parts and swept
    (``measure_drawn_parts``), gives the numpy measurement of the block's counted columns,
    trial for trial and period for period: under the slot rules, thresholds, windows,
    allowances and minimum downtimes the contracts strategy draws, over one to three years, by
    processes by the hour of the week, with catastrophes (in each trial's first month), impacts
    that weigh nothing and incidents too short to count a slot (dropped)."""
    scenario = scenario.model_copy(update={"years": data.draw(st.integers(1, 3))})
    horizon = scenario_horizon(terms, scenario)
    model = OutageModel(scenario, terms, horizon)
    drawn = model.draw(block_rng(data.draw(st.integers(0, 2**32)), 0), trials)
    m = terms.measurement
    rules = SlotRules.of(m)
    weights = (model.impact_micro, model.cause_class)
    args = (horizon, m.slot_minutes, m.min_downtime_minutes, rules)
    got = measure_drawn_parts(drawn.columns, trials, weights, *args)
    assert (got is None) == (horizon.windowed or rules.adds or horizon.service is not None)
    if got is None:
        return
    with pytest.MonkeyPatch.context() as patched:
        numpy_measurement(patched)
        counted = drawn.columns.counted(weights, horizon.grid, rules)
        inc = IntervalIncidents(trials, drawn.columns.trial, *counted, None, 0)
        want = measure_intervals(inc, *args)
    for name in ("downtime", "excluded", "below_minimum"):
        assert np.array_equal(getattr(got, name), getattr(want, name)), name


@pytest.mark.parametrize("counting", ["whole", "more_than_half"])
def test_incidents_that_count_no_slot_are_dropped_from_the_laid_out_keys(monkeypatch, counting):
    """Durations of none or half a minute count no slot under these rules: their keys are
    dropped before the sweep, and each trial's others are measured as their columns are."""
    terms = load_contract(SAMPLES / "three_tier_cloud.yaml")
    measurement = terms.measurement.model_copy(update={"slot_counting": counting})
    terms = terms.model_copy(update={"measurement": measurement})
    base = load_scenario(SAMPLES / "scenarios" / "baseline.yaml")
    process = base.processes[0].model_dump(mode="json", exclude_none=True)
    process["duration_minutes"] = {"dist": "empirical", "values": [0, 0.5, 0.5, 7, 90]}
    scenario = base.model_validate(
        base.model_dump(mode="json", exclude_none=True) | {"processes": [process]}
    )
    horizon = scenario_horizon(terms, scenario)
    model = OutageModel(scenario, terms, horizon)
    rules = SlotRules.of(terms.measurement)
    assert rules.counting == counting
    lay, sweep, layout = compiled_kernels.measure_laid()
    dropped: list[int] = []
    spy = (lay, lambda *args: dropped.append(args[3]) or sweep(*args), layout)
    monkeypatch.setattr(compiled_kernels, "measure_laid", lambda: spy)
    drawn = model.draw(block_rng(5, 0), 300)
    m, weights = terms.measurement, (model.impact_micro, model.cause_class)
    args = (horizon, m.slot_minutes, m.min_downtime_minutes, rules)
    got = measure_drawn_parts(drawn.columns, 300, weights, *args)
    assert got is not None and dropped[0] > 300  # about 40% of some 2,000 incidents
    counted = drawn.columns.counted(weights, horizon.grid, rules)
    want = measure_intervals(IntervalIncidents(300, drawn.columns.trial, *counted, None, 0), *args)
    assert want.downtime.any()
    for name in ("downtime", "excluded", "below_minimum"):
        assert np.array_equal(getattr(got, name), getattr(want, name)), name


def test_a_run_measured_straight_from_its_parts_pays_what_its_counted_columns_pay(monkeypatch):
    """The sample's three tiers, their customers and caps, under the baseline scenario (its
    catastrophes in their trials' first months), over two years: each block measured straight
    from its parts, the run keeps the rows and pays the cents, tier for tier and trial for
    trial, that measuring its counted columns gives."""
    terms = load_contract(SAMPLES / "three_tier_cloud.yaml")
    scenario = load_scenario(SAMPLES / "scenarios" / "baseline.yaml")
    scenario = scenario.model_copy(update={"years": 2})
    walks = _walks(monkeypatch)
    laid = simulate(terms, scenario, 3000, 7)
    assert set(walks) == {"laid"}
    monkeypatch.setattr(simulation, "measure_drawn_parts", lambda *args, **kwargs: None)
    counted = simulate(terms, scenario, 3000, 7)
    assert set(walks) == {"laid", "counted_parts"}
    assert [tier.customers for tier in terms.tiers] == [120, 60, 25]
    for tier in terms.tiers:
        assert np.array_equal(laid.pricing[tier.name].paid, counted.pricing[tier.name].paid)
    assert laid.pricing["Gold"].paid.any()
    assert laid.measured.units.keys() == counted.measured.units.keys()
    for key, rows in laid.measured.units.items():
        for name in ("downtime", "excluded", "trial", "customer"):
            got, want = getattr(rows, name), getattr(counted.measured.units[key], name)
            assert np.array_equal(np.asarray(got), np.asarray(want)), (key, name)


def test_the_walk_is_compiled_once_for_the_types_it_is_loaded_with():
    """The walk and the sweep take, in a run, the types they were loaded and checked with: a
    second compilation (a list where a tuple was) would cost seconds on the first run."""
    terms = load_contract(SAMPLES / "three_tier_cloud.yaml")
    scenario = load_scenario(SAMPLES / "scenarios" / "baseline.yaml")
    lay, sweep, _ = compiled_kernels.measure_laid()
    simulate(terms, scenario, 500, 3)
    assert len(lay.signatures) == 1
    assert len(sweep.signatures) == 1


def test_no_kernel_module_calls_into_another():
    """numba's cache of a compiled function checks only its own file: a function inlined from
    another kernel module would stay compiled in as it was when that module changed, and the
    compiled path would part from the numpy one unseen."""
    engine = REPO / "slamodeler" / "engine"
    kernels = {path.stem for path in engine.glob("jit_*.py")}
    assert {"jit_draw", "jit_measure", "jit_codes"} <= kernels
    for path in sorted(engine.glob("jit_*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[-1] not in kernels, (path.name, node.module)
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name.split(".")[-1] not in kernels, (path.name, alias.name)


@pytest.mark.parametrize(
    "path",
    sorted(SAMPLES.glob("*.yaml")) + sorted((SAMPLES / "real").glob("*.yaml")),
    ids=lambda p: p.stem,
)
def test_a_block_is_walked_once_whatever_its_measurement_reads(monkeypatch, path):
    """A block's parts are walked once under each sample contract: either the measurement's
    columns straight from them, or (where measuring reads the block's start, end or source
    columns too: claims, zone rules, several scopes) the columns, which it is then measured
    from; never both."""
    terms = load_contract(path)
    scenario = load_scenario(SAMPLES / "scenarios" / "baseline.yaml")
    if path.stem == "three_tier_cloud":  # two scopes that every incident reaches
        tiers = terms.model_dump(mode="json")["tiers"]
        tiers[-1]["scope"]["regions"] = ["eu-west-1"]
        terms = terms.model_validate(terms.model_dump(mode="json") | {"tiers": tiers})
        everywhere = [p for p in scenario.processes if p.scope == "all"]
        scenario = scenario.model_copy(update={"processes": everywhere, "catastrophes": []})
    horizon = scenario_horizon(terms, scenario)
    model = OutageModel(scenario, terms, horizon)
    walks = _walks(monkeypatch)
    measure_drawn(model.draw(block_rng(3, 0), 200), model, terms, horizon, (3, 0))
    assert len(walks) == 1, walks


def test_the_usual_run_never_puts_the_columns_together(monkeypatch):
    """One scope that every incident reaches, no claims, no zone rule (the sample's three tiers
    under the baseline scenario): the block is measured straight from its parts, without the
    measurement's columns, and the block's own columns are never made."""
    terms = load_contract(SAMPLES / "three_tier_cloud.yaml")
    scenario = load_scenario(SAMPLES / "scenarios" / "baseline.yaml")
    horizon = scenario_horizon(terms, scenario)
    model = OutageModel(scenario, terms, horizon)
    walks = _walks(monkeypatch)
    measure_drawn(model.draw(block_rng(3, 0), 200), model, terms, horizon, (3, 0))
    assert walks == ["laid"]


def _walks(monkeypatch) -> list[str]:
    """The walks of a block's parts, in order: the columns (``parts``), what the measurement
    reads of them (``counted_parts``), or the sort keys the sweep reads (``laid``)."""
    walks: list[str] = []
    for name in ("parts", "counted_parts"):
        kernel = getattr(compiled_kernels, name)()
        monkeypatch.setattr(compiled_kernels, name, lambda k=kernel, n=name: walks.append(n) or k)
    laid = DrawnColumns.laid

    def walked(self, *args):  # type: ignore[no-untyped-def]
        found = laid(self, *args)
        if found is not None:
            walks.append("laid")
        return found

    monkeypatch.setattr(DrawnColumns, "laid", walked)
    return walks
