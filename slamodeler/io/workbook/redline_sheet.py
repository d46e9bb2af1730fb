"""The Redline sheet: what the redline costs against the base on the same simulated incidents
(`slamodeler compare --xlsx`): the difference per tier and portfolio, each change's share in
both orders, and a histogram of the portfolio's difference. Values from the simulation, except
the difference of the means and the spread, which are formulas over them."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from slamodeler.engine.redline import Difference
from slamodeler.io.workbook.cells import STYLES as S
from slamodeler.io.workbook.cells import print_setup, put_text, set_widths
from slamodeler.io.workbook.charts import trial_histogram
from slamodeler.io.workbook.sheet_writer import SheetWriter
from slamodeler.io.workbook.values import finite, put_value

DIFF_BINS = 30


def difference_histogram(d: np.ndarray, bins: int = DIFF_BINS) -> list[tuple[float, float, int]]:
    """(from, up to, trials) over equal bins from the smallest difference to the largest; one
    bin when every trial differs by the same amount."""
    d = np.asarray(d, dtype=float)
    if not d.size:
        return []
    lo, hi = float(d.min()), float(d.max())
    if lo == hi:
        return [(lo, hi, int(d.size))]
    counts, edges = np.histogram(d, bins=bins, range=(lo, hi))
    return [(float(edges[i]), float(edges[i + 1]), int(counts[i])) for i in range(bins)]


class RedlineSheet(SheetWriter):
    def redline_sheet(self, ws: Worksheet) -> None:
        found = self.c.redline
        if found is None:
            return
        cur = self.contract.currency
        self.title(
            ws,
            f"Redline: {found.labels[1]} against {found.labels[0]}",
            f"Credits paid per year ({cur}) under scenario {found.base.scenario.name!r}, "
            f"{found.trials:,} trials, seed {found.base.seed}: both contracts on the same "
            f"simulated incidents ({found.how}). Difference = redline - base, trial by trial.",
        )
        series = [*found.tiers, found.portfolio]
        h = 4
        self.header(ws, h, ["Statistic", *(d.name for d in series)])
        set_widths(ws, [40, *[16] * max(len(series), 8)])
        ws.freeze_panes = "B5"
        stats: list[tuple[str, str, Callable[[Difference], float]]] = [
            ("Trials", S.number, lambda d: d.trials),
            ("Base: mean credits paid", S.money, lambda d: d.base_mean),
            ("Redline: mean credits paid", S.money, lambda d: d.redline_mean),
            ("Difference: mean", S.money, lambda d: d.mean),
            ("Difference: standard error of the mean", S.money, lambda d: d.stderr),
            ("Difference: P5", S.money, lambda d: d.quantiles["p5"]),
            ("Difference: P50", S.money, lambda d: d.quantiles["p50"]),
            ("Difference: P95", S.money, lambda d: d.quantiles["p95"]),
            ("Difference: P99", S.money, lambda d: d.quantiles["p99"]),
            ("Probability the redline costs more", S.share, lambda d: d.p_costs_more),
            ("Probability the redline costs less", S.share, lambda d: d.p_costs_less),
        ]
        for i, (label, style, get) in enumerate(stats, h + 1):
            put_text(ws.cell(i, 1), label, S.label)
            for j, d in enumerate(series, 2):
                put_value(ws.cell(i, j), finite(get(d)), style)
        row = h + len(stats) + 1
        put_text(ws.cell(row, 1), "Difference of the means (formula)", S.label)
        for j in range(2, len(series) + 2):
            col = get_column_letter(j)
            self.formula(ws, f"{col}{row}", f"={col}{h + 3}-{col}{h + 2}", S.money)
        row += 1
        for names, where in ((found.only_base, "base"), (found.only_redline, "redline")):
            if names:
                row += 1
                put_text(
                    ws.cell(row, 1),
                    f"Only in the {where} (counted in the portfolio): {', '.join(names)}",
                    S.note,
                )
        row = self._steps(ws, row + 2)
        self._histogram(ws, row + 1, found.portfolio)
        print_setup(ws, f"{h}:{h}")

    def _steps(self, ws: Worksheet, row: int) -> int:
        found = self.c.redline
        assert found is not None
        if not found.steps:
            return row
        put_text(
            ws.cell(row, 1),
            "Each change's share of the portfolio's mean difference: applied to the base one at "
            "a time in the order of the version diff, and in reverse; the spread is the order "
            "effect.",
            S.note,
        )
        h = row + 1
        self.header(ws, h, ["Change", "In order", "Std error", "In reverse", "Std error", "Spread"])
        for i, step in enumerate(found.steps, h + 1):
            put_text(ws.cell(i, 1), step.label, S.wrap)
            put_value(ws.cell(i, 2), finite(step.forward), S.money)
            put_value(ws.cell(i, 3), finite(step.forward_stderr), S.money)
            put_value(ws.cell(i, 4), finite(step.reverse), S.money)
            put_value(ws.cell(i, 5), finite(step.reverse_stderr), S.money)
            self.formula(ws, f"F{i}", f"=ABS(B{i}-D{i})", S.money)
        return h + len(found.steps) + 1

    def _histogram(self, ws: Worksheet, row: int, d: Difference) -> None:
        put_text(ws.cell(row, 1), "Portfolio: difference per trial", S.heading)
        h = row + 1
        self.header(ws, h, ["Difference up to", "From", "Trials", "Share of trials"])
        bins = difference_histogram(d.per_trial)
        titles = ("Redline - base, portfolio", f"Difference up to ({self.contract.currency})")
        trial_histogram(ws, h, bins, d.trials, titles, f"F{h}")
