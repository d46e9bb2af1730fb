"""What each result row measures when the contract measures a window (``measurement.window``):
the trailing days before each period end (rolling) or before each claim (claim), rather than the
period itself (docs/measurement.md, section 1).

A window may reach back before the first period replayed; the horizon's grid starts where the
earliest window does, so the history before the range counts (and where there is none, as for a
simulated trial, those days count as up: the 2008 EC2 SLA's "deemed 100% available").
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Window
from slamodeler.domain.results import PeriodResult
from slamodeler.engine.periods import MonthShares, Period
from slamodeler.engine.slots import SlotGrid, SlotMeasure

DAY_SECONDS = 86_400


def rolling_rows(window: Window, periods: Sequence[Period]) -> list[Period]:
    """Each period measured on the ``window.days`` before its end; it keeps its label, contract
    year and fee (the 2008 EC2 SLA credits a share of the month's bill)."""
    span = window.days * DAY_SECONDS
    return [dataclasses.replace(p, start=p.end - span) for p in periods]


def claim_rows(
    window: Window,
    periods: Sequence[Period],
    claims: Sequence[int],
    slot_seconds: int,
    zone: ZoneInfo,
) -> list[Period]:
    """One row per claim instant inside the periods (``claim_instants``): the ``window.days``
    before it, with the fees of those days (``claim_window``)."""
    ends = np.array(claims, dtype=np.int64)
    _, instants = claim_instants(
        np.zeros(len(ends), np.int64), ends, periods[0].start, periods[-1].end, slot_seconds
    )
    return [claim_window(window, claim, zone) for claim in instants.tolist()]


def claim_instants(
    row: NDArray[np.int64], ends: NDArray[np.int64], begin: int, finish: int, slot_seconds: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The claims of each row, as (row, instant) pairs sorted by row then instant: a claim is
    filed when an incident ends, at the end of the slot it ends in (slots from ``begin``), once
    per instant, for the incidents ending after ``begin`` whose claim is at or before
    ``finish``. The one rule of replay (one row) and the simulation (a row per trial)."""
    after = ends > begin
    instant = begin + -(-(ends[after] - begin) // slot_seconds) * slot_seconds
    inside = instant <= finish
    pairs = np.unique(np.stack((row[after][inside], instant[inside]), axis=1), axis=0)
    pairs = pairs.reshape(-1, 2)
    return pairs[:, 0], pairs[:, 1]


def claim_window(window: Window, claim: int, zone: ZoneInfo) -> Period:
    """The row of a claim at ``claim``: the ``window.days`` before it, with the fees of those
    days (each local day carries its month's fee over the month's days: Cloudflare R2's "fees
    paid in the thirty days preceding" the claim)."""
    span = window.days * DAY_SECONDS
    local = datetime.fromtimestamp(claim, zone)
    shares, months = window_months(claim - span, claim, zone)
    return Period(
        label=f"claim {local.year:04}-{local.month:02}-{local.day:02} "
        f"{local.hour:02}:{local.minute:02}",
        first_day=local.date(),
        months=months,
        start=claim - span,
        end=claim,
        month_shares=shares,
    )


def iso_epoch(text: str) -> int:
    """Epoch seconds of a result row's ISO start or end."""
    return int(datetime.fromisoformat(text).timestamp())


def claim_period(row: PeriodResult, zone: ZoneInfo) -> Period:
    """The window of a claim's result row, with its fees: what an export needs of it."""
    start, end = iso_epoch(row.start), iso_epoch(row.end)
    first_day = datetime.fromtimestamp(end, zone).date()
    shares, months = window_months(start, end, zone)
    return Period(row.period, first_day, months, start, end, shares)


def window_months(start: int, end: int, zone: ZoneInfo) -> tuple[MonthShares, Fraction]:
    """The calendar months [start, end) covers, as (month index, share of that month's fee, the
    month's days), and the shares' sum (the monthly fees the window carries): each local
    calendar day is one of its month's days whatever its hours (23 or 25 when the clocks
    change), and a part of a day its share of that day's seconds, so a window's days are local
    days exactly (section 9a): a day of a 31-day month is 1/31 of its fee. A month's days are
    the local dates that exist in it (Apia skipped 30 December 2011: that December had 30).
    Whole days are counted in integers; only the window's first and last days are parts (a
    simulation asks this once per claim)."""
    parts = _month_parts(start, end, zone)
    shares = tuple(
        (i, _WHOLE if part == whole * days else Fraction(part, whole * days), days)
        for i, part, whole, days in parts
    )
    total, over = 0, 1
    for _, part, whole, days in parts:
        total, over = total * whole * days + part * over, over * whole * days
    return shares, Fraction(total, over)


def _month_parts(start: int, end: int, zone: ZoneInfo) -> list[tuple[int, int, int, int]]:
    """Each month [start, end) covers: (month index, part, whole, the month's days), part /
    whole being the days covered, in integers over the end days' seconds."""
    first, gone, first_length = _local_day(start, zone)
    last, done, last_length = _local_day(end, zone)
    out: list[tuple[int, int, int, int]] = []
    index = _month_of(first)
    begins, ends, skipped = _month_days(index, zone)
    while begins < last or (begins == last and done):
        days = ends - begins - len(skipped)
        if first >= begins and last < ends:  # both ends inside: (last + done) - (first + gone)
            whole = first_length * last_length
            part = (last - first - _between(skipped, first, last)) * whole
            part += done * first_length - gone * last_length
        elif first >= begins:  # from a part of the first day to the month's end
            whole = first_length
            part = (ends - first - _between(skipped, first, ends)) * whole - gone
        elif last < ends:  # from the month's start to a part of the last day
            whole = last_length
            part = (last - begins - _between(skipped, begins - 1, last)) * whole + done
        else:
            part, whole = days, 1
        if part > 0:
            out.append((index, part, whole, days))
        index += 1
        begins, ends, skipped = _month_days(index, zone)
    return out


def _between(skipped: tuple[int, ...], low: int, high: int) -> int:
    """How many of the skipped dates' ordinals lie strictly between ``low`` and ``high``."""
    return sum(low < day < high for day in skipped) if skipped else 0


_WHOLE = Fraction(1)


@functools.lru_cache(maxsize=4096)
def _month_of(ordinal: int) -> int:
    """The month index (year x 12 + month - 1) of a date's ordinal."""
    day = date.fromordinal(ordinal)
    return day.year * 12 + day.month - 1


@functools.lru_cache(maxsize=4096)
def _month_days(index: int, zone: ZoneInfo) -> tuple[int, int, tuple[int, ...]]:
    """The ordinals of month ``index``'s first day and of the next month's first day, and of the
    local dates the zone skipped in it (a day whose midnight is the next day's)."""
    after = index + 1
    begins = date(index // 12, index % 12 + 1, 1).toordinal()
    ends = date(after // 12, after % 12 + 1, 1).toordinal()
    starts = [_day_start(date.fromordinal(day), zone) for day in range(begins, ends + 1)]
    skipped = tuple(begins + k for k in range(ends - begins) if starts[k + 1] <= starts[k])
    return begins, ends, skipped


def _local_day(instant: int, zone: ZoneInfo) -> tuple[int, int, int]:
    """Where ``instant`` falls in the local calendar: its local date's ordinal, the seconds of
    that day gone, and the day's seconds (so the days between two instants are local days)."""
    day = datetime.fromtimestamp(instant, zone).date()
    begin = _day_start(day, zone)
    return day.toordinal(), instant - begin, _day_start(day + timedelta(days=1), zone) - begin


@functools.lru_cache(maxsize=16_384)
def _day_start(day: date, zone: ZoneInfo) -> int:
    """Epoch seconds of a local day's first instant (a simulation asks for the same days once
    per claim)."""
    return int(datetime(day.year, day.month, day.day, tzinfo=zone).timestamp())


def slots_by_row(
    grid: SlotGrid, rows: Sequence[Period], m: SlotMeasure
) -> tuple[SlotMeasure, np.ndarray]:
    """The measured slots repeated for each row whose window holds them (windows overlap), and
    the row of each: what a per-period sum and the attribution of a calendar period take."""
    lo = np.array([(r.start - grid.origin) // grid.slot_seconds for r in rows], np.int64)
    hi = np.array([(r.end - grid.origin) // grid.slot_seconds for r in rows], np.int64)
    first, stop = np.searchsorted(m.slots, lo), np.searchsorted(m.slots, hi)
    counts = stop - first
    take = np.repeat(stop - np.cumsum(counts), counts) + np.arange(int(counts.sum()))
    picked = {f.name: getattr(m, f.name)[take] for f in dataclasses.fields(m)}
    return SlotMeasure(**picked), np.repeat(np.arange(len(rows)), counts)
