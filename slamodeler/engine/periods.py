"""Measurement periods in the contract's time zone, and the contract years and terms they fall in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

from slamodeler.domain.contract import PeriodKind, Term
from slamodeler.domain.errors import InputError
from slamodeler.domain.limits import MAX_REPLAY_YEARS

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(FY)?(\d{4})-Q([1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(FY)?(\d{4})$", re.IGNORECASE)
MONTHS_OF: dict[PeriodKind, int] = {"month": 1, "quarter": 3, "year": 12}


MonthShares = tuple[tuple[int, Fraction, int], ...]
"""A claim window's months: (month index, share of the month's fee, the month's local days)."""


@dataclass(frozen=True)
class Period:
    """[start, end) in UTC epoch seconds; ``first_day`` is the local date it starts on; ``months``
    is how many monthly fees it carries (a fraction for a claim's window of days), and for such
    a window ``month_shares`` the calendar months it covers (month index, share of the month,
    the month's local days)."""

    label: str
    first_day: date
    months: int | Fraction
    start: int
    end: int
    month_shares: MonthShares = ()

    @property
    def minutes(self) -> int:
        return (self.end - self.start) // 60


def _months_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _first_day(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _local_midnight(day: date, zone: ZoneInfo) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=zone).timestamp())


FIRST_YEAR, LAST_YEAR = 1900, 2999


def align(index: int, kind: PeriodKind, first_month: int = 0) -> int:
    """Month index of the first month of the period holding month ``index``: quarters and years
    start in ``first_month`` (0 for January) and every third or twelfth month after it."""
    return index - (index - first_month) % MONTHS_OF[kind]


def _fiscal_year_start(year: int, first_month: int) -> int:
    """Month index where fiscal year ``year`` starts: it is named after the calendar year it
    ends in (FY2025 of a February year runs from February 2024 to January 2025)."""
    return year * 12 + first_month - (12 if first_month else 0)


def parse_label(text: str, kind: PeriodKind, first_month: int = 0) -> int:
    """A period label as a month index of its first month: ``2024-03`` (the period containing
    that month), ``2024-Q1`` / ``2024`` for calendar quarters and years, ``FY2025-Q1`` /
    ``FY2025`` for fiscal ones."""
    month, quarter, year_only = _MONTH.match(text), _QUARTER.match(text), _YEAR.match(text)
    fiscal = first_month and kind != "month"
    wanted = {"month": "YYYY-MM", "quarter": "YYYY-Qn", "year": "YYYY"}[kind]
    if fiscal:
        wanted = wanted.replace("YYYY", "FY<year it ends in>")
    if month and 1 <= int(month.group(2)) <= 12:
        year, index = int(month.group(1)), int(month.group(1)) * 12 + int(month.group(2)) - 1
    elif (quarter and kind == "quarter") or (year_only and kind == "year"):
        match = quarter or year_only
        assert match is not None
        if bool(match.group(1)) != bool(fiscal):
            raise InputError(
                f"period {text!r}: this contract measures "
                f"{'fiscal' if fiscal else 'calendar'} {kind}s; give {wanted} (or YYYY-MM)"
            )
        year = int(match.group(2))
        index = _fiscal_year_start(year, first_month if fiscal else 0)
        if quarter:
            index += (int(quarter.group(3)) - 1) * 3
    elif quarter or year_only:
        raise InputError(f"period {text!r}: this contract measures {kind}s; give {wanted}")
    else:
        other = wanted if fiscal or kind == "year" else "YYYY-Qn for quarters"
        raise InputError(f"period {text!r} is not of the form YYYY-MM (or {other})")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(f"period {text!r}: the year must be between {FIRST_YEAR} and {LAST_YEAR}")
    return align(index, kind, first_month)


def check_range(first: int, last: int) -> None:
    """Refuse ranges that are out of calendar bounds or too long to measure in one go."""
    for index in (first, last):
        if not FIRST_YEAR <= index // 12 <= LAST_YEAR:
            raise InputError(
                f"a period in {index // 12} is outside {FIRST_YEAR}-{LAST_YEAR}; check the "
                "incident dates, or give --from and --to"
            )
    if not span_fits(first, last):
        raise InputError(
            f"the range {first // 12} to {last // 12} spans more than {MAX_REPLAY_YEARS} years; "
            "give a shorter range with --from and --to"
        )


def span_fits(first: int, last: int) -> bool:
    """Whether the periods from month index ``first`` to ``last`` can be measured in one go."""
    return last - first < MAX_REPLAY_YEARS * 12


def label_of(first: date, kind: PeriodKind, first_month: int = 0) -> str:
    """``2024-03``, ``2024-Q1``, ``2024``; fiscal quarters and years (not starting in January)
    ``FY2025-Q1``, ``FY2025``, named after the calendar year the fiscal year ends in."""
    if kind == "month":
        return f"{first.year}-{first.month:02d}"
    index = _months_index(first)
    fiscal_year = (index - first_month) // 12 + (1 if first_month else 0)
    prefix = "FY" if first_month else ""
    if kind == "year":
        return f"{prefix}{fiscal_year}"
    return f"{prefix}{fiscal_year}-Q{(index - first_month) % 12 // 3 + 1}"


def index_label(index: int, kind: PeriodKind, first_month: int = 0) -> str:
    """The label of the period starting at month ``index`` (as ``label_of`` writes it)."""
    return label_of(_first_day(index), kind, first_month)


def period_index_at(timestamp: int, kind: PeriodKind, zone: ZoneInfo, first_month: int = 0) -> int:
    """Month index of the first month of the period containing ``timestamp``."""
    try:
        local = datetime.fromtimestamp(timestamp, zone)
    except (OverflowError, OSError, ValueError):
        raise InputError(f"time {timestamp} (epoch seconds) is outside the calendar") from None
    return align(local.year * 12 + local.month - 1, kind, first_month)


def periods_between(
    first: int, last: int, kind: PeriodKind, zone: ZoneInfo, first_month: int = 0
) -> list[Period]:
    """Every period from month index ``first`` to ``last`` (both included)."""
    step = MONTHS_OF[kind]
    out = []
    for index in range(align(first, kind, first_month), last + 1, step):
        day, following = _first_day(index), _first_day(index + step)
        out.append(
            Period(
                label=label_of(day, kind, first_month),
                first_day=day,
                months=step,
                start=_local_midnight(day, zone),
                end=_local_midnight(following, zone),
            )
        )
    return out


def _whole_months_since(term: Term, day: date) -> int:
    months = _months_index(day) - _months_index(term.start)
    return months - 1 if day.day < term.start.day else months


def contract_year(term: Term, day: date) -> int:
    """0 for the first contract year from ``term.start``, negative before it."""
    return _whole_months_since(term, day) // 12


def term_number(term: Term, day: date) -> int:
    """Which term (block of ``term.months`` from ``term.start``) a day falls in."""
    return _whole_months_since(term, day) // term.months
