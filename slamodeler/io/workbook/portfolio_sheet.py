"""The Portfolio sheet (`slamodeler portfolio --xlsx`): every contract on the same simulated
incidents, its own statistics and its contribution to the portfolio's TVaR99 (values from the
simulation: a spreadsheet cannot pick the worst trials), and as formulas over them the shares,
the sums and the diversification benefit; a chart of each contract's own TVaR99 beside its
contribution (docs/workbook.md)."""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from slamodeler.io.workbook.cells import STYLES as S
from slamodeler.io.workbook.cells import print_setup, put_text, set_widths
from slamodeler.io.workbook.charts import chart_title, show_axes
from slamodeler.io.workbook.sheet_writer import SheetWriter
from slamodeler.io.workbook.values import finite, put_value

HEADERS = [
    "Contract (version taken)",
    "Name",
    "Mean credits paid",
    "P95",
    "P99",
    "TVaR99 on its own",
    "Contribution to the portfolio's TVaR99",
    "Share of the portfolio's TVaR99",
    "Share of the portfolio's mean",
    "Contribution, 95% interval: low",
    "Contribution, 95% interval: high",
]


class PortfolioSheet(SheetWriter):
    def portfolio_sheet(self, ws: Worksheet) -> None:
        found = self.c.portfolio
        assert found is not None
        f = self.formula
        per = "1 year" if found.years == 1 else f"{found.years} years"
        self.title(
            ws,
            f"Portfolio: {len(found.members)} contracts under scenario {found.scenario.name!r}",
            f"Credits paid over {per} ({found.currency}), {found.trials:,} trials, seed "
            f"{found.seed}, every contract on the same simulated incidents. A contribution is "
            f"the contract's mean credits in the portfolio's worst {found.tail_trials:,} trials "
            "(1%), the trials its TVaR99 averages: values from the simulation. Shares, sums "
            "and the diversification benefit are formulas.",
        )
        put_text(
            ws["A3"],
            f"The other sheets hold {self.c.contract_label or self.contract.name}, the contract "
            "with the largest contribution, simulated on the same trials.",
            S.note,
        )
        set_widths(ws, [40, 28, *[16] * 9])
        h = 4
        self.header(ws, h, HEADERS)
        ws.freeze_panes = f"A{h + 1}"
        first = h + 1
        total = first + len(found.members)
        shares, benefit = found.share_intervals
        for i, m in enumerate(found.members, first):
            e = m.exposure
            put_text(ws.cell(i, 1), m.label, S.text)
            put_text(ws.cell(i, 2), m.name, S.text)
            for col, value in enumerate(
                (e.mean, e.quantiles["p95"], e.quantiles["p99"], e.tvar99, m.contribution), 3
            ):
                put_value(ws.cell(i, col), finite(value), S.money)
            f(ws, f"H{i}", f'=IF($F${total}=0,"",G{i}/$F${total})', S.share)
            f(ws, f"I{i}", f'=IF($C${total}=0,"",C{i}/$C${total})', S.share)
            for col, value in enumerate(shares[i - first], 10):
                put_value(ws.cell(i, col), finite(value), S.money)
        last = total - 1
        put_text(ws.cell(total, 1), "Portfolio", S.label)
        put_text(ws.cell(total, 2), "all contracts, trial by trial", S.text)
        f(ws, f"C{total}", f"=SUM(C{first}:C{last})", S.money)  # a mean of sums is the sum
        put_value(ws.cell(total, 4), finite(found.quantiles["p95"]), S.money)
        put_value(ws.cell(total, 5), finite(found.quantiles["p99"]), S.money)
        put_value(ws.cell(total, 6), finite(found.tvar99), S.money)
        f(ws, f"G{total}", f"=SUM(G{first}:G{last})", S.money)
        f(ws, f"H{total}", f"=SUM(H{first}:H{last})", S.share)
        f(ws, f"I{total}", f"=SUM(I{first}:I{last})", S.share)

        r = total + 2
        put_text(ws.cell(r, 1), "Diversification", S.heading)
        rows = [
            ("Sum of the contracts' own TVaR99s", f"=SUM(F{first}:F{last})", S.money),
            ("Portfolio TVaR99", f"=F{total}", S.money),
            ("Diversification benefit", f"=B{r + 1}-B{r + 2}", S.money),
            (
                "Diversification benefit, share of the sum",
                f'=IF(B{r + 1}=0,"",B{r + 3}/B{r + 1})',
                S.share,
            ),
        ]
        for i, (label, text, style) in enumerate(rows, r + 1):
            put_text(ws.cell(i, 1), label, S.label)
            f(ws, f"B{i}", text, style)
        put_text(ws.cell(r + 5, 1), "Trials in the tail (worst 1%)", S.label)
        put_value(ws.cell(r + 5, 2), found.tail_trials, S.number)
        put_text(ws.cell(r + 6, 1), "Diversification benefit, 95% interval (low, high)", S.label)
        for col, value in enumerate(benefit, 2):
            put_value(ws.cell(r + 6, col), finite(value), S.money)
        self._contribution_chart(ws, h, last, f"D{r + 1}")
        print_setup(ws, f"{h}:{h}")

    def _contribution_chart(self, ws: Worksheet, h: int, last: int, anchor: str) -> None:
        """Each contract's own TVaR99 beside its contribution to the portfolio's."""
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "clustered"
        chart.title = chart_title("TVaR99: each contract's own, and its part of the portfolio's")
        for col in (6, 7):
            chart.add_data(
                Reference(ws, min_col=col, min_row=h, max_row=last), titles_from_data=True
            )
        chart.set_categories(Reference(ws, min_col=1, min_row=h + 1, max_row=last))
        chart.y_axis.title = self.contract.currency
        chart.legend.position = "b"
        show_axes(chart)
        chart.height, chart.width = 8, 20
        ws.add_chart(chart, anchor)
