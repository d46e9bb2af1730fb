"""The simulation's charts: the histogram of one series' credits paid with its mean, P95, P99
and the caps that bound it (``Histogram``, also under the penalty curve); the running mean of that series as trials accumulate, with its 95%
band (the Exposure sheet's convergence, ``slamodeler.io.workbook.convergence``); and revenue,
cost, mean credits and margin per tier side by side."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from slamodeler.domain.contract import Contract, Tier
from slamodeler.engine.caps import liability_cap_amount
from slamodeler.engine.exposure import Exposure
from slamodeler.engine.horizon import Horizon
from slamodeler.gui.theme import ThemedPlot
from slamodeler.io.workbook import convergence

HISTOGRAM_BINS = 60
CONVERGENCE_POINTS = 200
CAP_SPAN = 2.0  # caps up to this many times the largest trial widen the histogram to show them
MARKERS = (("mean", "#27ae60"), ("P95", "#e67e22"), ("P99", "#c0392b"))
CAP_COLOR = "#7d3c98"
HISTOGRAM_TAB, CONVERGENCE_TAB, PROFITABILITY_TAB = range(3)
PROFIT_BARS = (
    ("Revenue", "#2e86c1", lambda e: e.revenue),
    ("Cost to serve", "#95a5a6", lambda e: e.cost),
    ("Mean credits", "#e67e22", lambda e: e.mean),
    ("Margin", "#27ae60", lambda e: e.margin_mean),
)


def tier_cap_ceilings(contract: Contract, tier: Tier, horizon: Horizon) -> dict[str, float]:
    """The most each of the tier's caps lets its customers be paid over the horizon, all of them
    together: the cap for every period (contract year, term) of the horizon, times the customers
    and the claim rate. The histogram's credits can never pass these lines."""
    scale = tier.customers * float(contract.claims.claim_rate)
    fee = float(tier.monthly_fee)
    out: dict[str, float] = {}
    if tier.caps.per_period_pct is not None:
        fees = sum(fee * p.months for p in horizon.periods)
        out["per-period cap"] = fees * float(tier.caps.per_period_pct) / 100 * scale
    if tier.caps.per_year_pct_of_annual_fees is not None:
        yearly = fee * 12 * float(tier.caps.per_year_pct_of_annual_fees) / 100
        out["yearly cap"] = yearly * len(set(horizon.years)) * scale
    liability = liability_cap_amount(contract, tier)
    if liability is not None:
        out["liability cap"] = float(liability) * len(set(horizon.terms)) * scale
    return out


def cap_ceilings(contract: Contract, horizon: Horizon, series: str) -> dict[str, float]:
    """A tier's cap ceilings; for the portfolio, the sum over tiers of each kind of cap that
    every tier has (a kind that some tier lacks bounds nothing)."""
    per_tier = [tier_cap_ceilings(contract, t, horizon) for t in contract.tiers]
    names = [t.name for t in contract.tiers]
    if series in names:
        return per_tier[names.index(series)]
    kinds = [k for k in per_tier[0] if all(k in caps for caps in per_tier)]
    return {k: sum(caps[k] for caps in per_tier) for k in kinds}


class CompactAxis(pg.AxisItem):
    """Amounts in thousands or millions ("250k", "1.2M"), for charts too narrow for digits."""

    def tickStrings(self, values: list[float], scale: float, _spacing: float) -> list[str]:
        return [compact(v * scale) for v in values]


def compact(value: float) -> str:
    size = abs(value)
    if size >= 1e6:
        return f"{value / 1e6:.3g}M"
    if size >= 1e3:
        return f"{value / 1e3:.3g}k"
    return f"{value:.3g}"


def chart(name: str, left: str, bottom: str, compact_amounts: bool = False) -> pg.PlotWidget:
    """A chart as the simulation's are drawn: the palette's colours, a light grid, no menu or
    buttons."""
    plot = ThemedPlot(axisItems={"bottom": CompactAxis("bottom")} if compact_amounts else None)
    plot.setObjectName(name)
    plot.setMenuEnabled(False)
    plot.showGrid(y=True, alpha=0.25)
    plot.setLabel("left", left)
    plot.setLabel("bottom", bottom)
    plot.getPlotItem().hideButtons()
    return plot


def _vertical(value: float, label: str, color: str, position: float, dotted: bool = False):
    style = Qt.PenStyle.DotLine if dotted else Qt.PenStyle.DashLine
    return pg.InfiniteLine(
        value,
        angle=90,
        pen=pg.mkPen(color, width=1.5, style=style),
        label=label,
        labelOpts={"position": position, "color": color, "anchors": [(0, 1), (0, 1)]},
    )


class Histogram:
    """One series' credits paid on ``plot``: the histogram, its mean, P95 and P99 (dashed) and
    its caps (dotted). ``show`` moves the items already drawn rather than drawing them anew,
    a fraction of the cost: the exposure panel redraws at every step of a drag."""

    def __init__(self, plot: pg.PlotWidget, labelled: bool = True):
        self.plot, self.labelled = plot, labelled  # unlabelled: lines only (small charts)
        self.bars = pg.PlotDataItem(
            stepMode="center",
            fillLevel=0,
            brush=pg.mkBrush(46, 134, 193, 120),
            pen=pg.mkPen("#2e86c1"),
        )
        self.markers = {label: _vertical(0.0, label, color, 0.92) for label, color in MARKERS}
        for line in self.markers.values():
            line.label.setVisible(labelled)
        self.caps: dict[str, pg.InfiniteLine] = {}
        self.drawn = False

    def clear(self) -> None:
        for item in (self.bars, *self.markers.values(), *self.caps.values()):
            self.plot.removeItem(item)
        self.caps, self.drawn = {}, False

    def show(self, e: Exposure, caps: dict[str, float]) -> str:
        """Draw ``e`` bounded by ``caps``; returns the note listing the caps, those beyond the
        chart included."""
        if not len(e.paid):
            self.clear()
            return ""
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
        for i, (name, value) in enumerate(caps.items()):
            if name not in self.caps:
                self.caps[name] = _vertical(value, name, CAP_COLOR, 0.75 - 0.1 * i, True)
                self.caps[name].label.setVisible(self.labelled)
                self.plot.addItem(self.caps[name])
            _move(self.caps[name], value, f"{name} {value:,.0f}")
            self.caps[name].label.setPosition(0.75 - 0.1 * i)
            if value <= CAP_SPAN * high:
                right = max(right, value)
        self.plot.setXRange(low, right, padding=0.04)
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
        self.histogram = chart("exposureHistogram", "Trials", "Credits paid over the horizon")
        self.series = Histogram(self.histogram)
        self.caps_note = QLabel("")
        self.caps_note.setObjectName("capsNote")
        self.caps_note.setWordWrap(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.histogram, 1)
        layout.addWidget(self.caps_note)
        self.addTab(page, "Histogram")

        self.convergence = chart("convergencePlot", "Mean credits paid", "Trials (log scale)")
        self.convergence.setLogMode(x=True)
        self.convergence.addLegend(offset=(-10, 10))
        self.addTab(self.convergence, "Convergence")

        self.profitability = chart("profitabilityChart", "Over the horizon, all customers", "Tier")
        self.profitability.addLegend(offset=(-10, 10))
        self.addTab(self.profitability, "Profitability")

    def clear(self) -> None:
        self._stale.clear()
        self.series.clear()
        for plot in (self.convergence, self.profitability):
            plot.clear()
        self.caps_note.setText("")

    def show_series(self, e: Exposure, caps: dict[str, float]) -> None:
        """Histogram and convergence of one series (a tier or the portfolio)."""
        self._redraw(HISTOGRAM_TAB, lambda: self._histogram(e, caps))
        self._redraw(CONVERGENCE_TAB, lambda: self._convergence(e))

    def show_tiers(self, tiers: list[Exposure]) -> None:
        """Revenue, cost to serve, mean credits and margin of each tier, grouped by tier."""
        self._redraw(PROFITABILITY_TAB, lambda: self._profitability(tiers))

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

    def _histogram(self, e: Exposure, caps: dict[str, float]) -> None:
        self.caps_note.setText(self.series.show(e, caps))

    def _convergence(self, e: Exposure) -> None:
        plot = self.convergence
        plot.clear()
        points = convergence(e.paid, CONVERGENCE_POINTS)
        if not points:
            return
        trials, mean, low, high = np.array(points, dtype=float).T
        band = np.isfinite(low)
        lower = plot.plot(trials[band], low[band], pen=pg.mkPen("#aed6f1"))
        upper = plot.plot(trials[band], high[band], pen=pg.mkPen("#aed6f1"))
        fill = pg.FillBetweenItem(lower, upper, brush=pg.mkBrush(174, 214, 241, 110))
        plot.addItem(fill)
        plot.getPlotItem().legend.addItem(fill, "95% band (±1.96 std err)")
        plot.plot(trials, mean, pen=pg.mkPen("#1f5fa8", width=2), name="running mean")
        plot.addItem(
            pg.InfiniteLine(
                e.mean, angle=0, pen=pg.mkPen("#27ae60", width=1, style=Qt.PenStyle.DashLine)
            )
        )
        plot.setTitle(f"{e.name}: mean {e.mean:,.0f} ± {e.stderr:,.0f} after {e.trials:,} trials")

    def _profitability(self, tiers: list[Exposure]) -> None:
        plot = self.profitability
        plot.clear()
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
