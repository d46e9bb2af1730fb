"""Write the exposure workbook: the use case behind `slamodeler export`, `--xlsx` and
`ws export-run` (a stored run's workbook, from its inputs computed again)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from slamodeler.domain.errors import InputError
from slamodeler.domain.simulation_request import SimulationRequest
from slamodeler.engine.exact import ExactRun
from slamodeler.engine.exposure import Exposure
from slamodeler.engine.finders import Finding
from slamodeler.engine.profitability import Profitability
from slamodeler.engine.redline import Redline
from slamodeler.engine.sensitivity import Sensitivity, Spider
from slamodeler.engine.simulation import Progress, SimulationRun
from slamodeler.io.output_files import check_output, write_text_atomic
from slamodeler.io.workbook import WorkbookContent, check_workbook_path, write_workbook
from slamodeler.io.workbook import WorkbookReport as WorkbookReport  # what save_workbook wrote
from slamodeler.services.replay import ReplayRun, replay_files
from slamodeler.services.simulate import simulate_files

__all__ = [  # besides this module's own: the guards every command's output paths go through
    "WorkbookReport",
    "check_output",
    "check_workbook_path",
    "export_files",
    "export_run",
    "save_workbook",
    "write_text_atomic",
]

if TYPE_CHECKING:
    from slamodeler.store.workspace import Workspace


def save_workbook(
    out: str | Path,
    *,
    replay: ReplayRun | None = None,
    simulation: SimulationRun | None = None,
    exposures: Sequence[Exposure] | None = None,
    contract_label: str | None = None,
    audit_head: str | None = None,
    profitability: Profitability | None = None,
    redline: Redline | None = None,
    finder: Finding | None = None,
    exact: ExactRun | None = None,
    sensitivity: Sensitivity | Spider | None = None,
) -> WorkbookReport:
    """A workbook from a replay, a simulation or both (of the same contract); ``audit_head``:
    the workspace's audit head (``SEQ:HASH``) when exported from one; ``profitability``: the
    simulation's margins and fees (the Profitability sheet's risk and fees table); ``redline``: a
    comparison whose redline is ``simulation``, on a Redline sheet; ``finder``: a finder's answer
    whose contract at the answer is ``simulation``'s, on a Finder sheet; ``sensitivity``: a
    tornado or spider whose base is ``simulation``, on a Sensitivity sheet; ``exact``: an
    exact-method result instead of a simulation (its figures computed, not sampled)."""
    if exact is not None:
        contract = exact.contract
    else:
        contract = replay.contract if replay is not None else simulation.contract  # type: ignore[union-attr]
    if simulation is not None and simulation.contract != contract:
        raise InputError(
            "the replay and the simulation are of different contract terms, and a workbook "
            "holds one contract's terms: replay and simulate the same terms"
        )
    return write_workbook(
        out,
        WorkbookContent(
            contract,
            contract_label=contract_label,
            audit_head=audit_head,
            replay=replay.result if replay else None,
            incidents=replay.incidents.incidents if replay else (),
            import_report=replay.incidents.report if replay else None,
            simulation=simulation,
            exposures=exposures,
            profitability=profitability,
            redline=redline,
            finder=finder,
            exact=exact,
            sensitivity=sensitivity,
        ),
    )


def export_files(
    out: str | Path,
    contract_path: str | Path,
    incidents_path: str | Path,
    *,
    mapping: str | Path | None = None,
    timezone: str | None = None,
    skip_bad_rows: bool = False,
    encoding: str | None = None,
    scenario: str | Path | None = None,
    request: SimulationRequest | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> tuple[ReplayRun, SimulationRun | None, WorkbookReport]:
    """Replay the incidents, simulate the scenario if one is given (as ``request`` asks), write
    both to ``out``."""
    replayed = replay_files(
        contract_path,
        incidents_path,
        mapping=mapping,
        timezone=timezone,
        skip_bad_rows=skip_bad_rows,
        encoding=encoding,
    )
    run = None
    if scenario is not None:
        run = simulate_files(
            contract_path,
            scenario,
            request or SimulationRequest(),
            workers=workers,
            progress=progress,
        )
    report = save_workbook(
        out, replay=replayed, simulation=run, contract_label=Path(contract_path).name
    )
    return replayed, run, report


def export_run(ws: Workspace, run_id: int, out: str | Path, workers: int = 1) -> WorkbookReport:
    """The exposure workbook of a stored run, from its stored inputs; refused unless they
    reproduce the stored result exactly, so the workbook shows what was stored."""
    # Imported here: the workspace's SQL loads only for a workspace's run, not for the files'
    # export (`slamodeler export` starts without it).
    from slamodeler.services.runs import recompute
    from slamodeler.services.workspaces import head, head_label

    again = recompute(ws, run_id, workers)
    if not again.reproduces:
        raise InputError(
            f"run {run_id} no longer reproduces its stored result (see `ws rerun {run_id}`); "
            "no workbook was written"
        )
    label, anchor = again.label, head_label(head(ws))
    if again.replayed is not None:
        return save_workbook(out, replay=again.replayed, contract_label=label, audit_head=anchor)
    if again.computed is not None:
        return save_workbook(out, exact=again.computed, contract_label=label, audit_head=anchor)
    assert again.simulated is not None
    sim, found = again.simulated
    return save_workbook(
        out, simulation=sim, exposures=found, contract_label=label, audit_head=anchor
    )
