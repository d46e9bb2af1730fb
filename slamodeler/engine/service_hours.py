"""Service hours (docs/measurement.md, section 4a): which slots of the horizon are measured.

A slot is in service hours when it starts in them: the hours are laid out day by day in the
contract's local time (so DST moves them in UTC, and a day with a change inside its hours has
that much more or less service time) and turned into runs of slot indexes, shared by replay and
simulation.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import WEEKDAYS, ServiceHours
from slamodeler.engine.slots import SlotGrid

I64 = NDArray[np.int64]
_SHORT_DAYS = {day: day[:3].capitalize() for day in WEEKDAYS}


def local_instant(day: date, minute: int, zone: ZoneInfo) -> int:
    """UTC epoch seconds of a local minute of ``day`` (1440: the next midnight); a time that does
    not exist on a DST change day is read with the offset before the change, as for windows."""
    if minute == 24 * 60:
        day, minute = day + timedelta(days=1), 0
    hours, minutes = divmod(minute, 60)
    return int(datetime(day.year, day.month, day.day, hours, minutes, tzinfo=zone).timestamp())


def service_runs(hours: ServiceHours, grid: SlotGrid, zone: ZoneInfo) -> I64:
    """Rows [first, stop) of the slot indexes in service hours, in order, disjoint."""
    days = {WEEKDAYS.index(d) for d in hours.days}
    holidays = set(hours.holidays)
    end = grid.origin + grid.n * grid.slot_seconds
    day = datetime.fromtimestamp(grid.origin, zone).date() - timedelta(days=1)
    last = datetime.fromtimestamp(end, zone).date()
    rows: list[tuple[int, int]] = []
    size = grid.slot_seconds
    while day <= last:
        if day.weekday() in days and day not in holidays:
            begin = local_instant(day, hours.start_minute, zone)
            finish = local_instant(day, hours.end_minute, zone)
            # slots starting in [begin, finish): the first at or after begin, up to the first
            # at or after finish
            first = -((grid.origin - begin) // size)
            stop = -((grid.origin - finish) // size)
            first, stop = max(first, 0), min(stop, grid.n)
            if stop > first:
                if rows and first <= rows[-1][1]:
                    rows[-1] = (rows[-1][0], max(rows[-1][1], stop))
                else:
                    rows.append((first, stop))
        day += timedelta(days=1)
    return np.array(rows, dtype=np.int64).reshape(-1, 2)


def service_mask(runs: I64, n: int) -> NDArray[np.bool_]:
    """For every slot 0..n-1: is it in service hours?"""
    depth = np.zeros(n + 1, dtype=np.int32)
    np.add.at(depth, runs[:, 0], 1)
    np.add.at(depth, runs[:, 1], -1)
    return np.cumsum(depth[:n]) > 0


def slots_in_spans(runs: I64, lo: I64, hi: I64) -> I64:
    """How many service-hour slots each span [lo, hi) of slot indexes holds: a calendar period,
    or a measured window's trailing days (spans may overlap); in the shape of ``lo``."""
    lengths = runs[:, 1] - runs[:, 0]
    before_run = np.concatenate(([0], np.cumsum(lengths)))

    def before(t: I64) -> I64:
        """Service slots before slot index ``t``."""
        k = np.searchsorted(runs[:, 0], t, side="right") - 1
        inside = np.clip(t - runs[np.maximum(k, 0), 0], 0, lengths[np.maximum(k, 0)])
        return np.where(k >= 0, before_run[np.maximum(k, 0)] + inside, 0)

    if not len(runs):
        return np.zeros(np.shape(lo), np.int64)
    return before(np.asarray(hi, np.int64)) - before(np.asarray(lo, np.int64))


def describe(hours: ServiceHours) -> str:
    """The hours in words, for a period's explanation: "Mon-Fri 08:00-18:00"."""
    at = [WEEKDAYS.index(d) for d in hours.days]
    names = [_SHORT_DAYS[d] for d in hours.days]
    in_a_row = len(at) > 2 and at == list(range(at[0], at[0] + len(at)))
    days = f"{names[0]}-{names[-1]}" if in_a_row else " ".join(names)
    held = f", {len(hours.holidays)} holiday(s) listed" if hours.holidays else ""
    return f"{days} {hours.start}-{hours.end}{held}"
