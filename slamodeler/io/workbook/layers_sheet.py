"""The Layers sheet: each trial's credits (values: a spreadsheet cannot re-run a simulation), and
for each layer, with its retention and limit as inputs, the expected credits in the layer and the
probabilities of attaching and exhausting as formulas over the trials; the engine's figures and
standard errors beside them (docs/workbook.md)."""

from __future__ import annotations

import math

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from slamodeler.engine.layers import LayerFigures
from slamodeler.io.workbook.cells import STYLES as S
from slamodeler.io.workbook.cells import print_setup, put_text, set_widths
from slamodeler.io.workbook.sheet_writer import SheetWriter
from slamodeler.io.workbook.values import put_value
from slamodeler.io.xlsx_sheet_check import MAX_ROW

FIRST_ROW = 8
MAX_TRIALS = MAX_ROW - FIRST_ROW + 1  # one trial a row, below the table
TRIALS_COL = 14  # N: one trial's credits per row
COLUMNS = [
    "Layer",
    "Retention",
    "Limit",
    "Expected credits in the layer",
    "P(attach): credits > retention",
    "P(exhaust): credits >= retention + limit",
    "Engine: expected",
    "Standard error",
    "Engine: P(attach)",
    "Standard error",
    "Engine: P(exhaust)",
    "Standard error",
]


class LayersSheet(SheetWriter):
    def layers_sheet(self, ws: Worksheet) -> None:
        found = self.c.layers
        assert found is not None
        span = "a year" if found.years == 1 else f"{found.years} years"
        self.title(
            ws,
            f"Layers of simulated credits: {found.series}, over {span}",
            "Retention and limit are inputs; the figures in D:F are formulas over each trial's "
            "credits in column N. G:L are the engine's figures with their standard errors.",
        )
        set_widths(ws, [22, 14, 14, 16, 14, 16, 14, 12, 12, 12, 12, 12, 2, 16])
        n = len(found.credits)
        letter = get_column_letter(TRIALS_COL)
        trials = f"${letter}${FIRST_ROW}:${letter}${FIRST_ROW + max(n, 1) - 1}"
        put_text(ws["A4"], "Trials", S.label)
        self.formula(ws, "B4", f"=COUNT({trials})", S.number)
        put_text(ws["A5"], "Mean credits per trial", S.label)
        self.formula(ws, "B5", f"=AVERAGE({trials})", S.money)
        self.header(ws, FIRST_ROW - 1, COLUMNS)
        put_text(ws.cell(FIRST_ROW - 1, TRIALS_COL), "Credits per trial", S.header)
        for row, fig in enumerate(found.figures, FIRST_ROW):
            self._layer(ws, row, fig, trials)
        for row, value in enumerate(found.credits, FIRST_ROW):
            ws.cell(row, TRIALS_COL).value = float(value)
            ws.cell(row, TRIALS_COL).style = S.money
        print_setup(ws)

    def _layer(self, ws: Worksheet, row: int, fig: LayerFigures, trials: str) -> None:
        r, lim = f"$B{row}", f"$C{row}"
        put_text(ws.cell(row, 1), fig.layer.label, S.text)
        put_value(ws.cell(row, 2), fig.layer.retention, S.money_input)
        above = f'{trials},">"&{r}'
        n = f"COUNT({trials})"
        if math.isinf(fig.layer.limit):
            put_text(ws.cell(row, 3), "unlimited", S.text)
            expected = f'=(SUMIF({trials},">"&{r})-{r}*COUNTIF({above}))/{n}'
            exhaust = "=0"
        else:
            put_value(ws.cell(row, 3), fig.layer.limit, S.money_input)
            top = f'{trials},"<"&({r}+{lim})'
            full = f'COUNTIF({trials},">="&({r}+{lim}))'
            expected = (
                f"=(SUMIFS({trials},{above},{top})-{r}*COUNTIFS({above},{top})+{lim}*{full})/{n}"
            )
            exhaust = f"={full}/{n}"
        self.formula(ws, f"D{row}", expected, S.money)
        self.formula(ws, f"E{row}", f"=COUNTIF({above})/{n}", S.share)
        self.formula(ws, f"F{row}", exhaust, S.share)
        engine = [
            (fig.expected, S.engine),
            (fig.expected_se, S.engine),
            (fig.p_attach, S.engine_percent),
            (fig.p_attach_se, S.engine_percent),
            (fig.p_exhaust, S.engine_percent),
            (fig.p_exhaust_se, S.engine_percent),
        ]
        for col, (value, style) in enumerate(engine, 7):
            put_value(ws.cell(row, col), value if math.isfinite(value) else None, style)
