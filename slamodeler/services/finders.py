"""What can we afford: the use case behind `slamodeler find` and the desktop's Find a term
dialog (engine/finders.py): the value of one term that brings a statistic to a budget."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.field_names import describe
from slamodeler.domain.scenario import Scenario
from slamodeler.domain.simulation_request import SimulationRequest
from slamodeler.domain.term_paths import numeric_terms
from slamodeler.engine.finders import STATISTICS, Finding, Point, find
from slamodeler.engine.redline import same_draws
from slamodeler.engine.simulation import CancelToken, Progress
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from slamodeler.services.redline import check_scenario
from slamodeler.services.simulate import executor_for

__all__ = [  # with the engine's types the front ends hold
    "STATISTICS",
    "CancelToken",
    "Finding",
    "Point",
    "find_contract",
    "find_files",
    "finding_json",
    "finding_lines",
    "parse_within",
    "term_choices",
]


def find_contract(
    contract: Contract,
    scenario: Scenario,
    path: str,
    statistic: str,
    budget: float,
    request: SimulationRequest,
    *,
    tier: str | None = None,
    within: tuple[Decimal, Decimal] | None = None,
    workers: int = 1,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> Finding:
    """The term's value that brings ``statistic`` to ``budget`` under ``scenario`` as
    ``request`` asks (trials, seed, horizon), every value priced on one drawing."""
    scenario = request.horizon_of(scenario)
    check_scenario("contract", contract, scenario, request.trials)
    with executor_for(workers) as executor:
        runs = same_draws(scenario, request.trials, request.seed, executor, progress, cancel)
        return find(
            contract,
            runs,
            path,
            statistic,
            budget,
            years=scenario.years,
            tier=tier,
            within=within,
            cancel=cancel,
        )


def find_files(
    contract_path: str | Path,
    scenario_path: str | Path,
    path: str,
    statistic: str,
    budget: float,
    request: SimulationRequest,
    **options: Any,
) -> Finding:
    return find_contract(
        load_contract(contract_path),
        load_scenario(scenario_path),
        path,
        statistic,
        budget,
        request,
        **options,
    )


def parse_within(text: str) -> tuple[Decimal, Decimal]:
    """``LOW:HIGH`` as two numbers; InputError naming --within and the form otherwise."""
    low, sep, high = text.partition(":")
    try:
        found = Decimal(low.strip()), Decimal(high.strip())
    except InvalidOperation:
        found = None
    if not sep or found is None or not all(v.is_finite() for v in found):
        raise InputError(f"--within {text!r}: give two numbers as LOW:HIGH, such as 0:50")
    if not found[0] < found[1]:
        raise InputError(f"--within {text}: LOW must be below HIGH")
    return found


def term_choices(contract: Contract) -> dict[str, str]:
    """The terms a finder can vary, by path, each with its words (the tiers' and the
    liability cap's numbers: what a finder is for)."""
    return {
        path: describe(path)
        for path in numeric_terms(contract)
        if path.startswith(("tiers[", "liability_cap.", "claims."))
        and not path.endswith(".customers")
    }


def _money(value: float) -> str:
    return f"{value:,.2f}" if math.isfinite(value) else "n/a"


def finding_lines(f: Finding) -> list[str]:
    """The answer in words, as the table and the desktop show it."""
    who = f"tier {f.tier}" if f.tier else "the portfolio"
    cur = f.contract.currency
    per = "per year" if f.years == 1 else f"per year (mean of {f.years} years)"
    at = f.at_answer
    kind = "at least" if f.statistic == "margin" else "at most"
    lines = [
        f"{f.path}: the {f.extreme} value that keeps {STATISTICS[f.statistic]} of {who} {kind} "
        f"{_money(f.budget)} {cur} is {f.answer} (now {f.current}).",
        f"There {STATISTICS[f.statistic]} is {_money(at.statistic)} {cur} {per}, "
        f"95% interval {_money(at.low)} to {_money(at.high)}.",
    ]
    if f.whole_range:
        lines.append(
            f"Every value in {f.within[0]}:{f.within[1]} meets the budget: the answer is the "
            "range's end; widen --within to look further."
        )
    if f.interval is not None:
        lines.append(
            f"Uncertainty of the answer: {f.interval[0]} to {f.interval[1]} (the values whose "
            "95% interval holds the budget)."
        )
    elif f.whole_range:
        lines.append("Uncertainty of the answer: beyond the range, where the budget is reached.")
    else:
        lines.append("Too few trials for the statistic's 95% interval: the answer's is unknown.")
    way = "rises" if f.rises else "falls"
    lines.append(
        f"The statistic {way} with the term at every one of the {len(f.points)} values priced "
        f"over {f.within[0]}:{f.within[1]}, in steps of {f.step}; {f.trials:,} trials, seed "
        f"{f.seed}, {f.simulations} simulation(s), the rest re-priced on the same draws."
    )
    return lines


def finding_json(f: Finding) -> dict[str, Any]:
    """The answer as `find --json` prints it (docs/cli.md)."""
    return {
        "contract": f.contract.name,
        "term": f.path,
        "current": str(f.current),
        "statistic": f.statistic,
        "tier": f.tier,
        "budget": f.budget,
        "currency": f.contract.currency,
        "answer": str(f.answer),
        "extreme": f.extreme,
        "interval": None if f.interval is None else [str(v) for v in f.interval],
        "at_answer": _point(f.at_answer),
        "within": [str(v) for v in f.within],
        "step": str(f.step),
        "rises": f.rises,
        "whole_range": f.whole_range,
        "trials": f.trials,
        "seed": f.seed,
        "years": f.years,
        "simulations": f.simulations,
        "points": [_point(p) for p in f.points],
        "notes": f.notes,
    }


def _point(p: Point) -> dict[str, Any]:
    def num(x: float) -> float | None:
        return x if math.isfinite(x) else None

    return {"value": str(p.value), "statistic": p.statistic, "low": num(p.low), "high": num(p.high)}
