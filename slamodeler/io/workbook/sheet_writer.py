"""The state the sheets share and the helpers they write with."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.utils import quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from slamodeler.domain.money import minor_digits
from slamodeler.io.workbook.cells import STYLES as S
from slamodeler.io.workbook.cells import put_text
from slamodeler.io.workbook.content import WorkbookContent
from slamodeler.io.workbook.incidents import Shares
from slamodeler.io.workbook.streams import Stream


class SheetWriter:
    """What every sheet writer reads and adds to. Some of it is set by one sheet for a later one
    (see the order in :class:`~slamodeler.io.workbook.builder.WorkbookBuilder`)."""

    wb: Workbook  # set by build()
    replay_span: tuple[int, int]  # UTC span of the replayed periods, set by the Replay sheet
    user: str  # who exported, set by the Assumptions sheet
    exported_at: datetime  # when, set by the Assumptions sheet

    def __init__(self, content: WorkbookContent):
        self.c = content
        self.contract = content.contract
        self.digits = minor_digits(self.contract.currency)
        self.streams: dict[str, Stream] = {}
        self.replay_rows = 0
        self.incident_count = 0
        self.formulas = 0
        self.zone = ZoneInfo(self.contract.timezone)
        self.tier_no = {t.name: i for i, t in enumerate(self.contract.tiers, 1)}
        self.profit_margin_cells: dict[str, str] = {}
        self.shares = Shares(self.contract)

    def name(self, name: str, ws: Worksheet, ref: str) -> None:
        self.wb.defined_names[name] = DefinedName(
            name, attr_text=f"{quote_sheetname(ws.title)}!{_absolute(ref)}"
        )

    def formula(self, ws: Worksheet, coord: str, text: str, style: str | None = None) -> None:
        ws[coord] = text
        self.formulas += 1
        if style:
            ws[coord].style = style

    def header(self, ws: Worksheet, row: int, titles: Sequence[str], first: int = 1) -> None:
        for i, title in enumerate(titles, first):
            put_text(ws.cell(row, i), title, S.header)
        ws.row_dimensions[row].height = 45

    def title(self, ws: Worksheet, text: str, note: str | None = None) -> None:
        put_text(ws["A1"], text, S.title)
        ws.row_dimensions[1].height = 24
        if note:
            put_text(ws["A2"], note, S.note)


def _absolute(ref: str) -> str:
    def one(part: str) -> str:
        m = re.fullmatch(r"([A-Z]+)(\d+)", part)
        assert m, part
        return f"${m.group(1)}${m.group(2)}"

    return ":".join(one(p) for p in ref.split(":"))
