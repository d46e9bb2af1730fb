"""The Terms sheet: the input table every formula in the workbook reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from slamodeler.domain.contract import Contract, Tier
from slamodeler.domain.credit_schedules import (
    Band,
    BandSchedule,
    FeeMultipleSchedule,
    LinearSchedule,
    PerHourSchedule,
)
from slamodeler.domain.period_words import window_words
from slamodeler.io.workbook.cells import STYLES as S
from slamodeler.io.workbook.cells import print_setup, put_text, set_widths
from slamodeler.io.workbook.sheet_writer import SheetWriter
from slamodeler.io.workbook.values import as_fraction, num, optional_fraction, put_value

SPARE_BAND_ROWS = 10  # empty input rows under the bands, inside the named ranges


class TermsSheet(SheetWriter):
    def terms(self, ws: Worksheet) -> None:
        c = self.contract
        self.title(
            ws,
            "Contract terms",
            "Yellow cells with blue figures are inputs: change a fee, a band, a cap or the claim "
            "rate and the Replay, Profitability and Summary sheets recalculate. Measurement terms "
            "(periods, slots, exclusions) were applied when the workbook was exported: changing "
            "them here changes nothing. Simulated figures (Exposure) do not recalculate.",
        )
        set_widths(ws, [6, 44, 18, 14, 14, 11, 13, 13, 54, 14, 14, 14, 10, 9, 18, 18])
        row = 4
        put_text(ws.cell(row, 1), "Contract", S.heading)
        row += 1
        ex = c.exclusions
        lc = c.liability_cap
        entries: list[tuple[str, str | float | date | None, str, str | None]] = [
            ("Name", c.name, S.text, None),
            ("Description", c.description or "", S.text, None),
            ("Currency", c.currency, S.text, None),
            ("Decimals of the currency (rounding)", self.digits, S.number, "Money_Digits"),
            ("Time zone", c.timezone, S.text, None),
            ("Measurement period", c.measurement.period, S.text, None),
            ("Year starts in (quarters, years)", c.measurement.year_starts, S.text, None),
            ("Measured over", window_words(c.measurement.window), S.text, None),
            ("Term starts", c.term.start, S.date, None),
            ("Term length (months)", c.term.months, S.number, None),
            ("Slot length (minutes)", c.measurement.slot_minutes, S.number, None),
            (
                "Minimum downtime period (minutes)",
                c.measurement.min_downtime_minutes,
                S.number,
                None,
            ),
            *_slot_rules(c),
            (
                "Impact weights",
                ", ".join(
                    f"{k} {v.normalize():f}" for k, v in c.measurement.impact_weights.items()
                ),
                S.text,
                None,
            ),
            ("Excluded causes", ", ".join(ex.causes) or "none", S.text, None),
            ("Maintenance windows", _windows(c) or "none", S.text, None),
            (
                "Maintenance allowance per year (minutes)",
                num(ex.maintenance_allowance_minutes_per_year)
                if ex.maintenance_allowance_minutes_per_year is not None
                else "no limit",
                S.minutes,
                None,
            ),
            (
                "Excluded time",
                "removed from the period: availability = (D - X - T) / (D - X)"
                if ex.excluded_time == "remove"
                else "counted as available: availability = (D - T) / D",
                S.text,
                None,
            ),
            (
                "Liability cap per customer and term (amount)",
                float(lc.amount) if lc and lc.amount is not None else None,
                S.money_input,
                "Liability_Amount",
            ),
            (
                "Liability cap (% of 12 monthly fees)",
                as_fraction(lc.pct_of_annual_fees)
                if lc and lc.pct_of_annual_fees is not None
                else None,
                S.percent_input,
                "Liability_Pct",
            ),
            ("Minimum credit", float(c.claims.min_credit), S.money_input, "Min_Credit"),
            (
                "Minimum credit rule (at_least or more_than)",
                c.claims.min_credit_rule,
                S.text_input,
                "Min_Credit_Rule",
            ),
            (
                "Claim rate (share of credits claimed)",
                float(c.claims.claim_rate),
                S.percent_input,
                "Claim_Rate",
            ),
            (
                "Claim deadline (days after the period; blank: none)",
                c.claims.claim_deadline_days,
                S.number_input,
                "Claim_Deadline_Days",
            ),
            (
                "Share of claims made after the deadline (forfeited)",
                float(c.claims.late_share),
                S.percent_input,
                "Late_Share",
            ),
        ]
        for label, value, style, name in entries:
            put_text(ws.cell(row, 2), label, S.label)
            cell = ws.cell(row, 3)
            if isinstance(value, str):
                put_text(cell, value, style)
            else:
                cell.value = value
                cell.style = style
            if name:
                self.name(name, ws, f"C{row}")
            row += 1
        put_text(
            ws.cell(row, 2),
            "A blank liability cap cell means no cap; with both given, the lower applies.",
            S.note,
        )
        row += 2

        # Tiers
        put_text(ws.cell(row, 1), "Tiers (per customer)", S.heading)
        row += 1
        self.header(
            ws,
            row,
            [
                "#",
                "Tier",
                "Target availability",
                "Monthly fee",
                "Cost to serve per month",
                "Customers",
                "Credit schedule",
                "Boundary rule",
                "Boundary rule in words",
                "Per-period cap (% of period fee)",
                "Yearly cap (% of 12 monthly fees)",
                "Credit per hour down (% of fee)",
                "Hours counted",
                "Fee multiple",
                "Services (scope)",
                "Regions (scope)",
            ],
        )
        first = row + 1
        boundary_cells, hours_cells = [], []
        for i, tier in enumerate(c.tiers, 1):
            r = row + i
            sched = tier.credits
            ws.cell(r, 1, i).style = S.number
            put_text(ws.cell(r, 2), tier.name, S.text_input)
            put_value(ws.cell(r, 3), as_fraction(tier.target_pct), S.availability_input)
            put_value(ws.cell(r, 4), float(tier.monthly_fee), S.money_input)
            put_value(ws.cell(r, 5), float(tier.cost_to_serve_monthly), S.money_input)
            put_value(ws.cell(r, 6), tier.customers, S.number_input)
            put_text(ws.cell(r, 7), sched.kind, S.text)
            if isinstance(sched, LinearSchedule):
                put_text(ws.cell(r, 8), "below", S.text)
                put_text(
                    ws.cell(r, 9),
                    "linear curve between its points; target missed strictly below it",
                    S.text,
                )
            else:
                put_text(ws.cell(r, 8), sched.boundary, S.text_input)
                boundary_cells.append(f"H{r}")
                what = (
                    "a band is hit" if isinstance(sched, BandSchedule) else "the target is missed"
                )
                self.formula(
                    ws,
                    f"I{r}",
                    f'="{what} when availability is "&IF(H{r}="at_or_below","at or below",'
                    f'"strictly below")&" its threshold"',
                    S.text,
                )
            caps = tier.caps
            put_value(ws.cell(r, 10), optional_fraction(caps.per_period_pct), S.percent_input)
            put_value(
                ws.cell(r, 11), optional_fraction(caps.per_year_pct_of_annual_fees), S.percent_input
            )
            if isinstance(sched, PerHourSchedule):
                put_value(ws.cell(r, 12), as_fraction(sched.credit_pct_per_hour), S.percent_input)
                put_text(ws.cell(r, 13), sched.hours, S.text_input)
                hours_cells.append(f"M{r}")
            if isinstance(sched, FeeMultipleSchedule):
                put_value(ws.cell(r, 14), num(sched.multiple), S.number_input)
                ws.cell(r, 14).number_format = "0.###"
            put_text(ws.cell(r, 15), ", ".join(tier.scope.services) or "all", S.text)
            put_text(ws.cell(r, 16), _regions_text(tier), S.text)
        last = row + len(c.tiers)
        for name, col in (
            ("Tier_Name", "B"),
            ("Tier_Target", "C"),
            ("Tier_Fee", "D"),
            ("Tier_Cost", "E"),
            ("Tier_Customers", "F"),
            ("Tier_Kind", "G"),
            ("Tier_Boundary", "H"),
            ("Tier_PeriodCap", "J"),
            ("Tier_YearCap", "K"),
            ("Tier_PerHour", "L"),
            ("Tier_Hours", "M"),
            ("Tier_Multiple", "N"),
        ):
            self.name(name, ws, f"{col}{first}:{col}{last}")
        _list_validation(ws, boundary_cells, "below,at_or_below")
        _list_validation(ws, hours_cells, "started,whole,exact")
        row = last + 1
        put_text(
            ws.cell(row, 2),
            "A blank cap cell means no such cap. To change a tier's kind of schedule, its scope "
            "or the measurement terms, edit the contract and export again.",
            S.note,
        )
        row += 2

        # Bands
        put_text(ws.cell(row, 1), "Credit bands", S.heading)
        row += 1
        put_text(
            ws.cell(row, 2),
            "The credit is that of the lowest band hit; list a tier's bands with falling "
            "thresholds and credits that do not fall (the Check column says so). Add a band in a "
            "spare row: give its tier's # in the first column. A band that states its lower end "
            'gives it as Availability above (Lower end: included for "at or above"); Upper end '
            "included or excluded overrides the tier's boundary rule for that band.",
            S.note,
        )
        row += 1
        self.header(
            ws,
            row,
            [
                "Tier #",
                "Tier",
                "Band",
                "Availability below",
                "Credit (% of period fee)",
                "Check",
                "Escalation",
                "Upper end",
                "Availability above",
                "Lower end",
            ],
        )
        start = row + 1
        r = start
        for i, tier in enumerate(c.tiers, 1):
            if not isinstance(tier.credits, BandSchedule):
                continue
            for b, band in enumerate(tier.credits.bands, 1):
                put_value(ws.cell(r, 1), i, S.number_input)
                self.formula(ws, f"B{r}", f'=IF(A{r}="","",INDEX(Tier_Name,A{r}))', S.text)
                put_value(ws.cell(r, 3), b, S.number)
                put_value(ws.cell(r, 4), as_fraction(band.below), S.availability_input)
                put_value(ws.cell(r, 5), as_fraction(band.credit_pct), S.percent_input)
                put_text(ws.cell(r, 7), band.escalation or "", S.text_input)
                self._band_ends(ws, r, band)
                self._band_check(ws, r, start)
                r += 1
        for _ in range(SPARE_BAND_ROWS):
            for column, style in (
                (1, S.number_input),
                (4, S.availability_input),
                (5, S.percent_input),
                (8, S.text_input),
                (9, S.availability_input),
                (10, S.text_input),
            ):
                ws.cell(r, column).style = style
            self.formula(ws, f"B{r}", f'=IF(A{r}="","",INDEX(Tier_Name,A{r}))', S.text)
            self._band_check(ws, r, start)
            r += 1
        end = r - 1
        self.name("Bands_Tier", ws, f"A{start}:A{end}")
        self.name("Bands_Below", ws, f"D{start}:D{end}")
        self.name("Bands_Credit", ws, f"E{start}:E{end}")
        self.name("Bands_Upper", ws, f"H{start}:H{end}")
        self.name("Bands_Above", ws, f"I{start}:I{end}")
        self.name("Bands_Lower", ws, f"J{start}:J{end}")
        _list_validation(
            ws, [f"H{start}:H{end}", f"J{start}:J{end}"], "included,excluded", allow_blank=True
        )
        row = end + 2

        linear = [(i, t) for i, t in enumerate(c.tiers, 1) if isinstance(t.credits, LinearSchedule)]
        if linear:
            put_text(ws.cell(row, 1), "Linear credit curves (for reference)", S.heading)
            row += 1
            put_text(
                ws.cell(row, 2),
                "The workbook does not recompute linear curves: the Replay sheet shows the "
                "engine's credit percentage for these tiers (grey). Edit the contract and export "
                "again to change a curve.",
                S.note,
            )
            row += 1
            self.header(ws, row, ["Tier #", "Tier", "Point", "Availability", "Credit"])
            for i, tier in linear:
                assert isinstance(tier.credits, LinearSchedule)
                for p, point in enumerate(tier.credits.points, 1):
                    row += 1
                    ws.cell(row, 1, i).style = S.number
                    put_text(ws.cell(row, 2), tier.name, S.text)
                    ws.cell(row, 3, p).style = S.number
                    put_value(ws.cell(row, 4), as_fraction(point.availability_pct), S.availability)
                    put_value(ws.cell(row, 5), as_fraction(point.credit_pct), S.percent)
        print_setup(ws)

    def _band_ends(self, ws: Worksheet, r: int, band: Band) -> None:
        """The band's stated ends: the upper end's inclusion (blank: by the tier's boundary),
        the lower end and its inclusion (blank: none, the band reaches down to 0%)."""
        put_text(ws.cell(r, 8), band.upper_end or "", S.text_input)
        if band.above is not None:
            put_value(ws.cell(r, 9), as_fraction(band.above), S.availability_input)
            put_text(ws.cell(r, 10), band.lower_end, S.text_input)
        else:
            ws.cell(r, 9).style = S.availability_input
            put_text(ws.cell(r, 10), "", S.text_input)

    def _band_check(self, ws: Worksheet, r: int, start: int) -> None:
        if r == start:
            text = f'=IF(A{r}="","","ok")'
        else:
            p = r - 1
            text = (
                f'=IF(A{r}="","",IF(AND(A{r}=A{p},OR(D{r}>=D{p},E{r}<E{p})),'
                f'"out of order: thresholds must fall and credits must not","ok"))'
            )
        self.formula(ws, f"F{r}", text, S.text)


def _windows(c: Contract) -> str:
    out = []
    for w in c.exclusions.maintenance_windows:
        when = {"week": f"weekly on {w.day}", "day": "daily", "month": f"monthly on day {w.day}"}
        out.append(f"{when[w.every]} at {w.start} for {w.minutes} min")
    return "; ".join(out)


def _list_validation(
    ws: Worksheet, cells: Sequence[str], choices: str, allow_blank: bool = False
) -> None:
    if not cells:
        return
    dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=allow_blank)
    dv.error = f"Choose one of: {choices.replace(',', ', ')}"
    dv.errorTitle = "Not a valid choice"
    ws.add_data_validation(dv)
    for cell in cells:
        dv.add(cell)


def _slot_rules(c: Contract) -> list[tuple[str, str | float | date | None, str, str | None]]:
    """The slot rules, for reference: applied by the engine, per slot, at export."""
    m = c.measurement
    above = "none" if m.down_above is None else f"{m.down_above.normalize():f}"
    return [
        ("Slot counting (an incident counts in a slot it covers)", m.slot_counting, S.text, None),
        ("Overlapping incidents", m.overlaps, S.text, None),
        ("A slot is down in full above", above, S.text, None),
        ("Service hours", _service_hours(c), S.text, None),
    ]


def _regions_text(tier: Tier) -> str:
    """The regions of a tier's scope, and its k-of-n zone rule when it has one (a value: the
    measured minutes do not recalculate from it)."""
    regions = ", ".join(tier.scope.regions) or "all"
    rule = tier.scope.zones
    if rule is None:
        return regions
    return f"{regions}; down while {rule.at_least} of {', '.join(rule.of) or 'any zones'} are"


def _service_hours(c: Contract) -> str:
    """The hours measured, in words (the Replay minutes are those of these hours)."""
    hours = c.measurement.service_hours
    if hours is None:
        return "around the clock"
    days = ", ".join(d[:3] for d in hours.days)
    off = ", ".join(day.isoformat() for day in hours.holidays)
    return f"{days} {hours.start}-{hours.end} ({c.timezone})" + (f"; not on {off}" if off else "")
