"""The penalty curve of one tier: credit % of the fee against availability %, drawn as the
contract's steps (bands) or lines (curve points), with a handle on each band or point that the
user drags. A dragged point snaps to a grid and stays between its neighbours (the domain's
``schedule_points.place``), so the schedule it makes is always valid; its value is shown beside it.
While a point is dragged the curve redraws at every move and ``handle_dragging`` offers the
schedule to preview (throttled: at most one every ``PREVIEW_INTERVAL_MS``, and always the last
position held); the release is ``handle_moved``, the one undoable edit. Both carry the point's
numbers as the contract writes them ("99.95", "25")."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QElapsedTimer, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QVBoxLayout, QWidget

from slamodeler.domain.schedule_points import (
    DEFAULT_STEPS,
    Point,
    as_text,
    exact,
    lower_ends_of,
    outline,
    place,
    points_of,
)
from slamodeler.gui.editor.document import ContractDocument
from slamodeler.gui.widgets.theme import ThemedPlot
from slamodeler.services.contract_edits import TierField

PREVIEW_INTERVAL_MS = 15  # previews are coalesced (one in flight, the latest waiting)


def _number(value: Any) -> float | None:
    number = exact(value)
    return None if number is None else float(number)


def value_text(kind: str, point: Point) -> str:
    """What the label beside a dragged point says: its threshold and its credit."""
    x, y = (as_text(v) for v in point)
    return f"below {x}%  →  {y}%" if kind == "bands" else f"{x}%  →  {y}%"


class CurvePlot(QWidget):
    """Handles are ``pg.TargetItem``s; ``handle_dragging(index, x, y)`` is emitted while one is
    dragged (throttled), ``handle_moved(index, x, y)`` on release, x and y as decimal texts."""

    handle_dragging = Signal(int, str, str)
    handle_moved = Signal(int, str, str)

    def __init__(self, document: ContractDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.tier = 0
        self.plot = ThemedPlot()
        self.plot.setObjectName("penaltyCurve")
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.setLabel("bottom", "Availability in the period (%)")
        self.plot.setLabel("left", "Credit (% of fee)")
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
        self.value_label = pg.TextItem()
        self.value_label.setObjectName("dragValue")
        self.value_label.setZValue(20)
        self.value_label.hide()
        self.plot.addItem(self.value_label, ignoreBounds=True)
        self.handles: list[pg.TargetItem] = []
        self.exact: list[Point] = []  # the schedule's points as the contract says them
        self.points: list[tuple[float, float]] = []
        self.lower_ends: list[Decimal | None] = []  # each band's stated lower end, if any
        self.kind = "bands"
        self._dragging = False
        self._placed: Point | None = None  # where the dragged point is, snapped and kept valid
        self._held: tuple[int, str, str] | None = None  # the position not yet offered
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

    def _schedule(self) -> tuple[str, list[Point]]:
        credits = self.document.get(TierField(self.tier, "credits"), {}) or {}
        self.lower_ends = lower_ends_of(credits)  # not dragged: read with the points
        return credits.get("kind", ""), points_of(credits)

    def low_end(self) -> float:
        xs = [x for x, _ in self.points] or [99.0]
        target = _number(self.document.get(TierField(self.tier, "target_pct")))
        return max(0.0, min([*xs, target or 100.0]) - max(1.0, (100 - min(xs)) * 0.15))

    def refresh(self) -> None:
        if self._dragging:
            return
        self.kind, self.exact = self._schedule()
        self.points = [(float(x), float(y)) for x, y in self.exact]
        self.value_label.hide()
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
        target = _number(self.document.get(TierField(self.tier, "target_pct")))
        self.target.setVisible(target is not None)
        if target is not None:
            self.target.setValue(target)
        self._draw(self.exact)
        low = self.low_end()
        top = max([y for _, y in self.points] or [10.0])
        self.plot.setXRange(low, 100, padding=0.02)
        self.plot.setYRange(0, top * 1.15, padding=0.02)

    def _draw(self, points: list[Point]) -> None:
        line = outline(self.kind, points, Decimal(repr(self.low_end())), self.lower_ends)
        self.line.setData([float(x) for x, _ in line], [float(y) for _, y in line])

    def _preview(self, index: int, handle: pg.TargetItem) -> None:
        """The mouse moved the point: snap it and keep it between its neighbours, show where it
        is, redraw, and offer it for a preview."""
        self._dragging = True
        pos = handle.pos()
        wanted = (Decimal(repr(pos.x())), Decimal(repr(pos.y())))
        placed = place(self.exact, index, wanted, DEFAULT_STEPS)
        x, y = (float(v) for v in placed)
        with QSignalBlocker(handle):
            handle.setPos(x, y)  # where the mouse is, the grid and the neighbours allow
        if placed == self._placed:
            return  # the same point as the last move: nothing new to show or price
        self._placed = placed
        self._show_value(x, y, value_text(self.kind, placed))
        points = list(self.exact)
        points[index] = placed
        self._draw(points)
        self._held = (index, as_text(placed[0]), as_text(placed[1]))
        since = self._since_offer.elapsed() if self._since_offer.isValid() else None
        if since is None or since >= PREVIEW_INTERVAL_MS:
            self._offer()
        elif not self._offer_timer.isActive():
            self._offer_timer.start(PREVIEW_INTERVAL_MS - since)

    def _show_value(self, x: float, y: float, text: str) -> None:
        """The label beside the dragged point, on the side with room (left near 100%)."""
        palette = self.plot.palette()  # the light or dark one, as the chart's own colours
        behind = QColor(palette.color(QPalette.ColorRole.Base))
        behind.setAlpha(220)
        self.value_label.fill = pg.mkBrush(behind)
        self.value_label.setColor(palette.color(QPalette.ColorRole.Text))
        self.value_label.setText(text)
        (left, right), _ = self.plot.getPlotItem().getViewBox().viewRange()
        on_left = x > (left + right) / 2
        self.value_label.setAnchor((1.0, 1.0) if on_left else (0.0, 1.0))
        self.value_label.setPos(x, y)
        self.value_label.show()

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
        self.value_label.hide()
        placed, self._placed = self._placed, None
        if placed is None or placed == self.exact[index]:  # not moved, or put back: no edit
            self.refresh()
            return
        self.handle_moved.emit(index, *(as_text(v) for v in placed))
