"""Simulation results as stable JSON (``slamodeler-simulation/v1``, docs/simulation-output.md)."""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

from slamodeler import __version__
from slamodeler.domain.money import minor_digits
from slamodeler.domain.scenario import Scenario
from slamodeler.engine.exact import ExactRun
from slamodeler.engine.exposure import Exposure
from slamodeler.engine.simulation import SimulationRun

SIMULATION_FORMAT = "slamodeler-simulation/v1"


def scenario_hash(run: SimulationRun | ExactRun) -> str:
    """SHA-256 of the scenario's canonical JSON (keys sorted, unset options left out)."""
    return _scenario_hash(run.scenario)


def _scenario_hash(scenario: Scenario) -> str:
    data = scenario.model_dump(mode="json", exclude_none=True)
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def exposure_dict(e: Exposure, digits: int = 2, chronic: bool = False) -> dict[str, Any]:
    """Money rounded to the currency's minor unit; a statistic that one trial cannot give (the
    standard error) is null. ``chronic``: the contract has a chronic-failure clause, so the
    termination right's probability and the revenue it puts at risk are given."""

    def money(x: float) -> float | None:
        return None if math.isnan(x) else round(x, digits)

    return {
        "trials": e.trials,
        "mean": money(e.mean),
        "stderr": money(e.stderr),
        **{k: money(v) for k, v in e.quantiles.items()},
        "tvar99": money(e.tvar99),
        "ci95": {k: [money(low), money(high)] for k, (low, high) in e.intervals.items()},
        "p_any_breach": round(e.p_any_breach, 6),
        "expected_breach_periods": round(e.expected_breach_periods, 6),
        "p_cap_hit": {k: round(v, 6) for k, v in e.p_cap_hit.items()},
        "capped_off_mean": money(e.capped_off_mean),
        "issued_mean": money(e.issued_mean),
        "revenue": money(e.revenue),
        "cost": money(e.cost),
        "margin_mean": money(e.margin_mean),
        **(
            {
                "p_termination_right": round(e.p_termination_right, 6),
                "revenue_at_risk_mean": money(e.revenue_at_risk_mean),
            }
            if chronic
            else {}
        ),
    }


def has_chronic_failure(run: SimulationRun) -> bool:
    """Whether any tier of the run's contract has a chronic-failure clause."""
    return any(run.contract.chronic_failure_of(t) for t in run.contract.tiers)


def simulation_json(run: SimulationRun, exposures: list[Exposure]) -> dict[str, Any]:
    *tiers, portfolio = exposures
    periods = run.horizon.periods
    digits = minor_digits(run.contract.currency)
    chronic = has_chronic_failure(run)
    return {
        "format": SIMULATION_FORMAT,
        "engine_version": __version__,
        "contract": {"name": run.contract.name, "hash": run.contract.content_hash()},
        "contract_hash": run.contract.content_hash(),
        "scenario": {"name": run.scenario.name, "hash": scenario_hash(run)},
        "currency": run.contract.currency,
        "seed": run.seed,
        "trials": run.trials,
        "trials_requested": run.trials_requested,
        "cancelled": run.cancelled,
        "horizon": {"from": periods[0].label, "to": periods[-1].label, "periods": len(periods)},
        "notes": run.notes,
        "tiers": [
            {"tier": e.name, "customers": t.customers, **exposure_dict(e, digits, chronic)}
            for e, t in zip(tiers, run.contract.tiers, strict=True)
        ],
        "portfolio": exposure_dict(portfolio, digits, chronic),
    }


def exact_json(run: ExactRun) -> dict[str, Any]:
    """The exact method's figures in the simulation's format, with ``method: exact``: no seed
    and no trials (null), a standard error of 0, no tail intervals (null)."""
    *tiers, portfolio = run.exposures
    periods = run.horizon.periods
    digits = minor_digits(run.contract.currency)
    chronic = False  # the exact method refuses chronic-failure clauses

    def figures(e: Exposure) -> dict[str, Any]:
        # no sampling error, so no confidence interval of the tail either
        return {**exposure_dict(e, digits, chronic), "trials": None, "ci95": None}

    return {
        "format": SIMULATION_FORMAT,
        "engine_version": __version__,
        "method": "exact",
        "contract": {"name": run.contract.name, "hash": run.contract.content_hash()},
        "contract_hash": run.contract.content_hash(),
        "scenario": {"name": run.scenario.name, "hash": _scenario_hash(run.scenario)},
        "currency": run.contract.currency,
        "seed": None,
        "trials": None,
        "trials_requested": None,
        "cancelled": False,
        "horizon": {"from": periods[0].label, "to": periods[-1].label, "periods": len(periods)},
        "notes": run.notes,
        "tiers": [
            {"tier": e.name, "customers": t.customers, **figures(e)}
            for e, t in zip(tiers, run.contract.tiers, strict=True)
        ],
        "portfolio": figures(portfolio),
    }
