"""The exposure workbook of the results on view, for File > Export workbook… (the replay and the
simulation together, as `slamodeler export` writes them) and for each view's own Export button
(that view's result alone). Written off the GUI thread.

A workbook holds one contract's terms: the terms the result was computed under. When the user
has edited the contract since (the simulation follows credit edits, the replay does not, and an
edit of how periods are measured waits for a new run), the workbook would not show the terms on
screen, so the user is asked first: compute the stale result again and then export (the default),
write it as computed, or cancel; with a replay and a simulation of different terms, which one to
write.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from slamodeler.gui.results.replay_view import ReplayView
from slamodeler.gui.results.simulation_view import SimulationView
from slamodeler.gui.widgets.errors import ErrorReporter
from slamodeler.gui.widgets.worker import Worker
from slamodeler.gui.workspace.run_export import as_workbook, ask_workbook_path
from slamodeler.services.exact_session import ExactRun
from slamodeler.services.export import WorkbookReport, save_workbook
from slamodeler.services.replay import ReplayRun
from slamodeler.services.simulation_session import Exposure, SimulationRun

BOTH_DIFFER = (
    "The replay and the simulation on view were computed under different terms, and a workbook "
    "holds one contract's terms."
)
RUN_AGAIN = {
    ("replay",): "Replay again, then export",
    ("simulation",): "Simulate again, then export",
    ("replay", "simulation"): "Replay and simulate again, then export",
}


def stale_text(stale: tuple[str, ...]) -> str:
    """The question's first line: which results are behind the editor."""
    what = " and the ".join(stale)
    return (
        f"The {what} on view {'was' if len(stale) == 1 else 'were'} computed before your latest "
        "edits: a workbook now would show the terms as they were then, not as in the editor."
    )


def ask_which(parent: QWidget, stale: tuple[str, ...], differ: bool) -> str:
    """What to write: "again" (compute the ``stale`` results again first), "both", "replay",
    "simulation", or "" (cancelled). ``differ``: a replay and a simulation of different terms
    are both on view, so only one of them can be written as computed."""
    text = stale_text(stale) if stale else BOTH_DIFFER
    box = QMessageBox(QMessageBox.Icon.Question, "Export workbook", text, parent=parent)
    buttons: dict[object, str] = {}
    first = None
    if stale:
        first = box.addButton(RUN_AGAIN[stale], QMessageBox.ButtonRole.AcceptRole)
        buttons[first] = "again"
    if differ:
        box.setInformativeText((BOTH_DIFFER + " " if stale else "") + "Or write one of them now.")
        buttons[box.addButton("Simulation only", QMessageBox.ButtonRole.AcceptRole)] = "simulation"
        buttons[box.addButton("Replay only", QMessageBox.ButtonRole.AcceptRole)] = "replay"
    else:
        buttons[box.addButton("Export as computed", QMessageBox.ButtonRole.AcceptRole)] = "both"
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(first or next(b for b in buttons if isinstance(b, QPushButton)))
    box.exec()
    return buttons.get(box.clickedButton(), "")


class ResultsExporter(QObject):
    """``export(only)`` asks where and writes; ``available`` says whether there is anything to
    write; ``message(text)`` for the status bar, ``exported(path)`` once written."""

    message = Signal(str)
    exported = Signal(str)

    def __init__(
        self, parent: QWidget, replay: ReplayView, simulation: SimulationView, errors: ErrorReporter
    ):
        super().__init__(parent)
        self.replay_view, self.simulation_view, self.errors = replay, simulation, errors
        self.ask_path: Callable[[str], str] = lambda name: ask_workbook_path(parent, name)
        self.ask_which: Callable[[tuple[str, ...], bool], str] = lambda stale, differ: ask_which(
            parent, stale, differ
        )
        self.worker = Worker(self)
        self.worker.done.connect(self._written)
        self.worker.failed.connect(self._failed)
        self._waiting: set[str] = set()  # results computed again before an export
        self._then: str | None = None  # ... and which export follows them
        replay.finished.connect(lambda: self._computed("replay"))
        simulation.finished.connect(lambda: self._computed("simulation"))

    @property
    def available(self) -> bool:
        return not self.worker.running and (
            self.replay_view.exportable() is not None
            or self.simulation_view.exportable() is not None
            or self.simulation_view.computed_exportable() is not None
        )

    def unavailable(self) -> str:
        """Why there is nothing to write now."""
        if self.worker.running:
            return "A workbook is being written; export again when it is done."
        if self.replay_view.worker.running:
            return "Replaying; export when the replay is done."
        return "Nothing to export yet: replay the contract or run a simulation first."

    def export(self, only: str = "", again: bool = False) -> None:
        """Write the results on view (``only``: "replay" or "simulation", that one alone);
        ``again``: after computing them again at the user's word."""
        if not self.available:
            self.message.emit(self.unavailable())
            return
        computed_run = self.simulation_view.computed_exportable() if only != "replay" else None
        if computed_run is not None and (
            only == "simulation" or self.replay_view.exportable() is None
        ):
            self._write_computed(computed_run)
            return
        replayed = self.replay_view.exportable() if only != "simulation" else None
        simulated = self.simulation_view.exportable() if only != "replay" else None
        if replayed is None and simulated is None:
            self.message.emit(f"Nothing to export yet: {'replay' if only == 'replay' else 'run'}.")
            return
        computed = {
            name: contract
            for name, contract in (
                ("replay", replayed.contract if replayed else None),
                ("simulation", simulated[0].contract if simulated else None),
            )
            if contract is not None
        }
        editor = self.replay_view.contract()  # None while the edits have problems
        stale = tuple(n for n, c in computed.items() if editor is not None and c != editor)
        differ = len(computed) == 2 and computed["replay"] != computed["simulation"]
        if stale and again:  # computed again, and still behind: failed, cancelled, edited
            self.message.emit(
                f"The {' and the '.join(stale)} did not finish with the terms in the editor; "
                "nothing was exported."
            )
            return
        if stale or differ:
            choice = self.ask_which(stale, differ)
            if not choice:
                return
            if choice == "again":
                self._again(stale, only)
                return
            if choice == "simulation":
                replayed = None
            elif choice == "replay":
                simulated = None
        self._write(replayed, simulated)

    def _again(self, stale: tuple[str, ...], only: str) -> None:
        """Compute the stale results again with the terms in the editor; the export follows."""
        views: dict[str, ReplayView | SimulationView] = {
            "replay": self.replay_view,
            "simulation": self.simulation_view,
        }
        self._waiting, self._then = set(stale), only
        for name in stale:
            views[name].run()
            if not views[name].worker.running:  # refused (and said why)
                self._waiting, self._then = set(), None
                return
        self.message.emit("Computing again with the terms in the editor; the export follows.")

    def _computed(self, name: str) -> None:
        if name not in self._waiting:
            return
        self._waiting.discard(name)
        if not self._waiting and self._then is not None:
            only, self._then = self._then, None
            self.export(only, again=True)

    def _write(
        self, replayed: ReplayRun | None, simulated: tuple[SimulationRun, list[Exposure]] | None
    ) -> None:
        name = "exposure.xlsx" if replayed is None else f"exposure-{replayed.incidents.name}.xlsx"
        path = self.ask_path(name)
        if not path:
            return
        path = as_workbook(path)
        label = self.replay_view.contract_label() if replayed is not None else None
        run, stats = simulated if simulated is not None else (None, None)
        fees = self.simulation_view.fees.result_for(run)  # solved in the Fees and margins tab
        what = " and ".join(
            part
            for part, shown in (("the replay", replayed), ("the simulation", simulated))
            if shown is not None
        )
        self.message.emit(f"Writing {what} to {path}…")
        self.worker.start(
            lambda: save_workbook(
                path,
                replay=replayed,
                simulation=run,
                exposures=stats,
                contract_label=label,
                profitability=fees,
            )
        )

    def _write_computed(self, computed: ExactRun) -> None:
        """The workbook of an exact result: its figures computed, not sampled."""
        path = self.ask_path("exposure-exact.xlsx")
        if not path:
            return
        path = as_workbook(path)
        self.message.emit(f"Writing the exact method's figures to {path}…")
        self.worker.start(lambda: save_workbook(path, exact=computed))

    def _written(self, report: WorkbookReport) -> None:
        self.message.emit(f"Wrote {report.path}")
        self.exported.emit(str(report.path))

    def _failed(self, exc: BaseException) -> None:
        self.message.emit("The workbook was not written.")
        self.errors.report(exc, "export the workbook")
