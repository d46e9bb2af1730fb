"""The Profitability sheet: revenue and cost over Terms against simulated and replayed credits."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from slamodeler.io.workbook.cells import STYLES as S
from slamodeler.io.workbook.cells import print_setup, put_text, set_widths
from slamodeler.io.workbook.sheet_writer import SheetWriter
from slamodeler.io.workbook.values import finite, put_value

# Columns A to F of both tables: the tier number and months each table puts, the rest from Terms
# (``_tier_terms``).
TIER_TERMS = ["#", "Tier", "Customers", "Months", "Revenue", "Cost to serve"]


class ProfitabilitySheet(SheetWriter):
    def profitability(self, ws: Worksheet) -> None:
        run, found = self.c.simulation, self.c.exposures
        cur = self.contract.currency
        self.title(
            ws,
            "Profitability per tier (all customers)",
            f"Revenue and cost to serve are formulas over the Terms sheet ({cur}); simulated "
            "credits are values from the simulation; replayed credits add up the Replay sheet.",
        )
        set_widths(ws, [6, 22, 11, 9, 16, 16, 16, 16, 16, 16, 12])
        row = 3
        f = self.formula
        if run is not None and found:
            months = sum(p.months for p in run.horizon.periods)
            periods = run.horizon.periods
            put_text(
                ws.cell(row, 1),
                f"Simulated: scenario {run.scenario.name}, {periods[0].label} to "
                f"{periods[-1].label} ({months} months)",
                S.heading,
            )
            row += 1
            self.header(
                ws,
                row,
                [
                    *TIER_TERMS,
                    "Expected credits (mean)",
                    "P95 credits",
                    "Margin (mean)",
                    "Margin at P95 credits",
                    "Margin % of revenue",
                ],
            )
            first = row + 1
            *tiers, portfolio = found
            for i, e in enumerate(tiers, first):
                k = self.tier_no[e.name]
                put_value(ws.cell(i, 1), k, S.number)
                put_value(ws.cell(i, 4), months, S.number)
                self._tier_terms(ws, i)
                put_value(ws.cell(i, 7), finite(e.mean), S.money)
                put_value(ws.cell(i, 8), finite(e.quantiles["p95"]), S.money)
                self._margins(ws, i)
                self.profit_margin_cells[e.name] = f"I{i}"
            last = first + len(tiers) - 1
            p = last + 1
            put_text(ws.cell(p, 2), "Portfolio", S.label)
            f(ws, f"C{p}", f"=SUM(C{first}:C{last})", S.number)
            put_value(ws.cell(p, 4), months, S.number)
            f(ws, f"E{p}", f"=SUM(E{first}:E{last})", S.money)
            f(ws, f"F{p}", f"=SUM(F{first}:F{last})", S.money)
            put_value(ws.cell(p, 7), finite(portfolio.mean), S.money)
            put_value(ws.cell(p, 8), finite(portfolio.quantiles["p95"]), S.money)
            self._margins(ws, p)
            self.profit_margin_cells[portfolio.name] = f"I{p}"
            row = p + 1
            put_text(
                ws.cell(row, 2),
                "The portfolio's P95 is that of the sum over tiers, trial by trial (less than "
                "the sum of the tiers' P95 when tiers do not all breach together).",
                S.note,
            )
            row += 2
        if self.c.replay is not None and self.replay_rows:
            result = self.c.replay
            put_text(
                ws.cell(row, 1),
                f"Replayed history: {result.first} to {result.last}",
                S.heading,
            )
            row += 1
            self.header(
                ws,
                row,
                [
                    *TIER_TERMS,
                    "Credits issued",
                    "Expected paid (claim rate)",
                    "Margin after expected paid",
                    "Margin % of revenue",
                ],
            )
            first = row + 1
            for i, tr in enumerate(result.tiers, first):
                put_value(ws.cell(i, 1), self.tier_no[tr.tier], S.number)
                f(ws, f"D{i}", f"=SUMPRODUCT((Replay_TierNo=A{i})*1,Replay_Months)", S.number)
                self._tier_terms(ws, i)
                f(ws, f"G{i}", f"=SUMPRODUCT((Replay_TierNo=A{i})*1,Replay_Issued)*C{i}", S.money)
                f(ws, f"H{i}", f"=SUMPRODUCT((Replay_TierNo=A{i})*1,Replay_Paid)*C{i}", S.money)
                f(ws, f"I{i}", f"=E{i}-F{i}-H{i}", S.money)
                f(ws, f"J{i}", f'=IF(E{i}=0,"",I{i}/E{i})', S.percent)
            last = first + len(result.tiers) - 1
            p = last + 1
            put_text(ws.cell(p, 2), "All tiers", S.label)
            for col, style in (
                ("C", S.number),
                ("E", S.money),
                ("F", S.money),
                ("G", S.money),
                ("H", S.money),
                ("I", S.money),
            ):
                f(ws, f"{col}{p}", f"=SUM({col}{first}:{col}{last})", style)
            f(ws, f"J{p}", f'=IF(E{p}=0,"",I{p}/E{p})', S.percent)
        ws.freeze_panes = "C3"
        print_setup(ws)

    def _tier_terms(self, ws: Worksheet, i: int) -> None:
        """Tier name and customers from Terms (by the tier number in column A), and revenue and
        cost to serve over the months in column D."""
        f = self.formula
        f(ws, f"B{i}", f"=INDEX(Tier_Name,A{i})", S.text)
        f(ws, f"C{i}", f"=INDEX(Tier_Customers,A{i})", S.number)
        f(ws, f"E{i}", f"=INDEX(Tier_Fee,A{i})*D{i}*C{i}", S.money)
        f(ws, f"F{i}", f"=INDEX(Tier_Cost,A{i})*D{i}*C{i}", S.money)

    def _margins(self, ws: Worksheet, i: int) -> None:
        self.formula(ws, f"I{i}", f"=E{i}-F{i}-G{i}", S.money)
        self.formula(ws, f"J{i}", f"=E{i}-F{i}-H{i}", S.money)
        self.formula(ws, f"K{i}", f'=IF(E{i}=0,"",I{i}/E{i})', S.percent)
