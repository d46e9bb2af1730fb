"""Recurring maintenance windows, laid out in the contract's local time and returned in UTC."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from slamodeler.domain.contract import WEEKDAYS, MaintenanceWindow


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
