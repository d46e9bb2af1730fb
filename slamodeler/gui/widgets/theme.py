"""Charts and tinted cells that follow the light or dark palette.

pyqtgraph draws with fixed colours (a white or black background, grey axes); a chart made here
takes its background, axes and labels from the palette instead, and again whenever the palette
changes. Tinted table cells (a missed period, an invalid row) keep their light tint in both
palettes, so they carry dark text of their own rather than the palette's (light in dark mode).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QApplication, QGraphicsItem, QLabel

TINT_TEXT = QBrush(QColor(20, 20, 20))  # the text on a light tint, in either palette


def dark_palette() -> QPalette:
    """The application's palette turned dark, as a desktop's dark scheme does (tests, the
    tour of the window)."""
    palette = QPalette(QApplication.palette())
    for role, colour in (
        (QPalette.ColorRole.Window, QColor(45, 45, 45)),
        (QPalette.ColorRole.Base, QColor(30, 30, 30)),
        (QPalette.ColorRole.AlternateBase, QColor(40, 40, 40)),
        (QPalette.ColorRole.Button, QColor(53, 53, 53)),
        (QPalette.ColorRole.Text, QColor(225, 225, 225)),
        (QPalette.ColorRole.WindowText, QColor(225, 225, 225)),
        (QPalette.ColorRole.ButtonText, QColor(225, 225, 225)),
    ):
        palette.setColor(role, colour)
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(150, 150, 150))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(120, 120, 120))
    return palette


def _luminance(colour: QColor) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(colour.redF())
        + 0.7152 * linear(colour.greenF())
        + 0.0722 * linear(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """The contrast ratio of two colours (WCAG: 1 to 21; text reads from 4.5)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable(ink: QColor, base: QColor, ratio: float = 4.5) -> QColor:
    """``ink`` made lighter on a dark ``base`` (darker on a light one) until text in it reads:
    the chart's red target line on a dark background."""
    colour = QColor(ink)
    dark = _luminance(base) < 0.2
    for _ in range(24):
        if contrast(colour, base) >= ratio:
            break
        colour = colour.lighter(112) if dark else colour.darker(112)
        if dark and colour.value() >= 255:  # as light as it goes in its hue: whiten it
            colour = QColor.fromHsvF(colour.hsvHueF(), max(0.0, colour.hsvSaturationF() - 0.1), 1)
    return colour


def marker(
    value: float,
    label: str,
    colour: str,
    position: float,
    vertical: bool = True,
    dotted: bool = False,
) -> pg.InfiniteLine:
    """A labelled line across a chart (a mean, a cap, a target). The label stays inside the
    chart, on whichever side of the line has room, and its colour reads on the chart's
    background (``ThemedPlot`` recolours it when the palette changes)."""
    style = Qt.PenStyle.DotLine if dotted else Qt.PenStyle.DashLine
    line = pg.InfiniteLine(
        value,
        angle=90 if vertical else 0,
        pen=pg.mkPen(colour, width=1.5, style=style),
        label=label,
        # pyqtgraph picks the first anchor when the chart's middle is on one side of the line
        # and the second on the other: the text always extends towards the middle
        labelOpts={
            "position": position,
            "color": colour,
            "anchors": [(0, 0), (1, 0)] if vertical else [(0, 0), (0, 1)],
        },
    )
    line.ink = QColor(colour)
    return line


class ThemedPlot(pg.PlotWidget):
    """A PlotWidget in the palette's colours: base background, text-coloured axes, labels and
    legend; the labels of its ``marker`` lines in colours that read on the background; and,
    before it has anything to show, a line saying what will be there instead of empty axes."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.placeholder = QLabel(self)
        self.placeholder.setObjectName("chartPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.hide()
        # A grid makes an axis span the plot, so any change inside it (a point dragged) repaints
        # the axis: from a copy of its pixels, rather than its ticks and text drawn again.
        for axis in self.getPlotItem().axes.values():
            axis["item"].setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.apply_palette()
        # PlotWidget binds its PlotItem's addItem to each instance, hiding any method of a
        # subclass: a marker line added is inked here, as the palette's colours require.
        add = self.getPlotItem().addItem

        def add_inked(item, *args, **kwargs) -> None:
            if isinstance(item, pg.InfiniteLine):
                self.ink(item)
            add(item, *args, **kwargs)

        self.addItem = add_inked

    def show_empty(self, text: str) -> None:
        """No axes, grid or legend: ``text`` in the middle (what a run will draw here)."""
        self._axes(False)
        self.placeholder.setText(text)
        self.placeholder.setGeometry(self.rect())
        self.placeholder.show()

    def show_axes(self) -> None:
        """Data is drawn: the axes back, the placeholder gone."""
        if self.empty:
            self._axes(True)
            self.placeholder.hide()

    def start_drawing(self) -> None:
        """Clear the chart for new data, axes on."""
        self.clear()
        self.show_axes()

    def _axes(self, on: bool) -> None:
        plot = self.getPlotItem()
        for name in ("left", "bottom"):
            plot.showAxis(name, on)
        if plot.legend is not None:
            plot.legend.setVisible(on)

    @property
    def empty(self) -> bool:
        """Whether the placeholder stands in for the chart."""
        return not self.placeholder.isHidden()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if hasattr(self, "placeholder"):
            self.placeholder.setGeometry(self.rect())

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

    def ink(self, line: pg.InfiniteLine) -> None:
        """Colour a ``marker`` line's label to read on this chart's background."""
        if hasattr(line, "ink") and getattr(line, "label", None) is not None:
            line.label.setColor(readable(line.ink, self._colours()[0]))

    def apply_palette(self) -> None:
        base, text = self._colours()
        self.setBackground(base)
        if hasattr(self, "placeholder"):
            self.placeholder.setStyleSheet(f"color: {text.name()}")
        for item in self.getPlotItem().items:
            if isinstance(item, pg.InfiniteLine):
                self.ink(item)
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
