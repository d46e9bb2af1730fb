"""The Sensitivity sheet (`slamodeler sensitivity --xlsx`): a tornado, each term's statistics at
the ends of its range with a bar chart of the mean's change, or a spider, one term at several
values with a line chart. The statistics and standard errors are the simulation's values; the
changes from the base and the widths are formulas over them."""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference, ScatterChart, Series
from openpyxl.worksheet.worksheet import Worksheet

from slamodeler.engine.sensitivity import Sensitivity, Spider
from slamodeler.io.workbook.cells import STYLES as S
from slamodeler.io.workbook.cells import print_setup, put_text, set_widths
from slamodeler.io.workbook.charts import chart_title, show_axes
from slamodeler.io.workbook.sheet_writer import SheetWriter
from slamodeler.io.workbook.values import finite, put_value

BASE_ROW = 4  # B4: the base's mean, B5: its P99
TORNADO_HEADERS = [
    "Term",
    "Of",
    "Base value",
    "Low",
    "High",
    "Mean at low",
    "Mean at high",
    "Mean change at low",
    "Std error",
    "Mean change at high",
    "Std error",
    "Mean: width",
    "P99 at low",
    "P99 at high",
    "P99: width",
]
SPIDER_HEADERS = ["Value", "Mean", "Mean change", "Std error", "P99", "P99 change"]


class SensitivitySheet(SheetWriter):
    def sensitivity_sheet(self, ws: Worksheet) -> None:
        found = self.c.sensitivity
        if found is None:
            return
        run = found.base
        whose = "all tiers" if not found.tiers else "tier " + ", ".join(found.tiers)
        what = (
            f"Sensitivity of {found.path}" if isinstance(found, Spider) else "Sensitivity: tornado"
        )
        self.title(
            ws,
            what,
            f"Credits paid per year ({whose}, {self.contract.currency}) under scenario "
            f"{run.scenario.name!r}, {found.trials:,} trials, seed {run.seed}. Each term moved "
            "alone, the rest at the base, on common random numbers: contract terms on the same "
            "draws, scenario parameters on the same seed. Std error: of the mean's change, from "
            "the paired trials.",
        )
        for i, (label, value) in enumerate(
            (("Base: mean", found.base_mean), ("Base: P99", found.base_p99)), BASE_ROW
        ):
            put_text(ws.cell(i, 1), label, S.label)
            put_value(ws.cell(i, 2), finite(value), S.money)
        if isinstance(found, Spider):
            self._spider(ws, found)
        else:
            self._tornado(ws, found)

    def _tornado(self, ws: Worksheet, found: Sensitivity) -> None:
        h = BASE_ROW + 3
        self.header(ws, h, TORNADO_HEADERS)
        set_widths(ws, [44, 10, *[14] * (len(TORNADO_HEADERS) - 2)])
        mean = f"$B${BASE_ROW}"
        for i, bar in enumerate(found.bars, h + 1):
            put_text(ws.cell(i, 1), bar.path, S.text)
            put_text(ws.cell(i, 2), bar.side, S.text)
            for j, value in enumerate((bar.base_value, bar.low.value, bar.high.value), 3):
                put_value(ws.cell(i, j), float(value), S.number)
            put_value(ws.cell(i, 6), finite(bar.low.mean), S.money)
            put_value(ws.cell(i, 7), finite(bar.high.mean), S.money)
            self.formula(ws, f"H{i}", f"=F{i}-{mean}", S.money)
            put_value(ws.cell(i, 9), finite(bar.low.mean_stderr), S.money)
            self.formula(ws, f"J{i}", f"=G{i}-{mean}", S.money)
            put_value(ws.cell(i, 11), finite(bar.high.mean_stderr), S.money)
            self.formula(ws, f"L{i}", f"=ABS(J{i}-H{i})", S.money)
            put_value(ws.cell(i, 13), finite(bar.low.p99), S.money)
            put_value(ws.cell(i, 14), finite(bar.high.p99), S.money)
            self.formula(ws, f"O{i}", f"=ABS(N{i}-M{i})", S.money)
        last = h + len(found.bars)
        chart = BarChart()
        chart.type = "bar"  # horizontal: a tornado
        chart.grouping = "clustered"
        chart.overlap = 100
        chart.title = chart_title("Change of the mean credits per year")
        for col in (8, 10):
            chart.add_data(
                Reference(ws, min_col=col, min_row=h, max_row=last), titles_from_data=True
            )
        chart.set_categories(Reference(ws, min_col=1, min_row=h + 1, max_row=last))
        chart.x_axis.scaling.orientation = "maxMin"  # the widest bar on top
        show_axes(chart)
        chart.height, chart.width = 3 + 0.8 * len(found.bars), 18
        ws.add_chart(chart, f"A{last + 2}")
        print_setup(ws, f"{h}:{h}")

    def _spider(self, ws: Worksheet, found: Spider) -> None:
        h = BASE_ROW + 3
        self.header(ws, h, SPIDER_HEADERS)
        set_widths(ws, [16] * len(SPIDER_HEADERS))
        for i, p in enumerate(found.points, h + 1):
            put_value(ws.cell(i, 1), float(p.value), S.number)
            put_value(ws.cell(i, 2), finite(p.mean), S.money)
            self.formula(ws, f"C{i}", f"=B{i}-$B${BASE_ROW}", S.money)
            put_value(ws.cell(i, 4), finite(p.mean_stderr), S.money)
            put_value(ws.cell(i, 5), finite(p.p99), S.money)
            self.formula(ws, f"F{i}", f"=E{i}-$B${BASE_ROW + 1}", S.money)
        last = h + len(found.points)
        chart = ScatterChart()
        chart.style = 13
        chart.title = chart_title(f"Credits per year against {found.path}")
        xs = Reference(ws, min_col=1, min_row=h + 1, max_row=last)
        for col in (2, 5):
            values = Reference(ws, min_col=col, min_row=h, max_row=last)
            chart.series.append(Series(values, xs, title_from_data=True))
        chart.x_axis.title = found.path
        chart.y_axis.title = self.contract.currency
        show_axes(chart, x_format="General")
        chart.height, chart.width = 8, 18
        ws.add_chart(chart, f"H{h}")
        print_setup(ws, f"{h}:{h}")
