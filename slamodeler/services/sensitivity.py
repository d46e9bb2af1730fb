"""Which term moves our exposure most: the use case behind `slamodeler sensitivity` and the
desktop's Sensitivity tab (engine/sensitivity.py): ranges read from text, the tornado or the
spider run on a contract and a scenario, and the rows, JSON and heading the front ends show."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.scenario import Scenario
from slamodeler.domain.simulation_request import SimulationRequest
from slamodeler.domain.term_paths import Number, numeric_terms
from slamodeler.engine.sensitivity import (
    MAX_SPIDER_STEPS,
    ORDERS,
    Bar,
    Point,
    Sensitivity,
    Side,
    Spider,
    TermRange,
    spider,
    tornado,
)
from slamodeler.engine.simulation import CancelToken, Progress
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from slamodeler.services.redline import check_scenario
from slamodeler.services.simulate import executor_for

__all__ = [  # with the engine's types the front ends hold and pass back
    "BAR_HEADERS",
    "MAX_SPIDER_STEPS",
    "ORDERS",
    "POINT_HEADERS",
    "CancelToken",
    "Sensitivity",
    "Spider",
    "TermRange",
    "bar_cells",
    "load_inputs",
    "parse_range",
    "parse_spider",
    "point_cells",
    "sensitivity_heading",
    "sensitivity_json",
    "sensitivity_of",
    "spider_heading",
    "spider_json",
    "spider_of",
    "terms_to_vary",
    "value_text",
]

RANGE_FORM = "PATH=LOW:HIGH, such as claims.claim_rate=0.4:0.8"


def terms_to_vary(contract: Contract, scenario: Scenario) -> list[tuple[str, Side, Number]]:
    """Every numeric term a sensitivity can move: the contract's, then the scenario's."""
    return [
        *((p, "contract", v) for p, v in numeric_terms(contract).items()),
        *((p, "scenario", v) for p, v in numeric_terms(scenario).items() if p != "years"),
    ]


def parse_range(text: str, option: str = "--term") -> TermRange:
    """``PATH=LOW:HIGH`` (the path may hold ``:`` or ``=`` inside brackets: the last ``=``
    splits); an InputError naming the option and the form otherwise."""
    path, values = _split(text, option, 2, RANGE_FORM)
    low, high = (_number(v, text, option) for v in values)
    return TermRange(path, low, high)


def parse_spider(text: str) -> tuple[TermRange, int]:
    """``PATH=LOW:HIGH:STEPS``: the range and how many values across it."""
    form = "PATH=LOW:HIGH:STEPS, such as claims.claim_rate=0.2:1:5"
    path, values = _split(text, "--spider", 3, form)
    low, high = (_number(v, text, "--spider") for v in values[:2])
    if not values[2].strip().isdigit():
        raise InputError(f"--spider {text}: STEPS {values[2]!r} is not a whole number; give {form}")
    return TermRange(path, low, high), int(values[2])


def _split(text: str, option: str, count: int, form: str) -> tuple[str, list[str]]:
    path, eq, rest = text.rpartition("=")
    values = rest.split(":")
    if not eq or not path.strip() or len(values) != count:
        raise InputError(f"{option} {text}: give {form}")
    return path.strip(), values


def _number(text: str, whole: str, option: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InputError(f"{option} {whole}: {text!r} is not a number; give {RANGE_FORM}")
    return value


def _checked(
    contract: Contract, scenario: Scenario, request: SimulationRequest, label: str
) -> Scenario:
    scenario = request.horizon_of(scenario)
    check_scenario(label, contract, scenario, request.trials)
    return scenario


def sensitivity_of(
    contract: Contract,
    scenario: Scenario,
    ranges: Sequence[TermRange],
    request: SimulationRequest,
    *,
    tiers: Sequence[str] | None = None,
    order: str = "mean",
    workers: int = 1,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    label: str = "contract",
) -> Sensitivity:
    """The tornado of ``ranges`` under ``scenario`` as ``request`` asks (trials, seed, horizon)."""
    scenario = _checked(contract, scenario, request, label)
    with executor_for(workers) as executor:
        return tornado(
            contract,
            scenario,
            ranges,
            request.trials,
            request.seed,
            tiers=tiers,
            order=order,
            executor=executor,
            progress=progress,
            cancel=cancel,
        )


def spider_of(
    contract: Contract,
    scenario: Scenario,
    term: TermRange,
    steps: int,
    request: SimulationRequest,
    *,
    tiers: Sequence[str] | None = None,
    workers: int = 1,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    label: str = "contract",
) -> Spider:
    """The spider of one term: ``steps`` values across its range."""
    scenario = _checked(contract, scenario, request, label)
    with executor_for(workers) as executor:
        return spider(
            contract,
            scenario,
            term,
            steps,
            request.trials,
            request.seed,
            tiers=tiers,
            executor=executor,
            progress=progress,
            cancel=cancel,
        )


def load_inputs(contract_path: str | Path, scenario_path: str | Path) -> tuple[Contract, Scenario]:
    return load_contract(contract_path), load_scenario(scenario_path)


def value_text(value: Number) -> str:
    """A term's value as a user writes it: 12.5, 0.6, 30."""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _money(value: float) -> str:
    return f"{value:,.0f}" if math.isfinite(value) else ""


def _signed(value: float) -> str:
    return f"{value:+,.0f}" if math.isfinite(value) else ""


BAR_HEADERS = [
    "term",
    "base",
    "low",
    "high",
    "mean change at low",
    "std error",
    "mean change at high",
    "std error",
    "P99 change at low",
    "P99 change at high",
]
POINT_HEADERS = ["value", "mean", "change", "std error", "P99", "P99 change"]


def bar_cells(bar: Bar) -> list[str]:
    """A bar as the table and the desktop show it (``BAR_HEADERS``): changes from the base."""
    return [
        bar.path,
        value_text(bar.base_value),
        value_text(bar.low.value),
        value_text(bar.high.value),
        _signed(bar.low.mean_change),
        _money(bar.low.mean_stderr),
        _signed(bar.high.mean_change),
        _money(bar.high.mean_stderr),
        _signed(bar.low.p99_change),
        _signed(bar.high.p99_change),
    ]


def point_cells(point: Point) -> list[str]:
    """A spider point as the table and the desktop show it (``POINT_HEADERS``)."""
    return [
        value_text(point.value),
        _money(point.mean),
        _signed(point.mean_change),
        _money(point.mean_stderr),
        _money(point.p99),
        _signed(point.p99_change),
    ]


def _whose(tiers: list[str] | None) -> str:
    return "all tiers" if not tiers else "tier " + ", ".join(tiers)


def sensitivity_heading(found: Sensitivity) -> str:
    """What the figures are: whose credits, per year, the run, the base, how bars are ordered."""
    run = found.base
    return (
        f"{run.contract.name} under scenario {run.scenario.name}: credits paid per year "
        f"({_whose(found.tiers)}), {run.contract.currency}; {found.trials:,} trials, seed "
        f"{run.seed}. Base: mean {_money(found.base_mean)}, P99 {_money(found.base_p99)}. "
        f"Each term moved alone; changes from the base, widest {found.order} first."
    )


def spider_heading(found: Spider) -> str:
    run = found.base
    return (
        f"{run.contract.name} under scenario {run.scenario.name}: credits paid per year "
        f"({_whose(found.tiers)}), {run.contract.currency}; {found.trials:,} trials, seed "
        f"{run.seed}. {found.path} (base {value_text(found.base_value)}): mean "
        f"{_money(found.base_mean)}, P99 {_money(found.base_p99)} at the base."
    )


def _point(p: Point) -> dict[str, Any]:
    return {
        "value": float(p.value),
        "mean": p.mean,
        "mean_change": p.mean_change,
        "mean_change_stderr": p.mean_stderr,
        "p99": p.p99,
        "p99_change": p.p99_change,
    }


def _run(found: Sensitivity | Spider) -> dict[str, Any]:
    return {
        "contract": found.base.contract.name,
        "scenario": found.base.scenario.name,
        "currency": found.base.contract.currency,
        "trials": found.trials,
        "seed": found.base.seed,
        "years": found.years,
        "tiers": found.tiers,
        "base_mean": found.base_mean,
        "base_p99": found.base_p99,
        "simulations": found.simulations,
    }


def sensitivity_json(found: Sensitivity) -> dict[str, Any]:
    """The tornado as `sensitivity --format json` prints it (docs/cli.md)."""
    return {
        **_run(found),
        "order": found.order,
        "bars": [
            {
                "term": b.path,
                "side": b.side,
                "base_value": float(b.base_value),
                "low": _point(b.low),
                "high": _point(b.high),
                "mean_width": b.width("mean"),
                "p99_width": b.width("p99"),
            }
            for b in found.bars
        ],
    }


def spider_json(found: Spider) -> dict[str, Any]:
    return {
        **_run(found),
        "term": found.path,
        "side": found.side,
        "base_value": float(found.base_value),
        "points": [_point(p) for p in found.points],
    }
