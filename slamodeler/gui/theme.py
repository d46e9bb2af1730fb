"""Charts and tinted cells that follow the light or dark palette.

pyqtgraph draws with fixed colours (a white or black background, grey axes); a chart made here
takes its background, axes and labels from the palette instead, and again whenever the palette
changes. Tinted table cells (a missed period, an invalid row) keep their light tint in both
palettes, so they carry dark text of their own rather than the palette's (light in dark mode).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent
from PySide6.QtGui import QBrush, QColor, QPalette

TINT_TEXT = QBrush(QColor(20, 20, 20))  # the text on a light tint, in either palette


class ThemedPlot(pg.PlotWidget):
    """A PlotWidget in the palette's colours: base background, text-coloured axes, labels and
    legend."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.apply_palette()

    def _colours(self) -> tuple[QColor, QColor]:
        palette = self.palette()
        group = QPalette.ColorGroup.Active
        return palette.color(group, QPalette.ColorRole.Base), palette.color(
            group, QPalette.ColorRole.Text
        )

    def setLabel(self, axis: str, text: str | None = None, units: str | None = None, **args):
        args.setdefault("color", self._colours()[1].name())
        self.getPlotItem().setLabel(axis, text, units, **args)

    def addLegend(self, *args, **kwargs) -> pg.LegendItem:
        base, text = self._colours()
        behind = QColor(base)
        behind.setAlpha(215)
        kwargs.setdefault("brush", pg.mkBrush(behind))
        kwargs.setdefault("labelTextColor", text)
        return self.getPlotItem().addLegend(*args, **kwargs)

    def apply_palette(self) -> None:
        base, text = self._colours()
        self.setBackground(base)
        muted = QColor(text)
        muted.setAlpha(170)
        plot = self.getPlotItem()
        for name in ("left", "bottom", "right", "top"):
            axis = plot.getAxis(name)
            axis.setPen(pg.mkPen(muted))
            axis.setTextPen(pg.mkPen(text))
            if axis.labelText:
                style = {**axis.labelStyle, "color": text.name()}
                axis.setLabel(axis.labelText, units=axis.labelUnits, **style)
        legend = plot.legend
        if legend is not None:
            behind = QColor(base)
            behind.setAlpha(215)
            legend.setBrush(pg.mkBrush(behind))
            legend.setLabelTextColor(text)

    def changeEvent(self, event: QEvent) -> None:
        themed = event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        if themed and self.getPlotItem() is not None:  # None while pyqtgraph builds the view
            self.apply_palette()
        super().changeEvent(event)
