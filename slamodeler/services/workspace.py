"""Workspace use cases, shared by the CLI (``slamodeler ws ...``) and the GUI (docs/workspace.md).

Each function that changes the workspace is one transaction with its audit entry. Contract
references are ``KEY@VERSION``: a version number, ``latest`` or ``approved`` (``KEY`` alone is
the latest); KEY is the contract's short key or its full name.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slamodeler import APP_NAME, __version__
from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.import_mapping import ColumnMapping
from slamodeler.domain.incidents import ImportReport, IncidentSet
from slamodeler.domain.results import ReplayResult
from slamodeler.engine.exposure import Exposure, exposures
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import CancelToken, Progress, SimulationRun, simulate
from slamodeler.io.contract_file import contract_to_yaml, load_contract
from slamodeler.io.replay_report import replay_json
from slamodeler.io.scenario_file import load_scenario
from slamodeler.io.simulation_report import simulation_json
from slamodeler.io.workbook import WorkbookReport
from slamodeler.services.export import save_workbook
from slamodeler.services.replay import ReplayRun, load_incident_file
from slamodeler.services.simulate import executor_for, with_horizon
from slamodeler.store import signing
from slamodeler.store.audit import Entry, canonical_json, sha256
from slamodeler.store.codec import report_of
from slamodeler.store.lock import WorkspaceLocked
from slamodeler.store.tables import APPROVED as APPROVED  # statuses the front ends show
from slamodeler.store.tables import FROZEN as FROZEN
from slamodeler.store.tables import (
    ContractRow,
    ContractVersionRow,
    IncidentSetRow,
    RunRow,
    ScenarioRow,
)
from slamodeler.store.workspace import SUFFIX, VerifyReport, Workspace, now

DEFAULT_FILE = "default" + SUFFIX
SAMPLES = Path(__file__).resolve().parents[2] / "sample_contracts"
SAMPLE_AUTHOR = "SLA Modeler (sample)"

__all__ = ["VerifyReport", "Workspace"]


# -- where, who ----------------------------------------------------------------------------------


def default_path() -> Path:
    """``default.slamws`` in the per-user data folder (e.g. ~/.local/share/SLA Modeler)."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DEFAULT_FILE


def author_name(given: str | None = None) -> str:
    """``--author``, else $SLAMODELER_AUTHOR, else the login name."""
    if given and given.strip():
        return given.strip()
    if os.environ.get("SLAMODELER_AUTHOR", "").strip():
        return os.environ["SLAMODELER_AUTHOR"].strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


@dataclass(frozen=True)
class Opened:
    workspace: Workspace
    created: bool  # the default workspace was made just now
    seeded: list[str]  # what it was seeded with
    locked_by: str | None = None  # who writes to it, so it was opened read-only ("pid 42")


def open_workspace(
    path: str | Path | None,
    *,
    readonly: bool = False,
    author: str | None = None,
    readonly_if_locked: bool = False,
    key_file: str | Path | None = None,
) -> Opened:
    """Open ``path``; with no path, the default workspace, created and seeded with the sample
    contracts, scenarios and incidents the first time. With ``readonly_if_locked``, a workspace
    that another process writes to is opened read-only (``locked_by`` says who) instead of
    refused. The signing key (``key_file``, else $SLAMODELER_SIGNING_KEY) signs every entry
    written, and ``verify`` checks the signatures with it."""
    key = signing.key_from(key_file)
    target = Path(path) if path is not None else default_path()
    if path is not None or target.exists():
        try:
            return Opened(Workspace.open(target, readonly=readonly, signing_key=key), False, [])
        except WorkspaceLocked as locked:
            if not readonly_if_locked:
                raise
            ws = Workspace.open(target, readonly=True, signing_key=key)
            return Opened(ws, False, [], locked.holder)
    ws = Workspace.create(target, author_name(author), signing_key=key)
    try:
        seeded = seed_samples(ws, author_name(author))
    except BaseException:
        ws.close()
        raise
    if readonly:
        ws.close()
        ws = Workspace.open(target, readonly=True, signing_key=key)
    return Opened(ws, True, seeded)


def init_workspace(
    path: str | Path, author: str, samples: bool = False, key_file: str | Path | None = None
) -> Opened:
    ws = Workspace.create(path, author, signing_key=signing.key_from(key_file))
    try:
        seeded = seed_samples(ws, author) if samples else []
    except BaseException:
        ws.close()
        raise
    return Opened(ws, True, seeded)


def seed_samples(ws: Workspace, author: str) -> list[str]:
    """The sample contracts (as drafts), scenarios and incident history shipped beside the
    package, in one transaction. Nothing when they are not there (an installed wheel)."""
    if not SAMPLES.is_dir():
        return []
    seeded = []
    with ws.transaction():
        for path in sorted(SAMPLES.glob("*.yaml")):
            done = import_contract(ws, path, SAMPLE_AUTHOR, "sample contract")
            seeded.append(f"contract {done.key}")
        for path in sorted((SAMPLES / "scenarios").glob("*.yaml")):
            row, _ = import_scenario(ws, path, SAMPLE_AUTHOR)
            seeded.append(f"scenario {row.key}")
        incidents = SAMPLES / "incidents_sample.csv"
        if incidents.is_file():
            set_row, _ = import_incidents(ws, incidents, SAMPLE_AUTHOR)
            seeded.append(f"incident set {set_row.key}")
    return seeded


def key_from(path: Path) -> str:
    key = re.sub(r"[^A-Za-z0-9_.-]+", "-", path.stem).strip("-._").lower()
    return key[:100] or "item"


# -- contracts -----------------------------------------------------------------------------------


def parse_ref(ref: str) -> tuple[str, str]:
    """``KEY@VERSION`` -> (KEY, VERSION); ``KEY`` -> (KEY, "latest")."""
    key, at, which = ref.rpartition("@")
    if not at:
        return ref.strip(), "latest"
    if not key.strip() or not which.strip():
        raise InputError(f"{ref!r}: write a contract as KEY@VERSION, e.g. three_tier_cloud@2")
    return key.strip(), which.strip().lower()


def resolve(ws: Workspace, ref: str) -> tuple[ContractRow, ContractVersionRow]:
    key, which = parse_ref(ref)
    contract = ws.contract(key)
    return contract, ws.version(contract.key, which)


@dataclass(frozen=True)
class ImportedContract:
    key: str
    version: ContractVersionRow
    added: bool  # False: the same terms as the latest version, nothing stored
    new_contract: bool
    changes: list[dict[str, Any]]


def import_contract(
    ws: Workspace, path: str | Path, author: str, reason: str | None = None, key: str | None = None
) -> ImportedContract:
    """A contract file as a new draft: a new contract, or the next version of the one with the
    same key (``key``, else the file's name) or the same contract name."""
    path = Path(path)
    contract = load_contract(path)
    row = ws.find_contract(key) if key else (ws.find_contract(contract.name))
    if row is None and not key:
        row = ws.find_contract(key_from(path))
    target = row.key if row else (key or key_from(path))
    version, added = ws.add_version(
        target, contract, author, reason or f"imported from {path.name}"
    )
    return ImportedContract(
        target,
        version,
        added,
        row is None,
        json.loads(version.changes) if added else [],
    )


def history(ws: Workspace, key: str) -> tuple[ContractRow, list[ContractVersionRow], list[Entry]]:
    contract = ws.contract(key)
    return contract, ws.versions(contract.key), ws.audit_entries(contract.key)


@dataclass(frozen=True)
class VersionDiff:
    key: str
    old: ContractVersionRow
    new: ContractVersionRow
    changes: list[Any]  # contract_changes.Change: one per change a user made

    @property
    def weakening(self) -> list[Any]:
        return [c for c in self.changes if c.weakens]


def diff_versions(ws: Workspace, old_ref: str, new_ref: str | None = None) -> VersionDiff:
    """Change by change from ``old_ref`` to ``new_ref``; with one reference, from that version's
    parent to it."""
    from slamodeler.domain.contract_changes import user_changes
    from slamodeler.domain.contract_diff import diff_contracts

    contract, old = resolve(ws, old_ref)
    if new_ref is None:
        new = old
        if old.parent_id is None:
            raise InputError(
                f"{contract.key}@{old.number} is the first version: name two versions to compare"
            )
        _, old = ws.version_by_id(old.parent_id)
    else:
        other, new = resolve(ws, new_ref if "@" in new_ref else f"{contract.key}@{new_ref}")
        if other.id != contract.id:
            raise InputError(
                f"{old_ref} and {new_ref} are versions of different contracts; compare two "
                "versions of one contract"
            )
    changes = user_changes(diff_contracts(ws.contract_of(old), ws.contract_of(new)))
    return VersionDiff(contract.key, old, new, changes)


def approve(
    ws: Workspace, ref: str, author: str, reason: str, accept_weakening: bool = False
) -> tuple[str, ContractVersionRow, ContractVersionRow | None, list[dict[str, Any]]]:
    contract, version = resolve(ws, ref)
    approved, previous, weakens = ws.approve(version, author, reason, accept_weakening)
    return contract.key, approved, previous, weakens


def submit(ws: Workspace, ref: str, author: str, reason: str) -> tuple[str, ContractVersionRow]:
    contract, version = resolve(ws, ref)
    return contract.key, ws.submit(version, author, reason)


def head(ws: Workspace, at: int | None = None) -> Entry:
    """The audit entry whose hash pins the history up to it: the last, or entry ``at``."""
    entries = ws.audit_entries()
    if at is None:
        return entries[-1]
    for e in entries:
        if e.seq == at:
            return e
    raise InputError(
        f"--at {at}: {ws.path.name} has audit entries 1 to {entries[-1].seq}; give one of those"
    )


def head_label(entry: Entry) -> str:
    """``SEQ:HASH``, as `ws verify --expect-head` takes it."""
    return f"{entry.seq}:{entry.hash}"


def keygen(path: str | Path) -> Path:
    """A new signing key file (0600) for ``--key-file``; kept outside the workspace."""
    return signing.write_key(path)


def export_contract(ws: Workspace, ref: str) -> tuple[str, ContractVersionRow, str]:
    """The version as a contract file (YAML) that loads back to the same terms and hash."""
    contract, version = resolve(ws, ref)
    return contract.key, version, contract_to_yaml(ws.contract_of(version))


# -- incidents and scenarios ---------------------------------------------------------------------


def import_incidents(
    ws: Workspace,
    path: str | Path,
    author: str,
    *,
    key: str | None = None,
    mapping: str | Path | ColumnMapping | None = None,
    timezone: str | None = None,
    skip_bad_rows: bool = False,
    contract_ref: str | None = None,
    encoding: str | None = None,
) -> tuple[IncidentSetRow, ImportReport]:
    """Read an export as `slamodeler replay` does and store it, with its import report, as an
    incident set that never changes. ``contract_ref``: also accept the impact labels that
    contract weighs."""
    contract = ws.contract_of(resolve(ws, contract_ref)[1]) if contract_ref else None
    incidents = load_incident_file(
        path, mapping, timezone, skip_bad_rows, contract, encoding=encoding
    )
    return store_incidents(ws, incidents, author, key or key_from(Path(path)))


def store_incidents(
    ws: Workspace, incidents: IncidentSet, author: str, key: str
) -> tuple[IncidentSetRow, ImportReport]:
    """Store an export read already (the GUI reads it off its thread while the mapping is
    chosen) as the incident set ``key``, with its import report."""
    row = ws.add_incident_set(key, incidents, author)
    return row, incidents.report


def read_incident_set(ws: Workspace, key: str) -> IncidentSet:
    """A stored incident set by name (the GUI reads it off its thread: large sets take time)."""
    return ws.load_incidents(ws.incident_set(key))


def import_scenario(
    ws: Workspace, path: str | Path, author: str, key: str | None = None
) -> tuple[ScenarioRow, bool]:
    """A scenario file, with any empirical durations file read into it, so the stored scenario
    stands alone."""
    scenario = load_scenario(path)
    return ws.add_scenario(key or key_from(Path(path)), scenario, Path(path).name, author)


@dataclass(frozen=True)
class Listing:
    contracts: list[tuple[ContractRow, list[ContractVersionRow]]]
    incident_sets: list[IncidentSetRow]
    scenarios: list[ScenarioRow]
    runs: list[RunRow]


def listing(ws: Workspace) -> Listing:
    return Listing(ws.contracts(), ws.incident_sets(), ws.scenarios(), ws.runs())


def import_report(row: IncidentSetRow) -> ImportReport:
    """The report stored with an incident set: the rows left out and those used with a note."""
    return report_of(json.loads(row.report))


def run_label(ws: Workspace, run: RunRow) -> str:
    """``replay three_tier_cloud@2 on incidents_sample`` and the like."""
    contract, version = ws.version_by_id(run.contract_version_id)
    if run.kind == "replay":
        assert run.incident_set_id is not None
        on = f"on {ws.incident_set_by_id(run.incident_set_id).key}"
    else:
        assert run.scenario_id is not None
        on = f"under {ws.scenario_by_id(run.scenario_id).key}, {run.trials:,} trials, seed {run.seed}"
    return f"{run.kind} {contract.key}@{version.number} {on}"


# -- runs ----------------------------------------------------------------------------------------


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
) -> tuple[ReplayRun, dict[str, Any]]:
    incidents = ws.load_incidents(incident_set)
    result = replay(
        contract,
        incidents.incidents,
        first=options.get("first"),
        last=options.get("last"),
        tiers=options.get("tiers"),
    )
    return ReplayRun(contract, incidents, result), replay_json(result, incidents.report)


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
) -> ReplayMade:
    """Replay ``contract`` (the terms of version ``version_id``, or edits of them) on a stored
    incident set, and store the run when the terms are the version's (``why_not_stored``)."""
    contract_row, version = ws.version_by_id(version_id)
    set_row = ws.incident_set(incident_set)
    options = {"first": first, "last": last, "tiers": list(tiers) if tiers else None}
    started, clock = now(), time.perf_counter()
    replayed, data = _replay(contract, ws, set_row, options)
    run, not_stored = _keep(
        ws,
        contract,
        (contract_row, version),
        author,
        (started, clock),
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
) -> StoredReplay:
    """Replay a stored version on a stored incident set, and store the run."""
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
    )
    if made.run is None:
        raise InputError(f"the replay was not stored: {made.not_stored}")
    return StoredReplay(made.run, made.replayed.result, made.replayed.incidents.report, made.data)


def _keep(
    ws: Workspace,
    contract: Contract,
    versions: tuple[ContractRow, ContractVersionRow],
    author: str,
    timing: tuple[str, float],
    data: dict[str, Any],
    **inputs: Any,
) -> tuple[RunRow | None, str]:
    """Store a run of ``contract`` as a run of the version, unless ``why_not_stored`` says why
    not: what it was run on (``inputs``), by whom, when and how long it took (``timing``: its
    start time and ``perf_counter`` then), with which engine, and its result. The stored run, or
    None and why."""
    contract_row, version = versions
    not_stored = why_not_stored(ws, contract, version)
    if not_stored:
        return None, not_stored
    started, clock = timing
    assert version.id is not None  # a stored version has its id
    run = RunRow(
        **inputs,
        contract_version_id=version.id,
        contract_hash=version.content_hash,
        engine_version=__version__,
        author=author,
        started_at=started,
        finished_at=now(),
        seconds=round(time.perf_counter() - clock, 3),
        result=canonical_json(data),
        result_hash="",
    )
    ws.add_run(run, f"{contract_row.key}@{version.number}")
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
) -> SimulationMade:
    """Simulate ``contract`` (the terms of version ``version_id``, or edits of them) under a
    stored scenario, over ``years`` from ``start`` (YYYY-MM) when given instead of the
    scenario's own, and store the run when the terms are the version's (``why_not_stored``) and
    it was not cancelled. The years and start go into the run's options, so `ws rerun` runs the
    same horizon."""
    contract_row, version = ws.version_by_id(version_id)
    scenario_row = ws.scenario(scenario)
    horizon: dict[str, Any] = {"years": years}
    if start is not None:  # only when given: runs stored before have {"years": ...} alone
        horizon["start"] = start
    started, clock = now(), time.perf_counter()
    sim, found, data = _simulate(
        contract,
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
    run, not_stored = _keep(
        ws,
        contract,
        (contract_row, version),
        author,
        (started, clock),
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
) -> StoredSimulation:
    """Simulate a stored version under a stored scenario, and store the run (not when
    cancelled: a partial result could not be reproduced)."""
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
    )
    if made.simulation.cancelled:
        raise InputError("the simulation was cancelled; nothing was stored")
    if made.run is None or made.data is None:
        raise InputError(f"the simulation was not stored: {made.not_stored}")
    return StoredSimulation(made.run, made.simulation, made.exposures, made.data)


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
    if problems:
        raise InputError(
            f"run {run_id} cannot be reproduced: " + "; ".join(problems) + " (see `ws verify`)"
        )
    contract = ws.contract_of(version)
    if run.kind == "replay":
        replayed, data = _replay(contract, ws, set_row, options)
        return Recomputed(run, contract, data, ref, label, replayed=replayed)
    assert run.trials is not None and run.seed is not None
    options.update(trials=run.trials, seed=run.seed)
    sim, found, sim_data = _simulate(contract, ws, scenario_row, options, workers=workers)
    assert sim_data is not None  # nothing cancels it
    return Recomputed(run, contract, sim_data, ref, label, simulated=(sim, found))


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


def export_run(ws: Workspace, run_id: int, out: str | Path, workers: int = 1) -> WorkbookReport:
    """The exposure workbook of a stored run, from its stored inputs; refused unless they
    reproduce the stored result exactly, so the workbook shows what was stored."""
    again = recompute(ws, run_id, workers)
    if not again.reproduces:
        raise InputError(
            f"run {run_id} no longer reproduces its stored result (see `ws rerun {run_id}`); "
            "no workbook was written"
        )
    label, anchor = again.label, head_label(head(ws))
    if again.replayed is not None:
        return save_workbook(out, replay=again.replayed, contract_label=label, audit_head=anchor)
    assert again.simulated is not None
    sim, found = again.simulated
    return save_workbook(
        out, simulation=sim, exposures=found, contract_label=label, audit_head=anchor
    )


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


def verify(ws: Workspace, expect_head: str | None = None) -> VerifyReport:
    """With the signing key the workspace was opened with, the signatures are checked too."""
    return ws.verify(expect_head, ws.signing_key)
