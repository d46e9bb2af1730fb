"""The exposure workbook (docs/workbook.md): an .xlsx a negotiator can hand over and still edit.

Sheets: Summary, Terms, Replay, Incidents, Exposure, Profitability, Assumptions. Terms is the
input table; the Replay sheet's credit percentage, amounts and caps are Excel formulas over Terms
that follow docs/measurement.md to the cent, so editing a band, a fee or a cap recalculates them.
Measured minutes and simulated statistics are values: a spreadsheet cannot re-measure incidents or
re-run a simulation.

The Incidents sheet can have hundreds of thousands of rows. openpyxl writes about 120,000 cells
a second, so its rows are streamed as sheet XML straight into the package (see
:func:`slamodeler.io.workbook_cells.stream_rows`); everything else is plain openpyxl.
"""

from __future__ import annotations

import calendar
import getpass
import io
import math
import os
import re
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference, ScatterChart, Series
from openpyxl.chart.data_source import NumFmt
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from slamodeler import __version__
from slamodeler.domain.contract import Contract, Tier
from slamodeler.domain.credit_schedules import (
    BandSchedule,
    FeeMultipleSchedule,
    LinearSchedule,
    PerHourSchedule,
)
from slamodeler.domain.errors import InputError
from slamodeler.domain.incidents import ImportReport, Incident
from slamodeler.domain.results import PeriodResult, ReplayResult
from slamodeler.engine.exposure import Exposure, exposures
from slamodeler.engine.periods import contract_year, parse_label, periods_between, term_number
from slamodeler.engine.simulation import SimulationRun
from slamodeler.io.simulation_report import scenario_hash
from slamodeler.io.workbook_cells import (
    FONT,
    NUMBER,
    STYLES,
    TEXT,
    StreamColumn,
    add_named_styles,
    money_digits,
    print_setup,
    put_text,
    safe_text,
    set_widths,
    stream_rows,
    style_id,
)
from slamodeler.io.workbook_incidents import Shares, excel_time, incident_rows

WORKBOOK_FORMAT = "slamodeler-workbook/v1"
SHEETS = ("Summary", "Terms", "Replay", "Incidents", "Exposure", "Profitability", "Assumptions")
SPARE_BAND_ROWS = 10  # empty input rows under the bands, inside the named ranges
HIST_BINS = 30
CONVERGENCE_POINTS = 40
Z95 = 1.959963984540054
S = STYLES


@dataclass(frozen=True)
class WorkbookContent:
    """What goes into a workbook: the contract, and a replay, a simulation or both."""

    contract: Contract
    contract_label: str | None = None  # the version or file the contract came from
    replay: ReplayResult | None = None
    incidents: Sequence[Incident] = ()
    import_report: ImportReport | None = None
    simulation: SimulationRun | None = None
    exposures: Sequence[Exposure] | None = None
    exported_by: str | None = None  # default: the logged-in user
    exported_at: datetime | None = None  # default: now, local time


@dataclass(frozen=True)
class WorkbookReport:
    path: Path
    replay_rows: int
    incident_rows: int
    formulas: int


def write_workbook(path: str | Path, content: WorkbookContent) -> WorkbookReport:
    """Write the workbook to ``path`` (atomically: a failed export leaves no partial file)."""
    path = check_workbook_path(path)
    if content.simulation is not None and content.exposures is None:
        content = replace(content, exposures=exposures(content.simulation))
    builder = _Builder(content)
    wb = builder.build()
    buffer = io.BytesIO()
    wb.save(buffer)
    # A new file beside the target (permissions as for any new file), renamed over it at the end.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        _package(buffer, tmp, builder.streams)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write the workbook ({exc.strerror or exc})") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return WorkbookReport(path, builder.replay_rows, builder.incident_count, builder.formulas)


def check_workbook_path(path: str | Path) -> Path:
    """Refuse an output path that cannot be the workbook, before any work is done."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"{path}: the workbook needs a name ending in .xlsx")
    if not path.parent.is_dir():
        raise InputError(f"{path}: the folder {path.parent} does not exist")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give a file name ending in .xlsx")
    return path


# ---------------------------------------------------------------------------------------------
# Streams: sheets whose body is written as XML into the package after openpyxl has saved.
# ---------------------------------------------------------------------------------------------


@dataclass
class _Stream:
    rows: Callable[[], Iterator[str]]
    last_row: int
    last_column: int


def _package(buffer: io.BytesIO, target: Path, streams: dict[str, _Stream]) -> None:
    """Copy openpyxl's package to ``target``, splicing each streamed sheet's rows in."""
    with zipfile.ZipFile(buffer) as src:
        parts = _sheet_parts(src)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as out:
            for info in src.infolist():
                data = src.read(info.filename)
                title = parts.get(info.filename)
                if title not in streams:
                    out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
                    continue
                stream = streams[title]
                text = data.decode("utf-8")
                cut = text.index("</sheetData>")
                ref = f"A1:{get_column_letter(stream.last_column)}{max(stream.last_row, 1)}"
                head = re.sub(
                    r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', text[:cut]
                )
                part = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                part.compress_type = zipfile.ZIP_DEFLATED
                with out.open(part, "w", force_zip64=True) as sink:
                    sink.write(head.encode("utf-8"))
                    chunk: list[str] = []
                    for row in stream.rows():
                        chunk.append(row)
                        if len(chunk) >= 2000:
                            sink.write("".join(chunk).encode("utf-8"))
                            chunk.clear()
                    sink.write("".join(chunk).encode("utf-8"))
                    sink.write(text[cut:].encode("utf-8"))


def _sheet_parts(src: zipfile.ZipFile) -> dict[str, str]:
    """Package part name of each worksheet -> the sheet's title."""
    book = src.read("xl/workbook.xml").decode("utf-8")
    rels = src.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = {}
    for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
        ident = re.search(r'Id="([^"]+)"', rel.group(0))
        target = re.search(r'Target="([^"]+)"', rel.group(0))
        if ident and target:
            path = target.group(1).lstrip("/")
            targets[ident.group(1)] = path if path.startswith("xl/") else "xl/" + path
    out = {}
    for sheet in re.finditer(r"<sheet\b[^>]*>", book):
        name = re.search(r'name="([^"]+)"', sheet.group(0))
        rid = re.search(r'r:id="([^"]+)"', sheet.group(0)) or re.search(
            r'\bid="([^"]+)"', sheet.group(0)
        )
        if name and rid and rid.group(1) in targets:
            out[targets[rid.group(1)]] = name.group(1)
    return out


# ---------------------------------------------------------------------------------------------
# The builder
# ---------------------------------------------------------------------------------------------


def _pct(value: Decimal | Fraction | float) -> float:
    """A percentage (99.9) as the fraction a percent-formatted cell holds (0.999), the double
    nearest to the exact value: thresholds and availabilities compare exactly."""
    if isinstance(value, Decimal):
        return float(Fraction(value) / 100)
    if isinstance(value, Fraction):
        return float(value / 100)
    return value / 100


def _num(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def _add_months(day: date, months: int) -> date:
    """``day`` moved by whole months (the 31st becomes the month's last day when it has none)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


class _Builder:
    def __init__(self, content: WorkbookContent):
        self.c = content
        self.contract = content.contract
        self.digits = money_digits(self.contract.currency)
        self.streams: dict[str, _Stream] = {}
        self.replay_rows = 0
        self.incident_count = 0
        self.formulas = 0
        self.zone = ZoneInfo(self.contract.timezone)
        self.tier_no = {t.name: i for i, t in enumerate(self.contract.tiers, 1)}
        self.profit_margin_cells: dict[str, str] = {}
        self.shares = Shares(self.contract)

    # -- helpers ------------------------------------------------------------------------------

    def name(self, name: str, ws: Worksheet, ref: str) -> None:
        self.wb.defined_names[name] = DefinedName(
            name, attr_text=f"{quote_sheetname(ws.title)}!{_absolute(ref)}"
        )

    def formula(self, ws: Worksheet, coord: str, text: str, style: str | None = None) -> None:
        ws[coord] = text
        self.formulas += 1
        if style:
            ws[coord].style = style

    def header(self, ws: Worksheet, row: int, titles: Sequence[str], first: int = 1) -> None:
        for i, title in enumerate(titles, first):
            put_text(ws.cell(row, i), title, S.header)
        ws.row_dimensions[row].height = 45

    def title(self, ws: Worksheet, text: str, note: str | None = None) -> None:
        put_text(ws["A1"], text, S.title)
        ws.row_dimensions[1].height = 24
        if note:
            put_text(ws["A2"], note, S.note)

    # -- the whole ----------------------------------------------------------------------------

    def build(self) -> Workbook:
        wb = self.wb = Workbook()
        add_named_styles(wb, self.contract.currency)
        wb.active.title = SHEETS[0]
        for title in SHEETS[1:]:
            wb.create_sheet(title)
        wb.calculation.fullCalcOnLoad = True  # no cached values: every reader computes
        user = self.c.exported_by or _user()
        wb.properties.creator = safe_text(user)[0]
        wb.properties.title = safe_text(f"SLA exposure: {self.contract.name}")[0][:250]
        self.terms(wb["Terms"])
        self.replay(wb["Replay"])
        self.incidents(wb["Incidents"])
        self.exposure(wb["Exposure"])
        self.profitability(wb["Profitability"])
        self.assumptions(wb["Assumptions"], user)
        self.summary(wb["Summary"])
        wb.active = 0
        return wb

    # -- Terms --------------------------------------------------------------------------------

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
        entries: list[tuple[str, object, str, str | None]] = [
            ("Name", c.name, S.text, None),
            ("Description", c.description or "", S.text, None),
            ("Currency", c.currency, S.text, None),
            ("Decimals of the currency (rounding)", self.digits, S.number, "Money_Digits"),
            ("Time zone", c.timezone, S.text, None),
            ("Measurement period", c.measurement.period, S.text, None),
            ("Term starts", c.term.start, S.date, None),
            ("Term length (months)", c.term.months, S.number, None),
            ("Slot length (minutes)", c.measurement.slot_minutes, S.number, None),
            (
                "Minimum downtime period (minutes)",
                c.measurement.min_downtime_minutes,
                S.number,
                None,
            ),
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
                _num(ex.maintenance_allowance_minutes_per_year)
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
                _pct(lc.pct_of_annual_fees) if lc and lc.pct_of_annual_fees is not None else None,
                S.pct_input,
                "Liability_Pct",
            ),
            ("Minimum credit", float(c.claims.min_credit), S.money_input, "Min_Credit"),
            (
                "Claim rate (share of credits claimed)",
                float(c.claims.claim_rate),
                S.pct_input,
                "Claim_Rate",
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
            _value(ws.cell(r, 3), _pct(tier.target_pct), S.availability_input)
            _value(ws.cell(r, 4), float(tier.monthly_fee), S.money_input)
            _value(ws.cell(r, 5), float(tier.cost_to_serve_monthly), S.money_input)
            _value(ws.cell(r, 6), tier.customers, S.number_input)
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
            _value(ws.cell(r, 10), _opt_pct(caps.per_period_pct), S.pct_input)
            _value(ws.cell(r, 11), _opt_pct(caps.per_year_pct_of_annual_fees), S.pct_input)
            if isinstance(sched, PerHourSchedule):
                _value(ws.cell(r, 12), _pct(sched.credit_pct_per_hour), S.pct_input)
                put_text(ws.cell(r, 13), sched.hours, S.text_input)
                hours_cells.append(f"M{r}")
            if isinstance(sched, FeeMultipleSchedule):
                _value(ws.cell(r, 14), _num(sched.multiple), S.number_input)
                ws.cell(r, 14).number_format = "0.###"
            put_text(ws.cell(r, 15), ", ".join(tier.scope.services) or "all", S.text)
            put_text(ws.cell(r, 16), ", ".join(tier.scope.regions) or "all", S.text)
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
            "spare row: give its tier's # in the first column.",
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
            ],
        )
        start = row + 1
        r = start
        for i, tier in enumerate(c.tiers, 1):
            if not isinstance(tier.credits, BandSchedule):
                continue
            for b, band in enumerate(tier.credits.bands, 1):
                _value(ws.cell(r, 1), i, S.number_input)
                self.formula(ws, f"B{r}", f'=IF(A{r}="","",INDEX(Tier_Name,A{r}))', S.text)
                _value(ws.cell(r, 3), b, S.number)
                _value(ws.cell(r, 4), _pct(band.below), S.availability_input)
                _value(ws.cell(r, 5), _pct(band.credit_pct), S.pct_input)
                put_text(ws.cell(r, 7), band.escalation or "", S.text_input)
                self._band_check(ws, r, start)
                r += 1
        for _ in range(SPARE_BAND_ROWS):
            for col, style in ((1, S.number_input), (4, S.availability_input), (5, S.pct_input)):
                ws.cell(r, col).style = style
            self.formula(ws, f"B{r}", f'=IF(A{r}="","",INDEX(Tier_Name,A{r}))', S.text)
            self._band_check(ws, r, start)
            r += 1
        end = r - 1
        self.name("Bands_Tier", ws, f"A{start}:A{end}")
        self.name("Bands_Below", ws, f"D{start}:D{end}")
        self.name("Bands_Credit", ws, f"E{start}:E{end}")
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
                    _value(ws.cell(row, 4), _pct(point.availability_pct), S.availability)
                    _value(ws.cell(row, 5), _pct(point.credit_pct), S.pct)
        print_setup(ws)

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

    # -- Replay -------------------------------------------------------------------------------

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
        kind = c.measurement.period
        periods = periods_between(
            parse_label(result.first, kind), parse_label(result.last, kind), kind, self.zone
        )
        by_label = {p.label: p for p in periods}
        self.replay_span = (periods[0].start, periods[-1].end)
        self.replay_months = sum(p.months for p in periods)
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
                period = by_label[p.period]
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
        months: int,
    ) -> None:
        c = self.contract
        f = self.formula
        d = "Money_Digits"
        t = f"$A{r}"
        _value(ws.cell(r, 1), k, S.number)
        f(ws, f"B{r}", f"=INDEX(Tier_Name,{t})", S.text)
        put_text(ws.cell(r, 3), p.period, S.text)
        _value(ws.cell(r, 4), _add_months(c.term.start, 12 * year), S.date)
        _value(ws.cell(r, 5), _add_months(c.term.start, c.term.months * term), S.date)
        _value(ws.cell(r, 6), months, S.number)
        _value(ws.cell(r, 7), _num(p.period_minutes), S.minutes)
        _value(ws.cell(r, 8), _num(p.excluded_minutes), S.minutes)
        _value(ws.cell(r, 9), _num(p.downtime_minutes), S.minutes)
        _value(ws.cell(r, 10), _pct(p.availability_pct), S.availability)
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
                f'(INDEX(Tier_Boundary,{t})="at_or_below")*(J{r}=Bands_Below))>0)*Bands_Credit))',
                S.pct,
            )
        elif isinstance(sched, PerHourSchedule):
            hours = (
                f'IF(INDEX(Tier_Hours,{t})="started",ROUNDUP(I{r}/60,0),'
                f'IF(INDEX(Tier_Hours,{t})="whole",ROUNDDOWN(I{r}/60,0),I{r}/60))'
            )
            f(ws, f"L{r}", f'=IF(K{r}="missed",INDEX(Tier_PerHour,{t})*{hours},0)', S.pct)
        elif isinstance(sched, FeeMultipleSchedule):
            f(ws, f"L{r}", f'=IF(K{r}="missed",INDEX(Tier_Multiple,{t})*I{r}/G{r},0)', S.pct)
        else:
            _value(ws.cell(r, 12), _pct(p.credit_pct), S.engine_pct)
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
        f(ws, f"R{r}", f"=IF(Q{r}>=Min_Credit,0,Q{r})", S.money)
        f(ws, f"S{r}", f"=IF(Q{r}>=Min_Credit,Q{r},0)", S.money)
        f(ws, f"T{r}", f"=ROUND(N{r}-Q{r},{d})", S.money)
        f(ws, f"U{r}", f"=ROUND(N{r}-O{r},{d})", S.money)
        f(ws, f"V{r}", f"=ROUND(O{r}-P{r},{d})", S.money)
        f(ws, f"W{r}", f"=ROUND(P{r}-Q{r},{d})", S.money)
        f(ws, f"X{r}", f"=ROUND(S{r}*Claim_Rate,{d})", S.money)
        counted = sum(1 for s in self.shares.of(tier.name, p) if s.counted_minutes)
        _value(ws.cell(r, 25), counted, S.number)
        reasons = "; ".join(f"{k} {_num(v)} min" for k, v in p.excluded_by_reason.items())
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

    # -- Incidents ----------------------------------------------------------------------------

    def incidents(self, ws: Worksheet) -> None:
        result = self.c.replay
        if result is None:
            self.title(ws, "Incidents", "No replayed history in this export.")
            return
        zone = self.contract.timezone
        self.title(
            ws,
            f"Incidents: what each one counted for ({len(self.c.incidents):,} incident(s))",
            "One row per incident and group of tiers that share a scope. Minutes are weighted "
            f"by impact; times are local ({zone}). Text is stored as text: a title that looks like "
            "a formula stays a title.",
        )
        headers = [
            "Source row",
            "ID",
            f"Start ({zone})",
            f"End ({zone})",
            "Duration (minutes)",
            "Impact",
            "Cause",
            "Service",
            "Region",
            "Title",
            "Tiers",
            "Periods",
            "Counted minutes",
            "Below minimum (minutes)",
            "Excluded minutes",
            "Excluded because",
            "Status",
        ]
        h = 3
        self.header(ws, h, headers)
        set_widths(ws, [8, 14, 16, 16, 10, 9, 14, 14, 12, 50, 20, 14, 10, 10, 10, 30, 26])
        ws.freeze_panes = "C4"
        rows = list(
            incident_rows(self.contract, self.c.incidents, result, self.replay_span, self.shares)
        )
        self.incident_count = len(rows)
        last = h + len(rows)
        ws.auto_filter.ref = f"A{h}:{get_column_letter(len(headers))}{max(last, h + 1)}"
        print_setup(ws, f"{h}:{h}")

        def col(kind: str, style: str) -> StreamColumn:
            if kind == NUMBER:
                return StreamColumn(NUMBER, style_id(ws, style))
            return StreamColumn(TEXT, style_id(ws, style), style_id(ws, style, quote_prefix=True))

        columns = [
            col(NUMBER, S.number),
            col(TEXT, S.text),
            col(NUMBER, S.datetime),
            col(NUMBER, S.datetime),
            col(NUMBER, S.minutes),
            *(col(TEXT, S.text) for _ in range(7)),
            col(NUMBER, S.minutes),
            col(NUMBER, S.minutes),
            col(NUMBER, S.minutes),
            col(TEXT, S.text),
            col(TEXT, S.text),
        ]
        tz = self.zone

        def values() -> Iterator[list[object]]:
            for row in rows:
                inc = row.incident
                impact = (
                    inc.impact if isinstance(inc.impact, str) else f"{inc.impact.normalize():f}"
                )
                yield [
                    inc.row,
                    inc.id,
                    excel_time(inc.start, tz),
                    excel_time(inc.end, tz),
                    (inc.end - inc.start) / 60,
                    impact,
                    inc.cause,
                    inc.service,
                    inc.region,
                    inc.title,
                    row.tiers,
                    row.periods,
                    row.counted,
                    row.below_minimum,
                    row.excluded,
                    row.reasons,
                    row.status,
                ]

        self.streams[ws.title] = _Stream(
            lambda: stream_rows(columns, values(), h + 1), last, len(headers)
        )

    # -- Exposure -----------------------------------------------------------------------------

    def exposure(self, ws: Worksheet) -> None:
        run, found = self.c.simulation, self.c.exposures
        if run is None or not found:
            self.title(ws, "Exposure", "No simulation in this export (give a scenario).")
            return
        periods = run.horizon.periods
        cur = self.contract.currency
        self.title(
            ws,
            f"Simulated exposure: {periods[0].label} to {periods[-1].label}, {run.trials:,} trials",
            f"Credits paid over the horizon for all of a tier's customers ({cur}), after caps, "
            "minimum credit and claim rate. Values from the simulation: they do not recalculate "
            "when Terms change (simulate again to re-price).",
        )
        names = [e.name for e in found]
        h = 4
        put_text(ws.cell(3, 1), "Distribution of credits paid", S.heading)
        self.header(ws, h, ["Statistic", *names])
        set_widths(ws, [34, *[16] * max(len(names), 9)])
        ws.freeze_panes = "B5"
        stats: list[tuple[str, str, Callable[[Exposure], float]]] = [
            ("Trials", S.number, lambda e: e.trials),
            ("Mean", S.money, lambda e: e.mean),
            ("Standard error of the mean", S.money, lambda e: e.stderr),
            ("Mean, 95% confidence low", S.money, lambda e: e.mean - Z95 * e.stderr),
            ("Mean, 95% confidence high", S.money, lambda e: e.mean + Z95 * e.stderr),
            ("P50 (median)", S.money, lambda e: e.quantiles["p50"]),
            ("P90", S.money, lambda e: e.quantiles["p90"]),
            ("P95", S.money, lambda e: e.quantiles["p95"]),
            ("P99", S.money, lambda e: e.quantiles["p99"]),
            ("TVaR 99% (mean of the worst 1%)", S.money, lambda e: e.tvar99),
            ("Probability of any breach", S.share, lambda e: e.p_any_breach),
            (
                "Expected breach periods (per customer)",
                S.minutes,
                lambda e: e.expected_breach_periods,
            ),
            ("Probability the per-period cap bites", S.share, lambda e: e.p_cap_hit["per_period"]),
            ("Probability the yearly cap bites", S.share, lambda e: e.p_cap_hit["per_year"]),
            ("Probability the liability cap bites", S.share, lambda e: e.p_cap_hit["liability"]),
            ("Capped off (mean)", S.money, lambda e: e.capped_off_mean),
            ("Issued before claim rate (mean)", S.money, lambda e: e.issued_mean),
            ("Revenue", S.money, lambda e: e.revenue),
            ("Cost to serve", S.money, lambda e: e.cost),
            ("Margin (mean)", S.money, lambda e: e.margin_mean),
        ]
        for i, (label, style, get) in enumerate(stats, h + 1):
            put_text(ws.cell(i, 1), label, S.label)
            for j, e in enumerate(found, 2):
                _value(ws.cell(i, j), _finite(get(e)), style)
        row = h + len(stats) + 2
        put_text(
            ws.cell(row, 1),
            "Per series: a histogram of credits paid (first bin: trials with no credit) and the "
            "mean as trials accumulate, with its 95% confidence band.",
            S.note,
        )
        row += 2
        for e in found:
            row = self._series_block(ws, row, e)
        print_setup(ws, f"{h}:{h}")

    def _series_block(self, ws: Worksheet, row: int, e: Exposure) -> int:
        cur = self.contract.currency
        put_text(ws.cell(row, 1), e.name, S.heading)
        h = row + 1
        self.header(ws, h, ["Credits paid up to", "From", "Trials", "Share of trials"], first=1)
        self.header(ws, h, ["Trials run", "Mean so far", "95% band low", "95% band high"], first=6)
        bins = histogram(e.paid)
        for i, (lo, hi, count) in enumerate(bins, h + 1):
            _value(ws.cell(i, 1), hi, S.money)
            _value(ws.cell(i, 2), lo, S.money)
            _value(ws.cell(i, 3), count, S.number)
            _value(ws.cell(i, 4), count / max(e.trials, 1), S.share)
        points = convergence(e.paid)
        for i, (n, mean, lo, hi) in enumerate(points, h + 1):
            _value(ws.cell(i, 6), n, S.number)
            _value(ws.cell(i, 7), mean, S.money)
            _value(ws.cell(i, 8), _finite(lo), S.money)
            _value(ws.cell(i, 9), _finite(hi), S.money)
        chart = BarChart()
        chart.type = "col"
        chart.gapWidth = 10
        chart.title = _chart_title(f"{e.name}: credits paid")
        chart.y_axis.title = "Trials"
        chart.x_axis.title = f"Credits paid up to ({cur})"
        chart.legend = None
        chart.add_data(
            Reference(ws, min_col=3, min_row=h, max_row=h + len(bins)), titles_from_data=True
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=h + 1, max_row=h + len(bins)))
        _axes(chart, x_format="#,##0")
        chart.height, chart.width = 7.5, 16
        ws.add_chart(chart, f"K{h}")
        if points:
            line = ScatterChart()
            line.title = _chart_title(f"{e.name}: mean as trials accumulate")
            line.style = 13
            line.x_axis.title = "Trials"
            line.y_axis.title = f"Mean credits paid ({cur})"
            xs = Reference(ws, min_col=6, min_row=h + 1, max_row=h + len(points))
            for col, colour in ((7, "1F3864"), (8, "8EA9DB"), (9, "8EA9DB")):
                ys = Reference(ws, min_col=col, min_row=h, max_row=h + len(points))
                series = Series(ys, xs, title_from_data=True)
                series.marker.symbol = "none"
                series.graphicalProperties.line.solidFill = colour
                series.graphicalProperties.line.width = 20000 if col == 7 else 12000
                series.smooth = False
                line.series.append(series)
            line.legend.position = "b"
            line.x_axis.scaling.logBase = 10
            _axes(line, x_format="#,##0")
            line.height, line.width = 7.5, 16
            ws.add_chart(line, f"K{h + 16}")
        return h + max(len(bins), len(points), 32) + 2

    # -- Profitability ------------------------------------------------------------------------

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
                    "#",
                    "Tier",
                    "Customers",
                    "Months",
                    "Revenue",
                    "Cost to serve",
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
                _value(ws.cell(i, 1), k, S.number)
                f(ws, f"B{i}", f"=INDEX(Tier_Name,A{i})", S.text)
                f(ws, f"C{i}", f"=INDEX(Tier_Customers,A{i})", S.number)
                _value(ws.cell(i, 4), months, S.number)
                f(ws, f"E{i}", f"=INDEX(Tier_Fee,A{i})*D{i}*C{i}", S.money)
                f(ws, f"F{i}", f"=INDEX(Tier_Cost,A{i})*D{i}*C{i}", S.money)
                _value(ws.cell(i, 7), _finite(e.mean), S.money)
                _value(ws.cell(i, 8), _finite(e.quantiles["p95"]), S.money)
                self._margins(ws, i)
                self.profit_margin_cells[e.name] = f"I{i}"
            last = first + len(tiers) - 1
            p = last + 1
            put_text(ws.cell(p, 2), "Portfolio", S.label)
            f(ws, f"C{p}", f"=SUM(C{first}:C{last})", S.number)
            _value(ws.cell(p, 4), months, S.number)
            f(ws, f"E{p}", f"=SUM(E{first}:E{last})", S.money)
            f(ws, f"F{p}", f"=SUM(F{first}:F{last})", S.money)
            _value(ws.cell(p, 7), _finite(portfolio.mean), S.money)
            _value(ws.cell(p, 8), _finite(portfolio.quantiles["p95"]), S.money)
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
                    "#",
                    "Tier",
                    "Customers",
                    "Months",
                    "Revenue",
                    "Cost to serve",
                    "Credits issued",
                    "Expected paid (claim rate)",
                    "Margin after expected paid",
                    "Margin % of revenue",
                ],
            )
            first = row + 1
            for i, tr in enumerate(result.tiers, first):
                _value(ws.cell(i, 1), self.tier_no[tr.tier], S.number)
                f(ws, f"B{i}", f"=INDEX(Tier_Name,A{i})", S.text)
                f(ws, f"C{i}", f"=INDEX(Tier_Customers,A{i})", S.number)
                f(ws, f"D{i}", f"=SUMPRODUCT((Replay_TierNo=A{i})*1,Replay_Months)", S.number)
                f(ws, f"E{i}", f"=INDEX(Tier_Fee,A{i})*D{i}*C{i}", S.money)
                f(ws, f"F{i}", f"=INDEX(Tier_Cost,A{i})*D{i}*C{i}", S.money)
                f(ws, f"G{i}", f"=SUMPRODUCT((Replay_TierNo=A{i})*1,Replay_Issued)*C{i}", S.money)
                f(ws, f"H{i}", f"=SUMPRODUCT((Replay_TierNo=A{i})*1,Replay_Paid)*C{i}", S.money)
                f(ws, f"I{i}", f"=E{i}-F{i}-H{i}", S.money)
                f(ws, f"J{i}", f'=IF(E{i}=0,"",I{i}/E{i})', S.pct)
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
            f(ws, f"J{p}", f'=IF(E{p}=0,"",I{p}/E{p})', S.pct)
        ws.freeze_panes = "C3"
        print_setup(ws)

    def _margins(self, ws: Worksheet, i: int) -> None:
        self.formula(ws, f"I{i}", f"=E{i}-F{i}-G{i}", S.money)
        self.formula(ws, f"J{i}", f"=E{i}-F{i}-H{i}", S.money)
        self.formula(ws, f"K{i}", f'=IF(E{i}=0,"",I{i}/E{i})', S.pct)

    # -- Summary ------------------------------------------------------------------------------

    def summary(self, ws: Worksheet) -> None:
        c = self.contract
        run, found, result = self.c.simulation, self.c.exposures, self.c.replay
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
                else "none in this export",
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
            "Simulated mean",
            "Simulated P95",
            "Simulated P99",
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
            _value(ws.cell(i, 1), self.tier_no[tier.name], S.number)
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
        for col in range(2, len(headers) + 1):
            ws.cell(p, col).font = bold
        notes = [
            "Replay columns are formulas over the Replay and Terms sheets: they follow any edit "
            "of the terms. Simulated columns are the simulation's values: simulate again to "
            "re-price.",
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
        _value(ws.cell(i, 7), _finite(e.mean), S.money)
        _value(ws.cell(i, 8), _finite(e.quantiles["p95"]), S.money)
        _value(ws.cell(i, 9), _finite(e.quantiles["p99"]), S.money)
        _value(ws.cell(i, 10), _finite(e.p_any_breach), S.share)
        _value(ws.cell(i, 11), _finite(e.p_cap_hit["per_period"]), S.share)
        _value(ws.cell(i, 12), _finite(e.p_cap_hit["per_year"]), S.share)
        _value(ws.cell(i, 13), _finite(e.p_cap_hit["liability"]), S.share)
        margin = self.profit_margin_cells.get(e.name)
        if margin:
            self.formula(ws, f"N{i}", f"=Profitability!{margin}", S.money)

    def _summary_chart(self, ws: Worksheet, h: int, n: int, row: int, simulated: bool) -> None:
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "clustered"
        cats = Reference(ws, min_col=2, min_row=h + 1, max_row=h + n)
        if simulated:
            chart.title = "Simulated credits paid per tier"
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
        _axes(chart)
        chart.height, chart.width = 8, 22
        ws.add_chart(chart, f"B{row}")

    # -- Assumptions --------------------------------------------------------------------------

    def assumptions(self, ws: Worksheet, user: str) -> None:
        self.user = user
        when = self.c.exported_at or datetime.now().astimezone()
        self.exported_at = when
        c = self.contract
        self.title(ws, "Assumptions and audit")
        set_widths(ws, [44, 70])
        rows: list[tuple[str, object]] = [
            ("Exported by", user),
            ("Exported at", when.isoformat(timespec="seconds")),
            ("Engine version", f"slamodeler {__version__}"),
            ("Workbook format", WORKBOOK_FORMAT),
            ("Contract", c.name),
            ("Contract version", self.c.contract_label or "not recorded"),
            ("Contract hash (SHA-256)", c.content_hash()),
        ]
        rep = self.c.import_report
        if self.c.replay is not None:
            rows += [
                ("Replayed periods", f"{self.c.replay.first} to {self.c.replay.last}"),
                ("Tiers replayed", ", ".join(t.tier for t in self.c.replay.tiers)),
                ("Incidents replayed", len(self.c.incidents)),
            ]
            if rep is not None:
                rows += [
                    ("Incident file", rep.source),
                    ("Rows read", rep.rows_read),
                    ("Rows used", rep.used),
                    ("Rows not used", len(rep.rejected)),
                ]
            rows += [("Replay note", n) for n in self.c.replay.notes]
        run = self.c.simulation
        if run is not None:
            periods = run.horizon.periods
            rows += [
                ("Scenario", run.scenario.name),
                ("Scenario hash (SHA-256)", scenario_hash(run)),
                ("Seed", run.seed),
                ("Trials", run.trials),
                ("Trials requested", run.trials_requested),
                ("Cancelled (partial result)", "yes" if run.cancelled else "no"),
                ("Horizon", f"{periods[0].label} to {periods[-1].label} ({len(periods)} periods)"),
            ]
            rows += [("Simulation note", n) for n in run.notes]
            data = run.scenario.model_dump(mode="json", exclude_none=True)
            rows += [(f"scenario.{k}", v) for k, v in _flatten(data)]
        rows += [
            (
                "What recalculates",
                "Replay credit %, fees, credits, caps, minimum credit and expected paid; "
                "Profitability revenue, cost and margins; Summary replay totals and margins.",
            ),
            (
                "What does not",
                "Measured minutes and availability (the engine measured them), credit % of linear "
                "curves, and every simulated statistic.",
            ),
        ]
        self.header(ws, 3, ["Item", "Value"])
        for i, (label, value) in enumerate(rows, 4):
            put_text(ws.cell(i, 1), label, S.label)
            cell = ws.cell(i, 2)
            if isinstance(value, int | float) and not isinstance(value, bool):
                _value(cell, value, S.number)
                cell.alignment = Alignment(horizontal="left")
            else:
                put_text(cell, value, S.wrap)
        ws.freeze_panes = "A4"
        print_setup(ws, "3:3")


# ---------------------------------------------------------------------------------------------
# Small pieces
# ---------------------------------------------------------------------------------------------


def _absolute(ref: str) -> str:
    def one(part: str) -> str:
        m = re.fullmatch(r"([A-Z]+)(\d+)", part)
        assert m, part
        return f"${m.group(1)}${m.group(2)}"

    return ":".join(one(p) for p in ref.split(":"))


def _value(cell: Any, value: object, style: str) -> None:
    cell.value = value
    cell.style = style


def _opt_pct(value: Decimal | None) -> float | None:
    return None if value is None else _pct(value)


def _finite(value: float) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def _windows(c: Contract) -> str:
    out = []
    for w in c.exclusions.maintenance_windows:
        when = {"week": f"weekly on {w.day}", "day": "daily", "month": f"monthly on day {w.day}"}
        out.append(f"{when[w.every]} at {w.start} for {w.minutes} min")
    return "; ".join(out)


def _list_validation(ws: Worksheet, cells: Sequence[str], choices: str) -> None:
    if not cells:
        return
    dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=False)
    dv.error = f"Choose one of: {choices.replace(',', ', ')}"
    dv.errorTitle = "Not a valid choice"
    ws.add_data_validation(dv)
    for cell in cells:
        dv.add(cell)


def _chart_title(text: str) -> str:
    return safe_text(text)[0][:250]


def _axes(chart: Any, x_format: str | None = None, y_format: str | None = "#,##0") -> None:
    """Show both axes (openpyxl marks them deleted by default, which Excel honours), with plain
    number formats instead of the cells' currency format."""
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    if x_format:
        chart.x_axis.numFmt = NumFmt(formatCode=x_format, sourceLinked=False)
    if y_format:
        chart.y_axis.numFmt = NumFmt(formatCode=y_format, sourceLinked=False)


def _flatten(data: object, prefix: str = "") -> Iterable[tuple[str, object]]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _flatten(v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(data, list) and any(isinstance(v, dict | list) for v in data):
        for i, v in enumerate(data):
            yield from _flatten(v, f"{prefix}[{i}]")
    elif isinstance(data, list):
        yield prefix, ", ".join(str(v) for v in data)
    elif isinstance(data, bool) or data is None:
        yield prefix, str(data).lower()
    else:
        yield prefix, data


def histogram(paid: np.ndarray, bins: int = HIST_BINS) -> list[tuple[float, float, int]]:
    """(from, up to, trials): first the trials with no credit, then equal bins up to the max."""
    paid = np.asarray(paid, dtype=float)
    if not paid.size:
        return []
    out = [(0.0, 0.0, int(np.count_nonzero(paid <= 0)))]
    positive = paid[paid > 0]
    if positive.size:
        counts, edges = np.histogram(positive, bins=bins, range=(0.0, float(positive.max())))
        out += [(float(edges[i]), float(edges[i + 1]), int(counts[i])) for i in range(bins)]
    return out


def convergence(
    paid: np.ndarray, points: int = CONVERGENCE_POINTS
) -> list[tuple[int, float, float, float]]:
    """(trials, running mean, 95% band low, high) at about ``points`` trial counts."""
    paid = np.asarray(paid, dtype=float)
    n = paid.size
    if not n:
        return []
    marks = np.unique(np.geomspace(min(n, 100), n, points).astype(np.int64))
    centre = float(paid.mean())
    x = paid - centre  # shifted sums keep the running variance accurate
    s1, s2 = np.cumsum(x), np.cumsum(x * x)
    out = []
    for m in marks.tolist():
        mean = centre + s1[m - 1] / m
        if m > 1:
            var = max((s2[m - 1] - s1[m - 1] ** 2 / m) / (m - 1), 0.0)
            half = Z95 * math.sqrt(var / m)
        else:
            half = math.nan
        out.append((m, float(mean), float(mean - half), float(mean + half)))
    return out
