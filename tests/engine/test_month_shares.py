"""A claim window's shares of its months (``window_months``) counted in whole local days with
integers, held equal to the straightforward walk a local day at a time (below) over random
windows in zones whose days are 23, 25, 23.5 (Lord Howe) hours, or missing (Apia skipped 30
December 2011, so that December's days are 30)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from slamodeler.engine.measured_windows import window_months

ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Pacific/Apia"]


def straightforward_shares(
    start: int, end: int, zone: ZoneInfo
) -> tuple[tuple[int, Fraction, int], ...]:
    """[start, end) walked a local day at a time, each piece its share of its day's seconds over
    its month's days (the local dates that exist in it), summed by month."""
    shares: dict[int, Fraction] = {}
    days: dict[int, int] = {}
    cursor = start
    while cursor < end:
        day = datetime.fromtimestamp(cursor, zone).date()
        begin, after = day_start(day, zone), day_start(day + timedelta(days=1), zone)
        index = day.year * 12 + day.month - 1
        days[index] = month_days(day.replace(day=1), zone)
        piece = Fraction(min(end, after) - cursor, after - begin) / days[index]
        shares[index] = shares.get(index, Fraction(0)) + piece
        cursor = min(end, after)
    return tuple((index, share, days[index]) for index, share in shares.items())


def month_days(first: date, zone: ZoneInfo) -> int:
    """The local dates that exist in the month of ``first`` (a skipped date's midnight is the
    next day's)."""
    day, count = first, 0
    while day.month == first.month:
        count += day_start(day + timedelta(days=1), zone) > day_start(day, zone)
        day += timedelta(days=1)
    return count


def day_start(day: date, zone: ZoneInfo) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=zone).timestamp())


def agrees(start: int, end: int, zone: ZoneInfo) -> None:
    shares, months = window_months(start, end, zone)
    expected = straightforward_shares(start, end, zone)
    assert shares == expected
    assert months == sum((share for _, share, _ in expected), Fraction(0))


# 2011-06-01 to 2025-12-31 UTC: Apia's missing day and Lord Howe's half-hour changes inside
INSTANTS = st.integers(1_306_886_400, 1_767_139_200)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(ZONES), INSTANTS, st.integers(0, 120 * 86_400))
def test_window_months_equal_the_straightforward_count(zone, end, span):
    agrees(end - span, end, ZoneInfo(zone))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(ZONES), st.integers(-3 * 86_400, 3 * 86_400), st.integers(0, 40 * 86_400))
def test_window_months_near_apias_missing_day_equal_the_straightforward_count(zone, shift, span):
    end = 1_325_239_200 + shift  # 2011-12-30T10:00Z: Apia's 31 December 00:00 (+14)
    agrees(end - span, end, ZoneInfo(zone))
