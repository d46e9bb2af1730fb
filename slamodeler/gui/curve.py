"""The penalty curve of one tier: credit % of the fee against availability %, drawn as the
contract's steps (bands) or lines (curve points), with a handle on each band or point that the
user drags. While a point is dragged the curve redraws at every move and ``handle_dragging`` offers
the schedule to preview (throttled: at most one every ``PREVIEW_INTERVAL_MS``, and always the
last position held); the release is ``handle_moved``, the one undoable edit."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from slamodeler.gui.document import ContractDocument
from slamodeler.gui.models import SCHEDULE_KEYS
from slamodeler.gui.theme import ThemedPlot

PREVIEW_INTERVAL_MS = 15  # previews are coalesced (one in flight, the latest waiting)


def _number(value: Any) -> float | None:
    try:
        return float(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        return None


def curve_points(
    kind: str, points: list[tuple[float, float]], low: float
) -> list[tuple[float, float]]:
    """The outline of the schedule from 100% down to ``low``: zero above the first threshold;
    steps for bands (the credit of the lowest band hit), straight lines between curve points."""
    out = [(100.0, 0.0)]
    if not points:
        return [*out, (low, 0.0)]
    for i, (x, y) in enumerate(points):
        before = 0.0 if i == 0 else points[i - 1][1]
        out.append((x, before))
        if kind == "bands" or i == 0:
            out.append((x, y))
    out.append((low, points[-1][1]))
    return out


class CurvePlot(QWidget):
    """Handles are ``pg.TargetItem``s; ``handle_dragging(index, x, y)`` is emitted while one is
    dragged (throttled), ``handle_moved(index, x, y)`` on release."""

    handle_dragging = Signal(int, float, float)
    handle_moved = Signal(int, float, float)

    def __init__(self, document: ContractDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.tier = 0
        self.plot = ThemedPlot()
        self.plot.setObjectName("penaltyCurve")
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.setLabel("bottom", "Availability in the period (%)")
        self.plot.setLabel("left", "Credit (% of the period fee)")
        self.plot.getPlotItem().setMouseEnabled(x=False, y=False)
        self.plot.getPlotItem().hideButtons()
        self.line = self.plot.plot([], [], pen=pg.mkPen("#1f5fa8", width=2.5))
        self.target = pg.InfiniteLine(
            angle=90,
            pen=pg.mkPen("#c0392b", width=1.5, style=Qt.PenStyle.DashLine),
            label="target {value:g}%",
            labelOpts={"position": 0.92, "color": "#c0392b"},
        )
        self.plot.addItem(self.target)
        self.handles: list[pg.TargetItem] = []
        self.points: list[tuple[float, float]] = []
        self.kind = "bands"
        self._dragging = False
        self._held: tuple[int, float, float] | None = None  # the position not yet offered
        self._since_offer = QElapsedTimer()
        self._offer_timer = QTimer(self)
        self._offer_timer.setSingleShot(True)
        self._offer_timer.timeout.connect(self._offer)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        document.changed.connect(self.refresh)
        self.refresh()

    def set_tier(self, tier: int) -> None:
        self.tier = tier
        self.refresh()

    def _schedule(self) -> tuple[str, list[tuple[float, float]]]:
        credits = self.document.get(("tiers", self.tier, "credits"), {}) or {}
        kind = credits.get("kind", "")
        keys = SCHEDULE_KEYS.get(kind)
        if keys is None:
            return kind, []
        points = []
        for item in credits.get(keys[0]) or []:
            x, y = _number(item.get(keys[1])), _number(item.get("credit_pct"))
            if x is not None and y is not None:
                points.append((x, y))
        return kind, points

    def low_end(self) -> float:
        xs = [x for x, _ in self.points] or [99.0]
        target = _number(self.document.get(("tiers", self.tier, "target_pct")))
        return max(0.0, min([*xs, target or 100.0]) - max(1.0, (100 - min(xs)) * 0.15))

    def refresh(self) -> None:
        if self._dragging:
            return
        self.kind, self.points = self._schedule()
        for handle in self.handles:
            self.plot.removeItem(handle)
        self.handles = []
        for i, (x, y) in enumerate(self.points):
            handle = pg.TargetItem(
                pos=(x, y),
                size=13,
                symbol="o",
                pen=pg.mkPen("#1f5fa8", width=2),
                brush=pg.mkBrush("#ffffff"),
                hoverBrush=pg.mkBrush("#f5b041"),
                movable=True,
            )
            handle.setToolTip(f"band {i + 1}: drag to change its threshold and credit")
            handle.sigPositionChanged.connect(lambda h, i=i: self._preview(i, h))
            handle.sigPositionChangeFinished.connect(lambda h, i=i: self._released(i, h))
            self.plot.addItem(handle)
            self.handles.append(handle)
        target = _number(self.document.get(("tiers", self.tier, "target_pct")))
        self.target.setVisible(target is not None)
        if target is not None:
            self.target.setValue(target)
        self._draw(self.points)
        low = self.low_end()
        top = max([y for _, y in self.points] or [10.0])
        self.plot.setXRange(low, 100, padding=0.02)
        self.plot.setYRange(0, top * 1.15, padding=0.02)

    def _draw(self, points: list[tuple[float, float]]) -> None:
        outline = curve_points(self.kind, points, self.low_end())
        self.line.setData([p[0] for p in outline], [p[1] for p in outline])

    def _preview(self, index: int, handle: pg.TargetItem) -> None:
        self._dragging = True
        points = list(self.points)
        pos = handle.pos()
        points[index] = (pos.x(), pos.y())
        self._draw(points)
        self._held = (index, pos.x(), pos.y())
        since = self._since_offer.elapsed() if self._since_offer.isValid() else None
        if since is None or since >= PREVIEW_INTERVAL_MS:
            self._offer()
        elif not self._offer_timer.isActive():
            self._offer_timer.start(PREVIEW_INTERVAL_MS - since)

    def _offer(self) -> None:
        """Offer the held position for a preview; later moves wait for the next interval."""
        if self._held is None:
            return
        held, self._held = self._held, None
        self._since_offer.start()
        self.handle_dragging.emit(*held)

    def _released(self, index: int, handle: pg.TargetItem) -> None:
        self._dragging = False
        self._held = None  # the release supersedes any preview still held back
        self._offer_timer.stop()
        self._since_offer.invalidate()
        pos = handle.pos()
        self.handle_moved.emit(index, pos.x(), pos.y())
