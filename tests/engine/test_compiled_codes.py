"""The compiled coding of measured periods (slamodeler/engine/jit_codes.py) gives, code for code
and count for count, what the numpy path gives (``threshold_codes.miss_codes``, itself held to
period-by-period pricing in test_band_pricing.py), on periods a third of which sit exactly on a
threshold, with the fractions computed, kept and read back; and band tables kept across a
run's chunks price as tables built afresh."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.engine import compiled_kernels, pricing
from slamodeler.engine.band_pricing import CodedPeriods, Tables, _tests, price_band_tiers
from slamodeler.engine.threshold_codes import Test, sorted_tests
from slamodeler.io.contract_file import load_contract
from tests.helpers.band_periods import band_contracts, measured
from tests.helpers.builders import horizon_of
from tests.helpers.kernels import counting_kernel
from tests.helpers.paths import SAMPLES


@pytest.fixture
def compiled_calls(monkeypatch):
    """The compiled kernel, counting its calls (so a test cannot compare numpy with itself)."""
    return counting_kernel(monkeypatch, "codes")


def codings(periods: CodedPeriods, tests_seen: list[list]) -> list[tuple]:
    """Each coding's codes, counts and totals, copied (a later coding may write in place)."""
    return [tuple(array.copy() for array in periods.codes(tests)) for tests in tests_seen]


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(band_contracts(), st.integers(0, 2**32 - 1), st.integers(1, 15), st.data())
def test_the_compiled_coding_is_the_numpy_one(
    compiled_calls, monkeypatch, contract, seed, months, data
):
    horizon = horizon_of(contract, months)
    down, excluded = measured(contract, horizon, seed)
    remove = contract.exclusions.excluded_time == "remove"
    every = sorted_tests({test for tier in contract.tiers for test in _tests(tier)})
    # three codings: fractions computed, computed and kept, read back from the kept ones
    tests_seen = [every, sorted_tests(_tests(contract.tiers[1])), every]
    chunk = data.draw(st.integers(1, 50), label="rows per chunk")
    monkeypatch.setattr(pricing, "CHUNK_TRIALS", chunk)
    compiled = codings(CodedPeriods(down, excluded, horizon, remove), tests_seen)
    assert compiled_calls
    with monkeypatch.context() as numpy_only:
        numpy_only.setattr(compiled_kernels, "codes", lambda: None)
        reference = codings(CodedPeriods(down, excluded, horizon, remove), tests_seen)
    for mine, theirs in zip(compiled, reference, strict=True):
        for a, b in zip(mine, theirs, strict=True):
            assert a.dtype == b.dtype
            assert np.array_equal(a, b)


def test_periods_on_a_cut_are_decided_in_integers(compiled_calls):
    """Downtimes a hair either side of 99.9% of a month, where the float fraction equals the
    cut: the compiled pass lists them and the exact test decides. "below 99.9" is met exactly
    at 99.9 (as the float comparison would say too); "at or below 99.9" is missed there, which
    only the exact test says."""
    horizon = horizon_of(load_contract(SAMPLES / "three_tier_cloud.yaml"), 1)
    base = int(horizon.period_micro[0])
    exact = base // 1000
    down = np.array([[exact - 1], [exact], [exact + 1]], dtype=np.int64)
    for boundary, on_cut in (("below", 0), ("at_or_below", 1)):
        periods = CodedPeriods(down, 0 * down, horizon, remove_excluded=True)
        tests: list[Test] = [(Decimal("99.9"), boundary)]
        code, counts, total = periods.codes(tests)
        assert code[:, 0].tolist() == [0, on_cut, 1], boundary
        assert counts[:, 0, :].tolist() == [[1, 0], [1 - on_cut, on_cut], [0, 1]]
        assert total.tolist() == [[1, 1 - on_cut, 0], [0, on_cut, 1]]
    assert compiled_calls


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(band_contracts(), band_contracts(), st.integers(0, 2**32 - 1))
def test_tables_kept_across_chunks_price_as_fresh_ones(contract, other, seed):
    """A run's chunks keep their band tables (``price_band_tiers``'s ``tables``): pricing two
    chunks, the tiers one at a time (other tests, other keys), then another contract (its
    tiers named alike, other fees and bands), all through one set of kept tables, gives what
    tables built afresh give."""
    kept = Tables()
    horizons = {id(terms): horizon_of(terms, 14) for terms in (contract, other)}
    for terms, chunk in ((contract, 0), (contract, 1), (other, 0), (contract, 2)):
        horizon = horizons[id(terms)]
        remove = terms.exclusions.excluded_time == "remove"
        down, excluded = measured(terms, horizon, seed + chunk)
        for tiers in (terms.tiers, terms.tiers[:1], terms.tiers[1:]):
            fresh = price_band_tiers(terms, tiers, CodedPeriods(down, excluded, horizon, remove))
            again = price_band_tiers(
                terms, tiers, CodedPeriods(down, excluded, horizon, remove), kept
            )
            for one, two in zip(fresh, again, strict=True):
                a, b = one(), two()
                for name in ("owed", "issued", "paid", "capped_off", "breach_periods"):
                    assert np.array_equal(getattr(a, name), getattr(b, name)), name
