"""The whole workbook: every sheet, written in the order their shared state needs."""

from __future__ import annotations

import getpass

from openpyxl import Workbook

from slamodeler.io.workbook.assumptions_sheet import AssumptionsSheet
from slamodeler.io.workbook.baseline_sheet import BaselineSheet
from slamodeler.io.workbook.cells import add_named_styles, safe_text
from slamodeler.io.workbook.computed_exposure import ComputedExposureSheet
from slamodeler.io.workbook.credit_memo_sheet import CreditMemoSheet
from slamodeler.io.workbook.dispute_sheet import DisputeSheet
from slamodeler.io.workbook.finder_sheet import FinderSheet
from slamodeler.io.workbook.incidents_sheet import IncidentsSheet
from slamodeler.io.workbook.layers_sheet import LayersSheet
from slamodeler.io.workbook.portfolio_sheet import PortfolioSheet
from slamodeler.io.workbook.profitability_sheet import ProfitabilitySheet
from slamodeler.io.workbook.redline_sheet import RedlineSheet
from slamodeler.io.workbook.replay_sheet import ReplaySheet
from slamodeler.io.workbook.sensitivity_sheet import SensitivitySheet
from slamodeler.io.workbook.slo_sheet import SloSheet
from slamodeler.io.workbook.summary_sheet import SummarySheet
from slamodeler.io.workbook.terms_sheet import TermsSheet
from slamodeler.io.workbook.vendor_sheet import VendorSheet

SHEETS = ("Summary", "Terms", "Replay", "Incidents", "Exposure", "Profitability", "Assumptions")


class WorkbookBuilder(
    TermsSheet,
    ReplaySheet,
    IncidentsSheet,
    ComputedExposureSheet,  # and the Exposure sheet of a simulation
    ProfitabilitySheet,
    SummarySheet,
    AssumptionsSheet,
    BaselineSheet,
    RedlineSheet,
    FinderSheet,
    PortfolioSheet,
    SensitivitySheet,
    DisputeSheet,
    SloSheet,
    CreditMemoSheet,
    LayersSheet,
    VendorSheet,
):
    def build(self) -> Workbook:
        """The sheets in the order of what they share: Replay sets the span the Incidents
        sheet needs, Profitability the margin cells and Assumptions the exporter that the
        Summary shows."""
        wb = self.wb = Workbook()
        add_named_styles(wb, self.contract.currency)
        assert wb.active is not None  # a new workbook has one sheet
        wb.active.title = SHEETS[0]
        for title in SHEETS[1:]:
            wb.create_sheet(title)
        wb.calculation.fullCalcOnLoad = True  # no cached values: every reader computes
        user = self.c.exported_by or _user()
        wb.properties.creator = safe_text(user)[0]
        wb.properties.title = safe_text(f"SLA exposure: {self.contract.name}")[0][:250]
        self.terms(wb["Terms"])
        self.replay(wb["Replay"])
        self.incidents(wb["Incidents"])
        if self.c.exact is not None:
            self.computed_exposure(wb["Exposure"], self.c.exact)
        else:
            self.exposure(wb["Exposure"])
        self.profitability(wb["Profitability"])
        self.assumptions(wb["Assumptions"], user)
        self.summary(wb["Summary"])
        if self.c.baseline is not None:
            self.baseline(wb.create_sheet("Baseline"))
        if self.c.redline is not None:  # after Exposure: the sheets above keep their places
            self.redline_sheet(wb.create_sheet("Redline", SHEETS.index("Exposure") + 1))
        if self.c.finder is not None:
            self.finder_sheet(wb.create_sheet("Finder", SHEETS.index("Exposure") + 1))
        if self.c.portfolio is not None:  # first after the Summary: the book before one contract
            self.portfolio_sheet(wb.create_sheet("Portfolio", 1))
        if self.c.sensitivity is not None:
            self.sensitivity_sheet(wb.create_sheet("Sensitivity"))
        if self.c.dispute is not None:  # the answer to a claim: first after the Summary
            self.dispute_sheet(wb.create_sheet("Dispute", 1))
        if self.c.error_budget is not None:
            self.slo_sheet(wb.create_sheet("Error budget"), *self.c.error_budget)
        if self.c.credit_memos is not None:
            self.credit_memo_sheet(wb.create_sheet("Credit memos"))
        if self.c.layers is not None:
            self.layers_sheet(wb.create_sheet("Layers"))
        if self.c.vendor is not None:  # first after the Summary: what the workbook is for
            self.vendor_sheet(wb.create_sheet("Vendor", 1))
        wb.active = 0
        return wb


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"
