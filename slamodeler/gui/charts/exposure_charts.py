"""The simulation's charts: the histogram of one series' credits paid with its mean, P95, P99
(shaded over their 95% confidence intervals in the Simulation view) and the caps that bound it
(``Histogram``, also under the penalty curve); the running mean of that series as trials accumulate, with its 95%
band (the Exposure sheet's convergence); and revenue, cost, mean credits and margin per tier side
by side. The caps' ceilings come computed (``simulation_session.ceilings``): the charts draw them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from slamodeler.gui.charts.chart_axes import MoneyAxis, PowersOfTenAxis
from slamodeler.gui.widgets.theme import ThemedPlot, marker
from slamodeler.services.simulation_session import Exposure, convergence

HISTOGRAM_BINS = 60
CONVERGENCE_POINTS = 200
CAP_SPAN = 2.0  # caps up to this many times the largest trial widen the histogram to show them
MARKERS = (("mean", "#27ae60"), ("P95", "#e67e22"), ("P99", "#c0392b"))
CAP_COLOR = "#7d3c98"
HISTOGRAM_TAB, CONVERGENCE_TAB, PROFITABILITY_TAB = range(3)
CREDITS_PAID = "Credits paid over the horizon"
ALL_CUSTOMERS = "Over the horizon, all customers"
NOTHING_YET = "Press Run to see {} here."
PROFIT_BARS = (
    ("Revenue", "#2e86c1", lambda e: e.revenue),
    ("Cost to serve", "#95a5a6", lambda e: e.cost),
    ("Mean credits", "#e67e22", lambda e: e.mean),
    ("Margin", "#27ae60", lambda e: e.margin_mean),
)


def chart(name: str, left: str, bottom: str, money: str | None = None) -> ThemedPlot:
    """A chart as the simulation's are drawn: the palette's colours, a light grid, no menu or
    buttons; ``money`` names the axis ("left", "bottom") that carries amounts."""
    plot = ThemedPlot(axisItems={money: MoneyAxis(money)} if money else None)
    _style(plot, name, left, bottom)
    return plot


def _style(plot: ThemedPlot, name: str, left: str, bottom: str) -> None:
    plot.setObjectName(name)
    plot.setMenuEnabled(False)
    plot.showGrid(y=True, alpha=0.25)
    plot.setLabel("left", left)
    plot.setLabel("bottom", bottom)
    plot.getPlotItem().hideButtons()


LABEL_MARGIN = 4  # pixels above the first row of labels


class Histogram:
    """One series' credits paid on ``plot``: the histogram, its mean, P95 and P99 (dashed) and
    its caps (dotted). ``show`` moves the items already drawn rather than drawing them anew,
    a fraction of the cost: the exposure panel redraws at every step of a drag."""

    def __init__(self, plot: ThemedPlot, labelled: bool = True):
        self.plot, self.labelled = plot, labelled  # unlabelled: lines only (small charts)
        self.bars = pg.PlotDataItem(
            stepMode="center",
            fillLevel=0,
            brush=pg.mkBrush(46, 134, 193, 120),
            pen=pg.mkPen("#2e86c1"),
        )
        self.markers = {label: marker(0.0, label, colour, 1.0) for label, colour in MARKERS}
        for line in self.markers.values():
            line.label.setVisible(labelled)
        self.caps: dict[str, pg.InfiniteLine] = {}
        self.drawn = False
        plot.getPlotItem().getViewBox().sigResized.connect(lambda *_: self.place_labels())

    def place_labels(self) -> None:
        """The lines' labels one row each from the top down, hanging below their row, so that
        close values (a P95 next to a P99) never print over each other or above the chart."""
        if not self.labelled:
            return
        height = self.plot.getPlotItem().getViewBox().height()
        y = LABEL_MARGIN
        for line in (*self.markers.values(), *self.caps.values()):
            line.label.setPosition(max(0.0, 1 - y / height) if height > 0 else 1.0)
            y += line.label.boundingRect().height()

    def clear(self, empty: str = "") -> None:
        for item in (self.bars, *self.markers.values(), *self.caps.values()):
            self.plot.removeItem(item)
        self.caps, self.drawn = {}, False
        if empty:
            self.plot.show_empty(empty)

    def show(self, e: Exposure, caps: Mapping[str, Decimal]) -> str:
        """Draw ``e`` bounded by ``caps`` (each cap's ceiling over the horizon); returns the note
        listing the caps, those beyond the chart included."""
        if not len(e.paid):
            self.clear()
            return ""
        self.plot.show_axes()
        if not self.drawn:
            for item in (self.bars, *self.markers.values()):
                self.plot.addItem(item)
            self.drawn = True
        low, high = float(e.paid.min()), float(e.paid.max())
        if high <= low:
            high = low + 1.0
        counts, edges = np.histogram(e.paid, bins=HISTOGRAM_BINS, range=(low, high))
        self.bars.setData(edges, counts)
        values = {"mean": e.mean, "P95": e.quantiles["p95"], "P99": e.quantiles["p99"]}
        for label, line in self.markers.items():
            _move(line, values[label], f"{label} {values[label]:,.0f}")
        for name in [name for name in self.caps if name not in caps]:
            self.plot.removeItem(self.caps.pop(name))
        right = high
        for name, value in caps.items():
            at = float(value)
            if name not in self.caps:
                self.caps[name] = marker(at, name, CAP_COLOR, 1.0, dotted=True)
                self.caps[name].label.setVisible(self.labelled)
                self.plot.addItem(self.caps[name])
            _move(self.caps[name], at, f"{name} {value:,.0f}")
            if at <= CAP_SPAN * high:
                right = max(right, at)
        self.plot.setXRange(low, right, padding=0.04)
        self.place_labels()
        if not caps:
            return "No cap applies to these credits."
        listed = "; ".join(
            f"{name} {value:,.0f}" + ("" if value <= right else " (beyond the chart)")
            for name, value in caps.items()
        )
        return (
            "Dotted: the most each cap lets be paid over the horizon (the cap in every "
            f"period, year or term, times the customers and the claim rate): {listed}."
        )


def _move(line: pg.InfiniteLine, value: float, label: str) -> None:
    line.setValue(value)
    line.label.setFormat(label)


class ExposureCharts(QTabWidget):
    """Three tabs: Histogram, Convergence (of the series picked elsewhere), Profitability.

    Only the tab on screen is drawn; the others are drawn when they come into view. Re-pricing
    redraws after every edit, often while the user is on another tab or another view."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("exposureCharts")
        self._stale: dict[int, Callable[[], None]] = {}  # tab -> how to draw it
        self.currentChanged.connect(lambda _: self._draw_shown())
        self.histogram = chart("exposureHistogram", "Trials", CREDITS_PAID, money="bottom")
        self.series = Histogram(self.histogram)
        self.bands: list[pg.LinearRegionItem] = []  # P95's and P99's confidence intervals
        self.caps_note = QLabel("")
        self.caps_note.setObjectName("capsNote")
        self.caps_note.setWordWrap(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.histogram, 1)
        layout.addWidget(self.caps_note)
        self.addTab(page, "Histogram")

        self.convergence = ThemedPlot(
            axisItems={"left": MoneyAxis("left"), "bottom": PowersOfTenAxis("bottom")}
        )
        _style(self.convergence, "convergencePlot", "Mean credits paid", "Trials (log scale)")
        self.convergence.setLogMode(x=True)
        self.convergence.addLegend(offset=(-10, -10))  # bottom right: the mean has settled
        self.addTab(self.convergence, "Convergence")

        self.profitability = chart("profitabilityChart", ALL_CUSTOMERS, "Tier", money="left")
        self.profitability.addLegend(offset=(-10, 10))
        self.addTab(self.profitability, "Profitability")
        self.clear()

    def clear(self) -> None:
        """Nothing to show: each chart says what a run will draw there."""
        self._stale.clear()
        self._remove_bands()
        self.series.clear(NOTHING_YET.format("the histogram of credits paid"))
        self.convergence.clear()
        self.convergence.show_empty(NOTHING_YET.format("how the mean settles as trials add up"))
        self.profitability.clear()
        self.profitability.show_empty(NOTHING_YET.format("revenue, cost, credits and margin"))
        self.caps_note.setText("")

    def show_series(self, e: Exposure, caps: Mapping[str, Decimal], currency: str) -> None:
        """Histogram and convergence of one series (a tier or the portfolio)."""
        self._redraw(HISTOGRAM_TAB, lambda: self._histogram(e, caps, currency))
        self._redraw(CONVERGENCE_TAB, lambda: self._convergence(e, currency))

    def show_tiers(self, tiers: list[Exposure], currency: str) -> None:
        """Revenue, cost to serve, mean credits and margin of each tier, grouped by tier."""
        self._redraw(PROFITABILITY_TAB, lambda: self._profitability(tiers, currency))

    def _redraw(self, tab: int, draw: Callable[[], None]) -> None:
        self._stale[tab] = draw
        self._draw_shown()

    def _draw_shown(self) -> None:
        if self.isVisible():
            draw = self._stale.pop(self.currentIndex(), None)
            if draw is not None:
                draw()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._draw_shown()

    def _histogram(self, e: Exposure, caps: Mapping[str, Decimal], currency: str) -> None:
        self.histogram.setLabel("bottom", f"{CREDITS_PAID} ({currency})")
        note = self.series.show(e, caps)
        self.caps_note.setText(" ".join(filter(None, [self._tail_bands(e), note])))

    def _remove_bands(self) -> None:
        for band in self.bands:
            self.histogram.removeItem(band)
        self.bands = []

    def _tail_bands(self, e: Exposure) -> str:
        """P95's and P99's 95% confidence intervals shaded in their lines' colours; what the
        shading says, for the note under the chart."""
        self._remove_bands()
        said = []
        for label, key in (("P95", "p95"), ("P99", "p99")):
            low, high = e.percentile_intervals[key]
            if np.isnan(low) or not len(e.paid):
                continue
            colour, edge = pg.mkColor(dict(MARKERS)[label]), pg.mkColor(dict(MARKERS)[label])
            colour.setAlpha(50)
            edge.setAlpha(110)
            band = pg.LinearRegionItem(
                (low, high), movable=False, brush=pg.mkBrush(colour), pen=pg.mkPen(edge)
            )
            band.setObjectName(f"{key}Interval")
            band.setZValue(-10)
            self.histogram.addItem(band)
            self.bands.append(band)
            said.append(f"{label} {low:,.0f} to {high:,.0f}")
        if not said:
            return ""
        return f"Shaded: 95% confidence intervals of {' and '.join(said)}."

    def _convergence(self, e: Exposure, currency: str) -> None:
        plot = self.convergence
        plot.clear()
        plot.getPlotItem().legend.clear()  # the band's swatch is in the legend, not the plot
        points = convergence(e.paid, CONVERGENCE_POINTS)
        if not points:
            plot.show_empty(NOTHING_YET.format("how the mean settles as trials add up"))
            return
        plot.show_axes()
        plot.setLabel("left", f"Mean credits paid ({currency})")
        trials, mean, low, high = np.array(points, dtype=float).T
        band = np.isfinite(low)
        lower = plot.plot(trials[band], low[band], pen=pg.mkPen("#aed6f1"))
        upper = plot.plot(trials[band], high[band], pen=pg.mkPen("#aed6f1"))
        brush = pg.mkBrush(174, 214, 241, 110)
        plot.addItem(pg.FillBetweenItem(lower, upper, brush=brush))
        # A legend draws its sample from the item's ``opts``, which a FillBetweenItem lacks (its
        # paint raised inside the legend's, and pyqtgraph then crashed the process on a real
        # display): the band is shown in the legend by a swatch that is never plotted.
        swatch = pg.BarGraphItem(x=[0], height=[0], width=1, brush=brush, pen=pg.mkPen("#aed6f1"))
        plot.getPlotItem().legend.addItem(swatch, "95% band (±1.96 std err)")
        plot.plot(trials, mean, pen=pg.mkPen("#1f5fa8", width=2), name="running mean")
        plot.addItem(
            pg.InfiniteLine(
                e.mean, angle=0, pen=pg.mkPen("#27ae60", width=1, style=Qt.PenStyle.DashLine)
            )
        )
        plot.setTitle(f"{e.name}: mean {e.mean:,.0f} ± {e.stderr:,.0f} after {e.trials:,} trials")

    def _profitability(self, tiers: list[Exposure], currency: str) -> None:
        plot = self.profitability
        plot.clear()
        plot.show_axes()
        plot.setLabel("left", f"{ALL_CUSTOMERS} ({currency})")
        width = 0.8 / len(PROFIT_BARS)
        xs = np.arange(len(tiers), dtype=float)
        for k, (name, color, value) in enumerate(PROFIT_BARS):
            bars = pg.BarGraphItem(
                x=xs - 0.4 + width * (k + 0.5),
                height=[value(e) for e in tiers],
                width=width * 0.9,
                brush=pg.mkBrush(color),
                pen=pg.mkPen(color),
            )
            bars.setObjectName(name)
            plot.addItem(bars)
            plot.getPlotItem().legend.addItem(bars, name)
        plot.getAxis("bottom").setTicks([[(float(i), e.name) for i, e in enumerate(tiers)]])
        plot.setXRange(-0.6, len(tiers) - 0.4, padding=0)
