"""Layers of a simulation's credits (`slamodeler layers`, the Simulation view's Layers panel): the
trials' credits of a tier or the portfolio, and for each ``L xs R`` the expected credits in it
and the probabilities of attaching and exhausting, with standard errors (engine.layers)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.layers import Layer, parse_layer
from slamodeler.domain.scenario import Scenario
from slamodeler.domain.simulation_request import SimulationRequest
from slamodeler.engine.exposure import Exposure, exposures
from slamodeler.engine.layers import LayerFigures, LayerSet, distribution_layer, layers_of
from slamodeler.engine.simulation import Progress, SimulationRun, simulate
from slamodeler.io.contract_file import load_contract
from slamodeler.io.fee_file import with_fee_file
from slamodeler.io.scenario_file import load_scenario
from slamodeler.io.workbook import WorkbookContent, WorkbookReport, write_workbook

if TYPE_CHECKING:
    from slamodeler.store.workspace import Workspace

__all__ = [
    "Layer",
    "LayerFigures",
    "LayerSet",
    "check_layers_workbook",
    "exact_layers_files",
    "exact_layers_stored",
    "exposure_layers",
    "layer_set",
    "layers_json",
    "layers_stored",
    "parse_layers",
    "save_layers_workbook",
]

PORTFOLIO = "portfolio"


def parse_layers(texts: Sequence[str]) -> list[Layer]:
    """Each ``LIMITxsRETENTION``; at least one (InputError naming --layer otherwise)."""
    if not texts:
        raise InputError("--layer: give at least one layer, e.g. --layer 50000xs10000")
    return [parse_layer(t) for t in texts]


def check_layers_workbook(trials: int) -> None:
    """Before a run: the Layers sheet holds one trial a row, so at most MAX_TRIALS."""
    from slamodeler.io.workbook.layers_sheet import MAX_TRIALS

    if trials > MAX_TRIALS:
        raise InputError(
            f"--xlsx: the Layers sheet holds a trial a row, at most {MAX_TRIALS:,} trials; "
            f"run {trials:,} without --xlsx, or at most {MAX_TRIALS:,} --trials with it"
        )


def layer_set(run: SimulationRun, layers: Sequence[Layer], series: str = PORTFOLIO) -> LayerSet:
    """The layers of ``series`` (a tier's name, or "portfolio") over the run's trials."""
    found = {e.name: e for e in exposures(run)}
    if series not in found:
        names = ", ".join(found)
        raise InputError(f"--tier {series!r}: no such tier; this contract has: {names}")
    credits = found[series].paid
    figures = layers_of(credits, list(layers))
    return LayerSet(
        series, run.scenario.years, run.contract.currency, credits, figures, found[series].mean
    )


def exact_layer_set(
    contract: Contract, scenario: Scenario, layers: Sequence[Layer], series: str = PORTFOLIO
) -> LayerSet:
    """The layers of ``series`` computed from the exact method's distribution of its credits
    (standard errors 0), where the method applies (InputError naming the term otherwise)."""
    from slamodeler.engine.exact import paid_distribution

    names = [t.name for t in contract.tiers] + [PORTFOLIO]
    if series not in names:
        raise InputError(f"--tier {series!r}: no such tier; this contract has: {', '.join(names)}")
    values, probs = paid_distribution(contract, scenario, series)
    figures = [distribution_layer(values, probs, layer) for layer in layers]
    mean = float(values @ probs)
    empty = np.zeros(0)
    return LayerSet(series, scenario.years, contract.currency, empty, figures, mean)


def exact_layers_files(
    contract_path: str | Path,
    scenario_path: str | Path,
    request: SimulationRequest,
    layers: Sequence[Layer],
    series: str = PORTFOLIO,
    fees: str | Path | None = None,
) -> tuple[LayerSet, list[str]]:
    """`layers --method exact`: the files read as `simulate --method exact` reads them; with the
    notes `simulate --method exact` prints (where the engine's rule may differ)."""
    from slamodeler.engine.exact import exact

    contract = load_contract(contract_path)
    if fees is not None:
        contract = with_fee_file(contract, fees)
    scenario = request.horizon_of(load_scenario(scenario_path))
    notes = exact(contract, scenario).notes
    return exact_layer_set(contract, scenario, layers, series), notes


def stored_inputs(
    ws: Workspace, ref: str, scenario: str, request: SimulationRequest, fees: str | Path | None
) -> tuple[Contract, Scenario]:
    """A stored version (KEY@VERSION) with a stored fee set or fee file, and a stored scenario
    over ``request``'s horizon: what `layers --ws` prices."""
    from slamodeler.services.run_files import with_fees
    from slamodeler.services.run_input_sets import run_inputs
    from slamodeler.services.versions import resolve

    contract = ws.contract_of(resolve(ws, ref)[1])
    if fees is not None:
        contract = with_fees(contract, run_inputs(ws, None, fees).fees)
    return contract, request.horizon_of(ws.scenario_of(ws.scenario(scenario)))


def layers_stored(
    ws: Workspace,
    ref: str,
    scenario: str,
    request: SimulationRequest,
    layers: Sequence[Layer],
    series: str = PORTFOLIO,
    *,
    fees: str | Path | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> tuple[LayerSet, SimulationRun]:
    """`layers --ws`: the layers of a stored version simulated under a stored scenario (not
    stored as a run: `ws simulate` stores runs), and the run for the workbook."""
    from slamodeler.services.simulate import executor_for

    contract, drawn = stored_inputs(ws, ref, scenario, request, fees)
    with executor_for(workers) as executor:
        run = simulate(  # nothing re-prices it: no periods kept, as `simulate_files`
            contract,
            drawn,
            request.trials,
            request.seed,
            executor=executor,
            progress=progress,
            keep_periods=False,
        )
    return layer_set(run, layers, series), run


def exact_layers_stored(
    ws: Workspace,
    ref: str,
    scenario: str,
    request: SimulationRequest,
    layers: Sequence[Layer],
    series: str = PORTFOLIO,
    fees: str | Path | None = None,
) -> tuple[LayerSet, list[str]]:
    """`layers --ws --method exact`: as ``exact_layers_files`` on stored inputs."""
    from slamodeler.engine.exact import exact

    contract, drawn = stored_inputs(ws, ref, scenario, request, fees)
    notes = exact(contract, drawn).notes
    return exact_layer_set(contract, drawn, layers, series), notes


def _number(value: float) -> float | None:
    return value if math.isfinite(value) else None


def figures_json(f: LayerFigures) -> dict[str, Any]:
    return {
        "layer": f.layer.label,
        "retention": f.layer.retention,
        "limit": None if math.isinf(f.layer.limit) else f.layer.limit,
        "expected": _number(f.expected),
        "expected_se": _number(f.expected_se),
        "p_attach": _number(f.p_attach),
        "p_attach_se": _number(f.p_attach_se),
        "p_exhaust": _number(f.p_exhaust),
        "p_exhaust_se": _number(f.p_exhaust_se),
    }


def layers_json(found: LayerSet) -> dict[str, Any]:
    return {
        "series": found.series,
        "years": found.years,
        "currency": found.currency,
        "method": "monte-carlo" if found.trials else "exact",
        "trials": found.trials,
        "mean": found.mean,
        "layers": [figures_json(f) for f in found.figures],
    }


def save_layers_workbook(out: str | Path, run: SimulationRun, found: LayerSet) -> WorkbookReport:
    """The exposure workbook of the simulation, with the Layers sheet."""
    return write_workbook(
        out,
        WorkbookContent(run.contract, simulation=run, exposures=exposures(run), layers=found),
    )


def exposure_layers(series: Exposure, layers: Sequence[Layer]) -> list[LayerFigures]:
    """The layers of one series the Simulation view shows (its trials' credits)."""
    return layers_of(series.paid, list(layers))
