"""The simulation session: the one door through which the desktop's Simulation view (and its
exposure panel and workbook export) and the command line's `simulate` run a simulation, store it,
re-price it for edited credit terms and get what to show of it. The rules it applies live below
it, each in one place: the settings' limits in ``domain.simulation_request``, whether a result
may be re-priced in ``engine.simulation.why_not_repriced``, the caps' ceilings in
``engine.caps``; running and storing in ``services.simulate`` and ``services.runs``.

Its interface includes the types and limits the front ends show, handed out here so that they
need not import the engine: ``SimulationRun`` (a run: its contract, scenario, horizon and
pricing of every trial), ``Exposure`` (one series' statistics), ``exposures`` (a run's series,
its tiers then the portfolio), ``QUANTILES`` (the quantiles each gives), ``CancelToken``, ``Progress``, ``SimulationRequest`` and
``SettingError`` (what a run is asked for, and the refusal naming the setting), ``reprice`` (a
run's histories priced under edited credit terms; InputError where ``can_reprice`` says no),
``simulation_json`` (a run's figures as
`simulate --format json` prints and a workspace stores them), ``convergence`` (a series' running
mean as trials add up, as the workbook's Exposure sheet charts it), ``DEFAULT_TRIALS``, ``MAX_SCENARIO_YEARS``
and ``MAX_TRIAL_YEARS``.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import TYPE_CHECKING

from slamodeler.domain.contract import Contract
from slamodeler.domain.limits import DEFAULT_TRIALS, MAX_SCENARIO_YEARS, MAX_TRIAL_YEARS
from slamodeler.domain.money import minor_unit, round_down
from slamodeler.domain.scenario import Scenario
from slamodeler.domain.simulation_request import SettingError, SimulationRequest
from slamodeler.engine.caps import cap_ceilings
from slamodeler.engine.exposure import QUANTILES, Exposure, exposures
from slamodeler.engine.horizon import aligned_start
from slamodeler.engine.simulation import (
    CancelToken,
    Progress,
    SimulationRun,
    reprice,
    why_not_repriced,
)
from slamodeler.io.simulation_report import has_chronic_failure, simulation_json
from slamodeler.io.workbook import convergence

if TYPE_CHECKING:  # the workspace (SQL) is loaded by what opens one, not by the command line
    from pathlib import Path

    from slamodeler.services.run_files import StoredFees
    from slamodeler.services.runs import SimulationMade
    from slamodeler.services.workspaces import Workspace

__all__ = [
    "DEFAULT_TRIALS",
    "MAX_SCENARIO_YEARS",
    "MAX_TRIAL_YEARS",
    "QUANTILES",
    "CancelToken",
    "Exposure",
    "Progress",
    "SettingError",
    "SimulationRequest",
    "SimulationRun",
    "can_reprice",
    "ceilings",
    "convergence",
    "exposures",
    "has_chronic_failure",
    "horizon_scenario",
    "reprice",
    "run_version",
    "simulation_json",
    "start_note",
]


def horizon_scenario(ws: Workspace, scenario: str, request: SimulationRequest) -> Scenario:
    """The stored ``scenario`` over the request's horizon: a broken scenario or start is refused
    (InputError) before a run is started."""
    return request.horizon_of(ws.scenario_of(ws.scenario(scenario)))


def start_note(start: str, contract: Contract) -> str:
    """What a run will say of ``start`` (YYYY-MM) for ``contract``: how it moves to the first
    month of a contract period, "" when it does not. InputError when it is not a month."""
    return aligned_start(start, contract.measurement.period, contract.measurement.first_month)[1]


def run_version(
    ws: Workspace,
    version_id: int,
    contract: Contract,
    scenario: str,
    author: str,
    request: SimulationRequest,
    *,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    fees: Path | StoredFees | None = None,
) -> SimulationMade:
    """Simulate ``contract`` (version ``version_id``'s terms, or edits of them) under the stored
    ``scenario`` as ``request`` asks, and store the run when the terms are the version's and it
    ran to the end (``workspace.simulate_version``, as `ws simulate` stores it). Chunks of one
    block, so that progress and cancel follow closely; the result is the same. ``fees``: a fee
    file or a stored fee set applied to the terms, named by the stored run."""
    from slamodeler.services.runs import simulate_version

    return simulate_version(
        ws,
        version_id,
        contract,
        scenario,
        author,
        **asdict(request),
        progress=progress,
        cancel=cancel,
        blocks_per_chunk=1,
        fees=fees,
    )


def can_reprice(run: SimulationRun, contract: Contract) -> str:
    """ "" when ``run`` may be re-priced for ``contract``; otherwise why not, in words."""
    return why_not_repriced(run, contract)


def ceilings(run: SimulationRun, series: str) -> dict[str, Decimal]:
    """The most each cap lets be paid over the run's horizon to the tier ``series`` (or the
    portfolio), computed exactly and rounded down to the currency's minor unit."""
    unit = minor_unit(run.contract.currency)
    exact = cap_ceilings(run.contract, run.horizon, series)
    return {name: round_down(value, unit) for name, value in exact.items()}
