"""The Exposure sheet of an exact-method result (`simulate --method exact --xlsx`): the same
statistics, computed rather than sampled, so without trials, standard errors, confidence
intervals, histograms of trials or convergence charts."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from slamodeler.engine.exact import ExactRun
from slamodeler.io.workbook.cells import STYLES as S
from slamodeler.io.workbook.cells import print_setup, put_text
from slamodeler.io.workbook.exposure_sheet import ExposureSheet, distribution_rows

COMPUTED = (
    "Computed by the exact method (docs/statistics.md, Exact method), not sampled: there are "
    "no trials, so no standard errors, confidence intervals, histograms or convergence charts. "
    "Values: they do not recalculate when Terms change (run the method again)."
)


class ComputedExposureSheet(ExposureSheet):
    def computed_exposure(self, ws: Worksheet, run: ExactRun) -> None:
        periods = run.horizon.periods
        cur = self.contract.currency
        self.title(
            ws,
            f"Computed exposure: {periods[0].label} to {periods[-1].label}, exact method",
            f"Credits paid over the horizon for all of a tier's customers ({cur}), after caps, "
            f"minimum credit and claim rate. {COMPUTED}",
        )
        h = 4
        row = self.statistics_table(ws, h, run.exposures, distribution_rows(sampled=False))
        put_text(
            ws.cell(row, 1),
            f"The engine's rule may differ from the computed sums in at most "
            f"{run.differ_bound:.3g} expected period(s) of the horizon (overlapping or "
            f"month-crossing incidents).",
            S.note,
        )
        print_setup(ws, f"{h}:{h}")
