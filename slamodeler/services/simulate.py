"""Simulate a contract under an outage scenario: the use case behind `slamodeler simulate`."""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterator, Mapping
from concurrent.futures import Executor
from pathlib import Path

from slamodeler.domain.errors import InputError
from slamodeler.domain.scenario import Scenario
from slamodeler.domain.simulation_request import SimulationRequest
from slamodeler.engine.simulation import Progress, SimulationRun, simulate, trial_incidents
from slamodeler.io.contract_file import load_contract
from slamodeler.io.fee_file import with_fee_file
from slamodeler.io.incident_export import write_incidents_csv
from slamodeler.io.output_files import check_output, write_file_atomic
from slamodeler.io.scenario_file import load_scenario
from slamodeler.services.dask_cluster import client_for
from slamodeler.services.worker_processes import worker_pool


@contextlib.contextmanager
def executor_for(workers: int = 1, dask: str | None = None) -> Iterator[Executor | None]:
    """No executor (this process), local worker processes, or a Dask cluster's executor."""
    if dask is not None:  # "" too: not an address, said so
        client = client_for(dask)
        try:
            yield client.get_executor()
        finally:
            client.close()
    elif workers < 1:
        raise InputError("--workers must be at least 1")
    elif workers > most_workers():
        raise InputError(
            f"--workers {workers}: at most {most_workers()}, the cores this process may use "
            "(each worker is a process of about 150 MB; more than the cores only take memory)"
        )
    elif workers > 1:
        with worker_pool(workers) as pool:
            yield pool
    else:
        yield None


def most_workers() -> int:
    """The most local worker processes a run takes: the cores this process may use, and 2 on
    any machine (as the examples run)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(2, cores)


def with_horizon(scenario: Scenario, start: str | None, years: int | None) -> Scenario:
    """The scenario over another horizon: ``start`` (YYYY-MM) and ``years`` replace its own when
    given (`simulate --start/--years`, the desktop's Simulation view), within the domain's limits
    (``SimulationRequest.horizon_of``). The simulation then moves the start to the first month
    of a contract period (``horizon.aligned_start``), with a note."""
    return SimulationRequest(years=years, start=start).horizon_of(scenario)


def simulate_files(
    contract_path: str | Path,
    scenario: Scenario | str | Path,
    request: SimulationRequest,
    *,
    workers: int = 1,
    dask: str | None = None,
    progress: Progress | None = None,
    fees: str | Path | None = None,
) -> SimulationRun:
    """Simulate a contract file under a scenario (a file, or one fitted) as ``request`` asks,
    with the fees of a fee file when given. Nothing re-prices the result, so it keeps no
    measured periods: each chunk is priced where it ran, on the workers when there are some."""
    contract = load_contract(contract_path)
    if fees is not None:
        contract = with_fee_file(contract, fees)
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    scenario = request.horizon_of(scenario)
    with executor_for(workers, dask) as executor:
        return simulate(
            contract,
            scenario,
            request.trials,
            request.seed,
            executor=executor,
            progress=progress,
            keep_periods=False,
        )


def check_outputs(
    inputs: Mapping[str, str | Path | None], xlsx: Path | None, dump: int, dump_dir: Path
) -> None:
    """Before any work: the workbook (``xlsx``) and the files of the first ``dump`` trials
    replace none of the ``inputs`` and no read-only file."""
    if xlsx is not None:
        check_output(xlsx, inputs, "--xlsx")
    for trial in range(dump):
        check_output(trial_path(dump_dir, trial), inputs, "--dump-dir")


def trial_path(folder: Path, trial: int) -> Path:
    """The file ``dump_trials`` writes trial number ``trial`` to."""
    return folder / f"trial-{trial:06d}.csv"


def dump_trials(run: SimulationRun, count: int, folder: Path) -> list[Path]:
    """The synthetic incidents of the first ``count`` trials, one replayable CSV per trial, each
    written whole or not at all (a failed write leaves no half-written trial to replay)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{folder}: cannot create the folder ({exc.strerror})") from None
    found = trial_incidents(
        run.contract, run.scenario, run.seed, run.trials_requested, range(min(count, run.trials))
    )
    paths = []
    for trial, incidents in found.items():
        path = trial_path(folder, trial)
        write = functools.partial(write_incidents_csv, incidents=incidents)
        write_file_atomic(path, write, "--dump-dir", "trial's incidents")
        paths.append(path)
    return paths
