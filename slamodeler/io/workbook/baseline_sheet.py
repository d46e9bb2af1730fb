"""The Baseline sheet: each period's measured availability (values: a spreadsheet cannot measure
incidents), and as formulas over them the target met in a share of periods, the distribution and
each candidate target's misses. The candidates' credits are values from replay with the schedule
moved with the target (docs/workbook.md, docs/baseline.md)."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from slamodeler.domain.limits import PCT_DECIMALS
from slamodeler.engine.baseline import SHARES_SHOWN, Baseline, TierBaseline
from slamodeler.io.workbook.cells import STYLES as S
from slamodeler.io.workbook.cells import print_setup, put_text, set_widths
from slamodeler.io.workbook.sheet_writer import SheetWriter
from slamodeler.io.workbook.values import as_fraction, num, put_value

# The grid of a suggested target in the fraction a percent cell holds (4 decimals of a percent).
DIGITS = PCT_DECIMALS + 2
SHARE_CELL = "B4"


def _needed(share: str, n: str) -> str:
    """ceil(share * n), at least 1; ROUND first so that 0.95 * 20 is 19, not 19.000000000000004."""
    return f"MAX(1,ROUNDUP(ROUND({share}*{n},9),0))"


class BaselineSheet(SheetWriter):
    def baseline(self, ws: Worksheet) -> None:
        found = self.c.baseline
        assert found is not None
        self.title(
            ws,
            f"Baseline from history: {found.first} to {found.last}",
            "Availabilities are the engine's measurement (values); the suggested target, the "
            "distribution and the periods missed are formulas over them and the share in B4. "
            "Credits are values: each candidate replayed with the schedule shifted with it.",
        )
        set_widths(ws, [30, 16, 16, 16, 18, 18, 4, 12, 14, 14])
        put_text(ws["A4"], "Share of periods the target is met in", S.label)
        put_value(ws[SHARE_CELL], float(found.tiers[0].share), S.percent_input)
        self.name("Baseline_Share", ws, SHARE_CELL)
        row = 6
        for tier in found.tiers:
            row = self._tier(ws, row, tier, found) + 2
        print_setup(ws)

    def _tier(self, ws: Worksheet, row: int, tier: TierBaseline, found: Baseline) -> int:
        f = self.formula
        rule = "at or above" if tier.boundary == "below" else "above"
        put_text(
            ws.cell(row, 1),
            f"Tier {tier.tier}: the contract's target {tier.contract_target_percent}% "
            f"(met {rule} the target)",
            S.heading,
        )
        # the periods, in columns H:J beside the figures
        self.header(ws, row + 1, ["Period", "Availability", "Downtime minutes"], first=8)
        first = row + 2
        for i, p in enumerate(tier.periods, first):
            put_text(ws.cell(i, 8), p.period, S.text)
            put_value(ws.cell(i, 9), as_fraction(p.availability_pct), S.availability)
            put_value(ws.cell(i, 10), num(p.downtime_minutes), S.minutes)
        last = first + len(tier.periods) - 1
        avail = f"$I${first}:$I${last}"
        met_op, miss_op = (">=", "<") if tier.boundary == "below" else (">", "<=")

        r = row + 1
        put_text(ws.cell(r, 1), "Periods", S.label)
        f(ws, f"B{r}", f"=COUNT({avail})", S.number)
        n = f"B{r}"
        put_text(ws.cell(r + 1, 1), "Periods the target must be met in", S.label)
        f(ws, f"B{r + 1}", f"={_needed(SHARE_CELL.replace('B', '$B$'), n)}", S.number)
        k = f"B{r + 1}"
        put_text(ws.cell(r + 2, 1), "Availability of that best period", S.label)
        f(ws, f"B{r + 2}", f"=LARGE({avail},{k})", S.availability)
        deciding = f"B{r + 2}"
        put_text(ws.cell(r + 3, 1), "Periods at exactly that availability", S.label)
        f(ws, f"B{r + 3}", f"=COUNTIF({avail},{deciding})", S.number)
        put_text(ws.cell(r + 4, 1), "Suggested target", S.label)
        if tier.boundary == "below":  # met at or above: the grid point at or under it
            target = f"=ROUNDDOWN({deciding},{DIGITS})"
        else:  # met only above: the grid point strictly under it
            target = f"=ROUNDUP({deciding},{DIGITS})-1E-{DIGITS}"
        f(ws, f"B{r + 4}", target, S.availability)
        suggested = f"B{r + 4}"
        put_text(ws.cell(r + 5, 1), "Periods that meet it", S.label)
        f(ws, f"B{r + 5}", f'=COUNTIF({avail},"{met_op}"&{suggested})', S.number)
        put_text(ws.cell(r + 6, 1), "Share of periods that meet it", S.label)
        f(ws, f"B{r + 6}", f"=B{r + 5}/{n}", S.share)
        # Clopper-Pearson, as the engine: the beta quantiles, with the ends at 0 met or all met
        m = f"B{r + 5}"
        put_text(ws.cell(r + 7, 1), "95% interval of that share, from", S.label)
        f(ws, f"B{r + 7}", f"=IF({m}=0,0,BETAINV(0.025,{m},{n}-{m}+1))", S.share)
        put_text(ws.cell(r + 8, 1), "95% interval of that share, to", S.label)
        f(ws, f"B{r + 8}", f"=IF({m}={n},1,BETAINV(0.975,{m}+1,{n}-{m}))", S.share)

        r += 10
        put_text(ws.cell(r, 1), "Distribution", S.heading)
        put_text(ws.cell(r + 1, 1), "Mean availability", S.label)
        f(ws, f"B{r + 1}", f"=AVERAGE({avail})", S.availability)
        r += 2
        for share in SHARES_SHOWN:
            put_text(ws.cell(r, 1), f"Reached in {float(share):.0%} of periods", S.label)
            put_value(ws.cell(r, 3), float(share), S.share)
            f(ws, f"B{r}", f"=LARGE({avail},{_needed(f'C{r}', n)})", S.availability)
            r += 1

        r += 1
        put_text(ws.cell(r, 1), "Candidate targets", S.heading)
        self.header(
            ws,
            r + 1,
            [
                "Target",
                "Suggested",
                "Periods missed",
                "Share met",
                f"Credits per customer ({found.currency})",
                "Credits, all customers",
            ],
        )
        tier_no = self.tier_no[tier.tier]
        for i, c in enumerate(tier.candidates, r + 2):
            put_value(ws.cell(i, 1), as_fraction(c.target_pct), S.availability)
            put_text(ws.cell(i, 2), "suggested" if c.suggested else "", S.text)
            f(ws, f"C{i}", f'=COUNTIF({avail},"{miss_op}"&A{i})', S.number)
            f(ws, f"D{i}", f"=1-C{i}/{n}", S.share)
            put_value(ws.cell(i, 5), num(c.credit_per_customer), S.engine)
            f(ws, f"F{i}", f"=E{i}*INDEX(Tier_Customers,{tier_no})", S.money)
        return max(last, r + 1 + len(tier.candidates))
