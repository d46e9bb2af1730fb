"""The Finder sheet (`slamodeler find --xlsx`): the value of one term that keeps a statistic
within a budget, its uncertainty, and every value priced with the statistic and its 95%
interval (values from the simulation), whether each meets the budget (a formula over them and
the budget cell), and a chart of the statistic against the term with the budget line."""

from __future__ import annotations

from decimal import Decimal

from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.worksheet.worksheet import Worksheet

from slamodeler.engine.finders import STATISTICS, Finding
from slamodeler.io.workbook.cells import STYLES as S
from slamodeler.io.workbook.cells import print_setup, put_text, set_widths
from slamodeler.io.workbook.charts import chart_title, show_axes
from slamodeler.io.workbook.sheet_writer import SheetWriter
from slamodeler.io.workbook.values import finite, num, put_value

BUDGET_CELL = "B6"


class FinderSheet(SheetWriter):
    def finder_sheet(self, ws: Worksheet) -> None:
        found = self.c.finder
        assert found is not None
        who = f"tier {found.tier}" if found.tier else "the portfolio"
        self.title(
            ws,
            f"Finder: {found.path}",
            f"The {found.extreme} value of the term that keeps the {STATISTICS[found.statistic]} "
            f"of {who} within the budget, {found.trials:,} trials, seed {found.seed}: every value "
            "priced on the same simulated incidents. The other sheets show the contract at the "
            "answer.",
        )
        set_widths(ws, [44, 18, 18, 18, 14])
        facts: list[tuple[str, object, str]] = [
            ("Term", found.path, S.text),
            ("Statistic", STATISTICS[found.statistic], S.text),
            ("Budget", found.budget, S.money_input),
            ("Answer", num(found.answer), S.text),
            ("Its value now", num(Decimal(str(found.current))), S.text),
            ("Statistic at the answer", finite(found.at_answer.statistic), S.money),
            ("Its 95% interval: from", finite(found.at_answer.low), S.money),
            ("to", finite(found.at_answer.high), S.money),
            ("Answer's uncertainty: from", _end(found, 0), S.text),
            ("to", _end(found, 1), S.text),
        ]
        for i, (label, value, style) in enumerate(facts, 4):
            put_text(ws.cell(i, 1), label, S.label)
            if isinstance(value, str):
                put_text(ws.cell(i, 2), value, style)
            else:
                put_value(ws.cell(i, 2), value, style)
        row = 4 + len(facts) + 1
        put_text(
            ws.cell(row, 1),
            "Each value priced: the statistic and its 95% interval (values), and whether it "
            "meets the budget in B6 (a formula: change the budget to see which values meet it).",
            S.note,
        )
        h = row + 1
        self.header(ws, h, ["Term value", "Statistic", "95% interval from", "to", "Meets budget"])
        op = ">=" if found.statistic == "margin" else "<="
        for i, p in enumerate(found.points, h + 1):
            put_value(ws.cell(i, 1), num(p.value), S.text)
            put_value(ws.cell(i, 2), finite(p.statistic), S.money)
            put_value(ws.cell(i, 3), finite(p.low), S.money)
            put_value(ws.cell(i, 4), finite(p.high), S.money)
            put_value(ws.cell(i, 6), found.budget, S.money)
            self.formula(ws, f"E{i}", f'=IF(B{i}{op}$B$6,"yes","no")')
            self.formula(ws, f"F{i}", "=$B$6", S.money)
        last = h + len(found.points)
        put_text(ws.cell(h, 6), "Budget", S.header)
        self._chart(ws, h, last, found.path)
        print_setup(ws, f"{h}:{h}")

    def _chart(self, ws: Worksheet, h: int, last: int, path: str) -> None:
        chart = ScatterChart()
        chart.title = chart_title("Statistic against the term, with the budget")
        chart.style = 13
        chart.x_axis.title = chart_title(path)
        chart.y_axis.title = self.contract.currency
        xs = Reference(ws, min_col=1, min_row=h + 1, max_row=last)
        for col in (2, 6):
            series = Series(
                Reference(ws, min_col=col, min_row=h, max_row=last), xs, title_from_data=True
            )
            series.marker.symbol = "circle" if col == 2 else "none"
            chart.series.append(series)
        show_axes(chart, x_format="General")
        chart.height, chart.width = 8, 16
        ws.add_chart(chart, f"H{h}")


def _end(found: Finding, i: int) -> object:
    if found.interval is None:
        return "beyond the range" if found.whole_range else "too few trials"
    return num(found.interval[i])
