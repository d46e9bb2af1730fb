"""Import an incident export (CSV, XLSX) into the workspace through a column mapping: the file's
first rows (in the text encoding detected or chosen), a drop-down per field pre-filled with the
column the import would take, and, as the mapping changes, how many rows are usable, why the
others are not, and the notes on the rows used. The file is read off the GUI thread; storing it
is the use case behind `slamodeler ws import-incidents`."""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import available_timezones

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from slamodeler.domain.errors import InputError, MissingColumnError, UndecodableTextError
from slamodeler.domain.import_mapping import AUTO_ENCODING, ENCODINGS, FIELDS, ColumnMapping
from slamodeler.domain.incidents import IMPACT_LABELS, IncidentSet, RowIssue
from slamodeler.gui.widgets.errors import ErrorReporter
from slamodeler.gui.widgets.table_copy import install_copy
from slamodeler.gui.widgets.table_sizing import sized_once
from slamodeler.gui.widgets.worker import Worker
from slamodeler.services.incident_preview import (
    IncidentPreview,
    preview_incident_file,
    read_mapping,
)
from slamodeler.services.incident_sets import store_incidents
from slamodeler.services.replay import load_incident_file
from slamodeler.services.versions import key_from
from slamodeler.services.workspaces import SAMPLES, Workspace

SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
FILE_FILTER = "Incident exports (*.csv *.tsv *.txt *.xlsx *.xlsm)"
NOT_MAPPED = "(not in the file)"
NO_ZONE = "(times carry their offset)"
NO_DEFAULT = "(none: rows need an impact)"
LABELS = {
    "start": "Start *",
    "end": "End **",
    "duration_minutes": "Duration (minutes) **",
    "impact": "Impact ***",
    "cause": "Cause",
    "service": "Service",
    "region": "Region",
    "id": "Incident id",
    "title": "Title",
    "zone": "Availability zone",
}
REQUIRED_NOTE = (
    "* required; ** an end or a duration; *** an impact column or a default impact. "
    "The other fields are optional."
)
PROBLEM_COLUMNS = ["Row", "Column", "Problem", "Fix"]
NOTE_COLUMNS = ["Row", "Column", "What the import did"]
AUTO_DETECT = "Auto-detect"
LISTED = 500  # rows that cannot be used, listed: enough to see what to fix, quick to show


def incident_file_of(mime: QMimeData) -> Path | None:
    """The local CSV/XLSX file dragged in, if that is what it is."""
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        path = Path(url.toLocalFile()) if url.isLocalFile() else None
        if path is not None and path.suffix.lower() in SUFFIXES:
            return path
    return None


def fix_for(field: str, reason: str) -> str:
    """What the user can do about a row, in this dialog's terms."""
    if "no zone or offset" in reason:
        return "Choose the time zone the file's times are in."
    if "impact is empty" in reason:
        return "Choose a default impact, or fill in the impact."
    if "unknown impact label" in reason:
        known = re.search(r"\(known: (.*)\)", reason)
        return (
            "Correct the cell, or load a mapping file that translates the label "
            f"(impact_labels){f'; known: {known.group(1)}' if known else ''}."
        )
    if "no end and no duration" in reason:
        return "Choose the end or duration column, or fill in the end."
    if "cells where the header has" in reason:
        return "Quote the cell that holds the separator in the file, or add the missing header."
    return (
        f"Correct the {LABELS[field].rstrip(' *').lower()} in the file, or choose another column."
    )


def refusal_for(exc: BaseException) -> str:
    """Why the file cannot be imported as mapped, pointing to this dialog's own controls
    (the import's message speaks of mapping files and command-line options)."""
    if isinstance(exc, MissingColumnError):
        names = " or ".join(LABELS[f].rstrip(" *") for f in exc.fields)
        which = "the Start column" if exc.fields == ("start",) else f"the {names} column"
        return (
            f"No column is chosen for {names}: choose {which} in the drop-down under Columns "
            "(the file's headers are listed there)."
        )
    if isinstance(exc, UndecodableTextError):
        return (
            f"{exc.problem}. Choose the encoding the file was saved in from the Encoding "
            "drop-down, or save it again as 'CSV UTF-8'."
        )
    return str(exc) if isinstance(exc, InputError) else f"Cannot read: {exc}"


def row_table(name: str, columns: list[str]) -> QTableWidget:
    """A read-only list of rows of the file (those unusable, or used with a note)."""
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    install_copy(table)
    return table


def fill(table: QTableWidget, rows: list[list[str]]) -> None:
    with sized_once(table):
        table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                table.setItem(r, c, QTableWidgetItem(text))


class ImportDialog(QDialog):
    """``imported(key)`` after the incident set is stored."""

    imported = Signal(str)
    checked = Signal()  # the usable rows were counted again (or the file was refused)

    def __init__(
        self, ws: Workspace, author: str, path: Path | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import incidents")
        self.resize(1000, 720)
        self.ws, self.author = ws, author
        self.errors = ErrorReporter(self)
        self.path: Path | None = None
        self.preview: IncidentPreview | None = None
        self.base = ColumnMapping()  # impact/cause labels and sheet of a loaded mapping file
        self.existing = {row.key for row in ws.incident_sets()}
        self.incidents: IncidentSet | None = None  # the rows of the last check
        self._recheck = False
        self._reread = False  # another file (or mapping file) was chosen while one was read
        self._keep_choices = False  # the same file read again in another encoding
        self.reader = Worker(self)
        self.reader.done.connect(self._previewed)
        self.reader.failed.connect(self._unreadable)
        self.checker = Worker(self)
        self.checker.done.connect(self._checked)
        self.checker.failed.connect(self._check_failed)
        self.storer = Worker(self)
        self.storer.done.connect(self._stored)
        self.storer.failed.connect(self._store_failed)

        self.file = QLineEdit()
        self.file.setObjectName("importFile")
        self.file.setReadOnly(True)
        self.file.setPlaceholderText("Choose a CSV or XLSX export, or drop one on the window")
        choose_file = QPushButton("Choose file…")
        choose_file.setObjectName("chooseImportFile")
        choose_file.clicked.connect(self.choose_file)
        load = QPushButton("Load mapping file…")
        load.setObjectName("loadMapping")
        load.setToolTip("A column mapping (YAML), such as those in sample_contracts/mappings")
        load.clicked.connect(self.choose_mapping)
        self.encoding = QComboBox()
        self.encoding.setObjectName("importEncoding")
        self.encoding.addItem(AUTO_DETECT, AUTO_ENCODING)
        for name, label in ENCODINGS.items():
            self.encoding.addItem(label, name)
        self.encoding.setToolTip(
            "The text encoding of a CSV file: detected from a byte-order mark, else UTF-8, "
            "else Windows-1252 (Excel's 'CSV (Comma delimited)'). Choose another if the "
            "preview shows wrong characters."
        )
        self.encoding.activated.connect(lambda *_: self._reread_file())
        self.encoding.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self.table = QTableWidget(0, 0)
        self.table.setObjectName("importPreview")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        install_copy(self.table)

        self.combos: dict[str, QComboBox] = {}
        form = QFormLayout()
        for field in FIELDS:
            combo = QComboBox()
            combo.setObjectName(f"column_{field}")
            combo.currentIndexChanged.connect(lambda *_: self.check())
            self.combos[field] = combo
            form.addRow(LABELS[field], combo)
        self.zone = QComboBox()
        self.zone.setObjectName("importTimezone")
        self.zone.setEditable(True)
        self.zone.addItems([NO_ZONE, *sorted(available_timezones())])
        self.zone.setToolTip("The zone of times written without an offset (an IANA name)")
        self.zone.activated.connect(lambda *_: self.check())
        zone_text = self.zone.lineEdit()
        assert zone_text is not None  # an editable combo box has a line edit
        zone_text.editingFinished.connect(self.check)
        form.addRow("Time zone", self.zone)
        self.default_impact = QComboBox()
        self.default_impact.setObjectName("defaultImpact")
        self.default_impact.addItems([NO_DEFAULT, *IMPACT_LABELS])
        self.default_impact.currentIndexChanged.connect(lambda *_: self.check())
        form.addRow("Default impact", self.default_impact)
        note = QLabel(REQUIRED_NOTE)
        note.setWordWrap(True)
        form.addRow(note)
        mapping = QGroupBox("Columns")
        mapping.setLayout(form)

        self.status = QLabel("Choose a file.")
        self.status.setObjectName("importStatus")
        self.status.setWordWrap(True)
        self.problems = row_table("importProblems", PROBLEM_COLUMNS)
        self.noted = row_table("importNotes", NOTE_COLUMNS)
        self.rows_tabs = QTabWidget()
        self.rows_tabs.setObjectName("importRows")
        self.rows_tabs.addTab(self.problems, "")
        self.rows_tabs.addTab(self.noted, "")
        self._count_tabs(0, 0)

        self.name = QLineEdit()
        self.name.setObjectName("incidentSetName")
        self.name.textChanged.connect(self._update_button)
        self.import_button = QPushButton("Import")
        self.import_button.setObjectName("importIncidents")
        self.import_button.setDefault(True)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.store)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(QLabel("File"))
        top.addWidget(self.file, 1)
        top.addWidget(choose_file)
        top.addWidget(load)
        top.addWidget(QLabel("Encoding"))
        top.addWidget(self.encoding)
        middle = QSplitter(Qt.Orientation.Horizontal)
        middle.addWidget(self.table)
        middle.addWidget(mapping)
        middle.setSizes([640, 360])
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.status)
        lower_layout.addWidget(self.rows_tabs, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(middle)
        split.addWidget(lower)
        split.setSizes([420, 260])
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel("Incident set name"))
        bottom.addWidget(self.name, 1)
        bottom.addWidget(self.import_button)
        bottom.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        if path is not None:
            self.set_file(path)

    # -- the file --------------------------------------------------------------------------

    def choose_file(self) -> None:
        start = str(self.path.parent) if self.path else str(SAMPLES if SAMPLES.is_dir() else "")
        chosen, _ = QFileDialog.getOpenFileName(self, "Import incidents", start, FILE_FILTER)
        if chosen:
            self.set_file(Path(chosen))

    def choose_mapping(self) -> None:
        folder = SAMPLES / "mappings"
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Column mapping", str(folder if folder.is_dir() else ""), "Mapping (*.yaml *.yml)"
        )
        if chosen:
            self.use_mapping(Path(chosen))

    def use_mapping(self, path: Path) -> None:
        """Take a mapping file's columns, zone and default impact into the drop-downs; its
        impact and cause labels (and sheet) apply to the import."""
        try:
            self.base = read_mapping(path)
        except InputError as exc:
            self.errors.report(exc, "load the mapping")
            return
        self.encoding.setCurrentIndex(max(0, self.encoding.findData(self.base.encoding)))
        if self.path is not None:
            self.set_file(self.path)

    def set_file(self, path: Path, keep_choices: bool = False) -> None:
        """Read the file's first rows off the GUI thread (the one chosen last, if the user
        chooses again while a read runs). ``keep_choices``: the columns, zone and default
        impact on screen stay (where the header still has them) instead of the guessed ones."""
        self._keep_choices = keep_choices
        self.path = Path(path)
        self.file.setText(str(self.path))
        self.status.setText(f"Reading {self.path.name}…")
        self.import_button.setEnabled(False)
        if self.reader.running:
            self._reread = True
            return
        self._reread = False
        path, mapping = self.path, self.base.model_copy(update={"encoding": self._encoding()})
        self.reader.start(lambda: preview_incident_file(path, mapping))

    def _encoding(self) -> str:
        return str(self.encoding.currentData())

    def _reread_file(self) -> None:
        """Another encoding was chosen: the preview (and the check) read the file with it;
        the columns chosen so far stay."""
        if self.path is not None:
            self.set_file(self.path, keep_choices=self.preview is not None)

    def _show_encoding(self, preview: IncidentPreview | None) -> None:
        """The first entry names the encoding detected (none for a workbook)."""
        found = preview.encoding if preview is not None else None
        detected = found.label if found is not None and found.detected else None
        self.encoding.setItemText(0, f"Auto-detected: {detected}" if detected else AUTO_DETECT)
        workbook = self.path is not None and self.path.suffix.lower() in (".xlsx", ".xlsm")
        self.encoding.setEnabled(not workbook)

    def _read_again(self) -> bool:
        if self._reread and self.path is not None:
            self.set_file(self.path, self._keep_choices)
            return True
        return False

    def _unreadable(self, exc: BaseException) -> None:
        if self._read_again():
            return
        self.preview = None
        self.table.clear()
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        self._show_encoding(None)
        self._show_refusal(exc)

    def _previewed(self, preview: IncidentPreview) -> None:
        if self._read_again():
            return
        if self.preview is None or self.preview.path != preview.path:
            self.name.setText(self._free_name(key_from(preview.path)))
        self.preview = preview
        self._show_encoding(preview)
        header = preview.header
        width = max([len(header), *(len(v) for _, v in preview.rows)], default=0)
        self.table.clear()
        self.table.setColumnCount(width)
        self.table.setHorizontalHeaderLabels(header + [""] * (width - len(header)))
        self.table.setRowCount(len(preview.rows))
        self.table.setVerticalHeaderLabels([str(n) for n, _ in preview.rows])
        for r, (_, values) in enumerate(preview.rows):
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        self.table.resizeColumnsToContents()
        choices = [NOT_MAPPED, *[h for h in dict.fromkeys(header) if h]]
        for field, combo in self.combos.items():
            shown = combo.currentText() if self._keep_choices else None
            wanted = shown if shown in choices else preview.guessed.get(field, NOT_MAPPED)
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(choices)
            combo.setCurrentIndex(max(0, combo.findText(wanted)))
            combo.blockSignals(False)
        if not self._keep_choices:
            self.zone.setCurrentText(self.base.timezone or NO_ZONE)
            default = self.base.default_impact
            self.default_impact.setCurrentText(default if isinstance(default, str) else NO_DEFAULT)
        self.check()

    def _free_name(self, key: str) -> str:
        name, n = key, 1
        while name in self.existing:
            n += 1
            name = f"{key}-{n}"
        return name

    # -- the mapping and the rows it makes usable ----------------------------------------------

    def mapping(self) -> ColumnMapping:
        # "" for a field left out, so the import does not fall back on its usual headers
        columns = {
            f: c.currentText() if c.currentIndex() > 0 else "" for f, c in self.combos.items()
        }
        default = self.default_impact.currentText()
        return self.base.model_copy(
            update={
                "columns": columns,
                "timezone": None,
                "default_impact": None if default == NO_DEFAULT else default,
                "encoding": self._encoding(),
            }
        )

    def timezone(self) -> str | None:
        zone = self.zone.currentText().strip()
        if not zone or zone == NO_ZONE:
            return None
        if zone not in available_timezones():
            raise InputError(
                f"time zone {zone!r} is unknown: pick an IANA name from the list "
                "(UTC, Europe/London, America/New_York...)"
            )
        return zone

    def check(self) -> None:
        """Count the usable rows for the mapping as it is now (again when it has changed by
        the time the count ends)."""
        if self.preview is None:
            return
        if self.checker.running:
            self._recheck = True
            return
        self._recheck = False
        self.incidents = None
        self.import_button.setEnabled(False)
        try:
            mapping, zone = self.mapping(), self.timezone()
        except InputError as exc:
            self._show_refusal(exc)
            self.checked.emit()
            return
        path = self.preview.path
        self.status.setText("Checking the rows…")
        self.checker.start(lambda: load_incident_file(path, mapping, zone, skip_bad_rows=True))

    def _again(self) -> bool:
        if self._recheck:
            self.check()
            return True
        return False

    def _show_refusal(self, exc: BaseException) -> None:
        self.incidents = None
        self.problems.setRowCount(0)
        self.noted.setRowCount(0)
        self._count_tabs(0, 0)
        self.status.setText(refusal_for(exc))
        self._update_button()

    def _count_tabs(self, rejected: int, noted: int) -> None:
        self.rows_tabs.setTabText(0, f"Cannot be used ({rejected:,})")
        self.rows_tabs.setTabText(1, f"Used with a note ({noted:,})")

    def _check_failed(self, exc: BaseException) -> None:
        if not self._again():
            self._show_refusal(exc)
            self.checked.emit()

    def _checked(self, incidents: IncidentSet) -> None:
        if self._again():
            return
        report = incidents.report
        self.incidents = incidents
        rejected = report.rejected
        fields = {header: field for field, header in self.mapping().columns.items() if header}
        notes = report.notes
        fill(self.problems, [self._problem_cells(issue, fields) for issue in rejected[:LISTED]])
        fill(self.noted, [[str(x.row), x.column, x.reason] for x in notes[:LISTED]])
        self._count_tabs(len(rejected), len(notes))
        if rejected or notes:
            self.rows_tabs.setCurrentWidget(self.problems if rejected else self.noted)
        text = f"{report.used:,} of {report.rows_read:,} row(s) usable."
        if rejected and not report.used:
            text += " No row can be used yet: see what to fix below."
        elif rejected:
            text += (
                f" The {len(rejected):,} row(s) listed below cannot be used; Import leaves them "
                "out (the incident set's import report keeps the list)."
            )
        if len(rejected) > LISTED:
            text += f" The first {LISTED:,} are listed."
        if notes:
            text += (
                f" {len(notes):,} row(s) used with a note: see 'Used with a note' below"
                f"{f' (the first {LISTED:,})' if len(notes) > LISTED else ''}."
            )
        self.status.setText(text)
        self._update_button()
        self.checked.emit()

    def _problem_cells(self, issue: RowIssue, fields: dict[str, str]) -> list[str]:
        field = fields.get(issue.column, issue.column)
        problem = issue.reason.partition("; ")[0]
        return [str(issue.row), issue.column, problem, fix_for(field, issue.reason)]

    def _update_button(self) -> None:
        name = self.name.text().strip()
        taken = name in self.existing
        self.name.setToolTip(
            f"An incident set named {name!r} is already in the workspace: choose another name"
            if taken
            else ""
        )
        usable = self.incidents is not None and bool(self.incidents.incidents)
        self.import_button.setEnabled(usable and bool(name) and not taken)

    # -- storing ---------------------------------------------------------------------------

    def store(self) -> None:
        """Store the rows just checked (the button is off while a check runs, so they are
        those of the mapping on screen) as the named incident set, off the GUI thread; the
        dialog is off meanwhile and closes when they are stored."""
        if self.incidents is None or self.storer.running:
            return
        key, incidents, ws, author = self.name.text().strip(), self.incidents, self.ws, self.author
        self._storing(True)
        self.status.setText(f"Importing {len(incidents.incidents):,} incident(s) as {key}…")
        self.storer.start(lambda: store_incidents(ws, incidents, author, key)[0].key)

    def _storing(self, busy: bool) -> None:
        """The buttons, drop-downs and fields are off while the rows are stored."""
        for kind in (QPushButton, QComboBox, QLineEdit):
            for widget in self.findChildren(kind):
                widget.setEnabled(not busy)
        if not busy:
            self._show_encoding(self.preview)
            self._update_button()

    def _stored(self, key: str) -> None:
        self._storing(False)
        self.imported.emit(key)
        self.accept()

    def _store_failed(self, exc: BaseException) -> None:
        self._storing(False)
        self.status.setText("The incidents were not imported: see the message.")
        self.errors.report(exc, "import the incidents")

    def done(self, result: int) -> None:
        """Closing waits for a read still running, so no thread outlives the dialog."""
        for worker in (self.reader, self.checker, self.storer):
            worker.wait()
        super().done(result)
