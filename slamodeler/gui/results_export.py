"""File > Export workbook…: one exposure workbook of the results on view for the contract in the
editor, the replay and the simulation together, as `slamodeler export` writes them.

A workbook holds one contract's terms, so the two go together only when they were computed
under the same terms; when the contract was edited after the replay (the simulation follows
edits, the replay does not), the user chooses which one to write. Written off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from slamodeler.gui.errors import ErrorReporter
from slamodeler.gui.replay_view import ReplayView
from slamodeler.gui.run_export import as_workbook, ask_workbook_path
from slamodeler.gui.simulation_view import SimulationView
from slamodeler.gui.worker import Worker
from slamodeler.io.workbook import WorkbookReport
from slamodeler.services.export import save_workbook

BOTH_DIFFER = (
    "The replay and the simulation on view are of different terms: the contract was edited "
    "after the replay. A workbook holds one contract's terms."
)
BOTH_DIFFER_HINT = "Replay again to write both in one workbook, or write one of them now."


def ask_which(parent: QWidget) -> str:
    """ "simulation", "replay" or "" (cancelled), from a question naming both."""
    box = QMessageBox(QMessageBox.Icon.Question, "Export workbook", BOTH_DIFFER, parent=parent)
    box.setInformativeText(BOTH_DIFFER_HINT)
    simulation = box.addButton("Simulation only", QMessageBox.ButtonRole.AcceptRole)
    replay = box.addButton("Replay only", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(simulation)
    box.exec()
    return {simulation: "simulation", replay: "replay"}.get(box.clickedButton(), "")


class ResultsExporter(QObject):
    """``export()`` asks where and writes; ``available`` says whether there is anything to
    write; ``message(text)`` for the status bar, ``exported(path)`` once written."""

    message = Signal(str)
    exported = Signal(str)

    def __init__(
        self, parent: QWidget, replay: ReplayView, simulation: SimulationView, errors: ErrorReporter
    ):
        super().__init__(parent)
        self.replay_view, self.simulation_view, self.errors = replay, simulation, errors
        self.ask_path: Callable[[str], str] = lambda name: ask_workbook_path(parent, name)
        self.ask_which: Callable[[], str] = lambda: ask_which(parent)
        self.worker = Worker(self)
        self.worker.done.connect(self._written)
        self.worker.failed.connect(lambda exc: self.errors.report(exc, "export the workbook"))

    @property
    def available(self) -> bool:
        return not self.worker.running and (
            self.replay_view.exportable() is not None
            or self.simulation_view.exportable() is not None
        )

    def export(self) -> None:
        if not self.available:
            self.message.emit(
                "Nothing to export yet: replay the contract or run a simulation first."
            )
            return
        replayed, simulated = self.replay_view.exportable(), self.simulation_view.exportable()
        if (
            replayed is not None
            and simulated is not None
            and replayed.contract != simulated[0].contract
        ):
            choice = self.ask_which()
            if not choice:
                return
            replayed, simulated = (None, simulated) if choice == "simulation" else (replayed, None)
        name = "exposure.xlsx" if replayed is None else f"exposure-{replayed.incidents.name}.xlsx"
        path = self.ask_path(name)
        if not path:
            return
        path = as_workbook(path)
        label = self.replay_view.contract_label() if replayed is not None else None
        run, stats = simulated if simulated is not None else (None, None)
        what = " and ".join(
            part
            for part, shown in (("the replay", replayed), ("the simulation", simulated))
            if shown is not None
        )
        self.message.emit(f"Writing {what} to {path}…")
        self.worker.start(
            lambda: save_workbook(
                path, replay=replayed, simulation=run, exposures=stats, contract_label=label
            )
        )

    def _written(self, report: WorkbookReport) -> None:
        self.message.emit(f"Wrote {report.path}")
        self.exported.emit(str(report.path))
