"""On which days a maintenance window falls, and when the next ones come: the rule lives in
engine/windows.py and the terms editor's preview asks services/windows.py for it."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from slamodeler.domain.contract import MaintenanceWindow, day_fits, usual_day
from slamodeler.domain.errors import InputError
from slamodeler.engine.windows import LOOK_AHEAD, next_occurrences
from slamodeler.services.windows import time_in_windows, upcoming_windows
from tests.helpers.builders import contract

SUNDAY = {"every": "week", "day": "sunday", "start": "02:00", "minutes": 240}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_a_weekly_window_falls_on_its_weekday_and_a_missing_start_uses_the_offset_before():
    found = upcoming_windows([SUNDAY], "Europe/Berlin", utc(2026, 3, 25, 12), 3)
    assert [(n, begin.astimezone(UTC)) for n, begin, _ in found] == [
        (1, utc(2026, 3, 29, 1)),  # 02:00 does not exist that Sunday: 03:00 CEST
        (1, utc(2026, 4, 5, 0)),
        (1, utc(2026, 4, 12, 0)),
    ]
    assert all(begin.weekday() == 6 for _, begin, _ in found)
    assert [f"{begin:%H:%M %Z}" for _, begin, _ in found] == [
        "03:00 CEST",
        "02:00 CEST",
        "02:00 CEST",
    ]
    assert all((end - begin).total_seconds() == 240 * 60 for _, begin, end in found)


def test_a_monthly_window_falls_on_its_day_of_the_month_and_a_daily_one_every_day():
    monthly = {"every": "month", "day": 28, "start": "23:00", "minutes": 120}
    daily = {"every": "day", "start": "23:30", "minutes": 60}
    found = upcoming_windows([monthly, daily], "UTC", utc(2026, 2, 26, 1), 4)
    assert [(n, f"{begin:%d %b %H:%M}") for n, begin, _ in found] == [
        (2, "26 Feb 23:30"),
        (2, "27 Feb 23:30"),
        (1, "28 Feb 23:00"),
        (2, "28 Feb 23:30"),
    ]


def test_one_under_way_counts_and_none_beyond_the_look_ahead():
    daily = {"every": "day", "start": "23:30", "minutes": 60}
    found = upcoming_windows([daily], "UTC", utc(2026, 4, 1, 23, 45), 1)
    assert [(begin, end) for _, begin, end in found] == [
        (
            datetime(2026, 4, 1, 23, 30, tzinfo=ZoneInfo("UTC")),
            datetime(2026, 4, 2, 0, 30, tzinfo=ZoneInfo("UTC")),
        )
    ]
    everything = upcoming_windows([daily], "UTC", utc(2026, 4, 1, 23, 45), 1000)
    assert everything[-1][1] < utc(2026, 4, 1, 23, 45) + LOOK_AHEAD


def test_a_window_not_valid_yet_is_skipped_but_keeps_its_number():
    found = upcoming_windows([{"every": "week"}, SUNDAY], "UTC", utc(2026, 4, 1), 1)
    assert [n for n, _, _ in found] == [2]
    assert next_occurrences([None], int(utc(2026, 4, 1).timestamp()), ZoneInfo("UTC"), 5) == []


def test_a_time_zone_that_is_not_valid_is_refused():
    with pytest.raises(InputError, match="Mars/Olympus"):
        upcoming_windows([SUNDAY], "Mars/Olympus", utc(2026, 4, 1), 3)


def test_time_in_windows_counts_each_incident_inside_the_contracts_windows():
    terms = contract(exclusions={"maintenance_windows": [SUNDAY]}, timezone="UTC")
    sunday = int(utc(2026, 4, 5, 2).timestamp())
    starts = np.array([sunday - 3600, sunday + 3600, sunday + 5 * 3600], dtype=np.int64)
    ends = starts + 2 * 3600
    windows, inside = time_in_windows(terms, starts, ends)
    assert windows == [(sunday, sunday + 4 * 3600)]
    assert inside.tolist() == [3600, 2 * 3600, 0]


@pytest.mark.parametrize(
    ("every", "day", "kept"),
    [
        ("week", "Friday", "Friday"),
        ("week", 12, "sunday"),
        ("week", None, "sunday"),
        ("month", 28, 28),
        ("month", 29, 1),
        ("month", True, 1),
        ("month", "monday", 1),
        ("day", "monday", None),
        ("day", 3, None),
    ],
)
def test_a_window_changing_recurrence_keeps_its_day_only_where_it_fits(every, day, kept):
    """The day rule the editor applies when Every changes is the one validation enforces."""
    assert usual_day(every, day) == kept
    assert day_fits(every, usual_day(every, day))
    MaintenanceWindow(every=every, day=usual_day(every, day), start="02:00", minutes=60)
