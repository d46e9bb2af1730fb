"""What goes into a workbook and what writing one reports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from slamodeler.domain.contract import Contract
from slamodeler.domain.credit_memos import CreditMemo
from slamodeler.domain.incidents import ImportReport, Incident
from slamodeler.domain.results import ReplayResult
from slamodeler.engine.back_to_back import BackToBack
from slamodeler.engine.baseline import Baseline
from slamodeler.engine.dispute import Dispute
from slamodeler.engine.exact import ExactRun
from slamodeler.engine.exposure import Exposure
from slamodeler.engine.finders import Finding
from slamodeler.engine.layers import LayerSet
from slamodeler.engine.portfolio import Portfolio
from slamodeler.engine.profitability import Profitability
from slamodeler.engine.redline import Redline
from slamodeler.engine.sensitivity import Sensitivity, Spider
from slamodeler.engine.simulation import SimulationRun
from slamodeler.engine.slo_budget import SloBudget


@dataclass(frozen=True)
class WorkbookContent:
    """What goes into a workbook: the contract, and a replay, a simulation or both."""

    contract: Contract
    contract_label: str | None = None  # the version or file the contract came from
    replay: ReplayResult | None = None
    incidents: Sequence[Incident] = ()
    import_report: ImportReport | None = None
    simulation: SimulationRun | None = None
    exposures: Sequence[Exposure] | None = None
    profitability: Profitability | None = None  # the simulation's margins and fees per tier
    exported_by: str | None = None  # default: the logged-in user
    exported_at: datetime | None = None  # default: now, local time
    audit_head: str | None = None  # the workspace's audit head (SEQ:HASH), if from one
    baseline: Baseline | None = None  # a baseline from history: its own sheet
    redline: Redline | None = None  # `compare --xlsx`: adds the Redline sheet
    finder: Finding | None = None  # `find --xlsx`: adds the Finder sheet
    portfolio: Portfolio | None = None  # `portfolio --xlsx`: adds the Portfolio sheet
    exact: ExactRun | None = None  # computed, not simulated: `simulate --method exact --xlsx`
    sensitivity: Sensitivity | Spider | None = None  # `sensitivity --xlsx`: its own sheet
    dispute: Dispute | None = None  # `dispute --xlsx`: the Dispute sheet, first after Summary
    error_budget: tuple[SloBudget, int] | None = None  # `slo budget --xlsx`: and alert minutes
    # `memos --xlsx`: the memos and the replay's total they reconcile to (Credit memos sheet)
    credit_memos: tuple[Sequence[CreditMemo], Decimal] | None = None
    layers: LayerSet | None = None  # `layers --xlsx`: the Layers sheet
    vendor: BackToBack | None = None  # `vendor --xlsx`: adds the Vendor sheet


@dataclass(frozen=True)
class WorkbookReport:
    path: Path
    replay_rows: int
    incident_rows: int
    formulas: int
