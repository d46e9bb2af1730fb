"""The contract editor: general terms; pages for the tiers (with the selected tier's scope and
caps), the exclusions, the caps and claims, and the measurement; the selected tier's credit
schedule as a form, a table and a draggable curve (kept in sync through the document); the
problems the domain finds; and the term-by-term comparison with any stored version."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import available_timezones

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from slamodeler.domain.band_coverage import band_warnings
from slamodeler.domain.contract import Contract
from slamodeler.domain.contract_changes import Change, user_changes
from slamodeler.domain.contract_diff import diff_contracts
from slamodeler.domain.credit_schedules import BandSchedule
from slamodeler.domain.scenario import Scenario
from slamodeler.gui.charts.exposure_preview import ExposurePreview
from slamodeler.gui.editor.curve import CurvePlot
from slamodeler.gui.editor.document import ContractDocument
from slamodeler.gui.editor.models import ScheduleModel, TiersModel
from slamodeler.gui.editor.redline_dialog import RedlineDialog
from slamodeler.gui.editor.terms_caps import CapsAndClaims
from slamodeler.gui.editor.terms_either_or import EitherOrTerms
from slamodeler.gui.editor.terms_exclusions import ExclusionsPanel
from slamodeler.gui.editor.terms_fields import ERROR_STYLE, TermField
from slamodeler.gui.editor.terms_general import TermRows
from slamodeler.gui.editor.terms_incident_credits import IncidentCreditFields
from slamodeler.gui.editor.terms_measurement import MeasurementTerms
from slamodeler.gui.editor.terms_schedule import ScheduleTerms
from slamodeler.gui.editor.terms_support import SupportTargets
from slamodeler.gui.editor.terms_tiers import TierTerms
from slamodeler.gui.editor.terms_vendor import vendor_rows
from slamodeler.gui.editor.terms_windows import ChoiceDelegate
from slamodeler.gui.widgets.table_copy import install_copy
from slamodeler.gui.widgets.theme import TINT_TEXT
from slamodeler.services.contract_edits import (
    MovePoint,
    Term,
    TierField,
    add_band,
    add_tier,
    remove_band,
    remove_tier,
)

WEAKENS = QColor(255, 229, 204)

WARNING_STYLE = "color: #8a5a00;"  # amber: the contract is valid, but look here


class GeneralTerms(QGroupBox):
    """Name, currency, time zone, the term and the description; each field shows the domain's
    message under it."""

    FIELDS = (("name", "Name"), ("currency", "Currency"), ("timezone", "Time zone"))

    def __init__(self, document: ContractDocument):
        super().__init__("General terms")
        form = QFormLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        self.messages: dict[str, QLabel] = {}
        for key, label in self.FIELDS:
            if key == "timezone":
                combo = QComboBox()
                combo.setEditable(True)
                combo.addItems(sorted(available_timezones()))
                combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
                combo.setMinimumContentsLength(14)
                combo.setSizeAdjustPolicy(
                    QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
                )
                field = TermField(document, Term(key), label, edit=combo.lineEdit(), widget=combo)
                combo.activated.connect(lambda _=0, f=field: f.commit())
            else:
                field = TermField(document, Term(key), label)
            form.addRow(label, field)
            self.edits[key], self.messages[key] = field.edit, field.message
        self.term = TermRows(document)
        for label, row in self.term.rows():
            form.addRow(label, row)
        for label, row in vendor_rows(document):
            form.addRow(label, row)


class DiffView(QWidget):
    """Two versions (or a version and the edits in the editor) side by side, one row per change a
    user made (a band added, a credit changed), in words; the changes that weaken a commitment to
    customers tinted with the reason. Each cell's tooltip and the pane under the table hold the
    whole change, however narrow the columns. It first compares the version the editor started
    from (``start``, else the newest) with the edits."""

    def __init__(
        self,
        versions: list[Any],
        load: Callable[[Any], Contract],
        current: Callable[[], Contract | None],
        start: Any | None = None,
        scenarios: ScenarioSource | None = None,
    ):
        super().__init__()
        self.versions, self.load, self.current = versions, load, current
        self.scenarios = scenarios
        self.redline_dialog: RedlineDialog | None = None
        self.under_scenario = QPushButton("Compare under scenario…")
        self.under_scenario.setObjectName("compareUnderScenario")
        self.under_scenario.setToolTip(
            "Price both on the same simulated incidents: what the change costs, per tier and "
            "in all, and each change's share (as `slamodeler compare`)"
        )
        self.under_scenario.clicked.connect(self.compare_under_scenario)
        self.older, self.newer = QComboBox(), QComboBox()
        self.older.setObjectName("diffFrom")
        self.newer.setObjectName("diffTo")
        for v in versions:
            self.older.addItem(f"version {v.number} ({v.status})", v)
            self.newer.addItem(f"version {v.number} ({v.status})", v)
        self.newer.addItem("the edits in the editor", "current")
        self.newer.setCurrentIndex(self.newer.count() - 1)
        self.older.setCurrentIndex(
            versions.index(start) if start in versions else len(versions) - 1
        )
        self.summary = QLabel()
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("diffTable")
        self.table.setHorizontalHeaderLabels(["Change", "From", "To", "Weakens a commitment"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.detail = QLabel()
        self.detail.setObjectName("diffDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.changes: list[Change] = []
        self.table.currentCellChanged.connect(lambda row, *_: self._show_detail(row))
        top = QHBoxLayout()
        top.addWidget(QLabel("Compare"))
        top.addWidget(self.older)
        top.addWidget(QLabel("with"))
        top.addWidget(self.newer)
        top.addStretch()
        top.addWidget(self.under_scenario)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        self.older.currentIndexChanged.connect(self.refresh)
        self.newer.currentIndexChanged.connect(self.refresh)

    def _contract(self, combo: QComboBox) -> Contract | None:
        data = combo.currentData()
        return self.current() if data == "current" else self.load(data)

    def refresh(self) -> None:
        old, new = self._contract(self.older), self._contract(self.newer)
        self.changes = [] if old is None or new is None else user_changes(diff_contracts(old, new))
        self.under_scenario.setEnabled(
            old is not None and new is not None and self.scenarios is not None
        )
        self.table.setRowCount(len(self.changes))
        if old is None or new is None:
            self.summary.setText("The edits are not valid yet: fix the marked terms to compare.")
            self._show_detail(-1)
            return
        weakening = sum(c.weakens for c in self.changes)
        self.summary.setText(
            f"{len(self.changes)} change(s); {weakening} weaken a commitment to customers. "
            "Select a change to read it in full."
            if self.changes
            else "The same terms."
        )
        for row, change in enumerate(self.changes):
            cells = [change.what, change.before, change.after, change.why]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(_change_text(change))
                if change.weakens:
                    item.setBackground(QBrush(WEAKENS))
                    item.setForeground(TINT_TEXT)
                self.table.setItem(row, col, item)
        self.table.setCurrentCell(0 if self.changes else -1, 0)
        self._show_detail(self.table.currentRow())

    def _show_detail(self, row: int) -> None:
        inside = 0 <= row < len(self.changes)
        self.detail.setText(_change_text(self.changes[row]) if inside else "")
        self.detail.setVisible(inside)

    def compare_under_scenario(self) -> None:
        """The two sides on the same simulated incidents, in a window of their own."""
        old, new = self._contract(self.older), self._contract(self.newer)
        if old is None or new is None or self.scenarios is None:
            return
        names, load = self.scenarios
        self.redline_dialog = RedlineDialog(
            old,
            new,
            (self.older.currentText(), self.newer.currentText()),
            names(),
            load,
            self,
        )
        self.redline_dialog.show()


ScenarioSource = tuple[Callable[[], list[str]], Callable[[str], Scenario]]  # names, and one


def _change_text(change: Change) -> str:
    """The whole change, for the tooltip and the pane under the table."""
    lines = [change.what]
    lines += [f"From: {change.before}"] if change.before else []
    lines += [f"To: {change.after}"] if change.after else []
    lines += [f"Weakens a commitment: {change.why}"] if change.weakens else []
    return "\n".join(lines)


class ContractEditor(QWidget):
    """Edits one document; ``title`` names the version it started from. ``now`` is the clock the
    maintenance windows' preview looks ahead from."""

    previewed = Signal(object)  # the contract (valid) with a curve point where it is dragged

    def __init__(
        self,
        document: ContractDocument,
        title: str,
        versions: list[Any],
        load: Callable[[Any], Contract],
        now: Callable[[], datetime] | None = None,
        scenarios: ScenarioSource | None = None,
    ):
        super().__init__()
        self.document, self.title = document, title
        document.setParent(self)  # the document goes when its editor does
        self.general = GeneralTerms(document)

        self.tiers_model = TiersModel(document)
        self.tiers = QTableView()
        self.tiers.setObjectName("tiersTable")
        self.tiers.setModel(self.tiers_model)
        self.tiers.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tiers.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tiers.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tiers.horizontalHeader().setStretchLastSection(True)
        self.tiers.verticalHeader().hide()
        self.add_tier = QPushButton("Add tier")
        self.remove_tier = QPushButton("Remove tier")
        self.add_tier.setToolTip("Add a copy of the selected tier under a new name")
        self.add_tier.clicked.connect(self._add_tier)
        self.remove_tier.clicked.connect(self._remove_tier)
        self.tier_terms = TierTerms(document)
        self.either_or = EitherOrTerms(document)
        self.support_terms = SupportTargets(document)
        self.incident_credits = IncidentCreditFields(document)
        self.exclusions = ExclusionsPanel(document, now)
        self.caps = CapsAndClaims(document)

        self.schedule_model = ScheduleModel(document)
        self.schedule = QTableView()
        self.schedule.setObjectName("scheduleTable")
        self.schedule.setModel(self.schedule_model)
        self.schedule.setItemDelegate(ChoiceDelegate(self.schedule))  # a band's ends
        # Each column as wide as its header and cells (six of them with a band's ends: the table
        # scrolls sideways rather than cut the headers short), the last filling what is left.
        schedule_header = self.schedule.horizontalHeader()
        schedule_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        schedule_header.setStretchLastSection(True)
        self.schedule_terms = ScheduleTerms(document)
        self.schedule_note = QLabel()
        self.schedule_note.setWordWrap(True)
        self.band_warnings = QLabel()  # gaps and overlaps the bands' text leaves
        self.band_warnings.setObjectName("bandWarnings")
        self.band_warnings.setWordWrap(True)
        self.band_warnings.setStyleSheet(WARNING_STYLE)
        self.add_band = QPushButton("Add band")
        self.remove_band = QPushButton("Remove band")
        self.add_band.clicked.connect(self._add_band)
        self.remove_band.clicked.connect(self._remove_band)
        self.curve = CurvePlot(document)
        self.curve.handle_moved.connect(self._dragged)
        self.curve.handle_dragging.connect(self._dragging)
        self.exposure: ExposurePreview | None = None  # under the curve, once shown

        self.problems = QLabel()
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(ERROR_STYLE)

        tiers_page = QWidget()
        tiers_layout = QVBoxLayout(tiers_page)
        hint = QLabel("Double-click a cell to edit it; select a tier to see its terms.")
        hint.setWordWrap(True)
        tiers_layout.addWidget(hint)
        tiers_layout.addWidget(self.tiers, 1)
        tier_buttons = QHBoxLayout()
        tier_buttons.addStretch()
        tier_buttons.addWidget(self.add_tier)
        tier_buttons.addWidget(self.remove_tier)
        tiers_layout.addLayout(tier_buttons)
        tiers_layout.addWidget(self.tier_terms)
        tiers_layout.addWidget(self.either_or)
        tiers_layout.addWidget(self.support_terms)
        tiers_layout.addWidget(self.incident_credits)
        self.sections = QTabWidget()
        self.sections.setObjectName("termSections")
        self.sections.addTab(tiers_page, "Tiers")
        self.sections.addTab(_scrolled(self.exclusions), "Exclusions")
        self.sections.addTab(_scrolled(self.caps), "Caps and claims")
        self.measurement = MeasurementTerms(document)
        self.sections.addTab(_scrolled(self.measurement), "Measurement")

        terms_column = QWidget()
        terms_layout = QVBoxLayout(terms_column)
        terms_layout.setContentsMargins(0, 0, 0, 0)
        terms_layout.addWidget(self.general)
        terms_layout.addWidget(self.sections, 1)
        scrolled_terms = _scrolled(terms_column)  # scrolls only in a small window
        scrolled_terms.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scrolled_terms.setFrameShape(QFrame.Shape.NoFrame)
        self.problems_area = _scrolled(self.problems)
        self.problems_area.setMaximumHeight(110)
        self.problems_area.setFrameShape(QFrame.Shape.NoFrame)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(scrolled_terms, 1)
        left_layout.addWidget(self.problems_area)

        self.schedule_box = QGroupBox("Credit schedule")
        right_layout = QVBoxLayout(self.schedule_box)
        right_layout.addWidget(self.schedule_terms)
        buttons = QHBoxLayout()
        buttons.addWidget(self.schedule_note, 1)
        buttons.addWidget(self.add_band)
        buttons.addWidget(self.remove_band)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.band_warnings)
        self.schedule_split = QSplitter(Qt.Orientation.Vertical)
        self.schedule_split.addWidget(self.schedule)
        self.schedule_split.addWidget(self.curve)
        self.schedule_split.setSizes([160, 340])
        right_layout.addWidget(self.schedule_split, 1)
        right_layout.addStretch(0)

        terms = QSplitter(Qt.Orientation.Horizontal)
        terms.addWidget(left)
        terms.addWidget(self.schedule_box)
        terms.setSizes([640, 620])

        number = title.rpartition("@")[2]  # "key@number", the version started from
        start = next((v for v in versions if str(v.number) == number), None)
        self.diff = DiffView(versions, load, lambda: self.document.contract, start, scenarios)
        install_copy(self.tiers, self.schedule, self.diff.table)
        self.tabs = QTabWidget()
        self.tabs.addTab(terms, "Terms")
        self.tabs.addTab(self.diff, "Compare versions")
        self.tabs.currentChanged.connect(lambda i: self.diff.refresh() if i == 1 else None)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.tiers.selectionModel().currentRowChanged.connect(
            lambda cur, _: self.select_tier(cur.row())
        )
        document.changed.connect(self.refresh)
        self._show_tier(0)
        self.refresh()

    @property
    def tier(self) -> int:
        return self.schedule_model.tier

    def select_tier(self, row: int) -> None:
        if row < 0:
            return
        self.schedule_model.set_tier(row)
        self.curve.set_tier(row)
        if self.exposure is not None:
            self.exposure.set_tier(row)
        self.tier_terms.set_tier(row)
        self.either_or.set_tier(row)
        self.support_terms.set_tier(row)
        self.incident_credits.set_tier(row)
        self.schedule_terms.set_tier(row)
        self.refresh()

    def _show_tier(self, row: int) -> None:
        """Make ``row`` the tiers table's current row (which selects the tier)."""
        self.tiers.selectionModel().setCurrentIndex(
            self.tiers_model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def refresh(self) -> None:
        count = self.tiers_model.rowCount()
        if count and self.tiers.currentIndex().row() != min(self.tier, count - 1):
            self._show_tier(min(self.tier, count - 1))  # a tier came or went: keep one selected
            return
        name = self.document.get(TierField(self.tier, "name"), "")
        kind = self.schedule_model.kind
        self.schedule_box.setTitle(f"Credit schedule of {name}")
        editable = self.schedule_model.list_place() is not None
        self.add_band.setVisible(editable)
        self.remove_band.setVisible(editable)
        self.remove_band.setEnabled(editable and self.schedule_model.rowCount() > 1)
        self.schedule.setVisible(editable)
        self.curve.setVisible(editable)
        self.schedule_split.setVisible(editable or self.exposure is not None)
        self.remove_tier.setEnabled(count > 1)
        self.schedule_note.setText(
            {
                "bands": "Steps: the lowest band hit gives the credit. Drag a point on the curve.",
                "linear": "Straight lines between the points. Drag a point on the curve.",
                "per_hour": "Once the target is missed: this % of the period fee for each hour "
                "of downtime, counted as chosen.",
                "fee_multiple": "Once the target is missed: this many times the fee for the "
                "share of the period that was down.",
            }.get(kind or "", "")
        )
        self._show_band_warnings()
        problems = self.document.problems
        self.problems.setText(
            ""
            if not problems
            else "Not valid yet:\n" + "\n".join(f"• {p.worded}" for p in problems)
        )
        self.problems_area.setVisible(bool(problems))
        self.diff.refresh() if self.tabs.currentIndex() == 1 else None

    def _show_band_warnings(self) -> None:
        """The selected tier's gaps and overlaps, beside its bands (warnings: the contract is
        valid, but a reviewer wants to see them before signing)."""
        contract = self.document.contract
        tier = contract.tiers[self.tier] if contract and self.tier < len(contract.tiers) else None
        found = (
            band_warnings(tier.credits, tier.target_pct)
            if tier is not None and isinstance(tier.credits, BandSchedule)
            else []
        )
        self.band_warnings.setText("\n".join(f"Warning: {w.message}" for w in found))
        self.band_warnings.setVisible(bool(found))

    # -- tier edits ------------------------------------------------------------------------------

    def _add_tier(self) -> None:
        row = self.tiers_model.rowCount()
        self.document.apply(add_tier(self.document.data, self.tier))
        self._show_tier(row)

    def _remove_tier(self) -> None:
        if self.tiers_model.rowCount() > 1:
            self.document.apply(remove_tier(self.document.data, self.tier))

    # -- schedule edits --------------------------------------------------------------------------

    def show_exposure(self, panel: ExposurePreview) -> None:
        """Show ``panel`` under the curve, following the tier selected."""
        self.exposure = panel
        self.schedule_split.addWidget(panel)
        self.schedule_split.setSizes([120, 220, 260])
        panel.set_tier(self.tier)
        self.refresh()

    def _move(self, index: int, x: str, y: str) -> MovePoint | None:
        """The edit putting point ``index`` at (x, y), as the curve placed it (on the grid, between
        its neighbours); None when the schedule has no points."""
        where = self.schedule_model.list_place()
        return None if where is None else MovePoint(where.tier, index, x, y, where.items)

    def _dragging(self, index: int, x: str, y: str) -> None:
        """A point on its way: offer the contract it would make (no undo step), if valid (it is,
        unless the schedule was not valid before the drag). Only what the move changes is checked
        (the point against its neighbours, its schedule): the whole contract is validated once,
        when the point is let go."""
        moved = self._move(index, x, y)
        if moved is None or self.document.contract is None:
            return  # nothing to preview; the problems list says what is wrong
        contract = moved.preview(self.document.contract)
        if contract is not None:
            self.previewed.emit(contract)

    def _dragged(self, index: int, x: str, y: str) -> None:
        moved = self._move(index, x, y)
        if moved is not None and not self.document.apply(moved):
            self.curve.refresh()

    def _add_band(self) -> None:
        where = self.schedule_model.list_place()
        if where is not None:
            self.document.apply(add_band(self.document.data, where))

    def _remove_band(self) -> None:
        where = self.schedule_model.list_place()
        rows = self.schedule.selectionModel().selectedRows() or [self.schedule.currentIndex()]
        row = rows[0].row() if rows and rows[0].isValid() else self.schedule_model.rowCount() - 1
        if where is None or self.schedule_model.rowCount() < 2:
            return
        self.document.apply(remove_band(where, row))


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(widget)
    return area
