"""The files a replay takes beside its incident set: a support ticket export (the tiers'
response targets) and a fee file (tier,month,fee). Each is chosen with a file dialog, cleared
with its × button and remembered in the settings for the next session. A ticket export is read
when chosen: a refused one is reported as a refused incident import is, and a line says how
many tickets it gave and which rows carry a note. The fee file is checked against the contract
when the replay runs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QToolButton, QWidget

from slamodeler.domain.errors import InputError, MissingColumnError
from slamodeler.domain.incidents import ImportReport
from slamodeler.gui.widgets.errors import ErrorReporter
from slamodeler.services.run_files import RunFiles, read_tickets

TICKET_FILTER = "Ticket exports (*.csv *.tsv *.txt *.xlsx *.xlsm)"
FEE_FILTER = "Fee files (*.csv)"
NONE = "none"
TICKET_COLUMNS = ("ticket", "priority", "opened", "first_response")


def _usable(path: Path) -> ImportReport:
    """The import report of a ticket export the replay takes, or why it would refuse it,
    in words for this window (the import's own speak of mapping files and options)."""
    try:
        report = read_tickets(path, skip_bad_rows=True).report
    except MissingColumnError as exc:
        raise InputError(
            f"{path.name} has no {' or '.join(exc.fields)} column: name the export's columns "
            f"{', '.join(TICKET_COLUMNS)} and choose it again. Its header: {', '.join(exc.header)}"
        ) from exc
    if report.rejected:
        raise InputError(
            "\n".join(
                [*report.summary_lines(), "Fix those rows in the export and choose it again."]
            )
        )
    return report


class FileChoice(QWidget):
    """One optional file: its name (the full path in the tip), Choose… and ×. ``changed``
    when it is chosen or cleared."""

    changed = Signal()

    def __init__(self, label: str, name: str, title: str, file_filter: str):
        super().__init__()
        self.title, self.file_filter = title, file_filter
        self.path: Path | None = None
        self.shown = QLabel(NONE)
        self.shown.setObjectName(f"{name}File")
        self.choose_button = QToolButton()
        self.choose_button.setText("Choose…")
        self.choose_button.setObjectName(f"choose{name.capitalize()}")
        self.choose_button.setToolTip(f"Choose the {title.lower()} replayed with the incidents")
        self.clear_button = QToolButton()
        self.clear_button.setText("×")
        self.clear_button.setObjectName(f"clear{name.capitalize()}")
        self.clear_button.setToolTip(f"Replay without a {title.lower()}")
        self.clear_button.setEnabled(False)
        self.choose_button.clicked.connect(self.choose)
        self.clear_button.clicked.connect(lambda: self.set_path(None))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(label))
        layout.addWidget(self.shown)
        layout.addWidget(self.choose_button)
        layout.addWidget(self.clear_button)

    def choose(self) -> None:
        start = str(self.path.parent) if self.path else ""
        chosen, _ = QFileDialog.getOpenFileName(self, self.title, start, self.file_filter)
        if chosen:
            self.set_path(Path(chosen))

    def set_path(self, path: Path | None) -> None:
        self.path = path
        self.shown.setText(path.name if path else NONE)
        self.shown.setToolTip(str(path) if path else "")
        self.clear_button.setEnabled(path is not None)
        self.changed.emit()


class ReplayInputs(QWidget):
    """The ticket export and fee file of the next replay (``files()``)."""

    def __init__(self, errors: ErrorReporter, settings: QSettings | None = None):
        super().__init__()
        self.errors, self.settings = errors, settings
        self.tickets = FileChoice("Tickets", "tickets", "Support ticket export", TICKET_FILTER)
        self.fees = FileChoice("Fees", "fees", "Fee file", FEE_FILTER)
        self.note = QLabel("")
        self.note.setObjectName("ticketNote")
        self.tickets.changed.connect(self._tickets_changed)
        self.fees.changed.connect(lambda: self._remember("fees", self.fees.path))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tickets)
        layout.addWidget(self.note)
        layout.addSpacing(20)
        layout.addWidget(self.fees)
        layout.addStretch(1)
        self._restore()

    def files(self) -> RunFiles:
        return RunFiles(self.tickets.path, self.fees.path)

    def _tickets_changed(self) -> None:
        path = self.tickets.path
        self._remember("tickets", path)
        if path is None:
            self.note.setText("")
            self.note.setToolTip("")
            return
        try:
            report = _usable(path)
        except InputError as exc:
            self.tickets.set_path(None)  # not taken: the replay would refuse it
            self.errors.report(exc, "read the ticket export")
            return
        kept = sum(1 for issue in report.issues if issue.kept)
        self.note.setText(
            f"({report.used:,} ticket(s)" + (f", {kept} row(s) with a note)" if kept else ")")
        )
        self.note.setToolTip("\n".join(report.summary_lines()))

    def _remember(self, name: str, path: Path | None) -> None:
        if self.settings is not None:
            self.settings.setValue(f"replay/{name}", str(path) if path else "")

    def _restore(self) -> None:
        """The files chosen in the last session, where they still are."""
        if self.settings is None:
            return
        for name, choice in (("tickets", self.tickets), ("fees", self.fees)):
            kept = str(self.settings.value(f"replay/{name}", "") or "")
            if kept and Path(kept).is_file():
                choice.set_path(Path(kept))
