"""The Credit memos sheet: one row per memo (values: the replay's amounts), their total as a
formula and its difference from the replay's credits after caps for all customers, which must be
0 (docs/workbook.md)."""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from slamodeler.domain.credit_memos import CreditMemo
from slamodeler.io.credit_memo_csv import MEMO_FIELDS, booked, memo_row
from slamodeler.io.workbook.cells import (
    NUMBER,
    TEXT,
    print_setup,
    put_text,
    set_widths,
    stream_column,
    stream_rows,
)
from slamodeler.io.workbook.cells import STYLES as S
from slamodeler.io.workbook.sheet_writer import SheetWriter
from slamodeler.io.workbook.streams import Stream
from slamodeler.io.workbook.values import as_fraction, put_value
from slamodeler.io.xlsx_sheet_check import MAX_ROW

FIRST_ROW = 8
MAX_MEMOS = MAX_ROW - FIRST_ROW + 1  # one memo a row
_STYLES = {"availability_pct": S.availability, "credit_pct": S.percent, "credit": S.money}


def _cells(memo: CreditMemo) -> list[object]:
    """A memo's row: percentages as the fractions percent cells hold, the credit to the cent."""
    row = memo_row(memo)
    numbers = {
        "availability_pct": as_fraction(memo.availability_pct),
        "credit_pct": as_fraction(memo.credit_pct),
        "credit": float(booked(memo)),
    }
    return [numbers.get(f, row[f]) for f in MEMO_FIELDS]


class CreditMemoSheet(SheetWriter):
    def credit_memo_sheet(self, ws: Worksheet) -> None:
        found = self.c.credit_memos
        assert found is not None
        memos, replay_total = found
        self.title(
            ws,
            "Credit memos",
            "One memo per customer and period with a credit after caps. The total is a formula; "
            "the difference from the replay's total must be 0.",
        )
        set_widths(ws, [22, 14, 12, 10, 22, 22, 12, 10, 14, 9, 12, 60, 28, 22, 66])
        credit_col = MEMO_FIELDS.index("credit") + 1
        last = FIRST_ROW + len(memos) - 1
        letter = get_column_letter(credit_col)
        credits = f"{letter}{FIRST_ROW}:{letter}{max(last, FIRST_ROW)}"
        put_text(ws["A4"], "Total of the memos", S.label)
        self.formula(ws, "B4", f"=SUM({credits})", S.money)
        put_text(ws["A5"], "Replay's credits after caps, all customers", S.label)
        put_value(ws["B5"], float(replay_total), S.engine)
        put_text(ws["A6"], "Difference (must be 0)", S.label)
        self.formula(ws, "B6", "=ROUND(B4-B5,6)", S.money)
        self.header(ws, FIRST_ROW - 1, [f.replace("_", " ") for f in MEMO_FIELDS])
        columns = [
            stream_column(ws, NUMBER, _STYLES[f])
            if f in _STYLES
            else stream_column(ws, TEXT, S.text)
            for f in MEMO_FIELDS
        ]
        self.streams[ws.title] = Stream(
            lambda: stream_rows(columns, (_cells(m) for m in memos), FIRST_ROW),
            last,
            len(MEMO_FIELDS),
        )
        ws.freeze_panes = f"B{FIRST_ROW}"
        print_setup(ws)
