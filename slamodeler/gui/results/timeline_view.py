"""The incident timeline: a stored incident set drawn as bars over time, one row per service,
coloured by impact; incidents the contract in the editor excludes (by cause, or inside its
maintenance windows, which are shaded) are hatched. Zoom with the wheel, drag to pan; hovering
or clicking an incident shows its details."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from html import escape

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from slamodeler.domain.contract import Contract
from slamodeler.domain.incidents import Incident, IncidentSet
from slamodeler.gui.charts.chart_axes import UtcDateAxis
from slamodeler.gui.widgets.errors import ErrorReporter
from slamodeler.gui.widgets.theme import ThemedPlot
from slamodeler.gui.widgets.worker import Worker
from slamodeler.gui.workspace.choices import choose, refill
from slamodeler.services.incident_sets import read_incident_set
from slamodeler.services.windows import time_in_windows
from slamodeler.services.workspaces import Workspace

IMPACT_COLOURS = {
    "full": "#c0392b",
    "partial": "#e67e22",
    "degraded": "#f1c40f",
    "none": "#95a5a6",
}
OTHER_LABEL = "#8e44ad"  # a label of the contract's own (minor, sev2...)
MAINTENANCE = QColor(52, 152, 219, 45)
NO_SERVICE = "(no service: all)"
BAR_HEIGHT = 0.6
HIT_PIXELS = 4  # how near the pointer must be to a bar that is thinner than that


def impact_colour(impact: str | Decimal) -> QColor:
    """Labels by their colour; a share of the service lost from yellow (0) to red (1), in steps
    of 5% (so a set of any size has few colours, each drawn in one go)."""
    if isinstance(impact, Decimal):
        low, high = QColor(IMPACT_COLOURS["degraded"]), QColor(IMPACT_COLOURS["full"])
        t = round(float(min(max(impact, Decimal(0)), Decimal(1))) * 20) / 20
        return QColor(
            round(low.red() + (high.red() - low.red()) * t),
            round(low.green() + (high.green() - low.green()) * t),
            round(low.blue() + (high.blue() - low.blue()) * t),
        )
    return QColor(IMPACT_COLOURS.get(impact, OTHER_LABEL))


def utc_text(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


@dataclass(frozen=True)
class Bar:
    """An incident as drawn: its row, and why the contract excludes it ('' if it does not)."""

    incident: Incident
    row: int
    excluded: str


@dataclass(frozen=True)
class BarGroup:
    """Bars drawn alike (one colour, hatched or not): one chart item, with one pen and brush,
    draws them all, where a pen and a brush per bar took seconds for thousands of incidents."""

    colour: QColor
    excluded: bool
    starts: NDArray[np.int64]
    ends: NDArray[np.int64]
    rows: NDArray[np.int64]


@dataclass(frozen=True)
class Marks:
    """An incident set as the chart draws it, worked out off the GUI thread: the rows
    (services, in order), the bars, the contract's maintenance windows over the span, and the
    bars grouped by how they look."""

    services: list[str]
    bars: list[Bar]
    windows: list[tuple[int, int]]
    groups: list[BarGroup]


def marks_of(incidents: Sequence[Incident], contract: Contract | None) -> Marks:
    """Rows, bars, windows and groups of an incident set, as ``contract`` marks it."""
    services = sorted({i.service for i in incidents}, key=lambda s: (s == "", s.lower()))
    rows = {s: n for n, s in enumerate(services)}
    windows: list[tuple[int, int]] = []
    causes: set[str] = set()
    starts = np.fromiter((i.start for i in incidents), np.int64, len(incidents))
    ends = np.fromiter((i.end for i in incidents), np.int64, len(incidents))
    inside_windows = [0] * len(incidents)
    if contract is not None and incidents:
        causes = set(contract.exclusions.causes)
        windows, seconds = time_in_windows(contract, starts, ends)
        inside_windows = seconds.tolist()
    bars = []
    for incident, inside in zip(incidents, inside_windows, strict=True):
        reasons = []
        if incident.cause and incident.cause in causes:
            reasons.append(f"cause {incident.cause!r} is excluded by the contract")
        if inside:
            reasons.append(f"{inside / 60:,.1f} min inside the contract's maintenance windows")
        bars.append(Bar(incident, rows[incident.service], "; ".join(reasons)))
    return Marks([s or NO_SERVICE for s in services], bars, windows, groups_of(bars))


def groups_of(bars: list[Bar]) -> list[BarGroup]:
    alike: dict[tuple[int, bool], list[Bar]] = {}
    for bar in bars:
        key = (impact_colour(bar.incident.impact).rgb(), bool(bar.excluded))
        alike.setdefault(key, []).append(bar)
    return [
        BarGroup(
            QColor.fromRgb(rgb),
            excluded,
            np.fromiter((b.incident.start for b in members), np.int64, len(members)),
            np.fromiter((b.incident.end for b in members), np.int64, len(members)),
            np.fromiter((b.row for b in members), np.int64, len(members)),
        )
        for (rgb, excluded), members in alike.items()
    ]


def details_html(bar: Bar) -> str:
    i = bar.incident
    impact = f"{i.impact:%}" if isinstance(i.impact, Decimal) else i.impact
    lines = [
        f"<h3>{escape(i.describe)}</h3>",
        f"<p>{escape(i.title)}</p>" if i.title else "",
        f"<p>{escape(i.service or NO_SERVICE)}"
        + (f", {escape(i.region)}" if i.region else "")
        + (f", zone {escape(i.zone)}" if i.zone else "")
        + f"<br>{utc_text(i.start)} to {utc_text(i.end)}: {i.minutes:,.1f} minutes"
        + f"<br>Impact <b>{escape(str(impact))}</b>"
        + (f", cause {escape(i.cause)}" if i.cause else ", no cause given")
        + "</p>",
        f"<p><b>Excluded</b>: {escape(bar.excluded)}.</p>"
        if bar.excluded
        else "<p>Not excluded by the contract in the editor.</p>",
    ]
    return "".join(lines)


class TimelineView(QWidget):
    drawn = Signal()  # an incident set was drawn

    def __init__(self, contract: Callable[[], Contract | None], errors: ErrorReporter):
        super().__init__()
        self.contract, self.errors = contract, errors
        self.ws: Workspace | None = None
        self.incidents: IncidentSet | None = None
        self.bars: list[Bar] = []
        self.services: list[str] = []
        self.selected: Bar | None = None
        self._drawn: tuple[str, object] | None = None  # the set and contract on the chart
        self._again = False  # the set or the contract changed while a set was read
        self.reader = Worker(self)
        self.reader.done.connect(self._read)
        self.reader.failed.connect(self._unreadable)

        self.incident_sets = QComboBox()
        self.incident_sets.setObjectName("timelineIncidentSets")
        self.incident_sets.currentTextChanged.connect(self.load)
        swatches = "".join(
            f'<span style="color:{c}">■</span> {name} &nbsp; '
            for name, c in [*IMPACT_COLOURS.items(), ("other label", OTHER_LABEL)]
        )
        self.legend = QLabel(
            f"{swatches}share of service lost: yellow to red &nbsp; hatched: excluded by the "
            "contract &nbsp; blue band: maintenance window"
        )
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.status = QLabel("Choose an incident set.")
        self.status.setObjectName("timelineStatus")
        self.status.setWordWrap(True)

        self.chart = ThemedPlot(axisItems={"bottom": UtcDateAxis()})
        self.chart.setObjectName("incidentTimeline")
        self.chart.setMenuEnabled(False)
        self.chart.getPlotItem().hideButtons()
        self.chart.setMouseEnabled(x=True, y=False)
        self.chart.invertY(True)
        self.chart.showGrid(x=True, alpha=0.2)
        self.chart.setLabel("bottom", "UTC")
        scene = self.chart.scene()
        scene.sigMouseMoved.connect(self._hover)
        scene.sigMouseClicked.connect(self._click)
        self.details = QTextBrowser()
        self.details.setObjectName("incidentDetails")
        self.details.setPlaceholderText("Click an incident to see its details.")

        top = QHBoxLayout()
        top.addWidget(QLabel("Incident set"))
        top.addWidget(self.incident_sets, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.chart)
        split.addWidget(self.details)
        split.setSizes([880, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.legend)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)

    def set_workspace(self, ws: Workspace) -> None:
        self.ws = ws
        self.incidents = None
        self.incident_sets.blockSignals(True)
        refill(self.incident_sets, (row.key for row in ws.incident_sets()))
        self.incident_sets.blockSignals(False)
        self.load()

    def choose_incident_set(self, key: str) -> None:
        choose(self.incident_sets, key)

    def load(self) -> None:
        """Draw the chosen set, when the view is on screen (else when it is shown): read and
        marked off the GUI thread, as a large set takes longer than a frame."""
        key, ws = self.incident_sets.currentText(), self.ws
        if ws is None or not key or not self.isVisible():
            return
        if self.reader.running:
            self._again = True
            return
        self._again = False
        known = self.incidents if self.incidents and self.incidents.name == key else None
        contract = self.contract()

        def job() -> tuple[Workspace, IncidentSet, Contract | None, Marks]:
            incidents = known or read_incident_set(ws, key)
            return ws, incidents, contract, marks_of(incidents.incidents, contract)

        self.incident_sets.setEnabled(False)
        self.status.setText(f"Loading {key}…")
        self.reader.start(job)

    def _read(self, read: tuple[Workspace, IncidentSet, Contract | None, Marks]) -> None:
        ws, incidents, contract, marked = read
        self.incident_sets.setEnabled(True)
        if ws is not self.ws:  # another workspace was opened meanwhile
            self.load()
            return
        self.incidents = incidents
        if self._again:
            self.load()
            return
        self.draw(contract, marked)

    def _unreadable(self, exc: BaseException) -> None:
        self.incident_sets.setEnabled(True)
        if self._again:
            self.load()
            return
        self.status.setText("The incident set could not be read.")
        self.errors.report(exc, "read the incident set")

    def showEvent(self, event: QShowEvent) -> None:
        """Catch up with a set chosen, or a contract edited, while the view was hidden."""
        super().showEvent(event)
        if self._drawn != (self.incident_sets.currentText(), self.contract()):
            self.load()

    def draw(self, contract: Contract | None, marks: Marks) -> None:
        assert self.incidents is not None
        self._drawn = (self.incidents.name, contract)
        self.services, self.bars, windows = marks.services, marks.bars, marks.windows
        self.selected = None
        self.details.clear()
        plot = self.chart.getPlotItem()
        plot.clear()
        n = max(len(self.services), 1)
        if windows:
            plot.addItem(
                pg.BarGraphItem(
                    x0=[w[0] for w in windows],
                    x1=[w[1] for w in windows],
                    y0=-0.5,
                    height=n,
                    brush=MAINTENANCE,
                    pen=pg.mkPen(None),
                )
            )
        for group in marks.groups:
            style = Qt.BrushStyle.BDiagPattern if group.excluded else Qt.BrushStyle.SolidPattern
            plot.addItem(
                pg.BarGraphItem(
                    x0=group.starts,
                    x1=group.ends,
                    y0=group.rows - BAR_HEIGHT / 2,
                    height=BAR_HEIGHT,
                    brush=QBrush(group.colour, style),
                    pen=pg.mkPen(group.colour.darker(140)),  # 1 px: wider pens paint slowly
                )
            )
        if marks.groups:
            first = int(min(g.starts.min() for g in marks.groups))
            last = int(max(g.ends.max() for g in marks.groups))
            margin = max((last - first) * 0.02, 3600)
            plot.setLimits(xMin=first - 50 * margin, xMax=last + 50 * margin, minXRange=60)
            plot.setXRange(first - margin, last + margin, padding=0)
        plot.setYRange(-0.5, n - 0.5, padding=0.02)
        axis = plot.getAxis("left")
        axis.setTicks([list(enumerate(self.services))])
        metrics = QFontMetrics(axis.font())
        axis.setWidth(max((metrics.horizontalAdvance(s) for s in self.services), default=0) + 20)
        excluded = sum(1 for b in self.bars if b.excluded)
        where = "in the editor" if contract is not None else "(none open: nothing marked)"
        self.status.setText(
            f"{len(self.bars):,} incident(s) on {len(self.services)} service row(s); "
            f"{excluded:,} excluded by the contract {where}. Wheel to zoom, drag to pan."
        )
        self.drawn.emit()

    # -- pointing at incidents ---------------------------------------------------------------

    def bar_at(self, x: float, y: float) -> Bar | None:
        """The incident under a point of the chart (in its coordinates), the shortest if several."""
        width = self.chart.getPlotItem().getViewBox().viewPixelSize()[0] * HIT_PIXELS
        hits = [
            b
            for b in self.bars
            if abs(y - b.row) <= BAR_HEIGHT / 2
            and b.incident.start - width <= x <= b.incident.end + width
        ]
        return min(hits, key=lambda b: b.incident.end - b.incident.start, default=None)

    def scene_point(self, bar: Bar) -> QPointF:
        """Where a bar's middle is in the chart's scene (for tests and tooltips)."""
        middle = (bar.incident.start + bar.incident.end) / 2
        box = self.chart.getPlotItem().getViewBox()
        return box.mapViewToScene(QPointF(middle, bar.row))

    def _at_scene(self, pos: QPointF) -> Bar | None:
        box = self.chart.getPlotItem().getViewBox()
        if not box.sceneBoundingRect().contains(pos):
            return None
        point = box.mapSceneToView(pos)
        return self.bar_at(point.x(), point.y())

    def _hover(self, pos: QPointF) -> None:
        bar = self._at_scene(pos)
        if bar is None:
            self.chart.setToolTip("")
            return
        i = bar.incident
        tip = f"{i.describe}: {i.title}\n{utc_text(i.start)}, {i.minutes:,.0f} min, {i.impact}"
        tip += f", zone {i.zone}" if i.zone else ""
        self.chart.setToolTip(tip + (f"\nexcluded: {bar.excluded}" if bar.excluded else ""))

    def _click(self, event: object) -> None:
        bar = self._at_scene(event.scenePos())  # type: ignore[attr-defined]
        if bar is not None:
            self.select(bar)

    def select(self, bar: Bar) -> None:
        self.selected = bar
        self.details.setHtml(details_html(bar))
