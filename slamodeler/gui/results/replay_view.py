"""The replay view: the contract in the editor replayed on a stored incident set, off the GUI
thread; the per-period table, the availability chart with the target and band thresholds, and
the explanation of the selected period, all of the contract as it was replayed (a note says
when the editor has changed since); the exposure workbook of the replay.

A replay of a saved version's terms is stored in the workspace as a run (as `ws replay` stores
it: ``services.runs.replay_version``); the status says which, or why it was not stored. A
stored run opened from the workspace browser is shown here too (``show_stored``)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from html import escape

import pyqtgraph as pg
from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.results import PeriodResult, ReplayResult, TierReplay
from slamodeler.gui.charts.chart_axes import PeriodAxis
from slamodeler.gui.results.credit_memo_button import CreditMemoButton
from slamodeler.gui.results.replay_inputs import ReplayInputs
from slamodeler.gui.widgets.errors import ErrorReporter
from slamodeler.gui.widgets.table_copy import install_copy
from slamodeler.gui.widgets.table_sizing import sized_once
from slamodeler.gui.widgets.theme import TINT_TEXT, ThemedPlot, marker
from slamodeler.gui.widgets.turns import in_a_later_turn
from slamodeler.gui.widgets.worker import Worker
from slamodeler.gui.workspace.choices import choose, refill
from slamodeler.gui.workspace.stored_runs import kept_note, stored_note
from slamodeler.services.period_explanation import explain_period, late_responses
from slamodeler.services.replay import ReplayRun, percent
from slamodeler.services.run_files import RunFiles
from slamodeler.services.runs import Recomputed, ReplayMade, replay_version
from slamodeler.services.workspaces import Workspace, author_name

MISSED = QColor(255, 225, 225)
NO_REPLAY = "Press Replay to see each period's availability here."
COLUMNS = [
    "Period",
    "Minutes",
    "Excluded",
    "Downtime",
    "Availability %",
    "Credit %",
    "Owed / cust.",
    "After caps / cust.",
    "Capped off / cust.",
    "Rule",
]
CREDIT_COLUMN = COLUMNS.index("Credit %")
PER_CUSTOMER = (
    "per customer of the tier, in this period (the line above the chart gives the total for "
    "all customers)"
)
HEADER_TIPS = {
    "Owed / cust.": f"The credit owed before any cap, {PER_CUSTOMER}",
    "After caps / cust.": f"The credit after the period, yearly and liability caps, {PER_CUSTOMER}",
    "Capped off / cust.": f"What the caps removed, {PER_CUSTOMER}",
}
STALE = "The contract changed since this replay — press Replay to update."
FILES_STALE = (
    "The ticket export or fee file chosen is not the one this replay read — press Replay to update."
)
STALE_STYLE = "background: #fcf3cf; color: #7d6608; padding: 4px; border-radius: 3px;"


def _percent_text(value: Fraction, places: int = 4) -> str:
    return f"{percent(value):.{places}f}"


def year_words(contract_year: int) -> str:
    """The contract year counted as the contract counts them (year 1 from the start), or that
    the period falls before the term, when the contract was not yet in force."""
    return f"contract year {contract_year + 1}" if contract_year >= 0 else "before the term starts"


def period_cells(p: PeriodResult) -> list[str]:
    return [
        p.period,
        f"{p.period_minutes:,.0f}",
        f"{p.excluded_minutes:,.1f}",
        f"{p.downtime_minutes:,.1f}",
        _percent_text(p.availability_pct),
        _percent_text(p.credit_pct, 2),
        f"{p.credit_owed:,}",
        f"{p.credit_after_caps:,}",
        f"{p.capped_off:,}",
        " + ".join(filter(None, (p.rule, late_responses(p)))),
    ]


def _sentence(line: str) -> str:
    return escape(line[:1].upper() + line[1:]) + "."


def _sums_html(sums: tuple[str, ...]) -> list[str]:
    """The sums, a line indented under one (a late ticket under the support line) as an item
    of a list under it."""
    out: list[str] = []
    for line in sums:
        if line.startswith(" ") and out:
            item = escape(line.strip().removeprefix("- "))
            out.append(f"<ul><li>{item}</li></ul>")
        else:
            out.append(f"<p>{_sentence(line)}</p>")
    return out


def explanation_html(p: PeriodResult, currency: str) -> str:
    """What produced this period's credit: its figures, then the lines every front end shows
    (services/period_explanation), laid out as a page."""
    said = explain_period(p)
    lines = [
        f"<h3>{escape(p.tier)}, {escape(p.period)}</h3>",
        f"<p>{escape(p.start)} to {escape(p.end)} ({year_words(p.contract_year)}): "
        f"{p.period_minutes:,.0f} minutes, {p.excluded_minutes:,.1f} excluded, "
        f"{p.downtime_minutes:,.1f} minutes of downtime counted.</p>",
        f"<p>Availability <b>{_percent_text(p.availability_pct)}%</b>: "
        f"{'target met' if p.met_target else '<b>target missed</b>'}. {escape(p.rule)}; "
        f"credit {percent(p.credit_pct):g}% of the fee.</p>",
        *(f"<p>{_sentence(line)}</p>" for line in said.rules),
    ]
    if said.incidents:
        lines.append("<p><b>Incidents</b></p><ul>")
        lines.extend(f"<li>{escape(line)}</li>" for line in said.incidents)
        lines.append("</ul>")
    else:
        lines.append("<p>No incident touched this period.</p>")
    lines.extend(_sums_html(said.sums))
    lines.append(
        f"<p>Per customer: owed {p.credit_owed:,} {currency}, after caps "
        f"{p.credit_after_caps:,}, expected paid {p.expected_paid:,}.</p>"
    )
    lines.extend(f"<p>{_sentence(line)}</p>" for line in said.remedies)
    return "".join(lines)


class ReplayView(QWidget):
    """``finished`` after each replay (done or failed); ``stored(run_id)`` when it was stored;
    ``export_requested`` when its Export button is pressed (the window's ``ResultsExporter``
    writes the workbook). What is shown is the contract as replayed, kept with the result; the
    contract in the editor is ``contract()``, and ``set_subject``/``contract_changed`` say when
    it changes."""

    finished = Signal()
    stored = Signal(int)
    export_requested = Signal()
    export_changed = Signal()  # whether there is a replay to export may have changed

    def __init__(
        self,
        contract: Callable[[], Contract | None],
        errors: ErrorReporter,
        settings: QSettings | None = None,
    ):
        super().__init__()
        self.contract, self.errors = contract, errors
        self.ws: Workspace | None = None
        self.subject: tuple[str, str] | None = None  # the contract in the editor: key, title
        self.version_id: int | None = None  # ... the version it was opened from
        self.author = author_name()
        self.origin = ""  # how a workbook names the contract of the replay shown
        self.replayed: ReplayRun | None = None  # the replay shown, with its contract
        self.replayed_subject: tuple[str, str] | None = None  # ... and where that came from
        self.replayed_terms: Contract | None = None  # ... its terms before a fee file's fees
        self.replayed_files: RunFiles | None = None  # ... the ticket export and fee file it read
        self._running_with: tuple[Contract, RunFiles] | None = None
        self._running_for: tuple[Workspace, tuple[str, str] | None] | None = None
        self.summary = ""  # the status line of the replay shown
        self.worker = Worker(self)
        self.worker.done.connect(self._done)
        self.worker.failed.connect(self._failed)

        self.incident_sets = QComboBox()
        self.incident_sets.setObjectName("incidentSets")
        self.inputs = ReplayInputs(errors, settings)
        self.inputs.tickets.changed.connect(self.contract_changed)
        self.inputs.fees.changed.connect(self.contract_changed)
        self.run_button = QPushButton("Replay")
        self.run_button.setObjectName("runReplay")
        self.run_button.clicked.connect(self.run)
        self.export_button = QPushButton("Export workbook…")
        self.export_button.setObjectName("exportReplayWorkbook")
        self.export_button.setToolTip(
            "Write the exposure workbook (.xlsx) of this replay: its periods, incidents and the "
            "contract as replayed"
        )
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(lambda: self.export_requested.emit())
        self.tier = QComboBox()
        self.tier.setObjectName("replayTier")
        self.tier.currentIndexChanged.connect(self._show_tier)
        self.status = QLabel("Choose an incident set and press Replay.")
        self.status.setObjectName("replayStatus")
        self.status.setWordWrap(True)
        self.memos_button = CreditMemoButton(self._memo_source, errors)
        self.memos_button.written.connect(self.status.setText)
        self.stale = QLabel(STALE)
        self.stale.setObjectName("replayStale")
        self.stale.setStyleSheet(STALE_STYLE)
        self.stale.setWordWrap(True)
        self.stale.hide()

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("periodTable")
        for column, name in enumerate(COLUMNS):
            header = QTableWidgetItem(name)
            header.setToolTip(HEADER_TIPS.get(name, ""))
            self.table.setHorizontalHeaderItem(column, header)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.currentCellChanged.connect(lambda row, *_: self._explain(row))
        install_copy(self.table)

        self.chart = ThemedPlot(axisItems={"bottom": PeriodAxis()})
        self.chart.setObjectName("availabilityChart")
        self.chart.setMenuEnabled(False)
        self.chart.showGrid(y=True, alpha=0.25)
        self.chart.setLabel("left", "Availability (%)")
        self.chart.getPlotItem().hideButtons()
        self.chart.show_empty(NO_REPLAY)
        self.explanation = QTextBrowser()
        self.explanation.setObjectName("explanation")

        top = QHBoxLayout()
        top.addWidget(QLabel("Incident set"))
        top.addWidget(self.incident_sets, 1)
        top.addWidget(self.run_button)
        top.addSpacing(20)
        top.addWidget(QLabel("Tier"))
        top.addWidget(self.tier, 1)
        top.addWidget(self.export_button)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.table)
        lower.addWidget(self.explanation)
        lower.setSizes([880, 300])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.chart)
        split.addWidget(lower)
        split.setSizes([260, 420])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.inputs)
        status = QHBoxLayout()  # the memos beside the line that says what they add up to
        status.addWidget(self.status, 1)
        status.addWidget(self.memos_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(status)
        layout.addWidget(self.stale)
        layout.addWidget(split, 1)

    @property
    def result(self) -> ReplayResult | None:
        return self.replayed.result if self.replayed is not None else None

    # -- what is replayed --------------------------------------------------------------------

    def set_workspace(self, ws: Workspace) -> None:
        if self.replayed is not None and ws is not self.ws:
            self._put_away("Another workspace was opened: choose an incident set and press Replay.")
        self.ws = ws
        refill(self.incident_sets, (row.key for row in ws.incident_sets()))
        self.inputs.set_workspace(ws)

    def choose_incident_set(self, key: str) -> None:
        choose(self.incident_sets, key)

    def set_subject(self, key: str, title: str, version_id: int | None = None) -> None:
        """The contract ``key`` (its version ``title``, id ``version_id``) is now in the editor:
        a replay of another contract is put away; one of this contract stays, marked if it
        differs."""
        self.subject, self.version_id = (key, title), version_id
        shown = self.replayed_subject
        if self.replayed is not None and shown is not None and shown[0] != key:
            self._put_away(
                f"The replay of {shown[1]} was put away: {title} is open now. "
                "Press Replay to replay it."
            )
        self.contract_changed()

    def contract_changed(self) -> None:
        """Say so when the contract in the editor, or the files chosen beside the incident set,
        are no longer the ones replayed."""
        terms = self.replayed_terms
        if terms is not None and self.contract() != terms:
            self.stale.setText(STALE)
        elif terms is not None and self.inputs.files() != self.replayed_files:
            self.stale.setText(FILES_STALE)
        else:
            self.stale.hide()
            return
        self.stale.show()

    def _put_away(self, message: str) -> None:
        self.replayed = self.replayed_subject = self.replayed_terms = self.replayed_files = None
        self.summary = ""
        self.tier.blockSignals(True)
        self.tier.clear()
        self.tier.blockSignals(False)
        self.table.setRowCount(0)
        self.chart.clear()
        self.chart.show_empty(NO_REPLAY)
        self.explanation.clear()
        self.status.setText(message)
        self.stale.hide()
        self._update_export()

    def run(self) -> None:
        try:
            contract = self.contract()
            if contract is None:
                raise InputError("the contract has problems (marked in the editor): fix them first")
            key, ws, version_id = self.incident_sets.currentText(), self.ws, self.version_id
            if ws is None or not key:
                raise InputError(
                    "choose an incident set to replay (import one with File > Import incidents…)"
                )
            if version_id is None:
                raise InputError("open a contract version in the workspace browser first")
        except InputError as exc:
            self.errors.report(exc, "replay")
            return
        self.run_button.setEnabled(False)
        self.status.setText(f"Replaying {key}…")
        author, files = self.author, self.inputs.files()
        self._running_for, self._running_with = (ws, self.subject), (contract, files)
        self.worker.start(
            lambda: replay_version(ws, version_id, contract, key, author, files=files)
        )
        self._update_export()  # nothing to export while replaying

    def _failed(self, exc: BaseException) -> None:
        self.run_button.setEnabled(True)
        self._update_export()
        self.status.setText("The replay failed.")
        self.errors.report(exc, "replay")
        self.finished.emit()

    def _done(self, made: ReplayMade) -> None:
        """Say the run was stored (the window lists it in the browser), and show the replay in
        a later turn of the event loop: the two together held the GUI thread 60-80 ms for a long
        history on a busy machine. Nothing else can start meanwhile (Replay stays off), and a
        view closed meanwhile is not called."""
        if made.run is not None:
            self.stored.emit(made.run.id)  # stored, whatever is shown now
        assert self._running_for is not None and self._running_with is not None
        ran = (self._running_for, self._running_with)  # as this replay was started
        in_a_later_turn(self, lambda: self._land(made, *ran))

    def _land(
        self,
        made: ReplayMade,
        ran_for: tuple[Workspace, tuple[str, str] | None],
        ran_with: tuple[Contract, RunFiles],
    ) -> None:
        if self.worker.running:  # replayed again meanwhile: that one is shown when it lands
            return
        self.run_button.setEnabled(True)
        ws, subject = ran_for
        if ws is not self.ws or (subject and self.subject and subject[0] != self.subject[0]):
            self._put_away("Another contract was opened while the replay ran: press Replay.")
            self.finished.emit()
            return
        origin = f"{subject[1]} as in the editor when replayed" if subject else ""
        terms, files = ran_with
        kept = kept_note(made.run, made.not_stored)
        self._show(made.replayed, (terms, files), subject, kept, origin)
        self.finished.emit()

    def show_stored(self, again: Recomputed) -> None:
        """A replay stored in the workspace, computed again from its stored inputs."""
        assert again.replayed is not None
        run_id = again.run.id
        self._show(
            again.replayed,
            (again.contract, again.files),
            (again.ref.split("@")[0], f"{again.ref} (stored run {run_id})"),
            stored_note(again),
            f"run {run_id}: {again.label}",
        )
        self.finished.emit()

    def _show(
        self,
        replayed: ReplayRun,
        read: tuple[Contract, RunFiles],
        subject: tuple[str, str] | None,
        kept: str,
        origin: str,
    ) -> None:
        """``read``: the contract replayed, before a fee file's fees (``replayed.contract``
        has them), and the files it read, to tell when the editor or the choice has moved on."""
        self.replayed, self.replayed_subject, self.origin = replayed, subject, origin
        self.replayed_terms, self.replayed_files = read
        result = replayed.result
        owed = sum((t.total("credit_after_caps") * t.customers for t in result.tiers), Decimal(0))
        self.summary = (
            f"{result.contract_name}: {result.first} to {result.last}, "
            f"{len(result.tiers)} tier(s); credits after caps for all customers "
            f"{owed:,} {result.currency}.  {kept}" + ("".join(f"  Note: {n}" for n in result.notes))
        )
        self.status.setText(self.summary)
        keep = self.tier.currentText()
        self.tier.blockSignals(True)
        self.tier.clear()
        self.tier.addItems([t.tier for t in result.tiers])
        self.tier.blockSignals(False)
        index = self.tier.findText(keep)
        self.tier.setCurrentIndex(max(index, 0))
        self._show_tier()
        self.contract_changed()  # the editor may have moved on while the replay ran
        self._update_export()

    # -- showing -----------------------------------------------------------------------------

    def tier_result(self) -> TierReplay | None:
        result = self.result
        if result is None or not 0 <= self.tier.currentIndex() < len(result.tiers):
            return None
        return result.tiers[self.tier.currentIndex()]

    def _show_tier(self) -> None:
        tier = self.tier_result()
        if tier is None:
            return
        with sized_once(self.table):
            self.table.setRowCount(len(tier.periods))
            for row, p in enumerate(tier.periods):
                for col, text in enumerate(period_cells(p)):
                    item = QTableWidgetItem(text)
                    if col == CREDIT_COLUMN:  # two places in the cell, every digit in the tip
                        item.setToolTip(f"{percent(p.credit_pct):g}% of the period's fee")
                    if col and col < 9:
                        item.setTextAlignment(
                            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                        )
                    if not p.met_target:
                        item.setBackground(QBrush(MISSED))
                        item.setForeground(TINT_TEXT)
                    self.table.setItem(row, col, item)
        self._chart(tier)
        worst = min(
            range(len(tier.periods)), key=lambda i: tier.periods[i].availability_pct, default=0
        )
        self.table.setCurrentCell(worst, 0)
        self._explain(worst)

    def thresholds(self, tier: TierReplay) -> list[float]:
        """The band thresholds of the tier in the contract as replayed (not as edited since)."""
        if self.replayed is None:
            return []
        credits = self.replayed.contract.tier(tier.tier).credits
        return [float(b.below) for b in getattr(credits, "bands", [])]

    def _chart(self, tier: TierReplay) -> None:
        self.chart.start_drawing()
        xs = list(range(len(tier.periods)))
        ys = [float(p.availability_pct) for p in tier.periods]
        brushes = [pg.mkBrush("#2e86c1" if p.met_target else "#c0392b") for p in tier.periods]
        self.chart.plot(xs, ys, pen=pg.mkPen("#85c1e9", width=1.5))
        self.chart.addItem(pg.ScatterPlotItem(xs, ys, size=8, brush=brushes, pen=None))
        target = float(tier.target_pct)
        self.chart.addItem(marker(target, f"target {target:g}%", "#c0392b", 0.01, vertical=False))
        thresholds = self.thresholds(tier)
        for value in thresholds:
            if value != target:
                self.chart.addItem(
                    pg.InfiniteLine(
                        value, angle=0, pen=pg.mkPen("#aaaaaa", style=Qt.PenStyle.DotLine)
                    )
                )
        self.chart.getAxis("bottom").set_labels([p.period for p in tier.periods])
        low = min([*ys, target, *thresholds]) if ys else target
        self.chart.setYRange(
            max(0.0, low - (100 - low) * 0.15), 100 + (100 - low) * 0.05, padding=0
        )
        self.chart.setXRange(-0.5, max(len(xs) - 0.5, 0.5), padding=0)

    def _explain(self, row: int) -> None:
        tier = self.tier_result()
        if tier is None or not 0 <= row < len(tier.periods) or self.result is None:
            self.explanation.clear()
            return
        self.explanation.setHtml(explanation_html(tier.periods[row], self.result.currency))

    # -- export ------------------------------------------------------------------------------

    def exportable(self) -> ReplayRun | None:
        """The replay a workbook can be written from now (none while replaying)."""
        return None if self.worker.running else self.replayed

    def contract_label(self) -> str | None:
        """How a workbook names the contract replayed."""
        return self.origin or None

    def _update_export(self) -> None:
        self.export_button.setEnabled(self.exportable() is not None)
        self.memos_button.setEnabled(self.exportable() is not None)
        self.export_changed.emit()

    def _memo_source(self) -> tuple[ReplayRun, str] | None:
        """The replay on view, and the version its credit memos name."""
        shown = self.exportable()
        if shown is None:
            return None
        subject = self.replayed_subject
        return shown, subject[1] if subject else "the contract in the editor"
