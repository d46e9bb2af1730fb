"""The Dispute sheet: a customer's claim against our incident record (`slamodeler dispute
--xlsx`), the answer to send: per tier and period where the two replays disagree, the minutes
and credits each counted, the difference and the credit at stake (formulas over those values),
and the incidents that explain each row."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from slamodeler.io.workbook.cells import STYLES as S
from slamodeler.io.workbook.cells import print_setup, put_text, set_widths
from slamodeler.io.workbook.sheet_writer import SheetWriter
from slamodeler.io.workbook.values import num, put_value

HEADERS = (
    "Tier",
    "Period",
    "Our minutes",
    "Their minutes",
    "Difference (min)",
    "Our credit",
    "Their credit",
    "Credit at stake",
    "Incidents that explain it",
)


class DisputeSheet(SheetWriter):
    def dispute_sheet(self, ws: Worksheet) -> None:
        found = self.c.dispute
        if found is None:
            return
        r = found.ours
        self.title(
            ws,
            f"Dispute: {r.contract_name}, {r.first} to {r.last}",
            f"Our incident record against the customer's claim, both replayed on contract "
            f"{r.contract_hash[:12]}; amounts per customer ({r.currency}). Difference and "
            "credit at stake = theirs - ours. Only the periods where the two disagree.",
        )
        h = 4
        self.header(ws, h, HEADERS)
        set_widths(ws, [14, 10, 12, 12, 12, 14, 14, 14, 90])
        ws.freeze_panes = "C5"
        row = h
        for row, p in enumerate(found.periods, h + 1):
            put_text(ws.cell(row, 1), p.tier)
            put_text(ws.cell(row, 2), p.period)
            put_value(ws.cell(row, 3), num(p.ours_minutes), S.minutes)
            put_value(ws.cell(row, 4), num(p.theirs_minutes), S.minutes)
            self.formula(ws, f"E{row}", f"=D{row}-C{row}", S.minutes)
            put_value(ws.cell(row, 6), num(p.ours_credit), S.money)
            put_value(ws.cell(row, 7), num(p.theirs_credit), S.money)
            self.formula(ws, f"H{row}", f"=G{row}-F{row}", S.money)
            put_text(
                ws.cell(row, 9),
                "; ".join(f"{e.pair.label}: {e.pair.why}" for e in p.explaining),
                S.wrap,
            )
        row += 2
        put_text(ws.cell(row, 1), "Incidents recorded differently", S.heading)
        self.header(ws, row + 1, ["Incident", "What differs"])
        for i, d in enumerate(found.disputed, row + 2):
            put_text(ws.cell(i, 1), d.label)
            put_text(ws.cell(i, 2), d.why)
        print_setup(ws, f"{h}:{h}")
