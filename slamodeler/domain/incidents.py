"""Incidents as imported from a status page, ITSM or monitoring export, and what import did."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

IMPACT_LABELS = ("full", "partial", "degraded", "none")


def describe(ident: str, row: int) -> str:
    """How messages name an incident: its id and source row (the id alone when it is the row)."""
    return ident if ident == f"row {row}" else f"{ident} (row {row})"


@dataclass(frozen=True, slots=True)
class Incident:
    """One impact on one service and region over [start, end), times as UTC epoch seconds.

    ``impact`` is a label the contract weighs (full, partial, ...) or a share in [0, 1]. Empty
    ``service`` or ``region`` means the incident was not tied to one, so it reaches every scope;
    an empty ``zone`` under a k-of-n scope means every zone of the region was down.
    """

    id: str
    start: int
    end: int
    impact: str | Decimal
    cause: str = ""
    service: str = ""
    region: str = ""
    title: str = ""
    row: int = 0
    zone: str = ""  # availability zone within the region; only a k-of-n scope reads it

    @property
    def start_utc(self) -> datetime:
        return datetime.fromtimestamp(self.start, UTC)

    @property
    def end_utc(self) -> datetime:
        return datetime.fromtimestamp(self.end, UTC)

    @property
    def describe(self) -> str:
        return describe(self.id, self.row)

    @property
    def minutes(self) -> Decimal:
        return Decimal(self.end - self.start) / 60


@dataclass(frozen=True)
class RowIssue:
    """A row of the source file and what import did about it (``kept``: used, with a note)."""

    row: int
    column: str
    reason: str
    kept: bool


@dataclass(frozen=True)
class ImportReport:
    """What reading an incident file gave: rows read, incidents used, and every row skipped or
    used with a note, by row number and reason."""

    source: str
    rows_read: int
    used: int
    issues: tuple[RowIssue, ...] = ()
    # what a CSV was read as, e.g. "Windows-1252 (detected)"; None for UTF-8 (as expected)
    # and for workbooks
    encoding: str | None = None
    blank_rows: int = 0  # rows with nothing in any cell: skipped, not read
    noun: str = "incident"  # what a used row is: an incident, a ticket

    @property
    def physical_rows(self) -> int:
        """Every row under the header, as a spreadsheet shows them: read or blank."""
        return self.rows_read + self.blank_rows

    def unaccounted(self) -> int:
        """Rows read but neither used nor refused with a reason: 0 unless import lost some."""
        refused = {i.row for i in self.rejected}
        return self.rows_read - self.used - len(refused)

    @property
    def rejected(self) -> tuple[RowIssue, ...]:
        return tuple(i for i in self.issues if not i.kept)

    @property
    def notes(self) -> tuple[RowIssue, ...]:
        return tuple(i for i in self.issues if i.kept)

    def summary_lines(self, limit: int = 5) -> list[str]:
        """Rows grouped by reason, with the first few row numbers of each."""
        lines = [f"{self.source}: {self.rows_read} row(s) read, {self.used} {self.noun}(s) used"]
        if self.encoding:
            lines.append(f"  text encoding: {self.encoding}")
        if self.blank_rows:
            lines.append(f"  {self.blank_rows} blank row(s) skipped")
        for kept, verb in ((False, "not used"), (True, "used, note")):
            groups: dict[str, list[int]] = {}
            for issue in self.issues:
                if issue.kept is kept:
                    key = f"{issue.column}: {issue.reason}" if issue.column else issue.reason
                    groups.setdefault(key, []).append(issue.row)
            for reason, rows in groups.items():
                shown = ", ".join(str(r) for r in rows[:limit])
                more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
                lines.append(f"  {len(rows)} row(s) {verb}: {reason} (rows {shown}{more})")
        return lines


@dataclass(frozen=True)
class IncidentSet:
    """A named history of incidents with the report of how it was read."""

    name: str
    incidents: Sequence[Incident]  # a tuple, or columns as a file's import keeps them
    report: ImportReport
    open_rows: frozenset[int] = frozenset()  # rows still open: their end is the export's time

    def still_open(self) -> list[bool]:
        """Per incident, whether it was still open (its duration so far is a lower bound)."""
        return [x.row in self.open_rows for x in self.incidents]

    def impact_labels(self) -> Counter[str]:
        return Counter(i.impact for i in self.incidents if isinstance(i.impact, str))
