"""Tier profitability: the use case behind `slamodeler profitability` and the desktop's Fees and
margins panel (docs/profitability.md). One contract simulated under a scenario, its margins and
fees per tier; with a second version (``against``), that version priced on the same draws: re-priced
where only credit terms differ, else simulated again with the same seed, so the incidents drawn
are the same and only the measurement differs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.money import minor_digits
from slamodeler.domain.scenario import Scenario
from slamodeler.domain.simulation_request import SimulationRequest
from slamodeler.engine.profitability import (
    DEFAULT_TAIL_CHARGE,
    DEFAULT_TARGET_MARGIN,
    Difference,
    FeeAnswer,
    Profit,
    Profitability,
    differences,
    profitability,
)
from slamodeler.engine.redline import why_not_aligned
from slamodeler.engine.simulation import (
    Progress,
    SimulationRun,
    reprice,
    simulate,
    why_not_repriced,
)
from slamodeler.io.contract_file import load_contract
from slamodeler.io.fee_file import with_fee_file
from slamodeler.io.scenario_file import load_scenario
from slamodeler.services.simulate import executor_for

if TYPE_CHECKING:  # the workspace (SQL) only when one is opened: the CLI loads no SQL otherwise
    from slamodeler.store.workspace import Workspace

__all__ = [
    "DEFAULT_TAIL_CHARGE",
    "DEFAULT_TARGET_MARGIN",
    "Difference",
    "FeeAnswer",
    "Profit",
    "Profitability",
    "ProfitabilityRun",
    "check_rates",
    "compared",
    "profitability_files",
    "profitability_json",
    "profitability_stored",
    "tier_profitability",
    "versions_to_compare",
]

PROFITABILITY_FORMAT = "slamodeler-profitability/v1"
# one customer's figures (``Profit.per_customer``) as the tables show them, by heading
ONE_CUSTOMER = {
    "revenue": "revenue",
    "cost": "cost",
    "credits_mean": "credits",
    "p95": "P95",
    "p99": "P99",
    "margin": "margin",
}


@dataclass(frozen=True)
class Version:
    label: str  # the file or KEY@VERSION it came from
    simulation: SimulationRun
    result: Profitability


@dataclass(frozen=True)
class ProfitabilityRun:
    main: Version
    against: Version | None = None
    how: str = ""  # how the second version was priced on the first one's draws
    differences: tuple[Difference, ...] = ()
    not_compared: tuple[str, ...] = ()  # tiers of one version only (compared by name)

    @property
    def notes(self) -> list[str]:
        """What a reader of the comparison must know besides the figures."""
        if not self.not_compared or self.against is None:
            return []
        return [
            f"tier(s) {', '.join(self.not_compared)} in only one of {self.main.label} and "
            f"{self.against.label}: tiers are compared by name; rename one to compare them"
        ]


def check_rates(tail_charge: float, target_margin: float) -> None:
    """The tail charge is a share of (TVaR99 - mean) and the target a share of revenue."""
    if not math.isfinite(tail_charge) or not 0 <= tail_charge <= 10:
        raise InputError(
            f"--tail-charge {tail_charge}: give a share of the tail between 0 and 10 "
            "(0.10 charges 10% of TVaR99 minus the mean)"
        )
    if not math.isfinite(target_margin) or not -1 < target_margin < 1:
        raise InputError(
            f"--target-margin {target_margin}: give a share of revenue above -1 and below 1 "
            "(0.3 for a 30% margin)"
        )


def tier_profitability(
    run: SimulationRun,
    tail_charge: float = DEFAULT_TAIL_CHARGE,
    target_margin: float = DEFAULT_TARGET_MARGIN,
) -> Profitability:
    """A run's margins and fees per tier (the desktop's panel, on the run it shows)."""
    check_rates(tail_charge, target_margin)
    return profitability(run, tail_charge, target_margin)


def _priced(
    contract: Contract,
    label: str,
    scenario: Scenario,
    request: SimulationRequest,
    against: tuple[Contract, str] | None,
    tail_charge: float,
    target_margin: float,
    workers: int,
    progress: Progress | None,
) -> ProfitabilityRun:
    check_rates(tail_charge, target_margin)
    scenario = request.horizon_of(scenario)
    with executor_for(workers) as executor:
        run = simulate(
            contract, scenario, request.trials, request.seed, executor=executor, progress=progress
        )
    main = Version(label, run, profitability(run, tail_charge, target_margin))
    if against is None:
        return ProfitabilityRun(main)
    return compared(main, *against, workers=workers)


def compared(
    main: Version, other: Contract, other_label: str, workers: int = 1
) -> ProfitabilityRun:
    """``other`` priced on the draws of ``main``'s run, with the same tail charge and target:
    re-priced when only credit terms differ, else simulated again with the run's seed."""
    run, contract = main.simulation, main.simulation.contract
    if run.cancelled:
        raise InputError(
            "a partial (cancelled) result has not the trials of its seed to compare on: run it "
            "to the end first"
        )
    if other.currency != contract.currency:
        raise InputError(
            f"{other_label}: its currency is {other.currency}, {main.label}'s "
            f"{contract.currency}; compare contracts in one currency"
        )
    misaligned = why_not_aligned(contract, other, run.scenario)
    if misaligned:  # simulated again, the two would not see the same incidents
        raise InputError(
            f"{other_label} cannot be priced on {main.label}'s simulated incidents: {misaligned}"
        )
    problem = why_not_repriced(run, other)
    if problem:
        with executor_for(workers) as executor:
            second = simulate(
                other, run.scenario, run.trials_requested, run.seed, executor=executor
            )
        how = f"simulated again on the same draws (seed {run.seed}): {problem}"
    else:
        second = reprice(run, other)
        how = "re-priced on the same simulated trials"
    rates = main.result.tail_rate, main.result.target_margin
    version = Version(other_label, second, profitability(second, *rates))
    names = [t.name for t in contract.tiers], [t.name for t in other.tiers]
    alone = [n for n in names[0] if n not in names[1]] + [n for n in names[1] if n not in names[0]]
    found = tuple(differences(main.result, version.result))
    return ProfitabilityRun(main, version, how, found, tuple(alone))


def versions_to_compare(ws: Workspace, key: str) -> list[tuple[str, Contract]]:
    """The stored versions of contract ``key``, as ``KEY@N (status)`` and their terms, newest
    first: what the desktop offers to compare a run with."""
    return [
        (f"{key}@{v.number} ({v.status.replace('_', ' ')})", ws.contract_of(v))
        for v in reversed(ws.versions(key))
    ]


def profitability_files(
    contract_path: str | Path,
    scenario_path: str | Path,
    request: SimulationRequest,
    *,
    against: str | Path | None = None,
    fees: str | Path | None = None,
    tail_charge: float = DEFAULT_TAIL_CHARGE,
    target_margin: float = DEFAULT_TARGET_MARGIN,
    workers: int = 1,
    progress: Progress | None = None,
) -> ProfitabilityRun:
    """A contract file's profitability under a scenario file, and another file's on the same
    draws (``against``); a fee file's fees (``fees``) apply to the first."""
    contract = load_contract(contract_path)
    if fees is not None:
        contract = with_fee_file(contract, fees)
    other = (load_contract(against), str(against)) if against is not None else None
    return _priced(
        contract,
        str(contract_path),
        load_scenario(scenario_path),
        request,
        other,
        tail_charge,
        target_margin,
        workers,
        progress,
    )


def profitability_stored(
    ws: Workspace,
    ref: str,
    scenario: str,
    request: SimulationRequest,
    *,
    against: str | None = None,
    fees: str | Path | None = None,
    tail_charge: float = DEFAULT_TAIL_CHARGE,
    target_margin: float = DEFAULT_TARGET_MARGIN,
    workers: int = 1,
    progress: Progress | None = None,
) -> ProfitabilityRun:
    """As ``profitability_files`` for stored versions (KEY@VERSION) and a stored scenario, the
    fees (``fees``: a stored fee set's name, or a fee file) applying to the first. Not stored
    as a run: the runs of a workspace are simulations and replays."""
    from slamodeler.services.run_files import with_fees
    from slamodeler.services.run_input_sets import run_inputs
    from slamodeler.services.versions import resolve

    def version(which: str) -> tuple[Contract, str]:
        row, found = resolve(ws, which)
        return ws.contract_of(found), f"{row.key}@{found.number}"

    main, label = version(ref)
    if fees is not None:
        main = with_fees(main, run_inputs(ws, None, fees).fees)
    return _priced(
        main,
        label,
        ws.scenario_of(ws.scenario(scenario)),
        request,
        version(against) if against is not None else None,
        tail_charge,
        target_margin,
        workers,
        progress,
    )


def profitability_json(found: ProfitabilityRun) -> dict[str, Any]:
    """The figures as `profitability --format json` prints them (docs/profitability.md)."""
    main = found.main
    digits = minor_digits(main.simulation.contract.currency)
    data: dict[str, Any] = {
        "format": PROFITABILITY_FORMAT,
        "scenario": main.simulation.scenario.name,
        "trials": main.result.trials,
        "seed": main.result.seed,
        "months": main.result.months,
        "tail_charge": main.result.tail_rate,
        "target_margin": main.result.target_margin,
        "currency": main.simulation.contract.currency,
        "contract": _version_json(main, digits),
    }
    if found.against is not None:
        data["against"] = _version_json(found.against, digits)
        data["how_against_was_priced"] = found.how
        data["differences"] = [_difference_json(d, digits) for d in found.differences]
        data["tiers_not_compared"] = list(found.not_compared)
    return data


def _money(x: float, digits: int) -> float | None:
    return None if math.isnan(x) else round(x, digits)


def _fee_json(answer: FeeAnswer | None, digits: int) -> dict[str, Any] | None:
    if answer is None:
        return None
    return {
        "fee": None if answer.fee is None else float(answer.fee),
        "margin": _money(answer.margin, digits),
        "margin_share": None if math.isnan(answer.margin_share) else round(answer.margin_share, 6),
        "note": answer.note,
        "repricings": answer.repricings,
    }


def _profit_json(p: Profit, digits: int) -> dict[str, Any]:
    money = {
        k: _money(getattr(p, k), digits)
        for k in (
            "revenue",
            "cost",
            "credits_mean",
            "credits_stderr",
            "p95",
            "p99",
            "tvar99",
            "margin",
            "tail_charge",
            "risk_adjusted_margin",
        )
    }
    out: dict[str, Any] = {
        "name": p.name,
        "customers": p.customers,
        **money,
        "margin_share": None if math.isnan(p.margin_share) else round(p.margin_share, 6),
        "per_customer": {k: _money(v, digits) for k, v in p.per_customer.items()},
    }
    if p.monthly_fee is not None:
        out["monthly_fee"] = float(p.monthly_fee)
        out["break_even"] = _fee_json(p.break_even, digits)
        out["target"] = _fee_json(p.target, digits)
    return out


def _version_json(v: Version, digits: int) -> dict[str, Any]:
    return {
        "label": v.label,
        "name": v.simulation.contract.name,
        "hash": v.simulation.contract.content_hash(),
        "tiers": [_profit_json(p, digits) for p in v.result.tiers],
        "portfolio": _profit_json(v.result.portfolio, digits),
    }


def _difference_json(d: Difference, digits: int) -> dict[str, Any]:
    def fee(x: Decimal | None) -> float | None:
        return None if x is None else float(x)

    return {
        "name": d.name,
        **{
            k: _money(getattr(d, k), digits)
            for k in (
                "revenue",
                "cost",
                "credits_mean",
                "credits_stderr",
                "margin",
                "risk_adjusted_margin",
            )
        },
        "break_even_fee": fee(d.break_even_fee),
        "target_fee": fee(d.target_fee),
    }
