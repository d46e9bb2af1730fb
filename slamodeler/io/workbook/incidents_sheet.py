"""The Incidents sheet: what each incident counted for, streamed (it can be very long)."""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from slamodeler.io.workbook.cells import (
    NUMBER,
    TEXT,
    StreamColumn,
    print_setup,
    set_widths,
    stream_column,
    stream_rows,
)
from slamodeler.io.workbook.cells import STYLES as S
from slamodeler.io.workbook.incidents import incident_rows
from slamodeler.io.workbook.sheet_writer import SheetWriter
from slamodeler.io.workbook.streams import Stream


class IncidentsSheet(SheetWriter):
    def incidents(self, ws: Worksheet) -> None:
        result = self.c.replay
        if result is None:
            self.title(ws, "Incidents", "No replayed history in this export.")
            return
        zone = self.contract.timezone
        self.title(
            ws,
            f"Incidents: what each one counted for ({len(self.c.incidents):,} incident(s))",
            "One row per incident and group of tiers that share a scope. Minutes are weighted "
            f"by impact; times are local ({zone}). Text is stored as text: a title that looks like "
            "a formula stays a title.",
        )
        headers = [
            "Source row",
            "ID",
            f"Start ({zone})",
            f"End ({zone})",
            "Duration (minutes)",
            "Impact",
            "Cause",
            "Service",
            "Region",
            "Title",
            "Tiers",
            "Periods",
            "Counted minutes",
            "Below minimum (minutes)",
            "Excluded minutes",
            "Excluded because",
            "Status",
        ]
        h = 3
        self.header(ws, h, headers)
        set_widths(ws, [8, 14, 16, 16, 10, 9, 14, 14, 12, 50, 20, 14, 10, 10, 10, 30, 26])
        ws.freeze_panes = "C4"
        rows = list(
            incident_rows(self.contract, self.c.incidents, result, self.replay_span, self.shares)
        )
        self.incident_count = len(rows)
        last = h + len(rows)
        ws.auto_filter.ref = f"A{h}:{get_column_letter(len(headers))}{max(last, h + 1)}"
        print_setup(ws, f"{h}:{h}")

        def col(kind: str, style: str) -> StreamColumn:
            return stream_column(ws, kind, style)

        columns = [
            col(NUMBER, S.number),
            col(TEXT, S.text),
            col(NUMBER, S.datetime),
            col(NUMBER, S.datetime),
            col(NUMBER, S.minutes),
            *(col(TEXT, S.text) for _ in range(7)),
            col(NUMBER, S.minutes),
            col(NUMBER, S.minutes),
            col(NUMBER, S.minutes),
            col(TEXT, S.text),
            col(TEXT, S.text),
        ]
        tz = self.zone
        self.streams[ws.title] = Stream(
            lambda: stream_rows(columns, (row.cells(tz) for row in rows), h + 1), last, len(headers)
        )
