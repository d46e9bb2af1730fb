"""Runs: replay or simulate a contract version on a stored incident set or scenario and store the
run, say why a run is not stored, and compute a stored run again from its stored inputs to check
that it reproduces (docs/workspace.md). Each stored run is one transaction with its audit entry.

Runs are handed out as the store's rows (``RunRow``): the record of what was run, on what, by
whom and with which result, as stored and hashed; a front end shows them (see ``workspaces``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slamodeler import __version__
from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.incidents import ImportReport
from slamodeler.domain.results import ReplayResult
from slamodeler.engine.exact import ExactRun, exact
from slamodeler.engine.exposure import Exposure, exposures
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import CancelToken, Progress, SimulationRun, simulate
from slamodeler.io.replay_report import replay_json
from slamodeler.io.simulation_report import exact_json, simulation_json
from slamodeler.services.replay import ReplayRun
from slamodeler.services.run_files import NO_FILES, RunFiles, StoredFees, with_fees
from slamodeler.services.simulate import executor_for, with_horizon
from slamodeler.services.versions import resolve
from slamodeler.store.audit import canonical_json, sha256
from slamodeler.store.tables import (
    ContractRow,
    ContractVersionRow,
    IncidentSetRow,
    RunRow,
    ScenarioRow,
)
from slamodeler.store.workspace import Workspace, now

EXACT = "exact"  # the kind of a run computed by the exact method (`simulate --ws --method exact`)


def run_label(ws: Workspace, run: RunRow) -> str:
    """``replay three_tier_cloud@2 on incidents_sample`` and the like."""
    contract, version = ws.version_by_id(run.contract_version_id)
    if run.kind == "replay":
        assert run.incident_set_id is not None
        on = f"on {ws.incident_set_by_id(run.incident_set_id).key}"
    elif run.kind == EXACT:
        assert run.scenario_id is not None
        on = f"under {ws.scenario_by_id(run.scenario_id).key}, computed (no trials)"
    else:
        assert run.scenario_id is not None
        on = f"under {ws.scenario_by_id(run.scenario_id).key}, {run.trials:,} trials, seed {run.seed}"
    options = json.loads(run.options)
    if options.get("repriced_from") is not None:  # `slamodeler reprice`
        on += f", re-priced from run {options['repriced_from']}"
    files = RunFiles.label(options)
    with_files = f" with {files}" if files else ""
    return f"{run.kind} {contract.key}@{version.number} {on}{with_files}"


@dataclass(frozen=True)
class StoredReplay:
    run: RunRow
    result: ReplayResult
    report: ImportReport
    data: dict[str, Any]


@dataclass(frozen=True)
class StoredSimulation:
    run: RunRow
    simulation: SimulationRun
    exposures: list[Exposure]
    data: dict[str, Any]


def _replay(
    contract: Contract,
    ws: Workspace,
    incident_set: IncidentSetRow,
    options: dict[str, Any],
    files: RunFiles,
) -> tuple[ReplayRun, dict[str, Any]]:
    incidents = ws.load_incidents(incident_set)
    terms, tickets = files.apply(contract)
    result = replay(
        terms,
        incidents.incidents,
        first=options.get("first"),
        last=options.get("last"),
        tiers=options.get("tiers"),
        tickets=tickets.tickets if tickets else (),
    )
    data = replay_json(result, incidents.report, tickets.report if tickets else None)
    return ReplayRun(terms, incidents, result, tickets), data


NOT_STORED_EDITED = "the contract has unsaved edits; save a version to keep runs"
NOT_STORED_READONLY = (
    "the workspace is open read-only (another process writes to it); open it for editing to keep "
    "runs"
)
NOT_STORED_CANCELLED = "the simulation was cancelled, and a partial result cannot be reproduced"


def why_not_stored(ws: Workspace, contract: Contract, version: ContractVersionRow | None) -> str:
    """Why a run of ``contract`` cannot be stored as a run of ``version`` ('' when it can). A
    stored run names the version whose terms it ran, so that `ws rerun` can run them again: terms
    that hash otherwise (edits not saved as a version) are not stored, nor is anything in a
    workspace open read-only."""
    if ws.readonly:
        return NOT_STORED_READONLY
    if version is None or contract.content_hash() != version.content_hash:
        return NOT_STORED_EDITED
    return ""


@dataclass(frozen=True)
class ReplayMade:
    """A replay of a version's terms, or of terms edited from them (the GUI's editor): what it
    gave, and the run it was stored as, or why it was not (``not_stored``)."""

    replayed: ReplayRun
    data: dict[str, Any]
    run: RunRow | None
    not_stored: str


def replay_version(
    ws: Workspace,
    version_id: int,
    contract: Contract,
    incident_set: str,
    author: str,
    *,
    first: str | None = None,
    last: str | None = None,
    tiers: Sequence[str] | None = None,
    files: RunFiles = NO_FILES,
) -> ReplayMade:
    """Replay ``contract`` (the terms of version ``version_id``, or edits of them) on a stored
    incident set, with ``files`` (a ticket export, a fee file) if given, and store the run when
    the terms are the version's (``why_not_stored``); the run records each file's hash."""
    versions = ws.version_by_id(version_id)
    set_row = ws.incident_set(incident_set)
    options: dict[str, Any] = {
        "first": first,
        "last": last,
        "tiers": list(tiers) if tiers else None,
    }
    options.update(files.recorded())
    begun = Begun(ws, versions, author)
    replayed, data = _replay(contract, ws, set_row, options, files)
    run, not_stored = begun.keep(
        contract,
        data,
        kind="replay",
        incident_set_id=set_row.id,
        incident_set_hash=set_row.content_hash,
        options=canonical_json(options),
    )
    return ReplayMade(replayed, data, run, not_stored)


def replay_stored(
    ws: Workspace,
    ref: str,
    incident_set: str,
    author: str,
    *,
    first: str | None = None,
    last: str | None = None,
    tiers: Sequence[str] | None = None,
    files: RunFiles = NO_FILES,
) -> StoredReplay:
    """Replay a stored version on a stored incident set (with ``files``), and store the run."""
    _, version = resolve(ws, ref)
    assert version.id is not None  # a stored version has its id
    made = replay_version(
        ws,
        version.id,
        ws.contract_of(version),
        incident_set,
        author,
        first=first,
        last=last,
        tiers=tiers,
        files=files,
    )
    if made.run is None:
        raise InputError(f"the replay was not stored: {made.not_stored}")
    return StoredReplay(made.run, made.replayed.result, made.replayed.incidents.report, made.data)


@dataclass(frozen=True)
class Begun:
    """A run of a version begun now: by whom, when (``at``) and ``perf_counter`` then, so that
    ``keep`` stores it with how long it took."""

    ws: Workspace
    versions: tuple[ContractRow, ContractVersionRow]
    author: str
    at: str = field(default_factory=now)
    clock: float = field(default_factory=time.perf_counter)

    def keep(
        self, contract: Contract, data: dict[str, Any], **inputs: Any
    ) -> tuple[RunRow | None, str]:
        """Store a run of ``contract`` as a run of the version, unless ``why_not_stored`` says
        why not: what it was run on (``inputs``), by whom, when and how long it took, with which
        engine, and its result. The stored run, or None and why."""
        contract_row, version = self.versions
        not_stored = why_not_stored(self.ws, contract, version)
        if not_stored:
            return None, not_stored
        assert version.id is not None  # a stored version has its id
        run = RunRow(
            **inputs,
            contract_version_id=version.id,
            contract_hash=version.content_hash,
            engine_version=__version__,
            author=self.author,
            started_at=self.at,
            finished_at=now(),
            seconds=round(time.perf_counter() - self.clock, 3),
            result=canonical_json(data),
            result_hash="",
        )
        self.ws.add_run(run, f"{contract_row.key}@{version.number}")
        return run, ""


def _simulate(
    contract: Contract,
    ws: Workspace,
    scenario_row: ScenarioRow,
    run_options: dict[str, Any],
    *,
    workers: int = 1,
    dask: str | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    blocks_per_chunk: int = 4,
) -> tuple[SimulationRun, list[Exposure], dict[str, Any] | None]:
    """The simulation, its exposures and its result as stored (None when cancelled: a partial
    result is never stored). ``run_options``: trials, seed, and the scenario's years and start
    when they replace its own. Chunks change the progress steps, never the result."""
    scenario = with_horizon(
        ws.scenario_of(scenario_row), run_options.get("start"), run_options.get("years")
    )
    with executor_for(workers, dask) as executor:
        sim = simulate(
            contract,
            scenario,
            run_options["trials"],
            run_options["seed"],
            executor=executor,
            blocks_per_chunk=blocks_per_chunk,
            progress=progress,
            cancel=cancel,
        )
    found = exposures(sim) if sim.trials else []
    return sim, found, None if sim.cancelled else simulation_json(sim, found)


@dataclass(frozen=True)
class SimulationMade:
    """A simulation of a version's terms, or of terms edited from them (the GUI's editor): what
    it gave, and the run it was stored as, or why it was not (``not_stored``)."""

    simulation: SimulationRun
    exposures: list[Exposure]
    data: dict[str, Any] | None  # the result as stored; None when cancelled
    run: RunRow | None
    not_stored: str


def simulate_version(
    ws: Workspace,
    version_id: int,
    contract: Contract,
    scenario: str,
    author: str,
    *,
    trials: int,
    seed: int,
    years: int | None = None,
    start: str | None = None,
    workers: int = 1,
    dask: str | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    blocks_per_chunk: int = 4,
    fees: Path | StoredFees | None = None,
) -> SimulationMade:
    """Simulate ``contract`` (the terms of version ``version_id``, or edits of them) under a
    stored scenario, over ``years`` from ``start`` (YYYY-MM) when given instead of the
    scenario's own, and store the run when the terms are the version's (``why_not_stored``) and
    it was not cancelled. The years and start go into the run's options, so `ws rerun` runs the
    same horizon; so do the fees (``fees``: a fee file or a stored fee set), with their hash."""
    versions = ws.version_by_id(version_id)
    scenario_row = ws.scenario(scenario)
    horizon: dict[str, Any] = {"years": years}
    if start is not None:  # only when given: runs stored before have {"years": ...} alone
        horizon["start"] = start
    horizon.update(RunFiles(fees=fees).recorded())
    begun = Begun(ws, versions, author)
    sim, found, data = _simulate(
        with_fees(contract, fees),
        ws,
        scenario_row,
        {"trials": trials, "seed": seed, **horizon},
        workers=workers,
        dask=dask,
        progress=progress,
        cancel=cancel,
        blocks_per_chunk=blocks_per_chunk,
    )
    if data is None:
        return SimulationMade(sim, found, None, None, NOT_STORED_CANCELLED)
    run, not_stored = begun.keep(
        contract,
        data,
        kind="simulate",
        scenario_id=scenario_row.id,
        scenario_hash=scenario_row.content_hash,
        options=canonical_json(horizon),
        seed=seed,
        trials=trials,
    )
    return SimulationMade(sim, found, data, run, not_stored)


def simulate_stored(
    ws: Workspace,
    ref: str,
    scenario: str,
    author: str,
    *,
    trials: int,
    seed: int,
    years: int | None = None,
    start: str | None = None,
    workers: int = 1,
    dask: str | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    fees: Path | StoredFees | None = None,
) -> StoredSimulation:
    """Simulate a stored version under a stored scenario (with ``fees``: a fee file or a stored
    fee set), and store the run (not when cancelled: a partial result could not be reproduced)."""
    _, version = resolve(ws, ref)
    assert version.id is not None  # a stored version has its id
    made = simulate_version(
        ws,
        version.id,
        ws.contract_of(version),
        scenario,
        author,
        trials=trials,
        seed=seed,
        years=years,
        start=start,
        workers=workers,
        dask=dask,
        progress=progress,
        cancel=cancel,
        fees=fees,
    )
    if made.simulation.cancelled:
        raise InputError("the simulation was cancelled; nothing was stored")
    if made.run is None or made.data is None:
        raise InputError(f"the simulation was not stored: {made.not_stored}")
    return StoredSimulation(made.run, made.simulation, made.exposures, made.data)


def _exact(
    contract: Contract, ws: Workspace, scenario_row: ScenarioRow, run_options: dict[str, Any]
) -> tuple[ExactRun, dict[str, Any]]:
    """The exact method's result and its result as stored; ``run_options``: the scenario's years
    and start when they replace its own (no trials, no seed: nothing is drawn)."""
    scenario = with_horizon(
        ws.scenario_of(scenario_row), run_options.get("start"), run_options.get("years")
    )
    computed = exact(contract, scenario)
    return computed, exact_json(computed)


@dataclass(frozen=True)
class StoredExact:
    run: RunRow
    computed: ExactRun
    data: dict[str, Any]


def exact_stored(
    ws: Workspace,
    ref: str,
    scenario: str,
    author: str,
    *,
    years: int | None = None,
    start: str | None = None,
    fees: Path | StoredFees | None = None,
) -> StoredExact:
    """The exact method on a stored version under a stored scenario (with ``fees``: a fee file
    or a stored fee set), stored as a run of kind ``exact``: `ws rerun` computes it again; it has no trials
    to re-price."""
    versions = resolve(ws, ref)
    contract = ws.contract_of(versions[1])
    scenario_row = ws.scenario(scenario)
    horizon: dict[str, Any] = {"years": years}
    if start is not None:
        horizon["start"] = start
    horizon.update(RunFiles(fees=fees).recorded())
    begun = Begun(ws, versions, author)
    computed, data = _exact(with_fees(contract, fees), ws, scenario_row, horizon)
    run, not_stored = begun.keep(
        contract,
        data,
        kind=EXACT,
        scenario_id=scenario_row.id,
        scenario_hash=scenario_row.content_hash,
        options=canonical_json(horizon),
    )
    if run is None:
        raise InputError(f"the result was not stored: {not_stored}")
    return StoredExact(run, computed, data)


@dataclass(frozen=True)
class Rerun:
    run: RunRow
    label: str
    same: bool
    result_hash: str  # of the new result
    differences: list[str]  # paths where the results differ (the first few)
    data: dict[str, Any]  # the new result


@dataclass(frozen=True)
class Recomputed:
    """A stored run computed again from its stored inputs."""

    run: RunRow
    contract: Contract
    data: dict[str, Any]
    ref: str  # the version run, KEY@N
    label: str  # what was run (``run_label``)
    replayed: ReplayRun | None = None
    simulated: tuple[SimulationRun, list[Exposure]] | None = None
    computed: ExactRun | None = None  # a run of the exact method
    files: RunFiles = NO_FILES  # the ticket export and fees it read again (files or sets)

    @property
    def fees(self) -> Path | StoredFees | None:
        """The fees the run was priced with, read again (a fee file or a stored fee set)."""
        return self.files.fees

    @property
    def reproduces(self) -> bool:
        """Whether it gives the stored result again, digit for digit."""
        return canonical_json(self.data) == self.run.result


def recompute(ws: Workspace, run_id: int, workers: int = 1) -> Recomputed:
    """Run a stored run again from its stored inputs, refused if any of them no longer hashes
    as it did when the run was made."""
    run = ws.run(run_id)
    contract_row, version = ws.version_by_id(run.contract_version_id)
    ref, label = f"{contract_row.key}@{version.number}", run_label(ws, run)
    problems = []
    if sha256(version.body) != run.contract_hash:
        problems.append(f"contract version {version.number} no longer has the hash the run used")
    options = json.loads(run.options)
    if run.kind == "replay":
        assert run.incident_set_id is not None
        set_row = ws.incident_set_by_id(run.incident_set_id)
        if ws.incident_set_digest(set_row) != run.incident_set_hash:
            problems.append(f"incident set {set_row.key} no longer has the hash the run used")
    else:
        assert run.scenario_id is not None
        scenario_row = ws.scenario_by_id(run.scenario_id)
        if sha256(scenario_row.body) != run.scenario_hash:
            problems.append(f"scenario {scenario_row.key} no longer has the hash the run used")
    problems.extend(RunFiles.changed(options, ws))
    if problems:
        raise InputError(
            f"run {run_id} cannot be reproduced: " + "; ".join(problems) + " (see `ws verify`)"
        )
    contract = ws.contract_of(version)
    if run.kind == "replay":
        files = RunFiles.of_run(options, ws)
        replayed, data = _replay(contract, ws, set_row, options, files)
        return Recomputed(run, contract, data, ref, label, replayed=replayed, files=files)
    files = RunFiles.of_run(options, ws)
    terms = with_fees(contract, files.fees)
    if run.kind == EXACT:
        computed, data = _exact(terms, ws, scenario_row, options)
        return Recomputed(run, contract, data, ref, label, computed=computed, files=files)
    assert run.trials is not None and run.seed is not None
    options.update(trials=run.trials, seed=run.seed)
    sim, found, sim_data = _simulate(terms, ws, scenario_row, options, workers=workers)
    assert sim_data is not None  # nothing cancels it
    return Recomputed(run, contract, sim_data, ref, label, simulated=(sim, found), files=files)


def rerun(ws: Workspace, run_id: int, author: str, workers: int = 1) -> Rerun:
    """Run a stored run again and compare the result with the stored one, digit for digit. The
    outcome goes into the audit log when the workspace is writable."""
    again = recompute(ws, run_id, workers)
    run, data = again.run, again.data
    text = canonical_json(data)
    same = again.reproduces
    differences = [] if same else _differences(json.loads(run.result), data)
    if not ws.readonly:
        ws.record(
            author,
            "rerun",
            f"run {run_id}",
            {
                "rerun_of": run_id,
                "same": same,
                "result_hash": sha256(text),
                "engine_version": __version__,
            },
        )
    return Rerun(run, again.label, same, sha256(text), differences, data)


def _differences(old: Any, new: Any, path: str = "", limit: int = 10) -> list[str]:
    out: list[str] = []
    if isinstance(old, dict) and isinstance(new, dict):
        for k in sorted(set(old) | set(new)):
            out += _differences(old.get(k), new.get(k), f"{path}.{k}" if path else k, limit)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            out += _differences(a, b, f"{path}[{i}]", limit)
    elif old != new:
        out.append(f"{path}: stored {old!r}, now {new!r}")
    return out[:limit]
