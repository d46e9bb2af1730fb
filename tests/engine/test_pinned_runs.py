"""Simulations pinned to the cent: `simulate --format json` of the sample contract and real ones
(claim windows, claims, zones, a customer cap across tiers, chronic failure, customers hit one by
one) as the code gave it before runs were priced chunk by chunk
(tests/data/pinned_runs/expected.json). A run keeps its measured periods for re-pricing up to a
budget and is priced chunk by chunk above it, or when nothing re-prices it (`simulate`); both
ways must give these figures, trial by trial, in one process, on local worker processes and on
a Dask cluster."""

from __future__ import annotations

import json

import numpy as np
import pytest

from slamodeler.domain.contract import Contract
from slamodeler.domain.simulation_request import SimulationRequest
from slamodeler.engine import simulation
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from slamodeler.services.simulate import simulate_files, with_horizon
from slamodeler.services.simulation_session import exposures, simulation_json
from slamodeler.services.worker_processes import worker_pool
from tests.helpers.cli import run
from tests.helpers.paths import REPO, TEST_DATA

CASES = json.loads((TEST_DATA / "pinned_runs" / "expected.json").read_text())


def _output(capsys, case: dict, *options: str) -> dict:
    code, out, err = run(
        capsys,
        "simulate",
        REPO / case["contract"],
        "--scenario",
        REPO / case["scenario"],
        "--trials",
        case["trials"],
        "--years",
        case["years"],
        "--seed",
        case["seed"],
        "--format",
        "json",
        *options,
    )
    assert code == 0, err
    return json.loads(out)


def _simulated(case: dict, **options) -> simulation.SimulationRun:
    """The case's run through the engine, which keeps its measured periods when it may."""
    contract = load_contract(REPO / case["contract"])
    scenario = with_horizon(load_scenario(REPO / case["scenario"]), None, case["years"])
    return simulation.simulate(contract, scenario, case["trials"], case["seed"], **options)


def _printed(run_: simulation.SimulationRun) -> dict:
    """What `simulate --format json` prints for ``run_``."""
    return json.loads(json.dumps(simulation_json(run_, exposures(run_))))


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['contract']}@{c['scenario']}")
def test_a_run_kept_for_repricing_gives_the_pinned_figures(monkeypatch, case):
    monkeypatch.setattr(simulation, "KEEP_CELLS", 10**12)
    kept = _simulated(case)
    assert kept.measured.kept
    assert _printed(kept) == case["output"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['contract']}@{c['scenario']}")
def test_simulate_gives_the_pinned_figures(capsys, case):
    assert _output(capsys, case) == case["output"]


def test_simulate_keeps_no_periods_however_small_the_run():
    """Nothing re-prices what `simulate` prints: every chunk is priced where it was measured."""
    case = CASES[0]
    request = SimulationRequest(case["trials"], case["seed"], case["years"])
    run_ = simulate_files(REPO / case["contract"], REPO / case["scenario"], request)
    assert not run_.measured.kept and run_.measured.units == {}
    assert _printed(run_) == case["output"]


@pytest.mark.parametrize("case", CASES[1:4], ids=lambda c: f"{c['contract']}@{c['scenario']}")
def test_pricing_by_chunk_gives_every_trial_what_kept_periods_give(monkeypatch, case):
    contract = load_contract(REPO / case["contract"])
    scenario = with_horizon(load_scenario(REPO / case["scenario"]), None, case["years"])
    trials = 1300  # blocks of 1000 trials over 2 years: a full chunk and a part

    def priced(cells: int) -> simulation.SimulationRun:
        monkeypatch.setattr(simulation, "KEEP_CELLS", cells)
        return simulation.simulate(contract, scenario, trials, 3, blocks_per_chunk=1)

    kept, chunked = priced(10**12), priced(0)
    assert kept.measured.kept and not chunked.measured.kept
    assert_same_totals(chunked, kept)


def assert_same_totals(found: simulation.SimulationRun, expected: simulation.SimulationRun):
    for name, totals in expected.pricing.items():
        for field in totals.__dataclass_fields__:
            want, got = getattr(totals, field), getattr(found.pricing[name], field)
            if want is None:
                assert got is None
            else:
                np.testing.assert_array_equal(got, want, err_msg=f"{name}.{field}")


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['contract']}@{c['scenario']}")
def test_a_kept_run_priced_chunk_by_chunk_is_the_one_priced_whole(monkeypatch, case):
    """A kept run in one process is priced chunk by chunk as it is measured once it has more
    trials than pricing takes in one pass (CHUNK_TRIALS), and whole after the last chunk below
    that: the same totals and the same kept periods either way."""
    contract = load_contract(REPO / case["contract"])
    scenario = with_horizon(load_scenario(REPO / case["scenario"]), None, case["years"])
    chunks_priced: list[int] = []
    price_chunk = simulation.price_chunk
    monkeypatch.setattr(
        simulation, "price_chunk", lambda *a, **k: chunks_priced.append(1) or price_chunk(*a, **k)
    )

    def kept(chunk_trials: int) -> simulation.SimulationRun:
        monkeypatch.setattr(simulation, "CHUNK_TRIALS", chunk_trials)
        return simulation.simulate(contract, scenario, 1300, 3, blocks_per_chunk=1)

    whole = kept(10**9)
    assert chunks_priced == []
    by_chunk = kept(0)
    assert len(chunks_priced) == 2  # blocks of 1,000 trials: two chunks
    assert whole.measured.kept and by_chunk.measured.kept
    assert_same_totals(by_chunk, whole)
    assert by_chunk.measured.units.keys() == whole.measured.units.keys()
    for key, rows in whole.measured.units.items():
        for field in ("downtime", "excluded", "trial", "customer"):
            np.testing.assert_array_equal(
                getattr(by_chunk.measured.units[key], field), getattr(rows, field)
            )


def test_a_run_too_big_to_keep_reprices_and_explains_periods_as_a_kept_one(monkeypatch):
    contract = load_contract(REPO / "sample_contracts" / "three_tier_cloud.yaml")
    scenario = load_scenario(REPO / "sample_contracts" / "scenarios" / "baseline.yaml")
    scenario = with_horizon(scenario, None, 3)  # blocks of 666 trials: two chunks of 900
    data = contract.model_dump(mode="json")
    for tier in data["tiers"]:
        tier["monthly_fee"] = 900
    cheaper = Contract.model_validate(data)

    def both(cells: int) -> tuple:
        monkeypatch.setattr(simulation, "KEEP_CELLS", cells)
        run_ = simulation.simulate(contract, scenario, 900, 11, blocks_per_chunk=1)
        again = simulation.reprice(run_, cheaper)
        return (
            run_,
            again,
            simulation.period_credits(run_, "Gold", [0, 450, 899]),
            simulation.customer_paid(run_, "Silver"),
        )

    kept, chunked = both(10**12), both(0)
    assert not chunked[0].measured.kept
    for name in kept[1].pricing:
        np.testing.assert_array_equal(chunked[1].pricing[name].paid, kept[1].pricing[name].paid)
    np.testing.assert_array_equal(chunked[2], kept[2])
    np.testing.assert_array_equal(chunked[3], kept[3])


def test_a_member_drawn_by_another_contract_is_measured_again_from_that_drawing(monkeypatch):
    """Contracts simulated together measure the first one's drawing, each in its own time zone:
    a member too big to keep its periods is measured again from that same drawing."""
    new_york = load_contract(REPO / "sample_contracts" / "three_tier_cloud.yaml")
    tokyo = new_york.model_copy(update={"timezone": "Asia/Tokyo"})
    scenario = with_horizon(
        load_scenario(REPO / "sample_contracts" / "scenarios" / "baseline.yaml"), None, 2
    )
    data = tokyo.model_dump(mode="json")
    data["tiers"][0]["credits"]["bands"][0]["credit_pct"] = 15
    richer = Contract.model_validate(data)

    def member(cells: int) -> tuple:
        monkeypatch.setattr(simulation, "KEEP_CELLS", cells)
        run_ = simulation.simulate_together([new_york, tokyo], scenario, 1200, 5)[1]
        again = simulation.reprice(run_, richer)
        return run_, again, simulation.period_credits(run_, "Bronze", [0, 1100])

    kept, chunked = member(10**12), member(0)
    assert chunked[0].measured.drawn_by == new_york.model_dump_json()
    np.testing.assert_array_equal(chunked[1].pricing["Bronze"].paid, kept[1].pricing["Bronze"].paid)
    np.testing.assert_array_equal(chunked[2], kept[2])
    assert (kept[1].pricing["Bronze"].paid != kept[0].pricing["Bronze"].paid).any()


def test_a_run_cancelled_after_its_first_chunk_holds_that_chunk_priced_either_way(monkeypatch):
    contract = load_contract(REPO / "tests" / "data" / "pinned_runs" / "capped_chronic.yaml")
    scenario = with_horizon(
        load_scenario(REPO / "sample_contracts" / "scenarios" / "bad_year.yaml"), None, 2
    )

    def cancelled(cells: int) -> simulation.SimulationRun:
        monkeypatch.setattr(simulation, "KEEP_CELLS", cells)
        token = simulation.CancelToken()
        return simulation.simulate(
            contract,
            scenario,
            2500,
            9,
            blocks_per_chunk=1,
            progress=lambda *_: token.cancel(),
            cancel=token,
        )

    kept, chunked = cancelled(10**12), cancelled(0)
    assert chunked.cancelled and chunked.trials == kept.trials == 1000
    assert not chunked.measured.kept
    for name, totals in kept.pricing.items():
        np.testing.assert_array_equal(chunked.pricing[name].paid, totals.paid)
        np.testing.assert_array_equal(chunked.pricing[name].owed, totals.owed)


@pytest.fixture(scope="module")
def dask_address():
    import distributed  # the optional Dask support, installed by the test extra

    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['contract']}@{c['scenario']}")
def test_two_worker_processes_and_dask_print_what_one_process_prints(capsys, case, dask_address):
    assert _output(capsys, case, "--workers", "2") == case["output"]
    assert _output(capsys, case, "--dask", dask_address) == case["output"]


@pytest.fixture(scope="module")
def pool():
    with worker_pool(2) as workers:
        yield workers


def _priced_here(*_args, **_kwargs):
    raise AssertionError("the submitting process priced a run that ran on workers")


@pytest.mark.parametrize("case", CASES[1:4], ids=lambda c: f"{c['contract']}@{c['scenario']}")
def test_a_kept_run_on_workers_is_priced_there_and_keeps_what_one_process_keeps(
    monkeypatch, case, pool
):
    monkeypatch.setattr(simulation, "KEEP_CELLS", 10**12)
    here = _simulated(case)
    monkeypatch.setattr(simulation, "price_all", _priced_here)  # this process only
    there = _simulated(case, executor=pool, blocks_per_chunk=1)
    assert there.measured.kept
    assert _printed(there) == case["output"]
    for key, rows in here.measured.units.items():
        for name in ("downtime", "excluded", "trial", "customer", "claims"):
            expected, found = getattr(rows, name), getattr(there.measured.units[key], name)
            np.testing.assert_array_equal(found, expected, err_msg=f"{key}.{name}")
        assert rows.incident_percent.keys() == there.measured.units[key].incident_percent.keys()
