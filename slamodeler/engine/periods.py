"""Measurement periods in the contract's time zone, and the contract years and terms they fall in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from slamodeler.domain.contract import PeriodKind, Term
from slamodeler.domain.errors import InputError
from slamodeler.domain.limits import MAX_REPLAY_YEARS

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True)
class Period:
    """[start, end) in UTC epoch seconds; ``first_day`` is the local date it starts on."""

    label: str
    first_day: date
    months: int
    start: int
    end: int

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


def parse_label(text: str, kind: PeriodKind) -> int:
    """A period label as a month index of its first month: ``2024-03`` (for a quarterly contract,
    the quarter containing that month) or, for quarterly contracts, ``2024-Q1``."""
    month = _MONTH.match(text)
    quarter = _QUARTER.match(text)
    if month and 1 <= int(month.group(2)) <= 12:
        year, index = int(month.group(1)), int(month.group(1)) * 12 + int(month.group(2)) - 1
    elif quarter and kind == "quarter":
        year, index = (
            int(quarter.group(1)),
            int(quarter.group(1)) * 12 + (int(quarter.group(2)) - 1) * 3,
        )
    elif quarter:
        raise InputError(f"period {text!r}: this contract measures months; give YYYY-MM")
    else:
        raise InputError(f"period {text!r} is not of the form YYYY-MM (or YYYY-Qn for quarters)")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(f"period {text!r}: the year must be between {FIRST_YEAR} and {LAST_YEAR}")
    return index - index % 3 if kind == "quarter" else index


def check_range(first: int, last: int) -> None:
    """Refuse ranges that are out of calendar bounds or too long to measure in one go."""
    for index in (first, last):
        if not FIRST_YEAR <= index // 12 <= LAST_YEAR:
            raise InputError(
                f"a period in {index // 12} is outside {FIRST_YEAR}-{LAST_YEAR}; check the "
                "incident dates, or give --from and --to"
            )
    if last - first >= MAX_REPLAY_YEARS * 12:
        raise InputError(
            f"the range {first // 12} to {last // 12} spans more than {MAX_REPLAY_YEARS} years; "
            "give a shorter range with --from and --to"
        )


def label_of(first: date, kind: PeriodKind) -> str:
    if kind == "quarter":
        return f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    return f"{first.year}-{first.month:02d}"


def period_index_at(timestamp: int, kind: PeriodKind, zone: ZoneInfo) -> int:
    """Month index of the first month of the period containing ``timestamp``."""
    try:
        local = datetime.fromtimestamp(timestamp, zone)
    except (OverflowError, OSError, ValueError):
        raise InputError(f"time {timestamp} (epoch seconds) is outside the calendar") from None
    index = local.year * 12 + local.month - 1
    return index - index % 3 if kind == "quarter" else index


def periods_between(first: int, last: int, kind: PeriodKind, zone: ZoneInfo) -> list[Period]:
    """Every period from month index ``first`` to ``last`` (both included)."""
    step = 3 if kind == "quarter" else 1
    out = []
    for index in range(first, last + 1, step):
        day, following = _first_day(index), _first_day(index + step)
        out.append(
            Period(
                label=label_of(day, kind),
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
