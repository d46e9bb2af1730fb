"""Axes that read as a person writes: amounts with separators or in k/M, counts on a log axis
at the powers of ten, period labels thinned to the room the axis has, and dates in UTC."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.DateAxisItem import HOUR_SPACING, ZoomLevel
from PySide6.QtGui import QFontMetrics


class MoneyAxis(pg.AxisItem):
    """Amounts as a reader writes them: thousands separators up to 100,000, then thousands or
    millions ("250k", "1.2M"); never pyqtgraph's "3.5e+06" or a "x1e6" in the axis title."""

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation)
        self.enableAutoSIPrefix(False)

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        """pyqtgraph's ticks, thinned on a horizontal axis to the labels that fit side by side
        (a small chart under the penalty curve printed "200k400k600k")."""
        levels = super().tickValues(minVal, maxVal, size)
        if self.orientation not in ("top", "bottom") or size <= 0:
            return levels
        metrics = QFontMetrics(self.style.get("tickFont") or self.font())
        largest = f"{max(abs(minVal), abs(maxVal)):,.0f}"  # no label is wider than every digit
        widest = metrics.horizontalAdvance(largest) + 16
        fit = max(2, int(size // widest))
        thinned = []
        for spacing, values in levels:
            step = max(1, math.ceil(len(values) / fit))
            thinned.append((spacing * step, list(values)[::step]))
        return thinned

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [money_tick(v * scale, spacing * scale) for v in values]


def money_tick(value: float, spacing: float = 0.0) -> str:
    size = abs(value)
    if size >= 1e6 or (size >= 1e5 and spacing >= 1e4):
        return compact(value)
    if size >= 1e3 and spacing >= 1e3:
        return f"{value:,.0f}"
    return f"{value:,.{0 if spacing >= 1 or not spacing else 2}f}"


def compact(value: float) -> str:
    size = abs(value)
    if size >= 1e6:
        return f"{value / 1e6:.3g}M"
    if size >= 1e3:
        return f"{value / 1e3:.3g}k"
    return f"{value:.3g}"


class PowersOfTenAxis(pg.AxisItem):
    """A log axis of counts labelled at the powers of ten only (100, 1k, 10k): pyqtgraph's
    minor labels (2·10², 3·10², ...) run into each other."""

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        if not self.logMode:
            return [compact(v * scale) for v in values]
        return [
            compact(10**v) if abs(v - round(v)) < 1e-9 else "" for v in (x * scale for x in values)
        ]


class PeriodAxis(pg.AxisItem):
    """Periods (2024-01, 2024-Q1) at 0, 1, 2...: as many labels as fit side by side, every
    period when there is room, else every second, third... (never overlapping)."""

    GAP = 14  # pixels between two labels

    def __init__(self, orientation: str = "bottom") -> None:
        super().__init__(orientation)
        self.labels: list[str] = []

    def set_labels(self, labels: list[str]) -> None:
        self.labels = labels
        self.picture = None
        self.update()

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        first, last = max(0, math.ceil(minVal)), min(len(self.labels) - 1, math.floor(maxVal))
        if last < first:
            return []
        metrics = QFontMetrics(self.style.get("tickFont") or self.font())
        widest = max(metrics.horizontalAdvance(text) for text in self.labels) + self.GAP
        shown = last - first + 1
        fit = max(1, int(size // widest))
        step = max(1, math.ceil(shown / fit))
        return [(step, list(range(first - first % step, last + 1, step)))]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        out = []
        for value in values:
            index = round(value)
            out.append(self.labels[index] if 0 <= index < len(self.labels) else "")
        return out


class _UtcZoomLevel(ZoomLevel):
    """A zoom level of pyqtgraph's date axis that leaves ticks of an hour's spacing and more
    where they are: the axis shows UTC, so the offset pyqtgraph adds to each is 0."""

    def moveTicksToLocalTimeCoords(
        self, ticks: np.ndarray, spacing: int, skipFactor: int
    ) -> np.ndarray:
        if spacing > HOUR_SPACING or (spacing == HOUR_SPACING and skipFactor > 1):
            return ticks
        return super().moveTicksToLocalTimeCoords(ticks, spacing, skipFactor)


class UtcDateAxis(pg.DateAxisItem):
    """pyqtgraph's date axis in UTC, the same ticks without its round trip through the local
    time zone for each one (two QDateTime conversions a tick, to add an offset of 0: the most
    of the axis's work when a chart of years is painted)."""

    def __init__(self, orientation: str = "bottom") -> None:
        super().__init__(orientation=orientation, utcOffset=0)
        stock: dict[float, ZoomLevel] = self.zoomLevels  # type: ignore[has-type]
        self.zoomLevels = {
            spacing: _UtcZoomLevel(level.tickSpecs, level.exampleText)
            for spacing, level in stock.items()
        }
