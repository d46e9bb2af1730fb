"""Recurring maintenance windows, laid out in the contract's local time and returned in UTC: on
which days a window falls (every day, a weekday, a day of the month), where its occurrences lie,
the next ones from a moment, and how much of an interval they cover."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import WEEKDAYS, MaintenanceWindow

LOOK_AHEAD = timedelta(days=62)  # long enough for a monthly window to come round twice


def _occurs_on(window: MaintenanceWindow, day: date) -> bool:
    if window.every == "day":
        return True
    if window.every == "week":
        return day.weekday() == WEEKDAYS.index(str(window.day).lower())
    return day.day == window.day


def window_intervals(
    windows: Iterable[MaintenanceWindow], start: int, end: int, zone: ZoneInfo
) -> list[tuple[int, int]]:
    """UTC [start, end) of every window occurrence overlapping [start, end).

    A start time that does not exist on a DST change day uses the offset before the change
    (PEP 495, fold=0), as docs/measurement.md says.
    """
    out = []
    for window in windows:
        hours, minutes = divmod(window.start_minute, 60)
        reach = timedelta(minutes=window.minutes) + timedelta(days=1)
        day = (datetime.fromtimestamp(start, zone) - reach).date()
        last = datetime.fromtimestamp(end, zone).date()
        while day <= last:
            if _occurs_on(window, day):
                begin = int(
                    datetime(day.year, day.month, day.day, hours, minutes, tzinfo=zone).timestamp()
                )
                finish = begin + window.minutes * 60
                if finish > start and begin < end:
                    out.append((begin, finish))
            day += timedelta(days=1)
    return sorted(out)


def next_occurrences(
    windows: Sequence[MaintenanceWindow | None], start: int, zone: ZoneInfo, count: int
) -> list[tuple[int, int, int]]:
    """The first ``count`` occurrences from ``start`` (those under way included) within
    LOOK_AHEAD, as (UTC begin, UTC end, window number from 1), earliest first; a None stands for
    a window that is not valid, which keeps its number and never occurs."""
    end = start + int(LOOK_AHEAD.total_seconds())
    found = [
        (begin, finish, number)
        for number, window in enumerate(windows, 1)
        if window is not None
        for begin, finish in window_intervals([window], start, end, zone)
    ]
    return sorted(found)[:count]


def merged(windows: list[tuple[int, int]]) -> NDArray[np.int64]:
    """Sorted windows as disjoint [start, end) rows: overlapping or touching ones joined."""
    out: list[list[int]] = []
    for start, end in sorted(windows):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return np.array(out, dtype=np.int64).reshape(-1, 2)


def seconds_inside(
    starts: NDArray[np.int64], ends: NDArray[np.int64], windows: list[tuple[int, int]]
) -> NDArray[np.int64]:
    """Seconds of each [start, end) inside the windows (counted once where they overlap): the
    window time before each end less that before each start, found by binary search, so
    thousands of incidents over years of weekly windows take milliseconds."""
    spans = merged(windows)
    if not spans.size:
        return np.zeros_like(starts)
    opens, closes = spans[:, 0], spans[:, 1]
    before = np.concatenate(([0], np.cumsum(closes - opens)))  # window time before each open

    def covered(t: NDArray[np.int64]) -> NDArray[np.int64]:
        """Window time up to ``t``: the windows before the last one opened by then, and that
        one up to ``t``."""
        opened = np.searchsorted(opens, t, side="right")
        last = np.maximum(opened - 1, 0)
        inside = np.where(opened > 0, np.minimum(t, closes[last]) - opens[last], 0)
        return before[last] + inside

    return covered(ends) - covered(starts)
