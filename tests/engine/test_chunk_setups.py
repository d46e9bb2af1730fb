"""What a run's chunks share in a process (``simulation._setups``): each contract's terms, model
and band tables are built once per run, however many contracts the run holds and whatever its
measurement window; and a run whose chunks reuse them prices as one that builds them afresh."""

from __future__ import annotations

import numpy as np
import pytest

from slamodeler.domain.contract import Contract
from slamodeler.engine import band_pricing, simulation
from slamodeler.engine.simulation import simulate, simulate_together
from tests.helpers.builders import BASE, contract, scenario

TRIALS = 1_000  # with 50 trials a block and 4 blocks a chunk: 5 chunks


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(simulation, "BLOCK_TRIALS", 50)
    simulation._setups.cache_clear()
    yield
    simulation._setups.cache_clear()


def _counted(monkeypatch, owner, name: str) -> list[int]:
    """Count the constructions of ``owner.name`` (a class), passing them through."""
    made: list[int] = []
    real = getattr(owner, name)

    class Counted(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs):
            made.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(owner, name, Counted)
    return made


def _fees(k: int) -> Contract:
    """The builders' contract with its fee raised ``k`` hundreds: one contract of many."""
    return contract(tier={"monthly_fee": str(1000 + 100 * k)})


def test_a_run_of_more_contracts_than_the_cache_holds_builds_each_model_once(
    monkeypatch, small_chunks
):
    contracts = [_fees(k) for k in range(6)]  # more than the cache's 4 entries
    made = _counted(monkeypatch, simulation, "OutageModel")
    runs = simulate_together(contracts, scenario(), TRIALS, 3, keep_periods=False)
    # one each in simulate_together's checks, one each for the chunks (5 of them)
    assert len(made) == 2 * len(contracts)
    # and the runs are those each contract gives alone
    simulation._setups.cache_clear()
    for terms, run in zip(contracts, runs, strict=True):
        alone = simulate(terms, scenario(), TRIALS, 3, keep_periods=False)
        assert np.array_equal(run.pricing["T"].paid, alone.pricing["T"].paid)


@pytest.mark.parametrize("window", [None, {"kind": "rolling", "days": 30}])
def test_a_runs_band_tables_are_built_once_whatever_its_chunks(monkeypatch, small_chunks, window):
    measurement = BASE["measurement"] | ({"window": window} if window else {})
    terms = contract(measurement=measurement)
    made = _counted(monkeypatch, band_pricing, "_Tables")
    run = simulate(terms, scenario(), TRIALS, 5, keep_periods=False)
    assert len(made) == 1  # one tier, priced in 5 chunks
    simulation._setups.cache_clear()
    again = simulate(terms, scenario(), TRIALS, 5, keep_periods=False)
    assert len(made) == 2
    assert np.array_equal(run.pricing["T"].paid, again.pricing["T"].paid)
    assert run.pricing["T"].paid.any()  # the comparison saw credits
