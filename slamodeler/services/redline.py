"""What a redline costs: the use case behind `slamodeler compare` (two contract files, or two
stored versions with --ws) and the desktop's comparison under a scenario (engine/redline.py)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.scenario import Scenario
from slamodeler.domain.simulation_request import SimulationRequest
from slamodeler.engine.redline import DIFF_QUANTILES, Difference, Redline, Step, compare
from slamodeler.engine.simulation import CancelToken, Progress
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from slamodeler.services.simulate import executor_for

if TYPE_CHECKING:
    from slamodeler.store.workspace import Workspace

__all__ = [  # with the engine's types the front ends hold and pass back
    "DIFFERENCE_HEADERS",
    "STEP_HEADERS",
    "CancelToken",
    "Redline",
    "compare_contracts",
    "compare_files",
    "compare_versions",
    "difference_cells",
    "redline_heading",
    "redline_json",
    "step_cells",
]


def compare_contracts(
    base: Contract,
    redline: Contract,
    scenario: Scenario,
    request: SimulationRequest,
    *,
    workers: int = 1,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    labels: tuple[str, str] = ("base", "redline"),
) -> Redline:
    """The redline against the base under ``scenario`` as ``request`` asks (trials, seed,
    horizon); a problem of one contract with the scenario names which one (``labels``)."""
    scenario = request.horizon_of(scenario)
    for label, terms in zip(labels, (base, redline), strict=True):
        check_scenario(label, terms, scenario, request.trials)
    with executor_for(workers) as executor:
        found = compare(
            base,
            redline,
            scenario,
            request.trials,
            request.seed,
            executor=executor,
            progress=progress,
            cancel=cancel,
        )
    return dataclasses.replace(found, labels=labels)


def check_scenario(label: str, terms: Contract, scenario: Scenario, trials: int) -> None:
    """The scenario against one contract (impact labels it weighs, places, limits), before any
    simulation: the message says which contract."""
    from slamodeler.domain.contract_limits import run_too_large
    from slamodeler.engine.outage_model import OutageModel
    from slamodeler.engine.simulation import scenario_horizon

    try:
        OutageModel(scenario, terms, scenario_horizon(terms, scenario))
    except InputError as exc:
        raise InputError(f"{label}: {exc}") from None
    problem = run_too_large(terms, scenario, trials)
    if problem:
        raise InputError(f"{label}: {problem}")


def compare_files(
    base_path: str | Path,
    redline_path: str | Path,
    scenario_path: str | Path,
    request: SimulationRequest,
    *,
    workers: int = 1,
    progress: Progress | None = None,
) -> Redline:
    return compare_contracts(
        load_contract(base_path),
        load_contract(redline_path),
        load_scenario(scenario_path),
        request,
        workers=workers,
        progress=progress,
        labels=(str(base_path), str(redline_path)),
    )


def compare_versions(
    ws: Workspace,
    base_ref: str,
    redline_ref: str,
    scenario: str,
    request: SimulationRequest,
    *,
    workers: int = 1,
    progress: Progress | None = None,
) -> Redline:
    """Two stored versions (KEY@VERSION; the second may be a version number of the first's
    contract) under a stored scenario."""
    from slamodeler.services.versions import resolve

    key, base = resolve(ws, base_ref)
    ref = (
        redline_ref
        if "@" in redline_ref or not redline_ref.isdigit()
        else f"{key.key}@{redline_ref}"
    )
    _, redline = resolve(ws, ref)
    return compare_contracts(
        ws.contract_of(base),
        ws.contract_of(redline),
        ws.scenario_of(ws.scenario(scenario)),
        request,
        workers=workers,
        progress=progress,
        labels=(base_ref, ref),
    )


def redline_json(found: Redline) -> dict[str, Any]:
    """The comparison as `compare --format json` prints it (docs/cli.md)."""
    return {
        "base": found.labels[0],
        "redline": found.labels[1],
        "base_name": found.base.contract.name,
        "redline_name": found.redline.contract.name,
        "scenario": found.base.scenario.name,
        "trials": found.trials,
        "seed": found.base.seed,
        "years": found.years,
        "how": found.how,
        "currency": found.base.contract.currency,
        "tiers": [_difference(d) for d in found.tiers],
        "portfolio": _difference(found.portfolio),
        "only_in_base": found.only_base,
        "only_in_redline": found.only_redline,
        "changes": [str(c) for c in found.changes],
        "steps": [
            {
                "changes": [str(c) for c in step.changes],
                "in_order": step.forward,
                "in_order_stderr": step.forward_stderr,
                "in_reverse": step.reverse,
                "in_reverse_stderr": step.reverse_stderr,
                "spread": step.spread,
            }
            for step in found.steps
        ],
    }


def _difference(d: Difference) -> dict[str, Any]:
    return {
        "name": d.name,
        "base_mean": d.base_mean,
        "redline_mean": d.redline_mean,
        "mean": d.mean,
        "stderr": d.stderr,
        **d.quantiles,
        "p_costs_more": d.p_costs_more,
        "p_costs_less": d.p_costs_less,
    }


DIFFERENCE_HEADERS = [
    "tier",
    "base mean",
    "redline mean",
    "difference",
    "std error",
    *(k.upper() for k in DIFF_QUANTILES),
    "P(costs more)",
    "P(costs less)",
]
STEP_HEADERS = ["change", "in order", "std error", "in reverse", "std error", "spread"]


def _money(value: float) -> str:
    return f"{value:,.0f}"


def difference_cells(d: Difference) -> list[str]:
    """A row of the comparison as the table and the desktop show it (``DIFFERENCE_HEADERS``)."""
    return [
        d.name,
        _money(d.base_mean),
        _money(d.redline_mean),
        _money(d.mean),
        _money(d.stderr),
        *(_money(d.quantiles[k]) for k in DIFF_QUANTILES),
        f"{d.p_costs_more:.1%}",
        f"{d.p_costs_less:.1%}",
    ]


def step_cells(step: Step) -> list[str]:
    """A change's share in both orders, as the table and the desktop show it (``STEP_HEADERS``)."""
    return [
        step.label,
        _money(step.forward),
        _money(step.forward_stderr),
        _money(step.reverse),
        _money(step.reverse_stderr),
        _money(step.spread),
    ]


def redline_heading(found: Redline) -> str:
    """What the figures are: which contracts, per year, the run, how the redline was priced."""
    per = "per year" if found.years == 1 else f"per year (mean of {found.years} years)"
    return (
        f"{found.labels[1]} against {found.labels[0]}: credits paid {per}, "
        f"{found.base.contract.currency}; {found.trials:,} trials, seed {found.base.seed}, "
        f"scenario {found.base.scenario.name}; {found.how}. Difference = redline - base."
    )
