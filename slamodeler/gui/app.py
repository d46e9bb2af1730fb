"""The main window and the application: ``slamodeler`` with no arguments runs ``main()``.

The window opens the last workspace (QSettings) or the default one, seeded with the sample
contracts on a first run (``slamodeler.services.workspaces.open_workspace``); a workspace that
another process writes to opens read-only, with a banner saying so. Every action calls the
services; errors are shown in a dialog and logged, never as a traceback.
"""

from __future__ import annotations

import html
import platform
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from slamodeler import APP_NAME, __version__
from slamodeler.domain.errors import InputError
from slamodeler.gui.charts.exposure_preview import ExposurePreview
from slamodeler.gui.collector import collect_on_gui_thread
from slamodeler.gui.editor.contract_editor import ContractEditor
from slamodeler.gui.editor.document import ContractDocument
from slamodeler.gui.results.baseline_view import BaselineView
from slamodeler.gui.results.compliance_export import ComplianceExporter
from slamodeler.gui.results.dispute_dialog import DisputeDialog
from slamodeler.gui.results.error_budget_dialog import ErrorBudgetDialog
from slamodeler.gui.results.finder_dialog import FinderDialog
from slamodeler.gui.results.fit_view import FitView
from slamodeler.gui.results.portfolio_view import PortfolioView
from slamodeler.gui.results.replay_view import ReplayView
from slamodeler.gui.results.results_export import ResultsExporter
from slamodeler.gui.results.sensitivity_view import SensitivityView
from slamodeler.gui.results.simulation_view import SimulationView
from slamodeler.gui.results.timeline_view import TimelineView
from slamodeler.gui.results.vendor_view import VendorView
from slamodeler.gui.widgets.errors import ErrorReporter, guarded, setup_logging
from slamodeler.gui.widgets.icons import ActionIcons, app_icon
from slamodeler.gui.widgets.splitter_memory import restore_splitters, save_splitters
from slamodeler.gui.widgets.turns import in_a_later_turn
from slamodeler.gui.widgets.worker import Worker
from slamodeler.gui.workspace.add_sets import add_fee_file, add_ticket_export
from slamodeler.gui.workspace.browser import BrowserPanel, WorkspaceBrowser
from slamodeler.gui.workspace.import_dialog import FILE_FILTER, ImportDialog, incident_file_of
from slamodeler.gui.workspace.reason_dialog import ReasonDialog
from slamodeler.gui.workspace.recent import RecentMenu, RecentWorkspaces
from slamodeler.gui.workspace.run_export import RunExporter
from slamodeler.gui.workspace.stored_runs import StoredRuns
from slamodeler.services.incident_sets import read_incident_set
from slamodeler.services.runs import Recomputed
from slamodeler.services.versions import approve, can_approve, save_version, weakening_preview
from slamodeler.services.workspaces import (
    SUFFIX,
    Opened,
    Workspace,
    author_name,
    init_workspace,
    open_workspace,
)

ORGANIZATION = "SLA Modeler"


def versions_text() -> str:
    import numpy
    import pyqtgraph
    import PySide6
    from PySide6.QtCore import qVersion

    return (
        f"SLA Modeler {__version__}\n"
        f"Python {platform.python_version()}, Qt {qVersion()}, PySide6 {PySide6.__version__}, "
        f"pyqtgraph {pyqtgraph.__version__}, numpy {numpy.__version__}"
    )


def redo_keys(platform_keys: list[QKeySequence]) -> list[QKeySequence]:
    """The platform's Redo keys, and Ctrl+Y where they lack it (X11 has only Ctrl+Shift+Z)."""
    ctrl_y = QKeySequence("Ctrl+Y")
    return platform_keys if ctrl_y in platform_keys else [*platform_keys, ctrl_y]


WELCOME_TITLE = "What am I looking at?"
WELCOME_TEXT = (
    "This workspace holds sample contracts modelled on public SLAs, an incident history and "
    "three outage scenarios (baseline, bad year, regional catastrophe). "
    "<b>Left</b>: the workspace, contracts with their versions and status. "
    "<b>Contract</b>: the open version's terms; edit a tier's credit bands in the table or drag "
    "the points of the penalty curve, then <i>Save as new version</i> with a reason. "
    "<b>Replay</b>: what the terms would have paid on the incident history, period by period, "
    "each period explained. <b>Simulation</b>: the distribution of credits under a scenario; "
    "change a band and the figures follow. The user guide (docs/user-guide.md) walks through it."
)


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings | None = None, workspace: str | Path | None = None):
        super().__init__()
        collect_on_gui_thread()  # before any worker thread runs
        self.settings = settings or QSettings()
        self.errors = ErrorReporter(self)
        self.author = author_name()
        self.ws: Workspace | None = None
        self.editor: ContractEditor | None = None
        self.version_id: int | None = None
        self.undo_group = QUndoGroup(self)
        self.welcome: QDockWidget | None = None  # the first run's explanation
        self.icons = ActionIcons(self)
        self.recent = RecentWorkspaces(self.settings)
        self.locked_by: str | None = None  # who writes to the workspace open here read-only
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(app_icon())

        self.browser = WorkspaceBrowser()
        self.browser.version_chosen.connect(self.open_version)
        self.browser.incident_set_chosen.connect(self._incident_set_chosen)
        self.run_exporter = RunExporter(self, self.errors)
        self.run_exporter.message.connect(self.statusBar().showMessage)
        self.browser.run_export_requested.connect(self._export_run)
        self.stored_runs = StoredRuns(self, self.errors, self.author)
        self.stored_runs.message.connect(self.statusBar().showMessage)
        self.stored_runs.opened.connect(self._show_stored_run)
        self.browser.run_open_requested.connect(self._open_run)
        self.browser.run_rerun_requested.connect(self._rerun_run)
        self.browser.add_fees_requested.connect(self.add_fee_set)
        self.browser.add_tickets_requested.connect(self.add_ticket_set)
        self.browser_panel = BrowserPanel(self.browser)
        dock = QDockWidget("Workspace", self)
        dock.setObjectName("workspaceDock")
        dock.setWidget(self.browser_panel)
        self.workspace_dock = dock
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)

        self.placeholder = QLabel("Choose a contract version in the workspace on the left.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("views")
        self.tabs.addTab(self.placeholder, "Contract")
        self.replay = ReplayView(self.current_contract, self.errors, self.settings)
        self.tabs.addTab(self.replay, "Replay")
        self.simulation = SimulationView(self.current_contract, self.errors, self.settings)
        self.tabs.addTab(self.simulation, "Simulation")
        self.timeline = TimelineView(self.current_contract, self.errors)
        self.tabs.addTab(self.timeline, "Timeline")
        self.fit = FitView(self.errors, self.author)
        self.fit.scenario_stored.connect(lambda _key: self._workspace_changed())
        self.fit.scenario_stored.connect(self.simulation.choose_scenario)  # after the refill
        self.tabs.addTab(self.fit, "Fit")
        self.baseline = BaselineView(self.current_contract, self.errors)
        self.tabs.addTab(self.baseline, "Baseline")
        self.portfolio = PortfolioView(self.errors)
        self.tabs.addTab(self.portfolio, "Portfolio")
        self.sensitivity = SensitivityView(self.current_contract, self.errors)
        self.tabs.addTab(self.sensitivity, "Sensitivity")
        self.vendor = VendorView(self.errors)
        self.tabs.addTab(self.vendor, "Vendor")
        for run_view in (self.replay, self.simulation):
            run_view.stored.connect(self._run_stored)
        self.results_exporter = ResultsExporter(self, self.replay, self.simulation, self.errors)
        self.results_exporter.message.connect(self.statusBar().showMessage)
        self.replay.export_requested.connect(lambda: self.results_exporter.export("replay"))
        self.compliance = ComplianceExporter(self, self.replay)
        self.replay.table.currentCellChanged.connect(lambda *_: self._update_export())
        self.simulation.export_requested.connect(lambda: self.results_exporter.export("simulation"))
        for view in self._views():
            restore_splitters(self.settings, view)
        self.import_dialog: ImportDialog | None = None
        self.finder_dialog: FinderDialog | None = None
        self.error_budget_dialog: ErrorBudgetDialog | None = None
        self.setAcceptDrops(True)  # an incident file dropped on the window is imported
        self.setCentralWidget(self._central())
        self._actions()
        self.statusBar().showMessage("Ready")

        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        else:  # wide enough for the names and statuses in the browser
            self.resizeDocks([self.workspace_dock], [280], Qt.Orientation.Horizontal)

        path = workspace or self.settings.value("workspace/last") or None
        if path is not None and not Path(str(path)).exists():
            path = None
        self.open_workspace(path)

    # -- actions -------------------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        name: str = "",
        icon: str = "",
    ) -> QAction:
        """An action named ``name`` with the icon ``icon`` (gui/widgets/icons.py: resources/icons/actions,
        or a themed icon), following the light or dark palette."""
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        action.setObjectName(name or text)
        if icon:
            self.icons.set(action, icon)
        return action

    def _actions(self) -> None:
        file = self.menuBar().addMenu("&File")
        self.new_action = self._action(
            "&New workspace…", self.new_workspace, QKeySequence.StandardKey.New, "new", "new"
        )
        self.open_action = self._action(
            "&Open workspace…", self.choose_workspace, QKeySequence.StandardKey.Open, "open", "open"
        )
        self.recent_menu = RecentMenu(self.recent, self)
        self.recent_menu.chosen.connect(self.open_recent)
        self.recent_menu.dropped.connect(self._recent_dropped)
        self.icons.set(self.recent_menu.menuAction(), "open")
        self.icons.set(self.recent_menu.clear_action, "clear")
        self.save_action = self._action(
            "&Save as new version…",
            self.save_version,
            QKeySequence.StandardKey.Save,
            "save",
            "save",
        )
        self.approve_action = self._action(
            "&Approve…", self.approve_version, None, "approve", "approve"
        )
        self.quit_action = self._action("&Quit", self.close, None, "quit", "quit")
        # Ctrl+Q where the platform has no Quit key of its own (Windows, a bare X11 or offscreen)
        quit_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
        self.quit_action.setShortcuts(quit_keys or [QKeySequence("Ctrl+Q")])
        # Actions that change the workspace beyond save and approve (which have conditions of
        # their own): disabled while the workspace is read-only.
        self.import_action = self._action(
            "&Import incidents…", self.import_incidents, None, "import", "import"
        )
        self.add_fees_action = self._action(
            "Add &fee file…", self.add_fee_set, None, "addFees", "import"
        )
        self.add_tickets_action = self._action(
            "Add &ticket export…", self.add_ticket_set, None, "addTickets", "import"
        )
        self.writing_actions: list[QAction] = [
            self.import_action,
            self.add_fees_action,
            self.add_tickets_action,
        ]
        self.export_action = self._action(
            "&Export workbook…", self._export_results, "Ctrl+E", "export", "export"
        )
        self.export_action.setStatusTip(
            "Write the exposure workbook of the replay and the simulation on view, together"
        )
        file.addActions([self.new_action, self.open_action])
        file.addMenu(self.recent_menu)
        file.addSeparator()
        file.addActions([self.save_action, self.approve_action])
        file.addSeparator()
        self.report_action = self._action(
            "Save &compliance report…",
            lambda: self.compliance.save(),
            None,
            "complianceReport",
            "report",
        )
        self.report_action.setStatusTip(
            "The period selected in the Replay tab as a printable page to send the customer"
        )
        file.addActions([self.import_action, self.add_fees_action, self.add_tickets_action])
        file.addActions([self.export_action, self.report_action])
        file.addSeparator()
        file.addAction(self.quit_action)
        edit = self.menuBar().addMenu("&Edit")
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.icons.set(self.undo_action, "undo")
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts(
            redo_keys(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo))
        )
        self.icons.set(self.redo_action, "redo")
        self.find_action = self._action(
            "&Find in the workspace",
            self.find_in_workspace,
            QKeySequence.StandardKey.Find,
            "find",
            "find",
        )
        edit.addActions([self.undo_action, self.redo_action])
        edit.addSeparator()
        edit.addAction(self.find_action)
        analysis = self.menuBar().addMenu("&Analysis")
        self.find_term_action = self._action(
            "Find a &term…", self.find_term, None, "findTerm", "find-term"
        )
        self.find_term_action.setStatusTip(
            "The value of one term that keeps a statistic of the credits, or the margin, "
            "within a budget"
        )
        analysis.addAction(self.find_term_action)
        self.dispute_action = self._action(
            "Reconcile a &dispute…", self.reconcile_dispute, None, "dispute", "dispute"
        )
        self.dispute_action.setStatusTip(
            "Our incidents and a customer's claim replayed on this contract, period by period"
        )
        analysis.addAction(self.dispute_action)
        self.error_budget_action = self._action(
            "Error &budget…", self.error_budget, None, "errorBudget", "find-term"
        )
        analysis.addAction(self.error_budget_action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self._action("&About SLA Modeler", self.about, None, "about", "about"))
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.addActions(
            [self.new_action, self.open_action, self.save_action, self.approve_action]
        )
        toolbar.addSeparator()
        toolbar.addActions([self.undo_action, self.redo_action])
        self.toolbar = toolbar
        for changed in (
            self.replay.export_changed,
            self.simulation.updated,
            self.results_exporter.worker.done,
            self.results_exporter.worker.failed,
        ):
            changed.connect(self._update_export)
        self._update_actions()

    def _central(self) -> QWidget:
        """The views, under the banner shown while the workspace is read-only."""
        self.banner = QLabel()
        self.banner.setObjectName("readonlyBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.setStyleSheet(
            "QLabel { background: #fff3cd; color: #5c4400; border: 1px solid #e0c060;"
            " padding: 6px; }"
        )
        self.reopen_button = QPushButton("Open for editing")
        self.reopen_button.setToolTip("Open the workspace again, for editing if it is free now")
        self.reopen_button.clicked.connect(self.reopen)
        bar = QWidget()
        bar.setObjectName("readonlyBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.banner, 1)
        row.addWidget(self.reopen_button, 0, Qt.AlignmentFlag.AlignVCenter)
        bar.hide()
        self.readonly_bar = bar
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(bar)
        layout.addWidget(self.tabs, 1)
        return central

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange):
            self.icons.refresh()  # light or dark action icons, as the palette now is
        super().changeEvent(event)

    def find_in_workspace(self) -> None:
        """Ctrl+F: to the filter over the workspace browser."""
        self.workspace_dock.show()
        self.workspace_dock.raise_()
        self.browser_panel.find_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.browser_panel.find_field.selectAll()

    def about(self) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Information, "About SLA Modeler", versions_text(), parent=self
        )
        box.setObjectName("aboutBox")
        box.setInformativeText(
            "Write, replay and price service-level agreements: credits, caps and exposure."
        )
        box.open()
        return box

    # -- dialogs (replaceable in tests) ----------------------------------------------------------

    def ask_text(self, title: str, label: str) -> str | None:
        """A reason for the audit log (OK only once one is typed); None if cancelled."""
        dialog = ReasonDialog(self, title, label)
        answered = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        return dialog.reason() if answered else None

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def ask_unsaved(self, title: str, can_save: bool) -> str:
        """ "save", "discard" or "cancel" for unsaved edits (Save only when they can be)."""
        Button = QMessageBox.StandardButton
        buttons = Button.Discard | Button.Cancel | (Button.Save if can_save else Button.NoButton)
        box = QMessageBox(QMessageBox.Icon.Warning, "Unsaved edits", "", buttons, self)
        box.setObjectName("unsavedEdits")
        box.setText(f"Your edits to {title} are not saved.")
        box.setInformativeText(
            "Save them as a new version first?"
            if can_save
            else "They cannot be saved as they are (see the marked fields)."
        )
        box.setDefaultButton(Button.Save if can_save else Button.Cancel)
        answer = box.exec()
        answers: dict[int, str] = {Button.Save: "save", Button.Discard: "discard"}
        return answers.get(answer, "cancel")

    def ask_new_workspace(self) -> tuple[Path, bool] | None:
        """Where to create a workspace, and whether to fill it with the samples; None: cancelled."""
        name, _ = QFileDialog.getSaveFileName(
            self,
            "New workspace",
            str(self._folder() / f"workspace{SUFFIX}"),
            f"SLA Modeler workspace (*{SUFFIX})",
            options=QFileDialog.Option.DontConfirmOverwrite,  # an existing file is refused
        )
        if not name:
            return None
        answer = QMessageBox.question(
            self,
            "New workspace",
            "Fill the new workspace with the sample contracts, scenarios and incident history?",
            QMessageBox.StandardButton.Yes
            | QMessageBox.StandardButton.No
            | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Cancel:
            return None
        return Path(name), answer == QMessageBox.StandardButton.Yes

    def _welcome(self) -> None:
        """On a first run, a short panel saying what each part of the window is for."""
        if self.settings.value("welcome/dismissed", False, type=bool):
            return
        dock = QDockWidget(WELCOME_TITLE, self)
        dock.setObjectName("welcomeDock")
        text = QLabel(WELCOME_TEXT)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        done = QPushButton("Got it")

        def dismiss() -> None:
            self.settings.setValue("welcome/dismissed", True)
            dock.close()

        done.clicked.connect(dismiss)
        body = QWidget()
        layout = QVBoxLayout(body)  # a narrow column: the text, then the button under it
        layout.addWidget(text)
        layout.addWidget(done, 0, Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)
        dock.setWidget(body)
        self.welcome = dock
        # under the workspace tree, where the samples leave room, so the editor keeps its height
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.splitDockWidget(self.workspace_dock, dock, Qt.Orientation.Vertical)

    # -- workspace -----------------------------------------------------------------------------

    @guarded("open the workspace")
    def open_workspace(self, path: str | Path | None) -> None:
        if self._is_open_for_writing(path):
            assert self.ws is not None  # _is_open_for_writing: a workspace is open
            self.statusBar().showMessage(f"{self.ws.path.name} is already open here")
            return
        self._show_workspace(open_workspace(path, author=self.author, readonly_if_locked=True))

    @guarded("create the workspace")
    def new_workspace(self) -> None:
        """Ctrl+N: a new workspace file where the user chooses, with the samples if asked."""
        if not self._may_discard():
            return
        asked = self.ask_new_workspace()
        if asked is None:
            return
        path, samples = asked
        if path.suffix != SUFFIX:
            path = path.with_name(path.name + SUFFIX)
        self._show_workspace(init_workspace(path, self.author, samples=samples))
        if not samples:
            self.statusBar().showMessage(f"Created {path}, empty")

    def open_recent(self, path: Path) -> None:
        if not path.exists():
            self.recent.remove(path)
            self.recent_menu.rebuild()
            self.errors.report(
                InputError(f"{path} no longer exists (moved or deleted); removed from Open Recent")
            )
            return
        if self._may_discard():
            self.open_workspace(path)

    def _recent_dropped(self, missing: list[Path]) -> None:
        names = ", ".join(str(p) for p in missing)
        self.statusBar().showMessage(f"Removed from Open Recent, no longer there: {names}")

    def reopen(self) -> None:
        """The banner's button: try again to open the read-only workspace for editing."""
        if self.ws is not None and self._may_discard():
            self.open_workspace(self.ws.path)

    def _is_open_for_writing(self, path: str | Path | None) -> bool:
        return (
            path is not None
            and self.ws is not None
            and not self.ws.readonly
            and Path(path).resolve() == self.ws.path.resolve()
        )

    def _folder(self) -> Path:
        return self.ws.path.parent if self.ws is not None else Path.home()

    def _show_workspace(self, opened: Opened) -> None:
        if self.ws is not None:
            self.ws.close()
        self.ws = opened.workspace
        self.locked_by = opened.locked_by
        self.settings.setValue("workspace/last", str(self.ws.path))
        self.recent.add(self.ws.path)
        self.recent_menu.rebuild()
        self._show_readonly()
        self._drop_editor()
        self.browser.load(self.ws)
        self.replay.set_workspace(self.ws)
        self.simulation.set_workspace(self.ws)
        self.timeline.set_workspace(self.ws)
        self.fit.set_workspace(self.ws)
        self.baseline.set_workspace(self.ws)
        self.portfolio.set_workspace(self.ws)
        self.sensitivity.set_workspace(self.ws)
        self.vendor.set_workspace(self.ws)
        if opened.seeded:
            self.statusBar().showMessage(f"Created {self.ws.path} with the sample contracts")
            self._welcome()
        versions = self.browser.items_of("version")
        if versions:
            self.browser.setCurrentItem(versions[-1])
            self.open_version(int(versions[-1].data(0, Qt.ItemDataRole.UserRole + 1)))
        self._update_title()
        self._update_actions()

    def _show_readonly(self) -> None:
        """The banner, while the workspace is read-only, saying who writes to it."""
        assert self.ws is not None
        self.readonly_bar.setVisible(self.ws.readonly)
        if not self.ws.readonly:
            return
        self.banner.setText(
            f"<b>Read-only.</b> {html.escape(self.ws.path.name)} is open for writing in another "
            f"process ({self.locked_by or 'pid unknown'}). You can look, replay and simulate; "
            "saving, approving and importing are off. Close it there, then press "
            "<i>Open for editing</i>."
        )

    def choose_workspace(self) -> None:
        if not self._may_discard():
            return
        path, _ = QFileDialog.getOpenFileName(
            self, "Open workspace", str(self._folder()), "SLA Modeler workspace (*.slamws)"
        )
        if path:
            self.open_workspace(path)

    def _export_run(self, run_id: int) -> None:
        if self.ws is not None:
            self.run_exporter.export(self.ws, run_id)

    def _open_run(self, run_id: int) -> None:
        if self.ws is not None:
            self.stored_runs.open(self.ws, run_id)

    def _rerun_run(self, run_id: int) -> None:
        if self.ws is not None:
            self.stored_runs.rerun(self.ws, run_id)

    def _show_stored_run(self, again: Recomputed) -> None:
        """A stored run, computed again, in the Replay or Simulation view."""
        if again.replayed is not None:
            self.replay.show_stored(again)
            self.tabs.setCurrentWidget(self.replay)
        elif self.simulation.show_stored(again):
            self.tabs.setCurrentWidget(self.simulation)
        else:
            self.statusBar().showMessage(
                f"A simulation is running: open run {again.run.id} again when it is done."
            )

    def _run_stored(self, run_id: int) -> None:
        """A replay or simulation made here was stored: the browser lists it under Runs."""
        if self.ws is not None:
            self.browser.load(self.ws)

    def _incident_set_chosen(self, key: str) -> None:
        self.replay.choose_incident_set(key)
        self.tabs.setCurrentWidget(self.replay)

    # -- incident files: File > Import incidents…, or dropped on the window -------------------

    @guarded("import incidents")
    def import_incidents(self, path: Path | None = None) -> None:
        if self.ws is None or self.ws.readonly:
            raise InputError("the workspace is open read-only: open it for editing to import")
        if not path:
            chosen, _ = QFileDialog.getOpenFileName(
                self, "Import incidents", str(self._folder()), FILE_FILTER
            )
            if not chosen:
                return
            path = Path(chosen)
        self.import_dialog = ImportDialog(self.ws, self.author, Path(path), self)
        self.import_dialog.imported.connect(self._incidents_imported)
        self.import_dialog.open()

    def _incidents_imported(self, key: str) -> None:
        self._workspace_changed()
        for view in (self.replay, self.timeline, self.fit):
            view.choose_incident_set(key)
        self.statusBar().showMessage(f"Imported incident set {key}")

    @guarded("add the fee file")
    def add_fee_set(self) -> None:
        self._set_added("fee_set", add_fee_file(self, self.ws, self.author, self._folder()))

    @guarded("add the ticket export")
    def add_ticket_set(self) -> None:
        self._set_added("ticket_set", add_ticket_export(self, self.ws, self.author, self._folder()))

    def _set_added(self, kind: str, key: str) -> None:
        """A fee or ticket set was added (``key``; '' when cancelled): shown and selected."""
        if key:
            self._workspace_changed(listed_now=True)
            self.browser.select(kind, key)
            self.statusBar().showMessage(f"Added {kind.replace('_', ' ')} {key}")

    def _workspace_changed(self, *, listed_now: bool = False) -> None:
        """An incident set or scenario was added: the browser and the views' choices show it.

        The views an import or a stored fit goes on to choose in are refilled at once; the
        browser (unless ``listed_now``: something is to be selected in it) and the other four
        views each in a later turn of the event loop of its own, so that the GUI thread serves
        events between them (all at once held it 60-80 ms after a large import; the browser and
        the four views it goes on to choose in, 50-100 ms with a core busy)."""
        assert self.ws is not None
        later: list[Callable[[Workspace], None]] = [self.browser.load]
        if listed_now:
            self.browser.load(self.ws)
            later.clear()
        for view in (self.replay, self.simulation, self.timeline, self.fit):
            view.set_workspace(self.ws)
        later += [
            v.set_workspace for v in (self.baseline, self.portfolio, self.sensitivity, self.vendor)
        ]
        self._refill_in_turns(self.ws, later)

    def _refill_in_turns(
        self, ws: Workspace, refills: Sequence[Callable[[Workspace], None]]
    ) -> None:
        """The first refill in a later turn of the event loop, then the rest, each in a turn of
        its own, for as long as ``ws`` is the workspace open."""

        def first() -> None:
            if self.ws is ws:
                refills[0](ws)
                self._refill_in_turns(ws, refills[1:])

        if refills:
            in_a_later_turn(self, first)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if incident_file_of(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = incident_file_of(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            self.import_incidents(path)

    # -- contract versions ---------------------------------------------------------------------

    @guarded("open the contract version")
    def open_version(self, version_id: int, force: bool = False) -> None:
        assert self.ws is not None
        if version_id == self.version_id and not force:
            self.tabs.setCurrentIndex(0)
            return
        if not force and not self._may_discard():
            return
        contract_row, version = self.ws.version_by_id(version_id)
        contract = self.ws.contract_of(version)
        document = ContractDocument(contract)
        ws = self.ws
        editor = ContractEditor(
            document,
            f"{contract_row.key}@{version.number}",
            ws.versions(contract_row.key),
            ws.contract_of,
            scenarios=(
                lambda: [row.key for row in ws.scenarios()],
                lambda key: ws.scenario_of(ws.scenario(key)),
            ),
        )
        self._drop_editor()
        self.editor, self.version_id, self.contract_key = editor, version_id, contract_row.key
        self.version = version
        self.undo_group.addStack(document.undo_stack)
        self.undo_group.setActiveStack(document.undo_stack)
        document.changed.connect(self._update_title)
        document.changed.connect(self._update_actions)
        document.changed.connect(self.simulation.contract_changed)
        document.changed.connect(self.replay.contract_changed)
        editor.previewed.connect(self.simulation.preview)
        editor.show_exposure(ExposurePreview(self.simulation))
        self.simulation.set_subject(contract_row.key, editor.title, version_id)
        self.replay.set_subject(contract_row.key, editor.title, version_id)
        self.browser.select("version", version_id)  # after a save, the new version
        restore_splitters(self.settings, editor)
        self.tabs.removeTab(0)
        self.tabs.insertTab(0, editor, "Contract")
        self.tabs.setCurrentIndex(0)
        self._update_title()
        self._update_actions()

    def _views(self) -> list[QWidget]:
        """The views whose pane layout is kept between sessions (the editor's too, if open)."""
        views = [self.replay, self.simulation, self.timeline, self.fit]
        return views if self.editor is None else [self.editor, *views]

    def _drop_editor(self) -> None:
        if self.editor is None:
            return
        save_splitters(self.settings, self.editor)
        self.undo_group.removeStack(self.editor.document.undo_stack)
        index = self.tabs.indexOf(self.editor)
        self.tabs.removeTab(index)
        self.tabs.insertTab(0, self.placeholder, "Contract")
        self.editor.deleteLater()
        self.editor, self.version_id = None, None

    def find_term(self) -> None:
        """Analysis > Find a term…: on the contract in the editor, edits included."""
        contract, ws = self.current_contract(), self.ws
        if contract is None or ws is None or self.editor is None:
            return
        self.finder_dialog = FinderDialog(
            contract,
            self.editor.title,
            [row.key for row in ws.scenarios()],
            lambda key: ws.scenario_of(ws.scenario(key)),
            self,
        )
        self.finder_dialog.show()

    def reconcile_dispute(self) -> None:
        """Analysis > Reconcile a dispute…: the contract in the editor on two stored sets."""
        contract, ws = self.current_contract(), self.ws
        if contract is None or ws is None or self.editor is None:
            return
        self.dispute_dialog = DisputeDialog(
            contract,
            self.editor.title,
            [row.key for row in ws.incident_sets()],
            lambda key: read_incident_set(ws, key),
            self,
        )
        self.dispute_dialog.show()

    def error_budget(self) -> None:
        """Analysis > Error budget…: on the contract in the editor, edits included."""
        contract, ws = self.current_contract(), self.ws
        if contract is None or ws is None or self.editor is None:
            return
        self.error_budget_dialog = ErrorBudgetDialog(
            contract,
            self.editor.title,
            [row.key for row in ws.scenarios()],
            lambda key: ws.scenario_of(ws.scenario(key)),
            [row.key for row in ws.incident_sets()],
            lambda key: read_incident_set(ws, key),
            self,
        )
        self.error_budget_dialog.show()

    def current_contract(self):  # -> Contract | None
        return self.editor.document.contract if self.editor else None

    def _may_discard(self) -> bool:
        """Before the editor's document is left: save it, discard it, or stay."""
        editor = self.editor
        if editor is None or not editor.document.dirty:
            return True
        can_save = self.save_action.isEnabled()
        answer = self.ask_unsaved(editor.title, can_save)
        if answer == "save" and can_save:
            self.save_version()  # asks for the reason; a cancel there keeps the edits
            return self.editor is not None and not self.editor.document.dirty
        return answer == "discard"

    @guarded("save the new version")
    def save_version(self) -> None:
        if self.editor is None or self.ws is None:
            return
        document = self.editor.document
        if document.contract is None:
            raise InputError(
                "the contract has problems (marked in the editor); fix them before saving:\n"
                + "\n".join(str(p) for p in document.problems)
            )
        reason = self.ask_text("Save as new version", "Why this change? (kept in the audit log)")
        if reason is None:
            return
        version, added = save_version(
            self.ws, self.contract_key, document.contract, self.author, reason, self.version
        )
        document.mark_saved()
        self.browser.load(self.ws)
        assert version.id is not None  # a stored version has its id
        self.open_version(version.id, force=True)
        self.statusBar().showMessage(
            f"Saved {self.contract_key}@{version.number}"
            if added
            else "No change from the version: nothing saved"
        )

    @guarded("approve the version")
    def approve_version(self) -> None:
        if self.editor is None or self.ws is None:
            return
        if self.editor.document.dirty:
            raise InputError("save your edits as a new version first; then approve that version")
        if self.editor.document.contract is None:
            raise InputError("a contract with problems cannot be approved; fix the marked terms")
        ref = f"{self.contract_key}@{self.version.number}"
        weakening = weakening_preview(self.ws, self.version)
        reason = self.ask_text(f"Approve {ref}", "Reason for approving (kept in the audit log):")
        if reason is None:
            return
        accept = False
        if weakening.changes:
            assert weakening.approved is not None  # only an approved version is weakened
            listed = "\n".join(f"• {c}" for c in weakening.changes)
            if not self.confirm(
                "Weakening changes",
                f"{ref} weakens the approved version {weakening.approved.number}:\n{listed}"
                "\n\nApprove anyway?",
            ):
                return
            accept = True
        approve(self.ws, ref, self.author, reason, accept_weakening=accept)
        self.browser.load(self.ws)
        assert self.version.id is not None  # a stored version has its id
        self.open_version(self.version.id, force=True)
        self.statusBar().showMessage(f"Approved {ref}")

    # -- title, state --------------------------------------------------------------------------

    def _update_title(self) -> None:
        where = self.ws.path.name if self.ws else "no workspace"
        if self.ws is not None and self.ws.readonly:
            where += " (read-only)"
        if self.editor is None:
            self.setWindowTitle(f"{APP_NAME} — {where}")
            self.setWindowModified(False)
            return
        self.setWindowTitle(f"{self.editor.title}[*] — {where} — {APP_NAME}")
        self.setWindowModified(self.editor.document.dirty)

    def _update_actions(self) -> None:
        editor = self.editor
        writable = self.ws is not None and not self.ws.readonly
        valid = writable and editor is not None and editor.document.valid
        edited = editor is not None and editor.document.dirty
        self.save_action.setEnabled(valid and edited)
        if editor is None:
            why = "Open a contract version to edit it"
        elif not writable:
            why = "The workspace is read-only: nothing can be saved to it"
        elif not editor.document.valid:
            why = "Fix the marked terms first: a version must be a valid contract"
        else:
            why = "Save the edits as a new version" if edited else "No edits to save"
        self.save_action.setToolTip(why)
        self.save_action.setStatusTip(why)
        approvable = (
            editor is not None and self.ws is not None and not can_approve(self.ws, self.version)
        )
        self.approve_action.setEnabled(valid and approvable and not edited)
        for action in self.writing_actions:
            action.setEnabled(writable)
        self.find_term_action.setEnabled(editor is not None and editor.document.valid)
        self.dispute_action.setEnabled(self.find_term_action.isEnabled())
        self.error_budget_action.setEnabled(self.find_term_action.isEnabled())
        self._update_export()

    def _export_results(self) -> None:
        self.results_exporter.export()
        self._update_export()  # off while the workbook is written

    def _update_export(self) -> None:
        """File > Export workbook… while there is a replay or a simulation to write."""
        self.export_action.setEnabled(self.results_exporter.available)
        self.report_action.setEnabled(self.compliance.available)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_discard():
            event.ignore()
            return
        self.simulation.stop()
        self.portfolio.cancel()
        self.vendor.cancel()
        self.sensitivity.stop()
        for worker in self.findChildren(Worker):  # the views' reads, replays, fits, exports
            worker.wait()
        for view in self._views():
            save_splitters(self.settings, view)
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()
        if self.ws is not None:
            self.ws.close()
            self.ws = None
        event.accept()


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    # instance() is typed QCoreApplication; the application made here is a QApplication
    app = cast("QApplication | None", QApplication.instance()) or QApplication(
        list(argv or sys.argv[:1])
    )
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("slamodeler")  # resources/slamodeler.desktop, for Wayland's icon
    app.setWindowIcon(app_icon())
    return app


def main(argv: Sequence[str] | None = None) -> int:
    app = create_application(argv)
    setup_logging()
    window = MainWindow()
    sys.excepthook = window.errors.excepthook
    window.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
