"""The fit view: an outage process fitted to a stored incident set (optionally one service) off
the GUI thread, as `slamodeler fit` fits a file: the durations' histogram with each family's
density, a Q-Q plot of the best family, the monthly counts against Poisson and negative
binomial with the dispersion test, and the AIC tables with goodness of fit. "Use as
scenario…" stores the fitted scenario in the workspace for the simulation view."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from slamodeler.domain.errors import InputError
from slamodeler.gui.widgets.errors import ErrorReporter
from slamodeler.gui.widgets.table_copy import install_copy
from slamodeler.gui.widgets.theme import ThemedPlot
from slamodeler.gui.widgets.worker import Worker
from slamodeler.gui.workspace.choices import choose, refill
from slamodeler.services.fit import (
    SetFit,
    count_pmf,
    dispersion_verdict,
    duration_rows,
    fit_incident_set,
    fitted_distribution,
    frequency_rows,
    p_text,
    scope_text,
    store_fitted_scenario,
)
from slamodeler.services.incident_sets import read_incident_set
from slamodeler.services.workspaces import Workspace

ALL_SERVICES = "All services"
READING = "Reading the services…"
DURATION_COLUMNS = ["Family", "Parameters", "Log-lik", "AIC", "dAIC", "KS D", "KS p", "Note"]
FREQUENCY_COLUMNS = ["Family", "Parameters", "Method", "Log-lik", "AIC", "dAIC"]
FAMILY_COLOURS = {
    "exponential": "#7f8c8d",
    "lognormal": "#c0392b",
    "weibull": "#27ae60",
    "gamma": "#8e44ad",
    "poisson": "#2e86c1",
    "negbin": "#c0392b",
}


def log_ticks(low: float, high: float) -> list[tuple[float, str]]:
    """Ticks at powers of ten of minutes, on an axis in log10(minutes)."""
    return [(e, f"{10.0**e:,g}") for e in range(math.floor(low), math.ceil(high) + 1)]


def _table(columns: Sequence[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    install_copy(table)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    """Rows of text, the first (the chosen family) in bold; numbers right-aligned."""
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if r == 0:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            if text[:1].isdigit() or text[:1] in "-<":
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


def _chart(name: str, bottom: str, left: str, shows: str) -> ThemedPlot:
    chart = ThemedPlot()
    chart.setObjectName(name)
    chart.setMenuEnabled(False)
    chart.getPlotItem().hideButtons()
    chart.showGrid(x=True, y=True, alpha=0.2)
    chart.setLabel("bottom", bottom)
    chart.setLabel("left", left)
    chart.addLegend(offset=(-10, 10), pen=pg.mkPen("#d5d8dc"))  # its brush: the palette's
    chart.show_empty(f"Press Fit to see {shows} here.")
    return chart


class FitView(QWidget):
    finished = Signal()  # a fit ended (done or failed)
    scenario_stored = Signal(str)  # a fitted scenario was stored under this key

    def __init__(self, errors: ErrorReporter, author: str):
        super().__init__()
        self.errors, self.author = errors, author
        self.ws: Workspace | None = None
        self.fit: SetFit | None = None
        self.worker = Worker(self)
        self.worker.done.connect(self._done)
        self.worker.failed.connect(self._failed)
        self.reader = Worker(self)  # the services of the chosen set, for the drop-down
        self.reader.done.connect(self._services_read)
        self.reader.failed.connect(self._services_unreadable)
        self._services_of: tuple[Workspace, str] | None = None  # the set the services are of

        self.incident_sets = QComboBox()
        self.incident_sets.setObjectName("fitIncidentSets")
        self.incident_sets.currentTextChanged.connect(self._fill_services)
        self.service = QComboBox()
        self.service.setObjectName("fitService")
        self.run_button = QPushButton("Fit")
        self.run_button.setObjectName("runFit")
        self.run_button.clicked.connect(self.run)
        self.use_button = QPushButton("Use as scenario…")
        self.use_button.setObjectName("useAsScenario")
        self.use_button.setEnabled(False)
        self.use_button.clicked.connect(self.use_as_scenario)
        self.status = QLabel("Choose an incident set and press Fit.")
        self.status.setObjectName("fitStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.caveats = QLabel("")  # what the fit assumes, kept on view once it is stored
        self.caveats.setObjectName("fitCaveats")
        self.caveats.setWordWrap(True)
        self.caveats.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.caveats.hide()

        self.histogram = _chart(
            "durationHistogram",
            "duration (minutes, log scale)",
            "density",
            "the durations and the fitted densities",
        )
        self.qq = _chart(
            "qqPlot",
            "fitted quantile (minutes)",
            "observed (minutes)",
            "observed against fitted durations",
        )
        self.counts = _chart(
            "countFit", "incidents in a month", "months", "incidents per month, observed and fitted"
        )
        self.durations = _table(DURATION_COLUMNS, "durationFits")
        self.frequency = _table(FREQUENCY_COLUMNS, "frequencyFits")
        self.dispersion = QLabel("")
        self.dispersion.setObjectName("dispersionTest")
        self.dispersion.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(QLabel("Incident set"))
        top.addWidget(self.incident_sets, 1)
        top.addWidget(QLabel("Service"))
        top.addWidget(self.service, 1)
        top.addWidget(self.run_button)
        top.addWidget(self.use_button)
        charts = QSplitter(Qt.Orientation.Horizontal)
        for chart in (self.histogram, self.qq, self.counts):
            charts.addWidget(chart)
        frequency = QWidget()
        frequency_layout = QVBoxLayout(frequency)
        frequency_layout.setContentsMargins(0, 0, 0, 0)
        frequency_title = QLabel("Frequency (incidents per calendar month, UTC)")
        frequency_title.setWordWrap(True)
        frequency_layout.addWidget(frequency_title)
        frequency_layout.addWidget(self.frequency, 1)
        frequency_layout.addWidget(self.dispersion)
        durations = QWidget()
        durations_layout = QVBoxLayout(durations)
        durations_layout.setContentsMargins(0, 0, 0, 0)
        durations_title = QLabel(
            "Durations (minutes); KS p is approximate: too high, as the parameters were fitted "
            "to the same durations"
        )
        durations_title.setWordWrap(True)
        durations_layout.addWidget(durations_title)
        durations_layout.addWidget(self.durations, 1)
        tables = QSplitter(Qt.Orientation.Horizontal)
        tables.addWidget(durations)
        tables.addWidget(frequency)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(charts)
        split.addWidget(tables)
        split.setSizes([380, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.caveats)
        layout.addWidget(split, 1)

    # -- choosing --------------------------------------------------------------------------

    def set_workspace(self, ws: Workspace) -> None:
        if ws is not self.ws:
            self.fit = None  # a fit of another workspace's history is not stored in this one
        self.ws = ws
        refill(self.incident_sets, (row.key for row in ws.incident_sets()))
        self._fill_services()
        self._update_use()

    def _update_use(self) -> None:
        """Storing a scenario writes to the workspace: off while it is open read-only."""
        readonly = self.ws is not None and self.ws.readonly
        self.use_button.setEnabled(self.fit is not None and not readonly)
        self.use_button.setToolTip(
            "The workspace is open read-only: open it for editing to store the scenario"
            if readonly
            else "Store the fitted scenario in the workspace, for the Simulation tab"
        )

    def choose_incident_set(self, key: str) -> None:
        choose(self.incident_sets, key)

    def _fill_services(self) -> None:
        """The chosen set's services, read off the GUI thread; Fit waits for them. A read
        still running is checked against the set chosen when it ends."""
        key, ws = self.incident_sets.currentText(), self.ws
        if ws is None or not key:
            self._services_of = None
            refill(self.service, [ALL_SERVICES])
            return
        if self.reader.running or self._services_of == (ws, key):
            return
        self._services_of = (ws, key)
        refill(self.service, [READING])
        self.service.setEnabled(False)
        self.run_button.setEnabled(False)
        self.reader.start(
            lambda: (
                ws,
                key,
                sorted(
                    {i.service for i in read_incident_set(ws, key).incidents if i.service},
                    key=str.lower,
                ),
            )
        )

    def _chosen(self) -> tuple[Workspace | None, str]:
        return self.ws, self.incident_sets.currentText()

    def _services_read(self, read: tuple[Workspace, str, list[str]]) -> None:
        ws, key, names = read
        self._services_ready()
        if (ws, key) == self._chosen():
            refill(self.service, [ALL_SERVICES, *names])
        else:  # another set was chosen meanwhile
            self._services_of = None
            self._fill_services()

    def _services_unreadable(self, exc: BaseException) -> None:
        wanted, self._services_of = self._services_of, None
        self._services_ready()
        if wanted == self._chosen():
            refill(self.service, [ALL_SERVICES])
            self.errors.report(exc, "read the incident set")
        else:
            self._fill_services()

    def _services_ready(self) -> None:
        self.service.setEnabled(True)
        self.run_button.setEnabled(not self.worker.running)

    # -- fitting ---------------------------------------------------------------------------

    def run(self) -> None:
        key, ws = self.incident_sets.currentText(), self.ws
        if ws is None or not key:
            self.errors.report(
                InputError(
                    "choose an incident set to fit (import one with File > Import incidents…)"
                ),
                "fit",
            )
            return
        service = self.service.currentText()
        chosen = None if service in ("", ALL_SERVICES) else service
        self.fit = None
        self.run_button.setEnabled(False)
        self.use_button.setEnabled(False)
        self.status.setText(f"Fitting {key}…")
        self.caveats.hide()
        self.worker.start(lambda: fit_incident_set(read_incident_set(ws, key), chosen))

    def _failed(self, exc: BaseException) -> None:
        self.run_button.setEnabled(not self.reader.running)
        self.status.setText(
            "The fit failed: " + (str(exc) if isinstance(exc, InputError) else "see the message")
        )
        self.errors.report(exc, "fit")
        self.finished.emit()

    def _done(self, fit: SetFit) -> None:
        self.fit = fit
        self.run_button.setEnabled(not self.reader.running)
        self._update_use()
        r, f, d = fit.report, fit.report.frequency, fit.report.durations
        what = f"{r.source}" + (f", service {r.service!r}" if r.service else "")
        zero = f", {d.zero_excluded} of zero duration left out" if d.zero_excluded else ""
        self.status.setText(
            f"{what}: {r.incidents:,} incidents, {f.first_month} to {f.last_month} "
            f"({f.months} months). Lowest AIC: frequency {f.chosen.family}, durations "
            f"{d.chosen.family} ({d.used:,} durations fitted{zero})."
        )
        self.caveats.setText("\n".join([f"{scope_text(r)}.", *(f"Caveat: {n}." for n in r.notes)]))
        self.caveats.show()
        self._tables(fit)
        self._histogram(fit)
        self._qq(fit)
        self._counts(fit)
        self.finished.emit()

    def _tables(self, fit: SetFit) -> None:
        f, d = fit.report.frequency, fit.report.durations
        failed = [
            [name, "", "", "", "", "", "", f"could not fit: {why}"]
            for name, why in d.failed.items()
        ]
        _fill(self.durations, duration_rows(d) + failed)
        _fill(self.frequency, frequency_rows(f))
        test = f.dispersion_test
        self.dispersion.setText(
            f"Dispersion test: variance/mean {test.index:.3g}, chi-square {test.statistic:,.1f} "
            f"on {test.df} df, p = {p_text(test.p_value)}: {dispersion_verdict(test)}."
        )

    def _histogram(self, fit: SetFit) -> None:
        """On log10(minutes): the density of u = log10(x) is f(x) x ln 10."""
        chart = self.histogram
        chart.start_drawing()
        logs = np.log10(fit.durations)
        low, high = float(logs.min()), float(logs.max())
        if high - low < 0.5:
            low, high = low - 0.25, high + 0.25
        bins = max(8, min(40, int(math.sqrt(logs.size)) + 1))
        density, edges = np.histogram(logs, bins=bins, range=(low, high), density=True)
        chart.plot(
            edges,
            density,
            stepMode="center",
            fillLevel=0,
            brush=(46, 134, 193, 70),
            pen=pg.mkPen("#5d6d7e"),
            name=f"{logs.size:,} durations",
        )
        grid = np.linspace(low, high, 240)
        minutes = 10.0**grid
        chosen = fit.report.durations.chosen.family
        top = float(density.max())
        for x in fit.report.durations.fits:
            curve = fitted_distribution(x).pdf(minutes) * minutes * math.log(10)
            top = max(top, float(np.nanmax(curve)))
            width = 3 if x.family == chosen else 1.5
            chart.plot(
                grid,
                curve,
                pen=pg.mkPen(FAMILY_COLOURS[x.family], width=width),
                name=x.family + (" *" if x.family == chosen else ""),
            )
        chart.getAxis("bottom").setTicks([log_ticks(low, high)])
        chart.setYRange(0, 1.6 * top, padding=0)  # room above the bars for the legend

    def _qq(self, fit: SetFit) -> None:
        """Observed durations against the best family's quantiles, both on log10 scales."""
        chart = self.qq
        chart.start_drawing()
        best = fit.report.durations.chosen
        n = fit.durations.size
        theoretical = fitted_distribution(best).ppf((np.arange(1, n + 1) - 0.5) / n)
        xs, ys = np.log10(theoretical), np.log10(fit.durations)
        chart.plot(
            xs,
            ys,
            pen=None,
            symbol="o",
            symbolSize=5,
            symbolBrush=FAMILY_COLOURS[best.family],
            name=f"{best.family} (best)",
        )
        low, high = float(min(xs.min(), ys.min())), float(max(xs.max(), ys.max()))
        chart.plot([low, high], [low, high], pen=pg.mkPen("#888", style=Qt.PenStyle.DashLine))
        ticks = [log_ticks(low, high)]
        chart.getAxis("bottom").setTicks(ticks)
        chart.getAxis("left").setTicks(ticks)

    def _counts(self, fit: SetFit) -> None:
        """How many months had k incidents, and how many each count family expects."""
        chart = self.counts
        chart.start_drawing()
        f = fit.report.frequency
        counts = np.array(f.counts)
        k = np.arange(0, int(counts.max()) + 2)
        observed = np.bincount(counts, minlength=k.size)
        chart.addItem(
            pg.BarGraphItem(x=k, height=observed, width=0.7, brush=(46, 134, 193, 110), pen=None)
        )
        for family in ("poisson", "negbin"):
            expected = f.months * count_pmf(f, family, k)
            chart.plot(
                k,
                expected,
                pen=pg.mkPen(FAMILY_COLOURS[family], width=2),
                symbol="o",
                symbolSize=5,
                symbolBrush=FAMILY_COLOURS[family],
                name=family + (" *" if family == f.chosen.family else ""),
            )

    # -- storing ---------------------------------------------------------------------------

    def ask_text(self, title: str, label: str, text: str) -> str | None:
        """Replaceable in tests."""
        answer, ok = QInputDialog.getText(self, title, label, text=text)
        return answer if ok else None

    def use_as_scenario(self) -> None:
        if self.fit is None or self.ws is None:
            return
        suggestion = f"fitted-{self.fit.incident_set}"
        if self.fit.report.service:
            suggestion += f"-{self.fit.report.service}"
        key = self.ask_text(
            "Use as scenario",
            "Name of the scenario (the simulation view lists it under this name):",
            suggestion.lower().replace(" ", "-"),
        )
        if key is None:
            return
        try:
            if not key.strip():
                raise InputError("a scenario needs a name")
            row, added = store_fitted_scenario(self.ws, self.fit, key, self.author)
        except Exception as exc:
            self.errors.report(exc, "store the scenario")
            return
        self.status.setText(
            f"Stored as scenario {row.key}, chosen in the Simulation tab; its description "
            "keeps the caveats below."
            if added
            else f"Scenario {row.key} already holds this fit: nothing stored."
        )
        self.scenario_stored.emit(row.key)
