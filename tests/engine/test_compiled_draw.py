"""The drawing's compiled bookkeeping (slamodeler/engine/jit_draw.py) gives what numpy's steps
give (the reference, ``outage_model.cells_of`` without numba), and a drawn block is the same
either way."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.engine import compiled_kernels
from slamodeler.engine.outage_model import OutageModel, cells_of
from slamodeler.engine.simulation import block_rng, scenario_horizon
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from tests.helpers.paths import SAMPLES


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


def test_a_block_draws_the_same_incidents_with_and_without_numba(monkeypatch, kernel):
    terms = load_contract(SAMPLES / "three_tier_cloud.yaml")
    scenario = load_scenario(SAMPLES / "scenarios" / "baseline.yaml")
    model = OutageModel(scenario, terms, scenario_horizon(terms, scenario))
    calls = []
    monkeypatch.setattr(compiled_kernels, "cells", lambda: calls.append(1) or kernel)
    compiled = model.draw(block_rng(3, 1), 500)
    assert calls
    monkeypatch.setattr(compiled_kernels, "cells", lambda: None)
    reference = model.draw(block_rng(3, 1), 500)
    for name, value in vars(reference).items():
        assert np.array_equal(getattr(compiled, name), value), name
