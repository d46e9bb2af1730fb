"""The Summary sheet: the headline exposure per tier, and its chart."""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from slamodeler.engine.exact import ExactRun
from slamodeler.engine.exposure import Exposure
from slamodeler.io.workbook.cells import FONT, print_setup, put_text, set_widths
from slamodeler.io.workbook.cells import STYLES as S
from slamodeler.io.workbook.charts import show_axes
from slamodeler.io.workbook.sheet_writer import SheetWriter
from slamodeler.io.workbook.values import finite, put_value


class SummarySheet(SheetWriter):
    def summary(self, ws: Worksheet) -> None:
        c = self.contract
        run, found, result = self.c.simulation, self.c.exposures, self.c.replay
        computed = self.c.exact
        if computed is not None:
            found = computed.exposures
        kind = "Computed" if computed is not None else "Simulated"
        ws.sheet_view.showGridLines = False
        put_text(ws["A1"], "SLA exposure workbook", S.title)
        ws.row_dimensions[1].height = 26
        set_widths(ws, [6, 24, 11, 17, 17, 10, 17, 17, 17, 10, 10, 10, 10, 18])
        when = self.exported_at
        facts: list[tuple[str, object]] = [
            ("Contract", c.name),
            ("Version", self.c.contract_label or "not recorded"),
            ("Contract hash (SHA-256)", c.content_hash()),
            ("Currency", c.currency),
            (
                "Replayed history",
                f"{result.first} to {result.last}, {len(self.c.incidents):,} incident(s)"
                if result
                else "none in this export",
            ),
            (
                "Simulation",
                f"scenario {run.scenario.name}, {run.horizon.periods[0].label} to "
                f"{run.horizon.periods[-1].label}, {run.trials:,} trials, seed {run.seed}"
                if run
                else _computed_fact(computed),
            ),
            ("Exported", f"{when:%Y-%m-%d %H:%M %Z} by {self.user}".replace("  ", " ")),
        ]
        for i, (label, value) in enumerate(facts, 3):
            put_text(ws.cell(i, 2), label, S.label)
            put_text(ws.cell(i, 3), value, S.text)
        row = 3 + len(facts) + 1
        put_text(
            ws.cell(row, 2),
            f"Headline exposure per tier, all customers ({c.currency})",
            S.heading,
        )
        row += 1
        headers = [
            "#",
            "Tier",
            "Customers",
            "Replay: credits issued",
            "Replay: expected paid",
            "Replay: periods missed",
            f"{kind} mean",
            f"{kind} P95",
            f"{kind} P99",
            "P(any breach)",
            "P(per-period cap)",
            "P(yearly cap)",
            "P(liability cap)",
            "Margin (mean)",
        ]
        self.header(ws, row, headers)
        h = row
        f = self.formula
        replayed = {t.tier for t in result.tiers} if result else set()
        by_name = {e.name: e for e in found or ()}
        for i, tier in enumerate(c.tiers, h + 1):
            put_value(ws.cell(i, 1), self.tier_no[tier.name], S.number)
            f(ws, f"B{i}", f"=INDEX(Tier_Name,A{i})", S.label)
            f(ws, f"C{i}", f"=INDEX(Tier_Customers,A{i})", S.number)
            if tier.name in replayed and self.replay_rows:
                f(ws, f"D{i}", f"=SUMPRODUCT((Replay_TierNo=A{i})*1,Replay_Issued)*C{i}", S.money)
                f(ws, f"E{i}", f"=SUMPRODUCT((Replay_TierNo=A{i})*1,Replay_Paid)*C{i}", S.money)
                f(ws, f"F{i}", f'=SUMPRODUCT((Replay_TierNo=A{i})*(Replay_Met="missed"))', S.number)
            e = by_name.get(tier.name)
            if e is not None:
                self._sim_cells(ws, i, e)
        p = h + len(c.tiers) + 1
        put_text(ws.cell(p, 2), "Portfolio", S.label)
        f(ws, f"C{p}", f"=SUM(C{h + 1}:C{p - 1})", S.number)
        if self.replay_rows:
            for col in "DE":
                f(ws, f"{col}{p}", f"=SUM({col}{h + 1}:{col}{p - 1})", S.money)
            f(ws, f"F{p}", f"=SUM(F{h + 1}:F{p - 1})", S.number)
        if "portfolio" in by_name:
            self._sim_cells(ws, p, by_name["portfolio"])
        bold = Font(name=FONT, bold=True)
        for column in range(2, len(headers) + 1):
            ws.cell(p, column).font = bold
        notes = [
            "Replay columns are formulas over the Replay and Terms sheets: they follow any edit "
            "of the terms. Simulated columns are the simulation's values: simulate again to "
            "re-price."
            if computed is None
            else "Computed columns are the exact method's values (computed, not sampled: no "
            "trials): run it again to re-price.",
            "Credits are after caps and the minimum credit; 'paid' also applies the claim rate. "
            "P(cap) is the probability that the cap bites at least once over the horizon.",
        ]
        for i, note in enumerate(notes, p + 2):
            put_text(ws.cell(i, 2), note, S.note)
        self._summary_chart(ws, h, len(c.tiers), p + 5, bool(found))
        ws.freeze_panes = None
        print_setup(ws)
        ws.print_area = f"A1:{get_column_letter(len(headers))}{p + 22}"

    def _sim_cells(self, ws: Worksheet, i: int, e: Exposure) -> None:
        put_value(ws.cell(i, 7), finite(e.mean), S.money)
        put_value(ws.cell(i, 8), finite(e.quantiles["p95"]), S.money)
        put_value(ws.cell(i, 9), finite(e.quantiles["p99"]), S.money)
        put_value(ws.cell(i, 10), finite(e.p_any_breach), S.share)
        put_value(ws.cell(i, 11), finite(e.p_cap_hit["per_period"]), S.share)
        put_value(ws.cell(i, 12), finite(e.p_cap_hit["per_year"]), S.share)
        put_value(ws.cell(i, 13), finite(e.p_cap_hit["liability"]), S.share)
        margin = self.profit_margin_cells.get(e.name)
        if margin:
            self.formula(ws, f"N{i}", f"=Profitability!{margin}", S.money)

    def _summary_chart(self, ws: Worksheet, h: int, n: int, row: int, simulated: bool) -> None:
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "clustered"
        cats = Reference(ws, min_col=2, min_row=h + 1, max_row=h + n)
        if simulated:
            chart.title = f"{'Computed' if self.c.exact else 'Simulated'} credits paid per tier"
            for col in (7, 8, 9):
                chart.add_data(
                    Reference(ws, min_col=col, min_row=h, max_row=h + n), titles_from_data=True
                )
        elif self.replay_rows:
            chart.title = "Replayed credits per tier"
            for col in (4, 5):
                chart.add_data(
                    Reference(ws, min_col=col, min_row=h, max_row=h + n), titles_from_data=True
                )
        else:
            return
        chart.set_categories(cats)
        chart.y_axis.title = self.contract.currency
        chart.legend.position = "b"
        show_axes(chart)
        chart.height, chart.width = 8, 22
        ws.add_chart(chart, f"B{row}")


def _computed_fact(computed: ExactRun | None) -> str:
    """The Summary's "Simulation" line for an exact-method result: computed, with no trials."""
    if computed is None:
        return "none in this export"
    periods = computed.horizon.periods
    return (
        f"exact method (computed, not sampled: no trials), scenario {computed.scenario.name}, "
        f"{periods[0].label} to {periods[-1].label}"
    )
