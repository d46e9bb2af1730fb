"""Re-pricing a stored simulation under other terms (`slamodeler reprice`, docs/workspace.md).

A stored run keeps its inputs (contract version, scenario, seed, trials, horizon), not its
draws: they are drawn again from its seed, and must give the stored result digit for digit
before anything is priced under the new terms. Then, as the desktop's Simulation view does,
credit terms are re-priced on the same measured periods, and terms that measure periods
otherwise are measured again on the same incidents (``engine.remeasure``), or refused where
the incidents would differ.

When the new terms are a stored version, the result is exactly what simulating that version
with the run's scenario, seed, trials and horizon gives, so it is stored as such a run (which
`ws rerun` reproduces), naming the run it was re-priced from in its options.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.engine.exposure import Exposure, exposures
from slamodeler.engine.remeasure import measurement_changes, remeasure
from slamodeler.engine.simulation import SimulationRun
from slamodeler.io.contract_file import load_contract
from slamodeler.io.simulation_report import simulation_json
from slamodeler.services.run_files import with_fees
from slamodeler.services.runs import EXACT, Begun, recompute, run_label
from slamodeler.services.simulate import with_horizon
from slamodeler.services.versions import resolve
from slamodeler.store.audit import canonical_json
from slamodeler.store.tables import RunRow
from slamodeler.store.workspace import Workspace

COMPARED = ("mean", "p95", "p99")


@dataclass(frozen=True)
class Repriced:
    """A stored simulation under other terms, with the stored result to compare."""

    source: RunRow
    source_label: str  # what the stored run ran (``run_label``)
    terms: str  # the new terms: KEY@N, or the file
    remeasured: list[str]  # measurement terms that differ (measured again); [] re-priced
    simulation: SimulationRun
    exposures: list[Exposure]
    data: dict[str, Any]  # the new result, as `simulate --format json` gives it
    before: dict[str, Any]  # the stored result
    stored: RunRow | None  # the new run, when stored
    not_stored: str  # why not, when not

    def comparison(self) -> list[dict[str, Any]]:
        """Per tier (by name) and the portfolio: the mean, P95 and P99 before and after."""
        old = {t["tier"]: t for t in self.before["tiers"]} | {"portfolio": self.before["portfolio"]}
        new = {t["tier"]: t for t in self.data["tiers"]} | {"portfolio": self.data["portfolio"]}
        names = [*dict.fromkeys([*old, *new])]
        names.append(names.pop(names.index("portfolio")))
        return [
            {
                "series": name,
                **{k: [old.get(name, {}).get(k), new.get(name, {}).get(k)] for k in COMPARED},
            }
            for name in names
        ]

    def json(self) -> dict[str, Any]:
        """The new result with what it came from and the comparison (docs/simulation-output.md)."""
        return {
            **self.data,
            "repriced_from": {
                "run": self.source.id,
                "run_label": self.source_label,
                "terms": self.terms,
                "method": "re-measured" if self.remeasured else "re-priced",
                "measurement_changes": self.remeasured,
                "stored_as_run": self.stored.id if self.stored else None,
                "comparison": self.comparison(),
            },
        }


def reprice_stored_run(ws: Workspace, run_id: int, terms: str, author: str) -> Repriced:
    """Run ``run_id`` (a stored simulation) priced under ``terms`` (a contract file, or KEY@N of
    the workspace), stored when they are a version and the workspace is writable."""
    row = ws.run(run_id)
    if row.kind == EXACT:
        raise InputError(
            f"run {run_id} was computed by the exact method: it has no trials to price again; "
            "run the method on the other terms instead (import them as a version, then "
            f"`slamodeler simulate KEY@N --ws {ws.path.name} --scenario "
            f"{ws.scenario_by_id(row.scenario_id or 0).key} --method exact`)"
        )
    if row.kind != "simulate":
        raise InputError(
            f"run {run_id} is a {row.kind}, not a simulation; replay the other terms on the same "
            "incident set with `slamodeler ws replay`"
        )
    contract, version = _terms(ws, terms)
    again = recompute(ws, run_id)
    if not again.reproduces:
        raise InputError(
            f"run {run_id} ({again.label}) no longer gives its stored result from its seed and "
            f"trials (stored by engine {row.engine_version}; `slamodeler ws rerun {run_id}` lists "
            "the differences), so its draws cannot be priced again; run `slamodeler ws simulate` "
            "with the new terms instead"
        )
    assert again.simulated is not None and row.scenario_id is not None
    options = json.loads(row.options)
    scenario_row = ws.scenario_by_id(row.scenario_id)
    scenario = with_horizon(
        ws.scenario_of(scenario_row), options.get("start"), options.get("years")
    )
    begun = Begun(ws, version, author) if version else None
    # the fees the run was priced with (a fee set or file) apply to the new terms too, as its
    # stored options say and `ws rerun` of the re-priced run applies them
    sim = remeasure(again.simulated[0], with_fees(contract, again.fees), scenario)
    found = exposures(sim)
    data = simulation_json(sim, found)
    stored, not_stored = None, "the terms are a file; import them as a version to keep the run"
    if begun is not None:
        stored, not_stored = begun.keep(
            contract,
            data,
            kind="simulate",
            scenario_id=scenario_row.id,
            scenario_hash=scenario_row.content_hash,
            options=canonical_json({**options, "repriced_from": run_id}),
            seed=row.seed,
            trials=row.trials,
        )
    return Repriced(
        source=row,
        source_label=run_label(ws, row),
        terms=terms,
        remeasured=measurement_changes(again.contract, contract),
        simulation=sim,
        exposures=found,
        data=data,
        before=json.loads(row.result),
        stored=stored,
        not_stored=not_stored,
    )


def _terms(ws: Workspace, terms: str) -> tuple[Contract, Any]:
    """A contract file's terms (no version), or a stored version's with its rows."""
    if Path(terms).is_file() or "@" not in terms:
        return load_contract(terms), None
    versions = resolve(ws, terms)
    return ws.contract_of(versions[1]), versions
