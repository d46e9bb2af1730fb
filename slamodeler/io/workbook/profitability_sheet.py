"""The Profitability sheet: revenue and cost over Terms against simulated and replayed credits."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from slamodeler.engine.profitability import FeeAnswer, Profit, Profitability
from slamodeler.io.workbook.cells import STYLES as S
from slamodeler.io.workbook.cells import print_setup, put_text, set_widths
from slamodeler.io.workbook.sheet_writer import SheetWriter
from slamodeler.io.workbook.values import finite, put_value

# Columns A to F of both tables: the tier number and months each table puts, the rest from Terms
# (``_tier_terms``).
TIER_TERMS = ["#", "Tier", "Customers", "Months", "Revenue", "Cost to serve"]
RISK_HEADING = "Risk-adjusted margin and fees (simulated)"
RISK_AND_FEES = [
    "#",
    "Tier",
    "Revenue",
    "Cost to serve",
    "Expected credits (mean)",
    "P95 credits",
    "P99 credits",
    "TVaR99 credits",
    "Margin (mean)",
    "Margin % of revenue",
    "Tail charge",
    "Risk-adjusted margin",
    "Monthly fee now",
    "Break-even monthly fee",
    "Target-margin monthly fee",
    "How the fees were found",
]


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
            simulated_rows = {e.name: i for i, e in enumerate(tiers, first)} | {"": p}
            row = p + 1
            put_text(
                ws.cell(row, 2),
                "The portfolio's P95 is that of the sum over tiers, trial by trial (less than "
                "the sum of the tiers' P95 when tiers do not all breach together).",
                S.note,
            )
            row += 2
        if self.c.profitability is not None and run is not None and found:
            row = self._risk_and_fees(ws, row, self.c.profitability, simulated_rows)
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

    def _risk_and_fees(
        self, ws: Worksheet, row: int, found: Profitability, simulated: dict[str, int]
    ) -> int:
        """The tail and the fees per tier: revenue and cost from the simulated table above,
        credits' statistics and solved fees as values, margins and the tail charge as formulas
        over them and the rate (an input cell). Returns the next free row."""
        f = self.formula
        put_text(ws.cell(row, 1), RISK_HEADING, S.heading)
        rate = f"$C${row + 1}"
        put_text(ws.cell(row + 1, 2), "Tail charge rate (of TVaR99 - mean)", S.label)
        put_value(ws.cell(row + 1, 3), found.tail_rate, S.percent_input)
        put_text(ws.cell(row + 2, 2), "Target margin % (the fee below)", S.label)
        put_value(ws.cell(row + 2, 3), found.target_margin, S.percent)
        put_text(
            ws.cell(row + 2, 4),
            "Fees are monthly, per customer, solved on the simulated trials to the minor unit: "
            "values, not formulas (each is a re-pricing of every trial); changing the rate "
            "re-computes the risk-adjusted margin only.",
            S.note,
        )
        self.header(ws, row + 3, RISK_AND_FEES)
        first = row + 4
        for i, p in enumerate([*found.tiers, found.portfolio], first):
            at = simulated[p.name if p.monthly_fee is not None else ""]
            if p.monthly_fee is not None:
                put_value(ws.cell(i, 1), self.tier_no[p.name], S.number)
                f(ws, f"B{i}", f"=INDEX(Tier_Name,A{i})", S.text)
            else:
                put_text(ws.cell(i, 2), "Portfolio", S.label)
            f(ws, f"C{i}", f"=E{at}", S.money)
            f(ws, f"D{i}", f"=F{at}", S.money)
            for col, value in enumerate((p.credits_mean, p.p95, p.p99, p.tvar99), 5):
                put_value(ws.cell(i, col), finite(value), S.money)  # E to H
            f(ws, f"I{i}", f"=C{i}-D{i}-E{i}", S.money)
            f(ws, f"J{i}", f'=IF(C{i}=0,"",I{i}/C{i})', S.percent)
            f(ws, f"K{i}", f"={rate}*MAX(0,H{i}-E{i})", S.money)
            f(ws, f"L{i}", f"=I{i}-K{i}", S.money)
            if p.monthly_fee is not None:
                f(ws, f"M{i}", f"=INDEX(Tier_Fee,A{i})", S.money)
                self._fee(ws, i, p)
        ws.column_dimensions["P"].width = 60
        return first + len(found.tiers) + 2

    def _fee(self, ws: Worksheet, i: int, p: Profit) -> None:
        notes = []
        for col, answer, what in ((14, p.break_even, "break-even"), (15, p.target, "target")):
            if answer is None:
                continue
            put_value(ws.cell(i, col), _fee_value(answer), S.money)
            if answer.fee is None:
                notes.append(f"{what}: {answer.note}")
        put_text(
            ws.cell(i, 16),
            "; ".join(notes) or "the fee that reaches the margin, and one minor unit less does not",
            S.note,
        )


def _fee_value(answer: FeeAnswer) -> float | None:
    return None if answer.fee is None else float(answer.fee)
