"""The exact method for the desktop's Simulation view: whether the contract in the editor and a
stored scenario allow it (the engine's reason when not, which the view shows on its method
chooser), and the computed result over the horizon asked for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.simulation_request import SimulationRequest
from slamodeler.engine.exact import ExactRun, exact, refusal

if TYPE_CHECKING:
    from slamodeler.store.workspace import Workspace

__all__ = ["ExactRun", "compute", "why_not_exact"]


def why_not_exact(ws: Workspace | None, scenario: str, contract: Contract | None) -> str:
    """Why the exact method cannot compute ``contract`` under the stored ``scenario`` ("" when
    it can)."""
    if contract is None:
        return "the contract has problems (marked in the editor)"
    if ws is None or not scenario:
        return "choose a scenario first"
    try:
        stored = ws.scenario_of(ws.scenario(scenario))
    except InputError as exc:
        return str(exc)
    return refusal(contract, stored)


def compute(
    ws: Workspace, scenario: str, request: SimulationRequest, contract: Contract
) -> ExactRun:
    """The exact method on ``contract`` under the stored ``scenario`` over the request's horizon
    (its trials and seed have nothing to draw); InputError where it cannot."""
    return exact(contract, request.horizon_of(ws.scenario_of(ws.scenario(scenario))))
