"""Layers of a simulation's credits (`slamodeler layers`, the Simulation view's Layers panel): the
trials' credits of a tier or the portfolio, and for each ``L xs R`` the expected credits in it
and the probabilities of attaching and exhausting, with standard errors (engine.layers)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from slamodeler.domain.errors import InputError
from slamodeler.domain.layers import Layer, parse_layer
from slamodeler.engine.exposure import Exposure, exposures
from slamodeler.engine.layers import LayerFigures, LayerSet, layers_of
from slamodeler.engine.simulation import SimulationRun
from slamodeler.io.workbook import WorkbookContent, WorkbookReport, write_workbook

__all__ = [
    "Layer",
    "LayerFigures",
    "LayerSet",
    "check_layers_workbook",
    "exposure_layers",
    "layer_set",
    "layers_json",
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
    years = run.scenario.years
    return LayerSet(series, years, run.contract.currency, credits, layers_of(credits, list(layers)))


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
        "trials": len(found.credits),
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
