"""The Error budget sheet (`slo budget --xlsx`): per tier an objective to type, each period's
measured and spent minutes (values: a spreadsheet cannot measure incidents) with the budget, the
share spent and what is left as formulas; each incident's burn rate and share of the budget as
formulas; and the SRE workbook's alert policy with its thresholds as formulas of the budget
shares, windows and the period's minutes (docs/workbook.md)."""

from __future__ import annotations

from fractions import Fraction

from openpyxl.worksheet.worksheet import Worksheet

from slamodeler.engine.slo_budget import WORKBOOK_RULES, SloBudget, TierBudget
from slamodeler.io.workbook.cells import STYLES as S
from slamodeler.io.workbook.cells import print_setup, put_text, set_widths
from slamodeler.io.workbook.sheet_writer import SheetWriter
from slamodeler.io.workbook.values import num, put_value


class SloSheet(SheetWriter):
    def slo_sheet(self, ws: Worksheet, found: SloBudget, policy_minutes: int) -> None:
        self.title(
            ws,
            f"Error budget: {found.first} to {found.last}",
            "Measured and spent minutes are the engine's (values, in the contract's weighted "
            "minutes); budgets, shares, burn rates and alert thresholds are formulas of the "
            "objective in column B: type another to see its budget.",
        )
        set_widths(ws, [26, 16, 16, 16, 16, 16, 18])
        row = 4
        for i, tier in enumerate(found.tiers, 1):
            row = self._slo_tier(ws, row, i, tier, policy_minutes) + 2
        print_setup(ws)

    def _slo_tier(self, ws: Worksheet, row: int, index: int, tier: TierBudget, minutes: int) -> int:
        f = self.formula
        put_text(
            ws.cell(row, 1),
            f"Tier {tier.tier} (contract target {tier.target_pct}%)",
            S.heading,
        )
        put_text(ws.cell(row + 1, 1), "Objective", S.label)
        put_value(
            ws.cell(row + 1, 2), float(Fraction(tier.objective_percent) / 100), S.availability_input
        )
        objective = f"$B${row + 1}"
        self.name(f"SLO_Objective_{index}", ws, f"B{row + 1}")
        r = row + 3
        self.header(ws, r, ["Period", "Measured minutes", "Budget", "Spent", "Spent %", "Left"])
        budget_cell: dict[str, str] = {}
        for p in tier.periods:
            r += 1
            put_text(ws.cell(r, 1), p.period, S.text)
            put_value(ws.cell(r, 2), num(p.measured_minutes), S.minutes)
            f(ws, f"C{r}", f"=(1-{objective})*B{r}", S.minutes)
            put_value(ws.cell(r, 4), num(p.spent_minutes), S.minutes)
            f(ws, f"E{r}", f"=IF(C{r}>0,D{r}/C{r},0)", S.share)
            f(ws, f"F{r}", f"=C{r}-D{r}", S.minutes)
            budget_cell[p.period] = f"$C${r}"
        burns = [(p.period, b) for p in tier.periods for b in p.incidents]
        if burns:
            r += 2
            self.header(
                ws, r, ["Period", "Incident", "Minutes", "Counted", "Of budget", "Burn rate"]
            )
            for period, b in burns:
                r += 1
                put_text(ws.cell(r, 1), period, S.text)
                put_text(ws.cell(r, 2), b.id, S.text)
                put_value(ws.cell(r, 3), float(b.minutes), S.minutes)
                put_value(ws.cell(r, 4), num(b.counted_minutes), S.minutes)
                f(ws, f"E{r}", f"=D{r}/{budget_cell[period]}", S.share)
                f(ws, f"F{r}", f"=IF(C{r}>0,D{r}/C{r}/(1-{objective}),0)", S.minutes)
        r += 2
        put_text(ws.cell(r, 1), "Period minutes for the alerts", S.label)
        put_value(ws.cell(r, 2), minutes, S.number_input)
        period = f"$B${r}"
        r += 1
        self.header(
            ws,
            r,
            [
                "Severity",
                "Budget share",
                "Long window (min)",
                "Short window (min)",
                "Burn rate",
                "Full outage fires in (min)",
            ],
        )
        for severity, share, long, short in WORKBOOK_RULES:
            r += 1
            put_text(ws.cell(r, 1), severity, S.text)
            put_value(ws.cell(r, 2), float(share), S.share)
            put_value(ws.cell(r, 3), long, S.number)
            put_value(ws.cell(r, 4), short, S.number)
            f(ws, f"E{r}", f"=B{r}*{period}/C{r}", S.minutes)
            f(ws, f"F{r}", f"=E{r}*(1-{objective})*C{r}", S.minutes)
        return r
