"""The Replay sheet: the engine's measured minutes, and credits as formulas over Terms."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from slamodeler.domain.contract import Contract, Tier
from slamodeler.domain.credit_schedules import (
    BandSchedule,
    FeeMultipleSchedule,
    LinearSchedule,
    PerHourSchedule,
)
from slamodeler.domain.results import PeriodResult
from slamodeler.engine.fees import credited_fee, term_annual_fees, year_fees
from slamodeler.engine.measured_windows import claim_period, iso_epoch
from slamodeler.engine.periods import (
    Period,
    contract_year,
    parse_label,
    periods_between,
    term_number,
)
from slamodeler.io.workbook.cells import STYLES as S
from slamodeler.io.workbook.cells import print_setup, put_text, set_widths
from slamodeler.io.workbook.remedies import termination_formula
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
        either = any(c.tier(t.tier).either_or is not None for t in result.tiers)
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
            )
            + (
                " The customer cap's cut (grey) is the engine's: it walks every tier held "
                "together period by period."
                if c.customer_cap is not None
                else ""
            )
            + (
                " Grey credit percentages of tiers with an either-or credit are the engine's "
                "choice of the two (the rule says which was paid)."
                if either
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
            *self._remedy_headers(),
        ]
        h = 3
        self.header(ws, h, headers)
        set_widths(
            ws,
            [6, 16, 9, 11, 11, 7, 10, 10, 10, 11, 8, 9, *[13] * 12, 9, 34, 34, 24, *[14] * 3],
        )
        ws.freeze_panes = "D4"
        r = h
        for tier_result in result.tiers:
            tier = c.tier(tier_result.tier)
            k = self.tier_no[tier.name]
            self.tier_first = r + 1
            for p in tier_result.periods:
                r += 1
                period = by_label.get(p.period) or claim_period(p, self.zone)
                year = contract_year(c.term, period.first_day)
                term = term_number(c.term, period.first_day)
                self._replay_row(ws, r, h + 1, k, tier, p, year, term, period)
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
        period: Period,
    ) -> None:
        c = self.contract
        months = period.months
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
        if tier.either_or is not None:  # two schedules, one paid: the engine's choice
            put_value(ws.cell(r, 12), as_fraction(p.credit_pct), S.engine_percent)
        elif isinstance(sched, BandSchedule):
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
        with_added_credits(ws.cell(r, 12), p)
        fee, annual, term_annual = fee_formulas(c, tier, p, year, term, period, t, r)
        f(ws, f"M{r}", f"={fee}", S.money)
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
            f"{annual}*INDEX(Tier_YearCap,{t}),{d}){year_used},{d})))",
            S.money,
        )
        term_used = self._used_before(r, first, "E")
        f(
            ws,
            f"Q{r}",
            f'=IF(AND(Liability_Amount="",Liability_Pct=""),P{r},MIN(P{r},ROUND(ROUNDDOWN(MIN('
            f'IF(Liability_Amount="",9E+307,Liability_Amount),IF(Liability_Pct="",9E+307,'
            f"{term_annual}*Liability_Pct)),{d}){term_used},{d})))",
            S.money,
        )
        clears = clears_minimum(f"Q{r}")
        if c.customer_cap is None:
            f(ws, f"R{r}", f"=IF({clears},0,Q{r})", S.money)
            f(ws, f"S{r}", f"=IF({clears},Q{r},0)", S.money)
            f(ws, f"T{r}", f"=ROUND(N{r}-Q{r},{d})", S.money)
        else:  # the customer cap's cut (a value) after the tier's own caps and minimum credit
            cut, before = self._cut_columns(r)
            put_value(ws[cut], num(p.capped_by_customer), S.engine)
            f(ws, before, f"=IF({clears},Q{r},0)", S.money)
            left = f"({before}-{cut})"
            f(ws, f"S{r}", f"=IF({clears_minimum(left)},{left},0)", S.money)
            f(ws, f"R{r}", f"=ROUND(Q{r}-S{r}-{cut},{d})", S.money)
            f(ws, f"T{r}", f"=ROUND(N{r}-Q{r}+{cut},{d})", S.money)
        f(ws, f"U{r}", f"=ROUND(N{r}-O{r},{d})", S.money)
        f(ws, f"V{r}", f"=ROUND(O{r}-P{r},{d})", S.money)
        f(ws, f"W{r}", f"=ROUND(P{r}-Q{r},{d})", S.money)
        f(ws, f"X{r}", f"=ROUND(S{r}*Claim_Rate*(1-Late_Share),{d})", S.money)
        counted = sum(1 for s in self.shares.of(tier.name, p) if s.counted_minutes)
        put_value(ws.cell(r, 25), counted, S.number)
        reasons = "; ".join(f"{k} {num(v)} min" for k, v in p.excluded_by_reason.items())
        put_text(ws.cell(r, 26), reasons, S.text)
        put_text(ws.cell(r, 27), p.rule + support_words(p), S.text)
        put_text(ws.cell(r, 28), p.escalation or "", S.text)
        flag = termination_formula(c, tier, r, self.tier_first)
        if flag is not None:
            f(ws, f"AC{r}", flag, S.text)

    def _remedy_headers(self) -> list[str]:
        """Columns AC on, beyond the tier's own credits: the chronic-failure flag (empty for a
        tier without a clause), then, under a customer cap, its cut and the credit before it."""
        out = ["Termination right (chronic failure)"]
        if self.contract.customer_cap is not None:
            out += ["Capped by customer cap", "Issued before customer cap"]
        return out

    @staticmethod
    def _cut_columns(r: int) -> tuple[str, str]:
        return f"AD{r}", f"AE{r}"

    def _used_before(self, r: int, first: int, key: str) -> str:
        """``-SUMPRODUCT(...)``: credits issued in the rows above of the same tier and the same
        contract year (key D) or term (key E); nothing for the first row."""
        if r == first:
            return ""
        p = r - 1
        # the tier's own caps count what it issued before any customer cap's cut
        issued = "S" if self.contract.customer_cap is None else "AE"
        return (
            f"-SUMPRODUCT(($A${first}:$A{p}=$A{r})*(${key}${first}:${key}{p}=${key}{r}),"
            f"${issued}${first}:${issued}{p})"
        )


def clears_minimum(amount: str) -> str:
    """Whether ``amount`` (a cell or an expression) is issued under the minimum credit."""
    return f'IF(Min_Credit_Rule="more_than",{amount}>Min_Credit,{amount}>=Min_Credit)'


def with_added_credits(cell: Any, p: PeriodResult) -> None:
    """A period's support and per-incident credits added to its schedule's credit % formula as
    the replay's values (the workbook holds neither tickets nor each incident's credit:
    docs/workbook.md), exactly; a credit % written as a value has them already."""
    added = p.incident_credit_percent + (p.support.credit_pct if p.support is not None else 0)
    if added and isinstance(cell.value, str) and cell.value.startswith("="):
        share = Fraction(added) / 100
        text = str(share.numerator) if share.denominator == 1 else f"({share})"
        cell.value = f"{cell.value}+{text}"


def support_words(p: PeriodResult) -> str:
    """The support credit in the rule column, when a period has late responses."""
    if p.support is None or not p.support.misses:
        return ""
    late = ", ".join(m.ticket.id for m in p.support.misses)
    return f"; support: {len(p.support.misses)} late response(s) ({late}) +{float(p.support.credit_pct):g}%"


def fee_formulas(
    contract: Contract,
    tier: Tier,
    p: PeriodResult,
    year: int,
    term: int,
    row: Period,
    t: str,
    r: int,
) -> tuple[str, str, str]:
    """The period fee, the contract year's fees and the term's annual fees as formula terms: from
    the Terms sheet's monthly fee, or, where the tier's fees vary by month or its credits are on
    a share of the fee, the engine's values (engine/fees.py; docs/workbook.md)."""
    if not tier.monthly_fees and tier.affected_share == 1:
        return f"INDEX(Tier_Fee,{t})*F{r}", f"INDEX(Tier_Fee,{t})*12", f"INDEX(Tier_Fee,{t})*12"
    # the period's first day: its end (the next period's first day) less its months; a rolling
    # window's row starts days before it
    months = row.months
    whole = months if isinstance(months, int) else 0
    period = Period(p.period, add_months(date.fromisoformat(p.end[:10]), -whole), months, 0, 0)
    if row.month_shares:  # a claim's window: the months its days cover (engine/fees.py)
        period = row
    return (
        repr(float(credited_fee(tier, period))),
        repr(float(year_fees(contract.term, tier, year))),
        repr(float(term_annual_fees(contract.term, tier, term))),
    )
