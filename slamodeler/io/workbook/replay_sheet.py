"""The Replay sheet: the engine's measured minutes, and credits as formulas over Terms."""

from __future__ import annotations

from fractions import Fraction

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from slamodeler.domain.contract import Tier
from slamodeler.domain.credit_schedules import (
    BandSchedule,
    FeeMultipleSchedule,
    LinearSchedule,
    PerHourSchedule,
)
from slamodeler.domain.results import PeriodResult
from slamodeler.engine.measured_windows import claim_period, iso_epoch
from slamodeler.engine.periods import contract_year, parse_label, periods_between, term_number
from slamodeler.io.workbook.cells import STYLES as S
from slamodeler.io.workbook.cells import print_setup, put_text, set_widths
from slamodeler.io.workbook.sheet_writer import SheetWriter
from slamodeler.io.workbook.values import add_months, as_fraction, num, put_value


class ReplaySheet(SheetWriter):
    def replay(self, ws: Worksheet) -> None:
        result = self.c.replay
        if result is None:
            self.title(
                ws,
                "Replay",
                "No replayed history in this export (slamodeler export "
                "CONTRACT INCIDENTS writes one).",
            )
            return
        c = self.contract
        kind, first_month = c.measurement.period, c.measurement.first_month
        periods = periods_between(
            parse_label(result.first, kind, first_month),
            parse_label(result.last, kind, first_month),
            kind,
            self.zone,
            first_month,
        )
        by_label = {p.label: p for p in periods}
        rows = [p for t in result.tiers for p in t.periods]
        earliest = min([periods[0].start, *(iso_epoch(p.start) for p in rows)])
        self.replay_span = (earliest, periods[-1].end)
        linear = any(isinstance(c.tier(t.tier).credits, LinearSchedule) for t in result.tiers)
        self.title(
            ws,
            f"Replay: {result.first} to {result.last}, per customer",
            "Minutes and availability were measured by the engine (values). Credit, fee, caps, "
            "minimum credit and claim rate are formulas over the Terms sheet, in the order of "
            "docs/measurement.md: keep the rows in this order (yearly and liability caps add up "
            "the rows above)."
            + (
                " Grey credit percentages (linear curves) are the engine's values."
                if linear
                else ""
            ),
        )
        headers = [
            "Tier #",
            "Tier",
            "Period",
            "Contract year from",
            "Term from",
            "Months",
            "Period minutes",
            "Excluded minutes",
            "Downtime minutes",
            "Availability",
            "Target",
            "Credit %",
            "Period fee",
            "Credit owed",
            "After per-period cap",
            "After yearly cap",
            "After liability cap",
            "Below minimum credit",
            "Credit issued",
            "Capped off",
            "Capped by per-period cap",
            "Capped by yearly cap",
            "Capped by liability cap",
            "Expected paid (claim rate)",
            "Incidents counted",
            "Excluded because",
            "Rule at export",
            "Escalation",
        ]
        h = 3
        self.header(ws, h, headers)
        set_widths(
            ws,
            [6, 16, 9, 11, 11, 7, 10, 10, 10, 11, 8, 9, *[13] * 12, 9, 34, 34, 24],
        )
        ws.freeze_panes = "D4"
        r = h
        for tier_result in result.tiers:
            tier = c.tier(tier_result.tier)
            k = self.tier_no[tier.name]
            for p in tier_result.periods:
                r += 1
                period = by_label.get(p.period) or claim_period(p, self.zone)
                year = contract_year(c.term, period.first_day)
                term = term_number(c.term, period.first_day)
                self._replay_row(ws, r, h + 1, k, tier, p, year, term, period.months)
        last = r
        self.replay_rows = last - h
        if last > h:
            for name, col in (
                ("Replay_TierNo", "A"),
                ("Replay_Months", "F"),
                ("Replay_Met", "K"),
                ("Replay_Owed", "N"),
                ("Replay_Issued", "S"),
                ("Replay_CappedOff", "T"),
                ("Replay_Paid", "X"),
            ):
                self.name(name, ws, f"{col}{h + 1}:{col}{last}")
            ws.auto_filter.ref = f"A{h}:{get_column_letter(len(headers))}{last}"
        print_setup(ws, f"{h}:{h}")

    def _replay_row(
        self,
        ws: Worksheet,
        r: int,
        first: int,
        k: int,
        tier: Tier,
        p: PeriodResult,
        year: int,
        term: int,
        months: int | Fraction,
    ) -> None:
        c = self.contract
        f = self.formula
        d = "Money_Digits"
        t = f"$A{r}"
        put_value(ws.cell(r, 1), k, S.number)
        f(ws, f"B{r}", f"=INDEX(Tier_Name,{t})", S.text)
        put_text(ws.cell(r, 3), p.period, S.text)
        put_value(ws.cell(r, 4), add_months(c.term.start, 12 * year), S.date)
        put_value(ws.cell(r, 5), add_months(c.term.start, c.term.months * term), S.date)
        put_value(ws.cell(r, 6), months if isinstance(months, int) else float(months), S.number)
        put_value(ws.cell(r, 7), num(p.period_minutes), S.minutes)
        put_value(ws.cell(r, 8), num(p.excluded_minutes), S.minutes)
        put_value(ws.cell(r, 9), num(p.downtime_minutes), S.minutes)
        put_value(ws.cell(r, 10), as_fraction(p.availability_pct), S.availability)
        f(
            ws,
            f"K{r}",
            f'=IF(OR(J{r}<INDEX(Tier_Target,{t}),AND(INDEX(Tier_Boundary,{t})="at_or_below",'
            f'J{r}=INDEX(Tier_Target,{t}))),"missed","met")',
            S.text,
        )
        sched = tier.credits
        if isinstance(sched, BandSchedule):
            f(
                ws,
                f"L{r}",
                f"=SUMPRODUCT(MAX((Bands_Tier={t})*(((J{r}<Bands_Below)+"
                f'((Bands_Upper="included")+(Bands_Upper="")*'
                f'(INDEX(Tier_Boundary,{t})="at_or_below"))*(J{r}=Bands_Below))>0)*'
                f'(((Bands_Above="")+(J{r}>Bands_Above)+'
                f'(Bands_Lower="included")*(J{r}=Bands_Above))>0)*Bands_Credit))',
                S.percent,
            )
        elif isinstance(sched, PerHourSchedule):
            hours = (
                f'IF(INDEX(Tier_Hours,{t})="started",ROUNDUP(I{r}/60,0),'
                f'IF(INDEX(Tier_Hours,{t})="whole",ROUNDDOWN(I{r}/60,0),I{r}/60))'
            )
            f(ws, f"L{r}", f'=IF(K{r}="missed",INDEX(Tier_PerHour,{t})*{hours},0)', S.percent)
        elif isinstance(sched, FeeMultipleSchedule):
            # the downtime's share of the period (G), or of scheduled availability (G - H)
            share = f"(G{r}-H{r})" if sched.share_of == "scheduled" else f"G{r}"
            f(
                ws,
                f"L{r}",
                f'=IF(AND(K{r}="missed",{share}>0),INDEX(Tier_Multiple,{t})*I{r}/{share},0)',
                S.percent,
            )
        else:
            put_value(ws.cell(r, 12), as_fraction(p.credit_pct), S.engine_percent)
        if p.incident_credit_percent and not isinstance(ws[f"L{r}"].value, float):
            ws[f"L{r}"] = f"{ws[f'L{r}'].value}+{_fraction_text(p.incident_credit_percent / 100)}"
        f(ws, f"M{r}", f"=INDEX(Tier_Fee,{t})*F{r}", S.money)
        f(ws, f"N{r}", f"=ROUND(M{r}*L{r},{d})", S.money)
        f(
            ws,
            f"O{r}",
            f'=IF(INDEX(Tier_PeriodCap,{t})="",N{r},'
            f"MIN(N{r},ROUNDDOWN(M{r}*INDEX(Tier_PeriodCap,{t}),{d})))",
            S.money,
        )
        year_used = self._used_before(r, first, "D")
        f(
            ws,
            f"P{r}",
            f'=IF(INDEX(Tier_YearCap,{t})="",O{r},MIN(O{r},ROUND(ROUNDDOWN('
            f"INDEX(Tier_Fee,{t})*12*INDEX(Tier_YearCap,{t}),{d}){year_used},{d})))",
            S.money,
        )
        term_used = self._used_before(r, first, "E")
        f(
            ws,
            f"Q{r}",
            f'=IF(AND(Liability_Amount="",Liability_Pct=""),P{r},MIN(P{r},ROUND(ROUNDDOWN(MIN('
            f'IF(Liability_Amount="",9E+307,Liability_Amount),IF(Liability_Pct="",9E+307,'
            f"INDEX(Tier_Fee,{t})*12*Liability_Pct)),{d}){term_used},{d})))",
            S.money,
        )
        clears = f'IF(Min_Credit_Rule="more_than",Q{r}>Min_Credit,Q{r}>=Min_Credit)'
        f(ws, f"R{r}", f"=IF({clears},0,Q{r})", S.money)
        f(ws, f"S{r}", f"=IF({clears},Q{r},0)", S.money)
        f(ws, f"T{r}", f"=ROUND(N{r}-Q{r},{d})", S.money)
        f(ws, f"U{r}", f"=ROUND(N{r}-O{r},{d})", S.money)
        f(ws, f"V{r}", f"=ROUND(O{r}-P{r},{d})", S.money)
        f(ws, f"W{r}", f"=ROUND(P{r}-Q{r},{d})", S.money)
        f(ws, f"X{r}", f"=ROUND(S{r}*Claim_Rate*(1-Late_Share),{d})", S.money)
        counted = sum(1 for s in self.shares.of(tier.name, p) if s.counted_minutes)
        put_value(ws.cell(r, 25), counted, S.number)
        reasons = "; ".join(f"{k} {num(v)} min" for k, v in p.excluded_by_reason.items())
        put_text(ws.cell(r, 26), reasons, S.text)
        put_text(ws.cell(r, 27), p.rule, S.text)
        put_text(ws.cell(r, 28), p.escalation or "", S.text)

    @staticmethod
    def _used_before(r: int, first: int, key: str) -> str:
        """``-SUMPRODUCT(...)``: credits issued in the rows above of the same tier and the same
        contract year (key D) or term (key E); nothing for the first row."""
        if r == first:
            return ""
        p = r - 1
        return (
            f"-SUMPRODUCT(($A${first}:$A{p}=$A{r})*(${key}${first}:${key}{p}=${key}{r}),"
            f"$S${first}:$S{p})"
        )


def _fraction_text(value: Fraction) -> str:
    """The per-incident credits a period earned, as a value the credit % formula adds (the
    incidents are not in the workbook's terms: docs/workbook.md)."""
    return str(value.numerator) if value.denominator == 1 else f"({value})"
