"""What a replay takes beside its incident set: a support ticket export (the tiers' response
targets) and fees of single months (tier,month,fee). Each is a file, chosen with a file dialog,
or a set stored in the workspace (a ticket set, a fee set), chosen in its drop-down
(input_choice.py), and remembered per workspace in the settings; × clears it. A ticket export is read
when chosen: a refused one is reported as a refused incident import is, and a line says how
many tickets it gave and which rows carry a note. The fees are checked against the contract
when the replay runs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from slamodeler.domain.errors import InputError, MissingColumnError
from slamodeler.domain.incidents import ImportReport
from slamodeler.gui.results.input_choice import fee_choice, ticket_choice
from slamodeler.gui.widgets.errors import ErrorReporter
from slamodeler.services.run_files import RunFiles, StoredTickets, read_tickets
from slamodeler.services.workspaces import Workspace

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


class ReplayInputs(QWidget):
    """The ticket export and fees of the next replay (``files()``)."""

    def __init__(self, errors: ErrorReporter, settings: QSettings | None = None):
        super().__init__()
        self.errors, self.settings = errors, settings
        self.tickets = ticket_choice()
        self.fees = fee_choice()
        self.note = QLabel("")
        self.note.setObjectName("ticketNote")
        self.tickets.changed.connect(self._tickets_changed)
        if settings is not None:
            self.tickets.remember_in(settings, "replay/tickets")
            self.fees.remember_in(settings, "replay/fees")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tickets)
        layout.addWidget(self.note)
        layout.addSpacing(20)
        layout.addWidget(self.fees)
        layout.addStretch(1)

    def set_workspace(self, ws: Workspace) -> None:
        """The workspace whose ticket and fee sets are offered, and the choices remembered
        for it made again."""
        self.tickets.set_workspace(ws)
        self.fees.set_workspace(ws)

    def files(self) -> RunFiles:
        return RunFiles(self.tickets.value(), self.fees.value())

    def _tickets_changed(self) -> None:
        chosen = self.tickets.value()
        if chosen is None:
            self.note.setText("")
            self.note.setToolTip("")
            return
        try:
            report = chosen.tickets.report if isinstance(chosen, StoredTickets) else _usable(chosen)
        except InputError as exc:
            self.tickets.set_path(None)  # not taken: the replay would refuse it
            self.errors.report(exc, "read the ticket export")
            return
        kept = sum(1 for issue in report.issues if issue.kept)
        self.note.setText(
            f"({report.used:,} ticket(s)" + (f", {kept} row(s) with a note)" if kept else ")")
        )
        self.note.setToolTip("\n".join(report.summary_lines()))
