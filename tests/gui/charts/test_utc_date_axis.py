"""The timeline's date axis: pyqtgraph's ticks and labels in UTC, without its per-tick round
trip through the local time zone (most of the axis's work when years are painted)."""

from __future__ import annotations

import os
import subprocess
import sys

import pyqtgraph as pg
import pyqtgraph.graphicsItems.DateAxisItem as date_axis
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtGui import QFont, QFontMetrics

from slamodeler.gui.charts.chart_axes import UtcDateAxis

YEAR_2020 = 1_577_836_800


def axes() -> tuple[pg.DateAxisItem, UtcDateAxis]:
    stock, ours = pg.DateAxisItem(orientation="bottom", utcOffset=0), UtcDateAxis()
    for axis in (stock, ours):
        axis.fontMetrics = QFontMetrics(QFont())  # as its paint sets it
    return stock, ours


@given(
    start=st.integers(0, 2_000_000_000),
    span=st.floats(1e-2, 1e9),  # from a hundredth of a second to thirty years
    size=st.integers(60, 2400),
)
def test_the_ticks_and_labels_are_pyqtgraphs_at_utc(qapp, start, span, size):
    stock, ours = axes()
    expected = stock.tickValues(start, start + span, size)
    assert ours.tickValues(start, start + span, size) == expected
    for spacing, values in expected:
        assert ours.tickStrings(values, 1, spacing) == stock.tickStrings(values, 1, spacing)


def test_five_years_of_ticks_take_no_time_zone_conversion(qapp, monkeypatch):
    """The timeline of an imported history, from 2019-11-27: the 6 new years 2020 to 2025, and
    56 other months (December 2019, then 11 a year), and not one call that converts a tick
    through the local time zone (two QDateTime conversions each)."""
    _, ours = axes()
    calls: list[float] = []
    convert = date_axis.applyOffsetToUtc
    monkeypatch.setattr(
        date_axis, "applyOffsetToUtc", lambda t, o=None: calls.append(t) or convert(t, o)
    )
    ticks = ours.tickValues(YEAR_2020 - 3_000_000, YEAR_2020 + 5 * 31_622_400, 880)
    assert [len(values) for _, values in ticks] == [6, 56] and calls == []


def test_the_ticks_are_at_utc_whatever_the_local_zone():
    """Under New York's or Kathmandu's time (a fresh process: Qt reads the zone once), a
    five-year axis ticks each year at its first instant in UTC and labels it with the year."""
    program = """
import calendar
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication
from slamodeler.gui.charts.chart_axes import UtcDateAxis
app = QApplication([])
axis = UtcDateAxis()
axis.fontMetrics = QFontMetrics(QFont())
ticks = axis.tickValues(YEAR_2020 - 3_000_000, YEAR_2020 + 5 * 31_622_400, 880)
years = [calendar.timegm((y, 1, 1, 0, 0, 0)) for y in range(2020, 2026)]
assert ticks[0][1] == years, ticks[0][1]
assert axis.tickStrings(years, 1, ticks[0][0]) == [str(y) for y in range(2020, 2026)]
""".replace("YEAR_2020", str(YEAR_2020))
    for zone in ("America/New_York", "Asia/Kathmandu"):
        env = {**os.environ, "TZ": zone, "QT_QPA_PLATFORM": "offscreen"}
        done = subprocess.run(
            [sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, (zone, done.stderr)
