"""A simulation's histories under other terms: re-priced when only credit terms differ, measured
again when the terms measure periods differently but the same seed draws the same incidents.

What a run's incidents depend on, besides the scenario, the seed and the trials: the contract's
time zone (months start at local midnight; hour-of-week profiles are local), the horizon's first
month (aligned to the contract's periods) and, when a process hits customers one by one, how
many customers each tier has. Where those agree, drawing again with the run's seed gives the
same incidents, trial by trial, and measuring them under the new terms is what a simulation of
the new terms with that seed gives.
"""

from __future__ import annotations

import json

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.scenario import Scenario
from slamodeler.engine.horizon import aligned_start
from slamodeler.engine.outage_model import OutageModel
from slamodeler.engine.simulation import (
    SimulationRun,
    measurement_terms,
    reprice,
    scenario_horizon,
    simulate,
)


def measurement_changes(old: Contract, new: Contract) -> list[str]:
    """The measurement terms (``measurement_terms``, and per-incident credits, which are measured
    per incident) in which ``new`` differs from ``old``, by field: ``measurement.slot_minutes``,
    ``exclusions.causes``, ``tier scopes``, ``tiers[0].incident_credits``..."""
    before, after = json.loads(measurement_terms(old)), json.loads(measurement_terms(new))
    names = {
        "scopes": "tier scopes",
        "zones": "tier zones",
        "customers": "tier customers",
        "claim_holders": "customer_cap tiers (a customer's claims under a claim window)",
    }
    out = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            out += [f"{key}.{k}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
        elif a != b:
            out.append(names.get(key, key))
    if len(old.tiers) == len(new.tiers):  # measured per incident (``incident_credits.changed``)
        out += [
            f"tiers[{i}].incident_credits"
            for i, (a, b) in enumerate(zip(old.tiers, new.tiers, strict=True))
            if a.incident_credits != b.incident_credits
        ]
    return out


def draw_changes(run: SimulationRun, contract: Contract) -> list[str]:
    """What ``contract`` changes of what ``run``'s incidents were drawn from (empty: the run's
    seed draws the same incidents for it)."""
    scenario = _aligned(run.scenario, contract)
    old = OutageModel(run.scenario, run.contract, run.horizon)
    new = OutageModel(scenario, contract, scenario_horizon(contract, scenario))
    out = []
    if contract.timezone != run.contract.timezone:
        out.append(f"timezone ({run.contract.timezone} -> {contract.timezone})")
    elif old.start != new.start:
        first = (run.horizon.periods[0].label, scenario.start)
        out.append(f"the first month, aligned to the contract's periods ({first[0]} -> {first[1]})")
    if old.hits_customers_one_by_one and _customers(run.contract) != (_customers(contract)):
        out.append(
            f"tier customers ({_customers(run.contract)} -> {_customers(contract)}), which a "
            "process hitting customers one by one draws for"
        )
    return out


def remeasure(
    run: SimulationRun, contract: Contract, scenario: Scenario | None = None
) -> SimulationRun:
    """``run``'s histories under ``contract``: re-priced (``reprice``) when the measurement
    terms agree, else drawn again with its seed and measured under the new terms, refused
    (InputError naming what differs) when the draws would not be the same. ``scenario``: as
    the run was asked for, before its start was aligned (so the new run's notes say how)."""
    changes = measurement_changes(run.contract, contract)
    if not changes:
        return reprice(run, contract)
    drawn = draw_changes(run, contract)
    if drawn:
        raise InputError(
            "the new terms change what the run's incidents were drawn from: "
            + "; ".join(drawn)
            + "; run `slamodeler simulate` with the new terms instead"
        )
    return simulate(contract, scenario or run.scenario, run.trials_requested, run.seed)


def _aligned(scenario: Scenario, contract: Contract) -> Scenario:
    start, _ = aligned_start(
        scenario.start, contract.measurement.period, contract.measurement.first_month
    )
    return scenario.model_copy(update={"start": start})


def _customers(contract: Contract) -> list[int]:
    return [tier.customers for tier in contract.tiers]
