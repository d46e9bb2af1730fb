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
from datetime import datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Window
from slamodeler.domain.results import PeriodResult
from slamodeler.engine.periods import Period
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
    days (each day carries its month's fee over the month's length: Cloudflare R2's "fees paid
    in the thirty days preceding" the claim)."""
    span = window.days * DAY_SECONDS
    local = datetime.fromtimestamp(claim, zone)
    shares = month_shares(claim - span, claim, zone)
    return Period(
        label=f"claim {local:%Y-%m-%d %H:%M}",
        first_day=local.date(),
        months=sum((share for _, share in shares), Fraction(0)),
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
    shares = month_shares(start, end, zone)
    months = sum((share for _, share in shares), Fraction(0))
    return Period(row.period, first_day, months, start, end, shares)


def month_shares(start: int, end: int, zone: ZoneInfo) -> tuple[tuple[int, Fraction], ...]:
    """The calendar months [start, end) covers, as (month index, share of that month's own
    length, to the second): a day of a 31-day month is 1/31 of its fee (section 9a)."""
    out: list[tuple[int, Fraction]] = []
    local = datetime.fromtimestamp(start, zone)
    year, month = local.year, local.month
    while True:
        index = year * 12 + month - 1
        month_start = _month_start(year, month, zone)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        month_end = _month_start(year, month, zone)
        if month_start >= end:
            return tuple(out)
        overlap = min(end, month_end) - max(start, month_start)
        if overlap > 0:
            out.append((index, Fraction(overlap, month_end - month_start)))


@functools.lru_cache(maxsize=4_096)
def _month_start(year: int, month: int, zone: ZoneInfo) -> int:
    """Epoch seconds of a month's first local midnight (a simulation asks for each month of
    its horizon once per claim)."""
    return int(datetime(year, month, 1, tzinfo=zone).timestamp())


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
