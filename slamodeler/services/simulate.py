"""Simulate a contract under an outage scenario: the use case behind `slamodeler simulate`."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from concurrent.futures import Executor
from pathlib import Path

from slamodeler.domain.errors import InputError
from slamodeler.domain.scenario import Scenario
from slamodeler.engine.periods import parse_label
from slamodeler.engine.simulation import (
    CancelToken,
    Progress,
    SimulationRun,
    simulate,
    trial_incidents,
)
from slamodeler.io.contract_file import load_contract
from slamodeler.io.incident_export import write_incidents_csv
from slamodeler.io.scenario_file import load_scenario
from slamodeler.services.dask_cluster import client_for
from slamodeler.services.worker_processes import worker_pool


@contextlib.contextmanager
def executor_for(workers: int = 1, dask: str | None = None) -> Iterator[Executor | None]:
    """No executor (this process), local worker processes, or a Dask cluster's executor."""
    if dask:
        client = client_for(dask)
        try:
            yield client.get_executor()
        finally:
            client.close()
    elif workers > 1:
        with worker_pool(workers) as pool:
            yield pool
    elif workers < 1:
        raise InputError("--workers must be at least 1")
    else:
        yield None


def with_horizon(scenario: Scenario, start: str | None, years: int | None) -> Scenario:
    """The scenario over another horizon: ``start`` (YYYY-MM) and ``years`` replace its own when
    given (`simulate --start/--years`, the desktop's Simulation view). The simulation then moves
    the start to the first month of a contract period (``horizon.aligned_start``), with a note."""
    update: dict[str, object] = {}
    if years is not None:
        if not 1 <= years <= 50:
            raise InputError("--years must be between 1 and 50")
        update["years"] = years
    if start is not None:
        try:
            parse_label(start, "month")
        except InputError:
            raise InputError(f"start {start!r}: must be a month YYYY-MM, e.g. 2027-01") from None
        update["start"] = start
    return scenario.model_copy(update=update) if update else scenario


def simulate_files(
    contract_path: str | Path,
    scenario: Scenario | str | Path,
    *,
    trials: int,
    seed: int,
    years: int | None = None,
    start: str | None = None,
    workers: int = 1,
    dask: str | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> SimulationRun:
    contract = load_contract(contract_path)
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    scenario = with_horizon(scenario, start, years)
    with executor_for(workers, dask) as executor:
        return simulate(
            contract, scenario, trials, seed, executor=executor, progress=progress, cancel=cancel
        )


def trial_path(folder: Path, trial: int) -> Path:
    """The file ``dump_trials`` writes trial number ``trial`` to."""
    return folder / f"trial-{trial:06d}.csv"


def dump_trials(run: SimulationRun, count: int, folder: Path) -> list[Path]:
    """The synthetic incidents of the first ``count`` trials, one replayable CSV per trial."""
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
        try:
            write_incidents_csv(path, incidents)
        except OSError as exc:
            raise InputError(
                f"{path}: cannot be written ({exc.strerror}); choose another --dump-dir"
            ) from None
        paths.append(path)
    return paths
