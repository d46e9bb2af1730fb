"""Chart pieces every sheet's charts share."""

from __future__ import annotations

from typing import Any

from openpyxl.chart.data_source import NumFmt

from slamodeler.io.workbook.cells import safe_text


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
