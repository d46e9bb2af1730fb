"""Chart pieces every sheet's charts share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import NumFmt
from openpyxl.worksheet.worksheet import Worksheet

from slamodeler.io.workbook.cells import STYLES as S
from slamodeler.io.workbook.cells import safe_text
from slamodeler.io.workbook.values import put_value


def chart_title(text: str) -> str:
    return safe_text(text)[0][:250]


def show_axes(chart: Any, x_format: str | None = None, y_format: str | None = "#,##0") -> None:
    """Show both axes (openpyxl marks them deleted by default, which Excel honours), with plain
    number formats instead of the cells' currency format."""
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    if x_format:
        chart.x_axis.numFmt = NumFmt(formatCode=x_format, sourceLinked=False)
    if y_format:
        chart.y_axis.numFmt = NumFmt(formatCode=y_format, sourceLinked=False)


def trial_histogram(
    ws: Worksheet,
    h: int,
    bins: Sequence[tuple[float, float, int]],
    trials: int,
    titles: tuple[str, str],
    anchor: str,
) -> None:
    """Below the header row ``h``: each bin's upper and lower end, its trials and their share
    (columns A to D), and a column chart of the trials per bin at ``anchor``; ``titles``: the
    chart's and its x axis's."""
    for i, (lo, hi, count) in enumerate(bins, h + 1):
        put_value(ws.cell(i, 1), hi, S.money)
        put_value(ws.cell(i, 2), lo, S.money)
        put_value(ws.cell(i, 3), count, S.number)
        put_value(ws.cell(i, 4), count / max(trials, 1), S.share)
    chart = BarChart()
    chart.type = "col"
    chart.gapWidth = 10
    chart.title = chart_title(titles[0])
    chart.y_axis.title = "Trials"
    chart.x_axis.title = titles[1]
    chart.legend = None
    chart.add_data(
        Reference(ws, min_col=3, min_row=h, max_row=h + len(bins)), titles_from_data=True
    )
    chart.set_categories(Reference(ws, min_col=1, min_row=h + 1, max_row=h + len(bins)))
    show_axes(chart, x_format="#,##0")
    chart.height, chart.width = 7.5, 16
    ws.add_chart(chart, anchor)
