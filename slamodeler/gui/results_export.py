"""File > Export workbook…: one exposure workbook of the results on view for the contract in the
editor, the replay and the simulation together, as `slamodeler export` writes them.

A workbook holds one contract's terms, so the two go together only when they were computed
under the same terms. When they were not (the simulation follows credit edits and the replay
does not, while an edit of how periods are measured waits for a new run), the user chooses which
one to write, told which to compute again to have both. Written off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from slamodeler.domain.contract import Contract
from slamodeler.gui.errors import ErrorReporter
from slamodeler.gui.replay_view import ReplayView
from slamodeler.gui.run_export import as_workbook, ask_workbook_path
from slamodeler.gui.simulation_view import SimulationView
from slamodeler.gui.worker import Worker
from slamodeler.io.workbook import WorkbookReport
from slamodeler.services.export import save_workbook

BOTH_DIFFER = (
    "The replay and the simulation on view were computed under different terms, and a workbook "
    "holds one contract's terms."
)
AGAIN = {
    "replay": "Replay again to write both in one workbook, or write one of them now.",
    "simulation": "Run the simulation again to write both in one workbook, or write one of them "
    "now.",
    "both": "Replay and run the simulation again to write both in one workbook, or write one "
    "of them now.",
}


def ask_which(parent: QWidget, again: str) -> str:
    """ "simulation", "replay" or "" (cancelled), from a question naming both; ``again`` says
    which of them no longer has the terms in the editor ("replay", "simulation" or "both")."""
    box = QMessageBox(QMessageBox.Icon.Question, "Export workbook", BOTH_DIFFER, parent=parent)
    box.setInformativeText(AGAIN[again])
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
        self.ask_which: Callable[[str], str] = lambda again: ask_which(parent, again)
        self.worker = Worker(self)
        self.worker.done.connect(self._written)
        self.worker.failed.connect(self._failed)

    @property
    def available(self) -> bool:
        return not self.worker.running and (
            self.replay_view.exportable() is not None
            or self.simulation_view.exportable() is not None
        )

    def unavailable(self) -> str:
        """Why there is nothing to write now."""
        if self.worker.running:
            return "A workbook is being written; export again when it is done."
        if self.replay_view.worker.running:
            return "Replaying; export when the replay is done."
        return "Nothing to export yet: replay the contract or run a simulation first."

    def export(self) -> None:
        if not self.available:
            self.message.emit(self.unavailable())
            return
        replayed, simulated = self.replay_view.exportable(), self.simulation_view.exportable()
        if (
            replayed is not None
            and simulated is not None
            and replayed.contract != simulated[0].contract
        ):
            choice = self.ask_which(self._behind(replayed.contract, simulated[0].contract))
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

    def _behind(self, replayed: Contract, simulated: Contract) -> str:
        """Which result no longer has the terms in the editor."""
        editor = self.replay_view.contract()
        stale = [n for n, t in (("replay", replayed), ("simulation", simulated)) if t != editor]
        return stale[0] if len(stale) == 1 else "both"

    def _written(self, report: WorkbookReport) -> None:
        self.message.emit(f"Wrote {report.path}")
        self.exported.emit(str(report.path))

    def _failed(self, exc: BaseException) -> None:
        self.message.emit("The workbook was not written.")
        self.errors.report(exc, "export the workbook")
