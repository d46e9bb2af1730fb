"""The Exposure sheet: simulated statistics, histograms and convergence charts (values)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.worksheet.worksheet import Worksheet

from slamodeler.engine.exposure import Exposure
from slamodeler.io.workbook.cells import STYLES as S
from slamodeler.io.workbook.cells import print_setup, put_text, set_widths
from slamodeler.io.workbook.charts import chart_title, show_axes, trial_histogram
from slamodeler.io.workbook.remedies import exposure_statistics
from slamodeler.io.workbook.sheet_writer import SheetWriter
from slamodeler.io.workbook.trial_statistics import Z95, convergence, histogram
from slamodeler.io.workbook.values import finite, put_value


class ExposureSheet(SheetWriter):
    def exposure(self, ws: Worksheet) -> None:
        run, found = self.c.simulation, self.c.exposures
        if run is None or not found:
            self.title(ws, "Exposure", "No simulation in this export (give a scenario).")
            return
        periods = run.horizon.periods
        cur = self.contract.currency
        self.title(
            ws,
            f"Simulated exposure: {periods[0].label} to {periods[-1].label}, {run.trials:,} trials",
            f"Credits paid over the horizon for all of a tier's customers ({cur}), after caps, "
            "minimum credit and claim rate. Values from the simulation: they do not recalculate "
            "when Terms change (simulate again to re-price).",
        )
        h = 4
        stats = [*distribution_rows(sampled=True), *exposure_statistics(self.contract, run)]
        row = self.statistics_table(ws, h, found, stats)
        put_text(
            ws.cell(row, 1),
            "Per series: a histogram of credits paid (first bin: trials with no credit) and the "
            "mean as trials accumulate, with its 95% confidence band.",
            S.note,
        )
        row += 2
        for e in found:
            row = self._series_block(ws, row, e)
        print_setup(ws, f"{h}:{h}")

    def statistics_table(
        self, ws: Worksheet, h: int, found: Sequence[Exposure], stats: list[Statistic]
    ) -> int:
        """The table of ``stats`` (rows) per series (columns) under its header row ``h``; the
        row after it and a blank one."""
        put_text(ws.cell(h - 1, 1), "Distribution of credits paid", S.heading)
        self.header(ws, h, ["Statistic", *[e.name for e in found]])
        set_widths(ws, [34, *[16] * max(len(found), 9)])
        ws.freeze_panes = f"B{h + 1}"
        for i, (label, style, get) in enumerate(stats, h + 1):
            put_text(ws.cell(i, 1), label, S.label)
            for j, e in enumerate(found, 2):
                put_value(ws.cell(i, j), finite(get(e)), style)
        return h + len(stats) + 2

    def _series_block(self, ws: Worksheet, row: int, e: Exposure) -> int:
        cur = self.contract.currency
        put_text(ws.cell(row, 1), e.name, S.heading)
        h = row + 1
        self.header(ws, h, ["Credits paid up to", "From", "Trials", "Share of trials"], first=1)
        self.header(ws, h, ["Trials run", "Mean so far", "95% band low", "95% band high"], first=6)
        bins = histogram(e.paid)
        titles = (f"{e.name}: credits paid", f"Credits paid up to ({cur})")
        trial_histogram(ws, h, bins, e.trials, titles, f"K{h}")
        points = convergence(e.paid)
        for i, (n, mean, lo, hi) in enumerate(points, h + 1):
            put_value(ws.cell(i, 6), n, S.number)
            put_value(ws.cell(i, 7), mean, S.money)
            put_value(ws.cell(i, 8), finite(lo), S.money)
            put_value(ws.cell(i, 9), finite(hi), S.money)
        if points:
            line = ScatterChart()
            line.title = chart_title(f"{e.name}: mean as trials accumulate")
            line.style = 13
            line.x_axis.title = "Trials"
            line.y_axis.title = f"Mean credits paid ({cur})"
            xs = Reference(ws, min_col=6, min_row=h + 1, max_row=h + len(points))
            for col, colour in ((7, "1F3864"), (8, "8EA9DB"), (9, "8EA9DB")):
                ys = Reference(ws, min_col=col, min_row=h, max_row=h + len(points))
                series = Series(ys, xs, title_from_data=True)
                series.marker.symbol = "none"
                series.graphicalProperties.line.solidFill = colour
                series.graphicalProperties.line.width = 20000 if col == 7 else 12000
                series.smooth = False
                line.series.append(series)
            assert line.legend is not None  # a new chart has one
            line.legend.position = "b"
            line.x_axis.scaling.logBase = 10
            show_axes(line, x_format="#,##0")
            line.height, line.width = 7.5, 16
            ws.add_chart(line, f"K{h + 16}")
        return h + max(len(bins), len(points), 32) + 2


Statistic = tuple[str, str, Callable[[Exposure], float]]


def distribution_rows(sampled: bool) -> list[Statistic]:
    """The Exposure sheet's statistics of a distribution; ``sampled``: with those only trials
    have (their count, the mean's standard error and confidence interval, the tail's intervals),
    which a computed distribution (the exact method) leaves out."""
    return [
        *([("Trials", S.number, lambda e: e.trials)] if sampled else []),
        ("Mean", S.money, lambda e: e.mean),
        *(
            [
                ("Standard error of the mean", S.money, lambda e: e.stderr),
                ("Mean, 95% confidence low", S.money, lambda e: e.mean - Z95 * e.stderr),
                ("Mean, 95% confidence high", S.money, lambda e: e.mean + Z95 * e.stderr),
            ]
            if sampled
            else []
        ),
        ("P50 (median)", S.money, lambda e: e.quantiles["p50"]),
        ("P90", S.money, lambda e: e.quantiles["p90"]),
        ("P95", S.money, lambda e: e.quantiles["p95"]),
        ("P99", S.money, lambda e: e.quantiles["p99"]),
        ("TVaR 99% (mean of the worst 1%)", S.money, lambda e: e.tvar99),
        *(_tail_interval_rows() if sampled else []),
        ("Probability of any breach", S.share, lambda e: e.p_any_breach),
        ("Expected breach periods (per customer)", S.minutes, lambda e: e.expected_breach_periods),
        ("Probability the per-period cap bites", S.share, lambda e: e.p_cap_hit["per_period"]),
        ("Probability the yearly cap bites", S.share, lambda e: e.p_cap_hit["per_year"]),
        ("Probability the liability cap bites", S.share, lambda e: e.p_cap_hit["liability"]),
        ("Capped off (mean)", S.money, lambda e: e.capped_off_mean),
        ("Issued before claim rate (mean)", S.money, lambda e: e.issued_mean),
        ("Revenue", S.money, lambda e: e.revenue),
        ("Cost to serve", S.money, lambda e: e.cost),
        ("Margin (mean)", S.money, lambda e: e.margin_mean),
    ]


_TAIL_NAMES = {"p95": "P95", "p99": "P99", "tvar99": "TVaR 99%"}


def _tail_interval_rows() -> list[Statistic]:
    """The 95% confidence interval's ends of each tail statistic (docs/statistics.md)."""

    def end(key: str, i: int) -> Callable[[Exposure], float]:
        return lambda e: e.intervals[key][i]

    return [
        (f"{name}, 95% confidence {side}", S.money, end(key, i))
        for key, name in _TAIL_NAMES.items()
        for i, side in enumerate(("low", "high"))
    ]
