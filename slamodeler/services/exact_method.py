"""Exact credit distributions of a contract file under a scenario (`simulate --method exact`)."""

from __future__ import annotations

from pathlib import Path

from slamodeler.domain.scenario import Scenario
from slamodeler.domain.simulation_request import METHODS, SimulationRequest
from slamodeler.engine.exact import ExactRun, exact
from slamodeler.io.contract_file import load_contract
from slamodeler.io.fee_file import with_fee_file
from slamodeler.io.scenario_file import load_scenario
from slamodeler.io.simulation_report import exact_json

__all__ = ["METHODS", "ExactRun", "exact_files", "exact_json"]


def exact_files(
    contract_path: str | Path,
    scenario: Scenario | str | Path,
    request: SimulationRequest,
    fees: str | Path | None = None,
) -> ExactRun:
    """The exact method on a contract file (with a fee file's fees when given) and a scenario
    (a file, or one fitted), over the horizon ``request`` asks for; its trials and seed have
    nothing to draw."""
    contract = load_contract(contract_path)
    if fees is not None:
        contract = with_fee_file(contract, fees)
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    return exact(contract, request.horizon_of(scenario))
