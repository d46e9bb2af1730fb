"""The Vendor sheet (`slamodeler vendor --xlsx`): per period, the credits we owe because of the
vendor's incidents and the credits the vendor owes us (values from the replays: each is a
contract's own replay), with the gap, the totals and the periods met as formulas; the vendor's
scorecard; and, when simulated, the annual gap's distribution (values: a spreadsheet cannot hold
the trials) (docs/workbook.md)."""

from __future__ import annotations

from decimal import Decimal

from openpyxl.worksheet.worksheet import Worksheet

from slamodeler.io.workbook.cells import STYLES as S
from slamodeler.io.workbook.cells import put_text, set_widths
from slamodeler.io.workbook.sheet_writer import SheetWriter
from slamodeler.io.workbook.values import finite, put_value

HEADERS = ["Period", "We owe", "Vendor owes", "Gap (uncovered)", "Vendor met its target"]
SCORE_HEADERS = ["Vendor tier", "Target %", "Periods", "Periods met", "Credits due", "Trend"]


class VendorSheet(SheetWriter):
    def vendor_sheet(self, ws: Worksheet) -> None:
        found = self.c.vendor
        assert found is not None
        r, f = found.replayed, self.formula
        reach = "; ".join(
            f"{x.vendor_tier} -> {', '.join(x.our_tiers)}" for x in found.vendor.reaches
        )
        self.title(
            ws,
            f"Vendor: {found.vendor.name} back to back with {found.ours.name}",
            f"Credits ({r.currency}, all customers, expected paid) for the vendor's incidents "
            f"({found.labels[1]} reaches {reach}). We owe: our contract replayed on them alone; "
            "the vendor owes: its contract replayed on them. Values from the replays; the gap, "
            "totals and periods met are formulas.",
        )
        set_widths(ws, [24, 16, 16, 16, 16, 40])
        h = 4
        self.header(ws, h, HEADERS)
        ws.freeze_panes = f"A{h + 1}"
        first = h + 1
        for i, p in enumerate(r.periods, first):
            put_text(ws.cell(i, 1), p.period, S.text)
            put_value(ws.cell(i, 2), _money(p.we_owe), S.money)
            put_value(ws.cell(i, 3), _money(p.vendor_owes), S.money)
            f(ws, f"D{i}", f"=B{i}-C{i}", S.money)
            put_text(ws.cell(i, 5), "yes" if all(p.vendor_met.values()) else "no", S.text)
        last = first + len(r.periods) - 1
        total = last + 1
        put_text(ws.cell(total, 1), "Total", S.label)
        for col in "BCD":
            f(ws, f"{col}{total}", f"=SUM({col}{first}:{col}{last})", S.money)
        f(ws, f"E{total}", f'=COUNTIF(E{first}:E{last},"yes")', S.number)
        row = total + 2
        put_text(ws.cell(row, 1), "Vendor scorecard", S.heading)
        self.header(ws, row + 1, SCORE_HEADERS)
        for i, s in enumerate(r.scorecards, row + 2):
            put_text(ws.cell(i, 1), s.tier, S.text)
            put_value(ws.cell(i, 2), float(s.target_pct), S.number)
            ws.cell(i, 2).number_format = "0.00##"
            put_value(ws.cell(i, 3), s.periods, S.number)
            put_value(ws.cell(i, 4), s.met, S.number)
            put_value(ws.cell(i, 5), _money(s.credits_due), S.money)
            change = "" if s.change_points is None else f" ({s.change_points:+.4f} points)"
            put_text(ws.cell(i, 6), f"{s.trend}{change}", S.text)
        self._simulated(ws, row + 3 + len(r.scorecards))

    def _simulated(self, ws: Worksheet, row: int) -> None:
        found = self.c.vendor
        assert found is not None
        s = found.simulated
        if s is None:
            return
        per = "per year" if s.years == 1 else f"per year, averaged over {s.years} years"
        put_text(
            ws.cell(row, 1),
            f"Simulated: {s.trials:,} trials of {s.ours.scenario.name!r}, seed {s.ours.seed}, "
            f"{per}",
            S.heading,
        )
        q, ci = s.quantiles(), s.intervals()
        lines = [
            ("We owe, mean", float(s.we_owe.mean()), S.money),
            ("Vendor owes, mean", float(s.vendor_owes.mean()), S.money),
            ("Gap, mean", s.mean, S.money),
            ("Gap, standard error of the mean", s.stderr, S.money),
            ("Gap, P95", q["p95"], S.money),
            ("Gap, P99", q["p99"], S.money),
            ("Share of trials the vendor's credits fall short", s.p_uncovered, S.share),
        ]
        for i, (label, value, style) in enumerate(lines, row + 1):
            put_text(ws.cell(i, 1), label, S.text)
            put_value(ws.cell(i, 2), finite(value), style)
        below = row + 1 + len(lines)
        for i, key in enumerate(("p95", "p99"), below):  # low in B, high in C
            put_text(ws.cell(i, 1), f"Gap, {key.upper()}: 95% interval (low, high)", S.text)
            put_value(ws.cell(i, 2), finite(ci[key][0]), S.money)
            put_value(ws.cell(i, 3), finite(ci[key][1]), S.money)
        self._simulated_periods(ws, below + 3)

    def _simulated_periods(self, ws: Worksheet, row: int) -> None:
        """Per simulated period, the means of both sides (values) and the gap (a formula)."""
        found = self.c.vendor
        assert found is not None and found.simulated is not None
        self.header(ws, row, ["Simulated period", "We owe, mean", "Vendor owes, mean", "Gap"])
        for i, (label, ours, theirs) in enumerate(found.simulated.by_period(), row + 1):
            put_text(ws.cell(i, 1), label, S.text)
            put_value(ws.cell(i, 2), finite(ours), S.money)
            put_value(ws.cell(i, 3), finite(theirs), S.money)
            self.formula(ws, f"D{i}", f"=B{i}-C{i}", S.money)


def _money(amount: Decimal) -> float:
    return float(amount)
