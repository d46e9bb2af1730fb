"""A claim window's shares of its months (``window_months``) counted in whole local days with
integers, held equal to the straightforward count in Fractions (below) over random windows in
zones whose days are 23, 25, 23.5 (Lord Howe) hours, or missing (Apia skipped 30 December 2011)."""

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
) -> tuple[tuple[int, Fraction], ...]:
    """Each end's place in the local calendar as a Fraction of days (its date's ordinal plus the
    share of that day's seconds gone), each month the days of [start, end) in it over its days."""
    begin, finish = local_days(start, zone), local_days(end, zone)
    out: list[tuple[int, Fraction]] = []
    first = date.fromordinal(int(begin)).replace(day=1)
    while first.toordinal() < finish:
        after = (first + timedelta(days=31)).replace(day=1)
        days = min(finish, Fraction(after.toordinal())) - max(begin, Fraction(first.toordinal()))
        if days > 0:
            out.append((first.year * 12 + first.month - 1, days / (after - first).days))
        first = after
    return tuple(out)


def local_days(instant: int, zone: ZoneInfo) -> Fraction:
    day = datetime.fromtimestamp(instant, zone).date()
    begin = day_start(day, zone)
    length = day_start(day + timedelta(days=1), zone) - begin
    return day.toordinal() + Fraction(instant - begin, length)


def day_start(day: date, zone: ZoneInfo) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=zone).timestamp())


def agrees(start: int, end: int, zone: ZoneInfo) -> None:
    shares, months = window_months(start, end, zone)
    expected = straightforward_shares(start, end, zone)
    assert shares == expected
    assert months == sum((share for _, share in expected), Fraction(0))


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
